# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""Ctrl-C during a real parallel scan: always exit 130, no output file, no temporary file.

ScanCode's bare ``except:`` clauses (typecode's libmagic calls) used to swallow a Ctrl-C
that landed in them while this process scanned a file itself: the scan finished, wrote its
output and exited 0. The signal is sent at several points of the detection phase.
"""

from __future__ import annotations

import json
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


def test_a_signal_after_the_output_is_written_is_too_late_to_end_the_command(
    fake_repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A Ctrl-C or SIGTERM that arrives once -o is in place is dropped: the command ends as it
    would have (exit 0 here), not with 130 and "nothing was written" over a complete file."""
    from click.testing import CliRunner  # noqa: PLC0415

    from ospo_scan.cli import _common  # noqa: PLC0415
    from ospo_scan.cli.main import main  # noqa: PLC0415

    real_write = _common.write_atomic

    def write_then_interrupt(path: Path, data: str | bytes, **kwargs: bool) -> None:
        real_write(path, data, **kwargs)
        os.kill(os.getpid(), signal.SIGINT)
        os.kill(os.getpid(), signal.SIGTERM)

    monkeypatch.setattr(_common, "write_atomic", write_then_interrupt)
    out = tmp_path / "out.json"
    result = CliRunner().invoke(main, ["scan", "-q", "-j", "1", "-o", str(out), str(fake_repo)])
    assert result.exit_code == 0, result.stderr
    assert "interrupted" not in result.stderr
    assert json.loads(out.read_text(encoding="utf-8"))["files"]
    # The hold ends with the command: this process takes Ctrl-C again.
    assert signal.SIGINT not in signal.pthread_sigmask(signal.SIG_BLOCK, [])
    with pytest.raises(KeyboardInterrupt):
        _interrupt_self_and_wait()


def _interrupt_self_and_wait() -> None:
    os.kill(os.getpid(), signal.SIGINT)
    time.sleep(0.5)  # the handler raises before this ends
