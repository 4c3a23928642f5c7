# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""``check --baseline`` and ``--write-baseline`` on real scans: fail only on what is new.

A permissive-only policy, a tree that already holds a GPL file, and a baseline that accepts
it: the gate passes; a second GPL file fails it and is the only new violation; moving the old
file's lines or renaming the file keeps it unchanged; deleting it lists it as fixed.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from click.testing import CliRunner, Result

from ospo_scan.cli.main import main
from sarif_support import sarif_schema

POLICY = """\
version: 1
name: permissive only
categories:
  allow: [Permissive, Public Domain]
  deny: [Copyleft, Copyleft Limited]
"""

GPL_FILE = """\
/* A vendored helper.
 *
 * SPDX-License-Identifier: GPL-3.0-only
 */
int helper(void) { return 1; }
"""

MIT_FILE = "# SPDX-License-Identifier: MIT\nprint('hello')\n"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    (root / "src").mkdir(parents=True)
    (root / "lib").mkdir()
    (root / "src" / "app.py").write_text(MIT_FILE, encoding="utf-8")
    (root / "lib" / "old.c").write_text(GPL_FILE, encoding="utf-8")
    (tmp_path / "policy.yml").write_text(POLICY, encoding="utf-8")
    return root


def check(project: Path, *args: str) -> Result:
    policy = project.parent / "policy.yml"
    command = ["check", "-j", "1", "--no-cache", "-p", str(policy), *args, str(project)]
    return CliRunner().invoke(main, command)


def report_of(result: Result) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(result.stdout)
    return document


def states(document: dict[str, Any]) -> dict[str, tuple[str, str]]:
    """{path: (verdict, baseline state)} of the file findings."""
    return {
        f["path"]: (f["verdict"], f["baseline_state"])
        for f in document["findings"]
        if f["check"] == "file-license"
    }


@pytest.fixture
def baseline(project: Path) -> Path:
    path = project.parent / "baseline.json"
    written = check(project, "--write-baseline", str(path), "--format", "json")
    # Writing a baseline accepts everything found: the GPL file does not fail this run.
    assert written.exit_code == 0, written.stderr
    assert "wrote the baseline" in written.stderr
    document = json.loads(path.read_text(encoding="utf-8"))
    assert document["report_version"] == "1.3.0"
    assert states(document)["lib/old.c"][0] == "deny"
    return path


def test_without_a_baseline_the_old_gpl_file_fails(project: Path) -> None:
    assert check(project, "--format", "json").exit_code == 1


def test_the_baseline_accepts_what_it_holds(project: Path, baseline: Path) -> None:
    result = check(project, "--baseline", str(baseline), "--format", "json")
    assert result.exit_code == 0, result.stderr
    document = report_of(result)
    assert states(document) == {
        "src/app.py": ("pass", "unchanged"),
        "lib/old.c": ("deny", "unchanged"),
    }
    assert document["summary"]["baseline"] == {
        "new": 0,
        "new_violations": 0,
        "unchanged": 2,
        "fixed": 0,
    }
    assert "baseline: 0 new violations" in result.stderr


def test_a_second_gpl_file_fails_and_is_the_only_new_one(project: Path, baseline: Path) -> None:
    (project / "lib" / "new.c").write_text(GPL_FILE, encoding="utf-8")
    result = check(project, "--baseline", str(baseline), "--format", "json")
    assert result.exit_code == 1, result.stderr
    document = report_of(result)
    assert states(document) == {
        "src/app.py": ("pass", "unchanged"),
        "lib/old.c": ("deny", "unchanged"),
        "lib/new.c": ("deny", "new"),
    }
    assert "baseline: 1 new violation (1 new finding, 2 unchanged, 0 fixed)" in result.stderr


def test_moved_lines_and_unrelated_edits_keep_a_finding_unchanged(
    project: Path, baseline: Path
) -> None:
    old = project / "lib" / "old.c"
    old.write_text("#include <stdio.h>\n\n\n" + GPL_FILE + "int other(void);\n", encoding="utf-8")
    result = check(project, "--baseline", str(baseline), "--format", "json")
    assert result.exit_code == 0, result.stderr
    (finding,) = [f for f in report_of(result)["findings"] if f["path"] == "lib/old.c"]
    assert finding["start_line"] == 6  # it moved down three lines
    assert finding["baseline_state"] == "unchanged"


def test_a_renamed_file_is_unchanged(project: Path, baseline: Path) -> None:
    (project / "lib" / "old.c").rename(project / "lib" / "renamed.c")
    result = check(project, "--baseline", str(baseline), "--format", "json")
    assert result.exit_code == 0, result.stderr
    document = report_of(result)
    assert states(document)["lib/renamed.c"] == ("deny", "unchanged")
    assert document["baseline"]["fixed"] == []


