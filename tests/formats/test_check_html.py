# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""``check --format html`` without a browser: the page's safety, its data and its snippets.

The browser tests (``test_check_html_browser.py``) open the page; these read its text: the
Content-Security-Policy, the escaping of the inline data, the waiver and curation snippets
(read back by the policy loader and a YAML parser), and the baseline's counts on real scans.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import re
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from ospo_scan.cli.main import main
from ospo_scan.evaluate import Check, PolicyReport, evaluate
from ospo_scan.formats import registry
from ospo_scan.formats.base import Output
from ospo_scan.formats.check_html import FORMAT, json_for_script
from ospo_scan.formats.html_data import curation_snippet, load_license_data, waiver_snippet
from ospo_scan.model import FileIssue, FileRecord, FileStatus, IssueKind
from ospo_scan.policy.load import load_policy, policy_from_yaml
from policy_helpers import dependency, detection, file_record, make_result, package

HOSTILE = "a/</script><script>alert(1)</script>\u2028<!--.py"


@pytest.fixture(scope="module")
def page() -> str:
    files = [
        file_record(HOSTILE, detection("GPL-3.0-only")),
        file_record("src/ok.py", detection("MIT OR GPL-3.0-only")),
        file_record("caf\udce9\n.py", detection("MIT")),
        FileRecord(
            path="broken/package.json",
            status=FileStatus.SCANNED,
            size=3,
            issues=(FileIssue(IssueKind.PACKAGE_DATA_ERROR, "<b>not JSON</b>"),),
        ),
    ]
    result = make_result(
        files,
        [package("pkg:npm/torn@2.0.0", "MIT", conflict=("MIT", "GPL-3.0-only"))],
        [dependency("pkg:npm/gpl@1.0.0", "GPL-3.0-only")],
    )
    report = evaluate(result, load_policy("default"), today=dt.date(2026, 6, 1))
    return FORMAT.with_context(result=result, licenses=load_license_data()).render(report)


def data_of(text: str) -> dict[str, Any]:
    block = re.search(r'<script type="application/json" id="report-data">(.*?)</script>', text)
    assert block is not None
    document: dict[str, Any] = json.loads(block.group(1))
    return document


def test_html_is_chosen_by_the_file_name() -> None:
    assert registry.for_output_file(Output.CHECK, Path("report.html")) == "html"
    assert registry.for_output_file(Output.CHECK, Path("REPORT.HTM")) == "html"


def test_json_for_script_cannot_end_the_block() -> None:
    value = {"path": HOSTILE, "odd": "caf\udce9 \u2029 & >"}
    text = json_for_script(value)
    assert text.isascii()
    assert not set("<>&") & set(text)
    assert json.loads(text) == value


def test_the_page_is_one_file_that_fetches_nothing(page: str) -> None:
    csp = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', page)
    assert csp is not None
    policy = csp.group(1).replace("&#x27;", "'")
    assert "default-src 'none'" in policy
    # Only the page's own script and style run: their hashes are the policy's.
    script = re.findall(r"<script>(.*?)</script>", page, re.S)
    style = re.findall(r"<style>(.*?)</style>", page, re.S)
    assert len(script) == len(style) == 1
    for kind, text in (("script", script[0]), ("style", style[0])):
        digest = base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()
        assert f"{kind}-src 'sha256-{digest}'" in policy
    markup = page[: page.index('<script type="application/json"')]
    assert not re.search(r"\s(src|href)=\"(?!#)", markup)  # no resource, no outside link
    assert " style=" not in markup  # an inline style attribute would break the policy


def test_names_from_the_tree_are_text(page: str) -> None:
    assert page.count("<script") == 2  # the data block and the page's script
    assert "<b>" not in page
    assert "\u2028" not in page
    data = data_of(page)
    paths = {f["path"] for f in data["files"]}
    assert HOSTILE in paths
    assert "caf\\xe9\\x0a.py" in paths  # as every text output shows a name that is not UTF-8
    errors = [f for f in data["findings"] if f["check"] == Check.SCAN_ERROR.value]
    assert errors[0]["issue"] == "package_data_error: <b>not JSON</b>"


def test_the_data_holds_licenses_charts_and_the_elected_alternative(page: str) -> None:
    data = data_of(page)
    assert data["meta"]["verdict"] == "deny"
    assert "GNU GENERAL PUBLIC LICENSE" in data["licenses"]["GPL-3.0-only"]["text"]
    assert data["licenses"]["MIT"]["category"] == "Permissive"
    (ok,) = [f for f in data["findings"] if f.get("path") == "src/ok.py"]
    assert ok["elected"] == "MIT"
    assert ok["verdict"] == "pass"
    assert "waiver_yaml" not in ok  # nothing to resolve
    (conflict,) = data["conflicts"]
    assert (conflict["declared"], conflict["detected"]) == ("MIT", "GPL-3.0-only")
    for title in ("Findings by verdict", "by ScanCode category", "by ecosystem", "concluded"):
        assert title in page


def test_a_report_alone_renders(page: str) -> None:
    report = evaluate(make_result([file_record("x.py", detection("MIT"))]), load_policy("default"))
    data = data_of(FORMAT.render(report))
    assert data["files"] == data["packages"] == []
    assert data["meta"]["verdict"] == "pass"


