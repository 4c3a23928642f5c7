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


def _folded(heading: str, findings: list[Finding]) -> list[str]:
    if not findings:
        return []
    lines = [
        "<details>",
        f"<summary>{heading} ({len(findings)})</summary>",
        "",
        *_rows(findings[:MAX_PASS_ROWS]),
    ]
    if len(findings) > MAX_PASS_ROWS:
        lines += ["", f"… and {len(findings) - MAX_PASS_ROWS} more."]
    return [*lines, "", "</details>", ""]


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
        # With a baseline, the violations it holds already are folded away with the passes:
        # a pull request's comment leads with what the change adds.
        counted = [f for f in judged if report.counts_against(f)]
        for verdict in (Verdict.DENY, Verdict.REVIEW):
            findings = [f for f in counted if f.verdict is verdict]
            if findings:
                new = " new" if report.baseline is not None else ""
                heading = f"### {_HEADINGS[verdict]}{new} ({len(findings)})"
                lines += [heading, "", *_rows(findings), ""]
        held = [f for f in judged if not report.counts_against(f) and f.verdict is not Verdict.PASS]
        lines += _folded(":file_folder: Violations already in the baseline", held)
        lines += _folded(_HEADINGS[Verdict.PASS], [f for f in judged if f.verdict is Verdict.PASS])
        if report.baseline is not None and report.baseline.fixed:
            fixed = report.baseline.fixed
            lines += [
                "<details>",
                f"<summary>:tada: Fixed since the baseline ({len(fixed)})</summary>",
                "",
                "| Path or package | Expression | Was |",
                "| --- | --- | --- |",
                *(
                    f"| {cell(e.name)} | {cell(e.expression)} | {e.verdict.value} |"
                    for e in fixed[:MAX_PASS_ROWS]
                ),
            ]
            if len(fixed) > MAX_PASS_ROWS:
                lines += ["", f"… and {len(fixed) - MAX_PASS_ROWS} more."]
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
