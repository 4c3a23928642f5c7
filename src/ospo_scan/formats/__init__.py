# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""Output formats of ``ospo-scan scan``: small classes behind one interface, chosen by name."""

from __future__ import annotations

from typing import Protocol

from ospo_scan.formats.json_format import JsonFormat
from ospo_scan.model import ScanResult


class ScanFormat(Protocol):
    """Turns a scan result into the text of one output format."""

    #: True when the output is meant for people (colours allowed on a terminal).
    for_humans: bool

    def render(self, result: ScanResult, *, width: int | None = None, color: bool = False) -> str:
        """The whole output, ending in a newline."""


class _TableFormat:
    """``--format table``, whose module (and rich's tables) is imported on first use: a
    warm ``scan --format json`` takes a fraction of a second, and imports are much of it."""

    for_humans = True

    def render(self, result: ScanResult, *, width: int | None = None, color: bool = False) -> str:
        """See :class:`ospo_scan.formats.table.TableFormat`."""
        from ospo_scan.formats.table import TableFormat  # noqa: PLC0415

        return TableFormat().render(result, width=width, color=color)


#: Format name -> formatter; the CLI's ``--format`` choices come from here.
SCAN_FORMATS: dict[str, ScanFormat] = {
    "json": JsonFormat(),
    "table": _TableFormat(),
}
