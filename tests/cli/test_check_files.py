# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""``ospo-scan check FILE...``: the files pre-commit passes, judged alone with real ScanCode."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from ospo_scan.cli.main import main
from policy_helpers import FAKE_REPO

PACKAGES = FAKE_REPO.parent / "packages"


def run(*args: str) -> Result:
    return CliRunner().invoke(main, ["check", "-j", "1", *args])


def findings(result: Result) -> list[dict[str, Any]]:
    document: dict[str, Any] = json.loads(result.stdout)
    found: list[dict[str, Any]] = document["findings"]
    return found


@pytest.fixture
def repo(fake_repo: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The fake repository, as the current folder (where pre-commit runs its hooks)."""
    monkeypatch.chdir(fake_repo)
    return fake_repo


@pytest.mark.usefixtures("repo")
def test_one_license_file_is_scanned_not_read_as_a_result() -> None:
    # It failed with a JSON parse error before.
    result = run("-f", "json", "LICENSE-MIT")
    assert result.exit_code == 0, result.stderr
    assert [(f["path"], f["expression"], f["verdict"]) for f in findings(result)] == [
        ("LICENSE-MIT", "MIT", "pass")
    ]


def test_only_the_named_files_are_judged_under_their_own_paths(repo: Path) -> None:
    result = run("-p", "permissive-only", "-f", "json", "src/lib.py", "vendor/gplthing/COPYING")
    assert result.exit_code == 1, result.stderr
    verdicts = {f["path"]: f["verdict"] for f in findings(result)}
    assert verdicts == {"src/lib.py": "pass", "vendor/gplthing/COPYING": "deny"}
    assert json.loads(result.stdout)["root"] == str(repo)
    clean = run("-p", "permissive-only", "-f", "json", "src/lib.py", "LICENSE-APACHE")
    assert clean.exit_code == 0, clean.stderr
    assert {f["path"] for f in findings(clean)} == {"src/lib.py", "LICENSE-APACHE"}


@pytest.mark.usefixtures("repo")
def test_a_named_folder_is_walked_and_the_same_options_apply() -> None:
    result = run("-f", "json", "--exclude", "*.c", "vendor", "src/lib.py")
    assert result.exit_code == 1, result.stderr
    paths = {f["path"] for f in findings(result)}
    assert paths == {"vendor/gplthing/COPYING", "src/lib.py"}


@pytest.mark.usefixtures("repo")
def test_a_missing_file_is_a_usage_error() -> None:
    result = run("src/lib.py", "src/gone.py")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == "ospo-scan: error: no such file or folder: src/gone.py\n"


def test_links_are_never_followed_out(repo: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    shutil.copy(repo / "vendor/gplthing/COPYING", outside / "COPYING")
    (repo / "gpl").symlink_to(outside / "COPYING")
    (repo / "ext").symlink_to(outside)
    result = run("-p", "permissive-only", "-f", "json", "gpl", "ext/COPYING", "src/lib.py")
    assert result.exit_code == 0, result.stderr
    assert {f["path"] for f in findings(result)} == {"src/lib.py"}


def test_a_manifest_alone_is_a_package_not_a_result(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "app"
    root.mkdir()
    shutil.copy(PACKAGES / "npm_app" / "package.json", root)
    shutil.copy(PACKAGES / "composer_app" / "composer.json", root)
    monkeypatch.chdir(root)
    for name, purl in (
        ("package.json", "pkg:npm/npm-app@1.0.0"),
        ("composer.json", "pkg:composer/"),
    ):
        result = run("-f", "json", name)
        assert result.exit_code in {0, 1}, result.stderr
        packages = [f for f in findings(result) if f["check"] == "package-license"]
        assert len(packages) == 1, name
        assert packages[0]["package"].startswith(purl)
        assert packages[0]["path"] == name
        dependencies = [f for f in findings(result) if f["subject"] == "dependency"]
        assert dependencies, name


def test_files_outside_the_current_folder_are_reported_from_their_common_folder(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(repo / "data")
    result = run("-f", "json", str(repo / "src" / "lib.py"), "../LICENSE-MIT")
    assert result.exit_code == 0, result.stderr
    assert {f["path"] for f in findings(result)} == {"src/lib.py", "LICENSE-MIT"}
