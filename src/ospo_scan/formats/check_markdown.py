# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""``check --format markdown``: a pull-request comment (GitHub-flavoured Markdown).

Scan errors (files the scan could not read or judge) come first, in a table of their own;
then the license findings by verdict, worst first.
"""

from __future__ import annotations

from ospo_scan.evaluate import Check, Finding, PolicyReport
from ospo_scan.model import printable
from ospo_scan.policy.model import Verdict

#: Passing rows listed (folded away) before "and N more".
MAX_PASS_ROWS = 100

_HEADINGS = {
    Verdict.DENY: ":x: Denied",
    Verdict.REVIEW: ":warning: To review",
    Verdict.PASS: ":white_check_mark: Passed",
}


def cell(text: str | None) -> str:
    """Text made safe for one table cell: pipes, newlines and markup characters escaped."""
    if not text:
        return ""
    out = printable(text).replace("\\", "\\\\").replace("|", "\\|")
    for char in "`*_[]<>":
        out = out.replace(char, f"\\{char}")
    return out


def _rows(findings: list[Finding]) -> list[str]:
    lines = [
        "| Path or package | Expression | Decided by | Elected | Waiver |",
        "| --- | --- | --- | --- | --- |",
    ]
    for f in findings:
        rule = cell(f.rule) + (f" ({cell(f.note)})" if f.note else "")
        waiver = cell(f.waiver) + (f": {cell(f.waiver_reason)}" if f.waiver_reason else "")
        lines.append(
            f"| {cell(f.name)} | {cell(f.expression)} | {rule} | {cell(f.elected)} | {waiver} |"
        )
    return lines


def _error_rows(findings: list[Finding]) -> list[str]:
    lines = [
        "| File | Issue | Verdict | Decided by | Waiver |",
        "| --- | --- | --- | --- | --- |",
    ]
    for f in findings:
        issue = f"{f.issue.kind.value}: {f.issue.message}" if f.issue else ""
        waiver = cell(f.waiver) + (f": {cell(f.waiver_reason)}" if f.waiver_reason else "")
        lines.append(
            f"| {cell(f.name)} | {cell(issue)} | {f.verdict.value} | {cell(f.rule)} | {waiver} |"
        )
    return lines


class MarkdownReport:
    """Denied and review findings as tables; passes folded away; waiver warnings."""

    for_humans = False

    def render(self, report: PolicyReport, *, width: int | None = None, color: bool = False) -> str:
        """The comment as Markdown text, ending in a newline."""
        status = (
            ":x: failed"
            if report.failed(Verdict.DENY)
            else (
                ":warning: needs review"
                if report.failed(Verdict.REVIEW)
                else ":white_check_mark: passed"
            )
        )
        lines = [
            f"## ospo-scan license check: {status}",
            "",
            f"Policy **{cell(report.policy)}** ({cell(', '.join(report.policy_sources))}): "
            f"{cell(report.summary().split(': ', 1)[1])}.",
            "",
        ]
        errors = [f for f in report.findings if f.check is Check.SCAN_ERROR]
        if errors:
            heading = f"### :no_entry: Scan errors ({len(errors)}): files that could not be judged"
            lines += [heading, "", *_error_rows(errors), ""]
        judged = [f for f in report.findings if f.check is not Check.SCAN_ERROR]
        for verdict in (Verdict.DENY, Verdict.REVIEW):
            findings = [f for f in judged if f.verdict is verdict]
            if findings:
                lines += [f"### {_HEADINGS[verdict]} ({len(findings)})", "", *_rows(findings), ""]
        passed = [f for f in judged if f.verdict is Verdict.PASS]
        if passed:
            lines += [
                "<details>",
                f"<summary>{_HEADINGS[Verdict.PASS]} ({len(passed)})</summary>",
                "",
                *_rows(passed[:MAX_PASS_ROWS]),
            ]
            if len(passed) > MAX_PASS_ROWS:
                lines += ["", f"… and {len(passed) - MAX_PASS_ROWS} more."]
            lines += ["", "</details>", ""]
        if report.waiver_notes:
            lines += ["### Waiver warnings", ""]
            lines += [
                f"- {cell(n.message)} (reason: {cell(n.waiver.reason)})"
                for n in report.waiver_notes
            ]
            lines.append("")
        return "\n".join(lines)


#: The registry's entry (:mod:`ospo_scan.formats.registry`).
FORMAT = MarkdownReport()
