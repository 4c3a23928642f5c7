# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""The pull-request gate end to end, as a team adopts it (issue 15's "done when").

A real git repository configured once with a permissive-only ``.ospo-scan.yml`` and a
committed baseline that already holds a GPL file. ``ospo-scan check .`` runs as a real
process with no option at all: it passes; a second GPL file fails it and is the only new
violation named; moving the old file's lines keeps it unchanged; ``--changed-since`` on the
branch judges only what the branch changed.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from git_support import git, write

CONFIG = """\
policy: permissive-only
baseline: .ospo-scan-baseline.json
jobs: 1
"""
GPL = "/* Vendored.\n * SPDX-License-Identifier: GPL-2.0-only\n */\nint f(void) { return 0; }\n"
MIT = "# SPDX-License-Identifier: MIT\nprint('hello')\n"


def ospo_scan(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "OSPO_SCAN_NO_DAEMON": "1",
        "OSPO_SCAN_CACHE_DIR": str(repo.parent / "cache"),
        "NO_COLOR": "1",
    }
    return subprocess.run(
        [sys.executable, "-m", "ospo_scan", *args],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """main: the configuration, an MIT file, a vendored GPL file and the baseline holding it."""
    root = tmp_path_factory.mktemp("gate") / "repo"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    write(root / ".ospo-scan.yml", CONFIG)
    write(root / "src" / "app.py", MIT)
    write(root / "third_party" / "old.c", GPL)
    written = ospo_scan(root, "check", "--write-baseline", ".ospo-scan-baseline.json", ".")
    assert written.returncode == 0, written.stderr
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "adopt ospo-scan")
    git(root, "checkout", "-q", "-b", "feature")
    return root


def new_violations(done: subprocess.CompletedProcess[str]) -> list[str]:
    document: dict[str, Any] = json.loads(done.stdout)
    return [
        f["path"]
        for f in document["findings"]
        if f["baseline_state"] == "new" and f["verdict"] != "pass"
    ]


def test_check_with_no_option_passes_on_the_baselined_tree(repo: Path) -> None:
    done = ospo_scan(repo, "check", ".")
    assert done.returncode == 0, done.stderr
    assert "policy permissive-only:" in done.stderr
    assert "baseline: 0 new violations" in done.stderr


def test_a_second_gpl_file_fails_and_only_it_is_named(repo: Path) -> None:
    write(repo / "src" / "copied.c", GPL)
    try:
        done = ospo_scan(repo, "check", "--format", "json", ".")
        assert done.returncode == 1, done.stderr
        assert new_violations(done) == ["src/copied.c"]
        table = ospo_scan(repo, "check", "--format", "table", ".")
        assert table.returncode == 1
        assert "src/copied.c" in table.stdout
    finally:
        (repo / "src" / "copied.c").unlink()


def test_moving_the_old_files_lines_keeps_it_unchanged(repo: Path) -> None:
    old = repo / "third_party" / "old.c"
    old.write_text("// a new header line\n\n" + GPL, encoding="utf-8")
    try:
        done = ospo_scan(repo, "check", "--format", "json", ".")
        assert done.returncode == 0, done.stderr
        (finding,) = [
            f for f in json.loads(done.stdout)["findings"] if f["path"] == "third_party/old.c"
        ]
        assert (finding["start_line"], finding["baseline_state"]) == (4, "unchanged")
    finally:
        old.write_text(GPL, encoding="utf-8")


def test_changed_since_judges_only_the_branchs_changes(repo: Path) -> None:
    write(repo / "src" / "app.py", MIT + "print('more')\n")
    write(repo / "lib" / "gpl.c", GPL)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "feature work")
    done = ospo_scan(repo, "check", "--changed-since", "main", "--format", "json", ".")
    assert done.returncode == 1, done.stderr
    document = json.loads(done.stdout)
    assert {f["path"] for f in document["findings"]} == {"src/app.py", "lib/gpl.c"}
    assert new_violations(done) == ["lib/gpl.c"]
    assert document["scope"].startswith("changes since main")
