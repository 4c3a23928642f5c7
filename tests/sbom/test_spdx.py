# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""SPDX 2.3 export: validation of every format, the round trip, licenses and relationships."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest
from spdx_tools.spdx.model.relationship import Relationship, RelationshipType
from spdx_tools.spdx.parser.parse_anything import parse_file
from spdx_tools.spdx.validation.document_validator import validate_full_spdx_document

from ospo_scan.engine.catalog import license_texts
from ospo_scan.errors import SbomError
from ospo_scan.evaluate import evaluate
from ospo_scan.licensing import licensing
from ospo_scan.model import DependencyScope, FileStatus, ScanResult
from ospo_scan.policy.load import policy_from_yaml
from ospo_scan.sbom import SBOM_FORMATS, SbomOptions, render_sbom
from ospo_scan.sbom.licenses import LicenseNormalizer
from ospo_scan.sbom.spdx import (
    PROJECT_ID,
    package_spdx_id,
    serialize_spdx,
    to_spdx_document,
    verification_code,
)
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

EXTENSIONS = {
    "spdx-json": ".spdx.json",
    "spdx-tv": ".spdx",
    "spdx-yaml": ".spdx.yaml",
    "spdx-xml": ".spdx.xml",
    "spdx-rdf": ".rdf.xml",
}


def _json(result: ScanResult, *, files: bool = False) -> dict[str, Any]:
    text = render_sbom(result, "spdx-json", SbomOptions(include_files=files, reproducible=True))
    data: dict[str, Any] = json.loads(text)
    return data


def _canon(expression: object) -> str:
    return str(licensing().parse(str(expression)).simplify())


def _relationships(doc: dict[str, Any]) -> set[tuple[str, str, str]]:
    return {
        (r["spdxElementId"], r["relationshipType"], r["relatedSpdxElement"])
        for r in doc["relationships"]
    }


# spdx-tools' tag-value parser (ply) builds its tables on first use and leaves the debug
# file it writes open; the ResourceWarning is theirs, not ours.
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
@pytest.mark.parametrize("format_name", sorted(EXTENSIONS))
def test_every_format_validates_and_parses_back_the_same(
    rich_result: ScanResult, format_name: str, tmp_path: Path
) -> None:
    text = render_sbom(rich_result, format_name, SbomOptions(include_files=True))
    written = tmp_path / f"bom{EXTENSIONS[format_name]}"
    written.write_text(text, encoding="utf-8")

    parsed = parse_file(str(written))

    assert validate_full_spdx_document(parsed) == []
    reference = _json(rich_result, files=True)
    assert sorted(p.spdx_id for p in parsed.packages) == sorted(
        p["SPDXID"] for p in reference["packages"]
    )
    assert {(p.name, p.version) for p in parsed.packages} == {
        (p["name"], p.get("versionInfo")) for p in reference["packages"]
    }
    assert {
        (r.spdx_element_id, r.relationship_type.name, r.related_spdx_element_id)
        for r in parsed.relationships
    } == _relationships(reference)
    # RDF keeps the operands of OR and AND as a set: compare expressions, not strings.
    assert {_canon(p.license_declared) for p in parsed.packages} == {
        _canon(p["licenseDeclared"]) for p in reference["packages"]
    }
    assert {_canon(p.license_concluded) for p in parsed.packages} == {
        _canon(p["licenseConcluded"]) for p in reference["packages"]
    }
    hashed = [f for f in rich_result.files if f.sha1]
    assert len(parsed.files) == len(hashed)
    assert {e.license_id for e in parsed.extracted_licensing_info} == {
        e["licenseId"] for e in reference["hasExtractedLicensingInfos"]
    }


def test_creation_info_and_the_described_project(fake_result: ScanResult) -> None:
    doc = _json(fake_result)

    assert doc["spdxVersion"] == "SPDX-2.3"
    assert doc["dataLicense"] == "CC0-1.0"
    assert "Tool: ospo-scan-0.1.0" in doc["creationInfo"]["creators"]
    assert "Tool: scancode-toolkit-32.5.0" in doc["creationInfo"]["creators"]
    assert doc["creationInfo"]["created"] == "1970-01-01T00:00:00Z"  # --reproducible
    assert doc["documentNamespace"].startswith("https://spdx.org/spdxdocs/ospo-scan/fake_repo-")
    assert ("SPDXRef-DOCUMENT", "DESCRIBES", PROJECT_ID) in _relationships(doc)
    (project,) = doc["packages"]
    # No manifest in the fake repository: the folder names the project.
    assert project["name"] == "fake_repo"
    assert project["supplier"] == "NOASSERTION"
    assert project["downloadLocation"] == "NOASSERTION"
    # Concluded, as a package's detected license is, from the license files at the root;
    # the license comment names them.
    assert project["licenseConcluded"] == "Apache-2.0 AND MIT"
    assert "LICENSE-APACHE, LICENSE-MIT" in project["licenseComments"]
    # The project's copyright: the statements found in its own files, not NOASSERTION.
    own = {c.statement for f in fake_result.files for c in f.copyrights}
    assert set(project["copyrightText"].split("\n")) == own
    assert project["filesAnalyzed"] is True
    assert {"MIT", "Apache-2.0", "GPL-3.0-only"} <= set(project["licenseInfoFromFiles"])


