# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""The SBOM libraries' internals are replaced only on the verified releases, and give the
library's own answers there: each replacement against the code it replaces, on real data.

These tests protect the versions in ``ospo_scan.sbom._patch.VERIFIED``.
"""

from __future__ import annotations

import io
import random
import uuid
import warnings
from datetime import datetime, timezone
from typing import Any

import pytest
import yaml
from cyclonedx.contrib.bom.utils import BomDependencyGraphFlatMerger, BomRefDiscriminator
from cyclonedx.model.bom import Bom
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import _TripleCanonicalizer, to_canonical_graph
from sortedcontainers import SortedSet
from spdx_tools.spdx.model.relationship import Relationship, RelationshipType
from spdx_tools.spdx.validation import spdx_id_validators
from spdx_tools.spdx.writer.rdf import rdf_writer
from spdx_tools.spdx.writer.write_utils import convert
from spdx_tools.spdx.writer.yaml import yaml_writer

from ospo_scan.engine.catalog import license_texts
from ospo_scan.errors import SbomWarning
from ospo_scan.model import ScanResult
from ospo_scan.sbom import SBOM_FORMATS, SbomOptions, _patch, render_sbom
from ospo_scan.sbom.cyclonedx import to_cyclonedx_bom
from ospo_scan.sbom.cyclonedx_speedups import linear_bom_refs, memoized_order
from ospo_scan.sbom.licenses import LicenseNormalizer
from ospo_scan.sbom.rdf_canon import refine
from ospo_scan.sbom.spdx import to_spdx_document, validate_spdx
from ospo_scan.sbom.spdx_speedups import (
    c_yaml_emitter,
    indexed_ids,
    linear_canonicalization,
    plain_ascii,
)

LIBRARIES = sorted(_patch.VERIFIED)
CREATED = datetime(2026, 1, 1, tzinfo=timezone.utc)


@pytest.fixture
def unverified(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every SBOM library looks like a release the speed-ups were not checked against."""
    for name in LIBRARIES:
        monkeypatch.setitem(_patch.VERIFIED, name, "0.0.0")
    monkeypatch.setattr(_patch, "_warned", set())


def test_the_installed_releases_are_the_verified_ones() -> None:
    for name in LIBRARIES:
        assert _patch.installed_version(name) == _patch.VERIFIED[name]
        assert _patch.verified(name)


@pytest.mark.usefixtures("unverified")
def test_another_release_runs_the_library_as_shipped_with_one_warning() -> None:
    original = spdx_id_validators.is_spdx_id_present_in_document
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with indexed_ids(object()):
            assert spdx_id_validators.is_spdx_id_present_in_document is original
        with indexed_ids(object()):  # a second time: no second warning
            pass
    assert [w.category for w in caught] == [SbomWarning]
    assert "spdx-tools 0.8.2 is installed" in str(caught[0].message)
    assert "0.0.0" in str(caught[0].message)
    with warnings.catch_warnings(record=True) as later:
        warnings.simplefilter("always")
        assert not _patch.verified("spdx-tools")
    assert later == []


def test_a_verified_swap_is_undone_on_the_way_out() -> None:
    original = _TripleCanonicalizer._refine
    seen: list[Any] = []

    def inside() -> None:
        with linear_canonicalization():
            seen.append(_TripleCanonicalizer._refine)
            raise RuntimeError

    with pytest.raises(RuntimeError):
        inside()
    assert seen == [refine]
    assert _TripleCanonicalizer._refine is original


def _render_all(result: ScanResult) -> dict[str, str]:
    options = SbomOptions(include_files=True, reproducible=True)
    return {name: render_sbom(result, name, options) for name in SBOM_FORMATS}


