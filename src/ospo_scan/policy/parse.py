# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""Policy YAML with line numbers, and a reader whose every error names file, line and key.

:func:`parse_yaml` parses with a safe loader and records the line of every YAML key path
(``licenses.allow[3]``); it refuses duplicate keys and aliases. :class:`Reader` holds one
file's name and line table and reads typed values out of the plain data: its errors are the
``file: message at line N (key); hint`` of every policy error. Nothing here knows what a
policy says; :mod:`.load` does.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence
from typing import Any

import yaml

from ospo_scan.errors import PolicyError
from ospo_scan.policy.model import Origin


class _PolicyLoader(yaml.SafeLoader):
    """A safe loader that leaves dates as text, so that a bad date gets our own message.

    (PyYAML's own timestamp constructor raises a bare ``ValueError`` on ``2026-13-01``.)
    """

    yaml_implicit_resolvers = {  # noqa: RUF012 -- PyYAML reads it as a class attribute
        first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }


def parse_yaml(text: str, source: str) -> tuple[Any, dict[str, int]]:
    """The data of YAML ``text`` (named ``source`` in errors) and the line of each key path."""
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


class Reader:
    """Typed values out of one file's data; errors name the file, the key's line and the key."""

    def __init__(self, source: str, lines: Mapping[str, int]) -> None:
        self.source = source
        self.lines = lines

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
        """A mapping whose keys are all ``allowed`` (an unknown one gets the nearest)."""
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
        """A non-empty string, stripped."""
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

    def items(self, value: Any, key: str) -> list[tuple[Any, str]]:
        """The entries of a list (nothing when absent), each with its key path."""
        if value is None:
            return []
        if not isinstance(value, list):
            raise self.fail(key, f"expected a list, got {_kind(value)}")
        return [(v, f"{key}[{i}]") for i, v in enumerate(value)]


def _kind(value: Any) -> str:
    """What a value is, in the words of an error message."""
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
