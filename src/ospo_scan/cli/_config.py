# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""The configuration file on the command line: its keys are the commands' options.

One registry, no list: every option of a configured command (:data:`CONFIGURED`) is a key by
its long name (``--max-file-size`` is ``max-file-size``), with the type its Click parameter
declares (:func:`command_keys`); an option added to a command is a key at once. The loaded
settings become the command's ``default_map``, so Click itself lets the command line (and an
option's environment variable) win over the file, and says where each value came from
(``ctx.get_parameter_source``) for ``ospo-scan config show``.

Which file: ``--config FILE`` (a global option), else the one in the folder the command
scans (PATH, or the folder of a PATH that is a file), found by :func:`.config.files.find_config`;
``--no-config`` reads none.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click

from ospo_scan.cli._common import SIZE_PATTERN, ByteSize, PolicyParam, UsageFailure
from ospo_scan.config.discover import find_config
from ospo_scan.config.keys import KeySpec, ValueKind
from ospo_scan.config.model import Config, EffectiveConfig, EffectiveSetting, Setting, Source

#: The commands that a configuration file configures, in the order they are shown.
CONFIGURED = ("scan", "check", "sbom", "notice")


@dataclass(frozen=True, slots=True)
class Applied:
    """A command's settings from a configuration file: by parameter name, with their lines."""

    config: Config
    settings: Mapping[str, Setting]

    @property
    def default_map(self) -> dict[str, Any]:
        return {dest: setting.value for dest, setting in self.settings.items()}


@functools.cache
def command_keys(command: click.Command) -> tuple[KeySpec, ...]:
    """The configuration keys of ``command``: each option with a long name, by that name."""
    ctx = click.Context(command)
    keys = []
    for param in command.get_params(ctx):
        if not isinstance(param, click.Option) or param.hidden or not param.expose_value:
            continue
        long = next((opt for opt in param.opts if opt.startswith("--")), None)
        if long is None or param.name is None:
            continue
        keys.append(_key(param, long[2:], param.name, ctx))
    return tuple(keys)


def _key(param: click.Option, name: str, dest: str, ctx: click.Context) -> KeySpec:
    kind, details = _kind(param)
    return KeySpec(
        name=name,
        dest=dest,
        kind=kind,
        multiple=param.multiple,
        help=" ".join((param.help or "").split()),
        convert=functools.partial(_convert, param, ctx),
        **details,
    )


def _kind(param: click.Option) -> tuple[ValueKind, dict[str, Any]]:
    """The kind of value an option takes, and its bounds, choices or pattern."""
    kind = param.type
    if isinstance(kind, click.types.BoolParamType):
        return ValueKind.BOOLEAN, {}
    if isinstance(kind, click.Choice):
        return ValueKind.CHOICE, {"choices": tuple(str(c) for c in kind.choices)}
    if isinstance(kind, (click.types.IntParamType, click.types.FloatParamType)):
        number = (
            ValueKind.INTEGER if isinstance(kind, click.types.IntParamType) else ValueKind.NUMBER
        )
        bounds = {
            "minimum": getattr(kind, "min", None),
            "maximum": getattr(kind, "max", None),
            "minimum_open": getattr(kind, "min_open", False),
            "maximum_open": getattr(kind, "max_open", False),
        }
        return number, bounds
    if isinstance(kind, click.Path):
        return ValueKind.PATH, {}
    if isinstance(kind, PolicyParam):
        return ValueKind.POLICY, {}
    if isinstance(kind, ByteSize):
        return ValueKind.SIZE, {"pattern": SIZE_PATTERN}
    return ValueKind.STRING, {}


def _convert(param: click.Option, ctx: click.Context, value: Any) -> Any:
    """The option's own conversion of one value; its complaint as a :class:`ValueError`."""
    try:
        return param.type.convert(value, param, ctx)
    except click.BadParameter as exc:
        raise ValueError(exc.message) from None


def all_keys(ctx: click.Context) -> dict[str, tuple[KeySpec, ...]]:
    """The keys of every configured command (their modules are imported)."""
    group = ctx.find_root().command
    assert isinstance(group, click.Group)
    keys = {}
    for name in CONFIGURED:
        command = group.get_command(ctx, name)
        assert command is not None
        keys[name] = command_keys(command)
    return keys


