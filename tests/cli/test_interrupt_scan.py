# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""Ctrl-C or SIGTERM during a real parallel scan: no output file, no temporary file, and a
cache that the next run can trust.

ScanCode's bare ``except:`` clauses (typecode's libmagic calls) used to swallow a Ctrl-C
that landed in them while this process scanned a file itself: the scan finished, wrote its
output and exited 0. The signal is sent at several points of the detection phase, then the
same command runs again with the same cache: its result must equal a clean run's.
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


def _alive(pid: str) -> bool:
    """True while process ``pid`` runs (a zombie waiting to be reaped has ended)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


@pytest.fixture(scope="module")
def big_tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _distinct_copies(tmp_path_factory.mktemp("interrupt") / "tree", 40)


def _scan_command(out: Path) -> list[str]:
    return [sys.executable, "-m", "ospo_scan", "scan", "-q", "-j", "2", "-o", str(out)]


def _env(cache: Path) -> dict[str, str]:
    return {**os.environ, "OSPO_SCAN_NO_DAEMON": "1", "OSPO_SCAN_CACHE_DIR": str(cache)}


def _comparable(out: Path) -> dict[str, object]:
    """A result without what differs between two runs of one tree (the times)."""
    document = json.loads(out.read_text(encoding="utf-8"))
    del document["scan"]["started_at"], document["scan"]["finished_at"]
    del document["summary"]["elapsed_seconds"]
    return document


@pytest.fixture(scope="module")
def clean_result(big_tree: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """The result of an uninterrupted scan with a cache of its own."""
    where = tmp_path_factory.mktemp("clean")
    out = where / "clean.json"
    subprocess.run(
        [*_scan_command(out), str(big_tree)],
        env=_env(where / "cache"),
        check=True,
        capture_output=True,
        timeout=600,
    )
    return _comparable(out)


@pytest.mark.parametrize(
    ("signum", "delay"),
    [
        (signal.SIGINT, 0.3),
        (signal.SIGINT, 2.4),
        (signal.SIGTERM, 1.1),
        (signal.SIGKILL, 1.2),
    ],
)
def test_a_signal_during_a_parallel_scan_writes_nothing_and_leaves_a_sound_cache(
    big_tree: Path,
    clean_result: dict[str, object],
    tmp_path: Path,
    signum: signal.Signals,
    delay: float,
) -> None:
    out = tmp_path / "out.json"
    env = _env(tmp_path / "cache")
    command = _scan_command(out)
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
        workers = _children(process.pid)
        process.send_signal(signum)
        _, stderr = process.communicate(timeout=300)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    if signum is signal.SIGINT:
        assert process.returncode == 130, stderr
        assert "interrupted" in stderr
    else:  # the process dies of the signal, as a shell expects (128 + 15 there)
        assert process.returncode == -signum, stderr
    assert "Traceback" not in stderr
    # No worker outlives the scan, however it ended (they used to wait forever after a
    # SIGTERM or SIGKILL; communicate() above only returned because they were killed).
    assert workers
    deadline = time.monotonic() + 10
    while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not [pid for pid in workers if _alive(pid)]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cache"]  # no out.json, no .tmp
    # The next run with the same cache finishes, and its result is a clean run's.
    again = subprocess.run(
        [*command, str(big_tree)], env=env, capture_output=True, text=True, timeout=600, check=False
    )
    assert again.returncode == 0, again.stderr
    assert _comparable(out) == clean_result


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


@pytest.mark.parametrize("delay", [0.01, 0.04, 0.1, 0.2])
def test_ctrl_c_while_starting_up_exits_130_without_a_traceback(
    tmp_path: Path, delay: float
) -> None:
    """A Ctrl-C while Python imports the launcher or the CLI (before the command's own
    handling begins) used to print a KeyboardInterrupt traceback."""
    out = tmp_path / "out.json"
    process = subprocess.Popen(
        [*_scan_command(out), str(FAKE_REPO)],
        env=_env(tmp_path / "cache"),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    time.sleep(delay)
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=300)
    # Python's own start (runpy, before any module of ours) can still be interrupted with a
    # traceback of its own; no traceback may come from ospo-scan's code.
    assert "Traceback" not in stderr or "ospo_scan" not in stderr, stderr
    if "Traceback" in stderr:
        return
    if process.returncode != 0:  # it may have finished first on a fast machine
        assert process.returncode in (130, -signal.SIGINT), stderr
        assert not out.exists()
        # Killed by the signal before Python installed its handler (a loaded machine starts
        # the interpreter slowly): the default action, no message of ours and nothing written.
        if process.returncode == 130:
            assert "interrupted; nothing was written" in stderr
