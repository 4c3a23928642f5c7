# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""Atomic writes: a failed run never truncates or clobbers an existing file."""

from __future__ import annotations

import os
import signal
import socket
import stat
import subprocess
import sys
import threading
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


def test_a_fifo_is_written_straight_through(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    check_writable(fifo)  # no probe file, no open (that would wait for a reader)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    write_atomic(fifo, "through\n")
    reader.join(timeout=10)
    assert received == [b"through\n"]
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pipe"]


def test_a_symlink_is_kept_and_its_target_replaced(tmp_path: Path) -> None:
    (tmp_path / "real").mkdir()
    real = tmp_path / "real" / "out.json"
    real.write_text("old\n")
    link = tmp_path / "link.json"
    link.symlink_to(Path("real") / "out.json")
    check_writable(link)
    write_atomic(link, "new\n")
    assert link.is_symlink()
    assert real.read_text() == "new\n"
    # A link to a file still to be made: made in the link target's folder.
    fresh = tmp_path / "fresh.json"
    fresh.symlink_to(tmp_path / "real" / "fresh.json")
    write_atomic(fresh, "x")
    assert fresh.is_symlink()
    assert (tmp_path / "real" / "fresh.json").read_text() == "x"


def test_a_symlink_cycle_and_a_socket_are_refused(tmp_path: Path) -> None:
    loop = tmp_path / "loop"
    loop.symlink_to(loop)
    with pytest.raises(OutputError, match="cannot write"):
        check_writable(loop)
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(str(tmp_path / "sock"))
        with pytest.raises(OutputError, match="it is a socket"):
            write_atomic(tmp_path / "sock", "x")


_SLOW_FSYNC_CLI = """
import os, sys, time
from ospo_scan.cli.main import main

real_fsync = os.fsync

def slow_fsync(fd):  # the final write, made slow enough to be caught in the middle
    print("writing", flush=True)
    time.sleep(3)
    real_fsync(fd)

os.fsync = slow_fsync
main(sys.argv[1:])
"""


def test_sigterm_during_the_final_write_leaves_no_temp_and_the_old_file(tmp_path: Path) -> None:
    tree = tmp_path / "tree"
    tree.mkdir()
    (tree / "a.py").write_text("# SPDX-License-Identifier: MIT\n", encoding="utf-8")
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    target = out_dir / "out.json"
    target.write_text("good old report\n")
    command = ["scan", "-q", "-j", "1", "-o", str(target), str(tree)]
    process = subprocess.Popen(
        [sys.executable, "-c", _SLOW_FSYNC_CLI, *command],
        env={**os.environ, "OSPO_SCAN_NO_DAEMON": "1"},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    try:
        assert process.stdout.readline() == "writing\n", process.communicate()[1]
        process.send_signal(signal.SIGTERM)
        process.communicate(timeout=120)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == -signal.SIGTERM  # it dies of the signal, as it would have
    assert target.read_text() == "good old report\n"
    assert sorted(p.name for p in out_dir.iterdir()) == ["out.json"]  # no .out.json.*.tmp
