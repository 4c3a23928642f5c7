# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""Curations on the command line: ``check`` and ``sbom`` with ``--curations FILE``, a policy's
``curations:`` and the configuration key, on real scans of the npm fixture.

The fixture's liar-lib declares MIT and ships a GPL-3.0 LICENSE: the default policy denies it
(exit 1) until a curation says MIT.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from cyclonedx.schema import OutputFormat, SchemaVersion
from cyclonedx.validation import make_schemabased_validator
from spdx_tools.spdx.parser.parse_anything import parse_file
from spdx_tools.spdx.validation.document_validator import validate_full_spdx_document

from ospo_scan.cli.main import main

NPM_APP = Path(__file__).parents[1] / "data" / "packages" / "npm_app"
LIAR = "pkg:npm/liar-lib@1.0.0"
LIAR_LICENSE = "node_modules/liar-lib/LICENSE"
FAST = ("-j", "1", "--packages-only")


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), env={"SOURCE_DATE_EPOCH": ""})


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    return Path(shutil.copytree(NPM_APP, tmp_path / "npm_app"))


def liar_curation(tree: Path, **extra: str) -> str:
    """A curation entry (YAML) for liar-lib, pinned to its LICENSE as it is now."""
    digest = hashlib.sha256((tree / LIAR_LICENSE).read_bytes()).hexdigest()
    lines = [
        f"  - purl: {LIAR}",
        "    license: MIT",
        "    reason: the LICENSE file is a test fixture",
        "    approved_by: Jane Doe <jane@example.org>",
        *(f"    {key}: {value}" for key, value in extra.items()),
        "    license_files:",
        "      - path: LICENSE",
        f"        sha256: {digest}",
    ]
    return "\n".join(lines) + "\n"


def write_curations(path: Path, *entries: str) -> Path:
    path.write_text("curations:\n" + "".join(entries), encoding="utf-8")
    return path


UNUSED = """\
  - purl: pkg:npm/not-installed-anywhere
    license: MIT
    reason: nothing
    approved_by: Jane Doe
"""
EXPIRED = """\
  - path: node_modules/left-pad/**
    license: MIT
    reason: an old decision
    approved_by: Jane Doe
    expires: 2020-01-31
"""


def warnings_of(result: Result) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.startswith("ospo-scan: warning:")]


def test_without_a_curation_the_default_policy_denies_liar_lib(tree: Path) -> None:
    result = run("check", *FAST, "-f", "json", str(tree))
    assert result.exit_code == 1, result.stderr
    denied = {f["name"] for f in json.loads(result.stdout)["findings"] if f["verdict"] == "deny"}
    assert {LIAR, LIAR_LICENSE + ":1"} <= denied


def test_a_curation_file_changes_the_verdict(tree: Path, tmp_path: Path) -> None:
    cur = write_curations(tmp_path / "cur.yml", liar_curation(tree))
    result = run("check", *FAST, "-f", "json", "--curations", str(cur), str(tree))
    assert result.exit_code == 0, result.stderr
    assert warnings_of(result) == []
    report = json.loads(result.stdout)
    assert report["report_version"] == "1.3.0"
    assert report["curation_warnings"] == []
    curated = {(f["check"], f["name"]): f for f in report["findings"] if f["curation"] is not None}
    assert ("package-license", LIAR) in curated
    assert ("file-license", LIAR_LICENSE + ":1") in curated
    assert any(check == "dependency-license" for check, _ in curated)
    package = curated["package-license", LIAR]
    assert package["expression"] == "MIT"
    assert package["verdict"] == "pass"
    assert package["curation"] == f"curations[0] ({cur}:2)"
    assert package["curation_reason"] == "the LICENSE file is a test fixture"
    assert not any(f["check"] == "package-conflict" for f in report["findings"])
    assert "curated" in report["summary"]["text"]


