# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""The one door to scancode-toolkit.

Only this module imports ``scancode``, ``licensedcode``, ``cluecode`` and their companions.
It turns their objects and dicts into the frozen records of :mod:`ospo_scan.model` at the
boundary, so that everything above is typed and testable without knowing ScanCode.

The license index takes seconds and about 1.4 GB to load; :func:`load_index` loads it once
per process (with the garbage collector paused, which halves the time), and worker processes
forked after that share it.
"""

from __future__ import annotations

import functools
import gc
import hashlib
import importlib.metadata
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

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


def scancode_version() -> str:
    """The installed scancode-toolkit version, read without importing it."""
    try:
        return importlib.metadata.version("scancode-toolkit")
    except importlib.metadata.PackageNotFoundError:  # pragma: no cover - broken install
        return "unknown"


def spdx_license_list_version() -> str:
    """The SPDX license list version that ScanCode's license data follows."""
    import scancode_config  # noqa: PLC0415 -- heavy imports stay out of CLI start-up

    return str(getattr(scancode_config, "spdx_license_list_version", "unknown"))


_index_loaded = False


def load_index() -> None:
    """Load ScanCode's license index into this process, once.

    The garbage collector is paused meanwhile: the index is millions of small objects, and
    collecting while unpickling them doubles the load time for nothing.
    """
    global _index_loaded  # noqa: PLW0603 -- one index per process, by design
    if _index_loaded:
        return
    from licensedcode import cache  # noqa: PLC0415

    was_enabled = gc.isenabled()
    gc.disable()
    try:
        cache.get_index()
    finally:
        if was_enabled:
            gc.enable()
    # Move the index out of the collector's young generations: later collections in this
    # process (and in workers forked from it) then skip its objects and leave their pages
    # shared instead of touching them.
    gc.freeze()
    _index_loaded = True


@functools.cache
def license_index_identity() -> str:
    """A stable identity of the license data in use: ScanCode version plus a digest of rules.

    Two installs that would detect differently get different identities; it keys caches and
    tells a reader of a saved result which data produced it.
    """
    from licensedcode import cache  # noqa: PLC0415

    load_index()
    index = cache.get_index()
    digest = hashlib.sha256()
    for rule in index.rules_by_rid:
        digest.update(rule.identifier.encode("utf-8"))
        digest.update(b"\0")
        digest.update(str(rule.license_expression).encode("utf-8"))
        digest.update(b"\n")
    rules = len(index.rules_by_rid)
    return f"scancode-toolkit-{scancode_version()}:{rules}-rules:{digest.hexdigest()[:16]}"


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


def _spdx(expression: str | None) -> str:
    from licensedcode.cache import build_spdx_license_expression, get_licensing  # noqa: PLC0415

    if not expression:
        return ""
    return str(build_spdx_license_expression(expression, licensing=get_licensing()))


def _to_match(match: Any) -> LicenseMatch:
    expression = str(match.rule.license_expression)
    return LicenseMatch(
        license_expression=expression,
        license_expression_spdx=_spdx(expression),
        kind=_match_kind(match),
        score=round(float(match.score()), 2),
        start_line=int(match.start_line),
        end_line=int(match.end_line),
        matched_length=int(match.len()),
        match_coverage=round(float(match.coverage()), 2),
        matcher=str(match.matcher),
        rule_identifier=str(match.rule.identifier),
        rule_relevance=int(match.rule.relevance),
    )


def _to_detection(detection: Any) -> LicenseDetection:
    matches = tuple(_to_match(m) for m in detection.matches)
    kind = strongest([m.kind for m in matches])
    lead = max(matches, key=lambda m: (m.kind.strength, m.score, m.matched_length))
    expression = str(detection.license_expression)
    spdx = detection.license_expression_spdx
    return LicenseDetection(
        license_expression=expression,
        license_expression_spdx=str(spdx) if spdx else _spdx(expression),
        kind=kind,
        score=lead.score,
        start_line=min(m.start_line for m in matches),
        end_line=max(m.end_line for m in matches),
        rule_identifier=lead.rule_identifier,
        identifier=str(detection.identifier),
        matches=matches,
    )


def detect_licenses(location: str, *, deadline: float = sys.maxsize) -> LicenseFindings:
    """Detect licenses in the file at ``location`` with ScanCode's full engine.

    Detections that ScanCode could not turn into an expression are returned as ``clues``,
    as ``scancode --license`` reports them.
    """
    from licensedcode.cache import get_licensing  # noqa: PLC0415
    from licensedcode.detection import detect_licenses as sc_detect_licenses  # noqa: PLC0415
    from packagedcode.utils import combine_expressions  # noqa: PLC0415

    load_index()
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
        expression_spdx=_spdx(expression) if expression else None,
        percentage_of_license_text=round(percentage, 2),
    )


def detect_copyrights(location: str, *, deadline: float = sys.maxsize) -> CopyrightFindings:
    """Detect copyright statements, their holders and author credits in a file."""
    from cluecode.copyrights import (  # noqa: PLC0415
        AuthorDetection,
        CopyrightDetection,
        HolderDetection,
    )
    from cluecode.copyrights import detect_copyrights as sc_detect_copyrights  # noqa: PLC0415

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


# --- license data for policies ---
#
# Policies name licenses by SPDX id (or ScanCode ``LicenseRef-scancode-*`` key) and by
# ScanCode category. Validating them and judging findings needs ScanCode's license
# database, but not its index: the database loads from the license files in about a
# second, the index takes many. ``policy validate`` must stay quick, so this section reads
# the database alone unless the index is already in memory (then its copy is reused).


