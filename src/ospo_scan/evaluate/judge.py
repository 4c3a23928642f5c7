# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""The judge: one finding's verdict from the policy's rules, contexts and waivers.

Expressions are parsed and deduplicated with license-expression, then judged bottom-up:
``A OR B`` takes the best alternative (and the report names it), ``A AND B`` the worst part,
``A WITH E`` the verdict of a listed pair, else that of ``A``. A license is looked up from
the most specific rule to the least: a listed ``license WITH exception`` pair, a listed
license, its ScanCode category, then ``unknown`` (licenses ScanCode cannot name) or
``default``; at each step the contexts that apply (last written first) before the top level.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from license_expression import ExpressionError, LicenseSymbol, LicenseWithExceptionSymbol

from ospo_scan.evaluate.report import Check, Finding, LicenseVerdict, Subject
from ospo_scan.licensing import LicenseCatalog, licensing
from ospo_scan.model import DependencyScope, FileIssue, MatchKind
from ospo_scan.policy.model import (
    Context,
    Origin,
    Policy,
    ReferenceMode,
    Rule,
    RuleSet,
    Verdict,
    Waiver,
)

#: The rule used when a policy says nothing at all about ``unknown``, ``conflict``,
#: ``default``, ``references`` or ``errors`` (documented in the README).
_BUILTIN = Origin("(built-in default)", 0, "")


@dataclass(frozen=True, slots=True)
class _Judged:
    """An expression's verdict while it is being worked out bottom-up."""

    verdict: Verdict
    leaves: tuple[LicenseVerdict, ...]  # the licenses that count (of the elected alternative)
    elected: str
    has_or: bool

    @property
    def sort_key(self) -> tuple[int, int]:
        # Among equal verdicts an alternative that needs no waiver is the better choice.
        return (self.verdict.rank, sum(1 for leaf in self.leaves if leaf.waiver))

    @property
    def decider(self) -> LicenseVerdict:
        return max(self.leaves, key=lambda leaf: leaf.verdict.rank)


