# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""Files thousands of folders deep, past the system's path limit, scanned and checked.

Their paths are longer than ``PATH_MAX``: the walk lists them through folder descriptors and
the readers get a short location through ``/proc/self/fd`` (see ``scan/long_paths.py``).
Their findings must be those of the same files near the root.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from ospo_scan.cli.main import main
from ospo_scan.scan import long_paths
from scan_support import deep_tree

DATA = Path(__file__).parents[1] / "data"
DEPTH = 3_000  # 6,000 bytes of "d/", past PATH_MAX (4,096 bytes) about two thirds down
FILES = {
    "LICENSE": (DATA / "fake_repo" / "LICENSE-MIT").read_bytes(),
    "package.json": b'{"name": "deep-pkg", "version": "1.2.3", "license": "MIT"}\n',
}


def _scan(root: Path, *options: str) -> dict[str, Any]:
    done = CliRunner().invoke(
        main, ["scan", "-q", "--no-cache", "--format", "json", *options, str(root)]
    )
    assert done.exit_code == 0, done.stderr
    assert "Traceback" not in done.stderr
    document: dict[str, Any] = json.loads(done.stdout)
    return document


def _findings(document: dict[str, Any], deep_prefix: str = "") -> str:
    """Files, packages and dependencies, with the deep folders named as the shallow ones."""
    found = {key: document[key] for key in ("files", "packages", "dependencies")}
    text = json.dumps(found, sort_keys=True)
    return text.replace(deep_prefix, "d/d/d") if deep_prefix else text


def test_files_past_the_path_limit_have_the_findings_of_shallow_ones(tmp_path: Path) -> None:
    shallow = tmp_path / "shallow"
    (shallow / "d" / "d" / "d").mkdir(parents=True)
    for name, content in FILES.items():
        (shallow / "d" / "d" / "d" / name).write_bytes(content)
    deep = tmp_path / "deep"
    deep.mkdir()
    with deep_tree(deep, DEPTH, files=FILES):
        # Two jobs: the larger file goes to a forked worker, which opens its own way there.
        found = _scan(deep, "-j", "2")
        saved = tmp_path / "deep.json"
        saved.write_text(json.dumps(found), encoding="utf-8")
    expected = _scan(shallow, "-j", "1")
    prefix = "/".join(["d"] * DEPTH)
    records = {record["path"]: record for record in found["files"]}
    assert set(records) == {f"{prefix}/LICENSE", f"{prefix}/package.json"}
    assert records[f"{prefix}/LICENSE"]["license_expression_spdx"] == "MIT"
    assert records[f"{prefix}/LICENSE"]["holders"] == ["Example Corp"]
    assert [p["purl"] for p in found["packages"]] == ["pkg:npm/deep-pkg@1.2.3"]
    assert found["summary"]["issue_counts"] == {}
    assert _findings(found, prefix) == _findings(expected)

    # check judges them as it would judge them anywhere: nothing denied, no scan error.
    done = CliRunner().invoke(main, ["check", "-q", "--format", "json", str(saved)])
    assert done.exit_code == 0, done.stdout
    report = json.loads(done.stdout)
    assert report["summary"]["scan_errors"] == 0
    judged = {(f["check"], f["path"], f["verdict"]) for f in report["findings"]}
    assert ("file-license", f"{prefix}/LICENSE", "pass") in judged
    assert ("package-license", f"{prefix}/package.json", "pass") in judged


def test_manifests_above_a_deep_tree_are_assembled(tmp_path: Path) -> None:
    # ScanCode's assembly walks a package's folder recursively: a package.json or setup.py
    # above 1,000 folders or more raised RecursionError (an internal error, exit 2).
    found = {}
    for depth in (3, DEPTH):
        root = tmp_path / str(depth)
        root.mkdir()
        (root / "package.json").write_text('{"name": "top", "version": "1.0.0"}\n')
        (root / "setup.py").write_text(
            'from setuptools import setup\nsetup(name="top-py", version="2.0", license="MIT")\n'
        )
        with deep_tree(root, depth):
            found[depth] = _scan(root, "-j", "1")
    assert [p["purl"] for p in found[DEPTH]["packages"]] == ["pkg:npm/top@1.0.0"]
    assert found[DEPTH]["summary"]["issue_counts"] == {}
    bottom = "d/" * DEPTH + "bottom.py"
    (record,) = (r for r in found[DEPTH]["files"] if r["path"] == bottom)
    assert record["license_expression_spdx"] == "MIT"
    assert _findings(found[DEPTH], "/".join(["d"] * DEPTH)) == _findings(found[3])


def test_without_proc_a_file_past_the_limit_is_an_unreadable_error_that_says_why(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Not Linux, or no /proc mounted: the walk still reaches the bottom, but the file cannot
    # be opened, and check must not pass on it.
    monkeypatch.setattr(long_paths, "PROC_FD", str(tmp_path / "no-proc"))
    with deep_tree(tmp_path, DEPTH):
        found = _scan(tmp_path, "-j", "1")
    (record,) = found["files"]
    assert record["path"] == "d/" * DEPTH + "bottom.py"
    assert record["status"] == "error"
    assert record["issues"] == [
        {
            "kind": "unreadable",
            "message": "cannot read: path longer than the system's limit (4096 bytes), and "
            f"no {tmp_path}/no-proc to reach it by a shorter one",
        }
    ]
