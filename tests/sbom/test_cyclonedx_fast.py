# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""The fast CycloneDX route (issue 14 item 10) writes and judges exactly as the library does.

Each shortcut is compared with cyclonedx-python-lib, py-serializable, jsonschema and minidom
as shipped, on generated inputs with hostile strings: quotes, markup, ampersands, line breaks
of every kind, tabs, non-ASCII and astral characters, long values.
"""

from __future__ import annotations

import copy
import dataclasses
import gc
import json
import random
import uuid
from datetime import datetime, timezone
from typing import Any
from xml.dom.minidom import parseString
from xml.etree import ElementTree

import pytest
from cyclonedx.model import (
    AttachedText,
    ExternalReference,
    ExternalReferenceType,
    HashAlgorithm,
    HashType,
    Property,
    XsUri,
)
from cyclonedx.model.bom import Bom, BomMetaData
from cyclonedx.model.component import Component, ComponentScope, ComponentType
from cyclonedx.model.contact import OrganizationalContact, OrganizationalEntity
from cyclonedx.model.dependency import Dependency as CdxDependency
from cyclonedx.model.license import DisjunctiveLicense, LicenseExpression
from cyclonedx.schema import OutputFormat, SchemaVersion
from cyclonedx.schema.schema import SchemaVersion1Dot6
from cyclonedx.validation.json import JsonStrictValidator

from ospo_scan.errors import SbomError, SbomWarning
from ospo_scan.model import Dependency, DependencyScope, Package, ScanResult
from ospo_scan.sbom import SbomOptions, _patch, render_sbom
from ospo_scan.sbom.cyclonedx_speedups import is_flat, planned_json_encoding
from ospo_scan.sbom.cyclonedx_validation import json_schema_errors
from ospo_scan.sbom.json_indent import dumps
from ospo_scan.sbom.xml_pretty import NotPlain, pretty_xml, verified_python

CREATED = datetime(2026, 1, 1, tzinfo=timezone.utc)

#: Pieces of hostile text; a generated string is a few of them, with plain words between.
HOSTILE = (
    '"',
    "'",
    "<",
    ">",
    "&",
    "&amp;",
    "]]>",
    "<!--",
    "\n",
    "\r\n",
    "\r",
    "\t",
    "  ",
    "\u00e9",
    "\u4e2d\u6587",
    "\U0001f600",
    "\u2028",
    "\\",
    "%",
    "{}",
    "x" * 300,
)

#: What an IRI may hold that XML or JSON escape (a URL that is no IRI fails the schema).
URL_PIECES = ("&", "'", "\u00e9", "\u4e2d", "(x)", "!", "$", "+", ",", ";", "=", "?a=b&c")


def _hostile(rng: random.Random) -> str:
    parts = [rng.choice(HOSTILE) for _ in range(rng.randint(1, 4))]
    return f"w{rng.randint(0, 99)}" + "".join(f"{p}v" for p in parts)


def _hostile_result(base: ScanResult, seed: int, count: int) -> ScanResult:
    """``base`` with a project, ``count`` installed packages and dependencies whose names,
    suppliers, copyrights and URLs are hostile strings."""
    rng = random.Random(seed)  # noqa: S311 -- test data, not a secret
    project = Package(
        purl="pkg:npm/hostile-app@1.0.0",
        type="npm",
        name="hostile-app",
        version="1.0.0",
        root_path="",
        datafile_paths=("package.json",),
        declared_license_spdx="MIT",
        concluded_license_spdx="MIT",
        supplier=_hostile(rng),
        copyright=_hostile(rng),
    )
    licenses = ("MIT", "Apache-2.0 OR MIT", "LicenseRef-scancode-foo", None, "GPL-2.0-only")
    packages = [project]
    dependencies = []
    for i in range(count):
        purl = f"pkg:npm/p{i}@{i}.0"
        packages.append(
            Package(
                purl=purl,
                type="npm",
                name=f"p{i}" if i % 3 else _hostile(rng),
                version=f"{i}.0",
                root_path=f"node_modules/p{i}",
                declared_license_spdx=rng.choice(licenses),
                concluded_license_spdx=rng.choice(licenses),
                supplier=_hostile(rng) if i % 2 else None,
                copyright=_hostile(rng) if i % 4 else None,
                homepage_url=f"https://example.com/{i}?q=a&b={i}"
                if i % 5
                else "https://example.com/" + "".join(rng.sample(URL_PIECES, 4)),
                download_url=f"https://example.com/{i}.tgz" if i % 6 else None,
            )
        )
        dependencies.append(
            Dependency(
                purl=purl if i % 2 else f"pkg:npm/d{i}@{i}.1",
                name=f"p{i}",
                datafile_path="package.json",
                scope=list(DependencyScope)[i % len(DependencyScope)],
                resolved_version=f"{i}.0",
                for_package=project.purl if i % 7 else f"pkg:npm/p{i - 1}@{i - 1}.0",
                resolved_package=purl if i % 2 else None,
                license_spdx=rng.choice(licenses),
            )
        )
    return dataclasses.replace(base, packages=tuple(packages), dependencies=tuple(dependencies))


def _shipped(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every SBOM library, and minidom, as shipped: no speed-up applies."""
    for name in _patch.VERIFIED:
        monkeypatch.setitem(_patch.VERIFIED, name, "0.0.0")
    monkeypatch.setattr(_patch, "_warned", set())


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_both_formats_are_the_library_s_bytes_on_hostile_inputs(
    rich_result: ScanResult, monkeypatch: pytest.MonkeyPatch, seed: int
) -> None:
    result = _hostile_result(rich_result, seed, 40)
    options = SbomOptions(include_files=seed == 1, reproducible=True)
    env = {"SOURCE_DATE_EPOCH": "0"}
    fast = {
        f: render_sbom(result, f, options, environ=env) for f in ("cyclonedx-json", "cyclonedx-xml")
    }
    _shipped(monkeypatch)
    with pytest.warns(SbomWarning):
        shipped = {
            f: render_sbom(result, f, options, environ=env)
            for f in ("cyclonedx-json", "cyclonedx-xml")
        }
    assert fast == shipped
    assert "&amp;" in fast["cyclonedx-xml"]
    assert len(json.loads(fast["cyclonedx-json"])["components"]) > 40


