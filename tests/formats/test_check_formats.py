# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""Every ``check`` report format, on one report with files, packages, dependencies, waivers."""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

import jsonschema
import pytest
from junitparser import Failure, JUnitXml, Skipped

from ospo_scan import __version__
from ospo_scan.cli.check import check_command
from ospo_scan.evaluate import PolicyReport, evaluate
from ospo_scan.formats import registry
from ospo_scan.formats.base import Output
from ospo_scan.model import (
    DependencyScope,
    FileIssue,
    FileRecord,
    FileStatus,
    IssueKind,
    MatchKind,
)
from ospo_scan.policy.load import load_policy, policy_from_file, policy_from_yaml
from policy_helpers import dependency, detection, file_record, make_result, package
from sarif_support import sarif_schema


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> PolicyReport:
    path = tmp_path_factory.mktemp("formats") / "policy.yml"
    path.write_text(
        """\
version: 1
extends: default
waivers:
  - paths: ["vendor/**"]
    reason: vendored tool | not shipped
  - license: AGPL-3.0-only
    reason: nothing has it
""",
        encoding="utf-8",
    )
    result = make_result(
        files=[
            file_record("src/[id]/page.py", detection("MIT OR GPL-3.0-only")),
            file_record("src/both.py", detection("GPL-3.0-only AND MIT", line=3)),
            file_record("docs/a|b.md", detection("LGPL-2.1-only", MatchKind.REFERENCE, line=7)),
            file_record("vendor/x/COPYING", detection("GPL-3.0-only", MatchKind.TEXT)),
        ],
        packages=[package("pkg:npm/torn@2.0.0", "MIT", conflict=("MIT", "ISC"))],
        dependencies=[
            dependency("pkg:npm/lgpl@1.0.0", "LGPL-2.1-only", DependencyScope.RUNTIME),
            dependency("pkg:npm/lgpl@1.0.0", "LGPL-2.1-only", DependencyScope.DEV),
            dependency("pkg:npm/gpl@1.0.0", "GPL-3.0-only", manifest="web/package.json"),
        ],
    )
    return evaluate(result, policy_from_file(path), today=dt.date(2026, 6, 1))


def test_the_click_choice_is_the_registry() -> None:
    option = next(p for p in check_command.params if p.name == "format_name")
    assert tuple(option.type.choices) == registry.names(Output.CHECK)  # type: ignore[attr-defined]


@pytest.mark.parametrize("name", registry.names(Output.CHECK))
def test_every_format_renders_every_finding(name: str, report: PolicyReport) -> None:
    text = registry.get(Output.CHECK, name).render(report, width=200)
    assert text.endswith("\n")
    for needle in ("both.py", "pkg:npm/gpl@1.0.0"):
        assert needle in text, f"{name} lacks {needle}"


def test_json(report: PolicyReport) -> None:
    document = json.loads(registry.get(Output.CHECK, "json").render(report))
    assert document["report_version"] == "1.3.0"
    assert document["summary"]["deny"] == 2
    assert document["summary"]["waived"] == 1
    page = next(f for f in document["findings"] if f["path"] == "src/[id]/page.py")
    assert page["elected"] == "MIT"
    assert page["licenses"][0]["license"] == "MIT"
    assert [w["problem"] for w in document["waiver_warnings"]] == ["unused"]


def test_sarif_is_valid_sarif_2_1_0(report: PolicyReport) -> None:
    log = json.loads(registry.get(Output.CHECK, "sarif").render(report))
    schema = sarif_schema()
    assert schema["title"].startswith("Static Analysis Results Format (SARIF) Version 2.1.0")
    jsonschema.Draft4Validator(schema).validate(log)
    (run,) = log["runs"]
    rules = [r["id"] for r in run["tool"]["driver"]["rules"]]
    assert rules == [
        "file-license",
        "package-license",
        "package-conflict",
        "dependency-license",
        "scan-error",
    ]
    results = run["results"]
    both = next(r for r in results if "both.py" in json.dumps(r["locations"]))
    assert both["level"] == "error"
    assert both["ruleId"] == "file-license"
    assert rules[both["ruleIndex"]] == "file-license"
    location = both["locations"][0]["physicalLocation"]
    assert location["artifactLocation"] == {"uri": "src/both.py", "uriBaseId": "%SRCROOT%"}
    assert location["region"] == {"startLine": 3, "endLine": 3}
    gpl = next(r for r in results if r["properties"].get("package") == "pkg:npm/gpl@1.0.0")
    assert gpl["ruleId"] == "dependency-license"
    assert gpl["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == (
        "web/package.json"
    )
    # No line of the (hand-made) manifest names it: the manifest's first line.
    assert gpl["locations"][0]["physicalLocation"]["region"] == {"startLine": 1, "endLine": 1}
    vendored = next(r for r in results if "COPYING" in json.dumps(r["locations"]))
    assert vendored["suppressions"][0]["kind"] == "external"
    assert "vendored tool | not shipped" in vendored["suppressions"][0]["justification"]
    # Passing findings are not results; the dev-scope LGPL passes.
    assert not any("page.py" in json.dumps(r.get("locations")) for r in results)
    assert sum(r["ruleId"] == "dependency-license" for r in results) == 2


