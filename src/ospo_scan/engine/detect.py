# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""License and copyright detection in one file, with ScanCode's engine as shipped.

Turns ScanCode's detections and matches into the frozen records of :mod:`ospo_scan.model`.
"""

from __future__ import annotations

import hashlib
import sys
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from ospo_scan.engine import index
from ospo_scan.model import (
    AuthorStatement,
    CopyrightStatement,
    LicenseDetection,
    LicenseMatch,
    MatchKind,
    strongest,
)

#: ScanCode matchers whose matches mean "a license is here but we cannot say which".
UNKNOWN_MATCHERS = frozenset({"5-undetected", "6-unknown"})


@dataclass(frozen=True, slots=True)
class LicenseFindings:
    """What ScanCode's license detection found in one file."""

    detections: tuple[LicenseDetection, ...] = ()
    clues: tuple[LicenseMatch, ...] = ()
    expression: str | None = None
    expression_spdx: str | None = None
    percentage_of_license_text: float = 0.0


@dataclass(frozen=True, slots=True)
class CopyrightFindings:
    """What ScanCode's copyright detection found in one file."""

    copyrights: tuple[CopyrightStatement, ...] = ()
    authors: tuple[AuthorStatement, ...] = ()


def path_signature(location: str) -> str:
    """What of a file's path, besides its bytes, can change ScanCode's findings for it.

    ScanCode's text extraction looks at the name: the extension chooses source-code line
    handling, markup stripping and JS source-map extraction; a ``package.json`` is never
    re-wrapped, and a path with ``locale`` in it always is. Equal contents are detected once
    per signature, and the findings cache keys on it.
    """
    name = location.rstrip("/").rpartition("/")[2]
    # PurePosixPath(name).suffixes, without building paths (this runs on every file).
    stem = name.lstrip(".")
    suffixes = "" if name.endswith(".") or "." not in stem else "." + stem.split(".", 1)[1]
    return f"{suffixes}|{int(name.endswith('package.json'))}|{int('locale' in location)}"


def _match_kind(match: Any) -> MatchKind:
    rule = match.rule
    if rule.is_license_text:
        return MatchKind.TEXT
    if rule.is_license_notice:
        return MatchKind.NOTICE
    if rule.is_license_tag:
        return MatchKind.TAG
    # references, intros, clues and unknown-license matches
    return MatchKind.REFERENCE


def spdx_expression(expression: str | None) -> str:
    from licensedcode.cache import build_spdx_license_expression, get_licensing

    if not expression:
        return ""
    return str(build_spdx_license_expression(expression, licensing=get_licensing()))


def _to_match(match: Any) -> LicenseMatch:
    expression = str(match.rule.license_expression)
    return LicenseMatch(
        license_expression=expression,
        license_expression_spdx=spdx_expression(expression),
        kind=_match_kind(match),
        score=round(float(match.score()), 2),
        start_line=int(match.start_line),
        end_line=int(match.end_line),
        matched_length=int(match.len()),
        match_coverage=round(float(match.coverage()), 2),
        matcher=str(match.matcher),
        rule_identifier=str(match.rule.identifier),
        rule_relevance=int(match.rule.relevance),
        referenced_filenames=tuple(str(f) for f in match.rule.referenced_filenames or ()),
        is_license_intro=bool(match.rule.is_license_intro or match.rule.is_license_clue),
    )


def _to_detection(detection: Any) -> LicenseDetection:
    matches = tuple(_to_match(m) for m in detection.matches)
    kind = strongest([m.kind for m in matches])
    lead = max(matches, key=lambda m: (m.kind.strength, m.score, m.matched_length))
    expression = str(detection.license_expression)
    spdx = detection.license_expression_spdx
    return LicenseDetection(
        license_expression=expression,
        license_expression_spdx=str(spdx) if spdx else spdx_expression(expression),
        kind=kind,
        score=lead.score,
        start_line=min(m.start_line for m in matches),
        end_line=max(m.end_line for m in matches),
        rule_identifier=lead.rule_identifier,
        identifier=str(detection.identifier),
        matches=matches,
        detection_log=tuple(str(entry) for entry in detection.detection_log or ()),
    )


