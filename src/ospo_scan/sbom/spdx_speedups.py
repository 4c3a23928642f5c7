# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""Linear stand-ins for the steps of spdx-tools 0.8.2 (and rdflib 7.6.0) that are quadratic.

Each is a context manager that swaps a library function through :func:`._patch.patched`
(so only on the verified release; otherwise the library runs as shipped) and answers as the
function it replaces; ``tests/sbom/test_sbom_patches.py`` compares them with the originals.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

from spdx_tools.common.spdx_licensing import spdx_licensing
from spdx_tools.spdx.validation import package_validator, spdx_id_validators

from ospo_scan.sbom._patch import patched, verified


@contextlib.contextmanager
def indexed_ids(indexed: Any) -> Iterator[None]:
    """Make spdx-tools' id lookups against ``indexed`` constant-time while it validates.

    spdx-tools 0.8.2 checks that each relationship's ids exist by rebuilding the list of every
    id in the document for each lookup (``is_spdx_id_present_in_document``): quadratic,
    minutes for a tree of a few thousand files. The check stays theirs; it runs against a set
    of the same ids, built once.
    """
    original = spdx_id_validators.is_spdx_id_present_in_document
    known: frozenset[str] = frozenset()

    def present(spdx_id: str, document: Any) -> bool:
        return spdx_id in known if document is indexed else bool(original(spdx_id, document))

    with patched(
        "spdx-tools", spdx_id_validators, is_spdx_id_present_in_document=present
    ) as active:
        if active:
            known = frozenset(spdx_id_validators.get_list_of_all_spdx_ids(indexed))
        yield


def _grouped(relationships: list[Any], end: str) -> dict[tuple[Any, str], list[Any]]:
    """``relationships`` by (type, ``end`` id), each group in document order."""
    groups: dict[tuple[Any, str], list[Any]] = {}
    for relationship in relationships:
        key = (relationship.relationship_type, getattr(relationship, end))
        groups.setdefault(key, []).append(relationship)
    return groups


@contextlib.contextmanager
def indexed_relationships(indexed: Any) -> Iterator[None]:
    """Make spdx-tools' per-package relationship filters constant-time while it validates.

    spdx-tools 0.8.2 checks that a package without analysed files contains no file by
    filtering every relationship of the document, once per package
    (``filter_by_type_and_origin``, ``filter_by_type_and_target`` as ``package_validator``
    imports them): quadratic, most of the time of an SBOM with 100,000 dependencies. The
    check stays theirs; the two filters answer from groups of the same relationships built
    once, the same lists in the same order.
    """
    relationships = indexed.relationships
    # The module as ``Any``: its two names are imports mypy does not see as exported.
    validator: Any = package_validator
    origin_filter = validator.filter_by_type_and_origin
    target_filter = validator.filter_by_type_and_target
    by_origin: dict[tuple[Any, str], list[Any]] = {}
    by_target: dict[tuple[Any, str], list[Any]] = {}

    def by_type_and_origin(found: list[Any], kind: Any, origin: str) -> list[Any]:
        if found is not relationships:
            return list(origin_filter(found, kind, origin))
        return list(by_origin.get((kind, origin), ()))

    def by_type_and_target(found: list[Any], kind: Any, target: str) -> list[Any]:
        if found is not relationships:
            return list(target_filter(found, kind, target))
        return list(by_target.get((kind, target), ()))

    with patched(
        "spdx-tools",
        validator,
        filter_by_type_and_origin=by_type_and_origin,
        filter_by_type_and_target=by_type_and_target,
    ) as active:
        if active:
            by_origin.update(_grouped(relationships, "spdx_element_id"))
            by_target.update(_grouped(relationships, "related_spdx_element_id"))
        yield


@contextlib.contextmanager
def one_licensing() -> Iterator[None]:
    """Let spdx-tools' tag-value parser build its SPDX ``Licensing`` once, not per license.

    spdx-tools 0.8.2 calls ``license_expression.get_spdx_licensing()`` for every license
    line it parses, and each call loads the whole SPDX license index again (about 70 ms):
    hours for 100,000 dependencies. spdx-tools' validator already uses one such object built
    once (``spdx_tools.common.spdx_licensing.spdx_licensing``); the parser gets that same
    object, so it parses each line as before.
    """
    from spdx_tools.spdx.parser.tagvalue import parser  # noqa: PLC0415 -- spdx-tv only

    with patched("spdx-tools", parser, get_spdx_licensing=lambda: spdx_licensing):
        yield


@contextlib.contextmanager
def linear_canonicalization() -> Iterator[None]:
    """Let rdflib's graph canonicalization refine colours in about linear time.

    :func:`rdflib.compare.to_canonical_graph` (which gives an spdx-rdf document its stable
    blank-node labels) refines colours in a loop that is quadratic in the blank nodes: over
    two minutes for 1,000 dependencies. :func:`.rdf_canon.refine` takes the same steps.
    """
    from rdflib.compare import _TripleCanonicalizer  # noqa: PLC0415 -- spdx-rdf only

    from ospo_scan.sbom.rdf_canon import refine  # noqa: PLC0415

    with patched("rdflib", _TripleCanonicalizer, _refine=refine):
        yield


def plain_ascii(data: Any) -> bool:
    """True when every string in ``data`` (keys and values, at any depth) is printable ASCII.

    libyaml's emitter and PyYAML's pure-Python one give the same text for such documents;
    they break long double-quoted scalars (a non-ASCII or control character) at other
    columns, so any other document stays with PyYAML's emitter.
    """
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if not (item.isascii() and item.isprintable()):
                return False
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, (list, tuple)):
            stack.extend(item)
    return True


class _CYaml:
    """``yaml`` as spdx-tools' YAML writer sees it: ``safe_dump`` through libyaml's emitter
    when the document is printable ASCII, else PyYAML's own ``safe_dump``."""

    @staticmethod
    def safe_dump(data: Any, stream: Any, **options: Any) -> Any:
        import yaml  # noqa: PLC0415 -- spdx-yaml only

        if plain_ascii(data):
            return yaml.dump(data, stream, Dumper=yaml.CSafeDumper, **options)
        return yaml.safe_dump(data, stream, **options)


@contextlib.contextmanager
def c_yaml_emitter() -> Iterator[None]:
    """Let spdx-tools' YAML writer emit through libyaml (C) when that gives the same text.

    spdx-tools 0.8.2 writes spdx-yaml with ``yaml.safe_dump``, PyYAML's pure-Python emitter:
    most of an spdx-yaml SBOM's time. The document (the same dictionary) goes to PyYAML's
    ``CSafeDumper`` instead, the same representer with libyaml's emitter, when PyYAML was
    built with libyaml and :func:`plain_ascii` holds (the two emitters differ only in where
    they break long double-quoted scalars, which printable ASCII never needs); otherwise, or
    on another PyYAML release, the library runs as shipped.
    """
    import yaml  # noqa: PLC0415 -- spdx-yaml only
    from spdx_tools.spdx.writer.yaml import yaml_writer  # noqa: PLC0415

    if not getattr(yaml, "__with_libyaml__", False) or not verified("PyYAML"):
        yield
        return
    with patched("spdx-tools", yaml_writer, yaml=_CYaml):
        yield
