# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""The packages and dependencies part of ``--format table``.

Counts by ecosystem and scope, the licenses of the dependencies, the packages with their
concluded license and its reason, and, for review, the unresolved dependencies and the
license conflicts with both sides.
"""

from __future__ import annotations

import collections

from rich.console import RenderableType
from rich.table import Table
from rich.text import Text

from ospo_scan.formats._rich import add_more_row, safe_text
from ospo_scan.model import ConclusionReason, Dependency, DependencyScope, Package, ScanResult

#: Rows shown per table before "and N more"; the JSON output always has everything.
MAX_ROWS = 50

_REASONS = {
    ConclusionReason.AGREE: "declared, files agree",
    ConclusionReason.DETECTED_ONLY: "license files",
    ConclusionReason.DECLARED_ONLY: "declared",
    ConclusionReason.CONFLICT: "CONFLICT",
    ConclusionReason.NONE: "unknown",
}


def renderables(result: ScanResult) -> list[RenderableType]:
    """The package tables, or nothing when the scan found no packages or dependencies."""
    if not result.packages and not result.dependencies:
        return []
    parts: list[RenderableType] = [
        _ecosystems(result.packages, result.dependencies),
        _packages(result.packages),
        _dependency_licenses(result.dependencies),
    ]
    conflicts = [p for p in result.packages if p.conflict is not None]
    if conflicts:
        parts.append(_conflicts(conflicts))
    unresolved = [d for d in result.dependencies if d.unresolved]
    if unresolved:
        parts.append(_unresolved(unresolved))
    return parts


def _ecosystems(packages: tuple[Package, ...], dependencies: tuple[Dependency, ...]) -> Table:
    table = Table(title="Packages and dependencies (dependencies by scope)", title_justify="left")
    table.add_column("Ecosystem")
    table.add_column("Packages", justify="right")
    for scope in DependencyScope:
        table.add_column(scope.value, justify="right")
    table.add_column("Unresolved", justify="right")
    by_type: dict[str, int] = collections.Counter(p.type for p in packages)
    scopes: dict[str, collections.Counter[DependencyScope]] = collections.defaultdict(
        collections.Counter
    )
    unresolved: collections.Counter[str] = collections.Counter()
    for dep in dependencies:
        kind = dep.purl[4:].split("/", 1)[0]
        scopes[kind][dep.scope] += 1
        unresolved[kind] += dep.unresolved
    for kind in sorted(set(by_type) | set(scopes)):
        table.add_row(
            safe_text(kind),
            str(by_type.get(kind, 0)),
            *(str(scopes[kind][s]) for s in DependencyScope),
            str(unresolved[kind]),
        )
    return table


def _packages(packages: tuple[Package, ...]) -> Table:
    table = Table(title="Packages", title_justify="left")
    table.add_column("Package (purl)", overflow="fold")
    table.add_column("Concluded license", overflow="fold")
    table.add_column("From")
    table.add_column("Path", overflow="fold")
    for package in packages[:MAX_ROWS]:
        conflict = package.concluded_reason is ConclusionReason.CONFLICT
        table.add_row(
            safe_text(package.purl),
            safe_text(package.concluded_license_spdx or "none"),
            Text(_REASONS[package.concluded_reason], style="bold red" if conflict else ""),
            safe_text(package.root_path or "."),
        )
    add_more_row(table, len(packages) - MAX_ROWS, 4)
    return table


def _dependency_licenses(dependencies: tuple[Dependency, ...]) -> Table:
    table = Table(title="Licenses of dependencies", title_justify="left")
    table.add_column("License (SPDX)", overflow="fold")
    table.add_column("Dependencies", justify="right")
    table.add_column("Examples", overflow="fold")
    names: dict[str, dict[str, None]] = collections.defaultdict(dict)
    for dep in dependencies:
        names[dep.license_spdx or "unresolved"][dep.name] = None
    order = sorted(names.items(), key=lambda kv: (kv[0] == "unresolved", -len(kv[1]), kv[0]))
    for license_spdx, found in order[:MAX_ROWS]:
        examples = ", ".join(list(found)[:3])
        style = "yellow" if license_spdx == "unresolved" else ""
        table.add_row(Text(license_spdx, style=style), str(len(found)), safe_text(examples))
    add_more_row(table, len(order) - MAX_ROWS, 3)
    if not order:
        table.add_row(Text("no dependencies", style="dim"), "", "")
    return table


def _conflicts(packages: list[Package]) -> Table:
    table = Table(title="License conflicts (declared vs. license files)", title_justify="left")
    table.add_column("Package (purl)", overflow="fold")
    table.add_column("Declared", overflow="fold")
    table.add_column("License files say", overflow="fold")
    table.add_column("Files", overflow="fold")
    for package in packages[:MAX_ROWS]:
        conflict = package.conflict
        assert conflict is not None  # filtered by the caller
        table.add_row(
            safe_text(package.purl),
            safe_text(conflict.declared),
            safe_text(conflict.detected),
            safe_text("\n".join(conflict.license_files)),
        )
    add_more_row(table, len(packages) - MAX_ROWS, 4)
    return table


def _unresolved(dependencies: list[Dependency]) -> Table:
    table = Table(title="Unresolved dependencies (no license found offline)", title_justify="left")
    table.add_column("Dependency (purl)", overflow="fold")
    table.add_column("Scope")
    table.add_column("Requirement", overflow="fold")
    table.add_column("Declared in", overflow="fold")
    for dep in dependencies[:MAX_ROWS]:
        table.add_row(
            safe_text(dep.purl),
            dep.scope.value,
            safe_text(dep.extracted_requirement or ""),
            safe_text(dep.datafile_path),
        )
    add_more_row(table, len(dependencies) - MAX_ROWS, 4)
    return table
