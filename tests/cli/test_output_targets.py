# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""``-o`` to what is not a plain file: a device stays a device, a FIFO a FIFO, a link a link.

The device tests run the real CLI as root inside a private mount namespace (``unshare -m``)
over a tmpfs: never on the machine's own /dev.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

from ospo_scan.cli.main import main


@pytest.fixture
def small_tree(tmp_path: Path) -> Path:
    tree = tmp_path / "tree"
    tree.mkdir()
    (tree / "a.py").write_text("# SPDX-License-Identifier: MIT\nx = 1\n", encoding="utf-8")
    return tree


def _cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "ospo_scan", *args]


def _namespace_available() -> str | None:
    if os.geteuid() != 0 or shutil.which("unshare") is None:
        return "needs root and unshare(1) for a private mount namespace"
    probe = subprocess.run(
        ["unshare", "-m", "--propagation", "private", "true"], capture_output=True, check=False
    )
    if probe.returncode != 0:
        return f"unshare -m does not work here: {probe.stderr.decode(errors='replace').strip()}"
    return None


def _in_namespace(script: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    """Run ``script`` (sh, ``set -e``) in a private mount namespace; ``$SANDBOX`` is a tmpfs."""
    reason = _namespace_available()
    if reason:
        pytest.skip(reason)
    sandbox = tmp_path / "sandbox"
    sandbox.mkdir()
    guarded = (
        "set -eu\n"
        f'SANDBOX="{sandbox}"\n'
        'mount -t tmpfs tmpfs "$SANDBOX"\n'
        'mountpoint -q "$SANDBOX"\n' + textwrap.dedent(script)
    )
    env = {**os.environ, "OSPO_SCAN_NO_DAEMON": "1"}
    return subprocess.run(
        ["unshare", "-m", "--propagation", "private", "sh", "-c", guarded],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=600,
    )


def test_a_character_device_stays_a_device(small_tree: Path, tmp_path: Path) -> None:
    command = " ".join(_cli("scan", "-q", "-j", "1", "-o", '"$SANDBOX/null"', str(small_tree)))
    done = _in_namespace(
        f"""
        mknod "$SANDBOX/null" c 1 3
        {command}
        echo "exit=$?"
        stat -c %F "$SANDBOX/null"
        ls -A "$SANDBOX"
        """,
        tmp_path,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["exit=0", "character special file", "null"]


def test_dev_null_in_a_private_dev_stays_a_device(small_tree: Path, tmp_path: Path) -> None:
    # The reported case, literally: -o /dev/null as root. /dev is a tmpfs of this namespace.
    command = " ".join(_cli("scan", "-q", "-j", "1", "-o", "/dev/null", str(small_tree)))
    done = _in_namespace(
        f"""
        mount -t tmpfs tmpfs /dev
        mountpoint -q /dev
        mknod /dev/null c 1 3
        {command}
        echo "exit=$?"
        stat -c %F /dev/null
        ls -A /dev
        """,
        tmp_path,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["exit=0", "character special file", "null"]


def test_a_fifo_receives_the_output_and_stays_a_fifo(small_tree: Path, tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []

    def read() -> None:
        with fifo.open("rb") as handle:
            received.append(handle.read())

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    done = subprocess.run(
        _cli("scan", "-q", "-j", "1", "-o", str(fifo), str(small_tree)),
        capture_output=True,
        text=True,
        env={**os.environ, "OSPO_SCAN_NO_DAEMON": "1"},
        check=False,
        timeout=600,
    )
    reader.join(timeout=30)
    assert done.returncode == 0, done.stderr
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    assert json.loads(received[0])["summary"]["files"] == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pipe", "tree"]


def test_a_symlink_stays_a_link_and_its_target_gets_the_output(
    small_tree: Path, tmp_path: Path
) -> None:
    reports = tmp_path / "reports"
    reports.mkdir()
    real = reports / "result.json"
    real.write_text("old\n")
    link = tmp_path / "latest.json"
    link.symlink_to(real)
    result = CliRunner().invoke(main, ["scan", "-q", "-j", "1", "-o", str(link), str(small_tree)])
    assert result.exit_code == 0, result.stderr
    assert link.is_symlink()
    assert link.readlink() == real
    assert json.loads(real.read_text())["summary"]["files"] == 1
    assert sorted(p.name for p in reports.iterdir()) == ["result.json"]  # no temp left


def test_a_link_to_nowhere_writable_is_refused_before_the_scan(
    small_tree: Path, tmp_path: Path
) -> None:
    link = tmp_path / "out.json"
    link.symlink_to(tmp_path / "no" / "such" / "folder" / "out.json")
    result = CliRunner().invoke(main, ["scan", "-q", "-j", "1", "-o", str(link), str(small_tree)])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"ospo-scan: error: cannot write {link}")
    assert link.is_symlink()
