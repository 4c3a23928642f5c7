# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""What the scanned files say about the package that holds them: copyrights and licenses.

Every file belongs to the deepest package whose folder holds it (a package in
``node_modules/a/node_modules/b`` owns its files, not ``a``), and the files that no package
in the tree holds belong to the project. A package whose metadata states no copyright gets
the copyright statements found in its own files; and when every one of its files was read
and none states a copyright, or a license, that is what the SBOM says (``NONE``), as it does
for each file: the scan looked, and found none.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from ospo_scan.licensing import combine, without_noise
from ospo_scan.model import FileRecord, FileStatus, IssueKind, Package, ScanResult
from ospo_scan.sbom.versions import LOCKFILES
from ospo_scan.scan.packages import is_license_file

#: A value the SBOM writes as SPDX ``NONE``: the scan read every file and found nothing.
NONE = "NONE"

# Files the scan skipped because there is nothing in them to read as text: they cannot
# hide a notice the scan missed. A file too large to read, or one that failed, could.
_NOTHING_TO_READ = frozenset({IssueKind.BINARY, IssueKind.SYMLINK, IssueKind.SPECIAL})


@dataclass(frozen=True, slots=True)
class Evidence:
    """What a package's (or the project's) own files say."""

    files: int  # how many files it holds
    complete: bool  # every one of them was read (or had nothing to read)
    copyrights: tuple[str, ...]  # distinct statements, in path order
    holders: tuple[str, ...]  # distinct holders, in path order
    licensed_files: int  # files with a license detection

    @property
    def copyright_text(self) -> str | None:
        """The statements as one text; ``NONE`` when the files were read and had none."""
        if self.copyrights:
            return "\n".join(self.copyrights)
        return NONE if self.files and self.complete else None

    @property
    def no_license_found(self) -> bool:
        """Every file was read and none has a license: nothing was declared or found."""
        return bool(self.files) and self.complete and self.licensed_files == 0


def _read(record: FileRecord) -> bool:
    if record.status is FileStatus.SCANNED:
        return True
    return record.status is FileStatus.SKIPPED and all(
        issue.kind in _NOTHING_TO_READ for issue in record.issues
    )


def _summarize(records: Iterable[FileRecord]) -> Evidence:
    # A lockfile lists the licenses of the packages it pins, not its own project's.
    records = [r for r in records if r.path.rpartition("/")[2] not in LOCKFILES]
    files = 0
    complete = True
    statements: dict[str, None] = {}
    holders: dict[str, None] = {}
    licensed = 0
    for record in sorted(records, key=lambda r: r.path):
        files += 1
        complete = complete and _read(record)
        for statement in record.copyrights:
            statements.setdefault(statement.statement, None)
            holders.update(dict.fromkeys(statement.holders))
        licensed += bool(record.license_expression_spdx)
    return Evidence(files, complete, tuple(statements), tuple(holders), licensed)


def evidence_by_owner(result: ScanResult) -> Mapping[str | None, Evidence]:
    """The evidence of each package in the tree (by purl) and of the project (key ``None``).

    Packages that share a folder share its files; the project's files are the ones no
    package folder holds (a project with a manifest at the root is keyed ``None`` too).
    """
    roots: dict[str, list[Package]] = {}
    for package in result.packages:
        if package.root_path is None:
            continue
        root = package.root_path.strip("/")
        if root in {"", "."}:
            continue  # the project: the files nobody else holds
        roots.setdefault(root, []).append(package)
    owned: dict[str | None, list[FileRecord]] = {}
    for record in result.files:
        owner: str | None = None
        folder = record.path.rpartition("/")[0]
        while folder:
            if folder in roots:
                owner = folder
                break
            folder = folder.rpartition("/")[0]
        owned.setdefault(owner, []).append(record)
    evidence: dict[str | None, Evidence] = {None: _summarize(owned.get(None, ()))}
    for root, packages in roots.items():
        summary = _summarize(owned.get(root, ()))
        for package in packages:
            evidence[package.purl] = summary
    return evidence


def root_license(result: ScanResult) -> tuple[str | None, tuple[str, ...]]:
    """The license of a project without a manifest: what its license files at the root say.

    A manifest declares a project's license; without one, the ``LICENSE``, ``COPYING`` or
    ``NOTICE`` files at the top of the tree are what a reviewer reads, and the same files
    that a package's license is detected from. Returns the expression (the files' licenses
    AND-ed) and the files.
    """
    files = [r for r in result.files if "/" not in r.path and is_license_file(r.path)]
    files = [r for r in sorted(files, key=lambda r: r.path) if r.license_detections]
    expression = combine(
        without_noise(d.license_expression_spdx) for r in files for d in r.license_detections
    )
    return expression, tuple(r.path for r in files) if expression else ()
