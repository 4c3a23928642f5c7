# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""``check --format table``: one rich table per verdict, worst first, for a terminal.

Scan errors (files the scan could not read or judge) come first, in a table of their own.

User data (paths, expressions, reasons) goes into ``Text`` so it is never read as markup.
"""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from ospo_scan.evaluate import Check, Finding, PolicyReport
from ospo_scan.evaluate.report import BaselineFinding, BaselineState
from ospo_scan.formats._rich import render_text, safe_text
from ospo_scan.policy.model import Verdict

#: Passing rows shown before "and N more"; denied and review rows are always all shown.
MAX_PASS_ROWS = 30

_TITLES = {
    Verdict.DENY: ("Denied", "bold red"),
    Verdict.REVIEW: ("To review", "bold yellow"),
    Verdict.PASS: ("Passed", "bold green"),
}


def _what(finding: Finding) -> Text:
    text = safe_text(finding.name)
    details = [finding.subject.value]
    if finding.kind is not None:
        details.append(finding.kind.value)
    if finding.context:
        details.append(f"context: {finding.context}")
    if finding.baseline is BaselineState.UNCHANGED:
        details.append("in the baseline")
    text.append("\n" + ", ".join(details), style="dim")
    if finding.baseline is BaselineState.NEW:
        text.append("\nnew since the baseline", style="bold")
    return text


def _rule(finding: Finding) -> Text:
    text = safe_text(finding.rule)
    text.append(f"\n{finding.origin.file}:{finding.origin.line}", style="dim")
    if finding.note:
        text.append("\n" + finding.note, style="italic")
    return text


def _waiver(finding: Finding) -> Text:
    if not finding.waiver:
        return Text("")
    text = safe_text(finding.waiver)
    if finding.unwaived_verdict:
        text.append(f"\nwas {finding.unwaived_verdict.value}", style="dim")
    if finding.waiver_reason:
        text.append("\n" + finding.waiver_reason, style="dim")
    return text


def _table(verdict: Verdict, findings: list[Finding], limit: int | None) -> Table:
    title, style = _TITLES[verdict]
    table = Table(title=f"{title} ({len(findings)})", title_style=style, title_justify="left")
    table.add_column("Path or package", overflow="fold")
    table.add_column("Expression", overflow="fold")
    table.add_column("Decided by", overflow="fold")
    table.add_column("Elected", overflow="fold")
    table.add_column("Waiver", overflow="fold")
    shown = findings if limit is None else findings[:limit]
    for f in shown:
        table.add_row(_what(f), safe_text(f.expression), _rule(f), safe_text(f.elected), _waiver(f))
    if len(shown) < len(findings):
        more = Text(f"… and {len(findings) - len(shown)} more (see --format json)", style="dim")
        table.add_row(more, "", "", "", "")
    return table


def _errors_table(findings: list[Finding]) -> Table:
    table = Table(
        title=f"Scan errors ({len(findings)}): files that could not be judged",
        title_style="bold red",
        title_justify="left",
    )
    table.add_column("File", overflow="fold")
    table.add_column("Issue", overflow="fold")
    table.add_column("Verdict")
    table.add_column("Decided by", overflow="fold")
    table.add_column("Waiver", overflow="fold")
    for f in findings:
        issue = Text(f.issue.kind.value if f.issue else "", style="bold")
        if f.issue:
            issue.append("\n").append_text(safe_text(f.issue.message))
        style = _TITLES[f.verdict][1]
        table.add_row(_what(f), issue, Text(f.verdict.value, style=style), _rule(f), _waiver(f))
    return table


def _fixed_table(fixed: tuple[BaselineFinding, ...]) -> Table:
    table = Table(
        title=f"Fixed since the baseline ({len(fixed)})",
        title_style="bold green",
        title_justify="left",
    )
    table.add_column("Path or package", overflow="fold")
    table.add_column("Expression", overflow="fold")
    table.add_column("Was")
    shown = fixed[:MAX_PASS_ROWS]
    for entry in shown:
        table.add_row(safe_text(entry.name), safe_text(entry.expression), entry.verdict.value)
    if len(shown) < len(fixed):
        more = Text(f"… and {len(fixed) - len(shown)} more (see --format json)", style="dim")
        table.add_row(more, "", "")
    return table


class TableReport:
    """Findings grouped by verdict, with the deciding rule, elected alternative and waiver."""

    for_humans = True

    def render(self, report: PolicyReport, *, width: int | None = None, color: bool = False) -> str:
        """The tables as text (with ANSI styles when ``color``)."""
        return render_text(self.renderable(report), width=width, color=color)

    def renderable(self, report: PolicyReport) -> RenderableType:
        """The tables as one rich renderable."""
        header = Text()
        header.append("Policy ", style="bold")
        header.append_text(safe_text(report.policy))
        header.append(f" ({', '.join(report.policy_sources)}) on ", style="dim")
        header.append_text(safe_text(report.root))
        parts: list[RenderableType] = [header]
        errors = [f for f in report.findings if f.check is Check.SCAN_ERROR]
        if errors:
            parts.append(_errors_table(errors))
        judged = [f for f in report.findings if f.check is not Check.SCAN_ERROR]
        for verdict in (Verdict.DENY, Verdict.REVIEW, Verdict.PASS):
            findings = [f for f in judged if f.verdict is verdict]
            if findings:
                limit = MAX_PASS_ROWS if verdict is Verdict.PASS else None
                parts.append(_table(verdict, findings, limit))
        if report.baseline is not None and report.baseline.fixed:
            parts.append(_fixed_table(report.baseline.fixed))
        if not report.findings:
            parts.append(Text("No licenses, packages or dependencies to check."))
        if report.waiver_notes:
            table = Table(title="Waiver warnings", title_style="bold yellow", title_justify="left")
            table.add_column("Waiver")
            table.add_column("Problem")
            table.add_column("Reason", overflow="fold")
            for note in report.waiver_notes:
                table.add_row(
                    safe_text(note.waiver.label), note.problem, safe_text(note.waiver.reason)
                )
            parts.append(table)
        return Group(*parts)


#: The registry's entry (:mod:`ospo_scan.formats.registry`).
FORMAT = TableReport()
