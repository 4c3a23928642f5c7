# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""Which packages ship: the SBOM's components, reached from the project through the
dependency scopes asked for.

A component ships when the project depends on it in one of the scopes (``runtime`` and
``optional`` by default), or when a component that ships depends on it in one of them: a
runtime dependency of a dev-only tool does not ship. A package found in the tree that no
manifest or lockfile declares ships too: it is there, and nothing says it is left out (a
document that over-attributes is a smaller problem than one that leaves a package out).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from ospo_scan.model import DependencyScope
from ospo_scan.sbom.inventory import Component, Edge, Inventory


@dataclass(frozen=True, slots=True)
class Shipped:
    """A component that ships, and the scopes of the dependencies that reached it."""

    component: Component
    scopes: tuple[DependencyScope, ...]  # empty: found in the tree, declared by nothing


def _ordered(scopes: Iterable[DependencyScope]) -> tuple[DependencyScope, ...]:
    order = list(DependencyScope)
    return tuple(sorted(set(scopes), key=order.index))


def shipped(inventory: Inventory, scopes: frozenset[DependencyScope]) -> tuple[Shipped, ...]:
    """The components of ``inventory`` that ship with the project, in the inventory's order."""
    outgoing: dict[str | None, list[Edge]] = defaultdict(list)
    declared: set[str] = set()
    for edge in inventory.edges:
        outgoing[edge.source].append(edge)
        declared.add(edge.target)
    reached: dict[str, set[DependencyScope]] = {}
    # Roots: the project, and the packages in the tree that nothing declares.
    queue: list[str | None] = [None]
    for component in inventory.components:
        if component.in_tree and component.key not in declared:
            reached[component.key] = set()
            queue.append(component.key)
    while queue:
        source = queue.pop()
        for edge in outgoing.get(source, ()):
            if edge.scope not in scopes:
                continue
            first = edge.target not in reached
            reached.setdefault(edge.target, set()).add(edge.scope)
            if first:
                queue.append(edge.target)
    return tuple(
        Shipped(component, _ordered(reached[component.key]))
        for component in inventory.components
        if component.key in reached
    )
