# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""Policy YAML with line numbers, and a reader whose every error names file, line and key.

:func:`parse_yaml` parses with a safe loader and records the line of every YAML key path
(``licenses.allow[3]``); it refuses duplicate keys, aliases, control characters and nesting
deeper than :data:`MAX_DEPTH`. A file that the user did not name (one reached by ``extends``)
is parsed untrusted: until it has shown itself a policy, its errors say what kind of problem
was found and where, never its text. :class:`Reader` holds one
file's name and line table and reads typed values out of the plain data: its errors are the
``file: message at line N (key); hint`` of every policy error. Nothing here knows what a
policy says; :mod:`.load` does.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

import yaml

from ospo_scan.errors import OspoScanError, PolicyError
from ospo_scan.policy.model import Origin

T = TypeVar("T")

#: How deep YAML may nest; a policy needs five levels, and the parser recurses per level.
MAX_DEPTH = 64


class _PolicyLoader(yaml.SafeLoader):
    """A safe loader that leaves dates as text and refuses deep nesting.

    Dates stay text so that a bad date gets our own message (PyYAML's own timestamp
    constructor raises a bare ``ValueError`` on ``2026-13-01``). PyYAML composes nodes
    recursively, so thousands of nested ``[`` would end in a ``RecursionError``.
    """

    yaml_implicit_resolvers = {  # noqa: RUF012 -- PyYAML reads it as a class attribute
        first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }

    depth = 0

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        """A node, refused past :data:`MAX_DEPTH` levels."""
        self.depth += 1
        try:
            if self.depth > MAX_DEPTH:
                raise yaml.composer.ComposerError(
                    None,
                    None,
                    f"nested more than {MAX_DEPTH} levels deep",
                    self.peek_event().start_mark,  # type: ignore[no-untyped-call]
                )
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


class _Problem(Exception):
    """A problem in the YAML itself: what kind it is and its line, then text from the file.

    ``what`` (before the line) and ``details`` (after it) may quote the file, so an untrusted
    file's message leaves them out.
    """

    def __init__(self, line: int | None, kind: str, details: str = "", what: str = "") -> None:
        super().__init__(kind)
        self.line = line
        self.kind = kind
        self.details = details
        self.what = what

    def message(self, source: str, *, trusted: bool) -> str:
        where = f" at line {self.line}" if self.line else ""
        if not trusted:
            return f"{source}: {self.kind}{where}"
        return f"{source}: {self.kind}{self.what}{where}{self.details}"


def parse_yaml(
    text: str,
    source: str,
    *,
    trusted: bool = True,
    what: str = "policy",
    error: Callable[[str], OspoScanError] = PolicyError,
) -> tuple[Any, dict[str, int]]:
    """The data of YAML ``text`` (named ``source`` in errors) and the line of each key path.

    ``what`` the file is (a policy, a configuration) is named in errors, raised as ``error``.

    With ``trusted`` false, an error names the kind of problem and its line only: the text of
    a file that is not known to be a policy must not reach a log.
    """
    try:
        return _parse(text, what)
    except _Problem as problem:
        raise error(problem.message(source, trusted=trusted)) from None


def _parse(text: str, what: str) -> tuple[Any, dict[str, int]]:
    try:
        loader = _PolicyLoader(text)
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1
        raise _Problem(
            line,
            f"control character U+{exc.character:04X}"
            if isinstance(exc.character, int)
            else "unreadable character",
            f"; a {what} is plain text",
        ) from None
    try:
        node = loader.get_single_node()
        lines: dict[str, int] = {}
        if node is not None:
            _record_lines(node, "", lines, what)
        data = loader.construct_document(node) if node is not None else None
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1
        raise _Problem(line, "unreadable character", f"; a {what} is plain text") from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "invalid YAML"
        raise _Problem(
            mark.line + 1 if mark else None, "YAML syntax error", f": {problem}"
        ) from None
    except yaml.YAMLError:
        raise _Problem(None, "YAML syntax error") from None
    finally:
        loader.dispose()
    return data, lines


