# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""CycloneDX 1.6 export: schema validation, components, licenses and the dependency graph."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from dataclasses import replace
from typing import Any

import pytest
from cyclonedx.schema import OutputFormat, SchemaVersion
from cyclonedx.validation import make_schemabased_validator
from cyclonedx.validation.json import JsonStrictValidator

from ospo_scan.evaluate import evaluate
from ospo_scan.model import ScanResult
from ospo_scan.policy.load import policy_from_yaml
from ospo_scan.sbom import SBOM_FORMATS, SbomOptions, render_sbom
from ospo_scan.sbom.cyclonedx import _validation_errors
from sbom_support import (
    ACCEPTS,
    EXPRESS,
    FSEVENTS,
    JEST,
    MOCHA,
    PREFER_MIT,
    PROJECT,
    TSC,
)


def _bom(result: ScanResult, *, files: bool = False) -> dict[str, Any]:
    options = SbomOptions(include_files=files, reproducible=True)
    data: dict[str, Any] = json.loads(render_sbom(result, "cyclonedx-json", options))
    return data


@pytest.mark.parametrize(
    ("format_name", "output_format"),
    [("cyclonedx-json", OutputFormat.JSON), ("cyclonedx-xml", OutputFormat.XML)],
)
@pytest.mark.parametrize("files", [False, True])
def test_both_formats_validate_against_the_1_6_schema(
    rich_result: ScanResult, format_name: str, output_format: OutputFormat, files: bool
) -> None:
    text = render_sbom(rich_result, format_name, SbomOptions(include_files=files))

    validator = (
        JsonStrictValidator(SchemaVersion.V1_6)
        if output_format is OutputFormat.JSON
        else make_schemabased_validator(output_format, SchemaVersion.V1_6)
    )
    assert validator.validate_str(text, all_errors=True) is None
    if output_format is OutputFormat.XML:
        root = ET.fromstring(text)  # noqa: S314 -- our own output
        assert root.tag == "{http://cyclonedx.org/schema/bom/1.6}bom"
    else:
        assert json.loads(text)["specVersion"] == "1.6"


def test_metadata_names_the_tool_the_time_and_the_project(fake_result: ScanResult) -> None:
    bom = _bom(fake_result)

    meta = bom["metadata"]
    assert meta["timestamp"].startswith("1970-01-01T00:00:00")
    tools = {(t["name"], t["version"]) for t in meta["tools"]["components"]}
    assert ("ospo-scan", "0.1.0") in tools
    assert ("scancode-toolkit", "32.5.0") in tools
    assert meta["component"]["name"] == "fake_repo"
    assert bom["serialNumber"].startswith("urn:uuid:")


def test_files_are_components_with_hashes_licenses_and_copyrights(
    fake_result: ScanResult,
) -> None:
    bom = _bom(fake_result, files=True)

    files = {c["name"]: c for c in bom["components"] if c["type"] == "file"}
    assert set(files) == {f.path for f in fake_result.files if f.sha1}
    lib = files["src/lib.py"]
    assert {h["alg"] for h in lib["hashes"]} == {"SHA-1", "SHA-256"}
    assert lib["licenses"] == [{"acknowledgement": "declared", "expression": "MIT OR Apache-2.0"}]
    assert "Jane Doe" in lib["copyright"]


def test_packages_become_components_with_purl_licenses_and_supplier(
    rich_result: ScanResult,
) -> None:
    bom = _bom(rich_result)

    meta = bom["metadata"]["component"]
    assert (meta["name"], meta["version"], meta["purl"]) == ("demo-app", "1.2.3", PROJECT)
    components = {c["bom-ref"]: c for c in bom["components"]}
    assert set(components) == {EXPRESS, ACCEPTS, MOCHA, FSEVENTS, TSC, JEST}
    express = components[EXPRESS]
    assert express["purl"] == EXPRESS
    assert express["version"] == "4.21.2"
    assert express["supplier"] == {"name": "OpenJS Foundation"}
    assert express["licenses"] == [{"license": {"acknowledgement": "concluded", "id": "MIT"}}]
    assert express["copyright"] == "Copyright (c) 2009-2014 TJ Holowaychuk"
    assert express["scope"] == "required"
    assert components[MOCHA]["scope"] == "excluded"  # a dev dependency does not ship
    assert components[FSEVENTS]["scope"] == "optional"
    assert components[MOCHA]["licenses"] == [
        {"license": {"acknowledgement": "declared", "id": "MIT-open-group"}}
    ]
    jest = components[JEST]
    assert (jest["group"], jest["name"]) == ("@jest", "core")
    # The same SPDX 2.3-safe form as the SPDX document: no WITH LicenseRef-.
    assert components[ACCEPTS]["licenses"][0]["expression"] == (
        "LicenseRef-ospo-GPL-2.0-or-later-WITH-scancode-proguard-exception-2.0"
    )


