# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""The whole-tree cache: a warm re-scan of an unchanged tree, with the real engine.

An unchanged tree must give the cold result (packages, dependencies, files) without loading
ScanCode's package handlers or assembling packages again; any change to a file, to the set of
paths, to an option, or to a folder a parser reads must miss and give what an uncached scan
gives. A damaged or locked cache is never worse than no cache.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import warnings
import zlib
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from ospo_scan import cache as cache_module
from ospo_scan.cache import ResultCache
from ospo_scan.engine import assembly, datafiles, fast_licenses
from ospo_scan.errors import CacheWarning
from ospo_scan.model import FileIssue, FileRecord, FileStatus, IssueKind, ScanResult
from ospo_scan.scan import files as files_module
from ospo_scan.scan import pipeline as pipeline_module
from ospo_scan.scan import tree_cache as tree_cache_module
from ospo_scan.scan.files import scan_file
from ospo_scan.scan.options import ScanOptions
from ospo_scan.scan.pipeline import scan
from ospo_scan.scan.tree_cache import _repeatable
from ospo_scan.scan.walk import Entry, EntryKind
from scan_support import everything

PACKAGES = Path(__file__).parent.parent / "data" / "packages"


@pytest.fixture
def assemblies(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """A note per package-handler load and per assembly in this process (both still run)."""
    seen: list[str] = []
    real_load: Callable[[], None] = datafiles.load_package_handlers
    real_assemble: Callable[..., Any] = assembly.assemble_packages

    def load() -> None:
        seen.append("handlers")
        real_load()

    def assemble(*args: Any, **kwargs: Any) -> Any:
        seen.append("assembly")
        return real_assemble(*args, **kwargs)

    monkeypatch.setattr(datafiles, "load_package_handlers", load)
    monkeypatch.setattr(assembly, "assemble_packages", assemble)
    return seen


@pytest.mark.parametrize("app", ["npm_app", "composer_app", "poetry_app", "py_app"])
@pytest.mark.parametrize("packages_only", [False, True])
def test_warm_rescan_needs_no_handlers_and_no_assembly(
    app: str, packages_only: bool, tmp_path: Path, assemblies: list[str]
) -> None:
    root = shutil.copytree(PACKAGES / app, tmp_path / app)
    options = ScanOptions(jobs=1, cache_dir=str(tmp_path / "cache"), packages_only=packages_only)
    cold = scan(root, options)
    assert cold.packages
    assert assemblies == ["handlers", "assembly"]
    assemblies.clear()
    warm = scan(root, options)
    assert assemblies == []
    assert everything(warm) == everything(cold)
    assert warm.summary.to_dict() | {"elapsed_seconds": 0} == cold.summary.to_dict() | {
        "elapsed_seconds": 0
    }
    assert warm.tool == cold.tool
    assert warm.options == cold.options


def test_warm_rescan_of_the_fake_repository(fake_repo: Path, tmp_path: Path) -> None:
    options = ScanOptions(jobs=1, cache_dir=str(tmp_path / "cache"))
    cold = scan(fake_repo, options)
    warm = scan(fake_repo, options)
    assert everything(warm) == everything(cold)
    assert everything(cold) == everything(scan(fake_repo, ScanOptions(jobs=1)))


def _miss_gives_the_uncached_result(
    root: Path, options: ScanOptions, assemblies: list[str]
) -> ScanResult:
    assemblies.clear()
    result = scan(root, options)
    assert "handlers" in assemblies  # missed: the scan ran (assembly may be reused)
    uncached = scan(root, replace(options, cache_dir=None))
    assert everything(result) == everything(uncached)
    return result


def test_a_changed_manifest_misses(tmp_path: Path, assemblies: list[str]) -> None:
    root = shutil.copytree(PACKAGES / "npm_app", tmp_path / "npm_app")
    options = ScanOptions(jobs=1, cache_dir=str(tmp_path / "cache"))
    cold = scan(root, options)
    manifest = root / "package.json"
    manifest.write_text(
        manifest.read_text(encoding="utf-8").replace('"1.0.0"', '"1.0.1"', 1), encoding="utf-8"
    )
    changed = _miss_gives_the_uncached_result(root, options, assemblies)
    assert [p.version for p in changed.packages if p.name == "npm-app"] == ["1.0.1"]
    assert [p.version for p in cold.packages if p.name == "npm-app"] == ["1.0.0"]
    # The new state is stored in its turn.
    assemblies.clear()
    assert everything(scan(root, options)) == everything(changed)
    assert assemblies == []


def test_an_added_or_removed_file_misses(tmp_path: Path, assemblies: list[str]) -> None:
    root = shutil.copytree(PACKAGES / "npm_app", tmp_path / "npm_app")
    options = ScanOptions(jobs=1, cache_dir=str(tmp_path / "cache"))
    cold = scan(root, options)
    # A file that is no datafile still changes which files a package holds.
    extra = root / "node_modules" / "left-pad" / "extra.js"
    extra.write_text("module.exports = 1;\n", encoding="utf-8")
    added = _miss_gives_the_uncached_result(root, options, assemblies)
    assert "node_modules/left-pad/extra.js" in {f.path for f in added.files}
    extra.unlink()
    removed = _miss_gives_the_uncached_result(root, options, assemblies)
    assert everything(removed) == everything(cold)
    shutil.rmtree(root / "node_modules" / "left-pad")
    gone = _miss_gives_the_uncached_result(root, options, assemblies)
    assert len(gone.packages) < len(cold.packages)


def test_a_renamed_file_misses(tmp_path: Path, assemblies: list[str]) -> None:
    root = shutil.copytree(PACKAGES / "npm_app", tmp_path / "npm_app")
    options = ScanOptions(jobs=1, cache_dir=str(tmp_path / "cache"))
    scan(root, options)
    folder = root / "node_modules" / "left-pad"
    (folder / "package.json").rename(folder / "package.json.orig")
    renamed = _miss_gives_the_uncached_result(root, options, assemblies)
    assert "node_modules/left-pad/package.json.orig" in {f.path for f in renamed.files}


@pytest.mark.parametrize(
    "change",
    [
        {"copyrights": False},
        {"licenses": False},
        {"packages": False},
        {"packages_only": True},
        {"excludes": ("node_modules/left-pad",)},
        {"max_file_size": 100},
        {"include_ignored": True},
    ],
)
def test_changed_options_miss(
    change: dict[str, Any], tmp_path: Path, assemblies: list[str]
) -> None:
    root = shutil.copytree(PACKAGES / "npm_app", tmp_path / "npm_app")
    options = ScanOptions(jobs=1, cache_dir=str(tmp_path / "cache"))
    scan(root, options)
    other = replace(options, **change)
    assemblies.clear()
    result = scan(root, other)
    assert everything(result) == everything(scan(root, replace(other, cache_dir=None)))
    assert result.options == other.record()
    # Both states keep their own entry: going back to the first options is a hit.
    assemblies.clear()
    scan(root, options)
    assert assemblies == []


def test_options_that_cannot_change_the_result_still_hit(
    tmp_path: Path, assemblies: list[str]
) -> None:
    root = shutil.copytree(PACKAGES / "npm_app", tmp_path / "npm_app")
    options = ScanOptions(jobs=1, cache_dir=str(tmp_path / "cache"))
    cold = scan(root, options)
    assemblies.clear()
    warm = scan(root, replace(options, jobs=2, timeout=30.0))
    assert assemblies == []
    assert everything(warm) == everything(cold)
    assert warm.options["jobs"] == 2  # the record says how this run was made


def test_a_moved_tree_misses_but_detects_nothing_again(
    tmp_path: Path,
    assemblies: list[str],
    count_index_loads: Callable[[], list[None]],
) -> None:
    # Datafile patterns match whole paths, so the root is part of the key; the per-file
    # findings still answer for every content.
    root = shutil.copytree(PACKAGES / "npm_app", tmp_path / "npm_app")
    options = ScanOptions(jobs=1, cache_dir=str(tmp_path / "cache"))
    cold = scan(root, options)
    moved = root.rename(tmp_path / "moved_app")
    loads = count_index_loads()
    assemblies.clear()
    warm = scan(moved, options)
    assert "assembly" in assemblies
    assert loads == []
    assert everything(warm) == everything(cold)


def test_an_ignored_file_in_a_metadata_folder_misses(tmp_path: Path, assemblies: list[str]) -> None:
    # importlib.metadata reads every file of a .dist-info folder, scanned or not: the entry
    # records that folder and a change there misses although the scanned files are the same.
    root = shutil.copytree(PACKAGES / "py_app", tmp_path / "py_app")
    dist_info = root / "env/lib/python3.11/site-packages/six-1.16.0.dist-info"
    (root / ".gitignore").write_text("*.ignored\n", encoding="utf-8")
    options = ScanOptions(jobs=1, cache_dir=str(tmp_path / "cache"))
    cold = scan(root, options)
    assemblies.clear()
    assert everything(scan(root, options)) == everything(cold)
    assert assemblies == []
    (dist_info / "notes.ignored").write_text("not scanned\n", encoding="utf-8")
    changed = _miss_gives_the_uncached_result(root, options, assemblies)
    assert "env/lib/python3.11/site-packages/six-1.16.0.dist-info/notes.ignored" not in {
        f.path for f in changed.files
    }


def test_a_tree_with_datafile_errors_is_not_stored(tmp_path: Path, assemblies: list[str]) -> None:
    root = shutil.copytree(PACKAGES / "broken_app", tmp_path / "broken_app")
    options = ScanOptions(jobs=1, cache_dir=str(tmp_path / "cache"))
    cold = scan(root, options)
    assert any(f.status is FileStatus.ERROR for f in cold.files)
    assemblies.clear()
    warm = scan(root, options)
    assert "handlers" in assemblies  # the tree entry was not stored: the scan ran
    assert everything(warm) == everything(cold)


def test_only_repeatable_records_are_stored() -> None:
    digests = {"a.js": "0" * 64}
    clean = FileRecord(path="a.js", status=FileStatus.SCANNED, size=1, sha256="0" * 64)
    assert _repeatable(clean, digests)
    assert not _repeatable(replace(clean, sha256="1" * 64), digests)  # changed meanwhile
    binary = replace(
        clean, status=FileStatus.SKIPPED, issues=(FileIssue(IssueKind.BINARY, "binary"),)
    )
    assert _repeatable(binary, digests)
    for kind in (IssueKind.TIMEOUT, IssueKind.SCAN_FAILED, IssueKind.PACKAGE_DATA_ERROR):
        failed = replace(clean, status=FileStatus.ERROR, issues=(FileIssue(kind, "x"),))
        assert not _repeatable(failed, digests), kind
    link = FileRecord(
        path="l",
        status=FileStatus.SKIPPED,
        size=0,
        issues=(FileIssue(IssueKind.SYMLINK, "symbolic link to x (not followed)"),),
    )
    assert _repeatable(link, digests)


def test_a_damaged_tree_entry_is_scanned_again(tmp_path: Path, assemblies: list[str]) -> None:
    root = shutil.copytree(PACKAGES / "npm_app", tmp_path / "npm_app")
    cache_dir = tmp_path / "cache"
    options = ScanOptions(jobs=1, cache_dir=str(cache_dir))
    cold = scan(root, options)
    # Damage a bit flip or a torn write could do (the zlib checksum or JSON catches it), on
    # the tree entry and the assembly entry alike, then a well-formed tree entry of a wrong
    # layout (an older format): each time the scan runs again and gives the cold result.
    for garbage in (b"not zlib at all", zlib.compress(b'{"files": [')):
        with ResultCache.open(cache_dir) as cache, cache._db:
            cache._db.execute("UPDATE trees SET data = ?", (garbage,))
        assemblies.clear()
        assert everything(scan(root, options)) == everything(cold)
        assert assemblies == ["handlers", "assembly"]
    wrong_layout = b'{"files": [{"path": 1}], "packages": [], "dependencies": [], "folders": {}}'
    with ResultCache.open(cache_dir) as cache, cache._db:
        for slot, data in cache._db.execute("SELECT slot, data FROM trees").fetchall():
            if "files" in json.loads(zlib.decompress(data)):
                cache._db.execute(
                    "UPDATE trees SET data = ? WHERE slot = ?", (zlib.compress(wrong_layout), slot)
                )
    assemblies.clear()
    assert everything(scan(root, options)) == everything(cold)
    assert assemblies == ["handlers"]  # the assembly entry was sound
    # The scan after a damaged entry stored a sound one again.
    assemblies.clear()
    assert everything(scan(root, options)) == everything(cold)
    assert assemblies == []


def test_a_corrupt_database_is_rebuilt(tmp_path: Path) -> None:
    root = shutil.copytree(PACKAGES / "npm_app", tmp_path / "npm_app")
    cache_dir = tmp_path / "cache"
    options = ScanOptions(jobs=1, cache_dir=str(cache_dir))
    cold = scan(root, options)
    for suffix in ("-wal", "-shm"):
        (cache_dir / f"findings.sqlite3{suffix}").unlink(missing_ok=True)
    (cache_dir / "findings.sqlite3").write_bytes(b"this is not a database" * 100)
    with pytest.warns(CacheWarning, match="could not be read"):
        again = scan(root, options)
    assert everything(again) == everything(cold)


def test_a_locked_cache_still_scans(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = shutil.copytree(PACKAGES / "npm_app", tmp_path / "npm_app")
    cache_dir = tmp_path / "cache"
    options = ScanOptions(jobs=1, cache_dir=str(cache_dir))
    cold = scan(root, options)
    (root / "package.json").write_text(
        (root / "package.json").read_text(encoding="utf-8") + "\n", encoding="utf-8"
    )
    monkeypatch.setattr(cache_module, "_BUSY_TIMEOUT_MS", 100)
    holder = sqlite3.connect(cache_dir / "findings.sqlite3", isolation_level=None)
    try:
        holder.execute("BEGIN EXCLUSIVE")  # another scan in the middle of a write
        with warnings.catch_warnings():
            # Whether the lock is met on opening or on writing, it is only ever a warning.
            warnings.simplefilter("ignore", CacheWarning)
            locked = scan(root, options)
            locked_again = scan(root, options)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    uncached = scan(root, ScanOptions(jobs=1))
    assert everything(locked) == everything(uncached)
    assert everything(locked_again) == everything(uncached)
    assert everything(uncached) != everything(cold)  # package.json's bytes changed


def test_the_tree_table_keeps_one_entry_per_slot(tmp_path: Path) -> None:
    with ResultCache.open(tmp_path) as cache:
        cache.put_tree("slot", "key-1", {"files": [1]})
        assert cache.get_tree("slot", "key-1") == {"files": [1]}
        cache.put_tree("slot", "key-2", {"files": [2]})
        assert cache.get_tree("slot", "key-1") is None
        assert cache.get_tree("slot", "key-2") == {"files": [2]}
        assert cache.get_tree("other", "key-2") is None
        assert cache._db.execute("SELECT count(*) FROM trees").fetchone()[0] == 1
        cache.clear()
        assert cache.get_tree("slot", "key-2") is None


def test_few_files_to_detect_skip_the_fast_path_with_the_same_findings(
    fake_repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[str] = []
    real_fast: Callable[..., Any] = fast_licenses.detect_licenses_fast
    # As in a fresh process without ospo-scan's copy of the index: no fast path built yet
    # (another test may have built it here), and no rule index ready made with the index.
    monkeypatch.setattr(fast_licenses, "_prefilter", None)
    monkeypatch.setattr(fast_licenses, "fast_path_ready_made", lambda: False)
    monkeypatch.setattr(
        fast_licenses, "prepare_fast_path", lambda **_: calls.append("prepare_fast_path")
    )

    def fast(location: str, **kwargs: Any) -> Any:
        calls.append("detect_licenses_fast")
        return real_fast(location, **kwargs)

    monkeypatch.setattr(fast_licenses, "detect_licenses_fast", fast)
    result = scan(fake_repo, ScanOptions(jobs=1, cache_dir=str(tmp_path / "cache")))
    assert calls == []  # the fake repository has far fewer than 50 files
    assert result.summary.files_with_licenses > 0
    monkeypatch.undo()
    # Each file's findings are those of the fast path.
    fast_licenses.prepare_fast_path()
    assert fast_licenses.fast_path_prepared()
    for record in result.files:
        if record.status is not FileStatus.SCANNED:
            continue
        location = fake_repo / record.path
        entry = Entry(record.path, str(location), EntryKind.FILE, location.stat().st_size)
        assert scan_file(entry, ScanOptions()).to_dict() == record.to_dict(), record.path


def test_few_files_take_the_fast_path_when_its_rule_index_came_with_the_index(
    fake_repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ospo_scan.engine import index, index_cache  # noqa: PLC0415

    index.load_index()
    if index_cache.loaded_prefilter() is None:
        message = "this process loaded ScanCode's own pickle, not ospo-scan's copy"
        # CI installs into a fresh venv, where the first load writes the copy: never skip there.
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    prepared: list[dict[str, Any]] = []
    real_prepare = fast_licenses.prepare_fast_path

    def prepare(**kwargs: Any) -> None:
        prepared.append(kwargs)
        real_prepare(**kwargs)

    monkeypatch.setattr(fast_licenses, "prepare_fast_path", prepare)
    result = scan(fake_repo, ScanOptions(jobs=1, cache_dir=str(tmp_path / "cache")))
    # Asked for before detection, for 12 files, without a warm-up (one process: no workers
    # to warm up for); each file's detection then finds it ready.
    assert prepared[0] == {"warm_up": False}
    assert fast_licenses.fast_path_prepared()
    assert result.summary.files_with_licenses > 0


def test_an_edit_that_keeps_paths_and_package_data_reuses_the_assembly(
    tmp_path: Path, assemblies: list[str]
) -> None:
    root = shutil.copytree(PACKAGES / "npm_app", tmp_path / "npm_app")
    options = ScanOptions(jobs=1, cache_dir=str(tmp_path / "cache"))
    cold = scan(root, options)
    # A license file is no datafile: the same paths and package data, so the same assembly,
    # but the package's license is concluded again from the new text.
    license_file = root / "node_modules" / "liar-lib" / "LICENSE"
    license_file.write_text(
        "SPDX-License-Identifier: BSD-3-Clause\n",
        encoding="utf-8",
    )
    assemblies.clear()
    edited = scan(root, options)
    assert assemblies == ["handlers"]  # handlers to tell datafiles apart; no assembly
    uncached = scan(root, replace(options, cache_dir=None))
    assert everything(edited) == everything(uncached)
    assert everything(edited) != everything(cold)
    # A damaged assembly entry is assembled again.
    with ResultCache.open(tmp_path / "cache") as cache, cache._db:
        cache._db.execute("UPDATE trees SET data = ?", (zlib.compress(b'{"packages": [1]}'),))
    license_file.write_text("SPDX-License-Identifier: MIT\n", encoding="utf-8")
    assemblies.clear()
    again = scan(root, options)
    assert assemblies == ["handlers", "assembly"]
    assert everything(again) == everything(scan(root, replace(options, cache_dir=None)))


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The files that the whole-tree lookup reads and hashes, by name."""
    seen: list[str] = []
    real: Callable[[str], str | None] = files_module.content_digest

    def digest(location: str) -> str | None:
        seen.append(Path(location).name)
        return real(location)

    # Both places that hash a file: the whole-tree lookup, and the grouping by content (which
    # must take the digests the lookup computed, not hash again).
    monkeypatch.setattr(tree_cache_module, "content_digest", digest)
    monkeypatch.setattr(pipeline_module, "content_digest", digest)
    return seen


def test_unchanged_files_are_not_read_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, reads: list[str]
) -> None:
    # No file-system tick to wait for: trust a stamp as soon as the file is older than it.
    monkeypatch.setattr(tree_cache_module, "_RACY_NS", 0)
    root = shutil.copytree(PACKAGES / "npm_app", tmp_path / "npm_app")
    options = ScanOptions(jobs=1, cache_dir=str(tmp_path / "cache"))
    cold = scan(root, options)
    assert len(reads) == len(cold.files)
    reads.clear()
    warm = scan(root, options)
    assert reads == []
    assert everything(warm) == everything(cold)
    # An edit that keeps the size: the times move, so the file is read, and the result shows it.
    manifest = root / "package.json"
    text = manifest.read_text(encoding="utf-8")
    manifest.write_text(text.replace('"1.0.0"', '"9.0.0"', 1), encoding="utf-8")
    assert len(manifest.read_text(encoding="utf-8")) == len(text)
    reads.clear()
    changed = scan(root, options)
    assert reads == ["package.json"]
    assert [p.version for p in changed.packages if p.name == "npm-app"] == ["9.0.0"]
    assert everything(changed) == everything(scan(root, replace(options, cache_dir=None)))


def test_files_changed_in_the_instant_they_were_stamped_are_read_again(
    tmp_path: Path, reads: list[str]
) -> None:
    """A file system's clock ticks coarsely: a file edited in the same tick as it was hashed
    can keep its times, so a stamp only counts when the file is clearly older than it."""
    root = shutil.copytree(PACKAGES / "npm_app", tmp_path / "npm_app")
    options = ScanOptions(jobs=1, cache_dir=str(tmp_path / "cache"))
    cold = scan(root, options)
    reads.clear()
    assert everything(scan(root, options)) == everything(cold)
    assert len(reads) == len(cold.files)  # all just copied: each is read again
