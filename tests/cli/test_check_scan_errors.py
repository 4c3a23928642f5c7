# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""``ospo-scan check`` on a real tree whose manifests do not parse: scan errors are judged.

A gate must not pass on what it could not read: every scan error is a ``scan-error`` finding
with the verdict of the policy's ``errors`` key (deny by default), counted in the summary and
shown in every format.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner, Result

from ospo_scan.cli.main import main
from sarif_support import sarif_schema

#: A package.json cut off in the middle of its dependencies (they are never read).
BROKEN_PACKAGE_JSON = '{\n  "name": "broken-app",\n  "dependencies": {\n    "left-pad": "^1\n'
#: A pyproject.toml with an unterminated string.
BROKEN_PYPROJECT = '[project]\nname = "half"\nversion = "0.1.0\ndependencies = ["requests"]\n'


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project whose two manifests do not parse, and nothing else to judge."""
    root = tmp_path_factory.mktemp("scan_errors") / "app"
    root.mkdir()
    (root / "package.json").write_text(BROKEN_PACKAGE_JSON, encoding="utf-8")
    (root / "pyproject.toml").write_text(BROKEN_PYPROJECT, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def saved(tree: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The tree's scan result, saved by ``ospo-scan scan -o``."""
    path = tmp_path_factory.mktemp("saved") / "result.json"
    result = run("scan", "-q", "-j", "1", "-o", str(path), str(tree))
    assert result.exit_code == 0, result.stderr
    return path


def errors_of(document: dict[str, object]) -> dict[str, dict[str, object]]:
    findings = document["findings"]
    assert isinstance(findings, list)
    return {f["path"]: f for f in findings if f["check"] == "scan-error"}


def test_broken_manifests_fail_the_default_gate(tree: Path) -> None:
    result = run("check", "-j", "1", "--format", "json", str(tree))
    assert result.exit_code == 1, result.stderr
    document = json.loads(result.stdout)
    errors = errors_of(document)
    assert set(errors) == {"package.json", "pyproject.toml"}
    npm = errors["package.json"]
    assert npm["subject"] == "file"
    assert npm["verdict"] == "deny"
    assert npm["issue"]["kind"] == "package_data_error"
    assert "JSONDecodeError" in npm["issue"]["message"]
    assert npm["origin"]["file"] == "default.yml (shipped)"
    assert npm["rule"].startswith("errors ")
    assert errors["pyproject.toml"]["issue"]["kind"] == "package_data_error"
    assert document["summary"]["scan_errors"] == 2
    assert document["summary"]["deny"] == 2
    assert result.stderr.endswith(", 2 scan errors\n")


def test_a_saved_result_is_judged_the_same(saved: Path) -> None:
    result = run("check", "--format", "json", str(saved))
    assert result.exit_code == 1, result.stderr
    assert set(errors_of(json.loads(result.stdout))) == {"package.json", "pyproject.toml"}
    assert "2 denied" in result.stderr
    assert "2 scan errors" in result.stderr


def test_sarif_has_a_rule_and_located_results_and_validates(saved: Path) -> None:
    result = run("check", "--format", "sarif", str(saved))
    assert result.exit_code == 1, result.stderr
    log = json.loads(result.stdout)
    jsonschema.Draft4Validator(sarif_schema()).validate(log)
    (sarif_run,) = log["runs"]
    rules = [r["id"] for r in sarif_run["tool"]["driver"]["rules"]]
    assert "scan-error" in rules
    errors = [r for r in sarif_run["results"] if r["ruleId"] == "scan-error"]
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in errors}
    assert uris == {"package.json", "pyproject.toml"}
    for r in errors:
        assert r["level"] == "error"
        assert rules[r["ruleIndex"]] == "scan-error"
        assert r["properties"]["issueKind"] == "package_data_error"
        assert "could not read or judge" in r["message"]["text"]


def test_junit_fails_a_testcase_per_denied_error(saved: Path) -> None:
    result = run("check", "--format", "junit", str(saved))
    assert result.exit_code == 1, result.stderr
    root = ET.fromstring(result.stdout)  # noqa: S314 -- our own output
    suite = next(s for s in root if s.get("name") == "scan-error")
    assert (suite.get("tests"), suite.get("failures")) == ("2", "2")
    failed = {case.get("name"): case.find("failure") for case in suite}
    assert set(failed) == {"package.json", "pyproject.toml"}
    message = failed["package.json"].get("message", "")  # type: ignore[union-attr]
    assert "package_data_error" in message


def test_markdown_and_table_list_them_in_their_own_group(saved: Path) -> None:
    markdown = run("check", "--format", "markdown", str(saved))
    assert markdown.exit_code == 1
    assert markdown.stdout.startswith("## ospo-scan license check: :x: failed\n")
    assert "### :no_entry: Scan errors (2)" in markdown.stdout
    row = next(line for line in markdown.stdout.splitlines() if line.startswith("| pyproject"))
    assert "package\\_data\\_error" in row
    assert "| deny |" in row
    assert "2 scan errors" in markdown.stdout
    table = run("check", "--format", "table", str(saved))
    assert table.exit_code == 1
    assert "Scan errors (2)" in table.stdout
    assert "package_data_error" in table.stdout
    assert "pyproject.toml" in table.stdout


def test_errors_allow_passes_but_still_counts_them(saved: Path, tmp_path: Path) -> None:
    policy = tmp_path / "lenient.yml"
    policy.write_text("version: 1\nextends: default\nerrors: allow\n", encoding="utf-8")
    result = run("check", "-p", str(policy), "--format", "json", str(saved))
    assert result.exit_code == 0, result.stderr
    errors = errors_of(json.loads(result.stdout))
    assert {f["verdict"] for f in errors.values()} == {"pass"}
    assert result.stderr.endswith("0 denied, 0 to review, 2 passed, 2 scan errors\n")


def test_a_fixtures_context_relaxes_errors_to_review(tmp_path: Path) -> None:
    root = tmp_path / "app"
    (root / "fixtures" / "bad").mkdir(parents=True)
    (root / "fixtures" / "bad" / "package.json").write_text(BROKEN_PACKAGE_JSON, "utf-8")
    policy = tmp_path / "fixtures.yml"
    policy.write_text(
        "version: 1\nextends: default\ncontexts:\n"
        '  - name: fixtures\n    paths: ["fixtures/**"]\n    errors: review\n',
        encoding="utf-8",
    )
    result = run("check", "-j", "1", "-p", str(policy), "--format", "json", str(root))
    assert result.exit_code == 0, result.stderr
    error = errors_of(json.loads(result.stdout))["fixtures/bad/package.json"]
    assert (error["verdict"], error["context"]) == ("review", "fixtures")
    assert error["rule"].startswith("contexts[0] (fixtures) errors")
    assert "1 to review" in result.stderr
    strict = run("check", "-j", "1", "-p", str(policy), "--fail-on", "review", str(root))
    assert strict.exit_code == 1
