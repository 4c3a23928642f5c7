# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""Helpers for the policy and check tests: fixture paths and hand-built scan results.

Hand-built results are for the layers above the ScanCode adapter (packages and
dependencies, which no scan fills yet); file semantics are tested on real scans.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ospo_scan.model import (
    ConclusionReason,
    Dependency,
    DependencyScope,
    FileRecord,
    FileStatus,
    LicenseConflict,
    LicenseDetection,
    MatchKind,
    Package,
    ScanResult,
    ScanSummary,
    ToolInfo,
)

DATA = Path(__file__).parent / "data"
POLICY_REPO = DATA / "policy_repo"
FAKE_REPO = DATA / "fake_repo"


def detection(expression: str, kind: MatchKind = MatchKind.TAG, line: int = 1) -> LicenseDetection:
    """A detection as the adapter would make it (one line, no matches kept)."""
    return LicenseDetection(
        license_expression=expression.lower(),
        license_expression_spdx=expression,
        kind=kind,
        score=100.0,
        start_line=line,
        end_line=line,
        rule_identifier="spdx-license-identifier-test",
        identifier=f"test-{expression}",
        matches=(),
    )


def file_record(path: str, *detections: LicenseDetection) -> FileRecord:
    """A scanned text file with these detections."""
    return FileRecord(
        path=path,
        status=FileStatus.SCANNED,
        size=10,
        is_text=True,
        license_detections=detections,
    )


def package(
    purl: str,
    concluded: str | None,
    *,
    conflict: tuple[str, str] | None = None,
    manifest: str = "package.json",
) -> Package:
    """A package with a concluded license, optionally in conflict (declared, detected)."""
    name = purl.rsplit("/", maxsplit=1)[-1].split("@", maxsplit=1)[0]
    return Package(
        purl=purl,
        type=purl[4:].split("/", maxsplit=1)[0],
        name=name,
        version=purl.split("@")[1] if "@" in purl else None,
        root_path=str(Path(manifest).parent) if "/" in manifest else None,
        datafile_paths=(manifest,),
        concluded_license_spdx=concluded,
        concluded_reason=ConclusionReason.CONFLICT if conflict else ConclusionReason.AGREE,
        conflict=LicenseConflict(conflict[0], conflict[1], ("LICENSE",)) if conflict else None,
    )


def dependency(
    purl: str,
    license_spdx: str | None,
    scope: DependencyScope = DependencyScope.RUNTIME,
    manifest: str = "package.json",
) -> Dependency:
    """A declared dependency with its resolved license (None: unresolved)."""
    return Dependency(
        purl=purl,
        name=purl.rsplit("/", maxsplit=1)[-1].split("@", maxsplit=1)[0],
        datafile_path=manifest,
        scope=scope,
        license_spdx=license_spdx,
        license_source="lockfile" if license_spdx else None,
    )


def make_result(
    files: Iterable[FileRecord] = (),
    packages: Iterable[Package] = (),
    dependencies: Iterable[Dependency] = (),
) -> ScanResult:
    """A scan result document around these records."""
    files = tuple(files)
    return ScanResult(
        tool=ToolInfo("0.1.0", "32.5.0", "3.27", "test"),
        root="/src/project",
        root_name="project",
        started_at="2026-01-01T00:00:00Z",
        finished_at="2026-01-01T00:00:01Z",
        options={},
        summary=ScanSummary(
            files=len(files),
            files_scanned=len(files),
            files_skipped=0,
            files_with_errors=0,
            files_with_licenses=sum(1 for f in files if f.license_detections),
            files_with_copyrights=0,
            license_counts={},
            holder_counts={},
            issue_counts={},
            elapsed_seconds=0.0,
        ),
        files=files,
        packages=tuple(packages),
        dependencies=tuple(dependencies),
    )


def with_packages(
    result: ScanResult, packages: Iterable[Package], dependencies: Iterable[Dependency]
) -> dict[str, Any]:
    """The JSON document of a real scan with packages and dependencies added."""
    document = result.to_dict()
    document["packages"] = [p.to_dict() for p in packages]
    document["dependencies"] = [d.to_dict() for d in dependencies]
    return document


def write_json(path: Path, document: dict[str, Any]) -> Path:
    """Write ``document`` to ``path`` as JSON and return the path."""
    path.write_text(json.dumps(document), encoding="utf-8")
    return path
