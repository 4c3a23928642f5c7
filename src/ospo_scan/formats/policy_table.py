# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""``ospo-scan policy show``: a resolved policy (after ``extends``) as rich tables."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from ospo_scan.formats._rich import render_text
from ospo_scan.policy.model import Origin, Policy, Rule, RuleSet, Verdict

_WORDS = {Verdict.PASS: "allow", Verdict.REVIEW: "review", Verdict.DENY: "deny"}


def _where(origin: Origin) -> str:
    # The file's name is enough here: the header lists the files in full.
    return f"{Path(origin.file).name}:{origin.line}"


def _label(name: str, rule: Rule) -> str:
    return f"{name} ({_where(rule.origin)})"


def _rules(title: str, rules: RuleSet) -> Table:
    table = Table(title=title, title_justify="left", show_lines=True)
    table.add_column("Rule")
    table.add_column("Verdict")
    table.add_column("Applies to", overflow="fold")
    for kind, entries in (("licenses", rules.licenses), ("categories", rules.categories)):
        for verdict in Verdict:
            names = [
                _label(r.name or n, r) for n, r in sorted(entries.items()) if r.verdict is verdict
            ]
            if names:
                table.add_row(kind, _WORDS[verdict], Text("\n".join(names)))
    for name in ("unknown", "conflict", "default", "errors"):
        rule: Rule | None = getattr(rules, name)
        if rule is not None:
            table.add_row(name, _WORDS[rule.verdict], Text(f"({_where(rule.origin)})"))
    if rules.references is not None:
        ref = rules.references
        table.add_row("references", ref.mode.value, Text(f"({_where(ref.origin)})"))
    return table


def render_policy(policy: Policy, *, today: dt.date, width: int | None = None) -> str:
    """The policy as plain text tables."""
    parts: list[RenderableType] = []
    header = Text()
    header.append(f"Policy {policy.name}", style="bold")
    header.append(f"  built from: {' <- '.join(policy.sources)}")
    if policy.description:
        header.append(f"\n{policy.description}")
    parts.append(header)
    parts.append(_rules("Rules", policy.rules))
    for context in policy.contexts:
        selectors = []
        if context.paths:
            selectors.append("paths " + ", ".join(context.paths))
        if context.scopes:
            selectors.append("scopes " + ", ".join(s.value for s in context.scopes))
        parts.append(_rules(f"Context {context.name}: {'; '.join(selectors)}", context.rules))
    if policy.waivers:
        parts.append(_waivers(policy, today))
    if policy.curations:
        parts.append(_curations(policy, today))
    return render_text(Group(*parts), width=width, color=False)


def _waivers(policy: Policy, today: dt.date) -> Table:
    """The waivers, with what each matches; expired ones marked."""
    table = Table(title="Waivers", title_justify="left", show_lines=True)
    for column in ("Waiver", "Matches", "Reason", "Approved", "Expires"):
        table.add_column(column, overflow="fold")
    for w in policy.waivers:
        matches = [*(f"path {p}" for p in w.paths)]
        if w.package:
            matches.append(f"package {w.package} {w.versions or ''}".strip())
        if w.license:
            matches.append(f"license {w.license}")
        if w.errors:
            matches.append("scan errors only")
        approved = ", ".join(x for x in (w.approved_by, w.ticket) if x)
        expires = ""
        if w.expires:
            expires = f"{w.expires}" + (" (expired)" if w.expired(today) else "")
        table.add_row(
            Text(f"{w.origin.key} ({_where(w.origin)})"),
            Text("\n".join(matches)),
            Text(w.reason),
            Text(approved),
            expires,
        )
    return table


def _curations(policy: Policy, today: dt.date) -> Table:
    """The curations, with what each matches and sets; expired ones marked."""
    table = Table(title="Curations", title_justify="left", show_lines=True)
    for column in ("Curation", "Matches", "License", "Reason", "Approved", "Expires"):
        table.add_column(column, overflow="fold")
    for c in policy.curations:
        matches = [f"package {c.purl}" if c.purl else f"path {c.path}"]
        if c.detected:
            matches.append(f"where {c.detected}")
        matches += [f"pinned {pin.path}" for pin in c.license_files]
        expires = ""
        if c.expires:
            expires = f"{c.expires}" + (" (expired)" if c.expired(today) else "")
        table.add_row(
            Text(f"{c.origin.key} ({_where(c.origin)})"),
            Text("\n".join(matches)),
            Text(c.license),
            Text(c.reason),
            Text(c.approved_by),
            expires,
        )
    return table


class PolicyTable:
    """``policy show``: the policy after ``extends``, as tables; expired waivers marked."""

    for_humans = True

    def render(self, data: Policy, *, width: int | None = None, color: bool = False) -> str:
        """The tables, as of today (the day decides which waivers are expired)."""
        return render_policy(data, today=dt.date.today(), width=width)


#: The registry's entry (:mod:`ospo_scan.formats.registry`).
FORMAT = PolicyTable()
