# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""The result document: schema validity, and reading a saved result back without a rescan."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from ospo_scan.document import load_result, result_schema, to_json
from ospo_scan.errors import ResultFileError
from ospo_scan.model import SCHEMA_VERSION, ScanResult
from ospo_scan.scan.options import ScanOptions
from ospo_scan.scan.pipeline import scan


def validate(document: object) -> None:
    validator = jsonschema.Draft202012Validator(
        result_schema(), format_checker=jsonschema.FormatChecker()
    )
    validator.validate(document)


def test_schema_is_a_valid_json_schema() -> None:
    jsonschema.Draft202012Validator.check_schema(result_schema())


def test_output_validates_against_the_shipped_schema(fake_repo_result: ScanResult) -> None:
    document = json.loads(to_json(fake_repo_result))
    assert document["schema_version"] == SCHEMA_VERSION
    validate(document)


def test_schema_rejects_a_broken_document(fake_repo_result: ScanResult) -> None:
    document = json.loads(to_json(fake_repo_result))
    document["files"][0]["license_detections"] = [{"kind": "vibes"}]
    with pytest.raises(jsonschema.ValidationError):
        validate(document)


def test_round_trip_without_rescan(fake_repo_result: ScanResult, tmp_path: Path) -> None:
    saved = tmp_path / "result.json"
    saved.write_text(to_json(fake_repo_result), encoding="utf-8")
    loaded = load_result(saved)
    assert loaded == fake_repo_result
    assert to_json(loaded) == to_json(fake_repo_result)


def test_unknown_top_level_sections_are_kept(fake_repo_result: ScanResult, tmp_path: Path) -> None:
    document = json.loads(to_json(fake_repo_result))
    document["future_section"] = {"x": 1}
    saved = tmp_path / "result.json"
    saved.write_text(json.dumps(document), encoding="utf-8")
    assert load_result(saved).to_dict()["future_section"] == {"x": 1}


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("not json", "not a JSON result document"),
        ("[1, 2]", "no schema_version"),
        ('{"schema_version": "9.0.0"}', "schema version 9.0.0"),
        ('{"schema_version": "1.0.0", "tool": {}}', "not a valid ospo-scan result document"),
    ],
)
def test_bad_result_files_are_refused(tmp_path: Path, content: str, message: str) -> None:
    saved = tmp_path / "result.json"
    saved.write_text(content, encoding="utf-8")
    with pytest.raises(ResultFileError, match=message):
        load_result(saved)


def test_missing_result_file(tmp_path: Path) -> None:
    with pytest.raises(ResultFileError, match="cannot read"):
        load_result(tmp_path / "nope.json")


def test_undecodable_file_names_still_make_valid_json(tmp_path: Path) -> None:
    (tmp_path / b"caf\xe9.txt".decode("utf-8", "surrogateescape")).write_text("hello\n")
    result = scan(tmp_path, ScanOptions(jobs=1))
    text = to_json(result)
    document = json.loads(text)
    validate(document)
    assert document["files"][0]["path"] == "caf\udce9.txt"


def test_each_record_is_one_line_of_an_indented_document(fake_repo_result: ScanResult) -> None:
    text = to_json(fake_repo_result)
    assert json.loads(text) == json.loads(json.dumps(fake_repo_result.to_dict()))
    lines = text.splitlines()
    assert lines[0] == "{"
    assert lines[1] == f'  "schema_version": "{SCHEMA_VERSION}",'
    assert '    "version": ' in text  # the tool section is indented
    records = [line for line in lines if line.startswith('    {"path": ')]
    assert len(records) == len(fake_repo_result.files)
    for line, record in zip(records, fake_repo_result.files, strict=True):
        assert json.loads(line.rstrip(",")) == json.loads(json.dumps(record.to_dict()))
