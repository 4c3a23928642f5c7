# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""``ospo-scan cache export`` / ``cache import``: the findings cache carried to another machine.

An export made on one "runner" (a cache folder and a tree at one place) serves a scan of the
same contents elsewhere: nothing is detected again. The exports of the shards of a scan
import into one cache that answers for the whole tree.
"""

from __future__ import annotations

import gzip
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from ospo_scan.cache import ResultCache
from ospo_scan.cli.main import main
from ospo_scan.scan.options import ScanOptions
from ospo_scan.scan.pipeline import scan
from ospo_scan.scan.shards import Shard, scan_shard

DATA = Path(__file__).parents[1] / "data"


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    root = tmp_path / "runner-1" / "repo"
    shutil.copytree(DATA / "packages" / "npm_app", root, symlinks=True)
    shutil.copy(DATA / "fake_repo" / "LICENSE-APACHE", root / "LICENSE-APACHE")
    return root


def entries(cache_dir: Path) -> int:
    with ResultCache.open(cache_dir) as cache:
        return cache.count()


def test_an_export_serves_another_runner(tree: Path, tmp_path: Path, detections: list[str]) -> None:
    first = scan(tree, ScanOptions(jobs=1, cache_dir=str(tmp_path / "cache-1")))
    assert detections  # a cold scan detects
    export = tmp_path / "findings.jsonl.gz"
    done = run("cache", "export", "--cache-dir", str(tmp_path / "cache-1"), str(export))
    assert done.exit_code == 0, done.stderr
    count = entries(tmp_path / "cache-1")
    assert f"exported {count} entries" in done.stderr
    again = run("cache", "export", "--cache-dir", str(tmp_path / "cache-1"), str(tmp_path / "b"))
    assert again.exit_code == 0
    assert (tmp_path / "b").read_bytes() == export.read_bytes()  # same entries, same bytes

    # Another runner: the same repository at another place, an empty cache, the export.
    elsewhere = tmp_path / "runner-2" / "repo"
    shutil.copytree(tree, elsewhere, symlinks=True)
    done = run("cache", "import", "--cache-dir", str(tmp_path / "cache-2"), str(export))
    assert done.exit_code == 0, done.stderr
    assert f"{count} entries, {count} new" in done.stderr
    detections.clear()
    second = scan(elsewhere, ScanOptions(jobs=1, cache_dir=str(tmp_path / "cache-2")))
    assert detections == []  # every content came from the imported findings
    assert [f.to_dict() for f in second.files] == [f.to_dict() for f in first.files]
    assert second.packages == first.packages

    # Importing again adds nothing new.
    done = run("cache", "import", "--cache-dir", str(tmp_path / "cache-2"), str(export))
    assert f"{count} entries, 0 new" in done.stderr


def test_the_shards_caches_merge_into_one(
    tree: Path, tmp_path: Path, detections: list[str]
) -> None:
    exports = []
    for k in (1, 2):
        cache_dir = tmp_path / f"shard-{k}"
        scan_shard(tree, ScanOptions(jobs=1, cache_dir=str(cache_dir)), Shard(k, 2))
        exports.append(str(tmp_path / f"shard-{k}.gz"))
        assert run("cache", "export", "--cache-dir", str(cache_dir), exports[-1]).exit_code == 0
    done = run("cache", "import", "--cache-dir", str(tmp_path / "merged"), *exports)
    assert done.exit_code == 0, done.stderr
    assert entries(tmp_path / "merged") == entries(tmp_path / "shard-1") + entries(
        tmp_path / "shard-2"
    )
    detections.clear()
    scan(tree, ScanOptions(jobs=1, cache_dir=str(tmp_path / "merged")))
    assert detections == []


def bad_import(tmp_path: Path, data: bytes) -> str:
    source = tmp_path / "bad.gz"
    source.write_bytes(data)
    target = tmp_path / "target"
    done = run("cache", "import", "--cache-dir", str(target), str(source))
    assert done.exit_code == 2, done.stderr
    (line,) = done.stderr.strip().splitlines()
    assert line.startswith(f"ospo-scan: error: {source}")
    assert not (target / "findings.sqlite3").exists() or entries(target) == 0
    return line


def test_bad_exports_are_refused_whole(tmp_path: Path) -> None:
    header = json.dumps({"ospo-scan-cache-export": 1, "cache_format": "2"})
    good = json.dumps(["a" * 64, json.dumps({"status": "scanned"})])
    assert "not a cache export" in bad_import(tmp_path, b"plain text")
    cut = gzip.compress(f"{header}\n{good}\n".encode())
    assert "not a cache export" in bad_import(tmp_path, cut[: len(cut) // 2])
    assert "line 3" in bad_import(tmp_path, gzip.compress(f"{header}\n{good}\n[1, 2]\n".encode()))
    other = json.dumps({"ospo-scan-cache-export": 1, "cache_format": "1"})
    assert "cache format '1'" in bad_import(tmp_path, gzip.compress(f"{other}\n{good}\n".encode()))
    assert "line 1" in bad_import(tmp_path, gzip.compress(b'{"schema_version": "1.3.0"}\n'))