def test_every_format_is_the_same_with_the_library_as_shipped(
    rich_result: ScanResult, monkeypatch: pytest.MonkeyPatch
) -> None:
    fast = _render_all(rich_result)
    for name in LIBRARIES:
        monkeypatch.setitem(_patch.VERIFIED, name, "0.0.0")
    monkeypatch.setattr(_patch, "_warned", set())
    with pytest.warns(SbomWarning):
        shipped = _render_all(rich_result)
    assert fast == shipped


def test_validation_findings_are_the_same_with_the_library_as_shipped(
    rich_result: ScanResult, monkeypatch: pytest.MonkeyPatch
) -> None:
    document = to_spdx_document(
        rich_result,
        created=CREATED,
        namespace="https://example.org/patches",
        include_files=True,
        normalizer=LicenseNormalizer(license_texts()),
    )
    package = next(p for p in document.packages if not p.files_analyzed)
    document.relationships = [
        *document.relationships,
        Relationship(package.spdx_id, RelationshipType.CONTAINS, document.files[0].spdx_id),
        Relationship(package.spdx_id, RelationshipType.DEPENDS_ON, "SPDXRef-nowhere"),
    ]
    fast = validate_spdx(document)
    monkeypatch.setitem(_patch.VERIFIED, "spdx-tools", "0.0.0")
    monkeypatch.setattr(_patch, "_warned", set())
    with pytest.warns(SbomWarning):
        shipped = validate_spdx(document)
    assert len(fast) >= 2
    assert fast == shipped


def _canonical(graph: Graph) -> tuple[set[Any], set[Any]]:
    """``graph``'s canonical triples by rdflib's own refinement, then by :func:`refine`."""
    library = set(to_canonical_graph(graph))
    with linear_canonicalization():
        fast = set(to_canonical_graph(graph))
    return library, fast


def test_canonical_labels_are_rdflib_s_on_a_real_spdx_graph(rich_result: ScanResult) -> None:
    document = to_spdx_document(
        rich_result,
        created=CREATED,
        namespace="https://example.org/canon",
        include_files=True,
        normalizer=LicenseNormalizer(license_texts()),
    )
    data = io.BytesIO()
    rdf_writer.write_document_to_stream(document, data, validate=False)
    graph = Graph().parse(data=data.getvalue(), format="xml")
    assert sum(isinstance(s, BNode) for s, _, _ in graph) > 50
    library, fast = _canonical(graph)
    assert library == fast


EX = "https://example.org/"


def _symmetric_graph() -> Graph:
    """Blank nodes that refinement alone cannot tell apart: rdflib individuates them."""
    graph = Graph()
    root = URIRef(EX + "root")
    for i in range(3):
        ring = [BNode() for _ in range(4)]
        for j, node in enumerate(ring):
            graph.add((node, URIRef(EX + "next"), ring[(j + 1) % len(ring)]))
            graph.add((node, URIRef(EX + "value"), Literal(j % 2)))
        graph.add((root, URIRef(EX + "ring"), ring[0]))
        graph.add((ring[2], URIRef(EX + "tag"), Literal("same" if i < 2 else "other")))
    twin = URIRef(EX + "twin")
    for _ in range(2):
        checksum = BNode()
        graph.add((twin, URIRef(EX + "checksum"), checksum))
        graph.add((checksum, URIRef(EX + "value"), Literal("abc")))
    return graph


def test_canonical_labels_are_rdflib_s_when_it_must_individuate() -> None:
    graph = _symmetric_graph()
    stats: dict[str, Any] = {}
    to_canonical_graph(graph, stats)
    assert stats["individuations"] > 0  # the traces, which call _refine many times, ran
    library, fast = _canonical(graph)
    assert library == fast


def _bom(result: ScanResult) -> Bom:
    return to_cyclonedx_bom(
        result,
        created=CREATED,
        serial=uuid.UUID(int=1),
        include_files=True,
        normalizer=LicenseNormalizer(license_texts()),
    )


