# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""Validating a configuration file into a :class:`~.model.Config`.

The keys are the options of the configured commands (``scan``, ``check``, ``sbom``), given
here as :class:`~.keys.KeySpec` lists by command: a key at the top level applies to every
command that has that option, a key in a command's section (``check:``) to that command
only, and wins over the top level. A key whose type differs between commands (``format``
has other choices for each) may only be written in a section.

Every error names the file, the line and the key (``check.jobs``), an unknown key comes
with the nearest valid one, and all of a file's errors are reported at once, as the policy
loader does (the same :class:`~ospo_scan.policy.parse.Reader`). Relative paths are resolved
against the configuration file's folder. Nothing of the file is quoted but key names and
the values that are wrong.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from ospo_scan.config.discover import TOOL_TABLE, Found
from ospo_scan.config.files import ConfigData, read_config, read_pyproject
from ospo_scan.config.keys import KeySpec, ValueKind
from ospo_scan.config.model import Config, Setting
from ospo_scan.errors import ConfigError
from ospo_scan.policy.parse import Reader, describe, shape

#: Command name -> its keys, in the order of its options.
Commands = Mapping[str, Sequence[KeySpec]]


def load_config(path: Path, commands: Commands) -> Config:
    """Read and validate the configuration file at ``path`` (``--config``)."""
    return config_from_data(read_config(path), commands)


def load_found(found: Found, commands: Commands) -> Config | None:
    """The configuration of a folder, from what :func:`.discover.find_config` found there.

    A ``pyproject.toml`` whose ``[tool.ospo-scan]`` table turns out not to exist (it named
    ospo-scan as a dependency) configures nothing. The YAML file and the table together are
    an error: one would be silently ignored, and a gate must run with what is written.
    """
    table = read_pyproject(found.pyproject) if found.pyproject is not None else None
    if found.yaml is not None and table is not None:
        raise ConfigError(
            f"{found.yaml} and the [{TOOL_TABLE}] table of {table.path} both configure "
            "ospo-scan; keep one (or name one with --config)"
        )
    if found.yaml is not None:
        return load_config(found.yaml, commands)
    return config_from_data(table, commands) if table is not None else None


def config_from_data(raw: ConfigData, commands: Commands) -> Config:
    """Validate ``raw`` against the keys of ``commands``; one :class:`ConfigError` lists all."""
    return _Validator(raw, commands).build()


def shared_keys(commands: Commands) -> tuple[dict[str, KeySpec], dict[str, list[str]]]:
    """The keys that may be written at the top level, and those only in a command's section.

    A key is shared when every command that has it takes the same kind of value; the second
    mapping names, for each other key, the commands whose sections may hold it.
    """
    by_name: dict[str, list[tuple[str, KeySpec]]] = {}
    for command, keys in commands.items():
        for spec in keys:
            by_name.setdefault(spec.name, []).append((command, spec))
    shared: dict[str, KeySpec] = {}
    split: dict[str, list[str]] = {}
    for name, found in by_name.items():
        if len({spec.shape for _, spec in found}) == 1:
            shared[name] = found[0][1]
        else:
            split[name] = [command for command, _ in found]
    return shared, split