def _rich_component(i: int) -> Component:
    """A component with every kind of field py-serializable writes: more than ospo-scan sets."""
    return Component(
        bom_ref=f"c{i}",
        type=ComponentType.LIBRARY,
        name=f"name {i} <&>\"'",
        group="g\u00e9",
        version=f"{i}.0",
        description="line\nbreak\ttab",
        scope=ComponentScope.OPTIONAL,
        supplier=OrganizationalEntity(
            name="S & Co",
            urls=[XsUri("https://example.com/s")],
            contacts=[OrganizationalContact(name="N", email="n@example.com", phone="1")],
        ),
        authors=[OrganizationalContact(name="A \U0001f600")],
        hashes=[HashType(alg=HashAlgorithm.SHA_256, content="a" * 64)],
        licenses=[
            DisjunctiveLicense(name="Custom <license>", text=AttachedText(content="text & more"))
        ]
        if i % 2
        else [LicenseExpression("MIT OR Apache-2.0")],
        copyright="(c) \u00a9",
        external_references=[
            ExternalReference(
                type=ExternalReferenceType.VCS,
                url=XsUri("https://example.com/r?a=1&b=2"),
                comment="c",
            )
        ],
        properties=[Property(name="p", value="v\u2028")],
        tags=["t1", "t <2>"],
        components=[Component(name=f"nested {i}", bom_ref=f"n{i}")],
    )


def test_the_planned_encoder_writes_py_serializable_s_json() -> None:
    components = [_rich_component(i) for i in range(4)]
    shipped = [c.as_json(view_=SchemaVersion1Dot6) for c in components]  # type: ignore[attr-defined]
    with planned_json_encoding():
        planned = [c.as_json(view_=SchemaVersion1Dot6) for c in components]  # type: ignore[attr-defined]
    assert planned == shipped
    assert '"authors"' in planned[0]
    assert '"tags"' in planned[0]


def _bom(components: list[Component]) -> Bom:
    root = Component(name="root", bom_ref="root", type=ComponentType.APPLICATION)
    bom = Bom(
        serial_number=uuid.UUID(int=7),
        metadata=BomMetaData(timestamp=CREATED, component=root),
        components=components,
    )
    bom.register_dependency(root, components[:2])
    return bom


