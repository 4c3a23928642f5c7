# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""Helpers shared by the scan pipeline's tests."""

from __future__ import annotations

from typing import Any

from ospo_scan.model import ScanResult


def everything(result: ScanResult) -> tuple[list[Any], list[Any], list[Any]]:
    """What two scans of the same tree must agree on: packages, dependencies and files
    (timings and the tool's record aside)."""
    return (
        [p.to_dict() for p in result.packages],
        [d.to_dict() for d in result.dependencies],
        [f.to_dict() for f in result.files],
    )