def followed_detection_identifier(expression: str, identifiers: Iterable[str]) -> str:
    """ScanCode's identifier for a detection extended with the detections of the files its
    reference points to: ``identifiers`` are all of theirs, its own included
    (``licensedcode.detection.get_new_identifier_from_detections``)."""
    from commoncode.text import python_safe_name

    content = repr(tuple(sorted(identifiers)))
    digest = hashlib.sha1(content.encode("utf-8")).hexdigest()[:32]  # noqa: S324 -- an id
    return f"{python_safe_name(expression)}-{uuid.UUID(hex=digest)}"


def detect_licenses(location: str, *, deadline: float = sys.maxsize) -> LicenseFindings:
    """Detect licenses in the file at ``location`` with ScanCode's full engine.

    Detections that ScanCode could not turn into an expression are returned as ``clues``,
    as ``scancode --license`` reports them.
    """
    from license_expression import combine_expressions
    from licensedcode.cache import get_licensing
    from licensedcode.detection import detect_licenses as sc_detect_licenses

    index.load_index()
    detections: list[LicenseDetection] = []
    clues: list[LicenseMatch] = []
    qspans: list[Any] = []
    last = None
    for detection in sc_detect_licenses(location=location, deadline=deadline):
        last = detection
        qspans.extend(detection.qspans)
        if detection.license_expression is None:
            clues.extend(_to_match(m) for m in detection.matches)
        else:
            detections.append(_to_detection(detection))
    if not detections and not clues:
        return LicenseFindings()
    expression = None
    if detections:
        combined = combine_expressions(
            expressions=[d.license_expression for d in detections],
            relation="AND",
            unique=True,
            licensing=get_licensing(),
        )
        expression = str(combined)
    percentage = float(last.percentage_license_text_of_file(qspans)) if last else 0.0
    return LicenseFindings(
        detections=tuple(detections),
        clues=tuple(clues),
        expression=expression,
        expression_spdx=spdx_expression(expression) if expression else None,
        percentage_of_license_text=round(percentage, 2),
    )


def detect_copyrights(location: str, *, deadline: float = sys.maxsize) -> CopyrightFindings:
    """Detect copyright statements, their holders and author credits in a file."""
    from cluecode.copyrights import (
        AuthorDetection,
        CopyrightDetection,
        HolderDetection,
    )
    from cluecode.copyrights import detect_copyrights as sc_detect_copyrights

    statements: list[Any] = []
    holders: list[Any] = []
    authors: list[AuthorStatement] = []
    for found in sc_detect_copyrights(
        location,
        include_copyrights=True,
        include_holders=True,
        include_authors=True,
        include_copyright_years=True,
        include_copyright_allrights=False,
        deadline=deadline,
    ):
        if isinstance(found, CopyrightDetection):
            statements.append(found)
        elif isinstance(found, HolderDetection):
            holders.append(found)
        elif isinstance(found, AuthorDetection):
            authors.append(AuthorStatement(found.author, found.start_line, found.end_line))
    return CopyrightFindings(
        copyrights=tuple(_attach_holders(statements, holders)),
        authors=tuple(authors),
    )


def _attach_holders(statements: Iterable[Any], holders: list[Any]) -> Iterable[CopyrightStatement]:
    """Pair each statement with the holders ScanCode found on its lines.

    ScanCode reports holders apart from statements, each with its lines. A holder belongs to
    the first statement whose lines contain its own and whose text names it; failing that, to
    the first statement whose lines contain its own.
    """
    statements = list(statements)
    owner: dict[int, int] = {}
    for h, holder in enumerate(holders):
        around = [
            s
            for s, st in enumerate(statements)
            if st.start_line <= holder.start_line and holder.end_line <= st.end_line
        ]
        naming = [s for s in around if holder.holder.lower() in statements[s].copyright.lower()]
        if naming or around:
            owner[h] = (naming or around)[0]
    for s, statement in enumerate(statements):
        yield CopyrightStatement(
            statement=statement.copyright,
            holders=tuple(holders[h].holder for h in sorted(owner) if owner[h] == s),
            start_line=statement.start_line,
            end_line=statement.end_line,
        )
