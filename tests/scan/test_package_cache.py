# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""The findings cache for package datafiles, with the real engine on the package fixtures.

A warm re-scan must give what a cold one gives (packages, dependencies, files) without
parsing a datafile again or loading the license index, and the key must cover what the
parse reads besides the bytes: the file's name, and for Python metadata its folder.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from ospo_scan.engine import datafiles
from ospo_scan.scan.options import ScanOptions
from ospo_scan.scan.pipeline import scan
from scan_support import everything

PACKAGES = Path(__file__).parent.parent / "data" / "packages"

_MANIFEST = """{
  "name": "acme/left-pad",
  "version": "1.3.0",
  "license": "MIT",
  "require": {"monolog/monolog": "^3.0"},
  "dependencies": {"left-pad": "^1.3.0"}
}
"""


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The datafiles parsed in this process (the real parser still runs)."""
    seen: list[str] = []
    real: Callable[[str], Any] = datafiles.parse_package_data

    def spy(location: str) -> Any:
        seen.append(location)
        return real(location)

    monkeypatch.setattr(datafiles, "parse_package_data", spy)
    return seen


@pytest.mark.parametrize("app", ["npm_app", "composer_app", "poetry_app", "py_app"])
@pytest.mark.parametrize("packages_only", [False, True])
def test_warm_scan_of_package_fixtures_is_the_cold_scan_without_index(
    app: str,
    packages_only: bool,
    tmp_path: Path,
    parses: list[str],
    monkeypatch: pytest.MonkeyPatch,
    count_index_loads: Callable[[], list[None]],
) -> None:
    root = shutil.copytree(PACKAGES / app, tmp_path / app)
    options = ScanOptions(jobs=1, cache_dir=str(tmp_path / "cache"), packages_only=packages_only)
    cold = scan(root, options)
    assert parses  # every fixture holds datafiles
    assert cold.packages
    parses.clear()
    loads = count_index_loads()
    warm = scan(root, options)
    assert parses == []
    assert loads == []
    assert everything(warm) == everything(cold)
    monkeypatch.undo()
    uncached = scan(root, ScanOptions(jobs=1, packages_only=packages_only))
    assert everything(uncached) == everything(cold)


def test_parallel_warm_scan_matches(tmp_path: Path) -> None:
    options = ScanOptions(jobs=2, cache_dir=str(tmp_path / "cache"))
    cold = scan(PACKAGES, options)
    warm = scan(PACKAGES, options)
    assert everything(warm) == everything(cold)


def test_same_bytes_under_another_name_are_parsed_as_that_name(
    tmp_path: Path, parses: list[str]
) -> None:
    cache_dir = str(tmp_path / "cache")
    first = tmp_path / "first"
    (first / "a").mkdir(parents=True)
    (first / "a" / "package.json").write_text(_MANIFEST, encoding="utf-8")
    npm = scan(first, ScanOptions(jobs=1, cache_dir=cache_dir))
    assert [p.purl for p in npm.packages] == ["pkg:npm/acme/left-pad@1.3.0"]

    second = tmp_path / "second"
    (second / "a").mkdir(parents=True)
    (second / "a" / "composer.json").write_text(_MANIFEST, encoding="utf-8")
    parses.clear()
    composer = scan(second, ScanOptions(jobs=1, cache_dir=cache_dir))
    assert parses == [str(second / "a" / "composer.json")]  # no hit from package.json
    assert [p.purl for p in composer.packages] == ["pkg:composer/acme/left-pad@1.3.0"]
    assert [d.purl for d in composer.dependencies] == ["pkg:composer/monolog/monolog"]
    uncached = scan(second, ScanOptions(jobs=1))
    assert everything(composer)[:2] == everything(uncached)[:2]


def test_a_moved_manifest_is_a_hit(tmp_path: Path, parses: list[str]) -> None:
    cache_dir = str(tmp_path / "cache")
    root = tmp_path / "tree"
    (root / "a").mkdir(parents=True)
    (root / "a" / "package.json").write_text(_MANIFEST, encoding="utf-8")
    scan(root, ScanOptions(jobs=1, cache_dir=cache_dir))
    (root / "a").rename(root / "b")
    parses.clear()
    moved = scan(root, ScanOptions(jobs=1, cache_dir=cache_dir))
    assert parses == []
    assert [p.datafile_paths for p in moved.packages] == [("b/package.json",)]


def test_python_metadata_is_parsed_again_when_its_folder_changes(
    tmp_path: Path, parses: list[str]
) -> None:
    root = shutil.copytree(PACKAGES / "py_app", tmp_path / "py_app")
    options = ScanOptions(jobs=1, cache_dir=str(tmp_path / "cache"))
    cold = scan(root, options)
    dist_info = root / "env/lib/python3.11/site-packages/six-1.16.0.dist-info"
    record = dist_info / "RECORD"
    record.write_text(record.read_text(encoding="utf-8") + "six_extra.py,,\n", encoding="utf-8")
    parses.clear()
    changed = scan(root, options)
    # METADATA's bytes did not change, but importlib.metadata reads RECORD beside it.
    assert parses == [str(dist_info / "METADATA")]
    assert everything(changed) == everything(scan(root, ScanOptions(jobs=1)))
    assert everything(changed) != everything(cold)  # RECORD's own record changed


def test_parse_key_covers_name_handlers_and_folder(tmp_path: Path) -> None:
    datafiles.load_package_handlers()
    (tmp_path / "package.json").write_text(_MANIFEST, encoding="utf-8")
    (tmp_path / "composer.json").write_text(_MANIFEST, encoding="utf-8")
    npm = datafiles.package_parse_key(str(tmp_path / "package.json"))
    composer = datafiles.package_parse_key(str(tmp_path / "composer.json"))
    assert npm is not None
    assert composer is not None
    assert npm["handlers"] == ["npm_package_json"]
    assert composer["handlers"] == ["php_composer_json"]
    assert npm != composer
    # setup.py's parser reads the source files beside it: not cacheable by content.
    (tmp_path / "setup.py").write_text("from setuptools import setup\nsetup(name='x')\n")
    assert datafiles.package_parse_key(str(tmp_path / "setup.py")) is None
    # Meteor's package.js is recognised but not parsed (moment ships one): nothing to read.
    (tmp_path / "package.js").write_text("Package.describe({name: 'x'});\n")
    meteor = datafiles.package_parse_key(str(tmp_path / "package.js"))
    assert meteor is not None
    assert meteor["handlers"] == ["meteor_package"]
    dist_info = tmp_path / "x-1.0.dist-info"
    dist_info.mkdir()
    (dist_info / "METADATA").write_text("Metadata-Version: 2.1\nName: x\nVersion: 1.0\n")
    before = datafiles.package_parse_key(str(dist_info / "METADATA"))
    assert before is not None
    assert before["folder"]["name"] == "x-1.0.dist-info"
    (dist_info / "RECORD").write_text("x.py,,\n")
    assert datafiles.package_parse_key(str(dist_info / "METADATA")) != before


def test_datafile_errors_are_not_cached(tmp_path: Path, parses: list[str]) -> None:
    root = shutil.copytree(PACKAGES / "broken_app", tmp_path / "broken_app")
    options = ScanOptions(jobs=1, cache_dir=str(tmp_path / "cache"))
    cold = scan(root, options)
    broken = {f.path for f in cold.files if f.issues}
    assert broken
    parses.clear()
    warm = scan(root, options)
    assert {str(Path(p).relative_to(root)) for p in parses} >= broken
    assert everything(warm) == everything(cold)


def test_lockfile_license_statements_need_no_index_when_warm(
    tmp_path: Path,
    count_index_loads: Callable[[], list[None]],
) -> None:
    # A lockfile entry whose license is no SPDX expression goes through license detection;
    # the cached parse carries the answer (our additions to lockfiles included), so that
    # assembly of the cached data needs no index.
    root = tmp_path / "app"
    root.mkdir()
    (root / "package.json").write_text(
        '{"name": "app", "version": "1.0.0", "dependencies": {"oddlib": "^1.0.0"}}\n',
        encoding="utf-8",
    )
    lock = {
        "name": "app",
        "version": "1.0.0",
        "lockfileVersion": 3,
        "packages": {
            "": {"name": "app", "version": "1.0.0", "dependencies": {"oddlib": "^1.0.0"}},
            "node_modules/oddlib": {"version": "1.0.2", "license": "Odd Public Licence, see site"},
            "node_modules/mitlib": {"version": "2.0.0", "license": "MIT"},
        },
    }
    (root / "package-lock.json").write_text(json.dumps(lock), encoding="utf-8")
    options = ScanOptions(jobs=1, cache_dir=str(tmp_path / "cache"))
    cold = scan(root, options)
    assert {d.name for d in cold.dependencies} >= {"oddlib", "mitlib"}
    loads = count_index_loads()
    warm = scan(root, options)
    assert loads == []
    assert everything(warm) == everything(cold)


_SETUP_PY = """\
# SPDX-License-Identifier: BSD-3-Clause
from setuptools import setup

