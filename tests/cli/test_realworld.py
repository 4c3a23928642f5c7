# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""``ospo-scan scan`` on real code fetched from PyPI at test time."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
from click.testing import CliRunner

from ospo_scan.cli.main import main
from ospo_scan.document import load_result, result_schema
from ospo_scan.formats import registry
from ospo_scan.formats.base import Output


def test_requests_sdist(requests_sdist: Path, tmp_path: Path) -> None:
    saved = tmp_path / "requests.json"
    result = CliRunner().invoke(
        main, ["scan", "-q", "-j", "2", "-o", str(saved), str(requests_sdist)]
    )
    assert result.exit_code == 0, result.stderr
    document = json.loads(saved.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(result_schema()).validate(document)
    files = {f["path"]: f for f in document["files"]}
    assert files["LICENSE"]["license_expression_spdx"] == "Apache-2.0"
    assert "Kenneth Reitz" in document["summary"]["holder_counts"]
    assert document["summary"]["files_with_errors"] == 0
    assert document["summary"]["files"] == len(files) > 30

    # The table of the same result (read back, not rescanned) shows the same facts.
    table = registry.get(Output.SCAN, "table").render(load_result(saved), width=120)
    assert "Apache-2.0" in table
    assert "LICENSE" in table
    assert "Kenneth Reitz" in table