def _report(result_files: list[FileRecord]) -> PolicyReport:
    result = make_result(
        result_files,
        [package("pkg:npm/gpl@1.0.0", "GPL-3.0-only", manifest="node_modules/gpl/package.json")],
        [dependency("pkg:npm/dep@1.0.0", "GPL-3.0-only", manifest="web/package.json")],
    )
    return evaluate(result, load_policy("default"), today=dt.date(2026, 6, 1))


def test_every_waiver_snippet_is_a_valid_waiver() -> None:
    broken = FileRecord(
        path="broken/pyproject.toml",
        status=FileStatus.SCANNED,
        size=3,
        issues=(FileIssue(IssueKind.PACKAGE_DATA_ERROR, "bad"),),
    )
    report = _report([file_record('odd "name": x.py', detection("GPL-3.0-only")), broken])
    violations = report.violations
    assert {f.check for f in violations} >= {
        Check.FILE_LICENSE,
        Check.PACKAGE_LICENSE,
        Check.DEPENDENCY_LICENSE,
        Check.SCAN_ERROR,
    }
    for finding in violations:
        snippet = waiver_snippet(finding, report.today)
        policy = policy_from_yaml(f"version: 1\n{snippet}", "snippet.yml")
        (waiver,) = policy.waivers
        assert waiver.errors is (finding.check is Check.SCAN_ERROR)
        assert waiver.matches(
            paths=[finding.path or ""],
            purl=finding.package,
            license_id=waiver.license,
            scan_error=finding.check is Check.SCAN_ERROR,
        ), snippet
        assert waiver.expires == dt.date(2027, 6, 1)


def test_curation_snippets_follow_the_agreed_format() -> None:
    files = [file_record("src/gpl.py", detection("GPL-3.0-only"))]
    report = _report(files)
    gpl = replace(
        package("pkg:npm/gpl@1.0.0", "GPL-3.0-only", manifest="node_modules/gpl/package.json"),
        license_files=("node_modules/gpl/LICENSE",),
    )
    sha = {"node_modules/gpl/LICENSE": "ab" * 32, "src/gpl.py": "cd" * 32}
    by_check = {f.check: f for f in report.violations}
    entry = yaml.safe_load(curation_snippet(by_check[Check.PACKAGE_LICENSE], gpl, sha) or "")
    (curation,) = entry["curations"]
    assert curation["purl"] == "pkg:npm/gpl@1.0.0"
    assert curation["license_files"] == [{"path": "LICENSE", "sha256": "ab" * 32}]
    assert set(curation) == {"purl", "license", "reason", "approved_by", "license_files"}
    entry = yaml.safe_load(curation_snippet(by_check[Check.FILE_LICENSE], None, sha) or "")
    (curation,) = entry["curations"]
    assert curation["path"] == "src/gpl.py"
    assert curation["license_files"] == [{"path": "src/gpl.py", "sha256": "cd" * 32}]


GPL_FILE = "/* SPDX-License-Identifier: GPL-3.0-only */\nint helper(void) { return 1; }\n"


def test_baseline_states_on_real_scans(tmp_path: Path) -> None:
    root = tmp_path / "project"
    (root / "lib").mkdir(parents=True)
    (root / "lib" / "old.c").write_text(GPL_FILE, encoding="utf-8")
    (root / "lib" / "gone.c").write_text(GPL_FILE.replace("helper", "gone"), encoding="utf-8")
    baseline = tmp_path / "baseline.json"

    def check(*args: str) -> Any:
        return CliRunner().invoke(main, ["check", "-q", "-j", "1", *args, str(root)])

    assert check("--write-baseline", str(baseline), "--format", "json").exit_code == 0
    # The GPL notice leaves gone.c (fixed) and comes with new.c (new: gone.c is still there,
    # so new.c is no rename of it).
    (root / "lib" / "gone.c").write_text("/* SPDX-License-Identifier: MIT */\n", encoding="utf-8")
    (root / "lib" / "new.c").write_text(GPL_FILE.replace("helper", "fresh"), encoding="utf-8")
    html = tmp_path / "report.html"
    done = check("--baseline", str(baseline), "-o", str(html))
    assert done.exit_code == 1, done.stderr
    summary = json.loads(check("--baseline", str(baseline), "--format", "json").stdout)["summary"]
    text = html.read_text(encoding="utf-8")
    shown = dict(re.findall(r'<dd id="count-(\w+)">(\d+)</dd>', text))
    expected = summary["baseline"]
    assert int(shown["new"]) == expected["new"] == 2  # new.c, and gone.c's MIT notice
    assert int(shown["unchanged"]) == expected["unchanged"] == 1
    assert int(shown["fixed"]) == expected["fixed"] == 1
    data = data_of(text)
    states = {
        f["path"]: f.get("baseline") for f in data["findings"] if f["check"] == "file-license"
    }
    assert states == {"lib/new.c": "new", "lib/old.c": "unchanged", "lib/gone.c": "new"}
    assert [f["name"] for f in data["baseline"]["fixed"]] == ["lib/gone.c:1"]
