# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""ScanCode's own thresholds for judging license matches, read from ``licensedcode.detection``.

ScanCode uses them to sort matches into detections and clues: a match under
``CLUES_MATCH_COVERAGE_THR`` percent of its rule is a clue, one under
``IMPERFECT_MATCH_COVERAGE_THR`` is imperfect, a rule under ``LOW_RELEVANCE_THRESHOLD`` has low
relevance, and ``FALSE_POSITIVE_RULE_LENGTH_THRESHOLD`` is the rule length (in words) under
which ScanCode suspects a false positive. The package conclusion reuses them (never numbers of
its own), so that it sets a match aside for the reasons ScanCode itself would call it weak.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class MatchThresholds:
    """ScanCode's match thresholds, each a percentage."""

    clue_coverage: float  # CLUES_MATCH_COVERAGE_THR: under it a match is a mere clue
    perfect_coverage: float  # IMPERFECT_MATCH_COVERAGE_THR: under it a match is partial
    low_relevance: int  # LOW_RELEVANCE_THRESHOLD: under it a rule has low relevance
    # FALSE_POSITIVE_RULE_LENGTH_THRESHOLD: a match this short (in words) may be spurious
    short_length: int


@functools.cache
def match_thresholds() -> MatchThresholds:
    """The thresholds of the installed ScanCode."""
    from licensedcode import detection

    return MatchThresholds(
        clue_coverage=float(detection.CLUES_MATCH_COVERAGE_THR),
        perfect_coverage=float(detection.IMPERFECT_MATCH_COVERAGE_THR),
        low_relevance=int(detection.LOW_RELEVANCE_THRESHOLD),
        short_length=int(detection.FALSE_POSITIVE_RULE_LENGTH_THRESHOLD),
    )
