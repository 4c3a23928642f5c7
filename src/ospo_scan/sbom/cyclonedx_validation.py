# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""The CycloneDX 1.6 strict JSON schema check, as cyclonedx-python-lib 11.12.0 runs it, faster.

:func:`json_schema_errors` checks a parsed BOM against the library's own strict schema, with
the library's registry of referenced schemas and its format checker (jsonschema's draft-07
validator). Three steps of jsonschema grow too fast with a BOM of 100,000 components (over a
minute of a large SBOM's time); each is answered the same way, faster:

- ``uniqueItems``: jsonschema compares the items of an array pairwise; here two items whose
  ``bom-ref`` (or ``ref``) values differ are known to differ, and any other list is compared
  through a set of canonical JSON texts;
- ``$ref``: the same reference from the same schema resource always resolves to the same
  subschema (draft-07 has no dynamic references), so each is resolved once; and the
  validator that jsonschema makes for each subschema it enters (``evolve``) differs from the
  others of the run only in that subschema and its resolver, so one is made per pair;
- a subschema that accepted an instance accepts an equal instance: a ``$ref`` whose instance
  (an object or array) is equal, as JSON, to one it already accepted is not checked again.
  A BOM repeats such parts thousands of times (the same license choice, supplier or hash
  shape). Only acceptances are remembered: an instance with errors is always checked in
  full, so the errors and their paths are jsonschema's. A reference whose instances never
  repeat (one per component) stops being remembered after a few, to save the canonical
  text.

``tests/sbom/test_cyclonedx_fast.py`` compares the findings with the library's validator on
valid and broken BOMs.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterator
from typing import Any

from cyclonedx.schema import SchemaVersion

from ospo_scan.sbom._patch import verified

SCHEMA = SchemaVersion.V1_6

#: After this many instances of one reference without a repeat, stop remembering it.
_TRIES = 64


@functools.cache
def _library_validator() -> Any:
    """cyclonedx-python-lib's strict JSON-schema validator (its ``jsonschema`` object)."""
    from cyclonedx.validation.json import JsonStrictValidator  # noqa: PLC0415 -- JSON only

    return JsonStrictValidator(SCHEMA)._validator


def json_schema_errors(document: Any) -> list[str] | None:
    """The strict CycloneDX 1.6 schema's findings about the parsed ``document``, one line
    each (``path: message``); None when the library's validator is not the shape this
    module knows (the caller then runs the library's own)."""
    import jsonschema  # noqa: PLC0415 -- installed by cyclonedx-python-lib[validation]

    if not verified("jsonschema"):
        return None
    try:
        library = _library_validator()
        if getattr(library, "_ref_resolver", None) is not None:
            return None
        memo = _RefMemo()
        fast = jsonschema.validators.extend(
            type(library), {"uniqueItems": unique_items, "$ref": memo.ref}
        )
        evolve = fast.evolve
        evolved: dict[tuple[int, int], tuple[Any, Any, Any]] = {}

        def same_evolve(self: Any, **changes: Any) -> Any:
            # descend() evolves a validator for each subschema it enters; in one run every
            # field but the subschema and its resolver is the same, so each pair gives one.
            if changes.keys() != {"schema", "_resolver"}:
                return evolve(self, **changes)
            key = (id(changes["schema"]), id(changes["_resolver"]))
            hit = evolved.get(key)
            if hit is None:  # (the schema and resolver are held, so their ids stay theirs)
                hit = evolved[key] = (evolve(self, **changes), *changes.values())
            return hit[0]

        fast.evolve = same_evolve
        validator = fast(
            library.schema, registry=library._registry, format_checker=library.format_checker
        )
    except (AttributeError, TypeError):
        return None
    return [
        f"{'/'.join(str(p) for p in e.absolute_path) or '(document)'}: {e.message}"
        for e in validator.iter_errors(document)
    ]


class _RefMemo:
    """The ``$ref`` keyword of one validation run: resolutions and acceptances remembered."""

    def __init__(self) -> None:
        self.resolved: dict[tuple[str, str], Any] = {}
        self.accepted: set[tuple[str, str, str]] = set()
        self.tries: dict[tuple[str, str], list[int]] = {}  # [repeats, misses] per reference

    def ref(self, validator: Any, ref: str, instance: Any, schema: Any) -> Iterator[Any]:
        """jsonschema's ``$ref`` (``_validate_reference`` of a registry-based validator)."""
        import referencing.exceptions  # noqa: PLC0415 -- jsonschema's own dependency
        from jsonschema import exceptions  # noqa: PLC0415

        where = (validator._resolver._base_uri, ref)
        resolved = self.resolved.get(where)
        if resolved is None:
            try:
                resolved = validator._resolver.lookup(ref)
            except referencing.exceptions.Unresolvable as err:
                raise exceptions._WrappedReferencingError(err) from err
            self.resolved[where] = resolved
        counts = self.tries.setdefault(where, [0, 0])
        if not isinstance(instance, (dict, list)) or (counts[0] == 0 and counts[1] >= _TRIES):
            yield from validator.descend(instance, resolved.contents, resolver=resolved.resolver)
            return
        key = (*where, json.dumps(instance, sort_keys=True))
        if key in self.accepted:
            counts[0] += 1
            return
        counts[1] += 1
        errors = list(validator.descend(instance, resolved.contents, resolver=resolved.resolver))
        if not errors:
            self.accepted.add(key)
        yield from errors


def unique_items(validator: Any, unique: Any, instance: Any, schema: Any) -> Iterator[Any]:
    """jsonschema's ``uniqueItems``, linear: by ``bom-ref``/``ref`` values when those tell
    the items apart, else by a set of canonical JSON texts."""
    import jsonschema  # noqa: PLC0415

    if not unique or not validator.is_type(instance, "array"):
        return
    for field in ("bom-ref", "ref"):
        values = {item.get(field) for item in instance if isinstance(item, dict) and field in item}
        if len(values) == len(instance) and all(isinstance(v, str) for v in values):
            return  # every item has its own value of the field: no two are equal
    seen: set[str] = set()
    for item in instance:
        key = json.dumps(item, sort_keys=True)
        if key in seen:
            yield jsonschema.ValidationError(f"{key} is listed more than once (uniqueItems)")
            return
        seen.add(key)
