# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""Output formats of ``ospo-scan check``: small classes behind one interface, chosen by name."""

from __future__ import annotations

from typing import Protocol

from ospo_scan.evaluate import PolicyReport
from ospo_scan.report_formats.json_format import JsonReport
from ospo_scan.report_formats.junit import JunitReport
from ospo_scan.report_formats.markdown import MarkdownReport
from ospo_scan.report_formats.sarif import SarifReport
from ospo_scan.report_formats.table import TableReport


class ReportFormat(Protocol):
    """Turns a policy report into the text of one output format."""

    #: True when the output is meant for people (colours allowed on a terminal).
    for_humans: bool

    def render(self, report: PolicyReport, *, width: int | None = None, color: bool = False) -> str:
        """The whole output, ending in a newline."""


#: Format name -> formatter; the CLI's ``check --format`` choices come from here.
REPORT_FORMATS: dict[str, ReportFormat] = {
    "json": JsonReport(),
    "junit": JunitReport(),
    "markdown": MarkdownReport(),
    "sarif": SarifReport(),
    "table": TableReport(),
}
