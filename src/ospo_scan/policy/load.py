# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""Loading policies: YAML files read in stages into the frozen, validated :mod:`.model`.

:func:`policy_from_file` reads the text, :func:`policy_from_yaml` parses it (:mod:`.parse`
remembers where every key is), and :func:`policy_from_dict` validates it. Every error names
the file, the line and the YAML key path (``licenses.allow[3]``), and an unknown license id
comes with the nearest valid ids. ``extends:`` pulls in a base policy (a file relative to
this one, or a shipped policy by name); its rules are merged under the extending file's, and
cycles are refused. :func:`load_policy` takes what ``--policy`` takes: a path or a name.

The model only describes rules; :mod:`ospo_scan.evaluate` applies them to a scan result.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from license_expression import ExpressionError, LicenseSymbol, LicenseWithExceptionSymbol
from packageurl import PackageURL
from packaging.specifiers import InvalidSpecifier, SpecifierSet

from ospo_scan.engine.catalog import license_catalog
from ospo_scan.errors import PolicyError
from ospo_scan.licensing import LicenseCatalog, licensing
from ospo_scan.model import DependencyScope
from ospo_scan.policy.model import (
    POLICY_VERSION,
    Context,
    Policy,
    ReferenceMode,
    ReferenceRule,
    Rule,
    RuleSet,
    Verdict,
    Waiver,
    path_spec,
)
from ospo_scan.policy.parse import Reader, parse_yaml
from ospo_scan.policy.shipped import shipped_policies, shipped_policy_text

#: How a verdict is spelt in a policy file: ``allow`` is the policy word for ``pass``.
_VERDICT_WORDS = {"allow": Verdict.PASS, "review": Verdict.REVIEW, "deny": Verdict.DENY}


def load_policy(name_or_path: str) -> Policy:
    """A policy file by path, or a shipped policy by name (``default``)."""
    path = Path(name_or_path)
    if path.is_file():
        return policy_from_file(path)
    if name_or_path in shipped_policies():
        return shipped_policy(name_or_path)
    known = ", ".join(shipped_policies())
    raise PolicyError(
        f"no policy file {name_or_path!r} and no shipped policy of that name (shipped: {known})"
    )


def shipped_policy(name: str, *, _seen: tuple[str, ...] = ()) -> Policy:
    """A shipped policy, loaded and validated."""
    return policy_from_yaml(shipped_policy_text(name), f"{name}.yml (shipped)", _seen=_seen)


