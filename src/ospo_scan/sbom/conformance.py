# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""Does an SBOM carry the NTIA minimum elements, or CISA's baseline? Which components miss what.

``ospo-scan sbom --check ntia`` (or ``cisa``) reads the SPDX 2.3 document of the scan (the
one ``spdx-*`` formats write; CycloneDX carries the same elements from the same inventory)
element by element, as the SPDX project's ntia-conformance-checker does:

- **ntia**, the 2021 NTIA SBOM Minimum Elements: for every component, a name, a version, a
  unique identifier (its SPDX id) and a supplier (not ``NOASSERTION``); for the document,
  its author (a creator), a timestamp, and the dependency relationships: it DESCRIBES a
  package, and every package is reached from there through DESCRIBES, CONTAINS,
  DEPENDS_ON and their kin (a package no path reaches "floats");
- **cisa**, CISA's 2024 *Framing Software Component Transparency* baseline at its minimum
  expectation: the NTIA elements, plus each component's concluded license and copyright
  notice (``NONE`` is a statement; ``NOASSERTION`` is not), and the SBOM type (SPDX 2.3 has
  no field for it: the creator comment says "SBOM type: Source").

Each gap comes with the reason ospo-scan knows (a range that no lockfile pins, a package not
installed in the tree, metadata that names no author) and, where there is one, the option
that closes it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from spdx_tools.spdx.model.relationship import RelationshipType
from spdx_tools.spdx.model.spdx_no_assertion import SpdxNoAssertion

from ospo_scan.sbom.inventory import Component, Inventory

#: The standards ``--check`` and ``--require`` know, by name.
STANDARDS = ("ntia", "cisa")

_TITLES = {
    "ntia": "NTIA minimum elements (2021)",
    "cisa": "CISA baseline attributes (FSCT 2024, minimum expected)",
}

# The relationships a reader walks down from the document to reach every component: the
# same set as the SPDX project's checker (composition and dependency, from the dependent).
_WALKED = frozenset(
    {
        RelationshipType.DESCRIBES,
        RelationshipType.CONTAINS,
        RelationshipType.DEPENDS_ON,
        RelationshipType.DYNAMIC_LINK,
        RelationshipType.STATIC_LINK,
        RelationshipType.HAS_PREREQUISITE,
    }
)


@dataclass(frozen=True, slots=True)
class Gap:
    """A component that misses an element, and why."""

    name: str
    spdx_id: str
    reason: str


@dataclass(frozen=True, slots=True)
class Element:
    """One element of a standard: met or not, and the components that miss it."""

    name: str
    met: bool
    gaps: tuple[Gap, ...] = ()


@dataclass(frozen=True, slots=True)
class Conformance:
    """How an SBOM fares against one standard."""

    standard: str
    title: str
    elements: tuple[Element, ...]
    components: int  # how many components were judged

    @property
    def conformant(self) -> bool:
        """Every element is met."""
        return all(e.met for e in self.elements)


def _blank(value: Any) -> bool:
    if value is None or isinstance(value, SpdxNoAssertion):
        return True
    return isinstance(value, str) and value.strip().upper() in {"", "NOASSERTION"}


class _Reasons:
    """Why a component misses an element, from what the inventory knows about it."""

    def __init__(self, inv: Inventory, by_id: Mapping[str, Component], project_id: str) -> None:
        self._inv = inv
        self._by_id = by_id
        self._project_id = project_id

    def version(self, spdx_id: str) -> str:
        if spdx_id == self._project_id:
            return "the project's manifest states no version (give --project-version)"
        item = self._by_id.get(spdx_id)
        if item is None:
            return "no version"
        if item.in_tree:
            return "its manifest states no version"
        declared = (
            f"only the requirement {item.requirement!r} is declared"
            if item.requirement
            else "it is declared without a version"
        )
        return (
            f"{declared} (in {item.declared_in}), no copy is installed in the tree and no "
            "lockfile pins one (--unversioned omit leaves such components out)"
        )

    def supplier(self, spdx_id: str) -> str:
        if spdx_id == self._project_id:
            if self._inv.project is None:
                return "the project has no manifest to name its supplier (give --supplier)"
            return "the project's manifest names no author or maintainer (give --supplier)"
        item = self._by_id.get(spdx_id)
        if item is not None and not item.in_tree:
            return (
                "not installed in the tree: only a manifest or lockfile names it, and neither "
                "says who supplies it"
            )
        return "its metadata names no author, maintainer, publisher or repository owner"

    def license(self, spdx_id: str) -> str:
        if spdx_id == self._project_id:
            return "the project's declared license and its license files do not agree, or none"
        item = self._by_id.get(spdx_id)
        if item is not None and not item.in_tree:
            return "not installed in the tree: its files could not be read to conclude one"
        return "its declared license and its license files disagree (review it)"

    def copyright(self, spdx_id: str) -> str:
        item = self._by_id.get(spdx_id)
        if item is not None and not item.in_tree:
            return "not installed in the tree: its files could not be read"
        return "some of its files could not be read, so the scan cannot say it has none"


