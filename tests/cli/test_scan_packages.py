# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""``ospo-scan scan`` with packages: ``--no-packages``, ``--packages-only`` and the table view."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner, Result

from ospo_scan.cli.main import main
from ospo_scan.document import load_result, result_schema
from ospo_scan.formats import registry
from ospo_scan.formats.base import Output

PACKAGES = Path(__file__).parents[1] / "data" / "packages"


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


@pytest.fixture
def npm_app(tmp_path: Path) -> Path:
    return Path(shutil.copytree(PACKAGES / "npm_app", tmp_path / "npm_app"))


def test_options_exclude_each_other(npm_app: Path) -> None:
    result = run("scan", "--no-packages", "--packages-only", str(npm_app))
    assert result.exit_code == 2
    assert "--no-packages and --packages-only cannot be used together" in result.stderr


def test_packages_only_json(npm_app: Path) -> None:
    result = run("scan", "-j", "1", "--packages-only", "--format", "json", str(npm_app))
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    jsonschema.Draft202012Validator(result_schema()).validate(document)
    assert document["scan"]["options"]["packages_only"] is True
    assert document["summary"]["packages"] == 7
    assert document["summary"]["dependencies_unresolved"] == 1
    assert document["summary"]["license_conflicts"] == 1
    assert "node_modules/left-pad/index.js" not in {f["path"] for f in document["files"]}
    (ghost,) = [d for d in document["dependencies"] if d["name"] == "ghost-lib"]
    assert ghost["unresolved"] is True
    assert ghost["license_spdx"] is None
    assert "7 packages, 13 dependencies, 1 unresolved, 1 license conflicts" in result.stderr


def test_no_packages_json(npm_app: Path) -> None:
    result = run("scan", "-j", "1", "--no-packages", "--format", "json", str(npm_app))
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["packages"] == []
    assert document["dependencies"] == []
    assert "node_modules/left-pad/index.js" in {f["path"] for f in document["files"]}
    assert "packages," not in result.stderr


def test_table_lists_conflicts_with_both_sides_and_unresolved(npm_app: Path) -> None:
    result = run("scan", "-j", "1", "--packages-only", "--format", "table", str(npm_app))
    assert result.exit_code == 0, result.stderr
    table = result.stdout
    assert "Packages and dependencies" in table
    assert "Licenses of dependencies" in table
    conflicts = table[table.index("License conflicts") :]
    conflict_row = next(line for line in conflicts.splitlines() if "liar-lib" in line)
    assert "MIT" in conflict_row
    assert "GPL-3.0-only" in conflict_row
    assert "node_modules/liar-lib/LICENSE" in conflict_row
    unresolved = table[table.index("Unresolved dependencies") :]
    ghost_row = next(line for line in unresolved.splitlines() if "ghost-lib" in line)
    assert "runtime" in ghost_row
    assert "^9.9.9" in ghost_row
    # The ecosystem counts: 7 npm packages; 11 runtime and 2 dev dependencies.
    npm_row = next(line for line in table.splitlines() if line.startswith("│ npm "))
    assert [c.strip() for c in npm_row.strip("│").split("│")] == [
        "npm", "7", "11", "2", "0", "0", "0", "1"
    ]  # fmt: skip


def test_broken_manifest_is_reported_and_the_scan_succeeds(tmp_path: Path) -> None:
    root = Path(shutil.copytree(PACKAGES / "broken_app", tmp_path / "broken_app"))
    result = run("scan", "-j", "1", "--packages-only", "--format", "table", str(root))
    assert result.exit_code == 0, result.stderr
    assert "package_data_error" in result.stdout
    assert "pkg:pypi/never-run@0.0.1" in result.stdout


def test_saved_result_renders_the_package_tables(npm_app: Path, tmp_path: Path) -> None:
    saved = tmp_path / "npm.json"
    result = run("scan", "-q", "-j", "1", "--packages-only", "-o", str(saved), str(npm_app))
    assert result.exit_code == 0, result.stderr
    reread = load_result(saved)
    assert reread.summary.license_conflicts == 1
    table = registry.get(Output.SCAN, "table").render(reread, width=120)
    assert "pkg:npm/liar-lib@1.0.0" in table
    assert "CONFLICT" in table
    assert "ghost-lib" in table


def test_check_packages_only_gates_on_dependency_licenses(npm_app: Path) -> None:
    """`check --packages-only`: the fast dependency gate, judged by the shipped policy."""
    result = run("check", "-j", "1", "--packages-only", "-f", "json", str(npm_app))
    assert result.exit_code == 1, result.stderr  # GPL-3.0 behind liar-lib is denied
    findings = json.loads(result.stdout)["findings"]
    conflict = [f for f in findings if f["check"] == "package-conflict"]
    assert [(f["package"], f["verdict"]) for f in conflict] == [
        ("pkg:npm/liar-lib@1.0.0", "review")
    ]
    assert "MIT" in conflict[0]["expression"]
    assert "GPL-3.0-only" in conflict[0]["expression"]
    ghost = [f for f in findings if f["package"] == "pkg:npm/ghost-lib"]
    assert [f["verdict"] for f in ghost] == ["review"]
    # No full-text scan: left-pad's index.js is not among the judged files.
    assert "node_modules/left-pad/index.js" not in {f["path"] for f in findings}
    both = run("check", "--no-packages", "--packages-only", str(npm_app))
    assert both.exit_code == 2