def test_verification_code_follows_the_spdx_algorithm(fake_result: ScanResult) -> None:
    doc = _json(fake_result)

    sha1s = sorted(f.sha1 for f in fake_result.files if f.sha1)
    expected = hashlib.sha1("".join(sha1s).encode()).hexdigest()  # noqa: S324 -- SPDX's algorithm
    code = doc["packages"][0]["packageVerificationCode"]["packageVerificationCodeValue"]
    assert code == expected
    assert verification_code(fake_result.files)[0] == expected


def test_files_carry_both_checksums_licenses_and_copyrights(fake_result: ScanResult) -> None:
    doc = _json(fake_result, files=True)

    by_name = {f["fileName"]: f for f in doc["files"]}
    assert set(by_name) == {f"./{f.path}" for f in fake_result.files if f.sha1}
    for entry in doc["files"]:
        assert {c["algorithm"] for c in entry["checksums"]} == {"SHA1", "SHA256"}
        assert ("SPDXRef-Project", "CONTAINS", entry["SPDXID"]) in _relationships(doc)
    lib = by_name["./src/lib.py"]
    assert set(lib["licenseInfoInFiles"]) == {"MIT", "Apache-2.0"}
    assert "Jane Doe" in lib["copyrightText"]
    assert by_name["./vendor/gplthing/thing.c"]["licenseInfoInFiles"] == ["GPL-3.0-only"]
    assert by_name["./data/empty.txt"]["licenseInfoInFiles"] == ["NONE"]
    skipped = [f for f in fake_result.files if f.status is FileStatus.SKIPPED and f.sha1]
    for record in skipped:  # the binary logo: not scanned, so nothing can be asserted
        assert by_name[f"./{record.path}"]["licenseInfoInFiles"] == ["NOASSERTION"]


def test_without_files_the_document_lists_no_files(fake_result: ScanResult) -> None:
    doc = _json(fake_result)

    assert doc.get("files", []) == []


def test_packages_and_dependencies_map_to_spdx_packages(rich_result: ScanResult) -> None:
    doc = _json(rich_result)

    packages = {p["SPDXID"]: p for p in doc["packages"]}
    project = packages[PROJECT_ID]
    assert (project["name"], project["versionInfo"]) == ("demo-app", "1.2.3")
    assert project["supplier"] == "Person: Jane Doe (jane@example.com)"
    assert project["licenseDeclared"] == "MIT OR Apache-2.0"
    assert project["externalRefs"] == [
        {
            "referenceCategory": "PACKAGE_MANAGER",
            "referenceLocator": PROJECT,
            "referenceType": "purl",
        }
    ]
    express = packages[package_spdx_id(EXPRESS)]
    assert express["supplier"] == "Organization: OpenJS Foundation"
    assert express["downloadLocation"].endswith("express-4.21.2.tgz")
    assert express["licenseConcluded"] == "MIT"
    assert express["copyrightText"] == "Copyright (c) 2009-2014 TJ Holowaychuk"
    jest = packages[package_spdx_id(JEST)]
    assert (jest["name"], jest["versionInfo"]) == ("@jest/core", "29.7.0")
    tsc = packages[package_spdx_id(TSC)]
    # Nothing known about it: NOASSERTION everywhere, and no version at all.
    assert "versionInfo" not in tsc
    for field in ("supplier", "downloadLocation", "licenseDeclared", "licenseConcluded"):
        assert tsc[field] == "NOASSERTION", field
    # Every package has a name, a unique id and a purl (NTIA minimum elements).
    assert len(packages) == 7
    for package in doc["packages"]:
        assert package["name"]
        assert package.get("supplier")
        if package["SPDXID"] != PROJECT_ID:
            assert package["externalRefs"][0]["referenceType"] == "purl"


