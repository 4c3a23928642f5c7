# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""``check --format table``: a compact report for a terminal and a CI log alike.

Findings are grouped by verdict (worst first), then by license expression and the rule that
decided, with counts and a few paths per group; passed findings are one line of counts per
license unless asked for (``show_passed``), and ``verbose`` lists every path of every group.
Scan errors (files the scan could not read or judge) come first.

The text is wrapped at the width given (80 columns without one) at spaces only: a path, a
purl or a license id is never broken across lines, so it can be searched for and copied
whole. A single token wider than the line stays whole on a line of its own.

User data (paths, expressions, reasons) is escaped with :func:`ospo_scan.model.printable`
and never read as rich markup.
"""

from __future__ import annotations

import io
from collections import Counter, defaultdict
from dataclasses import dataclass, replace
from typing import NamedTuple

from rich.cells import cell_len

from ospo_scan.evaluate import Check, Finding, PolicyReport, Subject
from ospo_scan.evaluate.report import BaselineFinding, BaselineState
from ospo_scan.model import printable
from ospo_scan.policy.model import Verdict

#: The width when none is given (a pipe, a CI log): readable in any terminal and log viewer.
DEFAULT_WIDTH = 80
#: Paths (or packages) shown per group before "and N more"; ``verbose`` shows them all.
ITEMS_PER_GROUP = 5

_TITLES = {
    Verdict.DENY: ("Denied", "bold red"),
    Verdict.REVIEW: ("To review", "bold yellow"),
    Verdict.PASS: ("Passed", "bold green"),
}
_NOUNS = {Subject.FILE: "file", Subject.PACKAGE: "package", Subject.DEPENDENCY: "dependency"}


class _Word(NamedTuple):
    """An unbreakable piece of a line, with its rich style ("" for none)."""

    text: str
    style: str = ""


def _words(text: str | None, style: str = "") -> list[_Word]:
    """Prose, breakable at its spaces."""
    return [_Word(word, style) for word in printable(text).split()]


def _token(text: str | None, style: str = "") -> list[_Word]:
    """User data that must stay whole on one line (a path with a space in it, too)."""
    shown = printable(text)
    return [_Word(shown, style)] if shown else []


def _fitted(word: _Word, width: int) -> _Word:
    """``word``, or a path's shorter form that fits ``width`` (folders elided from the middle)."""
    if cell_len(word.text) <= width or "/" not in word.text:
        return word
    parts = word.text.split("/")
    head, tail = parts[0], parts[1:]
    while len(tail) > 1:
        tail = tail[1:]
        short = "/".join([head, "…", *tail])
        if cell_len(short) <= width:
            return _Word(short, word.style)
    return word


@dataclass(frozen=True, slots=True)
class _Lines:
    """Lines of styled words, wrapped at ``width`` without ever breaking a word."""

    width: int
    lines: list[list[_Word]]

    def add(self, words: list[_Word], indent: int = 0, hang: int = 2) -> None:
        """One paragraph: ``indent`` spaces, and ``indent + hang`` on its continuation lines.

        A word too wide for its line after the indent moves left as far as it must (a long
        path then starts nearer the margin); a path still too wide loses folders from its
        middle (``tests/…/site-packages/x/METADATA``), never its first folder or its name;
        any other word stays whole past the width.
        """
        line: list[_Word] = []
        used, pad = 0, indent
        for word in words:
            word = _fitted(word, self.width)  # noqa: PLW2901 -- the word as it is shown
            size = cell_len(word.text)
            if line and used + 1 + size > self.width:
                self.lines.append(line)
                line, pad = [], indent + hang
            if not line:
                used = max(0, min(pad, self.width - size))
                line.append(_Word(" " * used))
            else:
                line.append(_Word(" "))
                used += 1
            line.append(word)
            used += size
        self.lines.append(line)

    def blank(self) -> None:
        """An empty line between sections."""
        self.lines.append([])

    def text(self, *, color: bool) -> str:
        """The lines as text: plain, or with ANSI styles when ``color``."""
        if not color:
            return "".join("".join(w.text for w in line).rstrip() + "\n" for line in self.lines)
        from rich.console import Console  # noqa: PLC0415 -- only a colour terminal needs it
        from rich.text import Text  # noqa: PLC0415

        buffer = io.StringIO()
        console = Console(
            file=buffer, force_terminal=True, width=self.width, highlight=False, soft_wrap=True
        )
        for line in self.lines:
            text = Text()
            for word in line:
                text.append(word.text, style=word.style or None)
            text.rstrip()
            console.print(text, soft_wrap=True)
        return buffer.getvalue()