def test_dependency_graph(rich_result: ScanResult) -> None:
    bom = _bom(rich_result)

    graph = {d["ref"]: set(d.get("dependsOn", [])) for d in bom["dependencies"]}
    assert graph[PROJECT] == {EXPRESS, MOCHA, FSEVENTS, TSC, JEST}
    assert graph[EXPRESS] == {ACCEPTS}
    assert graph[ACCEPTS] == set()


def test_reproducible_bom_is_byte_identical(rich_result: ScanResult) -> None:
    options = SbomOptions(include_files=True, reproducible=True)

    assert render_sbom(rich_result, "cyclonedx-xml", options) == render_sbom(
        rich_result, "cyclonedx-xml", options
    )
    plain = json.loads(render_sbom(rich_result, "cyclonedx-json", environ={}))
    again = json.loads(render_sbom(rich_result, "cyclonedx-json", environ={}))
    assert plain["serialNumber"] != again["serialNumber"]


def test_a_policy_concludes_the_elected_alternative(rich_result: ScanResult) -> None:
    report = evaluate(rich_result, policy_from_yaml(PREFER_MIT, "prefer-mit.yml"))

    bom = json.loads(render_sbom(rich_result, "cyclonedx-json", policy_report=report))

    assert bom["metadata"]["component"]["licenses"] == [
        {"license": {"acknowledgement": "concluded", "id": "MIT"}}
    ]


def test_the_schema_check_catches_unknown_fields_and_duplicates(rich_result: ScanResult) -> None:
    data = json.loads(render_sbom(rich_result, "cyclonedx-json"))
    assert _validation_errors(json.dumps(data), OutputFormat.JSON) == []

    data["frobnicate"] = True  # the strict schema allows no unknown property
    data["components"].append(data["components"][0])
    errors = _validation_errors(json.dumps(data), OutputFormat.JSON)

    assert any("frobnicate" in e for e in errors)
    assert any(e.startswith("components: ") and "more than once" in e for e in errors)
    library = JsonStrictValidator(SchemaVersion.V1_6).validate_str(json.dumps(data))
    assert library is not None  # the library's own validator agrees that it is invalid


@pytest.mark.parametrize("format_name", SBOM_FORMATS)
@pytest.mark.parametrize(
    "url",
    [
        "https://example.com/100%",  # a lone percent sign: the library's XsUri refuses it
        "https://example.com/a#b#c",  # two fragments
        "https://exa mple.com/\x01",  # a control character
        "javascript:alert(1)<x>",
        "not a url at all",
        "\ufeffhttps://example.com",
    ],
)
def test_a_package_url_that_is_no_uri_is_left_out_not_a_crash(
    rich_result: ScanResult, format_name: str, url: str
) -> None:
    """Metadata comes from the scanned tree: a homepage or download URL the CycloneDX model
    or schema refuses loses that link only; the SBOM is written and valid (in every format:
    the SPDX writers are held to the same)."""
    package = next(p for p in rich_result.packages if p.purl == EXPRESS)
    broken = replace(
        rich_result,
        packages=tuple(
            replace(p, homepage_url=url, download_url=url) if p is package else p
            for p in rich_result.packages
        ),
    )
    text = render_sbom(broken, format_name, SbomOptions(reproducible=True))
    if format_name == "cyclonedx-json":
        component = next(c for c in json.loads(text)["components"] if c.get("purl") == package.purl)
        assert all(ref["url"] != url for ref in component.get("externalReferences", ()))