class _Validator(Reader):
    """Checks one file's data key by key, recording every error (:meth:`Reader.attempt`)."""

    def __init__(self, raw: ConfigData, commands: Commands) -> None:
        super().__init__(str(raw.path), raw.lines)
        self.raw = raw
        self.base = raw.path.parent
        self.commands = commands
        self.shared, self.split = shared_keys(commands)

    def key(self, *parts: str) -> str:
        return ".".join(p for p in (self.raw.prefix, *parts) if p)

    def build(self) -> Config:
        shared: dict[str, Setting] = {}
        sections: dict[str, dict[str, Setting]] = {}
        data = self.raw.data
        if data is not None and not isinstance(data, Mapping):
            # Its text is not quoted: a file of that name is not known to be a configuration.
            where = f" ({self.raw.prefix})" if self.raw.prefix else ""
            raise ConfigError(
                f"{self.source}: expected a mapping of settings{where}, got {shape(data)}"
            )
        if data is not None:  # an empty file configures nothing
            top = self.attempt(
                self.mapping, data, self.raw.prefix, (*self.shared, *self.split, *self.commands)
            )
            for name, value in (top or {}).items():
                if name in self.commands:
                    sections[name] = self.section(name, value)
                elif name in self.split:
                    where = ", ".join(f"{c}:" for c in self.split[name])
                    self.report(
                        self.fail(
                            self.key(name),
                            f"key {name!r} takes other values in each command",
                            f"write it in a command's section ({where})",
                        )
                    )
                else:
                    self.setting(shared, self.shared[name], value, name)
        if self.errors:
            raise ConfigError(*dict.fromkeys(self.errors))
        return Config(self.raw.path, shared, sections)

    def section(self, command: str, value: Any) -> dict[str, Setting]:
        keys = {spec.name: spec for spec in self.commands[command]}
        found: dict[str, Setting] = {}
        body = self.attempt(self.mapping, value, self.key(command), tuple(keys))
        for name, item in (body or {}).items():
            self.setting(found, keys[name], item, f"{command}.{name}")
        return found

    def setting(self, into: dict[str, Setting], spec: KeySpec, value: Any, path: str) -> None:
        key = self.key(path)
        checked = self.attempt(self.value, spec, value, key)
        if checked is not None:
            into[spec.name] = Setting(spec.name, checked, self.origin(key))

    def value(self, spec: KeySpec, value: Any, key: str) -> Any:
        """The checked value of ``spec`` (a tuple for a repeatable option), paths resolved.

        ``None`` when an item of a list is wrong (its error is recorded).
        """
        if not spec.multiple:
            return self.one(spec, value, key)
        if not isinstance(value, list):
            return (self.one(spec, value, key),)
        items = []
        for index, item in enumerate(value):
            where = f"{key}[{index}]"
            # TOML keeps no line per item: the list's own line then.
            checked = self.attempt(self.one, spec, item, where if where in self.lines else key)
            items.append(checked)
        # Each wrong item's error is recorded; the key then has no value.
        return None if any(item is None for item in items) else tuple(items)

    def one(self, spec: KeySpec, value: Any, key: str) -> Any:
        if not _is_a(spec.kind, value):
            raise self.fail(key, f"expected {spec.expected()}, got {describe(value)}")
        if spec.kind is ValueKind.CHOICE and value not in spec.choices:
            raise self.fail(key, f"expected {spec.expected()}, got {describe(value)}")
        if spec.kind in (ValueKind.INTEGER, ValueKind.NUMBER) and not _in_bounds(spec, value):
            raise self.fail(key, f"expected {spec.expected()}, got {describe(value)}")
        if spec.kind is ValueKind.PATH or (
            spec.kind is ValueKind.POLICY and _names_a_file(value, self.base)
        ):
            value = str(self.base / value)
        if spec.convert is not None:
            try:
                spec.convert(value)
            except ValueError as exc:
                raise self.fail(key, str(exc)) from None
        return value


def _is_a(kind: ValueKind, value: Any) -> bool:
    if kind is ValueKind.BOOLEAN:
        return isinstance(value, bool)
    if isinstance(value, bool):  # true is no number
        return False
    if kind is ValueKind.INTEGER:
        return isinstance(value, int)
    if kind is ValueKind.NUMBER:
        return isinstance(value, (int, float))
    if kind is ValueKind.SIZE:
        return isinstance(value, (int, str))
    if kind in (ValueKind.PATH, ValueKind.POLICY):
        return isinstance(value, str) and bool(value.strip())
    return isinstance(value, str)


def _in_bounds(spec: KeySpec, value: float) -> bool:
    low, high = spec.minimum, spec.maximum
    if low is not None and (value <= low if spec.minimum_open else value < low):
        return False
    return not (high is not None and (value >= high if spec.maximum_open else value > high))


def _names_a_file(value: str, base: Path) -> bool:
    """Whether a policy value is a file (relative to ``base``) rather than a shipped name."""
    return "/" in value or value.endswith((".yml", ".yaml")) or (base / value).exists()
