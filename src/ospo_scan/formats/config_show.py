# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""``config show``: every command's effective settings and where each came from."""

from __future__ import annotations

import json
from pathlib import PurePath
from typing import Any

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from ospo_scan.config.model import EffectiveConfig, EffectiveSetting
from ospo_scan.formats._rich import render_text, safe_text


def _shown(value: Any) -> str:
    if value is None:
        return "(none)"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) if value else "(none)"
    return str(value)


def _source(setting: EffectiveSetting) -> str:
    # The file's name is enough here: the header names it in full.
    if setting.origin is not None:
        return f"{PurePath(setting.origin.file).name}:{setting.origin.line}"
    return setting.where


def _setting(setting: EffectiveSetting) -> dict[str, Any]:
    found: dict[str, Any] = {"value": setting.value, "source": setting.source.value}
    if setting.origin is not None:
        found.update(file=setting.origin.file, line=setting.origin.line, key=setting.origin.key)
    if setting.envvar is not None:
        found["envvar"] = setting.envvar
    return found


class ConfigJson:
    """The effective settings as JSON: ``{config_file, commands: {name: {key: {...}}}}``."""

    for_humans = False

    def render(
        self, data: EffectiveConfig, *, width: int | None = None, color: bool = False
    ) -> str:
        """Each key's value, its source, and the file and line or the variable it came from."""
        document = {
            "config_file": data.config_file,
            "commands": {
                name: {s.key: _setting(s) for s in settings}
                for name, settings in data.commands.items()
            },
        }
        return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


class ConfigTable:
    """The effective settings as one table per command: key, value, source."""

    for_humans = True

    def render(
        self, data: EffectiveConfig, *, width: int | None = None, color: bool = False
    ) -> str:
        """The tables, under a line naming the configuration file (or saying there is none)."""
        parts: list[RenderableType] = [
            safe_text(
                f"Configuration file: {data.config_file}"
                if data.config_file
                else "No configuration file: the command line and the defaults."
            )
        ]
        for name, settings in data.commands.items():
            table = Table(title=f"ospo-scan {name}", title_justify="left")
            table.add_column("Key")
            table.add_column("Value", overflow="fold")
            table.add_column("Source", overflow="fold")
            for setting in settings:
                table.add_row(
                    Text(setting.key), safe_text(_shown(setting.value)), safe_text(_source(setting))
                )
            parts.append(table)
        return render_text(Group(*parts), width=width, color=color)


#: The registry's entries (:mod:`ospo_scan.formats.registry`).
JSON = ConfigJson()
TABLE = ConfigTable()
