# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""Which files may configure a folder, found without parsing anything.

A folder is configured by ``.ospo-scan.yml`` (or ``.ospo-scan.yaml``) or by the
``[tool.ospo-scan]`` table of its ``pyproject.toml``. Every command that scans asks, so this
module is cheap: it imports no parser, and reads a ``pyproject.toml`` only to see whether
its text mentions the table. :func:`.load.load_found` then parses what was found.

A ``pyproject.toml`` that does not mention the table is not a configuration, whatever else
it holds: the scanned tree is often someone else's, and a broken ``pyproject.toml`` of a
project that has never heard of ospo-scan is a finding of the scan (``package_data_error``),
not a configuration error.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ospo_scan.errors import ConfigError
from ospo_scan.policy.source import file_kind, read_text_file

#: The YAML configuration files of a folder; both at once are an error.
YAML_NAMES = (".ospo-scan.yml", ".ospo-scan.yaml")
PYPROJECT = "pyproject.toml"
#: The table of ``pyproject.toml`` that holds the configuration.
TOOL_TABLE = "tool.ospo-scan"

# A line that opens the table or writes into it: [tool.ospo-scan], [tool.ospo-scan.check],
# tool.ospo-scan.jobs = 2 at the top, or ospo-scan = {...} under [tool] (and, alas, a
# dependency on ospo-scan: parsing tells them apart).
_MENTIONS_TABLE = re.compile(
    r"""^\s*(\[\s*tool\s*\.\s*["']?ospo-scan["']?\s*[.\]]"""
    r"""|tool\s*\.\s*["']?ospo-scan["']?\s*\."""
    r"""|["']?ospo-scan["']?\s*=)""",
    re.MULTILINE,
)


@dataclass(frozen=True, slots=True)
class Found:
    """The files that may configure a folder: its YAML file, a pyproject.toml that may."""

    yaml: Path | None
    pyproject: Path | None


def find_config(folder: Path) -> Found | None:
    """What may configure ``folder``, or ``None``; a :class:`ConfigError` for two YAML files."""
    yamls = [folder / name for name in YAML_NAMES if file_kind(folder / name) != "missing"]
    if len(yamls) > 1:
        raise ConfigError(
            f"{yamls[0]} and {yamls[1]} both configure ospo-scan; keep one "
            "(or name one with --config)"
        )
    pyproject = folder / PYPROJECT
    mentioned = file_kind(pyproject) is None and bool(
        _MENTIONS_TABLE.search(read_text_file(pyproject, "configuration", ConfigError, kind="TOML"))
    )
    if not yamls and not mentioned:
        return None
    return Found(yamls[0] if yamls else None, pyproject if mentioned else None)
