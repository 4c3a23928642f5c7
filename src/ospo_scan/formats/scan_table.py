# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""``--format table``: rich tables for a person at a terminal.

Every piece of user data (paths, holders, expressions) goes into a ``Text`` so that a file
named ``src/[id]/x.py`` is shown as it is, never read as markup.
"""

from __future__ import annotations

import collections

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from ospo_scan.formats import packages_view
from ospo_scan.formats._rich import add_more_row, render_text, safe_text
from ospo_scan.model import FileRecord, FileStatus, ScanResult

#: Rows shown per table before "and N more"; the JSON output always has everything.
MAX_ROWS = 50
EXAMPLES = 3


class TableFormat:
    """Licenses, copyright holders and problems, as tables."""

    for_humans = True

    def render(self, result: ScanResult, *, width: int | None = None, color: bool = False) -> str:
        """The tables as text (with ANSI styles when ``color``)."""
        return render_text(self.renderable(result), width=width, color=color)

    def renderable(self, result: ScanResult) -> RenderableType:
        """The tables as one rich renderable."""
        parts: list[RenderableType] = [_header(result), _licenses(result.files)]
        parts.append(_holders(result.files))
        parts.extend(packages_view.renderables(result))
        problems = _problems(result.files)
        if problems is not None:
            parts.append(problems)
        return Group(*parts)


def _header(result: ScanResult) -> Text:
    s = result.summary
    text = Text()
    text.append("Scanned ", style="bold")
    text.append(safe_text(result.root))
    text.append(
        f"\n{s.files} files: {s.files_scanned} scanned, {s.files_skipped} skipped, "
        f"{s.files_with_errors} with errors; {s.files_with_licenses} with licenses, "
        f"{s.files_with_copyrights} with copyrights; {s.elapsed_seconds:.1f} s\n"
    )
    text.append(
        f"ospo-scan {result.tool.ospo_scan_version}, scancode-toolkit "
        f"{result.tool.scancode_toolkit_version}, SPDX license list "
        f"{result.tool.spdx_license_list_version}",
        style="dim",
    )
    return text


def _licenses(files: tuple[FileRecord, ...]) -> Table:
    table = Table(title="Licenses", title_justify="left", expand=False)
    table.add_column("License (SPDX)", overflow="fold")
    table.add_column("Files", justify="right")
    table.add_column("Strongest evidence")
    table.add_column("Example paths", overflow="fold")
    found: dict[str, list[FileRecord]] = collections.defaultdict(list)
    kinds: dict[str, set[str]] = collections.defaultdict(set)
    for record in files:
        for expression in dict.fromkeys(
            d.license_expression_spdx for d in record.license_detections
        ):
            found[expression].append(record)
        for detection in record.license_detections:
            kinds[detection.license_expression_spdx].add(detection.kind.value)
    order = sorted(found.items(), key=lambda kv: (-len(kv[1]), kv[0]))
    for expression, records in order[:MAX_ROWS]:
        examples = "\n".join(r.path for r in records[:EXAMPLES])
        evidence = ", ".join(
            k for k in ("text", "notice", "tag", "reference") if k in kinds[expression]
        )
        table.add_row(safe_text(expression), str(len(records)), evidence, safe_text(examples))
    add_more_row(table, len(order) - MAX_ROWS, 4)
    if not order:
        table.add_row(Text("no licenses found", style="dim"), "", "", "")
    return table


def _holders(files: tuple[FileRecord, ...]) -> Table:
    table = Table(title="Copyright holders", title_justify="left")
    table.add_column("Holder", overflow="fold")
    table.add_column("Files", justify="right")
    table.add_column("Example path", overflow="fold")
    found: dict[str, list[str]] = collections.defaultdict(list)
    for record in files:
        for holder in record.holders:
            found[holder].append(record.path)
    order = sorted(found.items(), key=lambda kv: (-len(kv[1]), kv[0].lower()))
    for holder, paths in order[:MAX_ROWS]:
        table.add_row(safe_text(holder), str(len(paths)), safe_text(paths[0]))
    add_more_row(table, len(order) - MAX_ROWS, 3)
    if not order:
        table.add_row(Text("no copyright holders found", style="dim"), "", "")
    return table


def _problems(files: tuple[FileRecord, ...]) -> Table | None:
    rows = [(record, issue) for record in files for issue in record.issues]
    if not rows:
        return None
    # Errors first: they are what a reader must act on; skipped files are expected.
    rank = {FileStatus.ERROR: 0, FileStatus.SCANNED: 1, FileStatus.SKIPPED: 2}
    rows.sort(key=lambda row: (rank[row[0].status], row[0].path))
    table = Table(title="Errors and skipped files", title_justify="left")
    table.add_column("Path", overflow="fold")
    table.add_column("Status")
    table.add_column("Reason", overflow="fold")
    styles = {FileStatus.ERROR: "red", FileStatus.SCANNED: "yellow", FileStatus.SKIPPED: "dim"}
    for record, issue in rows[:MAX_ROWS]:
        status = "warning" if record.status is FileStatus.SCANNED else record.status.value
        reason = Text(f"{issue.kind.value}: ").append(safe_text(issue.message))
        table.add_row(safe_text(record.path), Text(status, style=styles[record.status]), reason)
    add_more_row(table, len(rows) - MAX_ROWS, 3)
    return table


#: The registry's entry (:mod:`ospo_scan.formats.registry`).
FORMAT = TableFormat()
