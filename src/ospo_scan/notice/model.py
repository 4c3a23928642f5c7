# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""The attribution document as frozen data: what :func:`ospo_scan.notice.build_notice` returns
and every notice format renders.

Nothing here is escaped or wrapped: the formats do that for their own syntax. Texts (NOTICE
files, license texts) are kept as they were read, line ends normalised to ``\\n``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from ospo_scan.model import DependencyScope

#: The scopes whose dependencies ship by default: what is installed beside the product.
DEFAULT_SCOPES: frozenset[DependencyScope] = frozenset(
    {DependencyScope.RUNTIME, DependencyScope.OPTIONAL}
)

#: The words of the banner of a document written while the policy check fails.
NOT_FOR_DISTRIBUTION = "UNRESOLVED POLICY VIOLATIONS: NOT FOR DISTRIBUTION"


@dataclass(frozen=True, slots=True)
class NoticeFile:
    """A NOTICE file's text, once, with every package that ships it (by key) and where."""

    text: str
    sources: tuple[tuple[str, str], ...]  # (package key, path relative to the scanned root)


@dataclass(frozen=True, slots=True)
class PackageNotice:
    """What the document says about one package that ships (or about the project itself)."""

    key: str  # the purl (unique in the document); the root folder's name for a project without one
    name: str  # with its namespace, as people write it: ``@scope/tiny``, ``org.acme:lib``
    version: str | None
    purl: str | None
    is_project: bool
    in_tree: bool  # found in the scanned tree (its files were read), not only declared
    license: str | None  # SPDX expression: concluded, else declared; None when unknown
    license_origin: str | None  # "concluded", "declared", "curated: <why>" or None
    elected: str | None  # the alternative of an OR that the policy elected
    license_ids: tuple[str, ...]  # the licenses whose texts apply, as in ``Notice.licenses``
    copyrights: tuple[str, ...]  # statements: from the metadata, then from its files
    notice_files: tuple[int, ...]  # indexes into ``Notice.notice_files``
    homepage: str | None
    supplier: str | None  # the author or publisher its metadata names (not always a holder)
    scopes: tuple[DependencyScope, ...]  # how the project depends on it (empty: it is in the tree)
    notes: tuple[str, ...]  # what is missing or could not be read, said in the document


@dataclass(frozen=True, slots=True)
class LicenseNotice:
    """One license (or exception) named by the packages, with its full text when known."""

    license_id: str
    name: str
    text: str | None  # None: no text in ScanCode's license data (``missing`` says why)
    missing: str | None
    urls: tuple[str, ...]
    packages: tuple[str, ...]  # keys of the packages whose license names it


@dataclass(frozen=True, slots=True)
class Violations:
    """The policy check's state: a document with unresolved violations is not for distribution."""

    policy: str
    fail_on: str  # "deny" or "review"
    count: int  # findings at least as bad as ``fail_on``


@dataclass(frozen=True, slots=True)
class Notice:
    """The whole attribution document."""

    project: str
    project_version: str | None
    created: datetime
    generator: str  # "ospo-scan 0.1.0"
    scanned_with: str  # the scan's tool versions, from the result
    scopes: tuple[DependencyScope, ...]  # the dependency scopes included
    packages: tuple[PackageNotice, ...]  # the project first, then by name and version
    notice_files: tuple[NoticeFile, ...]
    licenses: tuple[LicenseNotice, ...]  # sorted by id; each once
    violations: Violations | None  # set when the check fails (the document carries the banner)
    policy: str | None  # the policy that elected the alternatives of OR licenses

    @property
    def incomplete(self) -> tuple[str, ...]:
        """One sentence per gap a reader must close before relying on the document."""
        gaps = [f"{p.name}: {'; '.join(p.notes)}" for p in self.packages if p.notes]
        gaps += [
            f"{lic.license_id}: {lic.missing}" for lic in self.licenses if lic.missing is not None
        ]
        return tuple(gaps)
