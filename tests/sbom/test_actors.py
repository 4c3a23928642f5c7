# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""Suppliers typed person or organisation, and the document's creator, in both formats."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

import pytest
from cyclonedx.schema import OutputFormat, SchemaVersion
from cyclonedx.validation import make_schemabased_validator
from spdx_tools.spdx.parser.jsonlikedict.json_like_dict_parser import JsonLikeDictParser
from spdx_tools.spdx.validation.document_validator import validate_full_spdx_document

from ospo_scan.model import ScanResult
from ospo_scan.sbom import SbomOptions, render_sbom
from ospo_scan.sbom.actors import Actor, ActorKind, parse_actor
from ospo_scan.sbom.spdx import PROJECT_ID, package_spdx_id
from sbom_support import ACCEPTS, EXPRESS

PERSON, ORGANIZATION = ActorKind.PERSON, ActorKind.ORGANIZATION


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A person: name and e-mail, as npm, PyPI and Cargo write an author ...
        ("Jane Doe <jane@example.com>", Actor(PERSON, "Jane Doe", "jane@example.com")),
        (
            "  TJ   Holowaychuk <tj@vision-media.ca> ",
            Actor(PERSON, "TJ Holowaychuk", "tj@vision-media.ca"),
        ),
        ("jdoe <jdoe@example.org>", Actor(PERSON, "jdoe", "jdoe@example.org")),
        # ... or a name alone, of two to four words.
        ("Douglas Christopher Wilson", Actor(PERSON, "Douglas Christopher Wilson")),
        ("John-David Dalton", Actor(PERSON, "John-David Dalton")),
        ("Zoë Müller", Actor(PERSON, "Zoë Müller")),
        # An organisation: a word that names a company or a collective, e-mail or not ...
        ("OpenJS Foundation", Actor(ORGANIZATION, "OpenJS Foundation")),
        ("ACME Corp", Actor(ORGANIZATION, "ACME Corp")),
        ("Example GmbH <info@example.de>", Actor(ORGANIZATION, "Example GmbH", "info@example.de")),
        ("The Rust Project Developers", Actor(ORGANIZATION, "The Rust Project Developers")),
        ("Microsoft Corp.", Actor(ORGANIZATION, "Microsoft Corp.")),
        ("Pallets Team", Actor(ORGANIZATION, "Pallets Team")),
        # ... or anything that is not a person's name: one word, a handle, digits.
        ("Pallets", Actor(ORGANIZATION, "Pallets")),
        ("pillarjs", Actor(ORGANIZATION, "pillarjs")),
        ("Team 42 Builders", Actor(ORGANIZATION, "Team 42 Builders")),
        ("Web 2 Solutions", Actor(ORGANIZATION, "Web 2 Solutions")),
    ],
)
def test_supplier_typing_rule(text: str, expected: Actor) -> None:
    assert parse_actor(text) == expected


@pytest.mark.parametrize("text", [None, "", "   "])
def test_no_supplier(text: str | None) -> None:
    assert parse_actor(text) is None


def _with_suppliers(result: ScanResult) -> ScanResult:
    """``result``'s packages, express supplied by a person and accepts by an organisation."""
    suppliers = {EXPRESS: "TJ Holowaychuk", ACCEPTS: "jshttp Contributors"}
    packages = tuple(
        dataclasses.replace(p, supplier=suppliers.get(p.purl, p.supplier)) for p in result.packages
    )
    return dataclasses.replace(result, packages=packages)


def _spdx(result: ScanResult, **options: Any) -> dict[str, Any]:
    text = render_sbom(result, "spdx-json", SbomOptions(reproducible=True, **options))
    data: dict[str, Any] = json.loads(text)
    assert validate_full_spdx_document(JsonLikeDictParser().parse(json.loads(text))) == []
    return data


def _cdx(result: ScanResult, **options: Any) -> dict[str, Any]:
    text = render_sbom(result, "cyclonedx-json", SbomOptions(reproducible=True, **options))
    validator = make_schemabased_validator(OutputFormat.JSON, SchemaVersion.V1_6)
    assert validator.validate_str(text, all_errors=True) is None
    data: dict[str, Any] = json.loads(text)
    return data


def test_spdx_suppliers_are_persons_or_organizations(rich_result: ScanResult) -> None:
    packages = {p["SPDXID"]: p for p in _spdx(_with_suppliers(rich_result))["packages"]}

    assert packages[PROJECT_ID]["supplier"] == "Person: Jane Doe (jane@example.com)"
    assert packages[package_spdx_id(EXPRESS)]["supplier"] == "Person: TJ Holowaychuk"
    assert packages[package_spdx_id(ACCEPTS)]["supplier"] == "Organization: jshttp Contributors"


def test_cyclonedx_suppliers_are_persons_or_organizations(rich_result: ScanResult) -> None:
    bom = _cdx(_with_suppliers(rich_result))
    components = {c["bom-ref"]: c for c in bom["components"]}

    # A person supplies as their own contact, and is the component's author.
    express = components[EXPRESS]
    assert express["supplier"] == {
        "name": "TJ Holowaychuk",
        "contact": [{"name": "TJ Holowaychuk"}],
    }
    assert express["authors"] == [{"name": "TJ Holowaychuk"}]
    # An organisation is an entity without authors.
    accepts = components[ACCEPTS]
    assert accepts["supplier"] == {"name": "jshttp Contributors"}
    assert "authors" not in accepts
    root = bom["metadata"]["component"]
    assert root["authors"] == [{"name": "Jane Doe", "email": "jane@example.com"}]


def test_the_creator_by_default_is_the_tools(fake_result: ScanResult) -> None:
    creation = _spdx(fake_result)["creationInfo"]

    assert creation["creators"] == ["Tool: ospo-scan-0.1.0", "Tool: scancode-toolkit-32.5.0"]
    assert "SBOM type: Source" in creation["comment"]
    assert "manufacturer" not in _cdx(fake_result)["metadata"]


def test_creator_organization_with_an_email(fake_result: ScanResult) -> None:
    options = {"creator_organization": "ACME Corp", "creator_contact": "sbom@acme.example"}

    creation = _spdx(fake_result, **options)["creationInfo"]
    metadata = _cdx(fake_result, **options)["metadata"]

    assert creation["creators"][0] == "Organization: ACME Corp (sbom@acme.example)"
    assert creation["creators"][1:] == ["Tool: ospo-scan-0.1.0", "Tool: scancode-toolkit-32.5.0"]
    assert "Contact:" not in creation["comment"]
    assert metadata["manufacturer"] == {
        "name": "ACME Corp",
        "contact": [{"email": "sbom@acme.example"}],
    }
    assert metadata["lifecycles"] == [{"phase": "pre-build"}]


def test_creator_organization_with_a_url(fake_result: ScanResult) -> None:
    options = {"creator_organization": "ACME Corp", "creator_contact": "https://acme.example/sbom"}

    creation = _spdx(fake_result, **options)["creationInfo"]
    metadata = _cdx(fake_result, **options)["metadata"]

    # An SPDX creator has room for an e-mail address only: the URL goes in the comment.
    assert creation["creators"][0] == "Organization: ACME Corp"
    assert "Contact: https://acme.example/sbom" in creation["comment"]
    assert metadata["manufacturer"] == {"name": "ACME Corp", "url": ["https://acme.example/sbom"]}