def apply_config(
    ctx: click.Context, name: str, command: click.Command, args: Sequence[str]
) -> Applied | None:
    """The settings of a configuration file for the command line ``name args``, if any."""
    if name not in CONFIGURED:
        return None
    root = ctx.find_root().params
    if root.get("config_file") is not None and root.get("no_config"):
        raise UsageFailure("--config and --no-config cannot be used together")
    if root.get("no_config"):
        return None
    explicit: Path | None = root.get("config_file")
    found = None
    if explicit is None:
        folder = scanned_folder(ctx, name, command, args)
        found = find_config(folder) if folder is not None else None
        if found is None:
            return None
    # The loader (YAML, TOML, the policy model's values) only once a file is there: every
    # command that scans gets here, and a warm scan is a fraction of a second.
    from ospo_scan.config.load import load_config, load_found  # noqa: PLC0415

    keys = all_keys(ctx)
    config: Config | None
    if explicit is not None:
        config = load_config(explicit, keys)
    else:
        config = load_found(found, keys) if found is not None else None
    if config is None:
        return None
    return Applied(config, config.settings_for(name, command_keys(command)))


def scanned_folder(
    ctx: click.Context, name: str, command: click.Command, args: Sequence[str]
) -> Path | None:
    """The folder whose configuration applies: PATH, or the folder of a PATH that is a file.

    ``None`` when the command line does not parse or asks for help: the command then says
    what is wrong, or shows its help, whatever any configuration says.
    """
    given = _path_arguments(_parsed(ctx, name, command, args))
    if not given:
        return None
    if len(given) > 1:  # check PATH...: the root they are scanned under (cli._targets)
        from ospo_scan.cli._targets import resolve  # noqa: PLC0415 -- check with files only

        try:
            return resolve(tuple(Path(p) for p in given)).root
        except UsageFailure:
            return None  # the command says what is wrong
    path = Path(given[0])
    if path.is_dir():
        return path
    return path.parent if path.exists() else None


def _path_arguments(values: dict[str, Any]) -> list[str]:
    """The PATH argument (``path``) or arguments (``check``'s ``paths``) of a command line."""
    raw = values.get("path", values.get("paths"))
    if isinstance(raw, str):
        return [raw]
    if isinstance(raw, (list, tuple)) and all(isinstance(p, str) for p in raw):
        return list(raw)
    return []


def _parsed(
    ctx: click.Context, name: str, command: click.Command, args: Sequence[str]
) -> dict[str, Any]:
    """The raw values of a command line, unconverted; empty if it does not parse."""
    probe = click.Context(command, info_name=name, parent=ctx, resilient_parsing=True)
    try:
        values, _, _ = command.make_parser(probe).parse_args(list(args))
    except click.UsageError:
        return {}
    return {} if values.get("help") else values


def effective(ctx: click.Context, lines: Sequence[tuple[str, list[str]]]) -> EffectiveConfig:
    """The settings each command line (``name``, its arguments) runs with, with their sources."""
    group = ctx.find_root().command
    assert isinstance(group, click.Group)
    config_file: str | None = None
    commands: dict[str, list[EffectiveSetting]] = {}
    for name, given in lines:
        command = group.get_command(ctx, name)
        assert command is not None
        # PATH defaults to the current folder here: the settings of `check` are those of `.`.
        args = given if _path_arguments(_parsed(ctx, name, command, given)) else [*given, "."]
        applied = apply_config(ctx, name, command, args)
        if applied is not None:
            config_file = str(applied.config.path)
        sub = command.make_context(
            name, list(args), parent=ctx, default_map=applied.default_map if applied else None
        )
        commands[name] = [
            _effective(sub, spec, applied.settings if applied else {})
            for spec in command_keys(command)
        ]
    return EffectiveConfig(config_file, commands)


def _effective(
    ctx: click.Context, spec: KeySpec, settings: Mapping[str, Setting]
) -> EffectiveSetting:
    value = _plain(ctx.params.get(spec.dest))
    found = ctx.get_parameter_source(spec.dest)
    if found is click.core.ParameterSource.DEFAULT_MAP:
        return EffectiveSetting(spec.name, value, Source.CONFIG, settings[spec.dest].origin)
    if found is click.core.ParameterSource.ENVIRONMENT:
        param = next(p for p in ctx.command.params if p.name == spec.dest)
        envvar = param.envvar if isinstance(param.envvar, str) else None
        return EffectiveSetting(spec.name, value, Source.ENVIRONMENT, envvar=envvar)
    if found is click.core.ParameterSource.COMMANDLINE:
        return EffectiveSetting(spec.name, value, Source.COMMAND_LINE)
    return EffectiveSetting(spec.name, value, Source.DEFAULT)


def _plain(value: Any) -> Any:
    """A parameter's value as JSON data."""
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, (tuple, list)):
        return [_plain(item) for item in value]
    return value