def policy_from_file(path: Path, *, _seen: tuple[str, ...] = ()) -> Policy:
    """Read, parse and validate the policy file at ``path`` (and what it extends)."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise PolicyError(f"cannot read policy {path}: {exc.strerror or exc}") from exc
    except UnicodeDecodeError as exc:
        raise PolicyError(f"{path}: not UTF-8 text ({exc.reason})") from exc
    return policy_from_yaml(text, str(path), base_dir=path.parent, _seen=_seen)


def policy_from_yaml(
    text: str,
    source: str,
    *,
    base_dir: Path | None = None,
    _seen: tuple[str, ...] = (),
) -> Policy:
    """Parse YAML ``text`` (named ``source`` in messages) and validate it."""
    data, lines = parse_yaml(text, source)
    return policy_from_dict(data, source, lines=lines, base_dir=base_dir, _seen=_seen)


def policy_from_dict(
    data: Any,
    source: str,
    *,
    lines: Mapping[str, int] | None = None,
    base_dir: Path | None = None,
    _seen: tuple[str, ...] = (),
) -> Policy:
    """Validate plain data into a policy; ``lines`` maps key paths to line numbers."""
    return _Builder(source, lines or {}, base_dir, _seen).build(data)


_TOP_KEYS = (
    "version",
    "name",
    "description",
    "extends",
    "licenses",
    "categories",
    "unknown",
    "conflict",
    "default",
    "references",
    "errors",
    "contexts",
    "waivers",
)
_RULE_KEYS = (
    "licenses",
    "categories",
    "unknown",
    "conflict",
    "default",
    "references",
    "errors",
)
_CONTEXT_KEYS = ("name", "paths", "scopes", *_RULE_KEYS)
_WAIVER_KEYS = (
    "reason",
    "paths",
    "package",
    "versions",
    "license",
    "approved_by",
    "ticket",
    "expires",
)


class _Builder(Reader):
    """Validates one file's data; knows the file, the line of every key, and what it extends."""

    def __init__(
        self, source: str, lines: Mapping[str, int], base_dir: Path | None, seen: tuple[str, ...]
    ) -> None:
        super().__init__(source, lines)
        self.base_dir = base_dir
        self.seen = seen
        self._catalog: LicenseCatalog | None = None

    @property
    def catalog(self) -> LicenseCatalog:
        if self._catalog is None:
            self._catalog = license_catalog()
        return self._catalog

    def verdict(self, value: Any, key: str) -> Rule:
        if not isinstance(value, str) or value not in _VERDICT_WORDS:
            raise self.fail(key, f"expected one of allow, review, deny, got {value!r}")
        return Rule(_VERDICT_WORDS[value], self.origin(key))

    # the policy

    def build(self, data: Any) -> Policy:
        if data is None:
            raise PolicyError(f"{self.source}: the policy is empty (it needs at least version: 1)")
        top = self.mapping(data, "", _TOP_KEYS)
        if "version" not in top:
            raise self.fail("", "missing key 'version' (write version: 1 at the top)")
        if top["version"] != POLICY_VERSION or isinstance(top["version"], bool):
            raise self.fail(
                "version",
                f"unsupported policy version {top['version']!r}; this ospo-scan reads version 1",
            )
        name = self.text(top["name"], "name") if "name" in top else Path(self.source).stem
        description = self.text(top["description"], "description") if "description" in top else ""
        rules = self.rule_set(top, "")
        contexts = tuple(self.context(c, k) for c, k in self.items(top.get("contexts"), "contexts"))
        waivers = tuple(self.waiver(w, k) for w, k in self.items(top.get("waivers"), "waivers"))
        own = Policy(
            name=name,
            description=description,
            sources=(self.source,),
            rules=rules,
            contexts=contexts,
            waivers=waivers,
        )
        if "extends" not in top:
            return own
        merged: Policy | None = None
        for target, key in self.strings(top["extends"], "extends"):
            base = self.extend(target, key)
            merged = base if merged is None else _merge(merged, base)
        assert merged is not None
        return _merge(merged, own)

    def extend(self, target: str, key: str) -> Policy:
        looks_like_path = "/" in target or target.endswith((".yml", ".yaml"))
        if looks_like_path:
            path = (self.base_dir or Path()) / target
            identity = str(path.resolve())
        else:
            if target not in shipped_policies():
                known = ", ".join(shipped_policies())
                raise self.fail(
                    key, f"no shipped policy named {target!r}", f"shipped policies: {known}"
                )
            identity = f"shipped:{target}"
        me = self.identity()
        chain = (*self.seen, me)
        if identity in chain:
            cycle = " -> ".join((*chain[chain.index(identity) :], identity))
            raise self.fail(key, f"extends cycle: {cycle}")
        if not looks_like_path:
            return shipped_policy(target, _seen=chain)
        if not path.is_file():
            raise self.fail(key, f"the extended policy {target!r} does not exist ({path})")
        return policy_from_file(path, _seen=chain)

    def identity(self) -> str:
        if self.source.endswith(" (shipped)"):
            return f"shipped:{self.source[: -len('.yml (shipped)')]}"
        return str(Path(self.source).resolve())

    def rule_set(self, data: Mapping[str, Any], prefix: str) -> RuleSet:
        def key(name: str) -> str:
            return f"{prefix}.{name}" if prefix else name

        licenses: dict[str, Rule] = {}
        categories: dict[str, Rule] = {}
        if "licenses" in data:
            lists = self.mapping(data["licenses"], key("licenses"), tuple(_VERDICT_WORDS))
            for word, entries in lists.items():
                for entry, where in self.strings(entries, f"{key('licenses')}.{word}"):
                    canonical = self.license_entry(entry, where)
                    self.put(
                        licenses,
                        canonical.lower(),
                        Rule(_VERDICT_WORDS[word], self.origin(where), canonical),
                        entry,
                    )
        if "categories" in data:
            lists = self.mapping(data["categories"], key("categories"), tuple(_VERDICT_WORDS))
            for word, entries in lists.items():
                for entry, where in self.strings(entries, f"{key('categories')}.{word}"):
                    canonical = self.category(entry, where)
                    self.put(
                        categories,
                        canonical.lower(),
                        Rule(_VERDICT_WORDS[word], self.origin(where), canonical),
                        entry,
                    )
        references = None
        if "references" in data:
            value = data["references"]
            modes = [m.value for m in ReferenceMode]
            if value not in modes:
                raise self.fail(
                    key("references"), f"expected one of {', '.join(modes)}, got {value!r}"
                )
            references = ReferenceRule(ReferenceMode(value), self.origin(key("references")))
        return RuleSet(
            licenses=licenses,
            categories=categories,
            unknown=self.verdict(data["unknown"], key("unknown")) if "unknown" in data else None,
            conflict=self.verdict(data["conflict"], key("conflict"))
            if "conflict" in data
            else None,
            default=self.verdict(data["default"], key("default")) if "default" in data else None,
            references=references,
            errors=self.verdict(data["errors"], key("errors")) if "errors" in data else None,
        )

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

    def context(self, data: Any, key: str) -> Context:
        body = self.mapping(data, key, _CONTEXT_KEYS)
        name = self.text(body["name"], f"{key}.name") if "name" in body else key
        paths = tuple(p for p, _ in self.strings(body.get("paths", []), f"{key}.paths"))
        scopes: list[DependencyScope] = []
        names = [s.value for s in DependencyScope]
        for scope, where in self.strings(body.get("scopes", []), f"{key}.scopes"):
            if scope not in names:
                raise self.fail(where, f"unknown scope {scope!r}", f"scopes: {', '.join(names)}")
            scopes.append(DependencyScope(scope))
        if not paths and not scopes:
            raise self.fail(key, "a context needs 'paths' or 'scopes' (or both)")
        self.globs(paths, f"{key}.paths")
        return Context(name, paths, tuple(scopes), self.rule_set(body, key), self.origin(key))

    def globs(self, globs: Sequence[str], key: str) -> None:
        try:
            path_spec(tuple(globs))
        except (ValueError, TypeError) as exc:
            raise self.fail(key, f"invalid glob: {exc}") from exc

    def waiver(self, data: Any, key: str) -> Waiver:
        body = self.mapping(data, key, _WAIVER_KEYS)
        if "reason" not in body:
            raise self.fail(key, "a waiver needs a 'reason' (why the exception is acceptable)")
        reason = self.text(body["reason"], f"{key}.reason")
        paths = tuple(p for p, _ in self.strings(body.get("paths", []), f"{key}.paths"))
        self.globs(paths, f"{key}.paths")
        package = None
        if "package" in body:
            package = self.text(body["package"], f"{key}.package")
            try:
                PackageURL.from_string(package)
            except ValueError as exc:
                raise self.fail(f"{key}.package", f"invalid purl {package!r}: {exc}") from exc
        versions = None
        if "versions" in body:
            versions = self.text(body["versions"], f"{key}.versions")
            if package is None:
                raise self.fail(f"{key}.versions", "'versions' needs a 'package'")
            try:
                SpecifierSet(versions)
            except InvalidSpecifier as exc:
                raise self.fail(
                    f"{key}.versions", f"invalid version range {versions!r} (e.g. '>=1.0,<2')"
                ) from exc
        lic = None
        if "license" in body:
            lic = self.license_entry(self.text(body["license"], f"{key}.license"), f"{key}.license")
        if not (paths or package or lic):
            raise self.fail(key, "a waiver needs 'paths', 'package' or 'license' to match")
        expires = None
        if "expires" in body:
            raw = body["expires"]
            try:
                expires = dt.date.fromisoformat(str(raw).strip())
            except ValueError as exc:
                raise self.fail(
                    f"{key}.expires", f"invalid date {raw!r}; write it as YYYY-MM-DD"
                ) from exc
        return Waiver(
            origin=self.origin(key),
            reason=reason,
            paths=paths,
            package=package,
            versions=versions,
            license=lic,
            approved_by=self.text(body["approved_by"], f"{key}.approved_by")
            if "approved_by" in body
            else None,
            ticket=self.text(str(body["ticket"]), f"{key}.ticket") if "ticket" in body else None,
            expires=expires,
        )


def _merge(base: Policy, top: Policy) -> Policy:
    """``top`` extending ``base``: top's rules win; contexts and waivers add up."""
    return replace(
        top,
        sources=(*base.sources, *top.sources),
        rules=top.rules.merged_over(base.rules),
        contexts=(*base.contexts, *top.contexts),
        waivers=(*base.waivers, *top.waivers),
        description=top.description or base.description,
    )


def _one_of(names: Sequence[str]) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} or {names[-1]}"


def _nearest(name: str, names: Sequence[str]) -> list[str]:
    lowered = {n.lower(): n for n in names}
    near = difflib.get_close_matches(name.lower(), list(lowered), n=3, cutoff=0.6)
    return [lowered[n] for n in near]
