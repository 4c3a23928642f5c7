# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""Reading curations: a policy's ``curations:`` and a ``--curations`` file, and their errors."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from ospo_scan.errors import CurationError, PolicyError
from ospo_scan.policy.curations import curations_from_data, curations_from_file
from ospo_scan.policy.load import policy_from_file
from ospo_scan.policy.model import PinnedFile

ENTRY = {"purl": "pkg:npm/left-pad", "license": "MIT", "reason": "r", "approved_by": "a"}


def errors_of(data: object) -> list[str]:
    with pytest.raises(CurationError) as caught:
        curations_from_data(data, "cur.yml", {})
    return list(caught.value.errors)


def test_license_ids_are_spelt_canonically_and_pins_normalised() -> None:
    [curation] = curations_from_data(
        {
            "curations": [
                {
                    **ENTRY,
                    "license": "mit or (apache-2.0 and gpl-2.0-only with classpath-exception-2.0)",
                    "expires": "2027-06-30",
                    "license_files": [{"path": "./LICENSE", "sha256": "AB" * 32}],
                }
            ]
        },
        "cur.yml",
    )
    assert curation.license == ("MIT OR (Apache-2.0 AND GPL-2.0-only WITH Classpath-exception-2.0)")
    assert curation.expires == dt.date(2027, 6, 30)
    assert curation.license_files == (PinnedFile("LICENSE", "ab" * 32),)
    assert curation.label == "curations[0] (cur.yml:1)"


@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        ({"license": "MIT AND Nope-1.0"}, "unknown license 'Nope-1.0'"),
        ({"license": "MIT WITH Apache-2.0"}, "'Apache-2.0' is not a license exception"),
        ({"license": "MIT AND"}, "invalid license expression 'MIT AND'"),
        ({"path": "vendor/**"}, "a curation names a 'purl' or a 'path', not both"),
        ({"purl": "not-a-purl"}, "invalid purl 'not-a-purl'"),
        ({"expires": "2027-6-30"}, "invalid date '2027-6-30'; write it as YYYY-MM-DD"),
        ({"license_files": []}, "license_files is empty"),
        (
            {"license_files": [{"path": "LICENSE"}]},
            "expected a SHA-256 (64 hex digits), got nothing",
        ),
        ({"licence": "MIT"}, "unknown key 'licence'"),
    ],
)
def test_each_bad_value_is_named(entry: dict[str, object], expected: str) -> None:
    errors = errors_of({"curations": [{**ENTRY, **entry}]})
    assert any(expected in e for e in errors), errors
    assert all(e.startswith("cur.yml: ") for e in errors)


def test_missing_keys_are_all_reported() -> None:
    errors = errors_of({"curations": [{"license": "MIT"}, "just text"]})
    assert errors == [
        "cur.yml: a curation needs 'reason' (why the detected license is wrong) at line 1 "
        "(curations[0])",
        "cur.yml: a curation needs 'approved_by' (who approved the correction) at line 1 "
        "(curations[0])",
        "cur.yml: a curation needs a 'purl' or a 'path' to match at line 1 (curations[0])",
        "cur.yml: expected a mapping, got the string 'just text' at line 1 (curations[1])",
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "the curations file is empty"),
        ("- a\n", "expected a mapping with a 'curations:' list, got a list"),
        ("version: 1\n", "missing key 'curations'"),
        ("curations: []\nwaivers: []\n", "unknown key 'waivers'"),
        ("curations: [\n", "YAML syntax error"),
    ],
)
def test_a_curations_file_that_is_not_one(tmp_path: Path, text: str, expected: str) -> None:
    path = tmp_path / "cur.yml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CurationError, match=expected):
        curations_from_file(path)


def test_extends_adds_the_base_curations_first(tmp_path: Path) -> None:
    entry = "  - purl: pkg:npm/{name}\n    license: MIT\n    reason: r\n    approved_by: a\n"
    (tmp_path / "base.yml").write_text(
        "version: 1\ncurations:\n" + entry.format(name="base"), encoding="utf-8"
    )
    top = tmp_path / "top.yml"
    top.write_text(
        "version: 1\nextends: ./base.yml\ncurations:\n" + entry.format(name="top"),
        encoding="utf-8",
    )
    policy = policy_from_file(top)
    assert [c.purl for c in policy.curations] == ["pkg:npm/base", "pkg:npm/top"]


def test_a_policys_bad_curation_is_a_policy_error(tmp_path: Path) -> None:
    path = tmp_path / "policy.yml"
    path.write_text(
        "version: 1\ncurations:\n  - path: a/**\n    license: Nope\n    reason: r\n"
        "    approved_by: a\n",
        encoding="utf-8",
    )
    with pytest.raises(
        PolicyError, match=r"unknown license 'Nope' at line 4 \(curations\[0\]\.license\)"
    ):
        policy_from_file(path)