class _Key(NamedTuple):
    """What the findings of one group share: the license and everything that judged it."""

    expression: str
    rule: str
    origin: str
    note: str
    elected: str
    waiver: str
    waiver_reason: str
    issue_kind: str
    curation: str


def _warnings(out: _Lines, report: PolicyReport) -> None:
    """The waivers and curations worth a warning, after the findings."""
    if report.waiver_notes:
        out.blank()
        out.add(_words("Waiver warnings", "bold yellow"))
        for note in report.waiver_notes:
            out.add(_words(note.message) + _words(f"(reason: {note.waiver.reason})", "dim"), 2)
    if report.curation_notes:
        out.blank()
        out.add(_words("Curation warnings", "bold yellow"))
        for cnote in report.curation_notes:
            out.add(_words(cnote.message), 2)


def _key(finding: Finding) -> _Key:
    return _Key(
        finding.expression,
        finding.rule,
        f"{finding.origin.file}:{finding.origin.line}",
        finding.note or "",
        finding.elected or "",
        finding.waiver or "",
        finding.waiver_reason or "",
        finding.issue.kind.value if finding.issue else "",
        f"{finding.curation}: {finding.curation_reason}" if finding.curation else "",
    )


def _groups(findings: list[Finding]) -> list[tuple[_Key, list[Finding]]]:
    """Findings by key, the largest group first (then by expression, for a stable order)."""
    grouped: dict[_Key, list[Finding]] = defaultdict(list)
    for finding in findings:
        grouped[_key(finding)].append(finding)
    return sorted(grouped.items(), key=lambda item: (-len(item[1]), item[0]))


def _plural(count: int, noun: str) -> str:
    if count == 1:
        return f"1 {noun}"
    return f"{count} {noun[:-1]}ies" if noun.endswith("y") else f"{count} {noun}s"


def _counts(findings: list[Finding], baseline: bool) -> str:
    subjects = Counter(f.subject for f in findings)
    parts = [_plural(subjects[s], _NOUNS[s]) for s in Subject if subjects[s]]
    text = ", ".join(parts)
    if baseline:
        new = sum(1 for f in findings if f.baseline is BaselineState.NEW)
        text += f"; {new} new since the baseline" if new else "; all in the baseline"
    return text


def _item(finding: Finding, baseline: bool) -> list[_Word]:
    words = _token(finding.name)
    details = []
    if finding.kind is not None:
        details.append(finding.kind.value)
    if finding.subject is not Subject.FILE and finding.path:
        details.append(f"in {printable(finding.path)}")
    if finding.issue is not None:
        details.append(finding.issue.message)
    if baseline:
        details.append(
            "new since the baseline" if finding.baseline is BaselineState.NEW else "in the baseline"
        )
    if details:
        words += _words(f"({'; '.join(details)})", "dim")
    return words