def test_dependency_graph_becomes_relationships(rich_result: ScanResult) -> None:
    doc = _json(rich_result)

    assert _relationships(doc) == {
        ("SPDXRef-DOCUMENT", "DESCRIBES", PROJECT_ID),
        (PROJECT_ID, "CONTAINS", package_spdx_id(EXPRESS)),
        (PROJECT_ID, "CONTAINS", package_spdx_id(ACCEPTS)),
        (PROJECT_ID, "DEPENDS_ON", package_spdx_id(EXPRESS)),
        (package_spdx_id(EXPRESS), "DEPENDS_ON", package_spdx_id(ACCEPTS)),
        (package_spdx_id(MOCHA), "DEV_DEPENDENCY_OF", PROJECT_ID),
        (package_spdx_id(FSEVENTS), "OPTIONAL_DEPENDENCY_OF", PROJECT_ID),
        (package_spdx_id(TSC), "BUILD_DEPENDENCY_OF", PROJECT_ID),
        (package_spdx_id(JEST), "TEST_DEPENDENCY_OF", PROJECT_ID),
        # Every scoped edge is also a DEPENDS_ON from the dependent, with the scope in its
        # comment, so that walking down from the document reaches every package.
        (PROJECT_ID, "DEPENDS_ON", package_spdx_id(MOCHA)),
        (PROJECT_ID, "DEPENDS_ON", package_spdx_id(FSEVENTS)),
        (PROJECT_ID, "DEPENDS_ON", package_spdx_id(TSC)),
        (PROJECT_ID, "DEPENDS_ON", package_spdx_id(JEST)),
    }
    comments = {
        r["relatedSpdxElement"]: r.get("comment")
        for r in doc["relationships"]
        if r["relationshipType"] == "DEPENDS_ON" and r["spdxElementId"] == PROJECT_ID
    }
    assert comments[package_spdx_id(MOCHA)] == "dev dependency: see DEV_DEPENDENCY_OF"
    assert comments[package_spdx_id(JEST)] == "test dependency: see TEST_DEPENDENCY_OF"
    assert comments[package_spdx_id(EXPRESS)] is None


def test_a_scoped_edge_beside_a_runtime_one_adds_no_second_depends_on(
    rich_result: ScanResult,
) -> None:
    express = next(d for d in rich_result.dependencies if d.purl == EXPRESS)
    also_dev = dataclasses.replace(express, scope=DependencyScope.DEV)
    result = dataclasses.replace(rich_result, dependencies=(*rich_result.dependencies, also_dev))

    relationships = [
        (r["spdxElementId"], r["relationshipType"], r["relatedSpdxElement"])
        for r in _json(result)["relationships"]
    ]

    assert relationships.count((PROJECT_ID, "DEPENDS_ON", package_spdx_id(EXPRESS))) == 1
    assert (package_spdx_id(EXPRESS), "DEV_DEPENDENCY_OF", PROJECT_ID) in relationships


def test_licenses_are_rewritten_into_valid_spdx_with_their_texts(rich_result: ScanResult) -> None:
    text = render_sbom(rich_result, "spdx-json", SbomOptions(include_files=True))
    doc = json.loads(text)
    packages = {p["SPDXID"]: p for p in doc["packages"]}
    extracted = {e["licenseId"]: e for e in doc["hasExtractedLicensingInfos"]}

    accepts = packages[package_spdx_id(ACCEPTS)]
    assert accepts["licenseDeclared"] == "GPL-2.0-only"  # deprecated GPL-2.0 replaced
    combined = "LicenseRef-ospo-GPL-2.0-or-later-WITH-scancode-proguard-exception-2.0"
    assert accepts["licenseConcluded"] == combined
    assert "GNU General Public License" in extracted[combined]["extractedText"]
    assert "ProGuard" in extracted[combined]["extractedText"]
    assert "GPL-2.0-or-later" in extracted[combined]["comment"]
    assert packages[package_spdx_id(MOCHA)]["licenseDeclared"] == "MIT-open-group"
    foo = packages[package_spdx_id(FSEVENTS)]["licenseDeclared"]
    assert foo == "LicenseRef-ospo-Foo-Public-License"
    assert re.search(r"WITH\s+LicenseRef-", text) is None
    fields = [
        value
        for element in [*doc["packages"], *doc["files"]]
        for key in ("licenseDeclared", "licenseConcluded")
        if (value := element.get(key))
    ]
    fields += [
        value
        for element in [*doc["packages"], *doc["files"]]
        for key in ("licenseInfoFromFiles", "licenseInfoInFiles")
        for value in element.get(key, [])
    ]
    used = {ref for value in fields for ref in re.findall(r"LicenseRef-[A-Za-z0-9.-]+", value)}
    assert used == set(extracted)
    for entry in extracted.values():
        assert entry["name"]
        assert entry["extractedText"].strip()