def test_a_stale_curation_is_a_warning_and_not_applied(tree: Path, tmp_path: Path) -> None:
    cur = write_curations(tmp_path / "cur.yml", liar_curation(tree))
    with (tree / LIAR_LICENSE).open("a", encoding="utf-8") as handle:
        handle.write("\nEdited after the curation was approved.\n")
    result = run("check", *FAST, "-f", "json", "--curations", str(cur), str(tree))
    assert result.exit_code == 1, result.stderr  # the detection stands again
    [warning] = warnings_of(result)
    assert f"curations[0] ({cur}:2)" in warning
    assert "stale" in warning
    assert f"{LIAR}: {LIAR_LICENSE} changed" in warning
    report = json.loads(result.stdout)
    assert [w["problem"] for w in report["curation_warnings"]] == ["stale"]
    assert report["curation_warnings"][0]["origin"] == {
        "file": str(cur),
        "line": 2,
        "key": "curations[0]",
    }
    assert all(f["curation"] is None for f in report["findings"])


def test_expired_and_unused_curations_warn_without_changing_the_exit_code(
    tree: Path, tmp_path: Path
) -> None:
    cur = write_curations(tmp_path / "cur.yml", liar_curation(tree), UNUSED, EXPIRED)
    result = run("check", *FAST, "-f", "json", "--curations", str(cur), str(tree))
    assert result.exit_code == 0, result.stderr
    warnings = warnings_of(result)
    assert len(warnings) == 2
    assert "curations[2]" in warnings[0]
    assert "expired on 2020-01-31" in warnings[0]
    assert "curations[1]" in warnings[1]
    assert "matched nothing" in warnings[1]
    report = json.loads(result.stdout)
    assert [w["problem"] for w in report["curation_warnings"]] == ["expired", "unused"]
    assert "1 expired curation, 1 unused curation" in report["summary"]["text"]
    # The expired path curation was not applied: left-pad's license file keeps its license.
    pads = [f for f in report["findings"] if f["path"] == "node_modules/left-pad/COPYING"]
    assert pads
    assert all(f["curation"] is None and f["expression"] != "MIT" for f in pads)
    # The table and Markdown reports carry the warnings too, a short line each.
    for name, heading in (("table", "Curation warnings"), ("markdown", "### Curation warnings")):
        shown = run("check", *FAST, "-q", "-f", name, "--curations", str(cur), str(tree))
        assert shown.exit_code == 0, shown.stderr
        assert heading in shown.stdout
        assert "matched nothing" in shown.stdout
        assert len(warnings_of(shown)) == 2  # stderr too, even with --quiet


def test_a_path_curation_corrects_files_only(tree: Path, tmp_path: Path) -> None:
    entry = """\
  - path: node_modules/liar-lib/**
    license: MIT
    reason: the fixture's LICENSE text is a placeholder
    approved_by: Jane Doe
"""
    cur = write_curations(tmp_path / "cur.yml", entry)
    result = run("check", *FAST, "-f", "json", "--curations", str(cur), str(tree))
    # The package is still concluded from its conflict: a path curation does not touch it.
    assert result.exit_code == 1, result.stderr
    findings = json.loads(result.stdout)["findings"]
    license_file = next(f for f in findings if f["path"] == LIAR_LICENSE)
    assert (license_file["expression"], license_file["verdict"]) == ("MIT", "pass")
    assert license_file["curation"] == f"curations[0] ({cur}:2)"
    package = next(f for f in findings if f["check"] == "package-license" and f["package"] == LIAR)
    assert package["curation"] is None
    assert package["verdict"] == "deny"


def test_the_policy_curations_key(tree: Path, tmp_path: Path) -> None:
    policy = tmp_path / "policy.yml"
    policy.write_text(
        "version: 1\nextends: default\ncurations:\n" + liar_curation(tree), encoding="utf-8"
    )
    result = run("check", *FAST, "-f", "json", "-p", str(policy), str(tree))
    assert result.exit_code == 0, result.stderr
    package = next(f for f in json.loads(result.stdout)["findings"] if f["name"] == LIAR)
    assert package["curation"] == f"curations[0] ({policy}:4)"