@dataclass(frozen=True, slots=True)
class TableReport:
    """Findings grouped by verdict, then by license and rule, with counts and a few paths."""

    for_humans = True
    #: List the passed findings group by group, as the others (not only their counts).
    show_passed: bool = False
    #: Every path of every group, not the first few.
    verbose: bool = False

    def with_view(self, *, show_passed: bool = False, verbose: bool = False) -> TableReport:
        """This format with the ``check`` command's ``--show-passed`` and ``--verbose``."""
        return replace(self, show_passed=show_passed, verbose=verbose)

    def render(self, report: PolicyReport, *, width: int | None = None, color: bool = False) -> str:
        """The report as text, wrapped at ``width`` (80 by default; ANSI styles when ``color``)."""
        out = _Lines(max(width or DEFAULT_WIDTH, 40), [])
        header = [_Word("Policy", "bold"), *_token(report.policy)]
        header += _words(f"({', '.join(report.policy_sources)}) on", "dim")
        out.add(header + _token(report.root))
        baseline = report.baseline is not None
        errors = [f for f in report.findings if f.check is Check.SCAN_ERROR]
        if errors:
            out.blank()
            title = f"Scan errors ({len(errors)}): files that could not be judged"
            out.add(_words(title, "bold red"))
            for key, group in _groups(errors):
                self._group(out, key, group, baseline, label=f"{group[0].verdict.value}:")
        judged = [f for f in report.findings if f.check is not Check.SCAN_ERROR]
        for verdict in (Verdict.DENY, Verdict.REVIEW, Verdict.PASS):
            findings = [f for f in judged if f.verdict is verdict]
            if not findings:
                continue
            title, style = _TITLES[verdict]
            out.blank()
            if verdict is Verdict.PASS and not (self.show_passed or self.verbose):
                _passed_counts(out, findings, title, style)
                continue
            out.add(_words(f"{title} ({len(findings)})", style))
            for key, group in _groups(findings):
                self._group(out, key, group, baseline)
        if report.baseline is not None and report.baseline.fixed:
            self._fixed(out, report.baseline.fixed)
        if not report.findings:
            out.blank()
            out.add(_words("No licenses, packages or dependencies to check."))
        _warnings(out, report)
        return out.text(color=color)

    def _group(
        self, out: _Lines, key: _Key, group: list[Finding], baseline: bool, label: str = ""
    ) -> None:
        what = key.issue_kind or key.expression or "no license found"
        heading = _words(label) + _words(what, "bold") + _words(f"({_counts(group, baseline)})")
        out.add(heading, 2)
        decided = _words("decided by", "dim") + _words(key.rule)
        out.add([*decided, *_token(f"({key.origin})", "dim")], 4)
        if key.note:
            out.add(_words(key.note, "italic"), 4)
        if key.elected:
            out.add(_words("elected", "dim") + _words(key.elected), 4)
        if key.curation:
            out.add(_words("curated by", "dim") + _words(key.curation), 4)
        if key.waiver:
            reason = f": {key.waiver_reason}" if key.waiver_reason else ""
            out.add(_words("waived by", "dim") + _words(key.waiver + reason), 4)
        # With a baseline, what is new comes first: it is what fails the gate.
        ordered = sorted(group, key=lambda f: f.baseline is not BaselineState.NEW)
        shown = ordered if self.verbose else ordered[:ITEMS_PER_GROUP]
        for finding in shown:
            out.add(_item(finding, baseline), 6)
        if len(shown) < len(ordered):
            more = f"… and {len(ordered) - len(shown)} more (--verbose, or --format json)"
            out.add(_words(more, "dim"), 6)

    def _fixed(self, out: _Lines, fixed: tuple[BaselineFinding, ...]) -> None:
        out.blank()
        out.add(_words(f"Fixed since the baseline ({len(fixed)})", "bold green"))
        shown = fixed if self.verbose else fixed[: ITEMS_PER_GROUP * 2]
        for entry in shown:
            was = f"(was {entry.verdict.value})"
            out.add(_token(entry.name) + _words(entry.expression, "bold") + _words(was, "dim"), 2)
        if len(shown) < len(fixed):
            out.add(_words(f"… and {len(fixed) - len(shown)} more (--verbose)", "dim"), 2)


def _passed_counts(out: _Lines, findings: list[Finding], title: str, style: str) -> None:
    """Passed findings as counts per license: "MIT 120, Apache-2.0 14, ..."."""
    hint = _words("(--show-passed lists them)", "dim")
    out.add(_words(f"{title} ({len(findings)})", style) + hint)
    counted = Counter(f.expression or "no license found" for f in findings)
    ordered = sorted(counted.items(), key=lambda item: (-item[1], item[0]))
    words: list[_Word] = []
    for index, (expression, count) in enumerate(ordered):
        # "MIT: 120," ends in one word: a license is never parted from its count.
        *head, last = _words(expression)
        comma = "," if index < len(ordered) - 1 else ""
        words += [*head, _Word(f"{last.text}: {count}{comma}")]
    out.add(words, 2)


#: The registry's entry (:mod:`ospo_scan.formats.registry`).
FORMAT = TableReport()
