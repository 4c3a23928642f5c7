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
import heapq
import logging
import os
import sys
import uuid
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from ospo_scan.model import (
    AuthorStatement,
    CopyrightStatement,
    Dependency,
    LicenseDetection,
    LicenseMatch,
    MatchKind,
    Package,
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


@functools.cache
def scancode_version() -> str:
    """The installed scancode-toolkit version, read without importing it.

    The name of its ``.dist-info`` folder says it; ``importlib.metadata`` (which reads the
    same folder, but takes longer to import than a warm re-scan takes to look its tree up)
    is the fallback.
    """
    for folder in sys.path:
        try:
            names = os.listdir(folder or ".")  # noqa: PTH208
        except OSError:
            continue
        for name in names:
            if name.startswith("scancode_toolkit-") and name.endswith(".dist-info"):
                return name[len("scancode_toolkit-") : -len(".dist-info")]
    import importlib.metadata  # noqa: PLC0415

    try:
        return importlib.metadata.version("scancode-toolkit")
    except importlib.metadata.PackageNotFoundError:  # pragma: no cover - broken install
        return "unknown"


@functools.cache
def spdx_license_list_version() -> str:
    """The SPDX license list version that ScanCode's license data follows.

    Read from ``scancode_config.py``'s text when it is not imported yet: importing it costs a
    warm re-scan 24 ms and makes a temporary folder, for one constant.
    """
    if "scancode_config" not in sys.modules:
        import contextlib  # noqa: PLC0415
        import re  # noqa: PLC0415
        from pathlib import Path  # noqa: PLC0415

        source = _scancode_config_source()
        with contextlib.suppress(OSError, UnicodeDecodeError, TypeError):
            text = Path(source).read_text(encoding="utf-8") if source else ""
            found = re.search(r"^spdx_license_list_version\s*=\s*['\"]([^'\"]+)['\"]", text, re.M)
            if found:
                return found.group(1)
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
    # Beautiful Soup, which ScanCode uses to strip markup, logs a warning for every file with
    # bytes it cannot decode; with no logging set up, Python prints each one to stderr. The
    # scan records undecodable files itself (``undecodable`` issue), so the noise goes.
    logging.getLogger("bs4").setLevel(logging.ERROR)
    _index_loaded = True


@functools.cache
def license_index_identity() -> str:
    """A stable identity of the license data in use: ScanCode version plus a digest of rules.

    Two installs that would detect differently get different identities; it keys caches and
    tells a reader of a saved result which data produced it.
    """
    if _known_identity is not None:
        return _known_identity
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
        license_expression_spdx=str(spdx) if spdx else _spdx(expression),
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
    from commoncode.text import python_safe_name  # noqa: PLC0415

    content = repr(tuple(sorted(identifiers)))
    digest = hashlib.sha1(content.encode("utf-8")).hexdigest()[:32]  # noqa: S324 -- an id
    return f"{python_safe_name(expression)}-{uuid.UUID(hex=digest)}"


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


# --- packages ---
#
# Package manifests, lockfiles and installed-package metadata, through ScanCode's
# ``packagedcode``. Parsing happens per file (in the scan workers); assembly into packages and
# dependencies happens once, in the parent, over a virtual codebase of the scanned paths, with
# ScanCode's own per-ecosystem ``assemble()``. Nothing here executes code from the scanned tree:
# ScanCode reads setup.py with ``ast`` (packagedcode/pypi_setup_py.py) and every other format
# as data.

#: ScanCode datasources of installed Python metadata, where PEP 639 ``License-Expression``
#: may be the only license field (ScanCode 32.5 does not read it).
_PYPI_METADATA_DATASOURCES = frozenset({"pypi_wheel_metadata", "pypi_sdist_pkginfo"})

#: The prefix under which scanned paths are put in ScanCode's virtual codebase: its
#: assembly expects one root folder above everything.
_VIRTUAL_ROOT = "ospo-scan-root"

#: Party roles that name who supplies a package, most telling first.
_SUPPLIER_ROLES = ("author", "maintainer", "owner", "vendor", "publisher", "developer")


@dataclass(frozen=True, slots=True)
class PackageDataFindings:
    """What ScanCode's package parsers made of one datafile.

    ``package_data`` holds ScanCode's own ``PackageData`` mappings (plain, picklable data):
    they only travel from a worker back to :func:`assemble_packages`; nothing else reads them.
    ``errors`` says why a parser failed on the file (a malformed manifest or lockfile).
    """

    package_data: tuple[dict[str, Any], ...] = ()
    errors: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Assembled:
    """ScanCode's packages and dependencies, and the datafiles it could not assemble."""

    packages: tuple[AssembledPackage, ...] = ()
    dependencies: tuple[AssembledDependency, ...] = ()
    errors: tuple[tuple[str, str], ...] = ()  # (datafile path, message)


@dataclass(frozen=True, slots=True)
class AssembledPackage:
    """A package as ScanCode assembled it, before its license is concluded."""

    package: Package
    uid: str  # ScanCode's package_uid, to tie dependencies and files to it
    files: tuple[str, ...]  # paths ScanCode assigned to the package (relative to the root)
    #: The declared license as ScanCode detected it in the metadata (its matches' ``kind``
    #: is ``tag``): what "the same license as the package" refers to when the metadata
    #: states one.
    declared_detections: tuple[LicenseDetection, ...] = ()


@dataclass(frozen=True, slots=True)
class AssembledDependency:
    """A dependency as ScanCode assembled it, before its license is resolved."""

    dependency: Dependency
    is_runtime: bool
    is_optional: bool
    datasource_id: str
    for_package_uid: str | None
    lockfile_license_spdx: str | None  # a license its lockfile entry states, if any
    lock_path: str | None = None  # where the lockfile installs it (node_modules/a/node_modules/b)


def load_package_handlers() -> None:
    """Load ScanCode's datafile patterns and parsers (about a second), once per process.

    Called before worker processes are forked, so that they share them like the index.
    """
    import packagedcode  # noqa: PLC0415, F401 -- imports every parser module

    _package_matcher()


def _package_matcher() -> Any:
    from packagedcode.cache import get_cache  # noqa: PLC0415

    return get_cache().application_package_matcher


def is_package_datafile(location: str) -> bool:
    """True when ``location``'s path looks like a datafile some ScanCode parser handles.

    This is ScanCode's fast path-pattern pre-match, without opening the file.
    """
    return bool(_package_matcher().match(location.replace("\\", "/")))


def parse_package_data(location: str) -> PackageDataFindings:
    """Parse the datafile at ``location`` with every ScanCode handler that recognises it.

    Unlike ``scancode.api.get_package_data`` (which swallows every exception), a parser that
    fails is reported in ``errors``, so that a broken package.json is an error on that file
    rather than silence. Declared license statements are run through ScanCode's license
    detection, as ScanCode does, which gives SPDX expressions.
    """
    load_index()
    found: list[dict[str, Any]] = []
    errors: list[str] = []
    for handler_id, handler in _datafile_handlers(location):
        try:
            parsed = [pd.to_dict() for pd in handler.parse(location=location, package_only=False)]
        except NotImplementedError:
            continue  # a format ScanCode recognises but cannot read yet: not the file's fault
        except Exception as exc:  # noqa: BLE001 -- a bad manifest must never abort a scan
            if _names_the_file(handler, location):
                errors.append(f"{handler.description or handler_id}: {type(exc).__name__}: {exc}")
            continue
        for data in parsed:
            if data.get("datasource_id") in _PYPI_METADATA_DATASOURCES:
                _add_pep639_license(location, data)
            elif data.get("datasource_id") == "pypi_poetry_pyproject_toml":
                _fix_poetry_name(location, data)
            elif data.get("datasource_id") in _LOCK_LICENSE_READERS:
                _add_lock_licenses(location, data)
            _settle_lockfile_licenses(data)
            found.append(data)
    return PackageDataFindings(package_data=tuple(found), errors=tuple(errors))


def _datafile_handlers(location: str) -> list[tuple[str, Any]]:
    """The ScanCode handlers (datasource id, handler) that take ``location`` as a datafile."""
    from packagedcode import HANDLER_BY_DATASOURCE_ID  # noqa: PLC0415
    from packagedcode.cache import get_cache  # noqa: PLC0415

    cache = get_cache()
    handler_ids: list[str] = []
    for regex, _match in _package_matcher().match(location.replace("\\", "/")):
        for handler_id in cache.handler_by_regex.get(regex.pattern, ()):
            if handler_id not in handler_ids:
                handler_ids.append(handler_id)
    handlers: list[tuple[str, Any]] = []
    for handler_id in handler_ids:
        handler = HANDLER_BY_DATASOURCE_ID.get(handler_id)
        if handler is not None and handler.is_datafile(location):
            handlers.append((handler_id, handler))
    return handlers


#: Bump when :func:`parse_package_data` changes what it makes of the same datafile.
PACKAGE_PARSE_FORMAT = "1"

#: Datasources whose ScanCode parser (and our additions to it) reads nothing but the
#: datafile's own bytes, and its name. Checked in scancode-toolkit 32.5: every other parser
#: was not checked, and some read more: Python metadata (``PKG-INFO``, ``METADATA``) goes
#: through ``importlib.metadata`` over its whole folder and a sibling ``DESCRIPTION.rst``;
#: ``setup.py`` looks for ``__version__`` in the source files beside it; BUILD files, Chef
#: metadata and Debian copyright files take the package name from a parent folder's name.
#: Those not listed here or in :data:`_FOLDER_READING_DATASOURCES` are not cached.
_CONTENT_ONLY_DATASOURCES = frozenset(
    {
        "npm_package_json",
        "npm_package_lock_json",
        "npm_shrinkwrap_json",
        "yarn_lock_v1",
        "yarn_lock_v2",
        "pnpm_lock_yaml",
        "pnpm_shrinkwrap_yaml",
        "pnpm_workspace_yaml",
        "pypi_pyproject_toml",
        "pypi_poetry_pyproject_toml",
        "pypi_poetry_lock",
        "pip_requirements",  # nested ``-r`` files are not followed (include_nested=False)
        "pipfile_lock",
        "pypi_setup_cfg",
        "php_composer_json",
        "php_composer_lock",
        "cargo_toml",
        "cargo_lock",
        "gemfile_lock",
        "go_mod",
        "go_sum",
        "pypi_egg",  # reads only the PKG-INFO inside its own zip
    }
)

#: Parsers that read, besides their datafile, only files in its folder and below it
#: (setup.py looks for ``__version__`` in the sources beside it).
_SUBTREE_READING_DATASOURCES = frozenset({"pypi_setup_py"})


#: Python metadata: ScanCode's ``parse_metadata`` reads the datafile's folder through
#: ``importlib.metadata`` (``RECORD``, ``requires.txt``, ``SOURCES.txt``...) when that folder's
#: name ends in ``.dist-info`` or ``.egg-info``, and a ``DESCRIPTION.rst`` beside the file:
#: files directly in that folder, nothing deeper or above. Their key covers the folder's name
#: and the name and content of every entry directly in it.
_FOLDER_READING_DATASOURCES = frozenset(
    {"pypi_wheel_metadata", "pypi_sdist_pkginfo", "pypi_egg_pkginfo", "pypi_editable_egg_pkginfo"}
)


def _folder_identity(folder: str) -> dict[str, Any]:
    """The name of ``folder`` and the name and SHA-256 of every entry directly in it.

    A symbolic link in the folder raises :class:`ValueError`: what the parser would read
    through it is not ours to hash (it may lead out of the scanned tree), so no key.
    """
    entries: list[list[str]] = []
    with os.scandir(folder) as listing:
        for item in listing:
            if item.is_symlink():
                raise ValueError(f"symbolic link in {folder}")
            if item.is_file():
                digest = hashlib.sha256()
                with open(item.path, "rb") as handle:  # noqa: PTH123
                    while chunk := handle.read(1 << 20):
                        digest.update(chunk)
                entries.append([item.name, digest.hexdigest()])
            else:
                entries.append([item.name, "not a file"])
    entries.sort()
    return {"name": os.path.basename(folder), "entries": entries}  # noqa: PTH119


def folder_identity(folder: str) -> dict[str, Any]:
    """What :func:`package_parse_key` records of a Python metadata datafile's ``folder``.

    The same value means the parse would read the same folder; raises :class:`OSError` or
    :class:`ValueError` when the folder cannot be identified. Needs no ScanCode import.
    """
    return _folder_identity(folder)


def _parse_is_keyable(handler_id: str, handler: Any) -> bool:
    """True when what ``handler`` reads is covered by :func:`package_parse_key`'s key."""
    from packagedcode.models import DatafileHandler  # noqa: PLC0415

    if handler_id in _CONTENT_ONLY_DATASOURCES or handler_id in _FOLDER_READING_DATASOURCES:
        return True
    # Formats ScanCode recognises but cannot read yet (Meteor's package.js...) keep the base
    # parse, which raises NotImplementedError and reads nothing.
    return getattr(handler.parse, "__func__", None) is DatafileHandler.parse.__func__


def reads_only_its_subtree(location: str) -> bool:
    """True when every parser of the datafile ``location`` reads nothing but files in its
    folder or below (the datafile included): what the whole-tree cache can vouch for when
    that subtree was walked in full."""
    handlers = _datafile_handlers(location)
    return bool(handlers) and all(
        handler_id in _SUBTREE_READING_DATASOURCES or _parse_is_keyable(handler_id, handler)
        for handler_id, handler in handlers
    )


def package_parse_key(location: str) -> dict[str, Any] | None:
    """What, besides its bytes, decides what :func:`parse_package_data` makes of ``location``.

    That is the file's name (``pip_requirements`` reads it; our error reporting does too) and
    the handlers that take it (chosen by path patterns over the whole path, and by content).
    None when some handler may read more than the file (other files, folder names): such a
    datafile's parse cannot be cached by content. Python metadata also reads its folder: the
    key then covers that folder's name and files. Needs no license index.
    """
    try:
        handlers = _datafile_handlers(location)
        if not all(_parse_is_keyable(i, handler) for i, handler in handlers):
            return None
        ids = [handler_id for handler_id, _handler in handlers]
        name = location.replace("\\", "/").rpartition("/")[2]
        key: dict[str, Any] = {"format": PACKAGE_PARSE_FORMAT, "name": name, "handlers": ids}
        if any(i in _FOLDER_READING_DATASOURCES for i in ids):
            folder = os.path.dirname(os.path.abspath(location))  # noqa: PTH100, PTH120
            key["folder"] = _folder_identity(folder)
    except Exception:  # noqa: BLE001 -- the parse reports it; the cache just stays out of it
        return None
    return key


def _names_the_file(handler: Any, location: str) -> bool:
    """True when one of ``handler``'s patterns matches the file's own name.

    ScanCode matches patterns such as ``*env*.yaml`` (Conda) against the whole path, so
    ``venv/lib/.../port.yaml`` "matches": a parser failing on such a file says nothing about
    a broken manifest, and is no error of the file.
    """
    import fnmatch  # noqa: PLC0415

    name = location.replace("\\", "/").rpartition("/")[2]
    return any(
        fnmatch.fnmatchcase(name, pattern.rpartition("/")[2]) for pattern in handler.path_patterns
    )


def _add_pep639_license(location: str, data: dict[str, Any]) -> None:
    """Take PEP 639 ``License-Expression`` from Python metadata: it overrides the rest."""
    import email.parser  # noqa: PLC0415

    with open(location, encoding="utf-8", errors="replace") as handle:  # noqa: PTH123
        headers = email.parser.Parser().parse(handle, headersonly=True)
    expression = headers.get("License-Expression")
    if not expression or not str(expression).strip():
        return
    expression = str(expression).strip()
    keys, spdx = declared_license_to_spdx(expression)
    if not keys:
        return
    data["extracted_license_statement"] = expression
    data["declared_license_expression"] = keys
    data["declared_license_expression_spdx"] = spdx


def declared_license_to_spdx(statement: str) -> tuple[str | None, str | None]:
    """A declared license statement as (ScanCode keys, SPDX), the way ScanCode reads manifests.

    A valid SPDX expression is read as one (deprecated ids such as ``GPL-2.0+`` become current
    ones); anything else goes through license detection. Unrecognised text gives ScanCode's
    ``unknown`` keys rather than a guess.
    """
    from packagedcode.licensing import get_only_expression_from_extracted_license  # noqa: PLC0415

    load_index()
    keys = get_only_expression_from_extracted_license(statement)
    if not keys:
        return None, None
    return str(keys), _spdx(str(keys))


def _read_json(location: str) -> Any:
    import json  # noqa: PLC0415

    try:
        with open(location, encoding="utf-8") as handle:  # noqa: PTH123
            return json.load(handle)
    except (OSError, ValueError):
        return None


def _npm_lock_licenses(lock: Any) -> dict[tuple[str, str], str]:
    """(name, version) -> ``license`` of each package-lock.json v2/v3 entry."""
    entries = lock.get("packages") if isinstance(lock, dict) else None
    licenses: dict[tuple[str, str], str] = {}
    if not isinstance(entries, dict):
        return licenses
    for path, entry in entries.items():
        if not isinstance(entry, dict) or "node_modules/" not in f"/{path}":
            continue
        name = str(entry.get("name") or path.rpartition("node_modules/")[2])
        statement = entry.get("license")
        if isinstance(statement, str) and statement.strip() and entry.get("version"):
            licenses.setdefault((name, str(entry["version"])), statement.strip())
    return licenses


def _composer_lock_licenses(lock: Any) -> dict[tuple[str, str], str]:
    """(name, version) -> ``license`` of each composer.lock entry (a list means a choice)."""
    licenses: dict[tuple[str, str], str] = {}
    if not isinstance(lock, dict):
        return licenses
    for section in ("packages", "packages-dev"):
        for entry in lock.get(section) or ():
            if not isinstance(entry, dict) or not entry.get("name") or not entry.get("version"):
                continue
            stated = entry.get("license")
            names = [stated] if isinstance(stated, str) else stated
            if isinstance(names, list) and names and all(isinstance(n, str) for n in names):
                joined = " OR ".join(f"({n})" if " " in n else n for n in names)
                licenses.setdefault((str(entry["name"]), str(entry["version"])), joined)
    return licenses


#: Lockfiles whose entries state a license that ScanCode 32.5 does not keep.
_LOCK_LICENSE_READERS = {
    "npm_package_lock_json": _npm_lock_licenses,
    "php_composer_lock": _composer_lock_licenses,
}


def _add_lock_licenses(location: str, data: dict[str, Any]) -> None:
    """Keep the license each lockfile entry states, on the dependency's resolved package.

    ScanCode 32.5 drops it; with it, a dependency that is locked but not installed still has
    the license its lockfile states.
    """
    from packageurl import PackageURL  # noqa: PLC0415

    reader = _LOCK_LICENSE_READERS.get(str(data.get("datasource_id")))
    lock = _read_json(location) if reader else None
    licenses = reader(lock) if reader and lock is not None else {}
    if not licenses:
        return
    spdx_of: dict[str, str | None] = {}
    for dependency in data.get("dependencies") or ():
        resolved = dependency.get("resolved_package") or {}
        if resolved.get("declared_license_expression_spdx"):
            continue
        try:
            purl = PackageURL.from_string(str(dependency.get("purl")))
        except ValueError:
            continue
        full = f"{purl.namespace}/{purl.name}" if purl.namespace else purl.name
        version = purl.version or resolved.get("version")
        stated = licenses.get((full, str(version)))
        if stated is None:
            continue
        if stated not in spdx_of:
            spdx_of[stated] = declared_license_to_spdx(stated)[1]
        resolved["extracted_license_statement"] = stated
        resolved["declared_license_expression_spdx"] = spdx_of[stated]
        dependency["resolved_package"] = resolved


def _fix_poetry_name(location: str, data: dict[str, Any]) -> None:
    """Restore a Poetry project's name and purl.

    ScanCode 32.5's Poetry parser reuses the variable ``name`` for the dependency groups it
    walks, so a project with groups comes out named after its last dev dependency.
    """
    from packageurl import PackageURL  # noqa: PLC0415

    try:
        if sys.version_info >= (3, 11):
            import tomllib  # noqa: PLC0415

            with open(location, "rb") as handle:  # noqa: PTH123
                document = tomllib.load(handle)
        else:  # pragma: no cover - Python 3.10
            import toml  # type: ignore[import-untyped,unused-ignore]  # noqa: PLC0415

            document = toml.load(location)
    except Exception:  # noqa: BLE001 -- ScanCode read it; keep its reading if ours fails
        return
    name = document.get("tool", {}).get("poetry", {}).get("name")
    if not isinstance(name, str) or not name or name == data.get("name"):
        return
    data["name"] = name
    data["purl"] = PackageURL(type="pypi", name=name, version=data.get("version")).to_string()


def assemble_packages(
    paths: Iterable[str],
    package_data: dict[str, tuple[dict[str, Any], ...]],
) -> Assembled:
    """Assemble packages and dependencies from parsed datafiles, as ``scancode --package`` does.

    ``paths`` are all the scanned file paths (relative, POSIX): ScanCode's per-ecosystem
    assembly looks at siblings (package.json beside its package-lock.json) and assigns the
    files of each package. ``package_data`` maps a datafile's path to what
    :func:`parse_package_data` found in it.
    """
    from commoncode.resource import VirtualCodebase  # noqa: PLC0415
    from packagedcode.plugin_package import PackageScanner  # noqa: PLC0415

    if not package_data:
        return Assembled()
    prefix = _VIRTUAL_ROOT + "/"
    files = [
        {
            "path": prefix + path,
            "type": "file",
            "package_data": [dict(d) for d in package_data.get(path, ())],
            "for_packages": [],
        }
        for path in dict.fromkeys([*paths, *package_data])
    ]
    codebase = VirtualCodebase(
        location={"files": files},
        resource_attributes=PackageScanner.resource_attributes,
        codebase_attributes=PackageScanner.codebase_attributes,
        max_in_memory=0,
    )
    sc_packages, sc_dependencies, failures = _assemble(codebase)

    def strip(path: str) -> str:
        return path[len(prefix) :] if path.startswith(prefix) else path

    files_by_uid: dict[str, list[str]] = {}
    for resource in codebase.walk():
        if resource.is_file:
            for uid in resource.for_packages:
                files_by_uid.setdefault(uid, []).append(strip(resource.path))
    errors = [(strip(path), f"cannot assemble the package: {msg}") for path, msg in failures]
    packages = tuple(
        AssembledPackage(
            package=_to_package(p.to_dict(), strip),
            uid=str(p.package_uid),
            files=tuple(sorted(files_by_uid.get(str(p.package_uid), ()))),
            declared_detections=_declared_detections(p.to_dict()),
        )
        for p in sc_packages
    )
    purl_by_uid = {a.uid: a.package.purl for a in packages}
    dependencies = tuple(_to_dependency(d.to_dict(), strip, purl_by_uid) for d in sc_dependencies)
    return Assembled(packages, dependencies, tuple(errors))


def _declared_detections(data: dict[str, Any]) -> tuple[LicenseDetection, ...]:
    """A package's declared-license detections, from its ScanCode mapping."""
    detections = []
    for detection in data.get("license_detections") or ():
        expression = _text(detection.get("license_expression"))
        raw_matches = detection.get("matches") or ()
        if not expression or not raw_matches:
            continue
        matches = tuple(
            LicenseMatch(
                license_expression=str(m["license_expression"]),
                license_expression_spdx=str(m.get("license_expression_spdx") or ""),
                kind=MatchKind.TAG,
                score=float(m.get("score") or 0.0),
                start_line=max(1, int(m.get("start_line") or 1)),
                end_line=max(1, int(m.get("end_line") or 1)),
                matched_length=int(m.get("matched_length") or 0),
                match_coverage=float(m.get("match_coverage") or 0.0),
                matcher=str(m.get("matcher") or ""),
                rule_identifier=str(m.get("rule_identifier") or ""),
                rule_relevance=int(m.get("rule_relevance") or 0),
            )
            for m in raw_matches
        )
        lead = max(matches, key=lambda m: (m.score, m.matched_length))
        detections.append(
            LicenseDetection(
                license_expression=expression,
                license_expression_spdx=str(detection.get("license_expression_spdx") or ""),
                kind=MatchKind.TAG,
                score=lead.score,
                start_line=min(m.start_line for m in matches),
                end_line=max(m.end_line for m in matches),
                rule_identifier=lead.rule_identifier,
                identifier=str(detection.get("identifier") or ""),
                matches=matches,
            )
        )
    return tuple(detections)


def _assemble(codebase: Any) -> tuple[list[Any], list[Any], list[tuple[str, str]]]:
    """ScanCode's ``get_package_and_deps``, with the deepest datafiles first.

    ScanCode walks bottom-up but takes a folder's files before its sub-folders, so a Python
    project at the root (whose assembly claims every file below it but ``site-packages``) is
    assembled first and hides the package.json files of a nested ``node_modules``, or a
    nested Poetry project, which are then never assembled. Deepest first, each datafile is
    assembled by its own handler before an enclosing project claims it.
    """
    from packagedcode import get_package_handler  # noqa: PLC0415
    from packagedcode.models import Dependency as ScDependency  # noqa: PLC0415
    from packagedcode.models import Package as ScPackage  # noqa: PLC0415
    from packagedcode.models import PackageData  # noqa: PLC0415

    packages: list[Any] = []
    dependencies: list[Any] = []
    errors: list[tuple[str, str]] = []
    seen: set[str] = set()
    datafiles = [r for r in codebase.walk(topdown=False) if r.is_file and r.package_data]
    datafiles.sort(key=lambda r: (-r.path.count("/"), r.path))
    for listed in datafiles:
        if listed.path in seen:
            continue
        # Handlers update resources as they go: always work on the current copy.
        resource = codebase.get_resource(listed.path)
        for mapping in resource.package_data:
            try:
                package_data = PackageData.from_dict(mapping=mapping)
                handler = get_package_handler(package_data)
                for item in handler.assemble(
                    package_data=package_data, resource=resource, codebase=codebase,
                    package_adder=_add_to_package,
                ):  # fmt: skip
                    if isinstance(item, ScPackage):
                        packages.append(item)
                    elif isinstance(item, ScDependency):
                        dependencies.append(item)
                    else:
                        seen.add(item.path)
            except Exception as exc:  # noqa: BLE001 -- one bad datafile must not stop the rest
                errors.append((resource.path, f"{type(exc).__name__}: {exc}"[:300]))
    return packages, dependencies, errors


def _add_to_package(package_uid: str, resource: Any, codebase: Any) -> None:
    from packagedcode.models import add_to_package  # noqa: PLC0415

    add_to_package(package_uid, resource, codebase)


def _supplier(parties: Iterable[dict[str, Any]]) -> str | None:
    named = [p for p in parties if p.get("name")]
    for role in _SUPPLIER_ROLES:
        for party in named:
            if party.get("role") == role:
                return str(party["name"])
    return str(named[0]["name"]) if named else None


#: Public forges whose URLs name the owner (user or organisation) first: ``host/owner/repo``.
_FORGES = frozenset({"github.com", "gitlab.com", "bitbucket.org", "codeberg.org"})


def _repository_owner(vcs_url: Any) -> str | None:
    """The owner of a package's source repository on a public forge, from its VCS URL.

    Used as the supplier when the metadata names no author, maintainer or publisher: the
    owner of the repository is who creates and publishes the component (NTIA's "supplier").
    ``git+https://github.com/pillarjs/path-to-regexp.git`` gives ``pillarjs``.
    """
    from urllib.parse import urlsplit  # noqa: PLC0415

    text = _text(vcs_url)
    if not text:
        return None
    text = text.split("+", 1)[-1] if text.startswith("git+") else text
    if text.startswith("git@") and ":" in text:  # git@github.com:owner/repo.git
        host, _, path = text[4:].partition(":")
    else:
        parts = urlsplit(text)
        host, path = parts.hostname or "", parts.path
    owner = path.strip("/").split("/", 1)[0]
    return owner if host.lower() in _FORGES and owner else None


def _text(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _as_written(statement: Any) -> str | None:
    """The declared license statement; ScanCode stores npm's ``"MIT"`` as the YAML ``- MIT``."""
    text = _text(statement)
    if text and text.startswith("- ") and "\n" not in text:
        return text[2:].strip() or None
    return text


def _to_package(data: dict[str, Any], strip: Any) -> Package:
    datafiles = tuple(strip(p) for p in data.get("datafile_paths") or ())
    root = datafiles[0].rpartition("/")[0] if datafiles else None
    if root is not None and root.endswith(".egg-info"):
        # A source checkout's foo.egg-info/PKG-INFO: the project is the folder above.
        root = root.rpartition("/")[0]
    return Package(
        purl=str(data["purl"]),
        type=str(data.get("type") or ""),
        namespace=_text(data.get("namespace")),
        name=str(data.get("name") or ""),
        version=_text(data.get("version")),
        root_path=root,
        datafile_paths=datafiles,
        declared_license=_as_written(data.get("extracted_license_statement")),
        declared_license_spdx=_text(data.get("declared_license_expression_spdx")),
        homepage_url=_text(data.get("homepage_url") or data.get("repository_homepage_url")),
        download_url=_text(data.get("download_url") or data.get("repository_download_url")),
        supplier=_supplier(data.get("parties") or ()) or _repository_owner(data.get("vcs_url")),
        copyright=_text(data.get("copyright")),
    )


def _to_dependency(
    data: dict[str, Any], strip: Any, purl_by_uid: dict[str, str]
) -> AssembledDependency:
    from packageurl import PackageURL  # noqa: PLC0415

    purl = str(data["purl"])
    resolved = data.get("resolved_package") or {}
    parsed = PackageURL.from_string(purl)
    version = _text(parsed.version) or _text(resolved.get("version"))
    if version and not parsed.version:
        purl = PackageURL(
            type=parsed.type, namespace=parsed.namespace, name=parsed.name, version=version
        ).to_string()
    name = f"{parsed.namespace}/{parsed.name}" if parsed.namespace else parsed.name
    for_uid = _text(data.get("for_package_uid"))
    dependency = Dependency(
        purl=purl,
        name=name,
        datafile_path=strip(str(data.get("datafile_path") or "")),
        scope_as_written=_text(data.get("scope")),
        is_direct=bool(data.get("is_direct", True)),
        extracted_requirement=_text(data.get("extracted_requirement")),
        resolved_version=version,
        for_package=purl_by_uid.get(for_uid) if for_uid else None,
    )
    return AssembledDependency(
        dependency=dependency,
        is_runtime=bool(data.get("is_runtime", True)),
        is_optional=bool(data.get("is_optional", False)),
        datasource_id=str(data.get("datasource_id") or ""),
        for_package_uid=for_uid,
        lockfile_license_spdx=_lockfile_license(resolved),
        lock_path=_lock_path(resolved),
    )


def purl_with_version(purl: str, version: str) -> str:
    """``purl`` with ``version`` in it (percent-encoded as the purl spec wants)."""
    from packageurl import PackageURL  # noqa: PLC0415

    parsed = PackageURL.from_string(purl)
    return PackageURL(
        type=parsed.type,
        namespace=parsed.namespace,
        name=parsed.name,
        version=version,
        qualifiers=parsed.qualifiers,
        subpath=parsed.subpath,
    ).to_string()


def _lock_path(resolved: dict[str, Any]) -> str | None:
    """The install path a lockfile entry records (ScanCode nests it in lists)."""
    references: Any = resolved.get("file_references") or ()
    while isinstance(references, list) and references and isinstance(references[0], list):
        references = references[0]
    for reference in references:
        if isinstance(reference, dict) and reference.get("path"):
            return str(reference["path"])
    return None


#: Where :func:`parse_package_data` leaves a lockfile entry's license, as SPDX (or None).
_LOCKFILE_LICENSE_KEY = "ospo_scan_lockfile_license_spdx"


def _settle_lockfile_licenses(data: dict[str, Any]) -> None:
    """Work out, while parsing, the license each lockfile entry states.

    Done here rather than at assembly: a statement that is not already an SPDX expression
    needs license detection, hence the license index, and the parse is what the findings
    cache keeps, so a warm re-scan assembles without the index.
    """
    for dependency in data.get("dependencies") or ():
        resolved = dependency.get("resolved_package") if isinstance(dependency, dict) else None
        if isinstance(resolved, dict) and resolved:
            resolved[_LOCKFILE_LICENSE_KEY] = _lockfile_license(resolved)


def _lockfile_license(resolved: dict[str, Any]) -> str | None:
    """The license a lockfile entry states (composer.lock does; most lockfiles do not)."""
    if _LOCKFILE_LICENSE_KEY in resolved:
        return _text(resolved[_LOCKFILE_LICENSE_KEY])
    spdx = _text(resolved.get("declared_license_expression_spdx"))
    if spdx:
        return spdx
    statement = _text(resolved.get("extracted_license_statement"))
    return declared_license_to_spdx(statement)[1] if statement else None


# --- fast path ---
#
# ScanCode's approximate matcher is most of its cost: for every query run that holds a legal
# word it ranks *all* ~37,000 rules by token-set similarity in a Python loop
# (``licensedcode.match_set.compute_candidates``), and most files that hold a legal word hold
# no license at all. Step one of that ranking drops every rule that (a) shares no legalese
# token with the run, (b) needs more distinct legalese tokens than the run has
# (``min_high_matched_length_unique``) or (c) needs more distinct tokens than the run has
# (``min_matched_length_unique``). Those three are necessary conditions that an inverted
# index answers in a few set operations, so the fast path hands ScanCode's own ranking only
# the rules that pass them. The ranking, the alignment and everything after are ScanCode's,
# unchanged: the findings are the same, only the rules that could never be candidates are
# no longer looked at.


@dataclass(frozen=True, slots=True)
class _RulePrefilter:
    """Inverted index from legalese token id to the rules that hold it, plus length limits."""

    len_legalese: int
    legalese: Any  # intbitset of every legalese token id
    rids_by_legalese: tuple[Any, ...]  # intbitset of rule ids, by legalese token id
    high_sets: tuple[Any, ...]  # by rule id: its distinct legalese token ids (or None)
    rids_by_min_high: tuple[Any, ...]  # [n]: rules needing <= n distinct legalese tokens
    rids_with_min_high: tuple[Any, ...]  # [n]: rules needing max(1, n) exactly; [0] unused
    approx_matchable: Any  # intbitset of index.approx_matchable_rids


_LIMIT_STEPS = 256


def _intbitset() -> Any:
    """ScanCode's compressed integer set type (a C extension it depends on)."""
    from intbitset import intbitset  # type: ignore[import-not-found]  # noqa: PLC0415

    return intbitset


_prefilter: _RulePrefilter | None = None


def prepare_fast_path() -> None:
    """Build the fast path's rule index (about a second); call before forking workers.

    It also runs both detectors once on a small text, so that the regular expressions and
    libmagic that they set up on first use are set up once here, not in every worker.
    """
    global _prefilter  # noqa: PLW0603 -- one per process, shared by forked workers
    if _prefilter is not None:
        return
    intbitset = _intbitset()
    from licensedcode.cache import get_index  # noqa: PLC0415

    load_index()
    index = get_index()
    len_legalese = int(index.len_legalese)
    legalese = intbitset(range(len_legalese))
    postings: list[list[int]] = [[] for _ in range(len_legalese)]
    by_high: list[list[int]] = [[] for _ in range(_LIMIT_STEPS + 1)]
    high_sets: list[Any] = []
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        for rid, rule in enumerate(index.rules_by_rid):
            tokens = index.sets_by_rid[rid]
            if tokens is None:  # false-positive rules: never approximate candidates
                high_sets.append(None)
                continue
            high = tokens & legalese
            high_sets.append(high)
            for tid in high:
                postings[tid].append(rid)
            by_high[min(int(rule.min_high_matched_length_unique), _LIMIT_STEPS)].append(rid)
        _prefilter = _RulePrefilter(
            len_legalese=len_legalese,
            legalese=legalese,
            rids_by_legalese=tuple(intbitset(p) for p in postings),
            high_sets=tuple(high_sets),
            rids_by_min_high=_cumulative(by_high),
            rids_with_min_high=(
                intbitset(),
                intbitset(by_high[0] + by_high[1]),
                *(intbitset(bucket) for bucket in by_high[2:_LEVELS]),
            ),
            approx_matchable=intbitset(sorted(index.approx_matchable_rids)),
        )
    finally:
        if was_enabled:
            gc.enable()
    _warm_up()
    gc.freeze()


def fast_path_prepared() -> bool:
    """True once :func:`prepare_fast_path` has built the rule index in this process.

    A scan with only a few files to detect does not build it (it costs about a second) and
    detects with :func:`detect_licenses`: the same findings.
    """
    return _prefilter is not None


def _warm_up() -> None:
    import tempfile  # noqa: PLC0415

    sample = (
        "/* Copyright (c) 2020 Example Ltd. Written by A. Person.\n"
        " * SPDX-License-Identifier: MIT\n"
        " * Licensed under the Apache License, Version 2.0 */\n"
    )
    with tempfile.TemporaryDirectory() as folder:
        location = f"{folder}/sample.c"
        with open(location, "w", encoding="utf-8") as handle:  # noqa: PTH123
            handle.write(sample)
        detect_licenses_fast(location)
        detect_copyrights(location)
        detect_copyrights_fast(location)


def _cumulative(buckets: list[list[int]]) -> tuple[Any, ...]:
    intbitset = _intbitset()

    sets = []
    running = intbitset()
    for bucket in buckets:
        running = running | intbitset(bucket)
        sets.append(running)
    return tuple(sets)


#: Exact "shares at least n legalese tokens" sets are computed up to this n.
_LEVELS = 8


def _step_one_survivors(
    qset: Any, idx: Any, matchable_rids: Any, pre: _RulePrefilter
) -> list[tuple[int, Any, Any]]:
    """(rule id, intersection, legalese intersection), by rule id, of the rules that may pass
    step one of ``compute_candidates`` for ``qset``.

    Each test is a necessary condition of ``compare_token_sets(..., unique=True,
    filter_non_matching=True)`` returning scores: a non-empty legalese intersection at least
    ``min_high_matched_length_unique`` long, and an intersection at least
    ``min_matched_length_unique`` long. Rules failing one are rejected there too. The two
    intersections are ScanCode's own (``qset & iset`` and its legalese subset), so that the
    scores need not compute them again.
    """
    qhigh_set = qset & pre.legalese
    if not qhigh_set:
        return []
    survivors = []
    rules = idx.rules_by_rid
    sets_by_rid = idx.sets_by_rid
    high_sets = pre.high_sets
    for rid in _high_survivors(qhigh_set, idx, matchable_rids, pre):
        intersection = qset & sets_by_rid[rid]
        if len(intersection) >= rules[rid].min_matched_length_unique:
            survivors.append((rid, intersection, qhigh_set & high_sets[rid]))
    return survivors


#: Rules passing the legalese test, by the legalese token set (runs repeat those sets), as
#: compact integer sets; forgotten when they hold _HIGH_MEMO_RULES rule ids in all.
_high_memo: dict[bytes, Any] = {}
_HIGH_MEMO_RULES = 2_000_000
_high_memo_size = [0]


def _high_survivors(qhigh_set: Any, idx: Any, matchable_rids: Any, pre: _RulePrefilter) -> Any:
    """The ids of the matchable rules that share at least ``min_high_matched_length_unique``
    (and one) of the legalese tokens ``qhigh_set``: a pure function of ``qhigh_set`` for
    ScanCode's approximately matchable rules, so it is remembered for those."""
    intbitset = _intbitset()

    shared = matchable_rids is idx.approx_matchable_rids  # ScanCode's one long-lived set
    key = qhigh_set.fastdump()
    if shared:
        found = _high_memo.get(key)
        if found is not None:
            return found
    # at_least[n]: the rules that hold n or more of the run's distinct legalese tokens.
    at_least = [intbitset() for _ in range(_LEVELS + 1)]
    for seen, tid in enumerate(qhigh_set):
        posting = pre.rids_by_legalese[tid]
        for level in range(min(seen + 1, _LEVELS), 1, -1):
            at_least[level] |= at_least[level - 1] & posting
        at_least[1] |= posting
    possible = intbitset()
    for level in range(1, _LEVELS):
        possible |= at_least[level] & pre.rids_with_min_high[level]
    possible |= at_least[_LEVELS] & pre.rids_by_min_high[-1]  # still checked exactly below
    if shared:
        possible &= pre.approx_matchable
    else:
        possible &= intbitset(list(matchable_rids))
    rules = idx.rules_by_rid
    high_sets = pre.high_sets
    found = intbitset(
        [
            rid
            for rid in possible
            if len(qhigh_set & high_sets[rid]) >= max(1, rules[rid].min_high_matched_length_unique)
        ]
    )
    if shared:
        _high_memo_size[0] += len(found)
        if _high_memo_size[0] > _HIGH_MEMO_RULES:
            _high_memo.clear()
            _high_memo_size[0] = len(found)
        _high_memo[key] = found
    return found


def _unique_set_vectors(
    matched_length: int, resemblance: float, containment: float, threshold: float
) -> Any:
    """The scores of ``compare_token_sets(..., unique=True, filter_non_matching=True)`` for a
    rule that passed its checks (see :meth:`_ScoredRun.step_one`).

    The same arithmetic, in the same order, as scancode-toolkit 32.5.0 (Apache-2.0, (c) nexB
    Inc. and others), so that the scores and hence the ranking are identical. The vectors
    are plain tuples, which sort as ScanCode's ``ScoresVector`` named tuples do: step one's
    scores only rank, they are never returned.
    """
    amplified_resemblance = resemblance**2
    return (
        (
            round(resemblance, 1) >= threshold,
            round(containment, 1),
            round(amplified_resemblance, 1),
            round(matched_length / 20, 1),
        ),
        (resemblance >= threshold, containment, amplified_resemblance, matched_length),
    )


def _fast_compute_candidates(
    query_run: Any,
    idx: Any,
    matchable_rids: Any,
    top: int = 50,
    high_resemblance: bool = False,
    high_resemblance_threshold: float = 0.8,
    _use_bigrams: bool = False,
) -> list[Any]:
    """``licensedcode.match_set.compute_candidates`` of scancode-toolkit 32.5.0, narrowed.

    A copy of ScanCode's function (Apache-2.0, (c) nexB Inc. and others) whose step one
    walks only the rules from :func:`_step_one_survivors` instead of every rule, and scores
    them from the intersections computed there (only when it must rank them), and which keeps
    a run's scores for ScanCode's second ranking of the same run (:class:`_ScoredRun`); the
    rest is unchanged. With bigrams (off in ScanCode 32.5.0) it defers to the original.
    """
    from licensedcode import match_set as ms  # noqa: PLC0415

    if _use_bigrams:
        return list(
            _ORIGINAL_COMPUTE_CANDIDATES[0](
                query_run,
                idx,
                matchable_rids,
                top=top,
                high_resemblance=high_resemblance,
                high_resemblance_threshold=high_resemblance_threshold,
                _use_bigrams=_use_bigrams,
            )
        )
    run = _scored_run(query_run.matchable_tokens(), idx, matchable_rids, high_resemblance_threshold)
    # Step one keeps the top*10 rules by its scores, and step two's result depends only on
    # which rules it is given, not on their order (``filter_dupes`` ranks by full scores and
    # rule identifier, then all is sorted again). So when no more than top*10 rules pass,
    # all of them go on, and step one's scores need not be worked out at all.
    passing = run.highly_resemblant() if high_resemblance else run.passing
    if len(passing) > top * 10:
        # heapq.nlargest(n, items) is sorted(items, reverse=True)[:n], without sorting all.
        passing = [entry for _vectors, entry in heapq.nlargest(top * 10, run.step_one(passing))]
    if not passing:
        return []
    sortable = []
    for rid, rule, high_set_intersection, *_rest in passing:
        scores_vectors = run.step_two_scores(rid, rule)
        if scores_vectors and (
            not high_resemblance
            or (scores_vectors[0].is_highly_resemblant and scores_vectors[1].is_highly_resemblant)
        ):
            sortable.append((scores_vectors, rid, rule, high_set_intersection))
    if not sortable:
        return sortable
    return sorted(ms.filter_dupes(sortable), reverse=True)[:top]


class _ScoredRun:
    """One query run's step-one scores and the step-two scores computed so far.

    ScanCode ranks the same run twice for most files (the whole-file near-duplicate check,
    then each run, with other ``top`` and ``high_resemblance`` settings); the scores do not
    depend on those, so the second ranking reuses them.
    """

    def __init__(
        self, key: tuple[Any, ...], counts: Counter[int], idx: Any, threshold: float
    ) -> None:
        self.key = key
        #: (rule id, rule, legalese intersection, resemblance, containment, matched length)
        #: of each rule passing step one's checks, by rule id.
        self.passing: list[tuple[Any, ...]] = []
        self.intersections: dict[int, Any] = {}  # rule id -> step one's token set intersection
        self._counts = counts
        self._length = sum(counts.values())
        self._idx = idx
        self._threshold = threshold
        self._step_two: dict[int, Any] = {}

    def highly_resemblant(self) -> list[tuple[Any, ...]]:
        """The passing rules that step one keeps with ``high_resemblance``: those whose
        rounded and exact resemblances both reach the threshold."""
        threshold = self._threshold
        return [
            entry
            for entry in self.passing
            if round(entry[3], 1) >= threshold and entry[3] >= threshold
        ]

    def step_one(self, entries: list[tuple[Any, ...]]) -> list[tuple[Any, tuple[Any, ...]]]:
        """(step one's scores with the rule id, entry) of ``entries``: ScanCode's order."""
        threshold = self._threshold
        return [
            ((_unique_set_vectors(entry[5], entry[3], entry[4], threshold), entry[0]), entry)
            for entry in entries
        ]

    def step_two_scores(self, rid: int, rule: Any) -> Any:
        """``compare_token_sets`` on the multisets, as ScanCode's step two calls it.

        The multiset intersection has the keys of the set intersection that step one
        computed, each with the smaller of its two counts; so it is built from those keys
        rather than by walking the smaller multiset whole. The checks and the arithmetic are
        ScanCode's, in its order.
        """
        from licensedcode.match_set import ScoresVector  # noqa: PLC0415

        try:
            return self._step_two[rid]
        except KeyError:
            pass
        counts = self._counts
        rule_counts = self._idx.msets_by_rid[rid]
        len_legalese = self._idx.len_legalese
        matched_length = high_matched_length = 0
        for tid in self.intersections[rid]:
            count = min(counts[tid], rule_counts[tid])
            matched_length += count
            if tid < len_legalese:
                high_matched_length += count
        scores: Any = None
        if (
            high_matched_length
            and high_matched_length >= rule.min_high_matched_length
            and matched_length >= rule.min_matched_length
        ):
            iset_len = rule.length
            union_len = self._length + iset_len - matched_length
            resemblance = matched_length / union_len
            containment = matched_length / iset_len
            amplified_resemblance = resemblance**2
            minimum_containment = rule._minimum_containment
            if not (minimum_containment and containment < minimum_containment):
                threshold = self._threshold
                scores = (
                    ScoresVector(
                        is_highly_resemblant=round(resemblance, 1) >= threshold,
                        containment=round(containment, 1),
                        resemblance=round(amplified_resemblance, 1),
                        matched_length=round(matched_length / 20, 1),
                    ),
                    ScoresVector(
                        is_highly_resemblant=resemblance >= threshold,
                        containment=containment,
                        resemblance=amplified_resemblance,
                        matched_length=matched_length,
                    ),
                )
        self._step_two[rid] = scores
        return scores


#: The last query run scored, in this process.
_last_run: list[_ScoredRun] = []


def _scored_run(
    matchable_tokens: Iterable[int], idx: Any, matchable_rids: Any, threshold: float
) -> _ScoredRun:
    """The step-one scores of every rule that passes step one for this run's tokens."""
    tokens = tuple(matchable_tokens)  # ScanCode hands over a generator
    key = (idx, matchable_rids, threshold, tokens)
    if _last_run and _last_run[0].key == key:
        return _last_run[0]
    assert _prefilter is not None
    # ScanCode's build_set_and_mset, counted in C; the multiset only if step two runs.
    counts = Counter(tokens)
    counts.pop(-1, None)  # already matched
    qset = _intbitset()(counts.keys())
    run = _ScoredRun(key, counts, idx, threshold)
    qset_len = len(qset)
    rules = idx.rules_by_rid
    for rid, intersection, high_set_intersection in _step_one_survivors(
        qset, idx, matchable_rids, _prefilter
    ):
        rule = rules[rid]
        # compare_token_sets(..., unique=True, filter_non_matching=True) of scancode-toolkit
        # 32.5.0 (Apache-2.0, (c) nexB Inc. and others): its arithmetic, in its order.
        matched_length = len(intersection)
        iset_len = rule.length_unique
        resemblance = matched_length / (qset_len + iset_len - matched_length)
        containment = matched_length / iset_len
        minimum_containment = rule._minimum_containment
        if minimum_containment and containment < minimum_containment:
            continue
        run.passing.append(
            (rid, rule, high_set_intersection, resemblance, containment, matched_length)
        )
        run.intersections[rid] = intersection
    _last_run[:] = [run]
    return run


#: ScanCode's own compute_candidates, kept while the fast one stands in for it.
_ORIGINAL_COMPUTE_CANDIDATES: list[Any] = []


def detect_licenses_fast(location: str, *, deadline: float = sys.maxsize) -> LicenseFindings:
    """:func:`detect_licenses`, with the approximate matcher's candidates narrowed first.

    The result is ScanCode's (see the section comment above); only the time differs.
    """
    from licensedcode import match, match_set  # noqa: PLC0415

    prepare_fast_path()
    original = match_set.compute_candidates
    original_tokens = match.tokenize_matched_text
    _ORIGINAL_COMPUTE_CANDIDATES[:] = [original]
    match_set.compute_candidates = _fast_compute_candidates
    match.tokenize_matched_text = _lazy_tokenize_matched_text
    try:
        return detect_licenses(location, deadline=deadline)
    finally:
        match_set.compute_candidates = original
        match.tokenize_matched_text = original_tokens
        # Never another file's, nor an earlier content's, tokens. The file is closed here,
        # in this call, not by the garbage collector later: an exception raised while a
        # generator is collected is lost, and --timeout's is raised from a signal handler.
        _close_lazy_tokens(_LAZY_TOKENS)


class _LazyTokens:
    """ScanCode's matched-text tokens of a file, produced only as far as they are read.

    ScanCode names each detection by its matched text, and finds that text by tokenizing
    the whole file again, then reading the tokens up to the match's last line
    (``reportable_tokens`` stops there). A one-line notice at the top of a long file paid
    for the whole file; this pays for the lines up to the last match. The tokens, and so
    the text, are the same: they are produced in the same order and kept for re-reading.
    """

    __slots__ = ("_seen", "_source")

    def __init__(self, source: Iterable[Any]) -> None:
        self._source: Any = iter(source)
        self._seen: list[Any] = []

    def close(self) -> None:
        """Stop reading the file (its remaining tokens are never produced)."""
        source, self._source = self._source, None
        close = getattr(source, "close", None)
        if close is not None:
            close()

    def __iter__(self) -> Iterator[Any]:
        seen = self._seen
        position = 0
        while True:
            if position == len(seen):
                if self._source is None:
                    return
                token = next(self._source, None)
                if token is None:
                    self._source = None
                    return
                seen.append(token)
            yield seen[position]
            position += 1


def _lazy_tokenize_matched_text(
    location: str | None,
    query_string: str | None,
    dictionary: Any,
    start_line: int = 1,
    _cache: dict[Any, Any] | None = None,
) -> Iterable[Any]:
    """``licensedcode.match.tokenize_matched_text``, lazy (see :class:`_LazyTokens`).

    Like ScanCode's, it remembers the last file's tokens, unless given its own ``_cache``.
    """
    from licensedcode.match import _tokenize_matched_text  # noqa: PLC0415

    cache = _LAZY_TOKENS if _cache is None else _cache
    key = (location, query_string, start_line)
    cached = cache.get(key)
    if cached is not None:
        return cached
    _close_lazy_tokens(cache)
    tokens = _LazyTokens(
        _tokenize_matched_text(
            location=location,
            query_string=query_string,
            dictionary=dictionary,
            start_line=start_line,
        )
    )
    cache[key] = tokens
    return tokens


_LAZY_TOKENS: dict[Any, _LazyTokens] = {}


def _close_lazy_tokens(cache: dict[Any, Any]) -> None:
    while cache:
        _key, tokens = cache.popitem()
        if isinstance(tokens, _LazyTokens):
            tokens.close()


#: An identity vouched for by :func:`index_stamp` (read from the findings cache), so that a
#: re-scan that detects nothing need not load the 1.4 GB index just to name it.
_known_identity: str | None = None


def index_stamp() -> str | None:
    """A cheap fingerprint of the license index file on disk (None if it is not built yet).

    The same stamp means the same index file, hence the same :func:`license_index_identity`.
    """
    from pathlib import Path  # noqa: PLC0415

    folder = license_cache_dir()
    if folder is None:
        return None
    path = Path(folder) / "license_index" / "index_cache"
    try:
        stat = path.stat()
    except OSError:
        return None
    return f"{scancode_version()}:{path}:{stat.st_size}:{stat.st_mtime_ns}"


def license_cache_dir() -> str | None:
    """``scancode_config.licensedcode_cache_dir``, found without importing ``scancode_config``.

    Importing it costs a warm re-scan 36 ms and a new temporary folder (it makes one on
    import). Its rule: ``$SCANCODE_LICENSE_INDEX_CACHE``, else ``licensedcode/data/cache``
    beside ``scancode_config.py``.
    """
    loaded = sys.modules.get("scancode_config")
    if loaded is not None:
        return str(loaded.licensedcode_cache_dir)
    explicit = os.environ.get("SCANCODE_LICENSE_INDEX_CACHE")
    if explicit:
        return explicit
    source = _scancode_config_source()
    if source is None:
        return None
    return os.path.join(os.path.dirname(source), "licensedcode", "data", "cache")  # noqa: PTH118, PTH120


def _scancode_config_source() -> str | None:
    """Where ``scancode_config.py`` is, found without importing it."""
    import importlib.util  # noqa: PLC0415

    spec = importlib.util.find_spec("scancode_config")
    return spec.origin if spec is not None and spec.origin else None


def use_known_index_identity(identity: str) -> None:
    """Trust ``identity`` as this process's :func:`license_index_identity`."""
    global _known_identity  # noqa: PLW0603 -- one index per process
    _known_identity = identity


# --- fast copyright detection ---
#
# ScanCode's copyright detector lexes every token of every candidate line through a list of
# about 1,100 regular expressions, first match wins, and parses each group of lexed tokens by
# applying about 400 grammar rules in turn, each of which rebuilds the string of labels it
# matches against. Both are pure: a token's label depends only on its text, and whether a
# rule changes a parse depends only on the current label string. So the fast detector
# remembers each token text's label, and keeps the label string across the rules that leave
# it unchanged (most of them), rebuilding it only after a rule regroups the tree. The trees,
# and so the findings, are exactly ScanCode's.

#: What the fast copyright detector remembers per process, before it forgets and starts over:
#: entries of each memory, and characters of label strings (a few tens of MB at most). Texts
#: longer than _MEMO_TEXT_LIMIT (long minified lines and their tokens) are never remembered:
#: they seldom repeat.
_LEXER_MEMO_LIMIT = 100_000
_PARSE_MEMO_CHARS = 4_000_000
_MEMO_TEXT_LIMIT = 200


class _MemoLexer:
    """ScanCode's copyright lexer with each token text's label remembered."""

    def __init__(self, lexer: Any) -> None:
        self._matchers = lexer._matchers
        self._labels: dict[str, str | None] = {}

    def lex_tokens(self, tokens: Iterable[Any], trace: bool = False) -> Iterable[Any]:
        labels = self._labels
        for token in tokens:
            value = token.value
            try:
                label = labels[value]
            except KeyError:
                label = next((lab for match, lab in self._matchers if match(value)), None)
                if len(value) <= _MEMO_TEXT_LIMIT:
                    if len(labels) >= _LEXER_MEMO_LIMIT:
                        labels.clear()
                    labels[value] = label
            if label is not None:
                token.label = label
            yield token


class _LabelStringParser:
    """ScanCode's pygmars parser, with the label string kept while rules leave it unchanged.

    Equivalent to ``pygmars.parse.Parser.parse`` without tracing or validation: each rule's
    substitution runs on the same string, and only a rule that regroups builds a new tree,
    the way ``Rule.parse`` does. The regroupings are a function of the first label string
    alone, so they are remembered per label string and replayed on a repeat.
    """

    def __init__(self, parser: Any) -> None:
        self._parser = parser
        self._rules = [(rule._transformer, rule.label) for rule in parser.rules]
        self._steps: dict[str, tuple[tuple[str, str], ...]] = {}
        self._chars = 0  # characters of label strings remembered in _steps

    def parse(self, tokens: Any) -> Any:
        from pygmars.parse import ParseString  # noqa: PLC0415
        from pygmars.tree import Tree  # noqa: PLC0415

        if not tokens:
            raise ValueError(f"Cannot parse empty tree: {tokens!r}")
        parser = self._parser
        tree = tokens if isinstance(tokens, Tree) else Tree(parser._root_label, tokens)
        first = "".join(f"<{piece.label}>" for piece in tree)
        steps = self._steps.get(first)
        if steps is None:
            steps = self._regroupings(first)
            size = len(first) + sum(len(after) for after, _label in steps)
            if self._chars + size > _PARSE_MEMO_CHARS:
                self._steps.clear()
                self._chars = 0
            if size <= _PARSE_MEMO_CHARS // 100:
                self._steps[first] = steps
                self._chars += size
        for after, label in steps:
            parsed = ParseString(tree)
            parsed._parse_string = after
            tree = parsed.to_tree(label)
        return tree

    def _regroupings(self, labels: str) -> tuple[tuple[str, str], ...]:
        """The (new label string, group label) of each rule that regroups, in order."""
        steps = []
        before = labels
        for _ in range(self._parser._loop):
            for transform, label in self._rules:
                after = transform(before).replace("{}", "")
                if after.rstrip() != before.rstrip():
                    steps.append((after, label))
                    # The next rule sees the regrouped tree's labels: a group is one piece.
                    before = _regrouped_labels(after, label)
        return tuple(steps)


def _regrouped_labels(parse_string: str, label: str) -> str:
    """The label string of the tree that ``ParseString.to_tree(label)`` builds."""
    pieces = []
    for n, piece in enumerate(parse_string.replace("}", "{").split("{")):
        pieces.append(f"<{label}>" if n % 2 else piece)
    return "".join(pieces)


def _fast_copyright_detector() -> Any:
    """A ScanCode ``CopyrightDetector`` with the memoising lexer and the faster parser.

    Falls back to ScanCode's own detector if its parts are not the ones this was written
    for (tracing or validation on, or a rule that is not a plain pygmars ``Rule``).
    """
    import copy  # noqa: PLC0415

    from cluecode import copyrights  # noqa: PLC0415
    from pygmars.parse import Rule  # noqa: PLC0415

    # A copy of ScanCode's own detector if it has one: its ~1,500 regular expressions are
    # compiled already (more than the ``re`` module's cache holds).
    detector = copy.copy(copyrights.DETECTOR or copyrights.CopyrightDetector())
    parser = detector.parser
    plain = (
        not parser._trace
        and not parser._validate
        and all(type(rule) is Rule and not rule._validate for rule in parser.rules)
        and not copyrights.TRACE_TOK
    )
    if plain:
        detector.lexer = _MemoLexer(detector.lexer)
        detector.parser = _LabelStringParser(parser)
    return detector


_fast_detector: list[Any] = []


def _memoised(function: Any) -> Any:
    """``function`` of one string argument with its results remembered (bounded)."""
    memo: dict[str, Any] = {}

    def remembered(text: str) -> Any:
        try:
            return memo[text]
        except KeyError:
            found = function(text)
            if len(text) <= _MEMO_TEXT_LIMIT:
                if len(memo) >= _LEXER_MEMO_LIMIT:
                    memo.clear()
                memo[text] = found
            return found

    return remembered


def detect_copyrights_fast(location: str, *, deadline: float = sys.maxsize) -> CopyrightFindings:
    """:func:`detect_copyrights` with the fast detector (see the section comment above).

    The line clean-up and the candidate-line test that ScanCode runs on every line of a
    file are pure functions of the line too, and lines repeat (blank lines, braces, comment
    rules): they are remembered for the length of the call's process.
    """
    from cluecode import copyrights  # noqa: PLC0415

    if not _fast_detector:
        _fast_detector.extend(
            (
                _fast_copyright_detector(),
                _memoised(copyrights.prepare_text_line),
                _memoised(copyrights.is_candidate),
            )
        )
    saved = copyrights.DETECTOR, copyrights.prepare_text_line, copyrights.is_candidate
    detector, prepare, is_candidate = _fast_detector
    copyrights.DETECTOR, copyrights.prepare_text_line, copyrights.is_candidate = (
        detector,
        prepare,
        is_candidate,
    )
    try:
        return detect_copyrights(location, deadline=deadline)
    finally:
        copyrights.DETECTOR, copyrights.prepare_text_line, copyrights.is_candidate = saved
