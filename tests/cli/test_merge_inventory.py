# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""``ospo-scan merge --inventory``: the results of a fleet of repositories as one inventory.

Real scans of the package fixtures, one result per "repository" (two of them the same npm
project at two places, so that packages are shared); the inventory's verdict counts are the
ones ``check`` gives each repository, and ``check`` and ``sbom`` take the inventory.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from click.testing import CliRunner, Result

from ospo_scan.cli.main import main
from ospo_scan.document import result_schema

PACKAGES = Path(__file__).parents[1] / "data" / "packages"


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


@pytest.fixture(scope="module")
def fleet(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    work = tmp_path_factory.mktemp("fleet")
    trees = [
        shutil.copytree(PACKAGES / "npm_app", work / "a" / "npm_app", symlinks=True),
        shutil.copytree(PACKAGES / "py_app", work / "py_app", symlinks=True),
        shutil.copytree(PACKAGES / "npm_app", work / "b" / "npm_app", symlinks=True),
    ]
    results = []
    for number, tree in enumerate(trees):
        results.append(work / f"result-{number}.json")
        done = run("scan", "-q", "-j", "1", "-o", str(results[-1]), str(tree))
        assert done.exit_code == 0, done.stderr
    return results


def inventory_of(fleet: list[Path], out: Path, *args: str) -> dict[str, Any]:
    done = run("merge", "--inventory", *args, *map(str, fleet), "-o", str(out))
    assert done.exit_code == 0, done.stderr
    data: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    return data


def test_the_inventory_per_repository_and_per_package(fleet: list[Path], tmp_path: Path) -> None:
    document = inventory_of(fleet, tmp_path / "inventory.json")
    jsonschema.Draft202012Validator(result_schema()).validate(document)
    inventory = document["inventory"]
    assert [r["name"] for r in inventory["repositories"]] == ["npm_app", "py_app", "npm_app-2"]
    for repo, result in zip(inventory["repositories"], fleet, strict=True):
        report = json.loads(run("check", "-q", "--format", "json", str(result)).stdout)
        assert repo["verdicts"] == {v: report["summary"][v] for v in ("pass", "review", "deny")}
        assert repo["result"] == str(result)
    (left_pad,) = [p for p in inventory["packages"] if p["purl"] == "pkg:npm/left-pad@1.3.0"]
    assert left_pad["repositories"] == ["npm_app", "npm_app-2"]
    assert left_pad["licenses"] == ["WTFPL"]
    paths = {f["path"] for f in document["files"]}
    assert "npm_app/package.json" in paths
    assert "npm_app-2/package.json" in paths
    assert document["summary"]["files"] == len(paths)


def test_check_judges_every_repository_and_sbom_takes_it(fleet: list[Path], tmp_path: Path) -> None:
    inventory = tmp_path / "inventory.json"
    inventory_of(fleet, inventory)
    checked = run("check", "--format", "json", str(inventory))
    assert checked.exit_code == 1  # the npm project has a denied license
    report = json.loads(checked.stdout)
    repositories = json.loads(inventory.read_text(encoding="utf-8"))["inventory"]["repositories"]
    for verdict in ("pass", "review", "deny"):
        assert report["summary"][verdict] == sum(r["verdicts"][verdict] for r in repositories)
    denied = {f["path"].split("/")[0] for f in report["findings"] if f["verdict"] == "deny"}
    assert denied == {"npm_app", "npm_app-2"}
    sbom = tmp_path / "fleet.cdx.json"
    done = run("sbom", "--format", "cyclonedx-json", "-o", str(sbom), str(inventory))
    assert done.exit_code == 0, done.stderr


def test_the_inventory_table(fleet: list[Path]) -> None:
    done = run("merge", "--inventory", "--format", "table", *map(str, fleet))
    assert done.exit_code == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "Inventory of 3 repositories (policy default)"
    assert lines[1].split() == [
        "repository",
        "files",
        "packages",
        "deny",
        "review",
        "pass",
        "licenses",
    ]
    assert lines[2].split()[0] == "npm_app"
    assert "Packages used by more than one repository" in done.stdout
    assert "pkg:npm/left-pad@1.3.0: 2 repositories; WTFPL" in done.stdout


def test_bad_inventory_input(fleet: list[Path], tmp_path: Path) -> None:
    part = tmp_path / "part.json"
    shard = run(
        "scan", "-q", "-j", "1", "--shard", "1/1", "-o", str(part), str(PACKAGES / "py_app")
    )
    assert shard.exit_code == 0, shard.stderr
    done = run("merge", "--inventory", str(fleet[0]), str(part))
    assert done.exit_code == 2
    assert done.stderr.startswith(f"ospo-scan: error: {part}")
    done = run("merge", "--inventory", "--policy", "no-such-policy", str(fleet[0]))
    assert done.exit_code == 2
    assert "no-such-policy" in done.stderr
