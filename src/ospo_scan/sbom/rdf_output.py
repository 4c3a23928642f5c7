# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""spdx-rdf text that depends on the graph alone: not on blank-node labels, set order or seed.

spdx-tools' RDF writer labels blank nodes at random and emits triples in the order of
Python's sets, whose order for strings changes with the process's hash seed. :func:`stable_rdf`
parses that text back, gives the blank nodes canonical labels (RDF graph canonicalization,
as rdflib implements it; :mod:`.rdf_canon`), and writes the triples again with rdflib's
pretty RDF/XML serializer from a graph that lists its subjects in sorted order
(:class:`SortedSubjects`). The serializer writes the subjects that nothing refers to in the
order the graph lists its subjects, and rdflib's in-memory store lists them in the order of
a set of triples: a large tree's spdx-rdf bytes changed from run to run before.
"""

from __future__ import annotations

import gc
import re
from collections.abc import Generator, Sequence
from typing import Any

from rdflib import DOAP, Graph
from rdflib.compare import to_canonical_graph
from spdx_tools.spdx.rdfschema.namespace import POINTER_NAMESPACE, SPDX_NAMESPACE

from ospo_scan.sbom.spdx_speedups import linear_canonicalization

_XMLNS_BLOCK = re.compile(r"(?:^[ \t]+xmlns(?::[\w.-]+)?=\"[^\"]*\"\n)+", re.MULTILINE)


class SortedSubjects(Graph):
    """A graph of ``triples``, given sorted, whose ``subjects()`` come in that order; with
    the ``prefixes`` bound before any triple is added.

    Only the question the serializer asks, every subject of every triple (one per triple, as
    rdflib answers it), is answered from the sorted list; any other goes to rdflib.
    """

    def __init__(self, triples: Sequence[Any], prefixes: dict[str, Any]) -> None:
        super().__init__()
        self._sorted = triples
        for prefix, namespace in prefixes.items():
            self.bind(prefix, namespace)
        for triple in triples:
            self.add(triple)

    def subjects(
        self, predicate: Any = None, object: Any = None, unique: bool = False
    ) -> Generator[Any, None, None]:
        """The subject of each triple in sorted order, when all are asked for."""
        if predicate is None and object is None and not unique:
            return (subject for subject, _, _ in self._sorted)
        return super().subjects(predicate, object, unique)


def stable_rdf(data: bytes) -> str:
    """The graph of the RDF/XML ``data``, written so that identical graphs give identical
    text, whatever the process's hash seed."""
    # An rdflib graph is a cycle of objects: while the SBOM is made the cyclic collector is
    # paused (ospo_scan.sbom.render_sbom), so each graph done with (the writer's, which
    # wrote ``data``, then this parse) is collected here, not held beside the next one.
    gc.collect()
    parsed = Graph()
    parsed.parse(data=data, format="xml")
    with linear_canonicalization():
        canonical = to_canonical_graph(parsed)
    del parsed
    gc.collect()
    stable = SortedSubjects(
        sorted(canonical), {"spdx": SPDX_NAMESPACE, "doap": DOAP, "ptr": POINTER_NAMESPACE}
    )
    del canonical
    gc.collect()
    text: str = stable.serialize(format="pretty-xml", encoding="utf-8", max_depth=100).decode(
        "utf-8"
    )
    # The serializer declares the namespaces in set order: sort the declarations.
    return _XMLNS_BLOCK.sub(lambda m: "".join(sorted(m.group(0).splitlines(True))), text, count=1)
