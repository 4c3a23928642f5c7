# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""Large lockfiles are read as package data, not detected; time-outs are remembered."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from ospo_scan.cache import clear_cache
from ospo_scan.model import FileStatus, IssueKind, ScanResult
from ospo_scan.scan import cached, files
from ospo_scan.scan.options import ScanOptions
from ospo_scan.scan.pipeline import scan
from ospo_scan.scan.walk import Entry, EntryKind

_DATA = Path(__file__).parent.parent / "data"
_LICENSES = ("MIT", "ISC", "Apache-2.0", "BSD-3-Clause")


def _write_lockfile(folder: Path, entries: int) -> Path:
    """A package-lock.json (lockfileVersion 3) with ``entries`` packages, as npm writes it."""
    packages: dict[str, Any] = {"": {"name": "big-app", "version": "1.0.0"}}
    for i in range(entries):
        packages[f"node_modules/pkg-{i}"] = {
            "version": "1.0.0",
            "resolved": f"https://registry.npmjs.org/pkg-{i}/-/pkg-{i}-1.0.0.tgz",
            "integrity": "sha512-" + "A" * 86 + "==",
            "license": _LICENSES[i % len(_LICENSES)],
        }
    data = {"name": "big-app", "version": "1.0.0", "lockfileVersion": 3, "packages": packages}
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "package-lock.json"
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")
    return path


def _files(result: ScanResult) -> list[dict[str, Any]]:
    return [f.to_dict() for f in result.files]


# --- large lockfiles ------------------------------------------------------------------------


def test_a_large_lockfile_gives_its_licenses_as_package_data_without_detection(
    tmp_path: Path, detections: list[str]
) -> None:
    lockfile = _write_lockfile(tmp_path / "app", 4000)
    assert lockfile.stat().st_size > files.LOCKFILE_DETECTION_LIMIT
    result = scan(tmp_path / "app", ScanOptions(jobs=1))
    assert detections == []
    record = result.file("package-lock.json")
    assert record.status is FileStatus.SCANNED
    assert record.issues == ()
    deps = [d for d in result.dependencies if d.datafile_path == "package-lock.json"]
    assert len(deps) == 4000
    assert {d.license_spdx for d in deps} == set(_LICENSES)
    assert deps[1].license_spdx == "ISC"


def test_an_ordinary_lockfile_is_still_detected(tmp_path: Path, detections: list[str]) -> None:
    root = tmp_path / "npm_app"
    shutil.copytree(_DATA / "packages" / "npm_app", root)
    assert (root / "package-lock.json").stat().st_size <= files.LOCKFILE_DETECTION_LIMIT
    scan(root, ScanOptions(jobs=1))
    assert str(root / "package-lock.json") in detections


def test_only_a_large_lockfile_with_packages_wanted_skips_detection(tmp_path: Path) -> None:
    lockfile = _write_lockfile(tmp_path / "app", 4000)
    other = tmp_path / "app" / "data.json"
    shutil.copy(lockfile, other)
    size = lockfile.stat().st_size

    def entry(path: Path) -> Entry:
        return Entry(path.name, str(path), EntryKind.FILE, size=size)

    with_packages = ScanOptions(jobs=1)
    assert files._large_lockfile(entry(lockfile), size, with_packages)
    assert not files._large_lockfile(entry(other), size, with_packages)  # not a lockfile
    # Nothing else reads the license fields without packages: detect as ScanCode does.
    assert not files._large_lockfile(entry(lockfile), size, replace(with_packages, packages=False))
    assert not files._large_lockfile(entry(lockfile), files.LOCKFILE_DETECTION_LIMIT, with_packages)


# --- remembered time-outs -------------------------------------------------------------------


def test_a_timeout_is_remembered_until_the_limit_grows(
    tmp_path: Path, detections: list[str]
) -> None:
    root = tmp_path / "tree"
    root.mkdir()
    shutil.copy(_DATA / "fake_repo" / "LICENSE-APACHE", root / "LICENSE")
    options = ScanOptions(jobs=1, timeout=0.001, cache_dir=str(tmp_path / "cache"))
    cold = scan(root, options)
    assert [i.kind for i in cold.file("LICENSE").issues] == [IssueKind.TIMEOUT]
    assert detections
    detections.clear()
    (root / "other.txt").write_text("touch the tree, so no whole-tree answer\n", encoding="utf-8")
    warm = scan(root, options)
    assert str(root / "LICENSE") not in detections
    assert warm.file("LICENSE").to_dict() == cold.file("LICENSE").to_dict()
    detections.clear()
    retried = scan(root, replace(options, timeout=120.0))
    assert str(root / "LICENSE") in detections
    assert retried.file("LICENSE").license_expression_spdx == "Apache-2.0"
    assert retried.file("LICENSE").issues == ()


