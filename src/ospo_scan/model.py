# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""The scan result model: frozen records that the core returns and the formats read.

Everything above the ScanCode adapter works on these types. Each record turns itself into
plain JSON-ready data (``to_dict``) and back (``from_dict``), so that a saved result file
can be read again by ``check`` and ``sbom`` without a rescan. Both come from
:class:`~ospo_scan.records.Record` and follow the fields; where the JSON shape departs from
them, ``io(...)`` in a field's metadata or ``@derived`` on a property says how. The JSON
shape is described by ``schemas/scan-result.schema.json``; bump :data:`SCHEMA_VERSION` with
any change to it, and keep key order: the golden files and the cache keys depend on it.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ospo_scan.records import Record, derived, io

#: Control characters: C0, DEL and C1. None may reach a line-based or markup output as it is.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")


def printable(text: str | None) -> str:
    """``text`` (a path, most often) as one line every text output can carry, ``\\xNN`` escaped.

    A file name that is not valid UTF-8 is held by Python with lone surrogates, which no
    UTF-8 document can contain: its undecodable bytes become ``\\xNN``. Control characters do
    too, so a newline in a name cannot start a new SPDX tag, Markdown row or table line, and
    XML (which cannot hold most of them) stays well formed. Every format escapes alike.
    """
    if not text:
        return ""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


#: Version of the result document's JSON schema (semantic versioning: a minor bump adds
#: optional fields, a major bump changes or removes them).
SCHEMA_VERSION = "1.4.0"


class MatchKind(str, enum.Enum):
    """How strongly a license match states a license, strongest first.

    ``text`` is a full license text, ``notice`` a notice that puts the file under a
    license, ``tag`` a structured tag such as ``SPDX-License-Identifier`` or a manifest
    field, ``reference`` a mere mention of a license name or URL.
    """

    TEXT = "text"
    NOTICE = "notice"
    TAG = "tag"
    REFERENCE = "reference"

    @property
    def strength(self) -> int:
        """A rank for comparisons: higher is stronger."""
        return _KIND_STRENGTH[self]


_KIND_STRENGTH = {
    MatchKind.TEXT: 4,
    MatchKind.NOTICE: 3,
    MatchKind.TAG: 2,
    MatchKind.REFERENCE: 1,
}


class FileStatus(str, enum.Enum):
    """What became of a file: scanned, deliberately skipped, or failed."""

    SCANNED = "scanned"
    SKIPPED = "skipped"
    ERROR = "error"


class IssueKind(str, enum.Enum):
    """Why a file was skipped, failed, or scanned with a caveat."""

    UNREADABLE = "unreadable"  # error: the file could not be opened or read
    UNDECODABLE = "undecodable"  # warning: not valid UTF-8; scanned with a fallback decoding
    TIMEOUT = "timeout"  # error: detection ran over --timeout
    TOO_LARGE = "too_large"  # skipped: over --max-file-size
    BINARY = "binary"  # skipped: binary content (by content, not by name)
    SYMLINK = "symlink"  # skipped: symbolic links are recorded, never followed
    SPECIAL = "special"  # skipped: a FIFO, socket or device
    SCAN_FAILED = "scan_failed"  # error: the engine raised on this file
    PACKAGE_DATA_ERROR = "package_data_error"  # error: a manifest or lockfile could not be parsed


@dataclass(frozen=True, slots=True)
class LicenseMatch(Record):
    """One match of a ScanCode rule in a file."""

    license_expression: str
    license_expression_spdx: str
    kind: MatchKind
    score: float
    start_line: int
    end_line: int
    matched_length: int
    match_coverage: float
    matcher: str
    rule_identifier: str
    rule_relevance: int
    # Added in schema 1.2.0; absent from older documents, hence the defaults.
    referenced_filenames: tuple[str, ...] = ()  # the files the rule says hold the license
    is_license_intro: bool = False  # the rule is an introduction or clue ("licensed under:")


@dataclass(frozen=True, slots=True)
class LicenseDetection(Record):
    """A license found in a file: one or more matches that ScanCode combined.

    ``kind``, ``score`` and ``rule_identifier`` come from the strongest match (by kind,
    then score), so that a notice that starts with a one-line reference counts as a notice.
    A reference to another file ("see LICENSE", "the same license as the Django package")
    that was followed names the files it led to in ``followed_files`` (their own records
    hold their matches), and the expression is theirs; ``matches``, ``kind``, the score and
    the lines stay the file's own.
    """

    license_expression: str
    license_expression_spdx: str
    kind: MatchKind
    score: float
    start_line: int
    end_line: int
    rule_identifier: str
    identifier: str
    matches: tuple[LicenseMatch, ...]
    # Added in schema 1.2.0: ScanCode's detection log (how the matches were combined), and
    # the files a followed reference led to.
    detection_log: tuple[str, ...] = ()
    followed_files: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class CopyrightStatement(Record):
    """A copyright statement with the holders named in it."""

    statement: str
    holders: tuple[str, ...]
    start_line: int
    end_line: int