setup(name="acme-widgets", version="2.0.1", license="BSD-3-Clause")
"""


def test_setup_py_tree_is_cached_when_all_it_can_read_was_walked(
    tmp_path: Path,
    parses: list[str],
    count_index_loads: Callable[[], list[None]],
) -> None:
    """setup.py's parser reads the sources beside and below it, so its parse is not cached
    per file; a whole tree whose every file under setup.py's folder was walked (hence is in
    the tree digest) is, and a warm re-scan then neither parses nor loads the index."""
    root = tmp_path / "app"
    root.mkdir()
    (root / "setup.py").write_text(_SETUP_PY, encoding="utf-8")
    (root / "widgets.py").write_text("VALUE = 1\n", encoding="utf-8")
    assert datafiles.package_parse_key(str(root / "setup.py")) is None
    options = ScanOptions(jobs=1, cache_dir=str(tmp_path / "cache"))
    cold = scan(root, options)
    assert [p.name for p in cold.packages] == ["acme-widgets"]
    assert cold.file("setup.py").license_expression_spdx == "BSD-3-Clause"
    parses.clear()
    loads = count_index_loads()
    warm = scan(root, options)
    assert (loads, parses) == ([], [])
    assert everything(warm) == everything(cold)


def test_setup_py_tree_with_an_unwalked_file_beside_it_is_not_cached(
    tmp_path: Path, parses: list[str]
) -> None:
    """An ignored file under setup.py's folder is not in the tree digest, yet the parser may
    read it: such a tree is scanned again (and setup.py parsed again) every time."""
    root = tmp_path / "app"
    root.mkdir()
    (root / "setup.py").write_text(_SETUP_PY, encoding="utf-8")
    (root / ".gitignore").write_text("_version.py\n", encoding="utf-8")
    (root / "_version.py").write_text('__version__ = "2.0.1"\n', encoding="utf-8")
    options = ScanOptions(jobs=1, cache_dir=str(tmp_path / "cache"))
    cold = scan(root, options)
    parses.clear()
    again = scan(root, options)
    assert parses == [str(root / "setup.py")]
    assert everything(again) == everything(cold)