def test_sarif_uri_escapes_odd_paths(tmp_path: Path) -> None:
    result = make_result(files=[file_record("src/[id]/a b%.c", detection("GPL-3.0-only"))])
    rep = evaluate(result, load_policy("default"))
    log = json.loads(registry.get(Output.CHECK, "sarif").render(rep))
    jsonschema.Draft4Validator(sarif_schema()).validate(log)
    uri = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert uri["uri"] == "src/%5Bid%5D/a%20b%25.c"


def test_junit_parses_back(report: PolicyReport, tmp_path: Path) -> None:
    path = tmp_path / "junit.xml"
    path.write_text(registry.get(Output.CHECK, "junit").render(report), encoding="utf-8")
    xml = JUnitXml.fromfile(str(path))
    suites = {suite.name: suite for suite in xml}
    assert set(suites) == {
        "file-license",
        "package-license",
        "package-conflict",
        "dependency-license",
        "scan-error",
    }
    assert suites["scan-error"].tests == 0
    files = suites["file-license"]
    assert (files.tests, files.failures, files.skipped) == (4, 1, 1)
    outcome = {}
    for case in files:
        kinds = {type(r) for r in case.result}
        outcome[case.name] = (
            "failure" if Failure in kinds else "skipped" if Skipped in kinds else "ok"
        )
    assert outcome == {
        "src/[id]/page.py:1": "ok",
        "src/both.py:3": "failure",
        "docs/a|b.md:7": "skipped",
        "vendor/x/COPYING:1": "ok",
    }
    deps = suites["dependency-license"]
    assert (deps.tests, deps.failures, deps.skipped) == (3, 1, 1)
    assert (xml.tests, xml.failures) == (9, 2)


def test_markdown_escapes_table_cells(report: PolicyReport) -> None:
    text = registry.get(Output.CHECK, "markdown").render(report)
    assert text.startswith("## ospo-scan license check: :x: failed\n")
    assert "| docs/a\\|b.md:7 |" in text
    assert "src/\\[id\\]/page.py:1" in text
    assert "### :x: Denied (2)" in text
    assert "1 unused waiver" in text


def test_table_keeps_brackets_and_groups(report: PolicyReport) -> None:
    table = registry.get(Output.CHECK, "table")
    text = table.with_view(show_passed=True).render(report, width=160)  # type: ignore[attr-defined]
    assert "src/[id]/page.py:1" in text
    assert text.index("Denied (2)") < text.index("To review (3)") < text.index("Passed (")
    assert "Waiver warnings" in text
    assert "\x1b[" not in text


GOLDEN = Path(__file__).parents[1] / "data" / "golden"
GOLDEN_POLICY = """\
version: 1
name: acme
extends: default
waivers:
  - paths: ["vendor/**"]
    reason: vendored tool, not shipped
    approved_by: Legal
    ticket: LEGAL-1
  - license: AGPL-3.0-only
    reason: nothing has it
"""


def _stable(text: str) -> str:
    # The tool version is the only volatile field (the policy and root are fixed here).
    return text.replace(f'"version": "{__version__}"', '"version": "VERSION"')


@pytest.mark.parametrize(
    ("name", "golden"),
    [
        ("sarif", "check.sarif"),
        ("junit", "check.junit.xml"),
        ("markdown", "check.md"),
        ("json", "check.json"),
    ],
)
def test_golden_files(name: str, golden: str) -> None:
    """Machine formats byte for byte; OSPO_SCAN_REGENERATE_GOLDEN=1 rewrites the files."""
    policy = policy_from_yaml(GOLDEN_POLICY, "acme.yml")
    result = make_result(
        files=[
            file_record("src/dual.py", detection("MIT OR GPL-3.0-only")),
            file_record("src/both.py", detection("GPL-3.0-only AND MIT", line=3)),
            file_record("README.md", detection("GPL-2.0-or-later", MatchKind.REFERENCE, line=9)),
            file_record("vendor/x/COPYING", detection("GPL-3.0-only", MatchKind.TEXT)),
            # A scan error: every format shows it in its own rule, suite or table.
            FileRecord(
                path="web/package.json",
                status=FileStatus.ERROR,
                size=40,
                issues=(
                    FileIssue(
                        IssueKind.PACKAGE_DATA_ERROR,
                        "npm package.json: JSONDecodeError: Expecting ',' delimiter: line 4",
                    ),
                ),
            ),
        ],
        packages=[package("pkg:npm/torn@2.0.0", "MIT", conflict=("MIT", "ISC"))],
        dependencies=[
            dependency("pkg:npm/lgpl@1.0.0", "LGPL-2.1-only", DependencyScope.DEV),
            dependency("pkg:npm/lgpl@1.0.0", "LGPL-2.1-only", DependencyScope.RUNTIME),
            dependency("pkg:npm/unknown@0.1.0", None),
        ],
    )
    report = evaluate(result, policy, today=dt.date(2026, 6, 1))
    text = _stable(registry.get(Output.CHECK, name).render(report))
    path = GOLDEN / golden
    if os.environ.get("OSPO_SCAN_REGENERATE_GOLDEN"):
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8")
