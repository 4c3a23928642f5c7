# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""The shortcuts that make large SBOMs linear answer exactly as the library code they replace."""

from __future__ import annotations

import uuid
from datetime import datetime, timezone
from typing import Any

from cyclonedx.model.bom import Bom
from spdx_tools.common.spdx_licensing import spdx_licensing
from spdx_tools.spdx.model.relationship import Relationship, RelationshipType
from spdx_tools.spdx.model.relationship_filters import (
    filter_by_type_and_origin,
    filter_by_type_and_target,
)
from spdx_tools.spdx.parser.tagvalue import parser
from spdx_tools.spdx.validation import package_validator

from ospo_scan.engine.catalog import license_texts
from ospo_scan.model import ScanResult
from ospo_scan.sbom.cyclonedx import to_cyclonedx_bom
from ospo_scan.sbom.inventory import inventory
from ospo_scan.sbom.licenses import LicenseNormalizer
from ospo_scan.sbom.spdx import to_spdx_document, validate_spdx
from ospo_scan.sbom.spdx_speedups import indexed_relationships, one_licensing

CREATED = datetime(2026, 1, 1, tzinfo=timezone.utc)


def _spdx(result: ScanResult) -> Any:
    return to_spdx_document(
        result,
        created=CREATED,
        namespace="https://example.org/scale",
        include_files=True,
        normalizer=LicenseNormalizer(license_texts()),
    )


def test_indexed_filters_give_the_lists_spdx_tools_gives(rich_result: ScanResult) -> None:
    document = _spdx(rich_result)
    ids = {r.spdx_element_id for r in document.relationships}
    ids |= {r.related_spdx_element_id for r in document.relationships}
    assert len(document.relationships) > 5
    validator: Any = package_validator  # its filters are imports mypy does not see as exported
    with indexed_relationships(document):
        for kind in RelationshipType:
            for spdx_id in ids:
                assert validator.filter_by_type_and_origin(
                    document.relationships, kind, spdx_id
                ) == filter_by_type_and_origin(document.relationships, kind, spdx_id)
                assert validator.filter_by_type_and_target(
                    document.relationships, kind, spdx_id
                ) == filter_by_type_and_target(document.relationships, kind, spdx_id)
        # Another list (not the indexed document's) is filtered by spdx-tools itself.
        some = document.relationships[:1]
        first = some[0]
        assert validator.filter_by_type_and_origin(
            some, first.relationship_type, first.spdx_element_id
        ) == [first]
    assert validator.filter_by_type_and_origin is filter_by_type_and_origin
    assert validator.filter_by_type_and_target is filter_by_type_and_target


def test_the_indexed_check_still_rejects_a_package_that_contains_a_file(
    rich_result: ScanResult,
) -> None:
    document = _spdx(rich_result)
    assert validate_spdx(document) == []
    package = next(p for p in document.packages if not p.files_analyzed)
    document.relationships = [
        *document.relationships,
        Relationship(package.spdx_id, RelationshipType.CONTAINS, document.files[0].spdx_id),
    ]
    messages = validate_spdx(document)
    assert any("must contain no elements if files_analyzed is False" in m for m in messages)


def _bom(result: ScanResult, *, files: bool) -> Bom:
    return to_cyclonedx_bom(
        result,
        created=CREATED,
        serial=uuid.UUID(int=1),
        include_files=files,
        normalizer=LicenseNormalizer(license_texts()),
    )


def _graph(bom: Bom) -> dict[str, list[str]]:
    return {str(d.ref): sorted(str(t.ref) for t in d.dependencies) for d in bom.dependencies}


def test_the_cyclonedx_graph_is_the_one_register_dependency_builds(
    rich_result: ScanResult,
) -> None:
    bom = _bom(rich_result, files=True)
    # The graph as the library builds it, from the same components and edges.
    by_ref = {str(c.bom_ref): c for c in bom.components}
    root = bom.metadata.component
    assert root is not None
    reference = Bom(metadata=bom.metadata, components=bom.components)
    needs: dict[str | None, set[str]] = {}
    for edge in inventory(rich_result).edges:
        needs.setdefault(edge.source, set()).add(edge.target)
    reference.register_dependency(root, [by_ref[k] for k in sorted(needs.get(None, ()))])
    for component in sorted(bom.components, key=lambda c: str(c.bom_ref)):
        key = str(component.bom_ref)
        reference.register_dependency(component, [by_ref[k] for k in sorted(needs.get(key, ()))])
    assert any(targets for targets in _graph(bom).values())
    assert _graph(bom) == _graph(reference)
    before = _graph(bom)
    bom.validate()  # what every outputter calls: registers each component once more
    assert _graph(bom) == before


def test_every_component_has_one_graph_entry_before_output(rich_result: ScanResult) -> None:
    bom = _bom(rich_result, files=True)
    refs = [str(d.ref) for d in bom.dependencies]
    assert len(refs) == len(set(refs)) == len(bom.components) + 1
    assert any(ref.startswith("file:") for ref in refs)


def test_the_tag_value_parser_uses_one_licensing_while_checking() -> None:
    module: Any = parser
    original = module.get_spdx_licensing
    with one_licensing():
        assert module.get_spdx_licensing() is spdx_licensing
        assert module.get_spdx_licensing() is module.get_spdx_licensing()
    assert module.get_spdx_licensing is original
