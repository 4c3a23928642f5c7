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

from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any, TypeVar

from ospo_scan.errors import PolicyError
from ospo_scan.model import DependencyScope
from ospo_scan.policy.curations import read_curation
from ospo_scan.policy.model import (
    POLICY_VERSION,
    Context,
    Policy,
    Rule,
    RuleSet,
    Waiver,
)
from ospo_scan.policy.parse import parse_yaml, shape
from ospo_scan.policy.shipped import shipped_policies, shipped_policy_text
from ospo_scan.policy.source import confined, file_kind, read_policy_text
from ospo_scan.policy.values import VERDICT_WORDS, ValueReader

T = TypeVar("T")

#: How many levels of ``extends`` a policy may stack; past it the chain is refused.
MAX_EXTENDS_DEPTH = 50


def load_policy(name_or_path: str) -> Policy:
    """A policy file by path, or a shipped policy by name (``default``).

    The file named here may be anywhere (the user chose it); what it extends is confined to
    its folder (:func:`.source.confined`).
    """
    path = Path(name_or_path)
    kind = file_kind(path)
    if kind is None:
        return policy_from_file(path)
    if name_or_path in shipped_policies():
        return shipped_policy(name_or_path)
    if kind == "a folder":
        raise PolicyError(f"{name_or_path}: is a folder, not a policy file")
    if kind != "missing":
        raise PolicyError(f"{name_or_path}: is {kind}, not a policy file")
    known = ", ".join(shipped_policies())
    raise PolicyError(
        f"no policy file {name_or_path!r} and no shipped policy of that name (shipped: {known})"
    )


def shipped_policy(name: str, *, _seen: tuple[str, ...] = ()) -> Policy:
    """A shipped policy, loaded and validated."""
    return policy_from_yaml(shipped_policy_text(name), f"{name}.yml (shipped)", _seen=_seen)


def policy_from_file(
    path: Path, *, _seen: tuple[str, ...] = (), _root: Path | None = None
) -> Policy:
    """Read, parse and validate the policy file at ``path`` (and what it extends).

    ``_root`` is set for a file reached by ``extends``: the folder it must stay under. Such a
    file is parsed untrusted, and must show itself a policy before any of its text is quoted.
    """
    text = read_policy_text(path)
    trusted = _root is None
    root = path.parent.resolve() if _root is None else _root
    data, lines = parse_yaml(text, str(path), trusted=trusted)
    builder = _Builder(str(path), lines, path.parent, _seen, root=root, trusted=trusted)
    return builder.build(data)


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
    """Validate plain data into a policy; ``lines`` maps key paths to line numbers.

    ``base_dir`` is where relative ``extends`` paths start, and the folder they must stay
    under; without it (a shipped policy) only shipped policies may be extended.
    """
    root = base_dir.resolve() if base_dir is not None else None
    return _Builder(source, lines or {}, base_dir, _seen, root=root).build(data)


#: The keys of a policy file, of its rule sets, contexts and waivers (the JSON Schema of
#: :mod:`ospo_scan.config.schema` is built from these).
TOP_KEYS = (
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
    "curations",
)
RULE_KEYS = (
    "licenses",
    "categories",
    "unknown",
    "conflict",
    "default",
    "references",
    "errors",
)
CONTEXT_KEYS = ("name", "paths", "scopes", *RULE_KEYS)
WAIVER_KEYS = (
    "reason",
    "paths",
    "package",
    "versions",
    "license",
    "approved_by",
    "ticket",
    "expires",
    "errors",
)


