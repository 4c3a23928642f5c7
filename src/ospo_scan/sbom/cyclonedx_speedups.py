# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""Stand-ins for the steps of cyclonedx-python-lib 11.12.0 that grow too fast with a BOM.

Each is a context manager that swaps library code through :func:`._patch.patched` (so only
on the verified release; otherwise the library runs as shipped) and gives the answers of the
code it replaces; ``tests/sbom/test_sbom_patches.py`` compares them with the library's own.

- :func:`memoized_order`: a ``Component`` or ``Dependency`` is ordered (``SortedSet``) and
  hashed by a comparison tuple that the library rebuilds on every comparison, some thirty
  fields and the sorted sets inside them; a BOM of 100,000 components sorts them with about
  two million comparisons. While the objects cannot change (ours, being put in order), each
  tuple is built once.
- :func:`linear_bom_refs`: every outputter makes the bom-refs unique first
  (``BomRefDiscriminator.discriminate``) by looking each one up in a list of those seen:
  quadratic, about two minutes for 100,000 components. The same lookups go to a set.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

from cyclonedx.contrib.bom.utils import BomDependencyGraphFlatMerger, BomRefDiscriminator
from cyclonedx.model.component import Component
from cyclonedx.model.dependency import Dependency

from ospo_scan.sbom._patch import patched

# The library's private comparison tuples (name-mangled `__comparable_tuple`).
_TUPLES = {Component: "_Component__comparable_tuple", Dependency: "_Dependency__comparable_tuple"}


@contextlib.contextmanager
def memoized_order(*classes: type) -> Iterator[None]:
    """Build each object's comparison tuple once while in the block (``classes``: those of
    :data:`_TUPLES`, default both).

    Only for blocks in which no such object changes: the tuple is the one the library would
    build at its first comparison. Each object is held until the block ends, so no ``id`` is
    reused for another object meanwhile.
    """
    with contextlib.ExitStack() as stack:
        for cls in classes or tuple(_TUPLES):
            name = _TUPLES[cls]
            stack.enter_context(
                patched("cyclonedx-python-lib", cls, **{name: _memoized(getattr(cls, name))})
            )
        yield


def _memoized(library: Any) -> Any:
    memo: dict[int, tuple[Any, Any]] = {}

    def comparable_tuple(self: Any) -> Any:
        hit = memo.get(id(self))
        if hit is None:
            hit = memo[id(self)] = (self, library(self))
        return hit[1]

    return comparable_tuple


@contextlib.contextmanager
def linear_bom_refs() -> Iterator[None]:
    """Make the outputters' bom-ref pass (uniqueness and the merged dependency graph) linear.

    ``BomRefDiscriminator.discriminate`` as in the library, with the values seen in a set
    (bom-ref values are strings or None, so membership is the same); and the library's
    ``BomDependencyGraphFlatMerger.flatten_merge``, which builds and sorts a new graph of
    fresh ``Dependency`` objects, with their order memoized (nothing changes them meanwhile).
    """
    library_merge = BomDependencyGraphFlatMerger.flatten_merge

    def discriminate(self: Any) -> None:
        known: set[str] = set()
        for bomref, _ in self._bomrefs:
            value = bomref.value
            if value is None or value in known:
                value = self._make_unique()
                bomref.value = value
            known.add(value)

    def flatten_merge(self: Any) -> None:
        with memoized_order(Dependency):
            library_merge(self)

    with (
        patched("cyclonedx-python-lib", BomRefDiscriminator, discriminate=discriminate),
        patched("cyclonedx-python-lib", BomDependencyGraphFlatMerger, flatten_merge=flatten_merge),
    ):
        yield