def test_a_copy_next_to_the_original_is_new(project: Path, baseline: Path) -> None:
    # The same text in a new file while the old one stays: not a rename, a new finding.
    (project / "src" / "copy.c").write_text(GPL_FILE, encoding="utf-8")
    result = check(project, "--baseline", str(baseline), "--format", "json")
    assert result.exit_code == 1
    assert states(report_of(result))["src/copy.c"] == ("deny", "new")


def test_a_removed_file_is_fixed(project: Path, baseline: Path) -> None:
    (project / "lib" / "old.c").unlink()
    result = check(project, "--baseline", str(baseline), "--format", "json")
    assert result.exit_code == 0, result.stderr
    document = report_of(result)
    (fixed,) = document["baseline"]["fixed"]
    assert (fixed["path"], fixed["verdict"], fixed["baseline_state"]) == (
        "lib/old.c",
        "deny",
        "absent",
    )
    assert document["summary"]["baseline"]["fixed"] == 1


def test_sarif_marks_the_baseline_state_and_is_valid(project: Path, baseline: Path) -> None:
    (project / "lib" / "new.c").write_text(GPL_FILE, encoding="utf-8")
    (project / "src" / "app.py").unlink()
    (project / "lib" / "old.c").rename(project / "lib" / "moved.c")
    result = check(project, "--baseline", str(baseline), "--format", "sarif")
    assert result.exit_code == 1
    log = json.loads(result.stdout)
    jsonschema.Draft7Validator(sarif_schema()).validate(log)
    by_state = {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]: r["baselineState"]
        for r in log["runs"][0]["results"]
    }
    # app.py passed, so it is no result of its own, and no absent one either.
    assert by_state == {"lib/new.c": "new", "lib/moved.c": "unchanged"}
    for r in log["runs"][0]["results"]:
        assert set(r["partialFingerprints"]) == {"ospoScanLocated/v2", "ospoScanContent/v2"}


def test_junit_and_markdown_fail_only_on_the_new(project: Path, baseline: Path) -> None:
    (project / "lib" / "new.c").write_text(GPL_FILE, encoding="utf-8")
    junit = check(project, "--baseline", str(baseline), "--format", "junit")
    assert 'failures="1"' in junit.stdout.splitlines()[1]  # the testsuites element
    markdown = check(project, "--baseline", str(baseline), "--format", "markdown").stdout
    denied = markdown.split("### :x: Denied new (1)", 1)[1].split("<details>", 1)[0]
    assert "lib/new.c" in denied
    assert "lib/old.c" not in denied
    assert "Violations already in the baseline (1)" in markdown


def test_the_fixed_list_and_new_marks_in_the_table(project: Path, baseline: Path) -> None:
    # (The same text in a new file while the old one is gone would be a rename.)
    (project / "lib" / "old.c").unlink()
    (project / "lib" / "new.c").write_text(GPL_FILE.replace("GPL", "AGPL"), encoding="utf-8")
    table = check(project, "--baseline", str(baseline), "--format", "table").stdout
    assert "new since the baseline" in table
    assert "Fixed since the baseline (1)" in table


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "no such baseline file"),
        ("{not json", "the baseline is not JSON"),
        ('{"schema_version": "1.2.0", "files": []}', "not a check report"),
        ('{"report_version": "1.1.0", "findings": []}', "'report_version': '1.1.0' cannot be"),
        ('{"report_version": "1.2.0", "findings": [{"check": 1}]}', "key 'findings[0]'"),
    ],
)
def test_a_bad_baseline_exits_2_before_scanning(
    project: Path, content: str | None, message: str
) -> None:
    path = project.parent / "bad.json"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    out = project.parent / "out.json"
    result = check(project, "--baseline", str(path), "-o", str(out))
    assert result.exit_code == 2
    assert message in result.stderr
    assert str(path) in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr
    assert not out.exists()


def test_the_baseline_and_reports_in_the_tree_are_left_out_of_the_scan(project: Path) -> None:
    # A report lists license names; scanned next time, it would be a finding of its own.
    baseline = project / "[odd] name.json"
    report = project / "reports" / "check.json"
    (project / "reports").mkdir()
    assert check(project, "--write-baseline", str(baseline), "-o", str(report)).exit_code == 0
    again = check(project, "--baseline", str(baseline), "-o", str(report))
    assert again.exit_code == 0, again.stderr
    document = json.loads(report.read_text(encoding="utf-8"))
    assert {f["path"] for f in document["findings"]} == {"src/app.py", "lib/old.c"}
    scanned = CliRunner().invoke(
        main, ["scan", "-j", "1", "--no-cache", "-o", str(report), str(project)]
    )
    assert scanned.exit_code == 0, scanned.stderr
    paths = {f["path"] for f in json.loads(report.read_text(encoding="utf-8"))["files"]}
    assert "reports/check.json" not in paths
    assert "[odd] name.json" in paths  # only the command's own files are left out
