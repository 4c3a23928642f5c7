# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""Atomic writes: a failed run never truncates or clobbers an existing file."""

from __future__ import annotations

from pathlib import Path

import pytest

from ospo_scan.errors import OutputError
from ospo_scan.output import check_writable, write_atomic


def test_writes_and_replaces(tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    write_atomic(target, "first\n")
    write_atomic(target, "second\n")
    assert target.read_text() == "second\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.json"]


def test_failure_leaves_the_old_file_and_no_temp(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "out.json"
    target.write_text("good old report\n")

    def broken_replace(self: Path, other: Path) -> Path:
        raise KeyboardInterrupt  # as if the user pressed Ctrl-C at the worst moment

    monkeypatch.setattr(Path, "replace", broken_replace)
    with pytest.raises(KeyboardInterrupt):
        write_atomic(target, "new\n")
    monkeypatch.undo()
    assert target.read_text() == "good old report\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.json"]


def test_unwritable_folder_is_an_output_error(tmp_path: Path) -> None:
    with pytest.raises(OutputError, match="cannot write"):
        write_atomic(tmp_path / "missing" / "out.json", "x")


def test_check_writable_probes_without_leaving_anything(tmp_path: Path) -> None:
    check_writable(tmp_path / "result.json")
    assert list(tmp_path.iterdir()) == []
    with pytest.raises(OutputError, match="it is a folder"):
        check_writable(tmp_path)
    with pytest.raises(OutputError, match="cannot write"):
        check_writable(tmp_path / "missing" / "result.json")
