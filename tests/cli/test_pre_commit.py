# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""The shipped pre-commit hook, run by the real pre-commit on a real git repository.

pre-commit installs the hook as its users get it: from a git repository holding this project
(copied to a temporary repository, as it is in the working tree) with its
``.pre-commit-hooks.yaml``, into a virtual environment of its own (``language: python``, so
scancode-toolkit and the rest come from the package index: the first commit takes a minute or
more). Then ``git commit`` runs it on the staged files.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from policy_helpers import FAKE_REPO

PROJECT = Path(__file__).resolve().parents[2]
PRE_COMMIT = str(Path(sys.executable).with_name("pre-commit"))

#: What a user's repository needs of ours: the package, its metadata and the hook manifest.
_SHIPPED = ("pyproject.toml", "README.md", "LICENSES", "src", ".pre-commit-hooks.yaml")


def git(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["git", "-c", "user.name=Test", "-c", "user.email=test@example.org", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
        timeout=1200,
        env=_env(),
    )


def _env() -> dict[str, str]:
    """No global or system git configuration (a hooksPath there would bypass the hook)."""
    return {
        **os.environ,
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
        "PRE_COMMIT_COLOR": "never",
    }


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A git repository of this project as it is now, and the commit pre-commit installs."""
    repo = tmp_path_factory.mktemp("hook") / "ospo-scan"
    repo.mkdir()
    ignore = shutil.ignore_patterns("__pycache__", "*.egg-info", "*.pyc")
    for name in _SHIPPED:
        source = PROJECT / name
        if source.is_dir():
            shutil.copytree(source, repo / name, ignore=ignore)
        else:
            shutil.copy2(source, repo / name)
    assert git(repo, "init", "--quiet", "-b", "main").returncode == 0
    assert git(repo, "add", "-A").returncode == 0
    assert git(repo, "commit", "--quiet", "-m", "ospo-scan").returncode == 0
    rev = git(repo, "rev-parse", "HEAD").stdout.strip()
    return repo, rev


def test_the_manifest_is_valid() -> None:
    done = subprocess.run(
        [PRE_COMMIT, "validate-manifest", str(PROJECT / ".pre-commit-hooks.yaml")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_a_commit_adding_a_gpl_text_is_refused_and_a_clean_one_passes(
    hook_repo: tuple[Path, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PRE_COMMIT_HOME", str(tmp_path / "pre-commit-home"))
    hooks, rev = hook_repo
    project = tmp_path / "project"
    project.mkdir()
    # The hook takes no argument: the project's .ospo-scan.yml names the policy.
    (project / "policy.yml").write_text("version: 1\nextends: permissive-only\n", encoding="utf-8")
    (project / ".ospo-scan.yml").write_text("policy: policy.yml\n", encoding="utf-8")
    (project / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {hooks}\n    rev: {rev}\n    hooks:\n      - id: ospo-scan\n",
        encoding="utf-8",
    )
    assert git(project, "init", "--quiet", "-b", "main").returncode == 0
    installed = subprocess.run(
        [PRE_COMMIT, "install"],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
        env=_env(),
    )
    assert installed.returncode == 0, installed.stdout + installed.stderr

    (project / "src").mkdir()
    (project / "src" / "app.py").write_text(
        "# SPDX-License-Identifier: MIT\nprint('hello')\n", encoding="utf-8"
    )
    git(project, "add", "-A")
    clean = git(project, "commit", "-m", "a clean commit")
    # A hook that cannot be installed (from PyPI, as a user's pre-commit does) is a failure,
    # never a skip: it is what a user would meet.
    assert "while installing" not in clean.stdout + clean.stderr, clean.stdout[-1500:]
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert "ospo-scan license check" in clean.stdout + clean.stderr
    assert "Passed" in clean.stdout + clean.stderr

    shutil.copy(FAKE_REPO / "vendor" / "gplthing" / "COPYING", project / "COPYING")
    git(project, "add", "COPYING")
    refused = git(project, "commit", "-m", "add a GPL text")
    output = refused.stdout + refused.stderr
    assert refused.returncode == 1, output
    assert "Failed" in output
    assert "COPYING:1" in output
    assert "GPL-3.0-only" in output
    assert "1 denied" in output
    # The commit did not happen: the clean one is still the last.
    assert git(project, "log", "--format=%s").stdout.splitlines() == ["a clean commit"]
