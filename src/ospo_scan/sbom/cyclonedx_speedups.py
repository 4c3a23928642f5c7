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
  quadratic, about two minutes for 100,000 components. The same lookups go to a set. The JSON
  outputter then merges the dependency graph into a new flat one, which changes nothing when
  the graph is flat already (ours is): it is then left as it is.
- :func:`unchanged_components`: the outputters hash every component two or three times more
  (``Bom.validate``, the bom-ref pass), each time through its comparison tuple; when no
  bom-ref needs a new value, nothing changes a component while it is written, and each
  tuple is built once (:func:`memoized_order`).
- :func:`direct_pretty_xml`: the XML outputter indents its text by parsing it into a minidom
  document and writing that out again; :func:`.xml_pretty.pretty_xml` writes the same text
  from the parse alone.
- :func:`direct_json_indent`: the JSON outputter indents with ``json.dumps(indent=2)``, which
  leaves the C encoder for generators; :func:`.json_indent.dumps` writes the same text.
- :func:`planned_json_encoding`: py-serializable 2.2.0 turns each model object into a
  dictionary (``_SerializableJsonEncoder.default``) by asking every property's metadata the
  same questions again (its view, its name, its kind); here they are answered once per class.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum
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
    fresh ``Dependency`` objects, with their order memoized (nothing changes them meanwhile),
    or keeps the graph when that gives the same (:func:`is_flat`, and no bom-ref renamed).
    """
    library_merge = BomDependencyGraphFlatMerger.flatten_merge
    renamed: list[bool] = []  # a bom-ref got a new value: the graph's order may be stale

    def discriminate(self: Any) -> None:
        known: set[str] = set()
        for bomref, _ in self._bomrefs:
            value = bomref.value
            if value is None or value in known:
                value = self._make_unique()
                bomref.value = value
                renamed.append(True)
            known.add(value)

    def flatten_merge(self: Any) -> None:
        # The graph as it is, when the library's merge would give an equal one in the same
        # order: nothing renamed since it was sorted, and nothing to merge.
        if not renamed and is_flat(self._deps):
            return
        with memoized_order(Dependency):
            library_merge(self)

    with (
        patched("cyclonedx-python-lib", BomRefDiscriminator, discriminate=discriminate),
        patched("cyclonedx-python-lib", BomDependencyGraphFlatMerger, flatten_merge=flatten_merge),
    ):
        yield


def is_flat(dependencies: Iterable[Any]) -> bool:
    """True when merging ``dependencies`` flat (``BomDependencyGraphFlatMerger``) gives an
    equal graph: each ref has one entry, each target is a ref of an entry and has no targets
    of its own. The merge then makes each entry anew with the same ref and targets.
    """
    refs: set[Any] = set()
    for dependency in dependencies:
        if dependency.ref.value is None or dependency.ref.value in refs:
            return False
        refs.add(dependency.ref.value)
    return all(
        not target.dependencies and target.ref.value in refs
        for dependency in dependencies
        for target in dependency.dependencies
    )


@contextlib.contextmanager
def planned_json_encoding() -> Iterator[None]:
    """Let py-serializable's JSON encoder work from one plan per class while in the block.

    ``_SerializableJsonEncoder.default`` as in py-serializable 2.2.0, step by step: the same
    properties in the same order, the same view and None rules, the same conversions; what it
    derives from a property's metadata alone (whether the view allows it, with a value and
    without one, its JSON name, its kind) is derived once per class, view and name formatter.
    """
    from py_serializable import (  # noqa: PLC0415 -- cyclonedx-python-lib's own dependency
        ObjectMetadataLibrary,
        _allow_property_for_view,
        _SerializableJsonEncoder,
    )
    from py_serializable.formatters import CurrentFormatter  # noqa: PLC0415

    plans: dict[tuple[type, Any, Any], list[_Step]] = {}

    def plan(cls: type, view: Any) -> list[_Step]:
        formatter = CurrentFormatter.formatter
        found = plans.get((cls, view, formatter))
        if found is None:
            found = plans[(cls, view, formatter)] = _plan(
                ObjectMetadataLibrary, _allow_property_for_view, cls, view, formatter
            )
        return found

    def default(self: Any, o: Any) -> Any:
        if isinstance(o, Enum):
            return o.value
        if isinstance(o, (list, set)):
            return list(o)
        view = self._view
        d: dict[Any, Any] = {}
        for step in plan(o.__class__, view):
            v = getattr(o, step.attr)
            if not (step.none_ok if _none_like(step, v) else step.present_ok):
                continue
            v = _converted(step, v, view, o.__class__)
            if step.key == ".":
                return v
            if step.none_ok if _none_like(step, v) else step.present_ok:
                d[step.key] = v if v is not None else step.none_value
        return d

    with patched("py-serializable", _SerializableJsonEncoder, default=default):
        yield


@dataclass(frozen=True, slots=True)
class _Step:
    """What py-serializable's encoder derives from one property's metadata, for one view."""

    attr: str
    info: Any
    key: str
    kind: str  # helper, custom, array, enum, object or primitive: the branch the library takes
    custom_type: Any
    is_array: bool
    string_format: str | None
    registered: bool  # an object of a class py-serializable writes itself
    none_ok: bool  # the view writes the property without a value
    present_ok: bool  # the view writes the property with a value
    none_value: Any


def _converted(step: _Step, v: Any, view: Any, cls: type) -> Any:
    """The value py-serializable's encoder writes for ``v``, by the property's kind."""
    kind = step.kind
    if kind == "helper":
        return step.custom_type.json_normalize(v, view=view, prop_info=step.info, ctx=cls)
    if kind == "custom":
        return step.custom_type(v)
    if kind == "array":
        return list(v) if len(v) > 0 else None
    if kind == "enum":
        return str(v.value)
    if kind == "object":
        if isinstance(v, Decimal):
            return float(f"{v:{step.string_format}}") if step.string_format else float(v)
        if not step.registered:
            return f"{v:{step.string_format}}" if step.string_format else str(v)
    return v


def _none_like(step: _Step, value: Any) -> bool:
    # py-serializable's test for "no value": None, or an empty array property.
    return value is None or (step.is_array and len(value) < 1)


def _plan(library: Any, allow: Any, cls: type, view: Any, formatter: Any) -> list[_Step]:
    from py_serializable import SerializationType  # noqa: PLC0415
    from py_serializable.formatters import BaseNameFormatter  # noqa: PLC0415

    steps = []
    mappings = library.klass_property_mappings.get(f"{cls.__module__}.{cls.__qualname__}", {})
    for attr, info in mappings.items():
        key = BaseNameFormatter.decode_handle_python_builtins_and_keywords(name=attr)
        if custom_name := info.custom_names.get(SerializationType.JSON):
            key = str(custom_name)
        if formatter:
            key = formatter.encode(property_name=key)
        if info.custom_type:
            kind = "helper" if info.is_helper_type() else "custom"
        elif info.is_array:
            kind = "array"
        elif info.is_enum:
            kind = "enum"
        elif not info.is_primitive_type():
            kind = "object"
        else:
            kind = "primitive"
        concrete = info.concrete_type
        steps.append(
            _Step(
                attr=attr,
                info=info,
                key=key,
                kind=kind,
                custom_type=info.custom_type,
                is_array=info.is_array,
                string_format=info.string_format,
                registered=kind == "object"
                and f"{getattr(concrete, '__module__', '')}.{getattr(concrete, '__name__', '')}"
                in library.klass_mappings,
                # The library's own answers: for no value, and for a value (of any length).
                none_ok=allow(prop_info=info, value_=None, view_=view),
                present_ok=allow(prop_info=info, value_=[None], view_=view),
                none_value=info.get_none_value_for_view(view_=view),
            )
        )
    return steps


@contextlib.contextmanager
def unchanged_components(bom: Any) -> Iterator[None]:
    """:func:`memoized_order` for the components of ``bom`` while an outputter writes it,
    when its bom-refs are all set and distinct (the only change an outputter makes to a
    component is a new value for a missing or repeated bom-ref)."""
    seen: set[Any] = set()
    todo = [bom.metadata.component] if bom.metadata.component is not None else []
    todo.extend(bom.components)
    for service in bom.services:
        value = service.bom_ref.value
        if value is None or value in seen:
            yield
            return
        seen.add(value)
    while todo:
        component = todo.pop()
        value = component.bom_ref.value
        if value is None or value in seen:
            yield
            return
        seen.add(value)
        todo.extend(component.components)
    with memoized_order(Component):
        yield


class _PrettyText:
    """What the XML outputter asks of ``minidom.parseString(text)``: ``toprettyxml``."""

    def __init__(self, text: str) -> None:
        self.text = text

    def toprettyxml(
        self, indent: str = "\t", newl: str = "\n", encoding: Any = None, standalone: Any = None
    ) -> Any:
        """minidom's pretty text of the document (written here when it is plain)."""
        from xml.dom.minidom import parseString  # noqa: PLC0415 -- the fallback only

        from ospo_scan.sbom.xml_pretty import NotPlain, pretty_xml  # noqa: PLC0415

        if encoding is None and standalone is None:
            try:
                return pretty_xml(self.text, indent, newl)
            except NotPlain:
                pass
        return parseString(self.text).toprettyxml(  # noqa: S318 -- our own text, as the library
            indent=indent, newl=newl, encoding=encoding, standalone=standalone
        )


@contextlib.contextmanager
def direct_pretty_xml() -> Iterator[None]:
    """Let cyclonedx-python-lib's XML outputter indent its text without a minidom document,
    on a CPython release whose minidom :mod:`.xml_pretty` was checked against."""
    from cyclonedx.output import xml  # noqa: PLC0415 -- XML only

    from ospo_scan.sbom.xml_pretty import verified_python  # noqa: PLC0415

    if not verified_python():
        yield
        return
    with patched("cyclonedx-python-lib", xml, dom_parseString=_PrettyText):
        yield


@contextlib.contextmanager
def direct_json_indent() -> Iterator[None]:
    """Let cyclonedx-python-lib's JSON outputter indent through :func:`.json_indent.dumps`."""
    from cyclonedx.output import json as json_output  # noqa: PLC0415 -- JSON only

    from ospo_scan.sbom.json_indent import dumps  # noqa: PLC0415

    with patched("cyclonedx-python-lib", json_output, json_dumps=dumps):
        yield
