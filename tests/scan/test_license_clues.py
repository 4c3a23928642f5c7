# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""Issue 16, class 1: a spurious partial match inside a license file is a clue, not a conflict.

Each package of ``tests/data/license_clues/`` is one pattern seen on real packages: a clean
license file with a few extra words that also match some ScanCode rule. ScanCode runs for
real on them. The package concludes the license its text or tag states, the extra match is
recorded in ``set_aside`` with ScanCode's reason, and the file's own findings keep it.
A second full license text in the file is still a conflict.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ospo_scan.engine.thresholds import MatchThresholds, match_thresholds
from ospo_scan.model import (
    ConclusionReason,
    LicenseMatch,
    MatchKind,
    Package,
    ScanResult,
    SetAsideReason,
)
from ospo_scan.scan.license_evidence import is_strong, weakness
from ospo_scan.scan.options import ScanOptions
from ospo_scan.scan.pipeline import scan

FIXTURES = Path(__file__).resolve().parents[1] / "data" / "license_clues"


@pytest.fixture(scope="module")
def result() -> ScanResult:
    return scan(FIXTURES, ScanOptions(jobs=1, cache_dir=None))


def _package(result: ScanResult, folder: str) -> Package:
    (found,) = [p for p in result.packages if p.root_path == folder]
    return found


@pytest.mark.parametrize(
    ("folder", "license_file", "declared", "clue", "reason"),
    [
        # A paragraph about source packages: a CDDL-or-GPL notice rule matched at 31%.
        (
            "source_packages",
            "LICENSE",
            "MIT",
            "CDDL-1.0 OR GPL-2.0-only",
            SetAsideReason.LOW_COVERAGE,
        ),
        # The words "BSD license" after a BSD-2-Clause text name BSD-3-Clause to ScanCode.
        ("bsd_words", "LICENSE", "BSD-2-Clause", "BSD-3-Clause", SetAsideReason.REFERENCE),
        # MPL-2.0 speaks of "version 1.1 or earlier" of itself.
        ("mpl_mentions_1_1", "LICENSE", "MPL-2.0", "MPL-1.1", SetAsideReason.REFERENCE),
        # The Free Software Foundation's postal address is a generic copyleft reference.
        (
            "fsf_address",
            "LICENSE",
            "MIT",
            "LicenseRef-scancode-other-copyleft",
            SetAsideReason.REFERENCE,
        ),
        # A README-like sentence about "either of these licenses": an OR of unrelated ones.
        (
            "either_readme",
            "LICENSE.md",
            "MIT",
            "EPL-2.0 OR Apache-2.0",
            SetAsideReason.LOW_COVERAGE,
        ),
        # Part of an Apache-2.0 notice beside an explicit SPDX-License-Identifier tag.
        ("spdx_partial_apache", "LICENSE", "MIT", "Apache-2.0", SetAsideReason.REFERENCE),
        # Found by the accuracy benchmark: the "GPL-compatible" column of a release history
        # (Python's license) is a 3-word GPL notice.
        (
            "history_table",
            "LICENSE",
            "MIT",
            "GPL-1.0-or-later",
            SetAsideReason.SHORT,
        ),
        # Found by the accuracy benchmark (keyv): "MIT License" and the warranty disclaimer,
        # the grant left out. The disclaimer is a text to ScanCode, but it states no license.
        (
            "disclaimer_only",
            "LICENSE",
            "MIT",
            "LicenseRef-scancode-warranty-disclaimer",
            SetAsideReason.UNSTATED,
        ),
    ],
)
def test_a_clue_in_a_license_file_is_set_aside(
    result: ScanResult,
    folder: str,
    license_file: str,
    declared: str,
    clue: str,
    reason: SetAsideReason,
) -> None:
    package = _package(result, folder)
    path = f"{folder}/{license_file}"
    assert package.license_files == (path,)
    assert package.declared_license_spdx == declared
    assert package.detected_license_spdx == declared
    assert package.concluded_license_spdx == declared
    assert package.concluded_reason is ConclusionReason.AGREE
    assert package.conflict is None
    found = [(s.path, s.license_expression_spdx, s.reason) for s in package.set_aside]
    # The sentence about "either of the licenses" also names one of them: a reference.
    extra = [(path, "EPL-1.0", SetAsideReason.REFERENCE)] if folder == "either_readme" else []
    assert found == [(path, clue, reason), *extra]
    # The file-level findings are ScanCode's, unchanged: the clue is still there.
    record = result.file(path)
    assert clue in (record.license_expression_spdx or "")
    matches = [m for d in record.license_detections for m in d.matches]
    aside = package.set_aside[0]
    assert any(
        m.license_expression_spdx == clue
        and m.start_line == aside.start_line
        and m.rule_identifier == aside.rule_identifier
        for m in matches
    )


