# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""The result document on disk: JSON text out, a checked :class:`ScanResult` back in.

``check`` and ``sbom`` accept a saved result instead of a folder; this module reads it back
without a rescan and refuses, with a clear message, a file that is not one.
"""

from __future__ import annotations

import json
import re
import stat
from dataclasses import replace
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from ospo_scan.errors import ResultFileError
from ospo_scan.model import SCHEMA_VERSION, ScanResult
from ospo_scan.records import Record


def to_json(result: ScanResult) -> str:
    """The result as stable JSON text, ending in a newline.

    The document is indented, and each file, package and dependency record is one line:
    a change to a file is a one-line change in a diff, and the records are written by the
    json module's C encoder (indenting them all made writing about 6x slower, a sixth of a
    warm re-scan). Non-ASCII stays readable; a file name that is not valid UTF-8 (kept by
    Python as lone surrogates) is written as a JSON ``\\udcXX`` escape rather than failing
    the write.

    The records are turned into mappings and text one at a time, and the text is joined
    once: 100,000 dependencies never exist as a tree of mappings as well as their text.
    """
    lists: dict[str, tuple[Record, ...]] = {
        "files": result.files,
        "packages": result.packages,
        "dependencies": result.dependencies,
    }
    skeleton = replace(result, files=(), packages=(), dependencies=()).to_dict()
    pieces = ["{\n"]
    for number, (key, value) in enumerate(skeleton.items()):
        pieces.append(",\n  " if number else "  ")
        pieces.append(_text(json.dumps(key, ensure_ascii=False)) + ": ")
        records = lists.get(key, ())
        if records:
            pieces.append("[\n")
            for index, record in enumerate(records):
                line = json.dumps(record.to_dict(), ensure_ascii=False, separators=(", ", ": "))
                pieces.append((",\n    " if index else "    ") + _text(line))
            pieces.append("\n  ]")
        else:
            text = json.dumps(value, indent=2, ensure_ascii=False).replace("\n", "\n  ")
            pieces.append(_text(text))
    pieces.append("\n}\n")
    return "".join(pieces)


def _text(text: str) -> str:
    """``text`` with any lone surrogate (a name that is not UTF-8) as a ``\\udcXX`` escape."""
    if text.isascii():
        return text
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


@cache
def result_schema() -> dict[str, Any]:
    """The JSON Schema of the result document, as shipped in the package."""
    text = (
        resources.files("ospo_scan")
        .joinpath("schemas/scan-result.schema.json")
        .read_text(encoding="utf-8")
    )
    schema: dict[str, Any] = json.loads(text)
    return schema


#: How a result document starts: ``schema_version`` is its first key (after a UTF-8 BOM, if
#: any), as :func:`to_json` and ``json.dumps(result.to_dict())`` write it.
_RESULT_START = re.compile(rb'\A(?:\xef\xbb\xbf)?\s*\{\s*"schema_version"\s*:')

#: Bytes read to tell a result document from any other file.
_SNIFF_BYTES = 512


def looks_like_result(path: Path) -> bool:
    """Whether ``path`` is a regular file that starts as a result document does.

    Cheap and safe: nothing but a regular file is opened (never a FIFO or a device), and only
    its first bytes are read, never parsed. A ``package.json`` or ``composer.json`` does not
    start with ``schema_version`` and is not taken for one. A file that starts like one but is
    not valid is still taken for one, so that :func:`load_result` says what is wrong with it.
    """
    try:
        if not stat.S_ISREG(path.stat().st_mode):
            return False
        with path.open("rb") as handle:
            head = handle.read(_SNIFF_BYTES)
    except OSError:
        return False
    return _RESULT_START.match(head) is not None


def load_result(path: Path) -> ScanResult:
    """Read a result document written by ``ospo-scan scan --format json``."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ResultFileError(f"cannot read {path}: {exc.strerror or exc}") from exc
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ResultFileError(f"{path} is not a JSON result document: {exc}") from exc
    if not isinstance(data, dict) or "schema_version" not in data:
        raise ResultFileError(f"{path} is not an ospo-scan result document (no schema_version)")
    version = str(data["schema_version"])
    if version.split(".", maxsplit=1)[0] != SCHEMA_VERSION.split(".")[0]:
        raise ResultFileError(
            f"{path} has schema version {version}; this ospo-scan reads {SCHEMA_VERSION}"
        )
    try:
        return ScanResult.from_dict(data)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise ResultFileError(f"{path} is not a valid ospo-scan result document: {exc!r}") from exc