@dataclass(frozen=True, slots=True)
class AuthorStatement(Record):
    """An author credit ("Written by ...") found in a file."""

    author: str
    start_line: int
    end_line: int


@dataclass(frozen=True, slots=True)
class FileIssue(Record):
    """Something that went wrong with, or was worth saying about, one file."""

    kind: IssueKind
    message: str


@dataclass(frozen=True, slots=True)
class AppliedCuration(Record):
    """The curation that set a package's, dependency's or file's license, for the record.

    Added in schema 1.4.0: written by ``check``, ``sbom`` and ``notice`` on the result they
    judge or export (:mod:`ospo_scan.curate`), never by ``scan``.
    """

    curation: str  # the entry, as reports name it: "curations[0] (policy.yml:12)"
    license: str  # the SPDX expression it set
    previous: str | None  # what was concluded or detected before
    reason: str
    approved_by: str
    expires: str | None = None  # ISO date


@dataclass(frozen=True, slots=True)
class FileRecord(Record):
    """Everything the scan learnt about one path under the root."""

    path: str  # relative to the scan root, POSIX separators
    status: FileStatus
    size: int
    sha1: str | None = None
    sha256: str | None = None
    is_text: bool = False
    license_expression: str | None = None  # all detections AND-ed, ScanCode keys
    license_expression_spdx: str | None = None
    license_detections: tuple[LicenseDetection, ...] = ()
    license_clues: tuple[LicenseMatch, ...] = ()
    percentage_of_license_text: float = 0.0
    copyrights: tuple[CopyrightStatement, ...] = ()
    authors: tuple[AuthorStatement, ...] = ()
    issues: tuple[FileIssue, ...] = ()
    # Added in schema 1.4.0: the path curation that set this file's licenses.
    curation: AppliedCuration | None = None

    @property
    @derived(after="copyrights")  # written for the reader of the document, read from those
    def holders(self) -> tuple[str, ...]:
        """The distinct copyright holders of this file, in order of appearance."""
        return tuple(dict.fromkeys(h for c in self.copyrights for h in c.holders))


class DependencyScope(str, enum.Enum):
    """The small fixed set that every ecosystem's dependency scopes map to."""

    RUNTIME = "runtime"
    DEV = "dev"
    TEST = "test"
    OPTIONAL = "optional"
    BUILD = "build"


class ConclusionReason(str, enum.Enum):
    """How a package's concluded license was reached from its declaration and its files."""

    AGREE = "declared_and_detected_agree"  # kept the declaration (it carries OR, -or-later)
    DETECTED_ONLY = "detected_only"  # no declaration: the license files decide
    DECLARED_ONLY = "declared_only"  # no license file: the declaration decides
    CONFLICT = "conflict"  # they disagree: conservative AND of both, and a finding
    NONE = "none"  # neither: nothing is known
    CURATED = "curated"  # a curation set it (the package's ``curation`` says which and why)


@dataclass(frozen=True, slots=True)
class LicenseConflict(Record):
    """A package whose declared license and license files disagree."""

    declared: str  # SPDX expression of the declaration
    detected: str  # SPDX expression of the license files
    license_files: tuple[str, ...]  # the files behind ``detected``


class SetAsideReason(str, enum.Enum):
    """Why a match in a license file is a clue, not part of the file's license.

    Only matches beside a strong statement of the file's license (a license text or an
    ``SPDX-License-Identifier`` tag) are ever set aside; the thresholds are ScanCode's own
    (``licensedcode.detection``), see :mod:`ospo_scan.scan.license_evidence`.
    """

    LICENSE_INTRO = "license_intro"  # an introduction ("licensed under:"), not a license
    LOW_RELEVANCE = "low_relevance"  # the rule's relevance is under ScanCode's threshold (70)
    LOW_COVERAGE = "low_coverage"  # under ScanCode's clue threshold (60% of the rule matched)
    REFERENCE = "reference"  # a mere mention of a license name beside the license's text
    SHORT = "short"  # a notice of at most 3 words (ScanCode's false-positive rule length)
    UNSTATED = "unstated"  # ScanCode's "Unstated License" (a bare disclaimer) beside a license
    PARTIAL = "partial"  # a notice or tag matched in part (under 100% of the rule)


@dataclass(frozen=True, slots=True)
class SetAsideMatch(Record):
    """A match in a package's license file that is shown as a clue, not concluded."""

    path: str  # the license file
    license_expression_spdx: str
    start_line: int
    end_line: int
    rule_identifier: str
    match_coverage: float
    rule_relevance: int
    reason: SetAsideReason