# --- remembered time-outs on datafiles ------------------------------------------------------
#
# Each input is slow for real, with wide margins whatever the machine's load: parsing 4,000
# lockfile entries takes over 0.5 s (the limit is 0.05 s); detecting the text of 500 takes
# over 5 s and parsing them 0.1 s (the limit is 1.5 s).


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The paths whose package data the scan parses (the real parse still runs)."""
    seen: list[str] = []
    real: Callable[..., Any] = files.parse_datafile

    def spy(entry: Entry, record: Any, options: ScanOptions, *rest: Any) -> Any:
        seen.append(entry.path)
        return real(entry, record, options, *rest)

    # scan_entry calls it for a fresh datafile, the cache layer for one whose findings it
    # holds but whose parse it may not keep.
    monkeypatch.setattr(files, "parse_datafile", spy)
    monkeypatch.setattr(cached, "parse_datafile", spy)
    return seen


def _touch(root: Path) -> None:
    """Change the tree, so that no whole-tree answer hides the per-file cache."""
    touched = root / "other.txt"
    count = len(touched.read_text(encoding="utf-8")) if touched.exists() else 0
    touched.write_text("x" * (count + 1) + "\n", encoding="utf-8")


def test_a_timed_out_lockfile_parse_is_remembered_until_retried(
    tmp_path: Path, parses: list[str]
) -> None:
    root = tmp_path / "app"
    _write_lockfile(root, 4000)
    options = ScanOptions(jobs=1, timeout=0.05, cache_dir=str(tmp_path / "cache"))
    cold = scan(root, options)
    lock = cold.file("package-lock.json")
    assert parses == ["package-lock.json"]
    assert [(i.kind, i.message) for i in lock.issues] == [
        (IssueKind.TIMEOUT, "package parsing took over 0.05 s")
    ]
    assert cold.dependencies == ()

    parses.clear()
    _touch(root)
    warm = scan(root, options)
    assert parses == []  # the time-out is not paid again
    assert warm.file("package-lock.json").to_dict() == lock.to_dict()
    assert warm.dependencies == ()

    _touch(root)
    retried = scan(root, replace(options, timeout=120.0))  # a larger limit tries again
    assert parses == ["package-lock.json"]
    assert retried.file("package-lock.json").issues == ()
    assert len(retried.dependencies) == 4000

    parses.clear()
    _touch(root)
    clear_cache(tmp_path / "cache")  # what `ospo-scan cache clear` does
    scan(root, options)
    assert parses == ["package-lock.json"]


def test_a_timed_out_lockfile_detection_is_remembered_with_its_package_data(
    tmp_path: Path, parses: list[str], detections: list[str]
) -> None:
    root = tmp_path / "app"
    lockfile = _write_lockfile(root, 500)
    assert lockfile.stat().st_size <= files.LOCKFILE_DETECTION_LIMIT  # so it is detected
    options = ScanOptions(jobs=1, timeout=1.5, cache_dir=str(tmp_path / "cache"))
    cold = scan(root, options)
    lock = cold.file("package-lock.json")
    assert [(i.kind, i.message) for i in lock.issues] == [
        (IssueKind.TIMEOUT, "detection took over 1.5 s")
    ]
    deps = [d.to_dict() for d in cold.dependencies]
    assert len(deps) == 500
    assert str(lockfile) in detections
    assert parses == ["package-lock.json"]

    detections.clear()
    parses.clear()
    _touch(root)
    warm = scan(root, options)
    assert str(lockfile) not in detections
    assert parses == []
    assert warm.file("package-lock.json").to_dict() == lock.to_dict()
    assert [d.to_dict() for d in warm.dependencies] == deps

    _touch(root)
    retried = scan(root, replace(options, timeout=2.0))  # a larger limit tries again
    assert str(lockfile) in detections
    assert [i.message for i in retried.file("package-lock.json").issues] == [
        "detection took over 2 s"
    ]
