# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""Shared fixtures: the fake repository, and one real scan of it per test session.

ScanCode's license index loads once per process (seconds, 1.4 GB), so every test in a
session shares it; the session-scoped ``fake_repo_result`` also shares one scan.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
from hypothesis import settings

from ospo_scan.model import ScanResult
from ospo_scan.scan.options import ScanOptions
from ospo_scan.scan.pipeline import scan
from sbom_support import NPM_TREE_EXCLUDES

DATA = Path(__file__).parent / "data"
FAKE_REPO = DATA / "fake_repo"


def build_fake_repo(dest: Path) -> Path:
    """Copy the fake repository to ``dest`` and add what git cannot carry.

    Paths the fixture's own .gitignore ignores would be ignored by this repository's git
    too, and symbolic links out of the tree or in a cycle are best made where they are used.
    """
    shutil.copytree(FAKE_REPO, dest, symlinks=True)
    (dest / "generated").mkdir()
    (dest / "generated" / "bundle.js").write_text(
        "// SPDX-License-Identifier: GPL-2.0-only\nvar x = 1;\n", encoding="utf-8"
    )
    (dest / "debug.log").write_text("Copyright 2020 Log Writers\n", encoding="utf-8")
    links = dest / "links"
    links.mkdir()
    (links / "loop").symlink_to("..")  # a cycle: links/loop/links/loop/...
    (links / "outside").symlink_to("/etc")  # out of the root
    (links / "license").symlink_to("../LICENSE-MIT")  # a file link inside the root
    git = dest / ".git"
    git.mkdir()
    (git / "config").write_text(
        "[core]\n# Copyright 1999 Not A Holder\n# SPDX-License-Identifier: AGPL-3.0-only\n",
        encoding="utf-8",
    )
    return dest


@pytest.fixture(autouse=True)
def _private_cache_dir(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """CLI scans cache their findings: keep them out of the user's cache and of ``tmp_path``."""
    monkeypatch.setenv("OSPO_SCAN_CACHE_DIR", str(tmp_path_factory.mktemp("ospo-scan-cache")))


@pytest.fixture(autouse=True)
def _no_user_daemon(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Commands run in subprocesses must not reach a daemon the developer left running."""
    monkeypatch.setenv("OSPO_SCAN_RUNTIME_DIR", str(tmp_path_factory.mktemp("run")))
    monkeypatch.delenv("OSPO_SCAN_NO_DAEMON", raising=False)


@pytest.fixture
def fake_repo(tmp_path: Path) -> Path:
    """A fresh copy of the fake repository for a test that may change it."""
    return build_fake_repo(tmp_path / "fake_repo")


@pytest.fixture(scope="session")
def fake_repo_result(tmp_path_factory: pytest.TempPathFactory) -> ScanResult:
    """One real ScanCode scan of the fake repository, shared by the session."""
    root = build_fake_repo(tmp_path_factory.mktemp("shared") / "fake_repo")
    return scan(root, ScanOptions(jobs=1))


def _download_sdist(dest: Path, requirement: str) -> Path:
    """Fetch and unpack an sdist from PyPI (never committed: built at test time)."""
    dest.mkdir(parents=True, exist_ok=True)
    command = [
        sys.executable,
        "-m",
        "pip",
        "download",
        "--quiet",
        "--no-binary",
        ":all:",
        "--no-deps",
        "--disable-pip-version-check",
        "-d",
        str(dest),
        requirement,
    ]
    done = subprocess.run(command, capture_output=True, text=True, check=False, timeout=300)
    archives = list(dest.glob("*.tar.gz"))
    if done.returncode != 0 or not archives:
        pytest.skip(f"cannot download {requirement} from PyPI: {done.stderr.strip()[-300:]}")
    with tarfile.open(archives[0]) as archive:
        archive.extractall(dest, filter="data")
    (unpacked,) = (p for p in dest.iterdir() if p.is_dir())
    return unpacked


@pytest.fixture(scope="session")
def requests_sdist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The unpacked sdist of requests 2.32.5: small real-world code nobody here wrote."""
    return _download_sdist(tmp_path_factory.mktemp("requests"), "requests==2.32.5")


#: The pinned npm corpus (express 4.21.2, lodash 4.17.21, moment 2.30.1), committed for the
#: benchmark; the tests build the same tree from it.
MEDIUM_CORPUS = Path(__file__).parent.parent / "benchmarks"


@pytest.fixture(scope="session")
def medium_npm_tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The node_modules tree of the pinned npm corpus, installed from the registry (no scripts)."""
    npm = shutil.which("npm")
    if npm is None:
        pytest.skip("npm is not installed: cannot build the real-world npm tree")
    root = tmp_path_factory.mktemp("medium") / "medium"
    root.mkdir()
    shutil.copy(MEDIUM_CORPUS / "medium-package.json", root / "package.json")
    shutil.copy(MEDIUM_CORPUS / "medium-package-lock.json", root / "package-lock.json")
    done = subprocess.run(
        [npm, "ci", "--ignore-scripts", "--no-audit", "--no-fund"],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    if done.returncode != 0:
        pytest.skip(f"npm ci failed (registry unreachable?): {done.stderr.strip()[-300:]}")
    return root


@pytest.fixture(scope="session")
def medium_npm_result(medium_npm_tree: Path) -> ScanResult:
    """One real scan of the npm tree (without :data:`NPM_TREE_EXCLUDES`), for the session."""
    return scan(medium_npm_tree, ScanOptions(jobs=1, excludes=NPM_TREE_EXCLUDES))


# Hypothesis: a few examples per property in every run (CI included); the long profile goes
# deeper when asked (`pytest --hypothesis-profile=long`). The plugin loads that option's
# profile after this module has loaded the default one.
settings.register_profile("ci", max_examples=50, deadline=None)
settings.register_profile("long", max_examples=2000, deadline=None)
settings.load_profile("ci")