def test_memoized_order_sorts_and_hashes_as_cyclonedx_python_lib(
    rich_result: ScanResult,
) -> None:
    bom = _bom(rich_result)
    components = list(bom.components)
    dependencies = [*bom.dependencies, *(d for top in bom.dependencies for d in top.dependencies)]
    assert len(components) > 10
    for items in (components, dependencies):
        shuffled = random.Random(14).sample(items, len(items))  # noqa: S311 -- fixed order
        library = (list(SortedSet(shuffled)), [hash(i) for i in items])
        with memoized_order():
            fast = (list(SortedSet(shuffled)), [hash(i) for i in items])
        assert [id(i) for i in fast[0]] == [id(i) for i in library[0]]
        assert fast[1] == library[1]


def test_linear_bom_refs_label_as_cyclonedx_python_lib(rich_result: ScanResult) -> None:
    refs = [c.bom_ref for c in _bom(rich_result).components]
    refs[3].value = refs[1].value  # a duplicate and a missing value get new labels
    refs[5].value = None
    originals = [r.value for r in refs]

    def labels() -> list[str | None]:
        random.seed(10)
        discriminator = BomRefDiscriminator(refs)
        discriminator.discriminate()
        found = [r.value for r in refs]
        discriminator.reset()
        assert [r.value for r in refs] == originals
        return found

    library = labels()
    with linear_bom_refs():
        fast = labels()
    assert fast == library
    assert library[3] != library[1]
    assert library[5] is not None


def test_linear_bom_refs_merge_the_graph_as_cyclonedx_python_lib(rich_result: ScanResult) -> None:
    bom = _bom(rich_result)

    def merged() -> list[tuple[str, list[str]]]:
        with BomDependencyGraphFlatMerger(bom):
            return [(str(d.ref), [str(t.ref) for t in d.dependencies]) for d in bom.dependencies]

    library = merged()
    with linear_bom_refs():
        fast = merged()
    assert any(targets for _, targets in library)
    assert fast == library


#: Printable ASCII that YAML quotes, folds or keeps plain.
_YAML_CHARACTERS = "ab :#-'\"\\{}[],&*!|>%@`?=~.019 "


def _yaml_texts(data: Any) -> tuple[str, str]:
    library = io.StringIO()
    yaml.safe_dump(data, library, indent=2)
    fast = io.StringIO()
    with c_yaml_emitter():
        yaml_writer.yaml.safe_dump(data, fast, indent=2)
    return library.getvalue(), fast.getvalue()


def test_c_yaml_emitter_writes_pyyaml_s_text(rich_result: ScanResult) -> None:
    document = to_spdx_document(
        rich_result,
        created=CREATED,
        namespace="https://example.org/yaml",
        include_files=True,
        normalizer=LicenseNormalizer(license_texts()),
    )
    data = convert(document, None)
    # License texts have line breaks and a copyright is Latin-1: that document goes to
    # PyYAML; its packages and relationships are printable ASCII and go to libyaml.
    plain = {key: value for key, value in data.items() if plain_ascii(value)}
    assert {"packages", "relationships"} <= plain.keys()
    for part in (data, plain):
        library, fast = _yaml_texts(part)
        assert fast == library
    pick = random.Random(6)  # noqa: S311 -- fixed test data
    texts = [
        "".join(pick.choice(_YAML_CHARACTERS) for _ in range(pick.randint(0, 160)))
        for _ in range(2000)
    ]
    library, fast = _yaml_texts({"texts": texts, "nested": [{"text": t} for t in texts]})
    assert fast == library


def test_c_yaml_emitter_leaves_other_text_to_pyyaml() -> None:
    # libyaml folds this long double-quoted scalar at another column than PyYAML does.
    data = {"copyright": "Copyright (c) 2026 Jos\u00e9 Garc\u00eda\t" + "and others, " * 8}
    assert not plain_ascii(data)
    library, fast = _yaml_texts(data)
    assert fast == library
    c_text = io.StringIO()
    yaml.dump(data, c_text, Dumper=yaml.CSafeDumper, indent=2)
    assert c_text.getvalue() != library