def test_the_curations_file_wins_over_the_policy(tree: Path, tmp_path: Path) -> None:
    policy = tmp_path / "policy.yml"
    policy.write_text(
        "version: 1\nextends: default\ncurations:\n" + liar_curation(tree), encoding="utf-8"
    )
    cur = write_curations(tmp_path / "cur.yml", liar_curation(tree).replace("MIT", "0BSD"))
    result = run(
        "check", *FAST, "-f", "json", "-p", str(policy), "--curations", str(cur), str(tree)
    )
    assert result.exit_code == 0, result.stderr
    package = next(f for f in json.loads(result.stdout)["findings"] if f["name"] == LIAR)
    assert package["expression"] == "0BSD"
    assert package["curation"] == f"curations[0] ({cur}:2)"
    # The policy's, matched but overridden, applied to nothing: a warning says so.
    [warning] = warnings_of(result)
    assert f"curations[0] ({policy}:4)" in warning
    assert f"applied nowhere: curations[0] ({cur}:2) wins wherever it matched" in warning


def test_the_configuration_key(tree: Path) -> None:
    write_curations(tree / "curations.yml", liar_curation(tree))
    (tree / ".ospo-scan.yml").write_text("curations: curations.yml\n", encoding="utf-8")
    result = run("check", *FAST, "-f", "json", str(tree))
    assert result.exit_code == 0, result.stderr
    package = next(f for f in json.loads(result.stdout)["findings"] if f["name"] == LIAR)
    assert package["curation"] == f"curations[0] ({tree / 'curations.yml'}:2)"
    shown = run("config", "show", str(tree))
    assert shown.exit_code == 0, shown.stderr
    assert "curations" in shown.stdout


BAD = """\
curations:
  - purl: pkg:npm/x
    path: vendor/**
    license: NoSuchLicense OR MIT
    approved_by: Jane Doe
    expires: 2027-02-30
  - path: vendor/**
    license: MIT
    reason: fine
    license_files:
      - path: LICENSE
        sha256: abc123
"""


def test_bad_curations_exit_2_with_every_error_and_write_nothing(
    tree: Path, tmp_path: Path
) -> None:
    cur = tmp_path / "bad.yml"
    cur.write_text(BAD, encoding="utf-8")
    out = tmp_path / "report.json"
    result = run("check", *FAST, "--curations", str(cur), "-o", str(out), str(tree))
    assert result.exit_code == 2
    assert not out.exists()
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert lines[0] == "ospo-scan: error: 6 curation errors:"
    errors = [line.strip() for line in lines[1:]]
    assert (
        f"{cur}: a curation needs 'reason' (why the detected license is wrong) "
        "at line 2 (curations[0])" in errors
    )
    assert (
        f"{cur}: a curation names a 'purl' or a 'path', not both "
        "at line 2 (curations[0]); write two" in errors
    )
    assert any(
        e.startswith(f"{cur}: unknown license 'NoSuchLicense' at line 4 (curations[0].license)")
        for e in errors
    )
    assert (
        f"{cur}: invalid date '2027-02-30'; write it as YYYY-MM-DD at line 6 (curations[0].expires)"
        in errors
    )
    assert (
        f"{cur}: a curation needs 'approved_by' (who approved the correction) "
        "at line 7 (curations[1])" in errors
    )
    assert (
        f"{cur}: expected a SHA-256 (64 hex digits), got the string 'abc123' at line 12 "
        "(curations[1].license_files[0].sha256)"
    ) in errors
    # sbom reads them before scanning too.
    sbom = run("sbom", *FAST, "--curations", str(cur), str(tree))
    assert sbom.exit_code == 2
    assert "6 curation errors" in sbom.stderr


def test_bad_curations_in_a_policy_are_policy_errors(tree: Path, tmp_path: Path) -> None:
    policy = tmp_path / "policy.yml"
    policy.write_text(
        "version: 1\ncurations:\n  - purl: pkg:npm/x\n    license: MIT\n", encoding="utf-8"
    )
    result = run("check", *FAST, "-p", str(policy), str(tree))
    assert result.exit_code == 2
    assert "2 policy errors" in result.stderr
    assert f"{policy}: a curation needs 'reason'" in result.stderr
    assert "at line 3 (curations[0])" in result.stderr


