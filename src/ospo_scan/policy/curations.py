# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""Curations: corrections of what was detected, read from a policy or a curations file.

A waiver accepts a verdict; a curation changes the license itself (ORT's package and license
finding curations, cargo-deny's ``clarify``). Each entry names a package by purl (with a
version: that version; without: every version) or files by path glob, the SPDX expression to
use instead, why and who approved it, optionally an expiry date and the SHA-256 of the license
files it overrides (when they change, the curation is stale and no longer applies).

This module reads the frozen :class:`~.model.Curation` records, with every error
naming file, line and key: :func:`read_curation` for one entry (a policy's ``curations:``
list goes through it too) and :func:`curations_from_file` for a separate file (``--curations
FILE``, a top-level ``curations:`` list). :mod:`ospo_scan.curate` applies them to a result.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from license_expression import ExpressionError

from ospo_scan.errors import CurationError, PolicyError
from ospo_scan.licensing import licensing
from ospo_scan.policy.model import Curation, PinnedFile
from ospo_scan.policy.parse import describe, parse_yaml, shape
from ospo_scan.policy.source import read_text_file
from ospo_scan.policy.values import ValueReader

#: The keys of one curation, and of one of its pinned license files (the policy's JSON
#: Schema is built from these).
CURATION_KEYS = (
    "purl",
    "path",
    "detected",
    "license",
    "reason",
    "approved_by",
    "expires",
    "license_files",
)
LICENSE_FILE_KEYS = ("path", "sha256")
#: The keys of a curations file.
FILE_KEYS = ("curations",)

_SHA256 = re.compile(r"[0-9a-fA-F]{64}")
# An SPDX expression's words: ids (LicenseRef-..., GPL-2.0+) and the operators between them.
_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9.+:\-]*")
_OPERATORS = {"and": "AND", "or": "OR", "with": "WITH"}


def read_curation(reader: ValueReader, data: Any, key: str) -> Curation:
    """One curation entry at ``key``; every error recorded on ``reader`` (and raised when the
    entry cannot be built at all)."""
    body = reader.mapping(data, key, CURATION_KEYS)
    for needed, why in (
        ("license", "the SPDX expression to use instead"),
        ("reason", "why the detected license is wrong"),
        ("approved_by", "who approved the correction"),
    ):
        if needed not in body:
            reader.report(reader.fail(key, f"a curation needs '{needed}' ({why})"))
    if "purl" in body and "path" in body:
        reader.report(
            reader.fail(key, "a curation names a 'purl' or a 'path', not both", "write two")
        )
    elif "purl" not in body and "path" not in body:
        reader.report(reader.fail(key, "a curation needs a 'purl' or a 'path' to match"))

    def optional(name: str, getter: Any) -> Any:
        return reader.attempt(getter, body[name], f"{key}.{name}") if name in body else None

    pins = optional("license_files", lambda value, where: _pins(reader, value, where))
    return Curation(
        origin=reader.origin(key),
        license=optional("license", lambda value, where: expression(reader, value, where)) or "",
        reason=optional("reason", reader.text) or "",
        approved_by=optional("approved_by", reader.text) or "",
        purl=optional("purl", reader.purl),
        path=optional(
            "path", lambda value, where: reader.globs(reader.text(value, where), where)[0]
        ),
        expires=optional("expires", reader.date),
        detected=optional("detected", lambda value, where: expression(reader, value, where)),
        license_files=pins or (),
    )


def expression(reader: ValueReader, value: Any, key: str) -> str:
    """An SPDX expression whose every id is known, spelt canonically (``mit or apache-2.0``
    reads as ``MIT OR Apache-2.0``)."""
    text = reader.text(value, key)
    try:
        licensing().parse(text, validate=False)
    except ExpressionError as exc:
        raise reader.fail(key, f"invalid license expression {text!r}: {exc}") from exc
    except IndexError as exc:  # license-expression's own failure on "()"
        raise reader.fail(key, f"invalid license expression {text!r}: it is empty") from exc
    words: list[str] = []
    after_with = False
    for word in _WORD.findall(text):
        operator = _OPERATORS.get(word.lower())
        if operator is not None:
            words.append(operator)
            after_with = operator == "WITH"
            continue
        # Every unknown id is reported, not only the first.
        exception = True if after_with else None
        spelt = reader.attempt(
            lambda name, where, e=exception: reader.license_id(name, where, exception=e), word, key
        )
        words.append(spelt or word)
        after_with = False
    spelt_words = iter(words)
    return _WORD.sub(lambda _: next(spelt_words), text)


def _pins(reader: ValueReader, value: Any, key: str) -> tuple[PinnedFile, ...]:
    before = len(reader.errors)
    pins = []
    for item, where in reader.items(value, key):
        body = reader.mapping(item, where, LICENSE_FILE_KEYS)
        path = reader.attempt(reader.text, body.get("path"), f"{where}.path")
        digest = reader.attempt(_sha256, reader, body.get("sha256"), f"{where}.sha256")
        if path is not None and digest is not None:
            while path.startswith("./"):
                path = path[2:]
            pins.append(PinnedFile(path, digest))
    if not pins and len(reader.errors) == before:
        raise reader.fail(key, "license_files is empty; list the files or drop the key")
    return tuple(pins)


def _sha256(reader: ValueReader, value: Any, key: str) -> str:
    if not isinstance(value, str) or not _SHA256.fullmatch(value.strip()):
        raise reader.fail(key, f"expected a SHA-256 (64 hex digits), got {describe(value)}")
    return value.strip().lower()


def curations_from_file(path: Path) -> tuple[Curation, ...]:
    """The curations of a ``--curations`` file: YAML with a top-level ``curations:`` list.

    Every error is reported at once, each naming the file, line and key
    (:class:`~ospo_scan.errors.CurationError`).
    """
    text = read_text_file(path, "curations", CurationError)
    source = str(path)
    data, lines = parse_yaml(text, source, what="curations", error=CurationError)
    return curations_from_data(data, source, lines)


def curations_from_data(
    data: Any, source: str, lines: Mapping[str, int] | None = None
) -> tuple[Curation, ...]:
    """Validate the plain data of a curations file (named ``source`` in errors)."""
    reader = ValueReader(source, lines or {})
    try:
        if data is None:
            raise reader.fail("", "the curations file is empty (it needs a 'curations:' list)")
        if not isinstance(data, Mapping):
            raise reader.fail("", f"expected a mapping with a 'curations:' list, got {shape(data)}")
        top = reader.mapping(data, "", FILE_KEYS)
        if "curations" not in top:
            raise reader.fail("", "missing key 'curations' (a list of curations)")
        entries = reader.items(top["curations"], "curations")
    except PolicyError as exc:
        reader.report(exc)
        entries = []
    curations = [reader.attempt(read_curation, reader, item, key) for item, key in entries]
    if reader.errors:
        raise CurationError(*dict.fromkeys(reader.errors))
    return tuple(c for c in curations if c is not None)