def test_license_normalizer_rules() -> None:
    normalizer = LicenseNormalizer(license_texts())

    assert normalizer.normalize("GPL-2.0+ OR MIT") == "GPL-2.0-or-later OR MIT"
    assert (
        normalizer.normalize("Apache-2.0 WITH LLVM-exception") == "Apache-2.0 WITH LLVM-exception"
    )
    assert normalizer.normalize("  ") is None
    assert normalizer.normalize("mit OR apache-2.0") == "MIT OR Apache-2.0"
    assert normalizer.normalize("gpl-2.0") == "GPL-2.0-only"
    assert normalizer.normalize("MIT AND (BSD-3-Clause OR LicenseRef-scancode-public-domain)") == (
        "MIT AND (BSD-3-Clause OR LicenseRef-scancode-public-domain)"
    )
    ids = {e.license_id for e in normalizer.extracted()}
    assert ids == {"LicenseRef-scancode-public-domain"}


def test_an_invalid_document_is_refused_with_the_findings(fake_result: ScanResult) -> None:
    document = to_spdx_document(
        fake_result,
        created=datetime(2026, 1, 1, tzinfo=timezone.utc),
        namespace="not a namespace#with-a-fragment",
        normalizer=LicenseNormalizer(license_texts()),
    )

    with pytest.raises(SbomError, match="failed validation") as caught:
        serialize_spdx(document, "spdx-json")
    assert "document_namespace" in str(caught.value)


def test_reproducible_output_is_identical_and_tracks_the_content(rich_result: ScanResult) -> None:
    options = SbomOptions(include_files=True, reproducible=True)
    first = render_sbom(rich_result, "spdx-tv", options)
    again = render_sbom(rich_result, "spdx-tv", options)
    without_deps = render_sbom(
        rich_result.__class__(
            **{
                **{f: getattr(rich_result, f) for f in rich_result.__dataclass_fields__},
                "dependencies": (),
            }
        ),
        "spdx-tv",
        options,
    )

    assert first == again
    namespace = re.compile(r"^DocumentNamespace: (.*)$", re.MULTILINE)
    assert namespace.findall(first) != namespace.findall(without_deps)


def test_source_date_epoch_fixes_the_time(fake_result: ScanResult) -> None:
    text = render_sbom(fake_result, "spdx-json", environ={"SOURCE_DATE_EPOCH": "1767225600"})

    assert json.loads(text)["creationInfo"]["created"] == "2026-01-01T00:00:00Z"


def test_without_reproducible_each_document_is_unique(fake_result: ScanResult) -> None:
    one = json.loads(render_sbom(fake_result, "spdx-json", environ={}))
    two = json.loads(render_sbom(fake_result, "spdx-json", environ={}))

    assert one["documentNamespace"] != two["documentNamespace"]
    assert one["creationInfo"]["created"] != "1970-01-01T00:00:00Z"


def test_bad_source_date_epoch_is_a_clear_error(fake_result: ScanResult) -> None:
    with pytest.raises(SbomError, match="SOURCE_DATE_EPOCH"):
        render_sbom(fake_result, "spdx-json", environ={"SOURCE_DATE_EPOCH": "yesterday"})


def test_a_relationship_to_a_missing_element_is_still_caught(fake_result: ScanResult) -> None:
    """The constant-time id lookup during validation must not hide a dangling reference."""
    document = to_spdx_document(
        fake_result,
        created=datetime(2026, 1, 1, tzinfo=timezone.utc),
        namespace="https://example.com/spdxdocs/x-1",
        normalizer=LicenseNormalizer(license_texts()),
    )
    document.relationships.append(
        Relationship(PROJECT_ID, RelationshipType.DEPENDS_ON, "SPDXRef-nowhere")
    )

    with pytest.raises(SbomError, match="SPDXRef-nowhere"):
        serialize_spdx(document, "spdx-json")


@pytest.mark.parametrize("format_name", SBOM_FORMATS)
def test_a_file_name_that_is_not_utf8_is_written_escaped(
    fake_result: ScanResult, format_name: str
) -> None:
    odd = dataclasses.replace(fake_result.files[0], path="caf\udce9.txt")
    result = dataclasses.replace(fake_result, files=(*fake_result.files, odd))

    text = render_sbom(result, format_name, SbomOptions(include_files=True))

    text.encode("utf-8")  # no lone surrogate left
    assert "caf\\xe9.txt" in text.replace("\\\\", "\\")


def test_a_policy_concludes_the_elected_alternative(rich_result: ScanResult) -> None:
    report = evaluate(rich_result, policy_from_yaml(PREFER_MIT, "prefer-mit.yml"))

    text = render_sbom(rich_result, "spdx-json", policy_report=report, environ={})

    project = json.loads(text)["packages"][0]
    assert project["licenseDeclared"] == "MIT OR Apache-2.0"
    assert project["licenseConcluded"] == "MIT"
    assert "prefer-mit" in project["licenseComments"]
    without = json.loads(render_sbom(rich_result, "spdx-json", environ={}))["packages"][0]
    assert without["licenseConcluded"] == "MIT OR Apache-2.0"
    assert "licenseComments" not in without
