# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""The end of an in-process command that loaded the license index: no teardown, same contract.

The launcher ends such a process without freeing the index's millions of objects one by one
(about 0.1 s). Everything a user or a pipeline sees must stay as it was: the whole output on
stdout, the diagnostics on stderr, the exit code of the contract (0, 1, 2), the exit handlers
run (temporary folders removed), and the usual exit where the shortcut cannot be taken.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from policy_helpers import FAKE_REPO


def _ospo(*args: str) -> subprocess.CompletedProcess[str]:
    """The real entry point (``python -m ospo_scan`` runs the launcher), no daemon."""
    return subprocess.run(
        [sys.executable, "-m", "ospo_scan", *args],
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
        env={**os.environ, "OSPO_SCAN_NO_DAEMON": "1"},
    )


def test_a_scan_to_stdout_is_whole_and_exits_0(tmp_path: Path) -> None:
    done = _ospo("scan", "--no-cache", "-q", "-f", "json", str(FAKE_REPO))
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout)  # the whole document, flushed before the exit
    assert len(found["files"]) > 10
    assert any(f["license_expression"] for f in found["files"])


def test_a_check_with_violations_exits_1_with_its_report(tmp_path: Path) -> None:
    policy = tmp_path / "deny-mit.yml"
    policy.write_text("version: 1\nextends: default\nlicenses:\n  deny: [MIT]\n", "utf-8")
    done = _ospo("check", "--no-cache", "-p", str(policy), "-f", "json", str(FAKE_REPO))
    assert done.returncode == 1, done.stderr
    assert json.loads(done.stdout)  # the whole report
    assert re.search(r"policy deny-mit: [1-9][0-9]* denied", done.stderr)
    assert "Traceback" not in done.stderr


#: Calls the launcher's exit with ``argv[1]`` as the code, with an exit handler, a
#: temporary folder and buffered output pending, and, with ``argv[2] == "thread"``, another
#: thread still running.
_EXIT = """
import atexit, sys, tempfile, threading, time
from pathlib import Path
from ospo_scan import launcher
folder = tempfile.TemporaryDirectory()
print(folder.name, file=sys.stderr)
atexit.register(lambda: Path(sys.argv[3]).write_text("handlers ran"))
sys.stdout.write("buffered data " * 1000)
if sys.argv[2] == "thread":
    threading.Thread(target=time.sleep, args=(1,)).start()
code = sys.argv[1]
launcher._exit_without_teardown(SystemExit(None if code == "none" else
                                           int(code) if code.isdigit() else code))
print("returned", file=sys.stderr)
"""


def _exit(code: str, why: str, marker: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", _EXIT, code, why, str(marker)],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )


@pytest.mark.parametrize(("code", "status"), [("0", 0), ("1", 1), ("2", 2), ("none", 0)])
def test_the_exit_runs_the_handlers_flushes_and_keeps_the_code(
    tmp_path: Path, code: str, status: int
) -> None:
    marker = tmp_path / "marker"
    done = _exit(code, "alone", marker)
    assert done.returncode == status
    assert done.stdout == "buffered data " * 1000
    assert "returned" not in done.stderr
    assert marker.read_text() == "handlers ran"
    assert not Path(done.stderr.splitlines()[0]).exists()  # the temporary folder is gone


@pytest.mark.parametrize(("code", "why"), [("a message", "alone"), ("0", "thread")])
def test_the_usual_exit_where_the_shortcut_does_not_apply(
    tmp_path: Path, code: str, why: str
) -> None:
    marker = tmp_path / "marker"
    done = _exit(code, why, marker)
    assert "returned" in done.stderr  # the launcher then raises as before
    assert done.returncode == 0
    assert done.stdout == "buffered data " * 1000
    assert marker.read_text() == "handlers ran"
