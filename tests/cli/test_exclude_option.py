# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""``--exclude``: a glob git could not use is a usage error (exit 2), never silently skipped."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from ospo_scan.cli.main import main


@pytest.mark.parametrize("command", ["scan", "check", "sbom", "notice"])
@pytest.mark.parametrize("glob", ["!", "vendor\\"])
def test_an_unusable_exclude_exits_2_and_writes_nothing(
    tmp_path: Path, command: str, glob: str
) -> None:
    (tmp_path / "tree").mkdir()
    (tmp_path / "tree" / "a.txt").write_text("hello\n", encoding="utf-8")
    out = tmp_path / "out.json"
    result = CliRunner().invoke(
        main, [command, "--exclude", glob, "-o", str(out), str(tmp_path / "tree")]
    )
    assert result.exit_code == 2, result.output
    assert "Invalid value for '--exclude'" in result.stderr
    assert repr(glob) in result.stderr
    assert "Traceback" not in result.stderr
    assert not out.exists()


def test_a_usable_exclude_leaves_the_path_out(tmp_path: Path) -> None:
    (tmp_path / "vendor").mkdir()
    (tmp_path / "vendor" / "LICENSE").write_text("GPL-2.0-only\n", encoding="utf-8")
    (tmp_path / "a.py").write_text("# SPDX-License-Identifier: MIT\n", encoding="utf-8")
    result = CliRunner().invoke(
        main,
        [
            "scan",
            "-j",
            "1",
            "--no-cache",
            "--exclude",
            "vendor/",
            "--format",
            "json",
            str(tmp_path),
        ],
    )
    assert result.exit_code == 0, result.stderr
    assert '"vendor/LICENSE"' not in result.stdout
    assert '"a.py"' in result.stdout