@dataclass(frozen=True, slots=True)
class LicenseInfo:
    """What a policy needs to know about one ScanCode license."""

    key: str  # ScanCode key, e.g. ``gpl-3.0``
    spdx_id: str  # SPDX id, or ``LicenseRef-scancode-<key>`` for licenses SPDX does not list
    category: str  # ScanCode category: Permissive, Copyleft, ...
    is_exception: bool  # a license exception (the right-hand side of ``WITH``)
    is_unknown: bool  # one of ScanCode's "a license is here but we cannot say which" keys
    aliases: tuple[str, ...] = ()  # other SPDX ids that mean the same (deprecated ids)


@dataclass(frozen=True, slots=True)
class LicenseCatalog:
    """ScanCode's licenses, found by SPDX id, alias or ScanCode key, case-insensitively."""

    licenses: tuple[LicenseInfo, ...]
    _by_name: dict[str, LicenseInfo]

    @classmethod
    def build(cls, licenses: Iterable[LicenseInfo]) -> LicenseCatalog:
        """A catalog over ``licenses``; SPDX ids win over aliases and keys on a clash."""
        infos = tuple(sorted(licenses, key=lambda i: i.spdx_id.lower()))
        by_name: dict[str, LicenseInfo] = {}
        for info in infos:
            by_name.setdefault(info.key.lower(), info)
        for info in infos:
            for alias in info.aliases:
                by_name[alias.lower()] = info
        for info in infos:
            by_name[info.spdx_id.lower()] = info
        return cls(licenses=infos, _by_name=by_name)

    def lookup(self, name: str) -> LicenseInfo | None:
        """The license called ``name`` (SPDX id, deprecated SPDX id or ScanCode key)."""
        return self._by_name.get(name.lower())

    @property
    def categories(self) -> tuple[str, ...]:
        """The distinct categories, sorted."""
        return tuple(sorted({i.category for i in self.licenses if i.category}))

    @property
    def names(self) -> tuple[str, ...]:
        """Every SPDX id (canonical spelling), for suggestions."""
        return tuple(i.spdx_id for i in self.licenses)


def _license_info(lic: Any) -> LicenseInfo:
    key = str(lic.key)
    return LicenseInfo(
        key=key,
        spdx_id=str(lic.spdx_license_key or f"LicenseRef-scancode-{key}"),
        category=str(lic.category or ""),
        is_exception=bool(lic.is_exception),
        is_unknown=bool(lic.is_unknown),
        aliases=tuple(str(a) for a in (lic.other_spdx_license_keys or ()) if a and a.strip()),
    )


@functools.cache
def license_catalog() -> LicenseCatalog:
    """ScanCode's license database as a :class:`LicenseCatalog`, loaded once per process."""
    if _index_loaded:
        from licensedcode.cache import get_licenses_db  # noqa: PLC0415

        db = get_licenses_db()
    else:
        from licensedcode.models import load_licenses  # noqa: PLC0415

        db = load_licenses()
    return LicenseCatalog.build(_license_info(lic) for lic in db.values())


# --- license data for SBOMs ---


@dataclass(frozen=True, slots=True)
class LicenseText:
    """What an SBOM needs to know about one license or exception in ScanCode's data."""

    key: str  # ScanCode's key, e.g. ``gpl-2.0`` or ``proguard-exception-2.0``
    spdx_id: str  # the current SPDX id, or ``LicenseRef-scancode-<key>``
    name: str
    text: str  # may be empty: ScanCode has no text for "unknown" and a few generic keys
    is_exception: bool
    urls: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class LicenseTexts:
    """ScanCode's license data, indexed for SBOM writers.

    ``by_id`` maps every current SPDX id and every ``LicenseRef-scancode-*`` id to its
    license; ``current`` maps deprecated SPDX ids (``GPL-2.0``) and ids ScanCode has since
    moved to the SPDX list (``LicenseRef-scancode-x11-opengroup``) to the current id.
    """

    by_id: dict[str, LicenseText]
    current: dict[str, str]


def _license_text(lic: Any) -> LicenseText:
    urls = [lic.spdx_url, lic.homepage_url, *(lic.text_urls or ()), *(lic.other_urls or ())]
    return LicenseText(
        key=str(lic.key),
        spdx_id=str(lic.spdx_license_key or f"LicenseRef-scancode-{lic.key}"),
        name=str(lic.name or lic.short_name or lic.key),
        text=str(lic.text or ""),
        is_exception=bool(lic.is_exception),
        urls=tuple(dict.fromkeys(str(u) for u in urls if u)),
    )


@functools.cache
def license_texts() -> LicenseTexts:
    """ScanCode's license database as a :class:`LicenseTexts` (built once per process).

    The database alone loads from the license files in about a second; the index's copy is
    reused when the index is already in memory (after a scan in this process).
    """
    if _index_loaded:
        from licensedcode.cache import get_licenses_db  # noqa: PLC0415

        db = get_licenses_db()
    else:
        from licensedcode.models import load_licenses  # noqa: PLC0415

        db = load_licenses()
    by_id: dict[str, LicenseText] = {}
    current: dict[str, str] = {}
    for key, lic in sorted(db.items()):
        data = _license_text(lic)
        by_id.setdefault(data.spdx_id, data)
        # Every ScanCode key is also reachable as LicenseRef-scancode-<key>, which is how
        # ScanCode writes licenses that are not (or were not yet) on the SPDX list.
        by_id.setdefault(f"LicenseRef-scancode-{key}", data)
        for other in lic.other_spdx_license_keys or ():
            if str(other) != data.spdx_id:
                current.setdefault(str(other), data.spdx_id)
    return LicenseTexts(by_id=by_id, current=current)