@dataclass(frozen=True, slots=True)
class Package(Record):
    """A package found in the tree: the project itself, or an installed or vendored copy."""

    purl: str
    type: str  # purl type: npm, pypi, cargo, maven, ...
    name: str
    namespace: str | None = field(default=None, metadata=io(before="name"))  # as in a purl
    version: str | None = None
    root_path: str | None = None  # the folder that holds the package in the tree
    datafile_paths: tuple[str, ...] = ()  # manifests, lockfiles and metadata it came from
    declared_license: str | None = None  # as written in the metadata
    declared_license_spdx: str | None = None  # normalised SPDX expression of that
    detected_license_spdx: str | None = None  # from the license files inside the package
    license_files: tuple[str, ...] = ()
    concluded_license_spdx: str | None = None
    concluded_reason: ConclusionReason = ConclusionReason.NONE
    conflict: LicenseConflict | None = None
    homepage_url: str | None = None
    download_url: str | None = None
    supplier: str | None = None  # author, maintainer or publisher, when known
    copyright: str | None = None
    # Added in schema 1.3.0: the line of the first datafile that names the package.
    datafile_line: int | None = None
    # Added in schema 1.4.0: the curation that set the concluded license.
    curation: AppliedCuration | None = None
    # Added in schema 1.4.0: matches in the license files that are clues, not the license.
    set_aside: tuple[SetAsideMatch, ...] = ()


@dataclass(frozen=True, slots=True)
class Dependency(Record):
    """A dependency declared by a manifest or lockfile, with its license resolved offline."""

    purl: str  # with the resolved version when known
    name: str
    datafile_path: str  # the manifest or lockfile that declares it
    scope: DependencyScope = DependencyScope.RUNTIME
    scope_as_written: str | None = None  # the ecosystem's own word: devDependencies, dev, ...
    is_direct: bool = True
    extracted_requirement: str | None = None  # the version requirement as written
    resolved_version: str | None = None
    for_package: str | None = None  # purl of the package that depends on it
    resolved_package: str | None = None  # purl of its installed or vendored Package
    license_spdx: str | None = None  # resolved license; None when unresolved
    license_source: str | None = None  # where it came from: a path in the tree, or "lockfile"
    # Added in schema 1.3.0: the line of the datafile that names the dependency.
    datafile_line: int | None = None
    # Added in schema 1.4.0: the curation that set the license.
    curation: AppliedCuration | None = None

    @property
    @derived()  # written last, for the reader of the document
    def unresolved(self) -> bool:
        """True when no license could be found offline for this dependency."""
        return self.license_spdx is None


@dataclass(frozen=True, slots=True)
class ToolInfo(Record):
    """The versions that produced a result: needed to trust or reproduce it."""

    ospo_scan_version: str = field(metadata=io(key="version"))  # "name" and "version"
    scancode_toolkit_version: str
    spdx_license_list_version: str
    license_index: str  # identity of the loaded license data (version and digest)

    @property
    @derived(before="ospo_scan_version")
    def name(self) -> str:
        """The tool's name, written before its version."""
        return "ospo-scan"


@dataclass(frozen=True, slots=True)
class ScanSummary(Record):
    """Counts over a whole scan."""

    files: int
    files_scanned: int
    files_skipped: int
    files_with_errors: int
    files_with_licenses: int
    files_with_copyrights: int
    license_counts: Mapping[str, int]  # SPDX id -> number of files that mention it
    holder_counts: Mapping[str, int]  # holder -> number of files
    issue_counts: Mapping[str, int]  # IssueKind value -> number of files
    elapsed_seconds: float
    # Added in schema 1.1.0; absent from older documents, hence the defaults.
    packages: int = 0
    dependencies: int = 0
    dependencies_unresolved: int = 0  # no license found offline
    license_conflicts: int = 0  # packages whose declaration and license files disagree


@dataclass(frozen=True, slots=True)
class ScanResult(Record):
    """The whole result document of ``ospo-scan scan``."""

    tool: ToolInfo
    # From root to options, written together under "scan".
    root: str = field(metadata=io(group="scan"))  # absolute path of the scanned folder, as given
    # Its last component: a project name when nothing better is known.
    root_name: str = field(metadata=io(group="scan"))
    started_at: str = field(metadata=io(group="scan"))  # ISO 8601, UTC
    finished_at: str = field(metadata=io(group="scan"))
    # The options that shaped the result, for the record.
    options: Mapping[str, Any] = field(metadata=io(group="scan"))
    summary: ScanSummary
    files: tuple[FileRecord, ...]
    packages: tuple[Package, ...] = ()
    dependencies: tuple[Dependency, ...] = ()
    # The first key of the document, and a reader needs it: there it has no default.
    schema_version: str = field(default=SCHEMA_VERSION, metadata=io(before="tool", required=True))
    # Sections added by later stages: every top-level key not named above.
    extra: Mapping[str, Any] = field(default_factory=dict, metadata=io(rest=True))

    def file(self, path: str) -> FileRecord:
        """The record of ``path`` (relative, POSIX); ``KeyError`` when it is not there."""
        for record in self.files:
            if record.path == path:
                return record
        raise KeyError(path)


def strongest(kinds: Sequence[MatchKind]) -> MatchKind:
    """The strongest of ``kinds`` (``reference`` when there are none)."""
    return max(kinds, key=lambda k: k.strength, default=MatchKind.REFERENCE)
