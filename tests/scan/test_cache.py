# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""The findings cache and detecting each distinct content once, with the real engine."""

from __future__ import annotations

import json
import multiprocessing
import shutil
import sqlite3
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from ospo_scan.cache import (
    ResultCache,
    _is_damage,
    cache_info,
    clear_cache,
    default_cache_dir,
    findings_key,
)
from ospo_scan.cli.main import main
from ospo_scan.engine import index
from ospo_scan.errors import CacheWarning
from ospo_scan.model import FileStatus, ScanResult
from ospo_scan.scan.options import ScanOptions
from ospo_scan.scan.pipeline import scan


def _files(result: ScanResult) -> list[dict[str, Any]]:
    return [f.to_dict() for f in result.files]


def test_identical_contents_are_detected_once(tmp_path: Path, detections: list[str]) -> None:
    root = tmp_path / "tree"
    mit = (Path(__file__).parent.parent / "data" / "fake_repo" / "LICENSE-MIT").read_bytes()
    for n in range(5):
        (root / f"pkg{n}").mkdir(parents=True)
        (root / f"pkg{n}" / "LICENSE").write_bytes(mit)
    (root / "main.py").write_text("# SPDX-License-Identifier: Apache-2.0\n", encoding="utf-8")
    result = scan(root, ScanOptions(jobs=1))
    assert len(detections) == 2  # one per distinct content
    copies = [result.file(f"pkg{n}/LICENSE") for n in range(5)]
    assert {c.license_expression_spdx for c in copies} == {"MIT"}
    assert all(c.path == f"pkg{n}/LICENSE" for n, c in enumerate(copies))
    first = copies[0].to_dict()
    for copy in copies[1:]:
        assert {**copy.to_dict(), "path": first["path"]} == first
    assert result.file("main.py").license_expression_spdx == "Apache-2.0"


def test_warm_scan_returns_the_cold_records_without_detecting(
    fake_repo: Path,
    tmp_path: Path,
    detections: list[str],
    monkeypatch: pytest.MonkeyPatch,
    count_index_loads: Callable[[], list[None]],
) -> None:
    options = ScanOptions(jobs=1, cache_dir=str(tmp_path / "cache"))
    cold = scan(fake_repo, options)
    assert detections
    detections.clear()
    loads = count_index_loads()
    warm = scan(fake_repo, options)
    assert detections == []
    assert loads == []  # binary skips are cached too: nothing needs the index
    assert _files(warm) == _files(cold)
    assert warm.file("data/logo.png").status is FileStatus.SKIPPED
    monkeypatch.undo()
    uncached = scan(fake_repo, ScanOptions(jobs=1))
    assert _files(uncached) == _files(cold)


def test_one_changed_file_is_the_only_one_detected_again(
    fake_repo: Path, tmp_path: Path, detections: list[str]
) -> None:
    options = ScanOptions(jobs=1, cache_dir=str(tmp_path / "cache"))
    scan(fake_repo, options)
    detections.clear()
    changed = fake_repo / "src" / "lib.py"
    changed.write_text("# SPDX-License-Identifier: BSD-3-Clause\n", encoding="utf-8")
    result = scan(fake_repo, options)
    assert detections == [str(changed)]
    assert result.file("src/lib.py").license_expression_spdx == "BSD-3-Clause"


def test_cache_is_keyed_on_the_options(fake_repo: Path, tmp_path: Path) -> None:
    cache_dir = str(tmp_path / "cache")
    no_copyrights = scan(fake_repo, ScanOptions(jobs=1, cache_dir=cache_dir, copyrights=False))
    assert not any(f.copyrights for f in no_copyrights.files)
    full = scan(fake_repo, ScanOptions(jobs=1, cache_dir=cache_dir))
    assert full.file("vendor/gplthing/thing.c").copyrights
    no_licenses = scan(fake_repo, ScanOptions(jobs=1, cache_dir=cache_dir, licenses=False))
    assert not any(f.license_detections for f in no_licenses.files)
    assert no_licenses.file("vendor/gplthing/thing.c").copyrights
    key = findings_key("0" * 64, "engine", {"licenses": True})
    assert key != findings_key("0" * 64, "engine", {"licenses": False})
    assert key != findings_key("0" * 64, "other-engine", {"licenses": True})


def test_parallel_scan_with_cache_matches(fake_repo: Path, tmp_path: Path) -> None:
    options = ScanOptions(jobs=2, cache_dir=str(tmp_path / "cache"))
    cold = scan(fake_repo, options)
    warm = scan(fake_repo, options)
    assert _files(warm) == _files(cold)
    assert _files(cold) == _files(scan(fake_repo, ScanOptions(jobs=1)))


