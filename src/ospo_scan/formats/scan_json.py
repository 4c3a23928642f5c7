# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""``--format json``: the full result document, in the versioned schema."""

from __future__ import annotations

from ospo_scan.document import to_json
from ospo_scan.model import ScanResult


class JsonFormat:
    """The complete result, readable back by ``check`` and ``sbom``."""

    for_humans = False

    def render(self, result: ScanResult, *, width: int | None = None, color: bool = False) -> str:
        """The document as JSON text."""
        return to_json(result)


#: The registry's entry (:mod:`ospo_scan.formats.registry`).
FORMAT = JsonFormat()
