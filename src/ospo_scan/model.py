# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""The scan result model: frozen records that the core returns and the formats read.

Everything above the ScanCode adapter works on these types. Each record turns itself into
plain JSON-ready data (``to_dict``) and back (``from_dict``), so that a saved result file
can be read again by ``check`` and ``sbom`` without a rescan. The JSON shape is described by
``schemas/scan-result.schema.json``; bump :data:`SCHEMA_VERSION` with any change to it.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

#: Version of the result document's JSON schema (semantic versioning: a minor bump adds
#: optional fields, a major bump changes or removes them).
SCHEMA_VERSION = "1.2.0"


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
class LicenseMatch:
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

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON."""
        return {
            "license_expression": self.license_expression,
            "license_expression_spdx": self.license_expression_spdx,
            "kind": self.kind.value,
            "score": self.score,
            "start_line": self.start_line,
            "end_line": self.end_line,
            "matched_length": self.matched_length,
            "match_coverage": self.match_coverage,
            "matcher": self.matcher,
            "rule_identifier": self.rule_identifier,
            "rule_relevance": self.rule_relevance,
            "referenced_filenames": list(self.referenced_filenames),
            "is_license_intro": self.is_license_intro,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> LicenseMatch:
        """Inverse of :meth:`to_dict`."""
        return cls(
            license_expression=data["license_expression"],
            license_expression_spdx=data["license_expression_spdx"],
            kind=MatchKind(data["kind"]),
            score=float(data["score"]),
            start_line=int(data["start_line"]),
            end_line=int(data["end_line"]),
            matched_length=int(data["matched_length"]),
            match_coverage=float(data["match_coverage"]),
            matcher=data["matcher"],
            rule_identifier=data["rule_identifier"],
            rule_relevance=int(data["rule_relevance"]),
            referenced_filenames=tuple(data.get("referenced_filenames", ())),
            is_license_intro=bool(data.get("is_license_intro", False)),
        )


@dataclass(frozen=True, slots=True)
class LicenseDetection:
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

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON."""
        return {
            "license_expression": self.license_expression,
            "license_expression_spdx": self.license_expression_spdx,
            "kind": self.kind.value,
            "score": self.score,
            "start_line": self.start_line,
            "end_line": self.end_line,
            "rule_identifier": self.rule_identifier,
            "identifier": self.identifier,
            "matches": [m.to_dict() for m in self.matches],
            "detection_log": list(self.detection_log),
            "followed_files": list(self.followed_files),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> LicenseDetection:
        """Inverse of :meth:`to_dict`."""
        return cls(
            license_expression=data["license_expression"],
            license_expression_spdx=data["license_expression_spdx"],
            kind=MatchKind(data["kind"]),
            score=float(data["score"]),
            start_line=int(data["start_line"]),
            end_line=int(data["end_line"]),
            rule_identifier=data["rule_identifier"],
            identifier=data["identifier"],
            matches=tuple(LicenseMatch.from_dict(m) for m in data["matches"]),
            detection_log=tuple(data.get("detection_log", ())),
            followed_files=tuple(data.get("followed_files", ())),
        )


@dataclass(frozen=True, slots=True)
class CopyrightStatement:
    """A copyright statement with the holders named in it."""

    statement: str
    holders: tuple[str, ...]
    start_line: int
    end_line: int

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON."""
        return {
            "statement": self.statement,
            "holders": list(self.holders),
            "start_line": self.start_line,
            "end_line": self.end_line,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> CopyrightStatement:
        """Inverse of :meth:`to_dict`."""
        return cls(
            statement=data["statement"],
            holders=tuple(data["holders"]),
            start_line=int(data["start_line"]),
            end_line=int(data["end_line"]),
        )


@dataclass(frozen=True, slots=True)
class AuthorStatement:
    """An author credit ("Written by ...") found in a file."""

    author: str
    start_line: int
    end_line: int

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON."""
        return {"author": self.author, "start_line": self.start_line, "end_line": self.end_line}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> AuthorStatement:
        """Inverse of :meth:`to_dict`."""
        return cls(
            author=data["author"],
            start_line=int(data["start_line"]),
            end_line=int(data["end_line"]),
        )


@dataclass(frozen=True, slots=True)
class FileIssue:
    """Something that went wrong with, or was worth saying about, one file."""

    kind: IssueKind
    message: str

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON."""
        return {"kind": self.kind.value, "message": self.message}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> FileIssue:
        """Inverse of :meth:`to_dict`."""
        return cls(kind=IssueKind(data["kind"]), message=data["message"])


@dataclass(frozen=True, slots=True)
class FileRecord:
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

    @property
    def holders(self) -> tuple[str, ...]:
        """The distinct copyright holders of this file, in order of appearance."""
        return tuple(dict.fromkeys(h for c in self.copyrights for h in c.holders))

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON."""
        return {
            "path": self.path,
            "status": self.status.value,
            "size": self.size,
            "sha1": self.sha1,
            "sha256": self.sha256,
            "is_text": self.is_text,
            "license_expression": self.license_expression,
            "license_expression_spdx": self.license_expression_spdx,
            "license_detections": [d.to_dict() for d in self.license_detections],
            "license_clues": [m.to_dict() for m in self.license_clues],
            "percentage_of_license_text": self.percentage_of_license_text,
            "copyrights": [c.to_dict() for c in self.copyrights],
            "holders": list(self.holders),
            "authors": [a.to_dict() for a in self.authors],
            "issues": [i.to_dict() for i in self.issues],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> FileRecord:
        """Inverse of :meth:`to_dict` (``holders`` is derived, so it is not read)."""
        return cls(
            path=data["path"],
            status=FileStatus(data["status"]),
            size=int(data["size"]),
            sha1=data.get("sha1"),
            sha256=data.get("sha256"),
            is_text=bool(data.get("is_text", False)),
            license_expression=data.get("license_expression"),
            license_expression_spdx=data.get("license_expression_spdx"),
            license_detections=tuple(
                LicenseDetection.from_dict(d) for d in data.get("license_detections", ())
            ),
            license_clues=tuple(LicenseMatch.from_dict(m) for m in data.get("license_clues", ())),
            percentage_of_license_text=float(data.get("percentage_of_license_text", 0.0)),
            copyrights=tuple(CopyrightStatement.from_dict(c) for c in data.get("copyrights", ())),
            authors=tuple(AuthorStatement.from_dict(a) for a in data.get("authors", ())),
            issues=tuple(FileIssue.from_dict(i) for i in data.get("issues", ())),
        )


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


@dataclass(frozen=True, slots=True)
class LicenseConflict:
    """A package whose declared license and license files disagree."""

    declared: str  # SPDX expression of the declaration
    detected: str  # SPDX expression of the license files
    license_files: tuple[str, ...]  # the files behind ``detected``

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON."""
        return {
            "declared": self.declared,
            "detected": self.detected,
            "license_files": list(self.license_files),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> LicenseConflict:
        """Inverse of :meth:`to_dict`."""
        return cls(
            declared=data["declared"],
            detected=data["detected"],
            license_files=tuple(data["license_files"]),
        )


@dataclass(frozen=True, slots=True)
class Package:
    """A package found in the tree: the project itself, or an installed or vendored copy."""

    purl: str
    type: str  # purl type: npm, pypi, cargo, maven, ...
    name: str
    namespace: str | None = None
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

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON."""
        return {
            "purl": self.purl,
            "type": self.type,
            "namespace": self.namespace,
            "name": self.name,
            "version": self.version,
            "root_path": self.root_path,
            "datafile_paths": list(self.datafile_paths),
            "declared_license": self.declared_license,
            "declared_license_spdx": self.declared_license_spdx,
            "detected_license_spdx": self.detected_license_spdx,
            "license_files": list(self.license_files),
            "concluded_license_spdx": self.concluded_license_spdx,
            "concluded_reason": self.concluded_reason.value,
            "conflict": self.conflict.to_dict() if self.conflict else None,
            "homepage_url": self.homepage_url,
            "download_url": self.download_url,
            "supplier": self.supplier,
            "copyright": self.copyright,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Package:
        """Inverse of :meth:`to_dict`."""
        conflict = data.get("conflict")
        return cls(
            purl=data["purl"],
            type=data["type"],
            namespace=data.get("namespace"),
            name=data["name"],
            version=data.get("version"),
            root_path=data.get("root_path"),
            datafile_paths=tuple(data.get("datafile_paths", ())),
            declared_license=data.get("declared_license"),
            declared_license_spdx=data.get("declared_license_spdx"),
            detected_license_spdx=data.get("detected_license_spdx"),
            license_files=tuple(data.get("license_files", ())),
            concluded_license_spdx=data.get("concluded_license_spdx"),
            concluded_reason=ConclusionReason(data.get("concluded_reason", "none")),
            conflict=LicenseConflict.from_dict(conflict) if conflict else None,
            homepage_url=data.get("homepage_url"),
            download_url=data.get("download_url"),
            supplier=data.get("supplier"),
            copyright=data.get("copyright"),
        )


@dataclass(frozen=True, slots=True)
class Dependency:
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

    @property
    def unresolved(self) -> bool:
        """True when no license could be found offline for this dependency."""
        return self.license_spdx is None

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON."""
        return {
            "purl": self.purl,
            "name": self.name,
            "datafile_path": self.datafile_path,
            "scope": self.scope.value,
            "scope_as_written": self.scope_as_written,
            "is_direct": self.is_direct,
            "extracted_requirement": self.extracted_requirement,
            "resolved_version": self.resolved_version,
            "for_package": self.for_package,
            "resolved_package": self.resolved_package,
            "license_spdx": self.license_spdx,
            "license_source": self.license_source,
            "unresolved": self.unresolved,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Dependency:
        """Inverse of :meth:`to_dict` (``unresolved`` is derived, so it is not read)."""
        return cls(
            purl=data["purl"],
            name=data["name"],
            datafile_path=data["datafile_path"],
            scope=DependencyScope(data.get("scope", "runtime")),
            scope_as_written=data.get("scope_as_written"),
            is_direct=bool(data.get("is_direct", True)),
            extracted_requirement=data.get("extracted_requirement"),
            resolved_version=data.get("resolved_version"),
            for_package=data.get("for_package"),
            resolved_package=data.get("resolved_package"),
            license_spdx=data.get("license_spdx"),
            license_source=data.get("license_source"),
        )


@dataclass(frozen=True, slots=True)
class ToolInfo:
    """The versions that produced a result: needed to trust or reproduce it."""

    ospo_scan_version: str
    scancode_toolkit_version: str
    spdx_license_list_version: str
    license_index: str  # identity of the loaded license data (version and digest)

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON."""
        return {
            "name": "ospo-scan",
            "version": self.ospo_scan_version,
            "scancode_toolkit_version": self.scancode_toolkit_version,
            "spdx_license_list_version": self.spdx_license_list_version,
            "license_index": self.license_index,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ToolInfo:
        """Inverse of :meth:`to_dict`."""
        return cls(
            ospo_scan_version=data["version"],
            scancode_toolkit_version=data["scancode_toolkit_version"],
            spdx_license_list_version=data["spdx_license_list_version"],
            license_index=data["license_index"],
        )


@dataclass(frozen=True, slots=True)
class ScanSummary:
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

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON."""
        return {
            "files": self.files,
            "files_scanned": self.files_scanned,
            "files_skipped": self.files_skipped,
            "files_with_errors": self.files_with_errors,
            "files_with_licenses": self.files_with_licenses,
            "files_with_copyrights": self.files_with_copyrights,
            "license_counts": dict(self.license_counts),
            "holder_counts": dict(self.holder_counts),
            "issue_counts": dict(self.issue_counts),
            "elapsed_seconds": self.elapsed_seconds,
            "packages": self.packages,
            "dependencies": self.dependencies,
            "dependencies_unresolved": self.dependencies_unresolved,
            "license_conflicts": self.license_conflicts,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ScanSummary:
        """Inverse of :meth:`to_dict`."""
        return cls(
            files=int(data["files"]),
            files_scanned=int(data["files_scanned"]),
            files_skipped=int(data["files_skipped"]),
            files_with_errors=int(data["files_with_errors"]),
            files_with_licenses=int(data["files_with_licenses"]),
            files_with_copyrights=int(data["files_with_copyrights"]),
            license_counts=dict(data["license_counts"]),
            holder_counts=dict(data["holder_counts"]),
            issue_counts=dict(data["issue_counts"]),
            elapsed_seconds=float(data["elapsed_seconds"]),
            packages=int(data.get("packages", 0)),
            dependencies=int(data.get("dependencies", 0)),
            dependencies_unresolved=int(data.get("dependencies_unresolved", 0)),
            license_conflicts=int(data.get("license_conflicts", 0)),
        )


@dataclass(frozen=True, slots=True)
class ScanResult:
    """The whole result document of ``ospo-scan scan``."""

    tool: ToolInfo
    root: str  # absolute path of the scanned folder, as given
    root_name: str  # its last component: a project name when nothing better is known
    started_at: str  # ISO 8601, UTC
    finished_at: str
    options: Mapping[str, Any]  # the options that shaped the result, for the record
    summary: ScanSummary
    files: tuple[FileRecord, ...]
    packages: tuple[Package, ...] = ()
    dependencies: tuple[Dependency, ...] = ()
    schema_version: str = SCHEMA_VERSION
    extra: Mapping[str, Any] = field(default_factory=dict)  # sections added by later stages

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON, keys in a stable, readable order."""
        return {
            "schema_version": self.schema_version,
            "tool": self.tool.to_dict(),
            "scan": {
                "root": self.root,
                "root_name": self.root_name,
                "started_at": self.started_at,
                "finished_at": self.finished_at,
                "options": dict(self.options),
            },
            "summary": self.summary.to_dict(),
            "files": [f.to_dict() for f in self.files],
            "packages": [p.to_dict() for p in self.packages],
            "dependencies": [d.to_dict() for d in self.dependencies],
            **dict(self.extra),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ScanResult:
        """Inverse of :meth:`to_dict`."""
        known = {"schema_version", "tool", "scan", "summary", "files", "packages", "dependencies"}
        scan = data["scan"]
        return cls(
            schema_version=data["schema_version"],
            tool=ToolInfo.from_dict(data["tool"]),
            root=scan["root"],
            root_name=scan["root_name"],
            started_at=scan["started_at"],
            finished_at=scan["finished_at"],
            options=dict(scan["options"]),
            summary=ScanSummary.from_dict(data["summary"]),
            files=tuple(FileRecord.from_dict(f) for f in data["files"]),
            packages=tuple(Package.from_dict(p) for p in data.get("packages", ())),
            dependencies=tuple(Dependency.from_dict(d) for d in data.get("dependencies", ())),
            extra={k: v for k, v in data.items() if k not in known},
        )

    def file(self, path: str) -> FileRecord:
        """The record of ``path`` (relative, POSIX); ``KeyError`` when it is not there."""
        for record in self.files:
            if record.path == path:
                return record
        raise KeyError(path)


def strongest(kinds: Sequence[MatchKind]) -> MatchKind:
    """The strongest of ``kinds`` (``reference`` when there are none)."""
    return max(kinds, key=lambda k: k.strength, default=MatchKind.REFERENCE)
