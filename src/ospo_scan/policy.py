# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""License policies: YAML files loaded in stages into a frozen, validated model.

``Policy.from_file(path)`` reads the text, ``from_yaml(text, source)`` parses it with a safe
loader that remembers where every key is, and ``from_dict(data, source)`` validates it.
Every error names the file, the line and the YAML key path (``licenses.allow[3]``), and an
unknown license id comes with the nearest valid ids. ``extends:`` pulls in a base policy
(a file relative to this one, or a shipped policy by name); its rules are merged under the
extending file's, and cycles are refused.

The model only describes rules; :mod:`ospo_scan.evaluate` applies them to a scan result.
"""

from __future__ import annotations

import datetime as dt
import difflib
import enum
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path
from typing import Any

import pathspec
import yaml
from license_expression import ExpressionError, LicenseSymbol, LicenseWithExceptionSymbol
from packageurl import PackageURL
from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.version import InvalidVersion, Version

from ospo_scan.engine.catalog import license_catalog
from ospo_scan.errors import PolicyError
from ospo_scan.licensing import LicenseCatalog, licensing
from ospo_scan.model import DependencyScope

#: The only policy format version this ospo-scan reads.
POLICY_VERSION = 1

#: Where the shipped policies live inside the package.
_SHIPPED = "policies"


class Verdict(str, enum.Enum):
    """What a policy says about a license: pass, review (a warning) or deny (an error)."""

    PASS = "pass"  # noqa: S105 -- a verdict, not a password
    REVIEW = "review"
    DENY = "deny"

    @property
    def rank(self) -> int:
        """Higher is worse."""
        return _RANK[self]


_RANK = {Verdict.PASS: 0, Verdict.REVIEW: 1, Verdict.DENY: 2}

#: How a verdict is spelt in a policy file: ``allow`` is the policy word for ``pass``.
_VERDICT_WORDS = {"allow": Verdict.PASS, "review": Verdict.REVIEW, "deny": Verdict.DENY}


class ReferenceMode(str, enum.Enum):
    """How a detection that is a mere reference to a license (not its text, notice or tag) counts.

    ``review``: it is judged like any other, but never worse than review (the default: a
    README that says "see the GPL" deserves a look, not a failed build). ``same``: it counts
    like a notice. ``ignore``: it is listed, and always passes.
    """

    REVIEW = "review"
    SAME = "same"
    IGNORE = "ignore"


@dataclass(frozen=True, slots=True)
class Origin:
    """Where a rule was written: file, line and YAML key path."""

    file: str
    line: int
    key: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line} ({self.key})"


@dataclass(frozen=True, slots=True)
class Rule:
    """One verdict and where the policy says it."""

    verdict: Verdict
    origin: Origin
    name: str = ""  # the license or category as spelt canonically, for display


@dataclass(frozen=True, slots=True)
class ReferenceRule:
    """A ``references:`` setting and where the policy says it."""

    mode: ReferenceMode
    origin: Origin


@dataclass(frozen=True, slots=True)
class RuleSet:
    """The rules of a policy's top level or of one context.

    ``licenses`` is keyed by the lower-cased canonical id (``gpl-2.0-only with
    classpath-exception-2.0`` for a pair), ``categories`` by the lower-cased category.
    """

    licenses: Mapping[str, Rule] = field(default_factory=dict)
    categories: Mapping[str, Rule] = field(default_factory=dict)
    unknown: Rule | None = None
    conflict: Rule | None = None
    default: Rule | None = None
    references: ReferenceRule | None = None

    def merged_over(self, base: RuleSet) -> RuleSet:
        """These rules on top of ``base`` (an ``extends`` chain): ours win, key by key."""
        return RuleSet(
            licenses={**base.licenses, **self.licenses},
            categories={**base.categories, **self.categories},
            unknown=self.unknown or base.unknown,
            conflict=self.conflict or base.conflict,
            default=self.default or base.default,
            references=self.references or base.references,
        )


@dataclass(frozen=True, slots=True)
class Context:
    """Other rules for some paths (globs, .gitignore syntax) and/or dependency scopes."""

    name: str
    paths: tuple[str, ...]
    scopes: tuple[DependencyScope, ...]
    rules: RuleSet
    origin: Origin

    def applies(self, path: str | None, scope: DependencyScope | None) -> bool:
        """True when ``path`` matches one of the globs or ``scope`` is one of the scopes."""
        if scope is not None and scope in self.scopes:
            return True
        return bool(path and self.paths and _spec(self.paths).match_file(path))


@dataclass(frozen=True, slots=True)
class Waiver:
    """An approved exception: it turns review or deny into pass for what it matches."""

    origin: Origin  # the waiver's own entry: file, line, ``waivers[2]``
    reason: str
    paths: tuple[str, ...] = ()
    package: str | None = None  # a purl; without a version it matches every version
    versions: str | None = None  # PEP 440-style range such as ">=1.0,<2"
    license: str | None = None  # canonical id, or "X WITH Y"
    approved_by: str | None = None
    ticket: str | None = None
    expires: dt.date | None = None

    @property
    def label(self) -> str:
        """How reports name this waiver."""
        return f"{self.origin.key} ({self.origin.file}:{self.origin.line})"

    def expired(self, today: dt.date) -> bool:
        """True after the ``expires`` day (a waiver is good through that day)."""
        return self.expires is not None and today > self.expires

    def matches(self, *, paths: Sequence[str], purl: str | None, license_id: str | None) -> bool:
        """True when every selector the waiver has matches the subject."""
        if self.paths and not any(_spec(self.paths).match_file(p) for p in paths if p):
            return False
        if self.package is not None and not (purl and _purl_matches(self, purl)):
            return False
        if self.license is None:
            return True
        if license_id is None:
            return False
        # A waiver for a license also covers it with an exception; a pair only the pair.
        wanted = self.license.lower()
        return wanted in (license_id.lower(), license_id.split(" WITH ")[0].lower())


@dataclass(frozen=True, slots=True)
class Policy:
    """A whole policy, after ``extends`` is resolved."""

    name: str
    description: str
    sources: tuple[str, ...]  # the files it was built from, base first
    rules: RuleSet
    contexts: tuple[Context, ...] = ()
    waivers: tuple[Waiver, ...] = ()

    @classmethod
    def from_file(cls, path: Path, *, _seen: tuple[str, ...] = ()) -> Policy:
        """Read, parse and validate the policy file at ``path`` (and what it extends)."""
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise PolicyError(f"cannot read policy {path}: {exc.strerror or exc}") from exc
        except UnicodeDecodeError as exc:
            raise PolicyError(f"{path}: not UTF-8 text ({exc.reason})") from exc
        return cls.from_yaml(text, str(path), base_dir=path.parent, _seen=_seen)

    @classmethod
    def from_yaml(
        cls,
        text: str,
        source: str,
        *,
        base_dir: Path | None = None,
        _seen: tuple[str, ...] = (),
    ) -> Policy:
        """Parse YAML ``text`` (named ``source`` in messages) and validate it."""
        data, lines = _parse_yaml(text, source)
        return cls.from_dict(data, source, lines=lines, base_dir=base_dir, _seen=_seen)

    @classmethod
    def from_dict(
        cls,
        data: Any,
        source: str,
        *,
        lines: Mapping[str, int] | None = None,
        base_dir: Path | None = None,
        _seen: tuple[str, ...] = (),
    ) -> Policy:
        """Validate plain data into a policy; ``lines`` maps key paths to line numbers."""
        return _Builder(source, lines or {}, base_dir, _seen).build(data)

    @classmethod
    def load(cls, name_or_path: str) -> Policy:
        """A policy file by path, or a shipped policy by name (``default``)."""
        path = Path(name_or_path)
        if path.is_file():
            return cls.from_file(path)
        if name_or_path in shipped_policies():
            return shipped_policy(name_or_path)
        known = ", ".join(shipped_policies())
        raise PolicyError(
            f"no policy file {name_or_path!r} and no shipped policy of that name (shipped: {known})"
        )


def shipped_policies() -> tuple[str, ...]:
    """The names of the policies shipped with ospo-scan, sorted."""
    folder = resources.files("ospo_scan").joinpath(_SHIPPED)
    return tuple(
        sorted(e.name[: -len(".yml")] for e in folder.iterdir() if e.name.endswith(".yml"))
    )


def shipped_policy_text(name: str) -> str:
    """The YAML text of a shipped policy."""
    if name not in shipped_policies():
        raise PolicyError(f"no shipped policy named {name!r}")
    return resources.files("ospo_scan").joinpath(f"{_SHIPPED}/{name}.yml").read_text("utf-8")


def shipped_policy(name: str, *, _seen: tuple[str, ...] = ()) -> Policy:
    """A shipped policy, loaded and validated."""
    return Policy.from_yaml(shipped_policy_text(name), f"{name}.yml (shipped)", _seen=_seen)


# --- YAML with line numbers -------------------------------------------------------------


class _PolicyLoader(yaml.SafeLoader):
    """A safe loader that leaves dates as text, so that a bad date gets our own message.

    (PyYAML's own timestamp constructor raises a bare ``ValueError`` on ``2026-13-01``.)
    """

    yaml_implicit_resolvers = {  # noqa: RUF012 -- PyYAML reads it as a class attribute
        first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }


def _parse_yaml(text: str, source: str) -> tuple[Any, dict[str, int]]:
    loader = _PolicyLoader(text)
    try:
        node = loader.get_single_node()
        lines: dict[str, int] = {}
        if node is not None:
            _record_lines(node, "", lines, source)
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f" at line {mark.line + 1}" if mark else ""
        problem = exc.problem or exc.context or "invalid YAML"
        raise PolicyError(f"{source}: YAML syntax error{where}: {problem}") from exc
    except yaml.YAMLError as exc:
        raise PolicyError(f"{source}: YAML syntax error: {exc}") from exc
    finally:
        loader.dispose()
    return data, lines


def _record_lines(
    node: yaml.Node,
    path: str,
    lines: dict[str, int],
    source: str,
    visited: set[int] | None = None,
) -> None:
    # An alias (*name) makes the composed graph share a node; a shared node may contain
    # itself (a cycle) or be shared exponentially ("billion laughs"). Policies need neither.
    visited = set() if visited is None else visited
    if isinstance(node, (yaml.MappingNode, yaml.SequenceNode)):
        if id(node) in visited:
            raise PolicyError(
                f"{source}: YAML aliases are not supported in policy files; at line "
                f"{node.start_mark.line + 1} ({path or 'top level'}), write the value out"
            )
        visited.add(id(node))
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key_node, value_node in node.value:
            key = str(key_node.value)
            child = f"{path}.{key}" if path else key
            if key in seen:
                raise PolicyError(
                    f"{source}: duplicate key {key!r} at line {key_node.start_mark.line + 1} "
                    f"({child}); each key may appear once"
                )
            seen.add(key)
            _record_lines(value_node, child, lines, source, visited)
            lines[child] = key_node.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _record_lines(item, f"{path}[{index}]", lines, source, visited)


# --- validation -------------------------------------------------------------------------

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
    "contexts",
    "waivers",
)
_RULE_KEYS = ("licenses", "categories", "unknown", "conflict", "default", "references")
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


class _Builder:
    """Validates one file's data; knows the file, the line of every key, and what it extends."""

    def __init__(
        self, source: str, lines: Mapping[str, int], base_dir: Path | None, seen: tuple[str, ...]
    ) -> None:
        self.source = source
        self.lines = lines
        self.base_dir = base_dir
        self.seen = seen
        self._catalog: LicenseCatalog | None = None

    @property
    def catalog(self) -> LicenseCatalog:
        if self._catalog is None:
            self._catalog = license_catalog()
        return self._catalog

    # errors

    def line(self, key: str) -> int:
        while key and key not in self.lines:
            key = key.rsplit(".", 1)[0] if "." in key else ""
        return self.lines.get(key, 1)

    def origin(self, key: str) -> Origin:
        return Origin(self.source, self.line(key), key)

    def fail(self, key: str, message: str, hint: str = "") -> PolicyError:
        where = f" at line {self.line(key)} ({key})" if key else ""
        return PolicyError(f"{self.source}: {message}{where}{'; ' + hint if hint else ''}")

    # typed getters

    def mapping(self, value: Any, key: str, allowed: Sequence[str]) -> Mapping[str, Any]:
        if not isinstance(value, Mapping):
            raise self.fail(key, f"expected a mapping, got {_kind(value)}")
        for name in value:
            child = f"{key}.{name}" if key else str(name)
            if name not in allowed:
                near = difflib.get_close_matches(str(name), allowed, n=1)
                hint = f"did you mean {near[0]}?" if near else f"known keys: {', '.join(allowed)}"
                raise self.fail(child, f"unknown key {name!r}", hint)
        return value

    def text(self, value: Any, key: str) -> str:
        if not isinstance(value, str) or not value.strip():
            raise self.fail(key, f"expected a non-empty string, got {_kind(value)}")
        return value.strip()

    def strings(self, value: Any, key: str) -> list[tuple[str, str]]:
        """A list of strings (a single string is taken as a list of one), with key paths."""
        if isinstance(value, str):
            return [(self.text(value, key), key)]
        if not isinstance(value, list):
            raise self.fail(key, f"expected a list of strings, got {_kind(value)}")
        return [(self.text(v, f"{key}[{i}]"), f"{key}[{i}]") for i, v in enumerate(value)]

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

    def items(self, value: Any, key: str) -> list[tuple[Any, str]]:
        if value is None:
            return []
        if not isinstance(value, list):
            raise self.fail(key, f"expected a list, got {_kind(value)}")
        return [(v, f"{key}[{i}]") for i, v in enumerate(value)]

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
        return Policy.from_file(path, _seen=chain)

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
            _spec(tuple(globs))
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


def _kind(value: Any) -> str:
    if value is None:
        return "nothing"
    return {
        bool: "a boolean",
        int: "a number",
        float: "a number",
        str: f"the string {value!r}",
        list: "a list",
        dict: "a mapping",
    }.get(type(value), type(value).__name__)


def _one_of(names: Sequence[str]) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} or {names[-1]}"


def _nearest(name: str, names: Sequence[str]) -> list[str]:
    lowered = {n.lower(): n for n in names}
    near = difflib.get_close_matches(name.lower(), list(lowered), n=3, cutoff=0.6)
    return [lowered[n] for n in near]


_SPECS: dict[tuple[str, ...], pathspec.GitIgnoreSpec] = {}


def _spec(globs: tuple[str, ...]) -> pathspec.GitIgnoreSpec:
    # Compiled once per glob list: a check matches every file against every context.
    spec = _SPECS.get(globs)
    if spec is None:
        spec = _SPECS[globs] = pathspec.GitIgnoreSpec.from_lines(globs)
    return spec


def _purl_matches(waiver: Waiver, purl: str) -> bool:
    try:
        want = PackageURL.from_string(waiver.package or "")
        have = PackageURL.from_string(purl)
    except ValueError:
        return False
    if (want.type, want.namespace or "", want.name) != (have.type, have.namespace or "", have.name):
        return False
    if want.version and want.version != have.version:
        return False
    if waiver.versions:
        try:
            return Version(have.version or "") in SpecifierSet(waiver.versions)
        except InvalidVersion:
            return False
    return True
