# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""Ctrl-C during a real parallel scan: always exit 130, no output file, no temporary file.

ScanCode's bare ``except:`` clauses (typecode's libmagic calls) used to swallow a Ctrl-C
that landed in them while this process scanned a file itself: the scan finished, wrote its
output and exited 0. The signal is sent at several points of the detection phase.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from policy_helpers import FAKE_REPO


def _distinct_copies(dest: Path, count: int) -> Path:
    """``count`` copies of the fake repository, each text file made distinct (no cache hits
    between copies: each content is detected once)."""
    for i in range(count):
        copy = dest / f"copy{i:03}"
        shutil.copytree(FAKE_REPO, copy)
        for path in copy.rglob("*"):
            if path.is_file() and path.suffix != ".png":
                with path.open("ab") as handle:
                    handle.write(f"\nvariant {i} of this file\n".encode())
    return dest


def _children(pid: int) -> list[str]:
    try:
        return Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return []


@pytest.fixture(scope="module")
def big_tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _distinct_copies(tmp_path_factory.mktemp("interrupt") / "tree", 40)


@pytest.mark.parametrize("delay", [0.3, 1.1, 2.4])
def test_ctrl_c_during_a_parallel_scan_exits_130_and_writes_nothing(
    big_tree: Path, tmp_path: Path, delay: float
) -> None:
    out = tmp_path / "out.json"
    env = {
        **os.environ,
        "OSPO_SCAN_NO_DAEMON": "1",
        "OSPO_SCAN_CACHE_DIR": str(tmp_path / "cache"),
    }
    command = [sys.executable, "-m", "ospo_scan", "scan", "-q", "-j", "2", "-o", str(out)]
    process = subprocess.Popen(
        [*command, str(big_tree)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        # The detection phase has begun when the worker is forked (after the index loads).
        deadline = time.monotonic() + 300
        while not _children(process.pid) and process.poll() is None:
            assert time.monotonic() < deadline, "the scan never started its worker"
            time.sleep(0.05)
        time.sleep(delay)
        assert process.poll() is None, "the scan ended before it could be interrupted"
        process.send_signal(signal.SIGINT)
        _, stderr = process.communicate(timeout=300)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 130, stderr
    assert "interrupted" in stderr
    assert "Traceback" not in stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cache"]  # no out.json, no .tmp