def _record_lines(
    node: yaml.Node,
    path: str,
    lines: dict[str, int],
    what: str,
    visited: set[int] | None = None,
) -> None:
    # An alias (*name) makes the composed graph share a node; a shared node may contain
    # itself (a cycle) or be shared exponentially ("billion laughs"). Policies need neither.
    visited = set() if visited is None else visited
    if isinstance(node, (yaml.MappingNode, yaml.SequenceNode)):
        if id(node) in visited:
            raise _Problem(
                node.start_mark.line + 1,
                f"YAML aliases are not supported in {what} files;",
                f" ({path or 'top level'}); write the value out",
            )
        visited.add(id(node))
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key_node, value_node in node.value:
            key = str(key_node.value)
            child = f"{path}.{key}" if path else key
            if key in seen:
                raise _Problem(
                    key_node.start_mark.line + 1,
                    "duplicate key",
                    f" ({child}); each key may appear once",
                    what=f" {key!r}",
                )
            seen.add(key)
            _record_lines(value_node, child, lines, what, visited)
            lines[child] = key_node.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _record_lines(item, f"{path}[{index}]", lines, what, visited)


class Reader:
    """Typed values out of one file's data; errors name the file, the key's line and the key.

    A getter raises its error; :meth:`attempt` runs one and records the error instead, so
    that every independent part of a file is checked and all its errors are reported at once.
    """

    def __init__(self, source: str, lines: Mapping[str, int]) -> None:
        self.source = source
        self.lines = lines
        self.errors: list[str] = []

    def report(self, error: PolicyError) -> None:
        """Record ``error`` (every error it lists) to report with the others."""
        self.errors.extend(error.errors or (str(error),))

    def attempt(self, getter: Callable[..., T], *args: Any) -> T | None:
        """``getter(*args)``, or ``None`` with its error recorded."""
        try:
            return getter(*args)
        except PolicyError as exc:
            self.report(exc)
            return None

    def line(self, key: str) -> int:
        """The line of ``key``, else of the nearest enclosing key that has one."""
        while key and key not in self.lines:
            key = key.rsplit(".", 1)[0] if "." in key else ""
        return self.lines.get(key, 1)

    def origin(self, key: str) -> Origin:
        """Where ``key`` is written, for rules that reports cite."""
        return Origin(self.source, self.line(key), key)

    def fail(self, key: str, message: str, hint: str = "") -> PolicyError:
        """The error to raise: ``file: message at line N (key); hint``."""
        where = f" at line {self.line(key)} ({key})" if key else ""
        return PolicyError(f"{self.source}: {message}{where}{'; ' + hint if hint else ''}")

    # typed getters: each checks the type and names the key path when it is wrong

    def mapping(self, value: Any, key: str, allowed: Sequence[str]) -> Mapping[str, Any]:
        """The known keys of a mapping; each unknown key is recorded as an error, with a hint."""
        if not isinstance(value, Mapping):
            raise self.fail(key, f"expected a mapping, got {describe(value)}")
        for name in value:
            child = f"{key}.{name}" if key else str(name)
            if name not in allowed:
                near = difflib.get_close_matches(str(name), allowed, n=1)
                hint = f"did you mean {near[0]}?" if near else f"known keys: {', '.join(allowed)}"
                self.report(self.fail(child, f"unknown key {name!r}", hint))
        # The unknown keys are recorded; the known ones are read on, to find their errors too.
        return {name: item for name, item in value.items() if name in allowed}

    def text(self, value: Any, key: str) -> str:
        """A non-empty string, stripped."""
        if not isinstance(value, str) or not value.strip():
            raise self.fail(key, f"expected a non-empty string, got {describe(value)}")
        return value.strip()

    def boolean(self, value: Any, key: str) -> bool:
        """``true`` or ``false`` (not a string or a number that might mean one)."""
        if not isinstance(value, bool):
            raise self.fail(key, f"expected true or false, got {describe(value)}")
        return value

    def strings(self, value: Any, key: str) -> list[tuple[str, str]]:
        """A list of strings (a single string is taken as a list of one), with key paths."""
        if isinstance(value, str):
            return [(self.text(value, key), key)]
        if not isinstance(value, list):
            raise self.fail(key, f"expected a list of strings, got {describe(value)}")
        return [(self.text(v, f"{key}[{i}]"), f"{key}[{i}]") for i, v in enumerate(value)]

    def items(self, value: Any, key: str) -> list[tuple[Any, str]]:
        """The entries of a list (nothing when absent), each with its key path."""
        if value is None:
            return []
        if not isinstance(value, list):
            raise self.fail(key, f"expected a list, got {describe(value)}")
        return [(v, f"{key}[{i}]") for i, v in enumerate(value)]


def describe(value: Any) -> str:
    """What a value is, in the words of an error message (a string is quoted)."""
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


def shape(value: Any) -> str:
    """What kind of value this is, without any of its text."""
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    return "something else"
