# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""A fleet inventory: the results of many repositories as one (``merge --inventory``).

The inventory is itself a scan result document: each repository's files, packages and
dependencies are kept under a folder named after it (``repo-a/package.json``), so that
``check`` judges every repository against a policy and ``sbom`` lists every component,
each finding naming its repository. Its ``inventory`` section says, per repository, where
its result came from, its packages, its concluded licenses and its verdict counts under the
policy given to ``merge``; and, across the fleet, each distinct package (by purl) with the
repositories that use it and the licenses seen for it.
"""

from __future__ import annotations

import collections
import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from ospo_scan.evaluate import evaluate
from ospo_scan.model import (
    Dependency,
    FileRecord,
    LicenseConflict,
    Package,
    ScanResult,
    ScanSummary,
)
from ospo_scan.policy.model import Policy

#: Version of the ``inventory`` section.
INVENTORY_VERSION = "1.0.0"


def build_inventory(
    results: Sequence[tuple[Path, ScanResult]], policy: Policy, policy_name: str
) -> ScanResult:
    """One result document for the fleet of ``results`` (each with the file it came from)."""
    names = _names([result for _, result in results])
    repositories = []
    files: list[FileRecord] = []
    found_packages: list[Package] = []
    found_dependencies: list[Dependency] = []
    used: dict[str, dict[str, Any]] = {}
    for (source, result), name in zip(results, names, strict=True):
        report = evaluate(result, policy)
        repositories.append(_repository(name, source, result, report.counts))
        under = _under(name)
        files.extend(_file_under(r, under) for r in result.files)
        found_packages.extend(_package_under(p, under) for p in result.packages)
        found_dependencies.extend(
            replace(
                d,
                datafile_path=under(d.datafile_path),
                license_source=d.license_source
                if d.license_source in (None, "lockfile")
                else under(d.license_source),
            )
            for d in result.dependencies
        )
        for package in result.packages:
            _use(used, package.purl, package.name, name, package.concluded_license_spdx)
        for dependency in result.dependencies:
            _use(used, dependency.purl, dependency.name, name, dependency.license_spdx)
    first = results[0][1]
    summary = _summed([r.summary for _, r in results])
    inventory = {
        "version": INVENTORY_VERSION,
        "policy": policy_name,
        "repositories": repositories,
        "packages": [
            {
                "purl": purl,
                "name": entry["name"],
                "repositories": sorted(entry["repositories"]),
                "licenses": sorted(entry["licenses"]),
            }
            for purl, entry in sorted(used.items())
        ],
    }
    return ScanResult(
        tool=first.tool,
        root="inventory",
        root_name="inventory",
        started_at=min(r.started_at for _, r in results),
        finished_at=datetime.now(timezone.utc).isoformat(timespec="seconds"),
        options=first.options,
        summary=replace(
            summary,
            packages=len(found_packages),
            dependencies=len(found_dependencies),
            dependencies_unresolved=sum(d.unresolved for d in found_dependencies),
            license_conflicts=sum(p.conflict is not None for p in found_packages),
        ),
        files=tuple(sorted(files, key=lambda r: r.path)),
        packages=tuple(found_packages),
        dependencies=tuple(found_dependencies),
        extra={"inventory": inventory},
    )


def _names(results: Sequence[ScanResult]) -> list[str]:
    """A distinct folder name for each repository: its root's name, numbered when taken."""
    taken: set[str] = set()
    names = []
    for result in results:
        base = (result.root_name or "repository").replace("/", "_")
        name, number = base, 1
        while name in taken:
            number += 1
            name = f"{base}-{number}"
        taken.add(name)
        names.append(name)
    return names


def _under(name: str) -> Callable[[str], str]:
    def prefixed(path: str) -> str:
        return f"{name}/{path}" if path else name

    return prefixed


def _file_under(record: FileRecord, under: Callable[[str], str]) -> FileRecord:
    detections = tuple(
        replace(d, followed_files=tuple(under(f) for f in d.followed_files))
        if d.followed_files
        else d
        for d in record.license_detections
    )
    return replace(record, path=under(record.path), license_detections=detections)


def _package_under(package: Package, under: Callable[[str], str]) -> Package:
    conflict = package.conflict
    if conflict is not None:
        conflict = LicenseConflict(
            conflict.declared,
            conflict.detected,
            tuple(under(f) for f in conflict.license_files),
        )
    return replace(
        package,
        root_path=None if package.root_path is None else under(package.root_path),
        datafile_paths=tuple(under(p) for p in package.datafile_paths),
        license_files=tuple(under(p) for p in package.license_files),
        conflict=conflict,
    )


def _repository(
    name: str, source: Path, result: ScanResult, counts: dict[Any, int]
) -> dict[str, Any]:
    concluded = collections.Counter(
        p.concluded_license_spdx for p in result.packages if p.concluded_license_spdx
    )
    return {
        "name": name,
        "result": str(source),
        "root": result.root,
        "scanned_at": result.started_at,
        "tool_version": result.tool.ospo_scan_version,
        "files": result.summary.files,
        "packages": [
            {"purl": p.purl, "concluded_license_spdx": p.concluded_license_spdx}
            for p in result.packages
        ],
        "dependencies": len(result.dependencies),
        "concluded_licenses": dict(sorted(concluded.items(), key=lambda kv: (-kv[1], kv[0]))),
        "license_counts": dict(result.summary.license_counts),
        "verdicts": {verdict.value: count for verdict, count in counts.items()},
    }


def _use(
    used: dict[str, dict[str, Any]], purl: str, name: str, repository: str, license_spdx: str | None
) -> None:
    entry = used.setdefault(purl, {"name": name, "repositories": set(), "licenses": set()})
    entry["repositories"].add(repository)
    if license_spdx:
        entry["licenses"].add(license_spdx)


def _summed(summaries: Sequence[ScanSummary]) -> ScanSummary:
    """The counts of all ``summaries`` added up."""
    totals: dict[str, Any] = {}
    for item in dataclasses.fields(ScanSummary):
        values = [getattr(s, item.name) for s in summaries]
        if isinstance(values[0], dict) or hasattr(values[0], "items"):
            added: collections.Counter[str] = collections.Counter()
            for value in values:
                added.update(value)
            totals[item.name] = dict(sorted(added.items(), key=lambda kv: (-kv[1], kv[0])))
        elif item.name == "elapsed_seconds":
            totals[item.name] = round(sum(values), 3)
        else:
            totals[item.name] = sum(values)
    return ScanSummary(**totals)
