# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""What a package's license file says its license is, and which of its matches are clues.

ScanCode reports every match in a file, and combines the nearby ones into a detection. A
license file often holds, beside its license text, a few words that also match some rule:
the words "BSD license" inside a BSD-2-Clause text, MPL-2.0's own mention of version 1.1, the
Free Software Foundation's postal address, a sentence about "either of these licenses", half
of an Apache notice after an ``SPDX-License-Identifier`` tag. AND-ing them all made a false
conflict of a clean package.

A license file's license is what its strong matches say, and those of the package's other
license files. A match is **strong** when it is a license text or a structured tag
(``is_license_text``, ``SPDX-License-Identifier``) that ScanCode does not itself call weak: at
least ``CLUES_MATCH_COVERAGE_THR`` (60) percent of its rule matched, a rule relevance of at
least ``LOW_RELEVANCE_THRESHOLD`` (70), not an introduction, and not a match of at most
``FALSE_POSITIVE_RULE_LENGTH_THRESHOLD`` (3) words from a rule of less than full relevance
(what ScanCode's ``is_false_positive`` suspects). When the package's license files
have a strong match, another match of a license the strong ones do not name is **set
aside**, and recorded with its reason, when it is:

- an introduction or clue rule (``is_license_intro``): ScanCode's own
  ``filter_license_intros`` drops them before a real match;
- of low relevance: rule relevance under ``LOW_RELEVANCE_THRESHOLD`` (70);
- of low coverage: under ``CLUES_MATCH_COVERAGE_THR`` (60) percent of its rule, where
  ScanCode reports a lone match as a mere license clue (``is_low_quality_matches``);
- a reference: a rule that only names a license (not a text, notice or tag) beside a text
  or tag that states the license in full;
- short: a notice of at most ``FALSE_POSITIVE_RULE_LENGTH_THRESHOLD`` (3) words, the length
  under which ScanCode's ``is_false_positive`` suspects a spurious match ("GPL-compatible"
  in the history table of Python's license);
- partial: a notice or tag matched under ``IMPERFECT_MATCH_COVERAGE_THR`` (100) percent.

Apart from that, a match of a license ScanCode files under "Unstated License" (a bare warranty
disclaimer: the last paragraph of an MIT text whose grant was left out) is set aside in any
license file where another match names a license; it is never a strong match.

What is kept is the whole of any other match: a second full license text, a complete notice
of another license, or a second tag, so a real conflict is still one. License files without
any strong match keep every detection, as before: nothing can be judged weak against nothing. The
file's own record (``FileRecord``) never changes; only the package's conclusion reads this.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from ospo_scan.engine.catalog import states_no_license
from ospo_scan.engine.thresholds import MatchThresholds, match_thresholds
from ospo_scan.licensing import combine, is_noise, license_ids
from ospo_scan.model import (
    FileRecord,
    LicenseDetection,
    LicenseMatch,
    MatchKind,
    SetAsideMatch,
    SetAsideReason,
)

#: Kinds of match that state a license in full: a license text, or a structured tag.
_STATEMENT_KINDS = frozenset({MatchKind.TEXT, MatchKind.TAG})


def is_strong(match: LicenseMatch, thresholds: MatchThresholds) -> bool:
    """True when ``match`` states a license by itself: a sound text or tag."""
    return (
        match.kind in _STATEMENT_KINDS
        and not _unstated(match)
        and match.match_coverage >= thresholds.clue_coverage
        and match.rule_relevance >= thresholds.low_relevance
        and not match.is_license_intro
        and not _suspect_short(match, thresholds)
    )


def _suspect_short(match: LicenseMatch, thresholds: MatchThresholds) -> bool:
    """True for a match of a few words from a rule ScanCode is not sure of.

    ScanCode's ``is_false_positive`` never suspects a rule of full relevance (100), and
    suspects one of ``FALSE_POSITIVE_RULE_LENGTH_THRESHOLD`` (3) words or fewer: "license
    mozilla", a Perl build tag (relevance 80), matched across "the original license." and
    the "Mozilla Public License" heading of an MPL-2.0 text (hypothesis 6.170.15).
    """
    return match.matched_length <= thresholds.short_length and match.rule_relevance < 100


def weakness(match: LicenseMatch, thresholds: MatchThresholds) -> SetAsideReason | None:
    """Why ``match`` is a clue beside a strong match, or ``None`` when it counts."""
    if match.is_license_intro:
        return SetAsideReason.LICENSE_INTRO
    if match.rule_relevance < thresholds.low_relevance:
        return SetAsideReason.LOW_RELEVANCE
    if match.match_coverage < thresholds.clue_coverage:
        return SetAsideReason.LOW_COVERAGE
    if match.kind is MatchKind.REFERENCE:
        return SetAsideReason.REFERENCE
    if match.kind is not MatchKind.TEXT and match.matched_length <= thresholds.short_length:
        return SetAsideReason.SHORT
    if match.kind is not MatchKind.TEXT and match.match_coverage < thresholds.perfect_coverage:
        return SetAsideReason.PARTIAL
    return None


def package_license(records: Sequence[FileRecord]) -> tuple[list[str], list[SetAsideMatch]]:
    """What a package's license files state, and the matches in them set aside as clues.

    The strong matches of all the files count together: the one-line LICENSE of a dual
    licence ("either of the licenses found in LICENSE.APACHE2 or LICENSE.MIT", which ScanCode
    matches in part to another choice of licenses) is judged beside the texts it points to.
    """
    thresholds = match_thresholds()
    strong = [
        m
        for r in records
        for d in r.license_detections
        for m in d.matches
        if is_strong(m, thresholds)
    ]
    stated = {i for m in strong for i in license_ids(m.license_expression_spdx)}
    expressions: list[str] = []
    set_aside: list[SetAsideMatch] = []
    for record in records:
        found, aside = file_license(record, stated if strong else None)
        expressions.extend(found)
        set_aside.extend(aside)
    return expressions, set_aside


def file_license(
    record: FileRecord, stated: set[str] | None = None
) -> tuple[list[str], list[SetAsideMatch]]:
    """The expressions that state ``record``'s license, and the matches set aside as clues.

    ``stated``: the licenses of strong matches in the package's other license files, if any.
    """
    thresholds = match_thresholds()
    detections = record.license_detections
    matches = [m for d in detections for m in d.matches]
    strong = [m for m in matches if is_strong(m, thresholds)]
    names_one = any(_names_a_license(m) for m in matches)
    has_unstated = names_one and any(_unstated(m) for m in matches)
    if not strong and stated is None and not has_unstated:
        return [d.license_expression_spdx for d in detections], []
    if strong or stated is not None:
        stated = {i for m in strong for i in license_ids(m.license_expression_spdx)} | (
            stated or set()
        )
    expressions: list[str] = []
    set_aside: list[SetAsideMatch] = []
    for detection in detections:
        kept, aside = _split(detection, stated, names_one, thresholds)
        set_aside.extend(_record(record.path, m, reason) for m, reason in aside)
        if not aside:
            expressions.append(detection.license_expression_spdx)
        elif kept:
            expressions.append(combine(m.license_expression_spdx for m in kept) or "")
    return [e for e in expressions if e], set_aside


def _split(
    detection: LicenseDetection,
    stated: set[str] | None,
    names_one: bool,
    thresholds: MatchThresholds,
) -> tuple[list[LicenseMatch], list[tuple[LicenseMatch, SetAsideReason]]]:
    """The matches of ``detection`` that count, and those set aside with the reason.

    ``stated``: the licenses of the file's strong matches (``None`` when it has none);
    ``names_one``: whether any match of the file names a license.
    """
    # A followed reference ("see COPYING") carries the other file's expression: its own
    # matches do not make it, so it is kept whole.
    if detection.followed_files:
        return list(detection.matches), []
    kept: list[LicenseMatch] = []
    aside: list[tuple[LicenseMatch, SetAsideReason]] = []
    for match in detection.matches:
        reason = None
        if is_strong(match, thresholds):
            pass
        elif names_one and _unstated(match):
            reason = SetAsideReason.UNSTATED
        elif stated is not None and not _named(match, stated):
            reason = weakness(match, thresholds)
        if reason is None:
            kept.append(match)
        else:
            aside.append((match, reason))
    return kept, aside


def _named(match: LicenseMatch, stated: Iterable[str]) -> bool:
    """True when the strong matches already name every license of ``match``.

    ScanCode's unknown-license ids are left out: the conclusion drops them anyway, so
    setting them aside would say nothing.
    """
    ids = {i for i in license_ids(match.license_expression_spdx) if not is_noise(i)}
    return ids <= set(stated)


def _unstated(match: LicenseMatch) -> bool:
    """True when every license of ``match`` is one that states none (a bare disclaimer)."""
    ids = [i for i in license_ids(match.license_expression_spdx) if not is_noise(i)]
    return bool(ids) and all(states_no_license(i) for i in ids)


def _names_a_license(match: LicenseMatch) -> bool:
    ids = license_ids(match.license_expression_spdx)
    return any(not is_noise(i) and not states_no_license(i) for i in ids)


def _record(path: str, match: LicenseMatch, reason: SetAsideReason) -> SetAsideMatch:
    return SetAsideMatch(
        path=path,
        license_expression_spdx=match.license_expression_spdx,
        start_line=match.start_line,
        end_line=match.end_line,
        rule_identifier=match.rule_identifier,
        match_coverage=match.match_coverage,
        rule_relevance=match.rule_relevance,
        reason=reason,
    )
