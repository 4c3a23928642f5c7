# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""``check --changed-since REF`` on a real git repository: only what the change touched.

The repository has a GPL file on ``main``; a branch adds another GPL file, edits an MIT file,
leaves an untracked file and edits a package's manifest. Only those are judged; git is only
read (its index and refs are untouched), and a repository's own configuration cannot make it
run a program.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from git_support import git, write
from ospo_scan.cli.main import main

POLICY = """\
version: 1
categories:
  allow: [Permissive]
  deny: [Copyleft]
"""
GPL = "/* SPDX-License-Identifier: GPL-3.0-only */\nint f(void) { return 0; }\n"
MIT = "# SPDX-License-Identifier: MIT\nprint('hello')\n"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    write(root / "src" / "app.py", MIT)
    write(root / "lib" / "old.c", GPL)
    write(root / "pkg" / "package.json", '{"name": "pkg", "version": "1.0.0", "license": "MIT"}')
    write(root / "other" / "package.json", '{"name": "other", "version": "1.0.0"}')
    write(root / ".gitignore", "ignored.txt\n")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "main")
    git(root, "checkout", "-q", "-b", "feature")
    write(root / "lib" / "new.c", GPL)
    write(root / "src" / "app.py", MIT + "print('more')\n")
    write(root / "pkg" / "package.json", '{"name": "pkg", "version": "1.1.0", "license": "MIT"}')
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "feature")
    write(root / "docs" / "untracked.py", "# SPDX-License-Identifier: Apache-2.0\n")
    write(root / "ignored.txt", "SPDX-License-Identifier: GPL-2.0-only\n")
    (tmp_path / "policy.yml").write_text(POLICY, encoding="utf-8")
    return root


def check(repo: Path, *args: str) -> Result:
    policy = next(p / "policy.yml" for p in repo.parents if (p / "policy.yml").exists())
    command = ["check", "-j", "1", "--no-cache", "-p", str(policy), "--format", "json", *args]
    return CliRunner().invoke(main, [*command, str(repo)])


def judged(result: Result) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(result.stdout)
    return document


def names(document: dict[str, Any]) -> set[str]:
    return {f["path"] if f["subject"] == "file" else f["package"] for f in document["findings"]}


def git_state(repo: Path) -> dict[str, str]:
    """What a read-only tool must leave alone: the index, HEAD and every ref."""
    state = {"HEAD": (repo / ".git" / "HEAD").read_text(encoding="utf-8")}
    for path in sorted((repo / ".git").rglob("*")):
        if path.is_file() and (path.name == "index" or "refs" in path.parts):
            state[str(path)] = hashlib.sha256(path.read_bytes()).hexdigest()
            state[str(path) + ":mtime"] = str(path.stat().st_mtime_ns)
    return state


def test_only_the_changed_files_and_touched_packages_are_judged(repo: Path) -> None:
    before = git_state(repo)
    result = check(repo, "--changed-since", "main")
    assert result.exit_code == 1, result.stderr  # lib/new.c is GPL
    document = judged(result)
    assert names(document) == {
        "lib/new.c",
        "src/app.py",
        "docs/untracked.py",
        "pkg/package.json",  # its "license" field is a file finding too
        "pkg:npm/pkg@1.1.0",
    }
    assert document["scope"].startswith("changes since main (merge base ")
    assert "judged: changes since main" in result.stderr
    assert git_state(repo) == before


def test_without_changes_nothing_is_judged(repo: Path) -> None:
    result = check(repo, "--changed-since", "HEAD")
    # HEAD's merge base with itself: only the untracked file is a change.
    assert result.exit_code == 0, result.stderr
    assert names(judged(result)) == {"docs/untracked.py"}


def test_with_a_baseline_only_the_touched_part_is_fixed_or_new(repo: Path) -> None:
    baseline = repo.parent / "baseline.json"
    git(repo, "stash", "-u", "-q")
    git(repo, "checkout", "-q", "main")
    assert check(repo, "--write-baseline", str(baseline)).exit_code == 0
    git(repo, "checkout", "-q", "feature")
    git(repo, "stash", "pop", "-q")
    result = check(repo, "--baseline", str(baseline), "--changed-since", "main")
    assert result.exit_code == 1
    document = judged(result)
    states = {f["path"]: f["baseline_state"] for f in document["findings"]}
    assert states["lib/new.c"] == "new"
    # lib/old.c was not judged: it is neither in the report nor "fixed".
    assert "lib/old.c" not in states
    assert document["baseline"]["fixed"] == []


def test_a_subfolder_of_the_repository(repo: Path) -> None:
    result = check(repo / "lib", "--changed-since", "main")
    assert result.exit_code == 1, result.stderr
    assert names(judged(result)) == {"new.c"}


def test_the_repository_config_cannot_run_a_program(repo: Path) -> None:
    marker = repo.parent / "ran"
    hook = repo.parent / "hook.sh"
    hook.write_text(f"#!/bin/sh\ntouch {marker}\n", encoding="utf-8")
    hook.chmod(0o755)
    git(repo, "config", "core.fsmonitor", str(hook))
    git(repo, "config", "diff.external", str(hook))
    git(repo, "config", "core.pager", str(hook))
    result = check(repo, "--changed-since", "main")
    assert result.exit_code == 1, result.stderr
    assert not marker.exists()


@pytest.mark.parametrize(
    ("ref", "message"),
    [
        ("no-such-branch", "--changed-since no-such-branch: no such commit"),
        ("--upload-pack=touch", "no such commit"),
    ],
)
def test_an_unknown_ref_exits_2_before_the_scan(repo: Path, ref: str, message: str) -> None:
    result = check(repo, "--changed-since", ref)
    assert result.exit_code == 2
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_outside_a_repository_exits_2(tmp_path: Path) -> None:
    tree = tmp_path / "plain"
    write(tree / "a.py", MIT)
    (tmp_path / "policy.yml").write_text(POLICY, encoding="utf-8")
    result = check(tree, "--changed-since", "main")
    assert result.exit_code == 2
    assert "--changed-since: git rev-parse failed" in result.stderr
    assert "not a git repository" in result.stderr
