# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""A loaded configuration, and the effective settings of a command with where each came from."""

from __future__ import annotations

import enum
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    # Only for annotations: the policy model's imports are not for every command's start.
    from ospo_scan.config.keys import KeySpec
    from ospo_scan.policy.model import Origin


@dataclass(frozen=True, slots=True)
class Setting:
    """One key of a configuration file: its value (checked, paths made absolute) and origin."""

    key: str
    value: Any
    origin: Origin


@dataclass(frozen=True, slots=True)
class Config:
    """A configuration file: the keys shared by every command, and each command's own section."""

    path: Path
    shared: Mapping[str, Setting]
    commands: Mapping[str, Mapping[str, Setting]]

    def settings_for(self, command: str, keys: Sequence[KeySpec]) -> dict[str, Setting]:
        """The settings of ``command`` by parameter name: its section's over the shared ones."""
        own = self.commands.get(command, {})
        found: dict[str, Setting] = {}
        for spec in keys:
            setting = own.get(spec.name) or self.shared.get(spec.name)
            if setting is not None:
                found[spec.dest] = setting
        return found


class Source(str, enum.Enum):
    """Where an effective setting came from, the first that has it winning."""

    COMMAND_LINE = "command line"
    ENVIRONMENT = "environment"
    CONFIG = "config"
    DEFAULT = "default"


@dataclass(frozen=True, slots=True)
class EffectiveSetting:
    """The value a command runs with for one key, and where it came from.

    ``origin`` is the configuration file's line for :attr:`Source.CONFIG`; ``envvar`` the
    variable's name for :attr:`Source.ENVIRONMENT`. ``value`` is plain JSON data.
    """

    key: str
    value: Any
    source: Source
    origin: Origin | None = None
    envvar: str | None = None

    @property
    def where(self) -> str:
        """The source in words: ``.ospo-scan.yml:3``, ``environment (OSPO_SCAN_CACHE_DIR)``."""
        if self.origin is not None:
            return f"{self.origin.file}:{self.origin.line}"
        if self.envvar:
            return f"{self.source.value} ({self.envvar})"
        return self.source.value


@dataclass(frozen=True, slots=True)
class EffectiveConfig:
    """What ``ospo-scan config show`` prints: the file used, and every command's settings."""

    config_file: str | None
    commands: Mapping[str, Sequence[EffectiveSetting]]
