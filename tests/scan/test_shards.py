# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""``scan --shard K/N`` and ``merge``: N parts merged give the one-process result.

Real ScanCode on real trees: the fake repository with the package fixtures (npm with
node_modules, Python, Poetry, Composer, a broken manifest) under one root, a content that
appears at several paths, a "see LICENSE" reference, and the requests sdist.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from ospo_scan.errors import ShardError
from ospo_scan.model import ScanResult
from ospo_scan.scan.merge import merge
from ospo_scan.scan.options import ScanOptions
from ospo_scan.scan.pipeline import scan
from ospo_scan.scan.shards import (
    UNIT_OVERHEAD,
    Part,
    Shard,
    Unit,
    load_part,
    scan_shard,
    split,
)

OPTIONS = ScanOptions(jobs=1)
DATA = Path(__file__).parents[1] / "data"


def comparable(result: ScanResult) -> dict[str, Any]:
    """The result without what may differ between a one-process and a merged scan: its
    times and the list of shards."""
    data = result.to_dict()
    for key in ("started_at", "finished_at"):
        data["scan"].pop(key)
    data["summary"].pop("elapsed_seconds")
    data.pop("shards", None)
    return data


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("shards") / "tree"
    shutil.copytree(DATA / "fake_repo", root, symlinks=True)
    shutil.copytree(DATA / "packages", root / "packages", symlinks=True)
    (root / "links").mkdir()
    (root / "links" / "license").symlink_to("../LICENSE-MIT")  # recorded, never followed
    # The same bytes at three paths, so that one shard's detection serves all three.
    for copy in ("copies/a/LICENSE", "copies/b/LICENSE", "copies/c/COPYING"):
        (root / copy).parent.mkdir(parents=True)
        shutil.copy(root / "LICENSE-MIT", root / copy)
    (root / "copies" / "a" / "notice.py").write_text(
        "# Licensed under the same terms; see LICENSE in this folder.\n", encoding="utf-8"
    )
    return root


@pytest.fixture(scope="module")
def single(tree: Path) -> ScanResult:
    return scan(tree, OPTIONS)


def parts_of(root: Path, count: int, folder: Path) -> list[tuple[Path, Part]]:
    """The ``count`` parts of ``root``, each written and read back as ``merge`` reads them."""
    parts = []
    for index in range(1, count + 1):
        path = folder / f"part-{index}.json"
        path.write_text(scan_shard(root, OPTIONS, Shard(index, count)).to_json(), "utf-8")
        parts.append((path, load_part(path)))
    return parts


@pytest.mark.parametrize("count", [1, 2, 3, 7])
def test_merged_parts_equal_the_single_scan(
    tree: Path, single: ScanResult, tmp_path: Path, count: int
) -> None:
    parts = parts_of(tree, count, tmp_path)
    merged = merge(list(reversed(parts)))  # in any order
    assert comparable(merged) == comparable(single)
    assert single.summary.packages > 5  # the packages were assembled across the parts
    assert [s["shard"] for s in merged.extra["shards"]] == [
        f"{k}/{count}" for k in range(1, 1 + count)
    ]
    # Every path is recorded by exactly one part, and the work is spread.
    recorded = [r.path for _, p in parts for r in p.files]
    assert sorted(recorded) == sorted(r.path for r in single.files)
    if count > 1:
        assert all(p.files for _, p in parts)
        weights = [p.weight for _, p in parts]
        heaviest_unit = max(f.size for f in single.files) + UNIT_OVERHEAD
        assert max(weights) - min(weights) <= heaviest_unit


def test_each_content_is_detected_by_one_shard(tree: Path, detections: list[str]) -> None:
    shards = [scan_shard(tree, OPTIONS, Shard(k, 3)) for k in (1, 2, 3)]
    assert len(detections) == len(set(detections))  # no content detected twice
    # One content under one path signature (no extension) is one unit: one shard owns it.
    copies = {"LICENSE-MIT", *(f"copies/{c}" for c in ("a/LICENSE", "b/LICENSE", "c/COPYING"))}
    (owner,) = [p for p in shards if copies & {r.path for r in p.files}]
    assert copies <= {r.path for r in owner.files}
    assert sum(str(tree / c) in detections for c in copies) == 1
    assert sum(p.contents for p in shards) < sum(len(p.files) for p in shards)


def test_split_is_stable_and_balanced() -> None:
    units = [Unit(f"f{i:03}", (i * 7919) % 1000 + 1, (f"f{i:03}",)) for i in range(200)]
    shares = split(units, 4)
    assert shares == split(list(reversed(units)), 4)  # the order given does not matter
    assert sorted(u.key for share in shares for u in share) == sorted(u.key for u in units)
    loads = [sum(u.weight for u in share) for share in shares]
    assert max(loads) - min(loads) <= max(u.weight for u in units)
    assert shares[0][0].weight == max(u.weight for u in units)  # the largest first


@pytest.mark.parametrize("text", ["2", "0/2", "3/2", "a/b", "1/0", ""])
def test_bad_shard_spec(text: str) -> None:
    with pytest.raises(ShardError, match="--shard"):
        Shard.parse(text)


def test_requests_sdist_in_shards(requests_sdist: Path, tmp_path: Path) -> None:
    single = scan(requests_sdist, OPTIONS)
    for count in (2, 3):
        folder = tmp_path / str(count)
        folder.mkdir()
        merged = merge(parts_of(requests_sdist, count, folder))
        assert comparable(merged) == comparable(single)
    assert single.file("LICENSE").license_expression_spdx == "Apache-2.0"


@pytest.mark.parametrize(
    "options",
    [ScanOptions(jobs=1, packages=False), ScanOptions(jobs=2)],
    ids=["no-packages", "two-jobs"],
)
def test_other_options_merge_equal_too(tree: Path, tmp_path: Path, options: ScanOptions) -> None:
    single = comparable(scan(tree, options))
    parts = []
    for index in (1, 2):
        path = tmp_path / f"part-{index}.json"
        path.write_text(scan_shard(tree, options, Shard(index, 2)).to_json(), "utf-8")
        parts.append((path, load_part(path)))
    assert comparable(merge(parts)) == single


def test_the_npm_tree_packages_in_shards(medium_npm_tree: Path, tmp_path: Path) -> None:
    # Detection off (it is the same code as above; this is about the 1,000s of datafiles):
    # the package datafiles are parsed by different shards, assembled by the merge.
    options = ScanOptions(jobs=2, licenses=False, copyrights=False)
    single = scan(medium_npm_tree, options)
    assert single.summary.packages > 50
    for count in (3, 7):
        parts = []
        for index in range(1, count + 1):
            path = tmp_path / f"part-{count}-{index}.json"
            path.write_text(
                scan_shard(medium_npm_tree, options, Shard(index, count)).to_json(), "utf-8"
            )
            parts.append((path, load_part(path)))
        assert all(p.package_data for _, p in parts)  # every shard parsed some datafiles
        assert comparable(merge(parts)) == comparable(single)