class _Builder(ValueReader):
    """Validates one file's data; knows the file, the line of every key, and what it extends.

    Errors are collected (:meth:`.Reader.attempt`), so that one run reports all of them;
    :meth:`build` raises one :class:`PolicyError` listing every error when there are any.
    """

    def __init__(
        self,
        source: str,
        lines: Mapping[str, int],
        base_dir: Path | None,
        seen: tuple[str, ...],
        *,
        root: Path | None,
        trusted: bool = True,
    ) -> None:
        super().__init__(source, lines)
        self.base_dir = base_dir
        self.seen = seen
        self.root = root
        self.trusted = trusted

    def build(self, data: Any) -> Policy:
        top = self.header(data)
        name = self.attempt(self.text, top["name"], "name") if "name" in top else None
        description = (
            self.attempt(self.text, top["description"], "description")
            if "description" in top
            else None
        )
        rules = self.rule_set(top, "")
        contexts = [self.attempt(self.context, c, k) for c, k in self.items_of(top, "contexts")]
        waivers = [self.attempt(self.waiver, w, k) for w, k in self.items_of(top, "waivers")]
        curations = [
            self.attempt(read_curation, self, c, k) for c, k in self.items_of(top, "curations")
        ]
        bases = self.extends(top["extends"]) if "extends" in top else []
        if self.errors:
            raise PolicyError(*dict.fromkeys(self.errors))
        own = Policy(
            name=name or Path(self.source).stem,
            description=description or "",
            sources=(self.source,),
            rules=rules,
            contexts=tuple(c for c in contexts if c is not None),
            waivers=tuple(w for w in waivers if w is not None),
            curations=tuple(c for c in curations if c is not None),
        )
        return _linearised(bases, own)

    def header(self, data: Any) -> Mapping[str, Any]:
        """The top mapping, once it shows itself a policy of version 1; else one error.

        Nothing of a file that is not (yet) known to be a policy is quoted: the file may be
        any file of the tree, such as a secret, and errors end up in CI logs.
        """
        if data is None:
            raise PolicyError(f"{self.source}: the policy is empty (it needs at least version: 1)")
        if not isinstance(data, Mapping):
            raise self.fail("", f"expected a mapping, got {shape(data)}")
        if "version" not in data:
            raise self.fail("", "missing key 'version' (write version: 1 at the top)")
        version = data["version"]
        if type(version) is not int or version != POLICY_VERSION:
            # 1.0 and true are not 1: the version is the integer 1.
            shown = repr(version) if isinstance(version, (int, float)) else shape(version)
            raise self.fail(
                "version", f"unsupported policy version {shown}; this ospo-scan reads version 1"
            )
        return self.mapping(data, "", TOP_KEYS)

    def items_of(self, top: Mapping[str, Any], key: str) -> list[tuple[Any, str]]:
        return self.attempt(self.items, top.get(key), key) or []

    def extends(self, value: Any) -> list[Policy]:
        """The policies ``extends`` names, in order; each error recorded."""
        targets = self.attempt(self.strings, value, "extends")
        if targets is None:
            return []
        if not targets:
            self.report(self.fail("extends", "extends is an empty list; name a policy or drop it"))
        if len(self.seen) >= MAX_EXTENDS_DEPTH:
            self.report(
                self.fail("extends", f"extends is nested more than {MAX_EXTENDS_DEPTH} levels deep")
            )
            return []
        bases: list[Policy] = []
        first: dict[str, str] = {}
        for target, key in targets:
            identity = self.attempt(self.target_identity, target, key)
            if identity is None:
                continue
            if identity in first:
                self.report(
                    self.fail(
                        key,
                        f"{target!r} is extended twice",
                        f"first at line {self.line(first[identity])} ({first[identity]})",
                    )
                )
                continue
            first[identity] = key
            base = self.attempt(self.extend, target, identity, key)
            if base is not None:
                bases.append(base)
        return bases

    def target_identity(self, target: str, key: str) -> str:
        """``shipped:NAME`` or the resolved path of what ``target`` names; refused if neither."""
        if not _looks_like_path(target):
            if target not in shipped_policies():
                known = ", ".join(shipped_policies())
                raise self.fail(
                    key, f"no shipped policy named {target!r}", f"shipped policies: {known}"
                )
            return f"shipped:{target}"
        if self.root is None or self.base_dir is None:
            raise self.fail(
                key,
                f"extends {target!r} is refused: {self.source} has no folder, so it may only "
                "extend shipped policies",
            )
        path = self.base_dir / target
        if not confined(path, self.root):
            raise self.fail(
                key,
                f"extends {target!r} is refused: it leads outside {self.root}, the folder of the "
                "policy given on the command line",
                "a policy may extend files under that folder only (links and '..' resolved); "
                "name another file with --policy",
            )
        return str(path.resolve())

    def extend(self, target: str, identity: str, key: str) -> Policy:
        chain = (*self.seen, self.identity())
        if identity in chain:
            cycle = " -> ".join((*chain[chain.index(identity) :], identity))
            raise self.fail(key, f"extends cycle: {cycle}")
        if identity.startswith("shipped:"):
            return shipped_policy(target, _seen=chain)
        path = (self.base_dir or Path()) / target
        kind = file_kind(path)
        if kind == "missing":
            raise self.fail(key, f"the extended policy {target!r} does not exist ({path})")
        if kind is not None:
            raise self.fail(key, f"the extended policy {target!r} is {kind} ({path})")
        return policy_from_file(path, _seen=chain, _root=self.root)

    def identity(self) -> str:
        return _identity(self.source)

    def rule_set(self, data: Mapping[str, Any], prefix: str) -> RuleSet:
        def key(name: str) -> str:
            return f"{prefix}.{name}" if prefix else name

        references = None
        if "references" in data:
            references = self.attempt(self.references, data["references"], key("references"))
        return RuleSet(
            licenses=self.named_rules(data, key("licenses"), self.license_entry),
            categories=self.named_rules(data, key("categories"), self.category),
            unknown=self.verdict(data["unknown"], key("unknown")) if "unknown" in data else None,
            conflict=self.verdict(data["conflict"], key("conflict"))
            if "conflict" in data
            else None,
            default=self.verdict(data["default"], key("default")) if "default" in data else None,
            references=references,
            errors=self.verdict(data["errors"], key("errors")) if "errors" in data else None,
        )

    def named_rules(
        self, data: Mapping[str, Any], key: str, canonical: Callable[[str, str], str]
    ) -> dict[str, Rule]:
        """The ``allow``/``review``/``deny`` lists under ``key``, by canonical lowercase name."""
        table: dict[str, Rule] = {}
        name = key.rsplit(".", 1)[-1]
        if name not in data:
            return table
        lists = self.attempt(self.mapping, data[name], key, tuple(VERDICT_WORDS)) or {}
        for word, entries in lists.items():
            for entry, where in self.attempt(self.strings, entries, f"{key}.{word}") or []:
                spelt = self.attempt(canonical, entry, where)
                if spelt is not None:
                    rule = Rule(VERDICT_WORDS[word], self.origin(where), spelt)
                    self.attempt(self.put, table, spelt.lower(), rule, entry)
        return table

    def context(self, data: Any, key: str) -> Context:
        body = self.mapping(data, key, CONTEXT_KEYS)
        name = self.attempt(self.text, body["name"], f"{key}.name") if "name" in body else None
        before = len(self.errors)
        paths = self.attempt(self.globs, body.get("paths", []), f"{key}.paths")
        scopes: list[DependencyScope] = []
        for scope, where in (
            self.attempt(self.strings, body.get("scopes", []), f"{key}.scopes") or []
        ):
            chosen = self.attempt(self.scope, scope, where)
            if chosen is not None:
                scopes.append(chosen)
        if not paths and not scopes and len(self.errors) == before:
            self.report(self.fail(key, "a context needs 'paths' or 'scopes' (or both)"))
        rules = self.rule_set(body, key)
        return Context(name or key, paths or (), tuple(scopes), rules, self.origin(key))

    def waiver(self, data: Any, key: str) -> Waiver:
        body = self.mapping(data, key, WAIVER_KEYS)
        if "reason" not in body:
            self.report(
                self.fail(key, "a waiver needs a 'reason' (why the exception is acceptable)")
            )

        def optional(name: str, getter: Callable[[Any, str], T]) -> T | None:
            return self.attempt(getter, body[name], f"{key}.{name}") if name in body else None

        reason = optional("reason", self.text)
        paths = optional("paths", self.globs) or ()
        package = optional("package", self.purl)
        versions = optional("versions", self.versions)
        if versions is not None and "package" not in body:
            self.report(self.fail(f"{key}.versions", "'versions' needs a 'package'"))
        lic = optional("license", self.license_text)
        errors = bool(optional("errors", self.boolean))
        if errors and "license" in body:
            self.report(
                self.fail(
                    f"{key}.license",
                    "a waiver for scan errors ('errors: true') names no license",
                    "a file that could not be read has none; use 'paths' or 'package'",
                )
            )
        if errors and not ({"paths", "package"} & set(body)):
            self.report(self.fail(key, "a waiver for scan errors needs 'paths' or 'package'"))
        if not ({"paths", "package", "license"} & set(body)):
            self.report(self.fail(key, "a waiver needs 'paths', 'package' or 'license' to match"))
        return Waiver(
            origin=self.origin(key),
            reason=reason or "",
            paths=paths,
            package=package,
            versions=versions,
            license=lic,
            approved_by=optional("approved_by", self.text),
            ticket=optional("ticket", lambda value, where: self.text(str(value), where)),
            expires=optional("expires", self.date),
            errors=errors,
        )


