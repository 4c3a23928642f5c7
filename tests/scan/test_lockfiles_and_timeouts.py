# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""Large lockfiles are read as package data, not detected; time-outs are remembered."""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from pathlib import Path
from typing import Any

from ospo_scan.model import FileStatus, IssueKind, ScanResult
from ospo_scan.scan import files
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