def test_the_package_s_other_license_files_count(result: ScanResult) -> None:
    """Found by the accuracy benchmark (sniffio): a one-line LICENSE says "either of the
    licenses found in LICENSE.APACHE2 or LICENSE.MIT", and ScanCode matches it in part (88%)
    to a notice of another choice. The texts beside it state the license: it is a clue."""
    package = _package(result, "either_file")
    assert package.declared_license_spdx == "MIT OR Apache-2.0"
    assert package.detected_license_spdx == "Apache-2.0 AND MIT"
    assert package.concluded_license_spdx == "MIT OR Apache-2.0"
    assert package.concluded_reason is ConclusionReason.AGREE
    assert [(s.path, s.license_expression_spdx, s.reason) for s in package.set_aside] == [
        ("either_file/LICENSE", "BSD-3-Clause OR Apache-2.0", SetAsideReason.PARTIAL)
    ]


def test_a_short_tag_scancode_is_unsure_of_is_a_clue(result: ScanResult) -> None:
    """Found by the accuracy benchmark (hypothesis): "license." at the end of a paragraph and
    the "Mozilla Public License" heading match a two-word Perl build tag for MPL-1.1 (rule
    relevance 80). Beside the MPL-2.0 text it is a clue, not a second license."""
    package = _package(result, "short_tag")
    path = "short_tag/LICENSE"
    assert package.concluded_license_spdx == "MPL-2.0"
    assert package.concluded_reason is ConclusionReason.AGREE
    assert (path, "MPL-1.1", SetAsideReason.SHORT, 3) in [
        (s.path, s.license_expression_spdx, s.reason, s.start_line) for s in package.set_aside
    ]
    # The file's own findings keep it.
    assert "MPL-1.1" in (result.file(path).license_expression_spdx or "")


@pytest.mark.parametrize(
    ("length", "relevance", "strong"),
    [(2, 80, False), (3, 99, False), (2, 100, True), (4, 80, True)],
)
def test_a_short_match_of_an_unsure_rule_is_not_strong(
    length: int, relevance: int, strong: bool
) -> None:
    """ "License: MIT" (2 words, relevance 100) still states a license; "license mozilla"
    (relevance 80) does not."""
    match = _match(MatchKind.TAG, 100.0, relevance, length=length)
    assert is_strong(match, match_thresholds()) is strong


def test_a_second_full_license_text_is_still_a_conflict(result: ScanResult) -> None:
    package = _package(result, "second_text")
    assert package.concluded_reason is ConclusionReason.CONFLICT
    assert package.conflict is not None
    assert package.conflict.detected == "MIT AND GPL-3.0-only"
    assert package.set_aside == ()


def test_set_aside_survives_the_json_round_trip(result: ScanResult) -> None:
    package = _package(result, "bsd_words")
    assert Package.from_dict(package.to_dict()) == package
    # A document written before schema 1.4.0 has no set_aside: it reads as none.
    older = package.to_dict()
    del older["set_aside"]
    assert Package.from_dict(older).set_aside == ()


def _match(
    kind: MatchKind, coverage: float, relevance: int, intro: bool = False, length: int = 8
) -> LicenseMatch:
    return LicenseMatch(
        license_expression="x",
        license_expression_spdx="X",
        kind=kind,
        score=coverage * relevance / 100,
        start_line=1,
        end_line=1,
        matched_length=length,
        match_coverage=coverage,
        matcher="3-seq",
        rule_identifier="x_1.RULE",
        rule_relevance=relevance,
        is_license_intro=intro,
    )


@pytest.mark.parametrize(
    ("match", "reason"),
    [
        (_match(MatchKind.NOTICE, 100.0, 100, intro=True), SetAsideReason.LICENSE_INTRO),
        (_match(MatchKind.TEXT, 100.0, 69), SetAsideReason.LOW_RELEVANCE),
        (_match(MatchKind.TEXT, 59.9, 100), SetAsideReason.LOW_COVERAGE),
        (_match(MatchKind.REFERENCE, 100.0, 100), SetAsideReason.REFERENCE),
        (_match(MatchKind.NOTICE, 100.0, 100, length=3), SetAsideReason.SHORT),
        (_match(MatchKind.NOTICE, 99.0, 100), SetAsideReason.PARTIAL),
        (_match(MatchKind.NOTICE, 100.0, 100), None),  # a whole notice of another license
        (_match(MatchKind.TEXT, 60.0, 70), None),  # an edited second text: a real one
    ],
)
def test_weakness_follows_scancode_thresholds(
    match: LicenseMatch, reason: SetAsideReason | None
) -> None:
    thresholds = match_thresholds()
    assert thresholds == MatchThresholds(
        clue_coverage=60.0, perfect_coverage=100.0, low_relevance=70, short_length=3
    )
    assert weakness(match, thresholds) is reason
