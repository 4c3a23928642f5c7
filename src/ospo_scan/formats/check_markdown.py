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

#: GitHub refuses a comment longer than 65,536 characters; the rest is margin for a bot's
#: own words around the report.
MAX_CHARS = 60_000

#: Rows per table tried in turn until the comment fits (None: every row).
_ROW_CAPS = (None, 1000, 300, 100, 30, 10, 3, 0)

_HEADINGS = {
    Verdict.DENY: ":x: Denied",
    Verdict.REVIEW: ":warning: To review",
    Verdict.PASS: ":white_check_mark: Passed",
}


_TRUNCATED = (
    "> :scissors: {what} not shown: a pull-request comment holds at most 65,536 characters. "
    "The full report is in the CI job's log (`ospo-scan check --format table --verbose`) "
    "or its JSON report (`ospo-scan check --format json -o report.json`)."
)


def cell(text: str | None) -> str:
    """Text made safe for one table cell: pipes, newlines and markup characters escaped."""
    if not text:
        return ""
    out = printable(text).replace("\\", "\\\\").replace("|", "\\|")
    for char in "`*_[]<>":
        out = out.replace(char, f"\\{char}")
    return out


def _capped(findings: list[Finding], cap: int | None, hidden: list[int]) -> list[Finding]:
    """The first ``cap`` findings; counts the rest in ``hidden``."""
    if cap is None or len(findings) <= cap:
        return findings
    hidden.append(len(findings) - cap)
    return findings[:cap]


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


def _folded(heading: str, findings: list[Finding], cap: int) -> list[str]:
    if not findings:
        return []
    lines = ["<details>", f"<summary>{heading} ({len(findings)})</summary>", ""]
    if cap:
        lines += _rows(findings[:cap])
    if len(findings) > cap:
        lines += ["", f"… and {len(findings) - cap} more."]
    return [*lines, "", "</details>", ""]


class MarkdownReport:
    """Denied and review findings as tables; passes folded away; waiver warnings."""

    for_humans = False

    def render(self, report: PolicyReport, *, width: int | None = None, color: bool = False) -> str:
        """The comment as Markdown text, ending in a newline, within :data:`MAX_CHARS`.

        Every violation is listed when the comment fits; otherwise the tables are cut to
        fewer rows each until it does, and a note says how many were left out and where
        the full report is.
        """
        text = ""
        for cap in _ROW_CAPS:
            text = self._document(report, cap)
            if len(text) <= MAX_CHARS:
                return text
        # Still too long (a policy with thousands of waiver warnings): cut at a line.
        cut = text[: MAX_CHARS - 200].rsplit("\n", 1)[0]
        return cut + "\n\n" + _TRUNCATED.format(what="The rest of this comment") + "\n"

    def _document(self, report: PolicyReport, cap: int | None) -> str:
        hidden: list[int] = []
        pass_cap = MAX_PASS_ROWS if cap is None else min(cap, MAX_PASS_ROWS)
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
            lines += [heading, "", *_error_rows(_capped(errors, cap, hidden)), ""]
        judged = [f for f in report.findings if f.check is not Check.SCAN_ERROR]
        # With a baseline, the violations it holds already are folded away with the passes:
        # a pull request's comment leads with what the change adds.
        counted = [f for f in judged if report.counts_against(f)]
        for verdict in (Verdict.DENY, Verdict.REVIEW):
            findings = [f for f in counted if f.verdict is verdict]
            if findings:
                new = " new" if report.baseline is not None else ""
                heading = f"### {_HEADINGS[verdict]}{new} ({len(findings)})"
                lines += [heading, "", *_rows(_capped(findings, cap, hidden)), ""]
        held = [f for f in judged if not report.counts_against(f) and f.verdict is not Verdict.PASS]
        held_heading = ":file_folder: Violations already in the baseline"
        lines += _folded(held_heading, held, MAX_PASS_ROWS if cap is None else cap)
        passed = [f for f in judged if f.verdict is Verdict.PASS]
        lines += _folded(_HEADINGS[Verdict.PASS], passed, pass_cap)
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
                    for e in fixed[:pass_cap]
                ),
            ]
            if len(fixed) > pass_cap:
                lines += ["", f"… and {len(fixed) - pass_cap} more."]
            lines += ["", "</details>", ""]
        if report.waiver_notes:
            lines += ["### Waiver warnings", ""]
            lines += [
                f"- {cell(n.message)} (reason: {cell(n.waiver.reason)})"
                for n in report.waiver_notes
            ]
            lines.append("")
        if report.curation_notes:
            lines += ["### Curation warnings", ""]
            lines += [f"- {cell(n.message)}" for n in report.curation_notes]
            lines.append("")
        if hidden:
            what = f"{sum(hidden)} more findings in review or denied are"
            lines += [_TRUNCATED.format(what=what), ""]
        return "\n".join(lines)


#: The registry's entry (:mod:`ospo_scan.formats.registry`).
FORMAT = MarkdownReport()
