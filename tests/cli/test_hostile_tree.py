# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""A hostile tree through every command and format: every problem reported, no traceback.

One real scan (a subprocess, two jobs, without the capability that lets root read any file)
of the tree that ``tests/hostile.py`` builds: a symlink cycle, a link out of the root, a
FIFO, a socket, an unreadable file, a name that is not UTF-8, a name with a newline that tries
to inject an SPDX tag, 10,000 nested folders, a 1 GB sparse file, a minified bundle, a binary
with a license in it, broken and hostile manifests, and .gitignore lines git ignores. Then
``check`` in every format and ``sbom`` in every format over the saved result.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from hostile import DROP_DAC, HostileTree, hostile_tree
from ospo_scan.cli.main import main
from ospo_scan.formats import registry
from ospo_scan.formats.base import Output
from sarif_support import sarif_schema


@pytest.fixture(scope="module")
def scanned(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[HostileTree, Path, str]]:
    """The tree, the saved result of scanning it, and the scan's stderr."""
    work = tmp_path_factory.mktemp("hostile")
    with hostile_tree(work / "tree") as tree:
        result = work / "result.json"
        env = {
            **os.environ,
            "OSPO_SCAN_NO_DAEMON": "1",
            "OSPO_SCAN_CACHE_DIR": str(work / "cache"),
            "NO_COLOR": "1",
        }
        command = [sys.executable, "-m", "ospo_scan", "scan", "-q", "-j", "2"]
        done = subprocess.run(
            [*DROP_DAC, *command, "-o", str(result), str(tree.root)],
            env=env,
            capture_output=True,
            text=True,
            timeout=900,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        yield tree, result, done.stderr


def _records(result: Path) -> dict[str, dict[str, Any]]:
    document = json.loads(result.read_text(encoding="utf-8"))
    return {record["path"]: record for record in document["files"]}


def _issues(record: dict[str, Any]) -> set[str]:
    return {issue["kind"] for issue in record["issues"]}


def test_the_scan_reports_every_problem_and_follows_no_link(
    scanned: tuple[HostileTree, Path, str],
) -> None:
    tree, result, stderr = scanned
    assert "Traceback" not in stderr
    records = _records(result)
    assert _issues(records[tree.unreadable]) == {"unreadable"}
    for path in tree.special:
        assert _issues(records[path]) == {"special"}, path
    for path in tree.links:
        assert _issues(records[path]) == {"symlink"}, path
    assert not any(p.startswith(("outside/", "cycle/up/")) for p in records)  # not followed
    assert _issues(records[tree.sparse]) == {"too_large"}
    assert records[tree.sparse]["sha256"]  # still hashed
    assert _issues(records[tree.binary]) == {"binary"}
    for path in tree.broken_manifests:
        assert "package_data_error" in _issues(records[path]), path
    for path in (tree.newline_name, tree.bundle):
        assert records[path]["license_expression_spdx"] == "MIT", path
    # 10,000 levels: walked without recursion, and the file at the bottom, far past PATH_MAX
    # (about 2,000 levels here), is scanned like any other.
    assert [p for p in records if p.startswith("deep/")] == [tree.deep_file]
    assert records[tree.deep_file]["status"] == "scanned"
    assert records[tree.deep_file]["license_expression_spdx"] == "MIT"
    # The undecodable name is kept as the file system has it (surrogate escapes in Python,
    # \udcXX escapes in the JSON document) and scanned like any other file.
    assert records[tree.undecodable_name]["license_expression_spdx"] == "MIT"


@pytest.mark.parametrize("format_name", registry.names(Output.CHECK))
def test_check_in_every_format_reports_the_errors_and_fails(
    scanned: tuple[HostileTree, Path, str], format_name: str, tmp_path: Path
) -> None:
    tree, result, _ = scanned
    out = tmp_path / "report"
    done = CliRunner().invoke(
        main, ["check", "-q", "--format", format_name, "-o", str(out), str(result)]
    )
    assert done.exit_code == 1, done.stderr  # the broken manifests are denied
    assert "Traceback" not in done.stderr
    text = out.read_text(encoding="utf-8")
    assert "package.json" in text
    if format_name == "json":
        report = json.loads(text)
        errors = [f for f in report["findings"] if f["check"] == "scan-error"]
        assert {f["path"] for f in errors} >= {tree.unreadable, *tree.broken_manifests}
    elif format_name == "sarif":
        import jsonschema  # noqa: PLC0415 -- only this format needs it

        jsonschema.validate(json.loads(text), sarif_schema())
    elif format_name == "junit":
        import junitparser  # noqa: PLC0415

        assert junitparser.JUnitXml.fromfile(str(out)).failures >= 1
    elif format_name == "markdown":
        # A newline in a path never breaks a table row.
        rows = [line for line in text.splitlines() if line.startswith("|")]
        assert all(row.rstrip().endswith("|") for row in rows)


@pytest.mark.parametrize("format_name", registry.names(Output.SBOM))
def test_sbom_in_every_format_is_written_and_valid(
    scanned: tuple[HostileTree, Path, str], format_name: str, tmp_path: Path
) -> None:
    _, result, _ = scanned
    out = tmp_path / "sbom"
    done = CliRunner().invoke(
        main, ["sbom", "-q", "--files", "--format", format_name, "-o", str(out), str(result)]
    )
    assert done.exit_code == 0, done.stderr
    assert "Traceback" not in done.stderr
    text = out.read_text(encoding="utf-8")
    assert text
    if format_name == "spdx-tv":
        from ospo_scan.sbom.spdx import tag_value_parser  # noqa: PLC0415

        document = tag_value_parser().parse(text)
        assert document.files
        # The name that tried to inject a tag is one file name, not a tag of its own.
        injected = [line for line in text.splitlines() if line == "LicenseConcluded: MIT"]
        assert len(injected) <= sum(1 for f in document.files if str(f.license_concluded) == "MIT")
    if format_name.endswith("json"):
        json.load(io.StringIO(text))