def _reachable(document: Any) -> set[str]:
    """The ids reached from the document through the relationships a reader walks."""
    doc_id = document.creation_info.spdx_id
    children: dict[str, list[str]] = {}
    start: list[str] = []
    for rel in document.relationships:
        target = rel.related_spdx_element_id
        if not isinstance(target, str) or rel.relationship_type not in _WALKED:
            continue
        if rel.relationship_type is RelationshipType.DESCRIBES and rel.spdx_element_id == doc_id:
            start.append(target)
        children.setdefault(rel.spdx_element_id, []).append(target)
    seen = set(start)
    queue = list(start)
    while queue:
        for child in children.get(queue.pop(), ()):
            if child not in seen:
                seen.add(child)
                queue.append(child)
    return seen


def _element(name: str, gaps: Iterable[Gap]) -> Element:
    found = tuple(gaps)
    return Element(name, not found, found)


def check_document(
    document: Any,
    inv: Inventory,
    by_id: Mapping[str, Component],
    project_id: str,
    standard: str,
    sbom_type_note: str,
) -> Conformance:
    """``document`` (spdx-tools' model) judged against ``standard`` (``ntia`` or ``cisa``)."""
    if standard not in STANDARDS:
        raise ValueError(f"unknown standard {standard!r}")
    why = _Reasons(inv, by_id, project_id)
    packages = list(document.packages)
    package_ids = {p.spdx_id for p in packages}
    reachable = _reachable(document)
    floating = [p for p in packages if p.spdx_id not in reachable]
    describes = any(
        r.relationship_type is RelationshipType.DESCRIBES
        and r.related_spdx_element_id in package_ids
        for r in document.relationships
    )

    def gaps(missing: Any, reason: Any) -> list[Gap]:
        return [Gap(p.name, p.spdx_id, reason(p.spdx_id)) for p in packages if missing(p)]

    elements = [
        _element("component name", gaps(lambda p: _blank(p.name), lambda _: "no name")),
        _element("component version", gaps(lambda p: _blank(p.version), why.version)),
        _element("unique identifier", gaps(lambda p: _blank(p.spdx_id), lambda _: "no SPDX id")),
        _element("supplier", gaps(lambda p: _blank(p.supplier), why.supplier)),
    ]
    if standard == "cisa":
        elements += [
            _element("concluded license", gaps(lambda p: _blank(p.license_concluded), why.license)),
            _element("copyright notice", gaps(lambda p: _blank(p.copyright_text), why.copyright)),
        ]
    creation = document.creation_info
    elements += [
        _element("author of the SBOM data", [] if creation.creators else [_doc_gap("no creator")]),
        _element("timestamp", [] if creation.created else [_doc_gap("no creation time")]),
        _element(
            "dependency relationships",
            ([] if describes else [_doc_gap("the document DESCRIBES no package")])
            + [
                Gap(p.name, p.spdx_id, "no relationship path leads to it from the document")
                for p in floating
            ],
        ),
    ]
    if standard == "cisa":
        has_type = sbom_type_note in (creation.creator_comment or "")
        elements.append(
            _element("SBOM type", [] if has_type else [_doc_gap("the document states no type")])
        )
    return Conformance(standard, _TITLES[standard], tuple(elements), len(packages))


def _doc_gap(reason: str) -> Gap:
    return Gap("(document)", "SPDXRef-DOCUMENT", reason)


def describe(conformance: Conformance) -> str:
    """``conformance`` as lines for a person: the verdict, then each unmet element's gaps."""
    verdict = "conformant" if conformance.conformant else "NOT conformant"
    count = conformance.components
    judged = f"{count} component{'' if count == 1 else 's'}"
    lines = [f"ospo-scan: {conformance.title}: {verdict} ({judged})"]
    met = [e.name for e in conformance.elements if e.met]
    for element in conformance.elements:
        if element.met:
            continue
        lines.append(f"  missing {element.name}: {len(element.gaps)}")
        lines += [f"    {gap.name} ({gap.spdx_id}): {gap.reason}" for gap in element.gaps]
    if met:
        lines.append(f"  met: {', '.join(met)}")
    return "\n".join(lines)
