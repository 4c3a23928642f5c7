# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""The values a policy is made of: verdicts, license ids, categories, scopes, globs, purls, dates.

:class:`ValueReader` reads each one out of plain YAML data and raises a
:class:`~ospo_scan.errors.PolicyError` naming file, line and key when it is wrong (a verdict
word records its error and reads as nothing, so that a new verdict key needs one line). The
builder in :mod:`.load` strings them together into a policy.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Mapping, Sequence
from typing import Any

from license_expression import ExpressionError, LicenseSymbol, LicenseWithExceptionSymbol
from packageurl import PackageURL
from packaging.specifiers import InvalidSpecifier, SpecifierSet

from ospo_scan.engine.catalog import license_catalog
from ospo_scan.licensing import LicenseCatalog, licensing
from ospo_scan.model import DependencyScope
from ospo_scan.policy.model import ReferenceMode, ReferenceRule, Rule, Verdict, path_spec
from ospo_scan.policy.parse import Reader, shape

#: How a verdict is spelt in a policy file: ``allow`` is the policy word for ``pass``.
VERDICT_WORDS = {"allow": Verdict.PASS, "review": Verdict.REVIEW, "deny": Verdict.DENY}

#: A waiver's expiry date; ``date.fromisoformat`` alone would also take 20270101 or 2027-W01.
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class ValueReader(Reader):
    """The typed policy values of one file; the license catalog is loaded on first use."""

    def __init__(self, source: str, lines: Mapping[str, int]) -> None:
        super().__init__(source, lines)
        self._catalog: LicenseCatalog | None = None

    @property
    def catalog(self) -> LicenseCatalog:
        if self._catalog is None:
            self._catalog = license_catalog()
        return self._catalog

    def verdict(self, value: Any, key: str) -> Rule | None:
        """The rule a verdict word makes; ``None`` (and an error recorded) for anything else."""
        if not isinstance(value, str) or value not in VERDICT_WORDS:
            self.report(self.fail(key, f"expected one of allow, review, deny, got {value!r}"))
            return None
        return Rule(VERDICT_WORDS[value], self.origin(key))

    # the policy

    def references(self, value: Any, key: str) -> ReferenceRule:
        modes = [m.value for m in ReferenceMode]
        if value not in modes:
            raise self.fail(key, f"expected one of {', '.join(modes)}, got {value!r}")
        return ReferenceRule(ReferenceMode(value), self.origin(key))

    def put(self, table: dict[str, Rule], name: str, rule: Rule, entry: str) -> None:
        if name in table:
            first = table[name].origin
            raise self.fail(
                rule.origin.key,
                f"{entry!r} is listed twice",
                f"first at line {first.line} ({first.key})",
            )
        table[name] = rule

    def license_entry(self, entry: str, key: str) -> str:
        """The canonical spelling of one license id or ``license WITH exception`` pair."""
        try:
            parsed = licensing().parse(entry)
        except ExpressionError as exc:
            raise self.fail(key, f"invalid license id {entry!r}: {exc}") from exc
        except IndexError as exc:  # license-expression's own failure on "()" and "( )"
            raise self.fail(key, f"invalid license id {entry!r}: an empty expression") from exc
        if isinstance(parsed, LicenseWithExceptionSymbol):
            lic = self.license_id(str(parsed.license_symbol.key), key, exception=False)
            exc_id = self.license_id(str(parsed.exception_symbol.key), key, exception=True)
            return f"{lic} WITH {exc_id}"
        if isinstance(parsed, LicenseSymbol):
            return self.license_id(str(parsed.key), key, exception=None)
        raise self.fail(
            key,
            f"{entry!r} is an expression; list single licenses (or 'license WITH exception' "
            "pairs): AND and OR are worked out when findings are checked",
        )

    def license_id(self, name: str, key: str, *, exception: bool | None) -> str:
        info = self.catalog.lookup(name)
        if info is None:
            near = _nearest(name, self.catalog.names)
            hint = f"did you mean {_one_of(near)}?" if near else ""
            raise self.fail(key, f"unknown license {name!r}", hint)
        if exception is True and not info.is_exception:
            raise self.fail(key, f"{name!r} is not a license exception (the part after WITH)")
        if exception is False and info.is_exception:
            raise self.fail(key, f"{name!r} is a license exception; it goes after WITH")
        return info.spdx_id

    def category(self, entry: str, key: str) -> str:
        known = self.catalog.categories
        for category in known:
            if category.lower() == entry.lower():
                return category
        near = difflib.get_close_matches(entry, known, n=2, cutoff=0.5)
        hint = f"did you mean {' or '.join(near)}?" if near else f"categories: {', '.join(known)}"
        raise self.fail(key, f"unknown license category {entry!r}", hint)

    def scope(self, scope: str, key: str) -> DependencyScope:
        names = [s.value for s in DependencyScope]
        if scope not in names:
            raise self.fail(key, f"unknown scope {scope!r}", f"scopes: {', '.join(names)}")
        return DependencyScope(scope)

    def globs(self, value: Any, key: str) -> tuple[str, ...]:
        """A list of path globs, checked."""
        globs = tuple(p for p, _ in self.strings(value, key))
        try:
            path_spec(globs)
        except (ValueError, TypeError) as exc:
            raise self.fail(key, f"invalid glob: {exc}") from exc
        return globs

    def purl(self, value: Any, key: str) -> str:
        package = self.text(value, key)
        try:
            PackageURL.from_string(package)
        except ValueError as exc:
            raise self.fail(key, f"invalid purl {package!r}: {exc}") from exc
        return package

    def versions(self, value: Any, key: str) -> str:
        versions = self.text(value, key)
        try:
            SpecifierSet(versions)
        except InvalidSpecifier as exc:
            raise self.fail(key, f"invalid version range {versions!r} (e.g. '>=1.0,<2')") from exc
        return versions

    def license_text(self, value: Any, key: str) -> str:
        return self.license_entry(self.text(value, key), key)

    def date(self, value: Any, key: str) -> dt.date:
        """A date written ``YYYY-MM-DD`` (a number such as 20270101 is not one)."""
        if not isinstance(value, str) or not _DATE.fullmatch(value.strip()):
            shown = repr(value) if isinstance(value, (str, int, float)) else shape(value)
            raise self.fail(key, f"invalid date {shown}; write it as YYYY-MM-DD")
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError as exc:
            raise self.fail(key, f"invalid date {value!r}; write it as YYYY-MM-DD") from exc


def _one_of(names: Sequence[str]) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} or {names[-1]}"


def _nearest(name: str, names: Sequence[str]) -> list[str]:
    lowered = {n.lower(): n for n in names}
    near = difflib.get_close_matches(name.lower(), list(lowered), n=3, cutoff=0.6)
    return [lowered[n] for n in near]