def test_a_missing_curations_file_exits_2(tree: Path, tmp_path: Path) -> None:
    result = run("check", *FAST, "--curations", str(tmp_path / "nope.yml"), str(tree))
    assert result.exit_code == 2
    assert "cannot read curations" in result.stderr
    assert "nope.yml" in result.stderr


def test_the_sbom_concludes_the_curated_license_and_validates(tree: Path, tmp_path: Path) -> None:
    cur = write_curations(tmp_path / "cur.yml", liar_curation(tree))
    spdx_out = tmp_path / "bom.spdx.json"
    cdx_out = tmp_path / "bom.cdx.json"
    for out in (spdx_out, cdx_out):
        result = run("sbom", *FAST, "--files", "--curations", str(cur), "-o", str(out), str(tree))
        assert result.exit_code == 0, result.stderr
        assert warnings_of(result) == []
    document = parse_file(str(spdx_out))
    assert validate_full_spdx_document(document) == []
    liar = next(p for p in document.packages if p.name == "liar-lib")
    assert str(liar.license_concluded) == "MIT"
    assert liar.license_comment is not None
    assert f"curations[0] ({cur}:2)" in liar.license_comment
    assert "approved by Jane Doe <jane@example.org>" in liar.license_comment
    assert "the LICENSE file is a test fixture" in liar.license_comment
    license_file = next(f for f in document.files if f.name == f"./{LIAR_LICENSE}")
    assert str(license_file.license_concluded) == "MIT"
    assert [str(i) for i in license_file.license_info_in_file] == ["GPL-3.0-only"]
    assert "curations[0]" in (license_file.license_comment or "")

    text = cdx_out.read_text(encoding="utf-8")
    validator = make_schemabased_validator(OutputFormat.JSON, SchemaVersion.V1_6)
    assert validator.validate_str(text, all_errors=True) is None
    bom = json.loads(text)
    component = next(c for c in bom["components"] if c["name"] == "liar-lib")
    assert component["licenses"] == [{"license": {"id": "MIT", "acknowledgement": "concluded"}}]
    [prop] = [p for p in component["properties"] if p["name"] == "ospo-scan:curation"]
    assert f"curations[0] ({cur}:2)" in prop["value"]
    assert "MIT instead of" in prop["value"]


def test_the_sbom_takes_a_policys_curations(tree: Path, tmp_path: Path) -> None:
    policy = tmp_path / "policy.yml"
    policy.write_text("version: 1\ncurations:\n" + liar_curation(tree), encoding="utf-8")
    result = run("sbom", *FAST, "-f", "cyclonedx-json", "-p", str(policy), str(tree))
    assert result.exit_code == 0, result.stderr
    component = next(c for c in json.loads(result.stdout)["components"] if c["name"] == "liar-lib")
    assert component["licenses"][0]["license"]["id"] == "MIT"


def test_policy_show_lists_the_curations(tree: Path, tmp_path: Path) -> None:
    policy = tmp_path / "policy.yml"
    policy.write_text(
        "version: 1\ncurations:\n" + liar_curation(tree, expires="2020-01-31"), encoding="utf-8"
    )
    shown = CliRunner().invoke(main, ["policy", "show", str(policy)], env={"COLUMNS": "200"})
    assert shown.exit_code == 0, shown.stderr
    text = shown.stdout[shown.stdout.index("Curations") :]
    for needle in (
        "curations[0]",
        f"package {LIAR}",
        "pinned LICENSE",
        "the LICENSE file is a test fixture",
        "2020-01-31 (expired)",
    ):
        assert needle in text, text


def test_checking_some_files_calls_no_curation_unused(tree: Path, tmp_path: Path) -> None:
    cur = write_curations(tmp_path / "cur.yml", UNUSED, EXPIRED)
    license_file = tree / "node_modules" / "left-pad" / "COPYING"
    result = run("check", "-j", "1", "-f", "json", "--curations", str(cur), str(license_file))
    assert result.exit_code == 0, result.stderr
    warnings = warnings_of(result)
    assert len(warnings) == 1
    assert "expired on 2020-01-31" in warnings[0]
    assert [w["problem"] for w in json.loads(result.stdout)["curation_warnings"]] == ["expired"]