def test_corrupted_cache_is_rebuilt_with_a_warning(fake_repo: Path, tmp_path: Path) -> None:
    cache_dir = tmp_path / "cache"
    cache_dir.mkdir()
    (cache_dir / "findings.sqlite3").write_bytes(b"this is not a database" * 100)
    with pytest.warns(CacheWarning, match="could not be read"):
        result = scan(fake_repo, ScanOptions(jobs=1, cache_dir=str(cache_dir)))
    assert result.file("LICENSE-MIT").license_expression_spdx == "MIT"
    assert (cache_dir / "findings.sqlite3.corrupt").exists()
    assert cache_info(cache_dir).entries > 0


def test_a_damaged_entry_is_detected_again(fake_repo: Path, tmp_path: Path) -> None:
    cache_dir = tmp_path / "cache"
    options = ScanOptions(jobs=1, cache_dir=str(cache_dir))
    cold = scan(fake_repo, options)
    with ResultCache.open(cache_dir) as cache:
        cache._db.execute("UPDATE findings SET data = '{\"broken\": 1'")
    assert _files(scan(fake_repo, options)) == _files(cold)


def _hammer(directory: str, worker: int) -> int:
    with ResultCache.open(Path(directory)) as cache:
        for round_ in range(40):
            items = [(f"{worker}-{round_}-{n}", {"n": n}) for n in range(25)]
            cache.put_many(items)
            found = cache.get_many(key for key, _ in items)
            assert len(found) == 25
    return worker


def test_two_processes_share_one_cache(tmp_path: Path) -> None:
    context = multiprocessing.get_context("spawn")
    with context.Pool(2) as pool:
        done = pool.starmap(_hammer, [(str(tmp_path), 0), (str(tmp_path), 1)])
    assert sorted(done) == [0, 1]
    assert cache_info(tmp_path).entries == 2 * 40 * 25