@pytest.mark.parametrize("output_format", [OutputFormat.JSON, OutputFormat.XML])
def test_a_bom_of_rich_components_is_the_library_s_text(
    output_format: OutputFormat, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ospo_scan.sbom.cyclonedx import serialize_cyclonedx  # noqa: PLC0415

    name = "cyclonedx-json" if output_format is OutputFormat.JSON else "cyclonedx-xml"
    fast = serialize_cyclonedx(_bom([_rich_component(i) for i in range(6)]), name)
    _shipped(monkeypatch)
    with pytest.warns(SbomWarning):
        shipped = serialize_cyclonedx(_bom([_rich_component(i) for i in range(6)]), name)
    assert fast == shipped


def test_a_flat_graph_is_told_from_one_the_merge_would_change() -> None:
    def dep(ref: str, *targets: CdxDependency) -> CdxDependency:
        return CdxDependency(ref=_ref(ref), dependencies=targets)

    flat = [dep("a", dep("b")), dep("b"), dep("c", dep("a"), dep("b"))]
    assert is_flat(flat)
    assert not is_flat([*flat, dep("a")])  # a ref with two entries: the merge joins them
    assert not is_flat([dep("a", dep("b", dep("c"))), dep("b"), dep("c")])  # nested targets
    assert not is_flat([dep("a", dep("z"))])  # a target without an entry: the merge adds one


def _ref(value: str) -> Any:
    from cyclonedx.model.bom_ref import BomRef  # noqa: PLC0415

    return BomRef(value)


def _library_findings(document: Any) -> set[tuple[str, str]]:
    found = _LIBRARY.validate_str(json.dumps(document), all_errors=True)
    return {
        ("/".join(str(p) for p in e.data.absolute_path), e.data.message)
        for e in found or ()
        if e.data.validator != "uniqueItems"
    }


_LIBRARY = JsonStrictValidator(SchemaVersion.V1_6)


def _findings(document: Any) -> set[tuple[str, str]]:
    found = json_schema_errors(document)
    assert found is not None
    return {
        tuple(line.split(": ", 1))  # type: ignore[misc]
        for line in found
        if "more than once (uniqueItems)" not in line
    }


def _break(document: Any, rng: random.Random) -> None:
    """One change that the schema may or may not accept, somewhere in ``document``."""
    component = rng.choice(document["components"])
    kind = rng.randrange(9)
    if kind == 0:
        component.pop("name", None)
    elif kind == 1:
        component["type"] = "bogus"
    elif kind == 2:
        component["licenses"] = [{"license": {"id": "NOT-A-LICENSE", "acknowledgement": "x"}}]
    elif kind == 3:
        component["licenses"] = [{"license": {"id": "MIT", "frobnicate": 1}}]
    elif kind == 4:
        component["purl"] = 5
    elif kind == 5:
        component["bom-ref"] = ""
    elif kind == 6:
        component["licenses"] = [{"expression": "MIT"}, {"expression": "MIT"}]
    elif kind == 7:
        component["supplier"] = {"name": ["x"]}
    else:
        document["dependencies"][0]["dependsOn"] = [5]


def test_schema_findings_are_jsonschema_s_on_valid_and_broken_boms(rich_result: ScanResult) -> None:
    valid = json.loads(
        render_sbom(_hostile_result(rich_result, 4, 12), "cyclonedx-json", SbomOptions())
    )
    assert json_schema_errors(valid) == []
    assert _library_findings(valid) == set()
    rng = random.Random(5)  # noqa: S311 -- test data, not a secret
    broken_seen = 0
    for _ in range(6):
        document = copy.deepcopy(valid)
        for _ in range(rng.randint(2, 4)):
            _break(document, rng)
        library = _library_findings(document)
        assert _findings(document) == library
        broken_seen += bool(library)
    assert broken_seen >= 5


def test_a_repeated_component_is_found_by_either_check(rich_result: ScanResult) -> None:
    document = json.loads(render_sbom(rich_result, "cyclonedx-json", SbomOptions()))
    document["components"].append(copy.deepcopy(document["components"][0]))
    found = json_schema_errors(document)
    assert found is not None
    assert any(line.startswith("components: ") and "more than once" in line for line in found)
    # The bom-refs are no longer distinct: the canonical texts decide, and find the repeat.
    document["components"][-1]["name"] = "other"
    assert not any("more than once" in line for line in json_schema_errors(document) or ())


def _random_tree(rng: random.Random, depth: int = 0) -> ElementTree.Element:
    element = ElementTree.Element(rng.choice(["a", "b", "c-d", "e.f"]))
    for n in range(rng.randint(0, 3)):
        element.set(f"k{n}", _hostile(rng))
    kind = rng.randrange(4)
    if kind == 0:
        element.text = _hostile(rng)
    elif kind == 1:
        element.text = rng.choice(["", " ", "\n  ", "\t"])
    if depth < 4 and kind != 0:
        for _ in range(rng.randint(0, 4)):
            child = _random_tree(rng, depth + 1)
            if rng.random() < 0.3:
                child.tail = rng.choice([" ", "\n", _hostile(rng)])
            element.append(child)
    return element


@pytest.mark.skipif(not verified_python(), reason="pretty_xml is used on CPython 3.11 only")
def test_pretty_xml_is_minidom_s_text_on_random_documents() -> None:
    rng = random.Random(6)  # noqa: S311 -- test data, not a secret
    for _ in range(300):
        root = _random_tree(rng)
        root.set("xmlns", "http://example.com/ns")
        text = '<?xml version="1.0" ?>\n' + ElementTree.tostring(root, encoding="unicode")
        for indent in ("  ", "\t"):
            assert pretty_xml(text, indent) == parseString(text).toprettyxml(  # noqa: S318 -- our own text
                indent=indent
            )


def test_pretty_xml_leaves_comments_and_cdata_to_minidom() -> None:
    for text in ("<a><!-- c --></a>", "<a><![CDATA[x]]></a>", "<a><?pi x?></a>"):
        with pytest.raises(NotPlain):
            pretty_xml(text)


def _random_json(rng: random.Random, depth: int = 0) -> Any:
    kind = rng.randrange(9 if depth < 4 else 6)
    if kind == 0:
        return _hostile(rng) + rng.choice(["", "\x00\x1f", "\\", "\ud7ff"])
    if kind == 1:
        return rng.randint(-(10**20), 10**20)
    if kind == 2:
        return rng.choice([0.1, -0.0, 1e300, 1e-300, float("nan"), float("inf"), -float("inf")])
    if kind == 3:
        return rng.choice([True, False, None])
    if kind in (4, 5):
        return rng.random()
    if kind in (6, 7):
        return {_hostile(rng): _random_json(rng, depth + 1) for _ in range(rng.randrange(4))}
    return [_random_json(rng, depth + 1) for _ in range(rng.randrange(4))]


def test_indented_json_is_json_s_text_on_random_values() -> None:
    rng = random.Random(8)  # noqa: S311 -- test data, not a secret
    for _ in range(1000):
        value = _random_json(rng)
        for indent in (2, 0, "\t"):
            assert dumps(value, indent=indent) == json.dumps(value, indent=indent)
    # What json.loads never gives is left to json.dumps, with the same text.
    odd = {"a": (1, 2), 3: "b"}
    assert dumps(odd, indent=2) == json.dumps(odd, indent=2)


def test_the_collector_is_paused_while_an_sbom_is_made_then_restored(
    rich_result: ScanResult, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ospo_scan.sbom import cyclonedx  # noqa: PLC0415

    library = cyclonedx.serialize_cyclonedx
    seen: list[bool] = []

    def spy(bom: Bom, format_name: str) -> str:
        seen.append(gc.isenabled())
        return library(bom, format_name)

    def failing(bom: Bom, format_name: str) -> str:
        raise SbomError("invalid")

    assert gc.isenabled()
    monkeypatch.setattr(cyclonedx, "serialize_cyclonedx", spy)
    assert render_sbom(rich_result, "cyclonedx-json").startswith("{")
    assert seen == [False]
    assert gc.isenabled()
    monkeypatch.setattr(cyclonedx, "serialize_cyclonedx", failing)
    with pytest.raises(SbomError):
        render_sbom(rich_result, "cyclonedx-json")
    assert gc.isenabled()
    gc.disable()  # a caller that paused it keeps it paused
    try:
        monkeypatch.setattr(cyclonedx, "serialize_cyclonedx", spy)
        render_sbom(rich_result, "cyclonedx-json")
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_a_bom_with_repeated_bom_refs_is_written_as_the_library_does(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from ospo_scan.sbom.cyclonedx import serialize_cyclonedx  # noqa: PLC0415

    def bom() -> Bom:
        # Two components share a bom-ref: the outputter renames one (at random, so the
        # renamed value is fixed here) after the graph was sorted.
        parts = [Component(name=f"n{i}", bom_ref="same" if i < 2 else f"r{i}") for i in range(5)]
        made = _bom(parts)
        for part in parts[2:]:
            made.register_dependency(part, parts[:1])
        return made

    monkeypatch.setattr(
        "cyclonedx.contrib.bom.utils.BomRefDiscriminator._make_unique", lambda self: "a-new"
    )
    fast = serialize_cyclonedx(bom(), "cyclonedx-json")
    _shipped(monkeypatch)
    with pytest.warns(SbomWarning):
        shipped = serialize_cyclonedx(bom(), "cyclonedx-json")
    assert fast == shipped
    assert '"a-new"' in fast
