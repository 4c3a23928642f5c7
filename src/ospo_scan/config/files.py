# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""A configuration file's data, with the line of every key.

YAML is read with the policy loader's safe parser (:func:`ospo_scan.policy.parse.parse_yaml`:
no tags, no aliases, no duplicate keys), TOML with :mod:`tomllib`; both give the line of every
key path (``check.jobs``) for errors. A ``pyproject.toml`` holds the configuration in its
``[tool.ospo-scan]`` table; one that mentions the table and does not parse is an error, since
it may hold the settings.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ospo_scan.config.discover import TOOL_TABLE
from ospo_scan.errors import ConfigError
from ospo_scan.policy.parse import parse_yaml
from ospo_scan.policy.source import read_text_file

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib


@dataclass(frozen=True, slots=True)
class ConfigData:
    """A configuration file's data (the YAML document, or the TOML table) and its key lines.

    ``prefix`` is the key path of the data in the file (``tool.ospo-scan`` in a
    ``pyproject.toml``), which errors name before the key.
    """

    path: Path
    data: Any
    lines: Mapping[str, int]
    prefix: str = ""


def read_config(path: Path) -> ConfigData:
    """The data of the configuration file at ``path``: TOML (``*.toml``) or YAML."""
    if path.suffix == ".toml":
        return _read_toml(path)
    text = read_text_file(path, "configuration", ConfigError)
    data, lines = parse_yaml(text, str(path), what="configuration", error=ConfigError)
    return ConfigData(path, data, lines)


def read_pyproject(path: Path) -> ConfigData | None:
    """The ``[tool.ospo-scan]`` table of a TOML file, or ``None`` when it has none."""
    text = read_text_file(path, "configuration", ConfigError, kind="TOML")
    table = _tool_table(_parse_toml(text, path))
    if table is None:
        return None
    return ConfigData(path, table, toml_lines(text), prefix=TOOL_TABLE)


def _read_toml(path: Path) -> ConfigData:
    found = read_pyproject(path)
    if found is None:
        raise ConfigError(f"{path}: no [{TOOL_TABLE}] table")
    return found


def _parse_toml(text: str, path: Path) -> dict[str, Any]:
    try:
        document: dict[str, Any] = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        # The message says where ("at line 3, column 8") and never quotes the text.
        raise ConfigError(f"{path}: TOML syntax error: {exc}") from None
    return document


def _tool_table(document: Mapping[str, Any]) -> Any:
    tool = document.get("tool")
    return tool.get("ospo-scan") if isinstance(tool, Mapping) else None


_HEADER = re.compile(r"^\s*\[\[?(?P<key>[^\]]+)\]\]?\s*(?:#.*)?$")
_KEY_PART = r"""(?:[A-Za-z0-9_-]+|"[^"\\]*"|'[^']*')"""
_ASSIGNMENT = re.compile(rf"^\s*(?P<key>{_KEY_PART}(?:\s*\.\s*{_KEY_PART})*)\s*=")


def toml_lines(text: str) -> dict[str, int]:
    """The line of every table header and key assignment of a TOML text, by dotted key path.

    tomllib keeps no positions, so this reads the lines themselves: table headers, and
    ``key = value`` at the start of a line (outside multi-line strings). It is for error
    messages only: a key it misses is reported at the line of its table.
    """
    lines: dict[str, int] = {}
    table: list[str] = []
    in_string: str | None = None
    for number, line in enumerate(text.splitlines(), start=1):
        if in_string is not None:
            if line.count(in_string) % 2 == 1:
                in_string = None
            continue
        header = _HEADER.match(line)
        if header:
            table = _split_key(header["key"])
            lines.setdefault(".".join(table), number)
            continue
        assignment = _ASSIGNMENT.match(line)
        if assignment:
            lines.setdefault(".".join([*table, *_split_key(assignment["key"])]), number)
        for quotes in ('"""', "'''"):
            if line.count(quotes) % 2 == 1:
                in_string = quotes
                break
    return lines


def _split_key(key: str) -> list[str]:
    parts = re.findall(_KEY_PART, key)
    return [part[1:-1] if part[:1] in "\"'" else part for part in parts]