def test_default_cache_dir(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("OSPO_SCAN_CACHE_DIR", str(tmp_path / "explicit"))
    assert default_cache_dir() == tmp_path / "explicit"
    monkeypatch.delenv("OSPO_SCAN_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert default_cache_dir() == tmp_path / "xdg" / "ospo-scan"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert default_cache_dir() == tmp_path / "home" / ".cache" / "ospo-scan"


def test_cli_cache_info_and_clear(fake_repo: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    env = {"OSPO_SCAN_CACHE_DIR": str(tmp_path / "cache")}
    info = runner.invoke(main, ["cache", "info", "--json"], env=env)
    assert info.exit_code == 0
    assert json.loads(info.stdout)["exists"] is False
    scanned = runner.invoke(main, ["scan", "-j", "1", "-q", str(fake_repo)], env=env)
    assert scanned.exit_code == 0, scanned.stderr
    info = runner.invoke(main, ["cache", "info", "--json"], env=env)
    figures = json.loads(info.stdout)
    assert figures["exists"] is True
    assert figures["entries"] > 0
    text = runner.invoke(main, ["cache", "info"], env=env)
    assert f"entries: {figures['entries']}" in text.stdout
    cleared = runner.invoke(main, ["cache", "clear"], env=env)
    assert cleared.exit_code == 0
    assert f"removed {figures['entries']} entries" in cleared.stderr
    assert clear_cache(tmp_path / "cache") == 0


def test_cli_no_cache_writes_nothing(fake_repo: Path, tmp_path: Path) -> None:
    cache_dir = tmp_path / "cache"
    result = CliRunner().invoke(
        main,
        ["scan", "-j", "1", "-q", "--no-cache", "--cache-dir", str(cache_dir), str(fake_repo)],
    )
    assert result.exit_code == 0, result.stderr
    assert not cache_dir.exists()
    assert json.loads(result.stdout)["scan"]["options"]["prefilter"] is True


def test_cli_reports_a_rebuilt_cache_on_stderr(fake_repo: Path, tmp_path: Path) -> None:
    cache_dir = tmp_path / "cache"
    cache_dir.mkdir()
    (cache_dir / "findings.sqlite3").write_bytes(b"\x00garbage" * 64)
    result = CliRunner().invoke(
        main, ["scan", "-j", "1", "-q", "--cache-dir", str(cache_dir), str(fake_repo)]
    )
    assert result.exit_code == 0, result.stderr
    assert "ospo-scan: warning: the findings cache" in result.stderr
    assert json.loads(result.stdout)["summary"]["files_with_licenses"] > 0


def test_unusable_cache_dir_scans_without_cache(fake_repo: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    with pytest.warns(CacheWarning, match="scanning without it"):
        result = scan(fake_repo, ScanOptions(jobs=1, cache_dir=str(blocker / "cache")))
    assert result.file("LICENSE-MIT").status is FileStatus.SCANNED
    shutil.rmtree(tmp_path / "file", ignore_errors=True)


@pytest.mark.parametrize("how", ["option", "env"])
def test_cli_cache_dir_naming_a_file_scans_without_cache(
    fake_repo: Path, tmp_path: Path, how: str
) -> None:
    blocker = tmp_path / "cache-file"
    blocker.write_text("not a folder", encoding="utf-8")
    args = ["scan", "-j", "1", "-q", str(fake_repo)]
    if how == "option":
        args[1:1] = ["--cache-dir", str(blocker)]
    env = {"OSPO_SCAN_CACHE_DIR": str(blocker)}
    result = CliRunner().invoke(main, args, env=env)
    assert result.exit_code == 0, result.stderr
    assert result.stderr == (
        f"ospo-scan: warning: cannot use the findings cache in {blocker} "
        "(it is not a folder); scanning without it\n"
    )
    assert json.loads(result.stdout)["summary"]["files_with_licenses"] > 0
    assert blocker.read_text(encoding="utf-8") == "not a folder"
    # cache info and clear are about the cache itself: there a file is a usage error.
    info = CliRunner().invoke(main, ["cache", "info"], env=env)
    assert info.exit_code == 2
    assert "is a file" in info.stderr


def test_a_cache_hit_still_honours_max_file_size(fake_repo: Path, tmp_path: Path) -> None:
    cache_dir = str(tmp_path / "cache")
    scan(fake_repo, ScanOptions(jobs=1, cache_dir=cache_dir))
    small = scan(fake_repo, ScanOptions(jobs=1, cache_dir=cache_dir, max_file_size=100))
    uncached = scan(fake_repo, ScanOptions(jobs=1, max_file_size=100))
    record = small.file("LICENSE-MIT")
    assert record.status is FileStatus.SKIPPED
    assert record.issues[0].kind.value == "too_large"
    assert _files(small) == _files(uncached)


def test_equal_bytes_under_names_scancode_reads_differently(tmp_path: Path) -> None:
    """A .js.map has its embedded sources extracted; the same bytes as .json do not."""
    source_map = json.dumps(
        {
            "version": 3,
            "sources": ["lib.js"],
            "sourcesContent": [
                "// Copyright 2021 Map Makers Ltd.\n// SPDX-License-Identifier: MIT\n"
            ],
            "mappings": "AAAA",
        },
        indent=1,
    )
    tree = tmp_path / "tree"
    tree.mkdir()
    (tree / "bundle.js.map").write_text(source_map, encoding="utf-8")
    (tree / "data.json").write_text(source_map, encoding="utf-8")
    cache_dir = str(tmp_path / "cache")
    expected = {}
    for name in ("bundle.js.map", "data.json"):
        alone = tmp_path / f"alone-{name}"
        alone.mkdir()
        shutil.copy(tree / name, alone / name)
        expected[name] = scan(alone, ScanOptions(jobs=1)).file(name).to_dict()
    # The premise: ScanCode reads these equal bytes differently (lines, at least).
    assert (
        expected["bundle.js.map"]["license_detections"]
        != expected["data.json"]["license_detections"]
    )
    for _ in range(2):  # cold, then warm from the cache
        result = scan(tree, ScanOptions(jobs=1, cache_dir=cache_dir, packages=False))
        for name, record in expected.items():
            assert result.file(name).to_dict() == record, name


def test_a_busy_cache_is_not_mistaken_for_a_damaged_one() -> None:
    assert _is_damage(sqlite3.DatabaseError("file is not a database"))
    assert not _is_damage(sqlite3.OperationalError("database is locked"))
    with sqlite3.connect(":memory:") as db, pytest.raises(sqlite3.DatabaseError) as caught:
        db.execute("PRAGMA no_such_pragma_value = ; garbage")
    assert not _is_damage(caught.value)


def test_the_license_cache_folder_is_scancodes_without_importing_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A warm re-scan finds the index file as ScanCode does, without importing its config
    (36 ms, and a new temporary folder on every import)."""
    import scancode_config  # noqa: PLC0415

    expected = scancode_config.licensedcode_cache_dir
    spdx_version = scancode_config.spdx_license_list_version
    monkeypatch.delitem(sys.modules, "scancode_config")
    assert index.license_cache_dir() == expected
    index.spdx_license_list_version.cache_clear()
    assert index.spdx_license_list_version() == spdx_version
    assert "scancode_config" not in sys.modules
    monkeypatch.setenv("SCANCODE_LICENSE_INDEX_CACHE", "/elsewhere")
    assert index.license_cache_dir() == "/elsewhere"
