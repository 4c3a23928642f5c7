# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""``ospo-scan check`` through the command line, on real ScanCode results of fixture files."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from ospo_scan.cli.main import main
from ospo_scan.document import to_json
from ospo_scan.model import DependencyScope, ScanResult
from ospo_scan.scan.options import ScanOptions
from ospo_scan.scan.pipeline import scan
from policy_helpers import FAKE_REPO, POLICY_REPO, dependency, package, with_packages, write_json


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def by_path(document: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {f["path"]: f for f in document["findings"] if f["subject"] == "file"}


@pytest.fixture(scope="module")
def policy_repo_result(tmp_path_factory: pytest.TempPathFactory) -> ScanResult:
    """One real scan of the policy fixture repository."""
    root = tmp_path_factory.mktemp("check") / "policy_repo"
    shutil.copytree(POLICY_REPO, root)
    return scan(root, ScanOptions(jobs=1))


def test_gpl_text_in_vendored_folder_is_denied_by_permissive_only(tmp_path: Path) -> None:
    repo = shutil.copytree(FAKE_REPO, tmp_path / "fake_repo")
    result = run("check", "-j", "1", "--policy", "permissive-only", "--format", "json", str(repo))
    assert result.exit_code == 1, result.stderr
    document = json.loads(result.stdout)
    files = by_path(document)
    copying = files["vendor/gplthing/COPYING"]
    assert copying["verdict"] == "deny"
    assert copying["kind"] == "text"
    assert copying["expression"].startswith("GPL-3.0")
    assert copying["rule"].endswith("is not listed: default")
    assert copying["origin"]["file"] == "permissive-only.yml (shipped)"
    lib = files["src/lib.py"]
    # Both alternatives pass; the first one as written is named.
    assert (lib["verdict"], lib["elected"]) == ("pass", "MIT")
    assert files["LICENSE-MIT"]["verdict"] == "pass"
    assert result.stderr.endswith("passed\n")
    assert "policy permissive-only: " in result.stderr


def test_dual_header_allowed_via_mit_and_and_header_denied(
    policy_repo_result: ScanResult,
) -> None:
    result = run("check", "-j", "1", "--format", "json", policy_repo_result.root)
    assert result.exit_code == 1, result.stderr
    files = by_path(json.loads(result.stdout))
    dual = files["src/dual.py"]
    assert dual["expression"] == "MIT OR GPL-3.0-only"
    assert (dual["verdict"], dual["elected"], dual["kind"]) == ("pass", "MIT", "tag")
    both = files["src/both.py"]
    assert both["expression"] == "GPL-3.0-only AND MIT"
    assert both["verdict"] == "deny"
    assert both["rule"] == "GPL-3.0-only is Copyleft: categories.deny"
    assert both["start_line"] == 1
    linked = files["src/Linked.java"]
    assert linked["verdict"] == "pass"
    assert linked["rule"] == "GPL-2.0-only WITH Classpath-exception-2.0 in licenses.allow"
    # A mere reference to the GPL in prose counts as review at most.
    notes = files["docs/notes.md"]
    assert (notes["kind"], notes["verdict"]) == ("reference", "review")
    assert "mere reference" in notes["note"]
    # The default policy's tests context: copyleft in tests is reviewed, not denied.
    fixture = files["tests/fixture.c"]
    assert (fixture["verdict"], fixture["context"]) == ("review", "tests")


def test_exit_0_when_nothing_is_denied(tmp_path: Path) -> None:
    repo = tmp_path / "clean"
    (repo / "src").mkdir(parents=True)
    shutil.copy(POLICY_REPO / "src" / "plain.py", repo / "src")
    shutil.copy(POLICY_REPO / "src" / "dual.py", repo / "src")
    result = run("check", "-j", "1", "--format", "json", str(repo))
    assert result.exit_code == 0, result.stderr
    verdicts = {f["path"]: f["verdict"] for f in json.loads(result.stdout)["findings"]}
    assert verdicts == {"src/plain.py": "pass", "src/dual.py": "pass"}


def test_fail_on_review(policy_repo_result: ScanResult, tmp_path: Path) -> None:
    saved = tmp_path / "result.json"
    saved.write_text(to_json(policy_repo_result), encoding="utf-8")
    policy = tmp_path / "p.yml"
    policy.write_text(
        "version: 1\nextends: default\nwaivers:\n  - paths: [src/both.py]\n"
        "    reason: relicensing in progress\n",
        encoding="utf-8",
    )
    assert run("check", "-p", str(policy), "-f", "json", str(saved)).exit_code == 0
    result = run("check", "-p", str(policy), "-f", "json", "--fail-on", "review", str(saved))
    assert result.exit_code == 1
    assert "2 to review" in result.stderr


@pytest.mark.parametrize(
    ("policy_text", "message"),
    [
        (
            "version: 1\nlicenses:\n  allow:\n    - MIT\n    - ISC\n    - 0BSD\n    - Apache2\n",
            "unknown license 'Apache2' at line 7 (licenses.allow[3]); did you mean Apache-2.0",
        ),
        ("version: 1\nlicenses: [MIT\n", "YAML syntax error at line 3"),
        ("version: 1\nwaivers:\n  - paths: [a]\n", "needs a 'reason'"),
    ],
)
def test_exit_2_on_a_bad_policy_before_scanning(
    tmp_path: Path, policy_text: str, message: str
) -> None:
    policy = tmp_path / "bad.yml"
    policy.write_text(policy_text, encoding="utf-8")
    result = run("check", "--policy", str(policy), str(POLICY_REPO))
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith(f"ospo-scan: error: {policy}: ")
    assert message in result.stderr
    assert result.stderr.count("\n") == 1
    assert "Traceback" not in result.stderr


def test_exit_2_on_unknown_policy_name_and_bad_result_file(tmp_path: Path) -> None:
    result = run("check", "--policy", "strictest", str(POLICY_REPO))
    assert result.exit_code == 2
    assert "no shipped policy of that name (shipped: default, permissive-only)" in result.stderr
    # A file that starts as a result document does (schema_version first) is read as one;
    # any other file is scanned (see test_check_files.py).
    junk = tmp_path / "junk.json"
    junk.write_text('{"schema_version": "1.0.0"}', encoding="utf-8")
    result = run("check", str(junk))
    assert result.exit_code == 2
    assert "not a valid ospo-scan result document" in result.stderr


@pytest.fixture
def saved_with_packages(policy_repo_result: ScanResult, tmp_path: Path) -> Path:
    """A real scan's result file with packages and dependencies added (as issue 3 will)."""
    document = with_packages(
        policy_repo_result,
        packages=[
            package("pkg:npm/app@1.0.0", "MIT"),
            package(
                "pkg:npm/torn@2.0.0",
                "MIT AND GPL-3.0-only",
                conflict=("MIT", "GPL-3.0-only"),
                manifest="vendor/torn/package.json",
            ),
        ],
        dependencies=[
            dependency("pkg:npm/lgpl-lib@1.2.0", "LGPL-2.1-only", DependencyScope.DEV),
            dependency("pkg:npm/lgpl-lib@1.2.0", "LGPL-2.1-only", DependencyScope.RUNTIME),
            dependency("pkg:npm/mystery@0.1.0", None, DependencyScope.RUNTIME),
        ],
    )
    return write_json(tmp_path / "result.json", document)


def test_packages_and_dependencies_from_a_saved_result(saved_with_packages: Path) -> None:
    result = run("check", "--format", "json", str(saved_with_packages))
    assert result.exit_code == 1, result.stderr
    findings = json.loads(result.stdout)["findings"]
    deps = {(f["package"], f["scope"]): f for f in findings if f["subject"] == "dependency"}
    dev = deps["pkg:npm/lgpl-lib@1.2.0", "dev"]
    runtime = deps["pkg:npm/lgpl-lib@1.2.0", "runtime"]
    assert (dev["verdict"], dev["context"]) == (
        "pass",
        "not distributed (dev, test, build dependencies)",
    )
    assert runtime["verdict"] == "review"
    assert runtime["path"] == "package.json"
    mystery = deps["pkg:npm/mystery@0.1.0", "runtime"]
    assert (mystery["verdict"], mystery["expression"]) == ("review", "")
    conflicts = [f for f in findings if f["check"] == "package-conflict"]
    assert len(conflicts) == 1
    assert conflicts[0]["package"] == "pkg:npm/torn@2.0.0"
    assert conflicts[0]["verdict"] == "review"
    assert conflicts[0]["path"] == "vendor/torn/package.json"
    packages = {f["package"]: f["verdict"] for f in findings if f["check"] == "package-license"}
    assert packages == {"pkg:npm/app@1.0.0": "pass", "pkg:npm/torn@2.0.0": "deny"}


def test_active_expired_and_unused_waivers(saved_with_packages: Path, tmp_path: Path) -> None:
    policy = tmp_path / "repo-policy.yml"
    policy.write_text(
        """\
version: 1
extends: default
waivers:
  - paths: ["src/both.py"]
    license: GPL-3.0-only
    reason: relicensing to MIT agreed with the author
    approved_by: Legal
    ticket: LEGAL-7
    expires: 2999-12-31
  - package: pkg:npm/torn
    reason: the vendored copy is being replaced
    expires: 2001-01-01
  - paths: ["nowhere/**"]
    reason: left over from an old layout
""",
        encoding="utf-8",
    )
    result = run("check", "-p", str(policy), "-f", "json", str(saved_with_packages))
    assert result.exit_code == 1, result.stderr  # torn's waiver expired: still denied
    document = json.loads(result.stdout)
    both = by_path(document)["src/both.py"]
    assert both["verdict"] == "pass"
    assert both["unwaived_verdict"] == "deny"
    assert both["waiver"] == f"waivers[0] ({policy}:4)"
    assert both["waiver_reason"] == "relicensing to MIT agreed with the author"
    torn = [f for f in document["findings"] if f["package"] == "pkg:npm/torn@2.0.0"]
    assert {f["verdict"] for f in torn} == {"deny", "review"}
    warnings = {w["problem"]: w for w in document["waiver_warnings"]}
    assert set(warnings) == {"expired", "unused"}
    assert warnings["expired"]["waiver"] == f"waivers[1] ({policy}:10)"
    assert warnings["unused"]["waiver"] == f"waivers[2] ({policy}:13)"
    lines = result.stderr.splitlines()
    assert lines[0] == (
        f"ospo-scan: warning: waiver waivers[1] ({policy}:10) expired on 2001-01-01; "
        "it no longer applies"
    )
    assert "matched nothing" in lines[1]
    assert "1 expired waiver, 1 unused waiver" in lines[2]


def test_table_grouped_by_verdict(policy_repo_result: ScanResult, tmp_path: Path) -> None:
    saved = tmp_path / "result.json"
    saved.write_text(to_json(policy_repo_result), encoding="utf-8")
    result = run("check", "--format", "table", str(saved))
    assert result.exit_code == 1
    out = result.stdout
    assert out.index("Denied (1)") < out.index("To review (2)") < out.index("Passed (3)")
    assert "GPL-3.0-only is Copyleft:" in out
    # Passed findings are counts per license, unless asked for.
    assert "src/dual.py:1" not in out
    assert "MIT OR GPL-3.0-only: 1" in out
    assert result.stderr == "ospo-scan: policy default: 1 denied, 2 to review, 3 passed\n"
    shown = run("check", "--show-passed", str(saved))  # the table is the default in a pipe
    assert shown.exit_code == 1
    assert "src/dual.py:1" in shown.stdout
    assert "elected MIT" in shown.stdout


def test_output_file_format_from_suffix_and_atomic(
    policy_repo_result: ScanResult, tmp_path: Path
) -> None:
    saved = tmp_path / "result.json"
    saved.write_text(to_json(policy_repo_result), encoding="utf-8")
    sarif = tmp_path / "out.sarif"
    result = run("check", "-o", str(sarif), str(saved))
    assert result.exit_code == 1
    assert result.stdout == ""
    assert json.loads(sarif.read_text(encoding="utf-8"))["version"] == "2.1.0"
    junit = tmp_path / "out.xml"
    assert run("check", "-o", str(junit), str(saved)).exit_code == 1
    assert junit.read_text(encoding="utf-8").startswith("<?xml")
    # A failed run (bad policy) leaves yesterday's report alone.
    assert run("check", "-p", "nonesuch", "-o", str(junit), str(saved)).exit_code == 2
    assert junit.read_text(encoding="utf-8").startswith("<?xml")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.sarif", "out.xml", "result.json"]


def test_check_takes_the_scan_options(tmp_path: Path) -> None:
    repo = shutil.copytree(POLICY_REPO, tmp_path / "repo")
    result = run(
        "check",
        "-j",
        "1",
        "--exclude",
        "src/both.py",
        "--exclude",
        "docs/",
        "-f",
        "json",
        str(repo),
    )
    assert result.exit_code == 0, result.stderr
    paths = {f["path"] for f in json.loads(result.stdout)["findings"]}
    assert "src/both.py" not in paths
    assert "src/dual.py" in paths


def test_real_world_requests_sdist(requests_sdist: Path, tmp_path: Path) -> None:
    """requests 2.32.5 from PyPI: Apache-2.0 throughout, a few unnamed license references."""
    saved = tmp_path / "requests.json"
    result = run("scan", "-q", "-j", "2", "-o", str(saved), str(requests_sdist))
    assert result.exit_code == 0, result.stderr
    result = run("check", "-f", "json", str(saved))
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    files = by_path(document)
    assert files["LICENSE"]["verdict"] == "pass"
    assert files["LICENSE"]["rule"] == "Apache-2.0 is Permissive: categories.allow"
    assert document["summary"]["deny"] == 0
    reviews = [f for f in document["findings"] if f["verdict"] == "review"]
    assert reviews
    # Reviews: the dependencies the sdist declares but does not ship (no installed copy, so
    # no license found offline). Its files' "see LICENSE" references are followed to LICENSE,
    # as raw ScanCode follows them: Apache-2.0, a pass, not an unknown license to review.
    assert all(
        f["subject"] == "dependency" and f["rule"] == "unknown (no license found)" for f in reviews
    )
    followed = [
        (entry["path"], detection)
        for entry in json.loads(saved.read_text(encoding="utf-8"))["files"]
        for detection in entry["license_detections"]
        if "unknown-reference-to-local-file" in detection["detection_log"]
    ]
    assert followed
    for path, detection in followed:
        assert detection["license_expression_spdx"] == "Apache-2.0", path
        assert detection["followed_files"] == ["LICENSE"], path
    # The same result under permissive-only, failing on review, as a strict CI gate would.
    sarif = tmp_path / "requests.sarif"
    result = run(
        "check", "-p", "permissive-only", "--fail-on", "review", "-o", str(sarif), str(saved)
    )
    assert result.exit_code == 1
    log = json.loads(sarif.read_text(encoding="utf-8"))
    assert {r["level"] for r in log["runs"][0]["results"]} == {"warning"}
    assert len(log["runs"][0]["results"]) == len(reviews)
