# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""The one interface of every output format, and how a format is declared."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Protocol, TypeVar

_In_contra = TypeVar("_In_contra", contravariant=True)


class Format(Protocol[_In_contra]):
    """Turns what a command produced (a scan result, a policy report...) into output text."""

    #: True when the output is meant for people (colours allowed on a terminal).
    for_humans: bool

    def render(self, data: _In_contra, /, *, width: int | None = None, color: bool = False) -> str:
        """The whole output, ending in a newline. ``width`` and ``color`` only for people."""


class Output(str, enum.Enum):
    """What a format renders: the product of one command."""

    SCAN = "scan"  # ospo_scan.model.ScanResult
    CHECK = "check"  # ospo_scan.evaluate.PolicyReport
    POLICY = "policy"  # ospo_scan.policy.model.Policy
    SBOM = "sbom"  # ospo_scan.sbom.SbomInput
    CONFIG = "config"  # ospo_scan.config.model.EffectiveConfig
    NOTICE = "notice"  # ospo_scan.notice.Notice


@dataclass(frozen=True, slots=True)
class FormatSpec:
    """One format in the registry, described without importing it.

    ``target`` is ``"module:attribute"``: the attribute is the format object (or a mapping
    of format name to object, for a module of several), imported on first use: rich's tables
    and the SBOM libraries take a while to import, and a warm ``scan --format json`` is a
    fraction of a second. ``suffixes`` are the output file names that choose this format
    when ``--format`` is not given: a suffix that starts with a dot matches the end of the
    name, any other the whole name (``bom.json``), case-insensitively.
    """

    output: Output
    name: str
    target: str
    suffixes: tuple[str, ...] = ()
    for_humans: bool = False


@dataclass(frozen=True, slots=True)
class Defaults:
    """The format of an output when neither ``--format`` nor the ``-o`` name chooses one."""

    terminal: str  # stdout is a terminal
    pipe: str  # stdout is a pipe or a file
    file: str  # ``-o FILE`` whose name no suffix claims