class Judge:
    """Judges findings against one policy on one day, and remembers the waivers used."""

    def __init__(self, policy: Policy, today: dt.date, catalog: LicenseCatalog) -> None:
        self.policy = policy
        self.today = today
        self.catalog = catalog
        self.active = tuple(w for w in policy.waivers if not w.expired(today))
        self.used: set[int] = set()

    # rule lookup

    def layers(self, contexts: Sequence[Context]) -> list[tuple[str, RuleSet]]:
        named = [(f"{c.origin.key} ({c.name}) ", c.rules) for c in reversed(contexts)]
        return [*named, ("", self.policy.rules)]

    def contexts(self, path: str | None, scope: DependencyScope | None) -> tuple[Context, ...]:
        return tuple(c for c in self.policy.contexts if c.applies(path, scope))

    def setting(
        self, layers: Sequence[tuple[str, RuleSet]], name: str, fallback: Verdict
    ) -> tuple[str, Rule]:
        for prefix, rules in layers:
            rule: Rule | None = getattr(rules, name)
            if rule is not None:
                return f"{prefix}{name}", rule
        return f"{name} (built-in default)", Rule(fallback, _BUILTIN)

    def references(self, layers: Sequence[tuple[str, RuleSet]]) -> ReferenceMode:
        for _, rules in layers:
            if rules.references is not None:
                return rules.references.mode
        return ReferenceMode.REVIEW

    def leaf(
        self,
        symbol: LicenseSymbol | LicenseWithExceptionSymbol,
        layers: Sequence[tuple[str, RuleSet]],
    ) -> LicenseVerdict:
        """The verdict on one license (or ``license WITH exception``), most specific rule first."""
        name = self.canonical(symbol)
        if isinstance(symbol, LicenseWithExceptionSymbol):
            pair = name.lower()
            for prefix, rules in layers:
                if pair in rules.licenses:
                    rule = rules.licenses[pair]
                    return self._verdict(name, rule, f"{name} in {prefix}{_list_key(rule)}")
            symbol = symbol.license_symbol
        key = str(symbol.key)
        info = self.catalog.lookup(key)
        spdx = info.spdx_id if info else key
        for prefix, rules in layers:
            rule_ = rules.licenses.get(spdx.lower())
            if rule_ is not None:
                return self._verdict(name, rule_, f"{spdx} in {prefix}{_list_key(rule_)}")
        if info is None or info.is_unknown:
            label, rule = self.setting(layers, "unknown", Verdict.REVIEW)
            return self._verdict(name, rule, f"{spdx} is not an identified license: {label}")
        for prefix, rules in layers:
            rule_ = rules.categories.get(info.category.lower())
            if rule_ is not None:
                return self._verdict(
                    name, rule_, f"{spdx} is {info.category}: {prefix}{_list_key(rule_)}"
                )
        label, rule = self.setting(layers, "default", Verdict.REVIEW)
        category = info.category or "no category"
        return self._verdict(name, rule, f"{spdx} ({category}) is not listed: {label}")

    def canonical(self, symbol: LicenseSymbol | LicenseWithExceptionSymbol) -> str:
        """The symbol spelt as the policy spells it (SPDX id; deprecated ids resolved)."""
        if isinstance(symbol, LicenseWithExceptionSymbol):
            lic = self.canonical(symbol.license_symbol)
            return f"{lic} WITH {self.canonical(symbol.exception_symbol)}"
        info = self.catalog.lookup(str(symbol.key))
        return info.spdx_id if info else str(symbol.key)

    @staticmethod
    def _verdict(name: str, rule: Rule, text: str) -> LicenseVerdict:
        return LicenseVerdict(name, rule.verdict, text, rule.origin)

    # expressions

    def judge(
        self,
        node: object,
        layers: Sequence[tuple[str, RuleSet]],
        waive: tuple[Sequence[str], str | None] | None = None,
    ) -> _Judged:
        """Judge an expression bottom-up; with ``waive`` (paths, purl), waivers apply."""
        lic = licensing()
        if isinstance(node, (LicenseSymbol, LicenseWithExceptionSymbol)):
            leaf = self.leaf(node, layers)
            if waive is not None and leaf.verdict is not Verdict.PASS:
                waiver = self._first_waiver(waive[0], waive[1], leaf.license)
                if waiver is not None:
                    leaf = LicenseVerdict(
                        leaf.license, Verdict.PASS, leaf.rule, leaf.origin, waiver.label
                    )
            return _Judged(leaf.verdict, (leaf,), str(node), has_or=False)
        parts = [self.judge(arg, layers, waive) for arg in node.args]  # type: ignore[attr-defined]
        has_or = any(p.has_or for p in parts)
        if isinstance(node, lic.OR):
            best = min(parts, key=lambda p: p.sort_key)
            return _Judged(best.verdict, best.leaves, best.elected, has_or=True)
        if isinstance(node, lic.AND):
            worst = max(parts, key=lambda p: p.verdict.rank)
            elected = " AND ".join(_group(p.elected) for p in parts)
            leaves = tuple(leaf for p in parts for leaf in p.leaves)
            return _Judged(worst.verdict, leaves, elected, has_or=has_or)
        raise TypeError(f"unexpected expression node {node!r}")  # pragma: no cover

    def expression(
        self,
        *,
        check: Check,
        subject: Subject,
        expression: str | None,
        path: str | None,
        paths: Sequence[str],
        purl: str | None = None,
        scope: DependencyScope | None = None,
        kind: MatchKind | None = None,
        start_line: int | None = None,
        end_line: int | None = None,
        identifier: str | None = None,
    ) -> Finding:
        contexts = self.contexts(path, scope) or self._contexts_any(paths, scope)
        layers = self.layers(contexts)
        context = ", ".join(c.name for c in contexts) or None
        common = {
            "check": check,
            "subject": subject,
            "path": path,
            "package": purl,
            "scope": scope,
            "kind": kind,
            "start_line": start_line,
            "end_line": end_line,
            "context": context,
            "identifier": identifier,
        }
        if not expression:
            label, rule = self.setting(layers, "unknown", Verdict.REVIEW)
            return self._maybe_waived(
                Finding(
                    expression="",
                    verdict=rule.verdict,
                    rule=f"{label} (no license found)",
                    origin=rule.origin,
                    **common,  # type: ignore[arg-type]
                ),
                paths,
                purl,
            )
        try:
            # dedup, not simplify: it drops repeated terms but keeps the order as written,
            # so that when several alternatives of an OR pass, the first written is elected.
            parsed = licensing().parse(expression, simple=True)
            parsed = licensing().dedup(parsed) if parsed is not None else None
        except ExpressionError:
            parsed = None
        if parsed is None:
            label, rule = self.setting(layers, "unknown", Verdict.REVIEW)
            return self._maybe_waived(
                Finding(
                    expression=expression,
                    verdict=rule.verdict,
                    rule=f"{label} (the expression does not parse)",
                    origin=rule.origin,
                    **common,  # type: ignore[arg-type]
                ),
                paths,
                purl,
            )
        judged = self.judge(parsed, layers)
        unwaived = judged.verdict
        waiver_label = None
        waiver_reason = None
        if unwaived is not Verdict.PASS:
            # Waivers only for what would not pass: re-judge with waived licenses passing,
            # so that an OR may now elect a waived alternative, and count only those used.
            judged = self.judge_waived(parsed, layers, paths, purl)
            labels = [leaf.waiver for leaf in judged.leaves if leaf.waiver]
            if labels:
                waiver_label = ", ".join(dict.fromkeys(labels))
                waiver_reason = "; ".join(
                    dict.fromkeys(w.reason for w in self.active if w.label in labels)
                )
        decider = judged.decider
        verdict = judged.verdict
        note = None
        if kind is MatchKind.REFERENCE:
            mode = self.references(layers)
            if mode is ReferenceMode.IGNORE and verdict is not Verdict.PASS:
                note = (
                    "a mere reference to a license: ignored "
                    f"(references: ignore; would be {verdict.value})"
                )
                verdict = Verdict.PASS
            elif mode is ReferenceMode.REVIEW and verdict is Verdict.DENY:
                note = (
                    "a mere reference to a license: counted as review at most (references: review)"
                )
                verdict = Verdict.REVIEW
        return Finding(
            expression=expression,
            verdict=verdict,
            rule=decider.rule,
            origin=decider.origin,
            elected=judged.elected if judged.has_or else None,
            waiver=waiver_label,
            waiver_reason=waiver_reason,
            unwaived_verdict=unwaived if waiver_label else None,
            note=note,
            licenses=judged.leaves,
            **common,  # type: ignore[arg-type]
        )

    def judge_waived(
        self,
        node: object,
        layers: Sequence[tuple[str, RuleSet]],
        paths: Sequence[str],
        purl: str | None,
    ) -> _Judged:
        """Judge with waivers, and mark the waivers of the licenses that count as used."""
        judged = self.judge(node, layers, (paths, purl))
        labels = {leaf.waiver for leaf in judged.leaves if leaf.waiver}
        for index, waiver in enumerate(self.active):
            if waiver.label in labels:
                self.used.add(index)
        return judged

    def _first_waiver(
        self, paths: Sequence[str], purl: str | None, license_id: str | None
    ) -> Waiver | None:
        for waiver in self.active:
            if waiver.matches(paths=paths, purl=purl, license_id=license_id):
                return waiver
        return None

    def _maybe_waived(self, finding: Finding, paths: Sequence[str], purl: str | None) -> Finding:
        """A finding without licenses (unknown, conflict, scan error): a license-less waiver.

        A scan error takes only a waiver for scan errors (``errors: true``), and such a waiver
        nothing else.
        """
        if finding.verdict is Verdict.PASS:
            return finding
        scan_error = finding.check is Check.SCAN_ERROR
        for index, waiver in enumerate(self.active):
            if waiver.license is None and waiver.matches(
                paths=paths, purl=purl, license_id=None, scan_error=scan_error
            ):
                self.used.add(index)
                return _replace_verdict(finding, waiver)
        return finding

    def _contexts_any(
        self, paths: Sequence[str], scope: DependencyScope | None
    ) -> tuple[Context, ...]:
        return tuple(
            c for c in self.policy.contexts if any(c.applies(p, scope) for p in paths if p)
        )

    def conflict(
        self,
        *,
        path: str | None,
        paths: Sequence[str],
        purl: str,
        detail: str,
        line: int | None = None,
    ) -> Finding:
        contexts = self.contexts(path, None) or self._contexts_any(paths, None)
        label, rule = self.setting(self.layers(contexts), "conflict", Verdict.REVIEW)
        finding = Finding(
            check=Check.PACKAGE_CONFLICT,
            subject=Subject.PACKAGE,
            path=path,
            expression=detail,
            verdict=rule.verdict,
            rule=f"{label} (declared and detected licenses disagree)",
            origin=rule.origin,
            start_line=line,
            package=purl,
            context=", ".join(c.name for c in contexts) or None,
        )
        return self._maybe_waived(finding, paths, purl)

    def scan_error(self, path: str, issue: FileIssue) -> Finding:
        """A file the scan could not read or judge: the ``errors`` rule decides."""
        contexts = self.contexts(path, None)
        label, rule = self.setting(self.layers(contexts), "errors", Verdict.DENY)
        finding = Finding(
            check=Check.SCAN_ERROR,
            subject=Subject.FILE,
            path=path,
            expression="",
            verdict=rule.verdict,
            rule=f"{label} (the scan could not read or judge this file)",
            origin=rule.origin,
            context=", ".join(c.name for c in contexts) or None,
            issue=issue,
        )
        return self._maybe_waived(finding, (path,), None)


def _replace_verdict(finding: Finding, waiver: Waiver) -> Finding:
    return replace(
        finding,
        verdict=Verdict.PASS,
        waiver=waiver.label,
        waiver_reason=waiver.reason,
        unwaived_verdict=finding.verdict,
    )


def _list_key(rule: Rule) -> str:
    # "contexts[1].licenses.deny[3]" -> "licenses.deny": the list is what a reader knows
    # (the context, if any, is named in front of it already).
    key = re.sub(r"\[\d+\]$", "", rule.origin.key)
    return ".".join(key.split(".")[-2:])


def _group(expression: str) -> str:
    return f"({expression})" if " OR " in expression else expression
