# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""The SPDX project's ntia-conformance-checker, run on ospo-scan's SBOMs.

Two releases, both real:

- 3.0.1, installed by the ``test`` extra: the newest that accepts spdx-tools 0.8.2 (the pin
  ospo-scan shares with scancode-toolkit). NTIA mode only; it judges every package.
- the newest release (:data:`NEWEST`), with its own spdx-tools, installed from PyPI at test
  time into a folder of its own (``pip install --target``) and run in a subprocess with
  only that folder on its path, so that its spdx-tools never meets ours. It has the NTIA,
  CISA (``fsct3-min``) and BSI modes, and judges the packages reached from the document's
  root (a package no relationship path reaches "floats" and is left out, with a warning).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

#: The release the issue's figures come from, and the newest at the time of writing.
NEWEST = "6.0.0"


@dataclass(frozen=True)
class NewestChecker:
    """The newest checker, installed apart: :meth:`run` judges one SPDX file."""

    folder: Path

    def run(self, sbom: Path, mode: str) -> tuple[dict[str, Any], dict[str, bool]]:
        """The checker's JSON report of ``sbom`` in ``mode``, and its table's rows."""
        reports = []
        for output in ("json", "print"):
            command = [sys.executable, "-m", "ntia_conformance_checker.main", "-c", mode]
            done = subprocess.run(
                [*command, "-r", output, str(sbom)],
                env={**os.environ, "PYTHONPATH": str(self.folder), "PYTHONNOUSERSITE": "1"},
                capture_output=True,
                text=True,
                check=False,
                timeout=300,
            )
            assert done.stdout, done.stderr
            reports.append(done.stdout)
        rows = {
            match["row"].strip(): match["value"] == "True"
            for match in re.finditer(
                r"^(?P<row>[^|\n]+\?)\s*\|\s*(?P<value>True|False)\s*$", reports[1], re.MULTILINE
            )
        }
        return json.loads(reports[0]), rows


def install_newest(folder: Path) -> NewestChecker:
    """Install :data:`NEWEST` into ``folder``; skip when PyPI cannot be reached (fail in CI)."""
    pip = [sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    done = subprocess.run(
        [
            *pip,
            "--no-warn-conflicts",
            "--target",
            str(folder),
            f"ntia-conformance-checker=={NEWEST}",
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    if done.returncode != 0:
        message = f"cannot install ntia-conformance-checker {NEWEST}: {done.stderr[-300:]}"
        if os.environ.get("CI"):  # CI reaches PyPI (it installs the test extra from it)
            pytest.fail(message)
        pytest.skip(message)
    return NewestChecker(folder)


def failing_lists(report: dict[str, Any]) -> dict[str, set[str]]:
    """The newest checker's components missing each element, by its JSON key."""
    return {
        key: set(value["nonconformantComponents"])
        for key, value in report.items()
        if isinstance(value, dict) and "nonconformantComponents" in value
    }


def old_checker(sbom: Path) -> Any:
    """ntia-conformance-checker 3.0.1 (the test extra's), in this process."""
    from ntia_conformance_checker.sbom_checker import SbomChecker  # noqa: PLC0415

    return SbomChecker(str(sbom))
