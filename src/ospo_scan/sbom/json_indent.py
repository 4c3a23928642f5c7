# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""``json.dumps(data, indent=...)``'s text, written without its generators.

With an indent, CPython's ``json`` leaves its C encoder for a pure-Python one made of nested
generators (one per dict and list): about a tenth of a large CycloneDX JSON BOM's time.
:func:`dumps_indented` writes the same text for what ``json.loads`` gives (dicts with string
keys, lists, strings, ints, floats, booleans, None) by the same rules: the C string escaper
(``ensure_ascii``), ``int.__repr__`` and ``float.__repr__`` (``NaN`` and ``Infinity`` as
``json`` writes them), ``", "`` between items and ``": "`` after keys turned into ``","`` and
a new line with the indent. Anything else raises :class:`NotPlainJson` (the caller uses
``json.dumps``). ``tests/sbom/test_cyclonedx_fast.py`` compares the texts.
"""

from __future__ import annotations

import json
from json.encoder import encode_basestring_ascii
from typing import Any

_INFINITY = float("inf")


class NotPlainJson(TypeError):
    """A value besides what ``json.loads`` gives (a tuple, a non-string key, an object)."""


def dumps(data: Any, *, indent: int | str | None = None, **options: Any) -> str:
    """``json.dumps(data, indent=indent)``; with other options, json's own."""
    if options or indent is None:
        return json.dumps(data, indent=indent, **options)
    step = " " * indent if isinstance(indent, int) else indent
    out: list[str] = []
    try:
        _write(data, out, "\n", step)
    except NotPlainJson:
        return json.dumps(data, indent=indent)
    return "".join(out)


def _float(value: float) -> str:
    if value != value:  # noqa: PLR0124 -- NaN
        return "NaN"
    if value == _INFINITY:
        return "Infinity"
    if value == -_INFINITY:
        return "-Infinity"
    return float.__repr__(value)


def _write(value: Any, out: list[str], newline: str, step: str) -> None:
    if isinstance(value, dict):
        _write_dict(value, out, newline, step)
    elif isinstance(value, list):
        _write_list(value, out, newline, step)
    else:
        out.append(_scalar(value))


def _scalar(value: Any) -> str:
    if isinstance(value, str):
        return str(encode_basestring_ascii(value))
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return int.__repr__(value)
    if isinstance(value, float):
        return _float(value)
    raise NotPlainJson(type(value).__name__)


def _write_dict(value: dict[Any, Any], out: list[str], newline: str, step: str) -> None:
    if not value:
        out.append("{}")
        return
    inner = newline + step
    separator = "{" + inner
    for key, item in value.items():
        if not isinstance(key, str):
            raise NotPlainJson("a key that is not a string")
        out.append(separator + encode_basestring_ascii(key) + ": ")
        _write(item, out, inner, step)
        separator = "," + inner
    out.append(newline + "}")


def _write_list(value: list[Any], out: list[str], newline: str, step: str) -> None:
    if not value:
        out.append("[]")
        return
    inner = newline + step
    separator = "[" + inner
    for item in value:
        out.append(separator)
        _write(item, out, inner, step)
        separator = "," + inner
    out.append(newline + "]")
