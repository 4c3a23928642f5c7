# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""rdflib's colour refinement (graph canonicalization): the same steps, none quadratic.

An spdx-rdf document is written with canonical blank-node labels
(:func:`rdflib.compare.to_canonical_graph`), so that the same graph gives the same bytes. A
label is the hash of the colour its node ends with, and that colour is the record of every
refinement step its node took part in, in rdflib's order. :func:`refine` stands in for
``_TripleCanonicalizer._refine`` of rdflib 7.6.0 and takes exactly those steps, in that
order, so every colour, hash and label is the library's; what changes is the bookkeeping.

rdflib's ``_refine`` pops a colour ``W`` from its sequence and asks *every* colour holding a
blank node to split by its edges to ``W``: each node of each colour is looked up against
each node of ``W``, a colour that nothing touched is re-created and moved to the end of the
list, and the sequence is searched and copied for each. On an SBOM of 10,000 dependencies
that is over 10^9 steps, most of them finding that nothing changed. Here:

- only the colours with a node next to a node of ``W`` are split (found through an index of
  the graph's edges); for any other colour rdflib's split gives back the same nodes in one
  colour of the same value, which changes nothing;
- the colour list and the sequence are linked lists, so a split replaces its colour in
  place, as rdflib's does, without searching or copying them; an order label on each colour
  keeps the colours split in one step in rdflib's order (which decides the sequence);
- a colour's hash, rdflib's sum of one hash per entry, grows by the new entries' hashes
  instead of being summed again from the first entry.

Colours whose entries rdflib would list in another order (it concatenates a node's entries
per node of ``W``) hash the same, as the hash is a sum; ``tests/sbom/test_rdf_canon.py``
compares the labels with rdflib's own on real SPDX graphs.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from rdflib import BNode
from rdflib.compare import Color, _TripleCanonicalizer
from rdflib.term import Node

#: Each node's incoming (subject, predicate) and outgoing (predicate, object) edges.
_Edges = tuple[dict[Any, list[tuple[Any, Any]]], dict[Any, list[tuple[Any, Any]]]]

#: The room between the order labels of neighbouring colours; a split's colours take labels
#: in the room after the colour they replace, and all are spaced anew when it runs out.
_SPACING = 1 << 1024


class _Colour:
    """One colour while it is refined: its nodes in rdflib's order, its value and links."""

    __slots__ = (
        "color",
        "enext",
        "eprev",
        "fixed",
        "hex",
        "inseq",
        "label",
        "nodes",
        "snext",
        "sprev",
        "value",
    )

    def __init__(self, nodes: dict[Any, None], color: Any, value: int, hex_: str) -> None:
        self.nodes = nodes  # insertion-ordered: rdflib's node order within the colour
        self.color = color  # rdflib's colour: a tuple of entries (or a node, when fixed)
        self.value = value  # the integer whose hex is rdflib's hash of the colour
        self.hex = hex_
        self.fixed = False  # a single non-blank node: never split
        self.label = 0
        self.eprev: _Colour | None = None
        self.enext: _Colour | None = None
        self.sprev: _Colour | None = None
        self.snext: _Colour | None = None
        self.inseq = False

    def key(self) -> tuple[int, str]:
        """rdflib's ``Color.key()``: the order of colours in a split and in the sequence."""
        return (len(self.nodes), self.hex)


class _Refinement:
    """The state of one ``_refine`` call: the colouring, the sequence, the edge index."""

    def __init__(self, canonicalizer: Any, coloring: list[Any], sequence: list[Any]) -> None:
        self.canon = canonicalizer
        self.entry_hashes: dict[tuple[Any, ...], int] = {}
        self.colour_of: dict[Any, _Colour] = {}
        self.rank: dict[Any, int] = {}
        self.ehead: _Colour | None = None
        self.etail: _Colour | None = None
        self.shead: _Colour | None = None
        self.stail: _Colour | None = None
        self.not_discrete = 0
        self.fixed: list[_Colour] = []
        internal: dict[int, _Colour] = {}
        for color in coloring:
            colour = self._colour_of_input(color)
            internal[id(color)] = colour
            if colour.fixed:
                self.fixed.append(colour)
            else:
                self._e_append(colour)
        for color in sequence:
            self._s_append(internal[id(color)])
        edges: _Edges | None = getattr(canonicalizer, "_ospo_scan_edges", None)
        if edges is None:  # one index per canonicalizer: its traces refine many times
            edges = canonicalizer._ospo_scan_edges = _edges(canonicalizer.graph)
        self.ins, self.outs = edges

    def _colour_of_input(self, color: Any) -> _Colour:
        hex_ = color.hash_color()
        nodes = dict.fromkeys(color.nodes)
        if len(color.nodes) > 1 or isinstance(color.nodes[0], BNode):
            colour = _Colour(nodes, color.color, int(hex_, 16), hex_)
            for node in color.nodes:
                self.colour_of[node] = colour
                self.rank.setdefault(node, len(self.rank))
            if len(nodes) > 1:
                self.not_discrete += 1
            return colour
        colour = _Colour(nodes, color.color, 0, hex_)
        colour.fixed = True
        return colour

    # -- the colour list (the splittable colours, in rdflib's order) --------------------

    def _e_append(self, colour: _Colour) -> None:
        colour.eprev, colour.enext = self.etail, None
        colour.label = self.etail.label + _SPACING if self.etail else 0
        if self.etail:
            self.etail.enext = colour
        else:
            self.ehead = colour
        self.etail = colour

    def _e_replace(self, old: _Colour, new: list[_Colour]) -> None:
        """Put ``new`` where ``old`` is, in order (``old`` may be one of them)."""
        before, after = old.eprev, old.enext
        low = old.label
        high = after.label if after else low + _SPACING
        if high - low <= len(new):
            self._e_relabel()
            low = old.label
            high = after.label if after else low + _SPACING
        previous = before
        for i, colour in enumerate(new):
            colour.label = low + (high - low) * i // len(new)
            colour.eprev = previous
            if previous:
                previous.enext = colour
            else:
                self.ehead = colour
            previous = colour
        assert previous is not None
        previous.enext = after
        if after:
            after.eprev = previous
        else:
            self.etail = previous

    def _e_relabel(self) -> None:
        colour, label = self.ehead, 0
        while colour:
            colour.label = label
            label += _SPACING
            colour = colour.enext

    # -- the sequence (popped from its end) ----------------------------------------------

    def _s_append(self, colour: _Colour) -> None:
        colour.sprev, colour.snext, colour.inseq = self.stail, None, True
        if self.stail:
            self.stail.snext = colour
        else:
            self.shead = colour
        self.stail = colour

    def _s_pop(self) -> _Colour:
        colour = self.stail
        assert colour is not None
        self._s_unlink(colour)
        return colour

    def _s_unlink(self, colour: _Colour) -> tuple[_Colour | None, _Colour | None]:
        before, after = colour.sprev, colour.snext
        if before:
            before.snext = after
        else:
            self.shead = after
        if after:
            after.sprev = before
        else:
            self.stail = before
        colour.sprev = colour.snext = None
        colour.inseq = False
        return before, after

    def _s_insert(self, before: _Colour | None, after: _Colour | None, new: list[_Colour]) -> None:
        previous = before
        for colour in new:
            colour.inseq = True
            colour.sprev = previous
            if previous:
                previous.snext = colour
            else:
                self.shead = colour
            previous = colour
        if previous is None:
            return
        previous.snext = after
        if after:
            after.sprev = previous
        else:
            self.stail = previous

    # -- one step: split every colour by its edges to W ----------------------------------

    def _entry_hash(self, entry: tuple[Any, ...]) -> int:
        known = self.entry_hashes.get(entry)
        if known is None:
            text = " ".join(x.n3() if isinstance(x, Node) else str(x) for x in entry)
            known = self.entry_hashes[entry] = self.canon.hashfunc(text)
        return known

    def step(self) -> None:
        """rdflib's loop body: pop ``W`` and split every colour by it."""
        w = self._s_pop()
        w_hash = w.hex
        entries: dict[Any, list[tuple[Any, ...]]] = defaultdict(list)
        for node in list(w.nodes):
            # For each node n: its edges n -p-> node, then node -p-> n, as rdflib lists them.
            for subject, predicate in self.ins.get(node, ()):
                if subject in self.colour_of:
                    entries[subject].append((1, predicate, w_hash))
            for predicate, obj in self.outs.get(node, ()):
                if obj in self.colour_of:
                    entries[obj].append((w_hash, predicate, 3))
        touched: dict[int, tuple[_Colour, list[Any]]] = {}
        for node in entries:
            colour = self.colour_of[node]
            touched.setdefault(id(colour), (colour, []))[1].append(node)
        for colour, nodes in sorted(touched.values(), key=lambda item: item[0].label):
            self._split(colour, nodes, entries)

    def _split(
        self, colour: _Colour, touched: list[Any], entries: dict[Any, list[tuple[Any, ...]]]
    ) -> None:
        groups: dict[int, list[Any]] = {}
        for node in sorted(touched, key=self.rank.__getitem__):
            value = colour.value + sum(self._entry_hash(e) for e in entries[node])
            groups.setdefault(value, []).append(node)
        if len(groups) == 1 and len(touched) == len(colour.nodes):
            # Every node moved alike: one colour, in the same place, of a new value.
            ((value, nodes),) = groups.items()
            colour.color = (*colour.color, *entries[nodes[0]])
            colour.value, colour.hex = value, f"{value:x}"
            return
        was_split = len(colour.nodes) > 1
        children: list[_Colour] = []
        for node in touched:
            del colour.nodes[node]
        if colour.nodes:
            children.append(colour)  # the nodes nothing touched keep the colour as it was
        for value, nodes in groups.items():
            child = _Colour(
                dict.fromkeys(nodes),
                (*colour.color, *entries[nodes[0]]),
                value,
                f"{value:x}",
            )
            for node in nodes:
                self.colour_of[node] = child
            children.append(child)
        children.sort(key=_Colour.key, reverse=True)
        self.not_discrete += sum(len(c.nodes) > 1 for c in children) - was_split
        self._e_replace(colour, children)
        if colour.inseq:
            before, after = self._s_unlink(colour)
            self._s_insert(before, after, children)
        else:
            self._s_insert(None, self.shead, children[1:])

    def run(self) -> None:
        """rdflib's loop: split until the sequence is empty or every colour is one node."""
        while self.stail is not None and self.not_discrete:
            self.step()

    def coloring(self, hashfunc: Any, cache: dict[Any, str]) -> list[Any]:
        """The colouring as rdflib's ``Color`` objects, in rdflib's order."""
        result = [_to_color(c, hashfunc, cache) for c in self.fixed]
        colour = self.ehead
        while colour:
            result.append(_to_color(colour, hashfunc, cache))
            colour = colour.enext
        return result


def _to_color(colour: _Colour, hashfunc: Any, cache: dict[Any, str]) -> Any:
    if not colour.fixed:
        cache.setdefault(colour.color, colour.hex)
    return Color(list(colour.nodes), hashfunc, colour.color, hash_cache=cache)


def _edges(graph: Any) -> _Edges:
    """Each node's incoming (subject, predicate) and outgoing (predicate, object) edges."""
    ins: dict[Any, list[Any]] = defaultdict(list)
    outs: dict[Any, list[Any]] = defaultdict(list)
    for subject, predicate, obj in graph:
        outs[subject].append((predicate, obj))
        ins[obj].append((subject, predicate))
    return ins, outs


_LIBRARY_REFINE = _TripleCanonicalizer._refine


def refine(self: Any, coloring: list[Any], sequence: list[Any]) -> list[Any]:
    """``_TripleCanonicalizer._refine`` of rdflib 7.6.0, in time about linear in the graph."""
    sequence = sorted(sequence, key=lambda x: x.key(), reverse=True)
    members = {id(c) for c in coloring}
    if (
        len({id(c) for c in sequence}) != len(sequence)
        or not members.issuperset(id(c) for c in sequence)
        or any(not c.nodes for c in coloring)
        or not sequence
        or self._discrete(coloring)
    ):
        # Nothing to refine, or a call that the canonicalizer never makes: rdflib's own.
        return list(_LIBRARY_REFINE(self, coloring, sequence))
    state = _Refinement(self, coloring, sequence)
    state.run()
    refined = state.coloring(self.hashfunc, self._hash_cache)
    combined_colors: list[Any] = []
    combined_color_map: dict[str, Any] = {}
    for color in refined:
        color_hash = color.hash_color()
        # rdflib's own ending: colours whose hashes collide are merged.
        if color_hash in combined_color_map:
            combined_color_map[color_hash].nodes.extend(color.nodes)
        else:
            combined_colors.append(color)
            combined_color_map[color_hash] = color
    return combined_colors
