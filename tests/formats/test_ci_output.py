# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""Output that fits a CI log and a person (issue 15): the compact table at 80 columns, no
control characters under NO_COLOR or CI, Markdown within GitHub's comment limit, SARIF with
one alert per violation and regions on manifests, GitLab Code Quality, ``version --json``."""

from __future__ import annotations

import datetime as dt
import json
import os
import pty
import re
import shutil
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from ospo_scan import PROJECT_URL, __version__
from ospo_scan.cli.main import main
from ospo_scan.document import to_json
from ospo_scan.evaluate import PolicyReport, evaluate
from ospo_scan.formats import check_markdown, registry
from ospo_scan.formats.base import Output
from ospo_scan.model import MatchKind, ScanResult
from ospo_scan.policy.load import load_policy
from ospo_scan.scan.options import ScanOptions
from ospo_scan.scan.pipeline import scan
from policy_helpers import DATA, dependency, detection, file_record, make_result
from sarif_support import sarif_multitool, sarif_schema

ROOT = Path(__file__).parents[2]
ANSI = re.compile(r"\x1b|\x9b")


@pytest.fixture(scope="module")
def npm_result(tmp_path_factory: pytest.TempPathFactory) -> ScanResult:
    """One real scan of a small tree with files, packages and dependencies."""
    root = tmp_path_factory.mktemp("ci") / "npm_app"
    shutil.copytree(DATA / "packages" / "npm_app", root)
    return scan(root, ScanOptions(jobs=1))


@pytest.fixture(scope="module")
def npm_report(npm_result: ScanResult) -> PolicyReport:
    return evaluate(npm_result, load_policy("default"), today=dt.date(2026, 6, 1))


def large_report() -> PolicyReport:
    """2,000 findings on long paths, with long license ids and expressions."""
    long_ids = (
        "LicenseRef-scancode-unknown-license-reference",
        "(MIT OR Apache-2.0) AND LicenseRef-scancode-proprietary-license AND GPL-3.0-only "
        "AND LGPL-2.1-or-later AND BSD-3-Clause",
        "GPL-2.0-or-later WITH Classpath-exception-2.0",
        "MIT",
        "AGPL-3.0-only",
    )
    files = [
        file_record(
            f"vendor/third_party/some-rather-long-library-name-{n:04}/src/module_{n}.py",
            detection(long_ids[n % len(long_ids)], MatchKind.NOTICE, line=n % 300 + 1),
        )
        for n in range(2000)
    ]
    deps = [dependency(f"pkg:npm/%40scope/package-number-{n}@1.0.{n}", None) for n in range(50)]
    return evaluate(make_result(files, dependencies=deps), load_policy("default"))


def assert_fits(text: str, report: PolicyReport, width: int, *, every: bool) -> None:
    """No line wider than ``width``; every name and license id whole on some line."""
    lines = text.splitlines()
    too_long = [line for line in lines if len(line) > width]
    assert not too_long, too_long[:3]
    words = {word for line in lines for word in line.split()}
    shown = [f for f in report.findings if every or f.verdict.value != "pass"]
    for finding in shown:
        assert any(finding.name in line for line in lines), finding.name
        for license_id in re.findall(r"[A-Za-z0-9.+-]+", finding.expression):
            assert license_id in text, license_id
            assert any(license_id in word for word in words), license_id


@pytest.mark.parametrize("verbose", [False, True])
def test_the_table_of_a_real_scan_fits_80_columns(npm_report: PolicyReport, verbose: bool) -> None:
    table = registry.get(Output.CHECK, "table").with_view(verbose=verbose)  # type: ignore[attr-defined]
    text = table.render(npm_report, width=80)
    assert_fits(text, npm_report, 80, every=verbose)
    assert "pkg:npm/ghost-lib (runtime)" in text


def test_a_large_table_stays_compact_and_fits(tmp_path: Path) -> None:
    report = large_report()
    table = registry.get(Output.CHECK, "table")
    compact = table.render(report)  # no width: 80 columns
    assert max(len(line) for line in compact.splitlines()) <= 80
    # Five groups of files, one of dependencies: a few lines each, not 2,050 findings' worth.
    assert len(compact.splitlines()) < 80
    assert "… and 395 more (--verbose, or --format json)" in compact
    full = table.with_view(verbose=True).render(report, width=80)  # type: ignore[attr-defined]
    assert_fits(full, report, 80, every=True)


def test_a_path_wider_than_the_line_loses_folders_from_its_middle() -> None:
    path = "a/" + "very-long-folder-name/" * 5 + "file.py"
    report = evaluate(
        make_result([file_record(path, detection("GPL-3.0-only"))]), load_policy("default")
    )
    text = registry.get(Output.CHECK, "table").render(report, width=40)
    assert max(len(line) for line in text.splitlines()) <= 40
    assert any("a/…/very-long-folder-name/file.py:1" in line for line in text.splitlines())


def test_a_word_without_folders_stays_whole_past_the_width() -> None:
    name = "x" * 60 + ".py"
    report = evaluate(
        make_result([file_record(name, detection("GPL-3.0-only"))]), load_policy("default")
    )
    text = registry.get(Output.CHECK, "table").render(report, width=40)
    assert any(f"{name}:1" in line for line in text.splitlines())


def test_the_table_is_the_default_without_a_terminal(
    npm_result: ScanResult, tmp_path: Path
) -> None:
    saved = tmp_path / "result.json"
    saved.write_text(to_json(npm_result), encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(saved)], env={"COLUMNS": "80"})
    assert result.exit_code == 1, result.stderr
    assert result.stdout.startswith("Policy default ")
    assert max(len(line) for line in result.stdout.splitlines()) <= 80
    assert result.stderr.splitlines()[-1].startswith("ospo-scan: policy default: ")
    as_json = CliRunner().invoke(main, ["check", "-o", str(tmp_path / "r.json"), str(saved)])
    assert as_json.exit_code == 1
    assert json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))["report_version"]


def _on_a_terminal(args: list[str], env: dict[str, str]) -> tuple[int, str]:
    """Run ospo-scan with stdout and stderr on a pseudo-terminal: what a person sees."""
    parent, child = pty.openpty()
    environment = {**os.environ, "OSPO_SCAN_NO_DAEMON": "1", "TERM": "xterm-256color", **env}
    for name in ("NO_COLOR", "CI", "FORCE_COLOR"):
        if name not in env:
            environment.pop(name, None)
    process = subprocess.Popen(
        [sys.executable, "-m", "ospo_scan", *args],
        stdout=child,
        stderr=child,
        stdin=subprocess.DEVNULL,
        env=environment,
    )
    os.close(child)
    chunks = []
    while True:
        try:
            chunk = os.read(parent, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(parent)
    return process.wait(timeout=120), b"".join(chunks).decode("utf-8", "replace")


@pytest.mark.parametrize("env", [{"NO_COLOR": "1"}, {"CI": "true"}])
def test_no_control_characters_under_no_color_or_ci(
    npm_result: ScanResult, tmp_path: Path, env: dict[str, str]
) -> None:
    saved = tmp_path / "result.json"
    saved.write_text(to_json(npm_result), encoding="utf-8")
    code, styled = _on_a_terminal(["check", str(saved)], {})
    assert code == 1
    assert ANSI.search(styled)  # the test can see styles when there are some
    code, plain = _on_a_terminal(["check", str(saved)], env)
    assert code == 1
    assert "Denied" in plain or "To review" in plain
    assert not ANSI.search(plain)
    # A scan too: no progress bar, no styles, on stderr as on stdout.
    code, scanned = _on_a_terminal(
        ["scan", "-j", "1", "--format", "table", str(npm_result.root)], env
    )
    assert code == 0
    assert not ANSI.search(scanned)


def test_markdown_stays_within_githubs_comment_limit() -> None:
    report = large_report()
    huge = evaluate(
        make_result(
            [
                file_record(f"src/{'deep/' * 20}file_{n}.c", detection("GPL-3.0-only", line=n + 1))
                for n in range(20_000)
            ]
        ),
        load_policy("default"),
    )
    for rep in (report, huge):
        text = registry.get(Output.CHECK, "markdown").render(rep)
        assert len(text) <= check_markdown.MAX_CHARS < 65_536
        assert "not shown: a pull-request comment holds at most 65,536 characters" in text
        assert "--format json" in text
        assert text.startswith("## ospo-scan license check: :x: failed\n")
        assert "### :x: Denied (" in text  # the violations lead, cut but listed
    small = registry.get(Output.CHECK, "markdown").render(
        evaluate(
            make_result([file_record("a.c", detection("GPL-3.0-only"))]), load_policy("default")
        )
    )
    assert "not shown" not in small


def _sarif(report: PolicyReport) -> dict[str, object]:
    log: dict[str, object] = json.loads(registry.get(Output.CHECK, "sarif").render(report))
    return log


def test_sarif_one_alert_per_violation_with_related_locations() -> None:
    lines = [detection("GPL-3.0-only", MatchKind.NOTICE, line=n) for n in (40, 3, 17)]
    result = make_result(
        [file_record("src/a.c", *lines), file_record("src/b.c", detection("GPL-3.0-only"))]
    )
    log = _sarif(evaluate(result, load_policy("default")))
    jsonschema.Draft4Validator(sarif_schema()).validate(log)
    results = log["runs"][0]["results"]  # type: ignore[index]
    assert len(results) == 2
    a = next(r for r in results if "src/a.c" in json.dumps(r["locations"]))
    assert a["locations"][0]["physicalLocation"]["region"] == {"startLine": 3, "endLine": 3}
    related = [r["physicalLocation"]["region"]["startLine"] for r in a["relatedLocations"]]
    assert related == [17, 40]
    assert a["properties"]["occurrences"] == 3
    assert "Found 3 times in this file; also at [line 17](1), [line 40](2)." in a["message"]["text"]
    prints = {json.dumps(r["partialFingerprints"], sort_keys=True) for r in results}
    assert len(prints) == 2
    # The alert's fingerprints ignore lines: moved lines keep the same alert.
    moved = make_result(
        [file_record("src/a.c", detection("GPL-3.0-only", MatchKind.NOTICE, line=9))]
    )
    again = _sarif(evaluate(moved, load_policy("default")))["runs"][0]["results"][0]  # type: ignore[index]
    assert again["partialFingerprints"] == a["partialFingerprints"]


def test_sarif_regions_point_at_the_manifest_line(npm_report: PolicyReport) -> None:
    log = _sarif(npm_report)
    jsonschema.Draft4Validator(sarif_schema()).validate(log)
    assert log["runs"][0]["tool"]["driver"]["informationUri"] == PROJECT_URL  # type: ignore[index]
    results = log["runs"][0]["results"]  # type: ignore[index]
    manifest = (DATA / "packages" / "npm_app" / "package.json").read_text(encoding="utf-8")
    ghost = next(
        r
        for r in results
        if r["properties"].get("package") == "pkg:npm/ghost-lib"
        and r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "package.json"
    )
    line = ghost["locations"][0]["physicalLocation"]["region"]["startLine"]
    assert '"ghost-lib"' in manifest.splitlines()[line - 1]
    for r in results:
        assert "region" in r["locations"][0]["physicalLocation"], r["message"]["text"]


def test_the_project_url_is_the_package_metadata() -> None:
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")  # tomllib: Python 3.11+
    urls = dict(re.findall(r'^(Homepage|Repository) = "([^"]+)"$', text, re.MULTILINE))
    assert urls == {"Homepage": PROJECT_URL, "Repository": PROJECT_URL}


def test_sarif_multitool_finds_nothing_to_warn_about(
    npm_report: PolicyReport, tmp_path: Path
) -> None:
    """Microsoft's SARIF validator (npm @microsoft/sarif-multitool): no error, no warning."""
    tool = sarif_multitool()
    for name, report in (("npm", npm_report), ("large", large_report())):
        log = tmp_path / f"{name}.sarif"
        log.write_text(registry.get(Output.CHECK, "sarif").render(report), encoding="utf-8")
        out = tmp_path / f"{name}.validation.sarif"
        done = subprocess.run(
            [str(tool), "validate", str(log), "-o", str(out)],
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        assert done.returncode == 0, done.stdout + done.stderr
        findings = json.loads(out.read_text(encoding="utf-8"))["runs"][0]["results"]
        assert findings == [], [f["message"] for f in findings[:3]]


#: GitLab's Code Quality report, from its documentation ("Code Quality report format"):
#: an array of issues with these fields; GitLab publishes no JSON schema of its own.
CODE_QUALITY_SCHEMA = {
    "type": "array",
    "items": {
        "type": "object",
        "required": ["description", "check_name", "fingerprint", "severity", "location"],
        "properties": {
            "description": {"type": "string", "minLength": 1},
            "check_name": {"type": "string", "minLength": 1},
            "fingerprint": {"type": "string", "minLength": 1},
            "severity": {"enum": ["info", "minor", "major", "critical", "blocker"]},
            "location": {
                "type": "object",
                "required": ["path", "lines"],
                "properties": {
                    "path": {"type": "string", "minLength": 1},
                    "lines": {
                        "type": "object",
                        "required": ["begin"],
                        "properties": {"begin": {"type": "integer", "minimum": 1}},
                    },
                },
            },
        },
    },
}


def test_codequality_is_valid_with_unique_fingerprints(npm_report: PolicyReport) -> None:
    for report in (npm_report, large_report()):
        issues = json.loads(registry.get(Output.CHECK, "codequality").render(report))
        jsonschema.Draft7Validator(CODE_QUALITY_SCHEMA).validate(issues)
        assert len({i["fingerprint"] for i in issues}) == len(issues)
        assert len(issues) == sum(1 for f in report.findings if f.verdict.value != "pass")
    issues = json.loads(registry.get(Output.CHECK, "codequality").render(npm_report))
    ghost = next(
        i
        for i in issues
        if "ghost-lib" in i["description"] and i["location"]["path"] == "package.json"
    )
    assert ghost["severity"] == "minor"
    assert ghost["location"]["lines"]["begin"] > 1
    assert (
        registry.for_output_file(Output.CHECK, Path("gl-code-quality-report.json")) == "codequality"
    )
    assert registry.for_output_file(Output.CHECK, Path("x.codequality.json")) == "codequality"


def test_version_json() -> None:
    result = CliRunner().invoke(main, ["version", "--json"])
    assert result.exit_code == 0
    found = json.loads(result.stdout)
    assert found["ospo_scan"] == __version__
    assert found["scancode_toolkit"] == "32.5.0"
    assert found["license_data"]["spdx_license_list"] == "3.27"
    # Fast: neither ScanCode nor its index is imported to say so.
    code = "import sys; from ospo_scan.cli.main import main; main(['version', '--json'])"
    done = subprocess.run(
        [sys.executable, "-c", f"{code}"], capture_output=True, text=True, check=False
    )
    assert json.loads(done.stdout)["ospo_scan"] == __version__
    probe = (
        "import sys\n"
        "from ospo_scan.cli.main import main\n"
        "try:\n    main(['version', '--json'])\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in "
        "{'scancode', 'licensedcode', 'scancode_config'}), file=sys.stderr)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=False
    )
    assert done.stderr.strip() == "[]"
