# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""The fast path's rule index (:mod:`.fast_licenses`): built from a loaded license index.

A function of the license index alone, so :mod:`.index_cache` keeps it with its copy of the
index.
"""

from __future__ import annotations

import gc
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class RulePrefilter:
    """The fast path's rule index: from legalese token id to the rules that hold it, plus the
    rules' length limits."""

    len_legalese: int
    legalese: Any  # intbitset of every legalese token id
    rids_by_legalese: tuple[Any, ...]  # intbitset of rule ids, by legalese token id
    rids_by_min_high: tuple[Any, ...]  # [n]: rules needing <= n distinct legalese tokens
    rids_with_min_high: tuple[Any, ...]  # [n]: rules needing max(1, n) exactly; [0] unused
    approx_matchable: Any  # intbitset of index.approx_matchable_rids
    # By rule id, read from the rules once: what step one's checks compare against.
    min_high_matched: tuple[int, ...]  # max(1, min_high_matched_length_unique)
    min_matched_length_unique: tuple[int, ...]
    length_unique: tuple[int, ...]
    minimum_containment: tuple[float, ...]
    # By rule id: what step two's checks compare against, so that the ranking reads the
    # Rule objects (which the index copy unpickles on first read) of its candidates only.
    min_high_matched_length: tuple[int, ...]
    min_matched_length: tuple[int, ...]
    length: tuple[int, ...]


LIMIT_STEPS = 256


def intbitset_type() -> Any:
    """ScanCode's compressed integer set type (a C extension it depends on)."""
    from intbitset import intbitset as found  # type: ignore[import-not-found]

    return found


#: Exact "shares at least n legalese tokens" sets are computed up to this n.
LEVELS = 8


def build(index: Any) -> RulePrefilter:
    """The fast path's rule index, from a loaded license ``index`` (about a second)."""
    intbitset = intbitset_type()
    len_legalese = int(index.len_legalese)
    legalese = intbitset(range(len_legalese))
    postings: list[list[int]] = [[] for _ in range(len_legalese)]
    by_high: list[list[int]] = [[] for _ in range(LIMIT_STEPS + 1)]
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        for rid, rule in enumerate(index.rules_by_rid):
            tokens = index.sets_by_rid[rid]
            if tokens is None:  # false-positive rules: never approximate candidates
                continue
            for tid in tokens & legalese:
                postings[tid].append(rid)
            by_high[min(int(rule.min_high_matched_length_unique), LIMIT_STEPS)].append(rid)
        return RulePrefilter(
            len_legalese=len_legalese,
            legalese=legalese,
            rids_by_legalese=tuple(intbitset(p) for p in postings),
            rids_by_min_high=_cumulative(by_high),
            rids_with_min_high=(
                intbitset(),
                intbitset(by_high[0] + by_high[1]),
                *(intbitset(bucket) for bucket in by_high[2:LEVELS]),
            ),
            approx_matchable=intbitset(sorted(index.approx_matchable_rids)),
            min_high_matched=tuple(
                max(1, r.min_high_matched_length_unique) for r in index.rules_by_rid
            ),
            min_matched_length_unique=tuple(
                r.min_matched_length_unique for r in index.rules_by_rid
            ),
            length_unique=tuple(r.length_unique for r in index.rules_by_rid),
            minimum_containment=tuple(r._minimum_containment for r in index.rules_by_rid),
            min_high_matched_length=tuple(r.min_high_matched_length for r in index.rules_by_rid),
            min_matched_length=tuple(r.min_matched_length for r in index.rules_by_rid),
            length=tuple(r.length for r in index.rules_by_rid),
        )
    finally:
        if was_enabled:
            gc.enable()


def _cumulative(buckets: list[list[int]]) -> tuple[Any, ...]:
    intbitset = intbitset_type()

    sets = []
    running = intbitset()
    for bucket in buckets:
        running = running | intbitset(bucket)
        sets.append(running)
    return tuple(sets)
