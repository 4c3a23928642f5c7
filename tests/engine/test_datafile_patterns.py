# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""Telling a datafile by its path without importing ScanCode's parsers.

``datafiles`` reads ScanCode's own pickled path patterns with a stand-in class, so that a tree
without a datafile never imports ``packagedcode`` (0.2 s of every start-up). These tests hold
that reading to ScanCode's ``get_cache()``, and show that the parsers are imported when, and
only when, the scanned tree has a datafile.
"""

from __future__ import annotations

import json
import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest
import scancode_config
from packagedcode import cache as package_cache

from ospo_scan.engine import datafiles

#: Paths that some ScanCode handler takes, and some that none does.
_PATHS = (
    "package.json",
    "node_modules/left-pad/package.json",
    "package-lock.json",
    "yarn.lock",
    "setup.py",
    "setup.cfg",
    "pyproject.toml",
    "requirements.txt",
    "requirements-dev.txt",
    "src/foo.egg-info/PKG-INFO",
    "lib/python3.11/site-packages/six-1.16.0.dist-info/METADATA",
    "Cargo.toml",
    "Cargo.lock",
    "go.mod",
    "pom.xml",
    "META-INF/MANIFEST.MF",
    "Gemfile.lock",
    "debian/copyright",
    "environment.yml",
    "venv/lib/site-packages/port.yaml",
    "composer.json",
    "LICENSE",
    "README.md",
    "src/main.c",
    "docs/conf.py",
)


def test_the_patterns_file_is_where_scancode_keeps_it() -> None:
    expected = (package_cache.PACKAGE_INDEX_DIR, package_cache.PACKAGE_INDEX_FILENAME)
    assert expected == datafiles._PATTERNS_FILE


def test_patterns_read_without_packagedcode_equal_get_cache() -> None:
    theirs = package_cache.get_cache()  # builds ScanCode's pickle if this machine has none yet
    mine = datafiles._read_patterns()
    assert isinstance(mine, datafiles._PatternsCache)
    assert mine.handler_by_regex == theirs.handler_by_regex
    assert len(mine.handler_by_regex) > 100
    for path in _PATHS:
        got = [regex.pattern for regex, _ in mine.application_package_matcher.match(path)]
        expected = [regex.pattern for regex, _ in theirs.application_package_matcher.match(path)]
        assert got == expected, path
    assert datafiles.is_package_datafile("a/package.json")
    assert not datafiles.is_package_datafile("a/LICENSE")


def test_a_patterns_file_holding_anything_else_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path.joinpath(*datafiles._PATTERNS_FILE[:1])
    folder.mkdir()
    # A class outside the allowed few (os.system here) is refused, never called.
    folder.joinpath(datafiles._PATTERNS_FILE[1]).write_bytes(pickle.dumps(os.system))
    monkeypatch.setattr(scancode_config, "packagedcode_cache_dir", str(tmp_path))
    assert datafiles._read_patterns() is None
    folder.joinpath(datafiles._PATTERNS_FILE[1]).write_bytes(b"not a pickle")
    assert datafiles._read_patterns() is None
    folder.joinpath(datafiles._PATTERNS_FILE[1]).unlink()
    assert datafiles._read_patterns() is None


#: Scans ``argv[1]`` with the CLI and says whether ScanCode's parsers were imported.
_SCAN = """
import json, sys
from click.testing import CliRunner
from ospo_scan.cli.main import main as cli
result = CliRunner().invoke(cli, ["scan", "--no-cache", "-q", "-f", "json", sys.argv[1]])
found = json.loads(result.stdout)
print(json.dumps({
    "exit": result.exit_code,
    "parsers": "packagedcode" in sys.modules,
    "packages": [p.get("purl") for p in found.get("packages", [])],
    "licenses": sorted(
        d["license_expression"] for f in found["files"] for d in f.get("license_detections", [])
    ),
}))
"""


def _scan(tree: Path) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, "-c", _SCAN, str(tree)],
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    found: dict[str, object] = json.loads(done.stdout)
    return found


def test_parsers_are_imported_only_for_a_tree_with_a_datafile(tmp_path: Path) -> None:
    mit = (Path(__file__).parents[1] / "data" / "fake_repo" / "LICENSE-MIT").read_text("utf-8")
    plain = tmp_path / "plain"
    plain.mkdir()
    (plain / "LICENSE").write_text(mit, encoding="utf-8")
    (plain / "main.c").write_text("int main(void) { return 0; }\n", encoding="utf-8")
    without = _scan(plain)
    assert without["parsers"] is False
    assert without["packages"] == []
    assert without["licenses"] == ["mit"]

    package = tmp_path / "package"
    package.mkdir()
    (package / "LICENSE").write_text(mit, encoding="utf-8")
    (package / "package.json").write_text(
        json.dumps({"name": "tiny", "version": "1.0.0", "license": "MIT"}), encoding="utf-8"
    )
    with_one = _scan(package)
    assert with_one["parsers"] is True
    assert with_one["packages"] == ["pkg:npm/tiny@1.0.0"]
    assert with_one["licenses"] == ["mit", "mit"]  # the LICENSE file and the manifest