def _identity(source: str) -> str:
    """``shipped:NAME`` or the resolved path: one file however ``extends`` reached it."""
    if source.endswith(" (shipped)"):
        return f"shipped:{source[: -len('.yml (shipped)')]}"
    return str(Path(source).resolve())


def _looks_like_path(target: str) -> bool:
    return "/" in target or target.endswith((".yml", ".yaml"))


def _linearised(bases: Sequence[Policy], own: Policy) -> Policy:
    """``own`` over its ``bases`` (later bases win), each file's own policy merged in once.

    Every policy knows the files' own policies it was built from (``parts``, base first).
    Their concatenation, keeping each file's first place, puts every file before all that
    extend it: in a diamond (b and c both extend ``default``) ``default`` is merged once, under
    b, so that c does not bring ``default``'s rules back over b's or its contexts twice.
    """
    parts: dict[str, Policy] = {}
    for base in bases:
        for part in base.parts or (base,):
            parts.setdefault(_identity(part.sources[0]), part)
    parts.setdefault(_identity(own.sources[0]), own)
    ordered = tuple(parts.values())
    merged = ordered[0]
    for part in ordered[1:]:
        merged = _merge(merged, part)
    return replace(merged, parts=ordered)


def _merge(base: Policy, top: Policy) -> Policy:
    """``top`` extending ``base``: top's rules win; contexts and waivers add up."""
    return replace(
        top,
        sources=(*base.sources, *top.sources),
        rules=top.rules.merged_over(base.rules),
        contexts=(*base.contexts, *top.contexts),
        waivers=(*base.waivers, *top.waivers),
        curations=(*base.curations, *top.curations),
        description=top.description or base.description,
    )
