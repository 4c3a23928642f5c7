# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""Fast file typing gives typecode's values with libmagic's, on the files where it could not.

Each file is typed twice with the real typecode and libmagic: as shipped (two libmagic calls),
and under :func:`~ospo_scan.engine.fast_types.fast_typing`. Every predicate that ScanCode
reads must be equal, and the MIME type too (except where the module says it gives an
equivalent value); the libmagic calls are counted, so that a stand-in that never acts fails.
"""

from __future__ import annotations

import contextlib
import gzip
import io
import os
import zipfile
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from binaryornot import helpers
from hypothesis import given, settings
from hypothesis import strategies as st
from typecode import contenttype, magic2

from ospo_scan.engine import fast_types
from ospo_scan.model import FileRecord
from ospo_scan.scan.files import scan_file
from ospo_scan.scan.options import ScanOptions
from ospo_scan.scan.walk import Entry, EntryKind

#: Every typecode value that ScanCode 32.5.0 reads while detecting (see the module docstring),
#: and a few more.
PREDICATES = (
    "filetype_file",
    "contains_text",
    "is_media",
    "is_pdf",
    "is_text",
    "is_binary",
    "is_text_with_long_lines",
    "is_compact_js",
    "is_js_map",
    "is_archive",
    "is_compressed",
    "is_package",
    "is_office_doc",
    "is_filesystem",
    "is_script",
    "is_source",
    "programming_language",
    "is_media_with_meta",
    "is_elf",
    "is_winexe",
)


def _pdf(text: str) -> bytes:
    """A small, valid, ASCII-only PDF with one line of ``text``."""
    stream = f"BT /F1 12 Tf 72 712 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n%s\nendobj\n" % (n, body))
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (6, xref))
    return out.getvalue()


def _zip() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("LICENSE", "Permission is hereby granted, free of charge\n" * 20)
    return out.getvalue()


_MINIFIED = "/*! lib v1 | MIT */" + "".join(
    f"var a{n}=function(b){{return b+{n}}};" for n in range(400)
)

#: name -> content: the tricky kinds of the brief, and ordinary text of every kind.
FILES: dict[str, bytes] = {
    "logo.svg": b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"><!-- A --></svg>',
    "logo-svg.txt": b'<svg xmlns="http://www.w3.org/2000/svg"><!-- Copyright Example --></svg>\n',
    "icon.xpm": b'/* XPM */\nstatic char * x_xpm[] = {\n"2 2 1 1",\n"a c #000",\n"aa",\n"aa"};',
    "icon.xbm": b"#define icon_width 8\n#define icon_height 1\nstatic char icon_bits[] = {0x00};\n",
    "image.pbm": b"P1\n# SPDX-License-Identifier: MIT\n2 2\n0 1\n1 0\n",
    "image.pgm": b"P2\n2 2\n255\n0 255\n255 0\n",
    "ascii.pdf": _pdf("Licensed under the MIT License"),
    "doc.ps": b"%!PS-Adobe-3.0\n%%Title: x\n/Helvetica findfont 12 scalefont setfont\nshowpage\n",
    "data.json": b'{"name": "x", "license": "MIT", "list": [1, 2, 3]}\n',
    "table.csv": b"name,license,version\nx,MIT,1\ny,Apache-2.0,2\nz,BSD,3\n",
    "lib.min.js": _MINIFIED.encode(),
    "bundle.js": _MINIFIED.encode(),
    "utf16.txt": "\ufeffCopyright (c) 2024 Example\nMIT License\n".encode("utf-16"),
    "latin1.txt": "Copyright (c) 2024 J\xfcrgen M\xfcller\nLicense: MIT\n".encode("latin-1"),
    "empty.txt": b"",
    "crlf.txt": b"Copyright (c) 2024 Example\r\nLicensed under the MIT license\r\n",
    "cr.txt": b"line one\rline two\rline three\r",
    "image.tga": b"\x00\x00\x02" + bytes(9) + b"\x01\x00\x01\x00\x18\x00\xff\xff\xff",
    "text.gz": gzip.compress(b"Licensed under the MIT license\n" * 10),
    "archive.zip": _zip(),
    "elf.bin": b"\x7fELF\x02\x01\x01\x00" + bytes(8) + b"\x02\x00\x3e\x00" + bytes(44),
    "one.txt": b"x",
    "no-newline.txt": b"just one line of text without a line terminator",
    "escapes.txt": b"colour \x1b[1mbold\x1b[0m text\n",
    "long.txt": (b"word " * 100 + b"\n") * 3,
    "Main.java": b"import java.util.List;\n\npublic class Main {\n}\n",
    "main.cpp": b"#include <vector>\nusing namespace std;\nint main() { return 0; }\n",
    "page.html": b"<!DOCTYPE html>\n<html><head><title>x</title></head><body>MIT</body></html>\n",
    "messages.po": b'# Copyright (C) 2024 Example\nmsgid ""\nmsgstr ""\n"Language: fr\\n"\n',
    "script.py": b"#!/usr/bin/python\n# SPDX-License-Identifier: MIT\nprint('x')\n",
    "module.py": b"from os import path\n\n\nclass Thing:\n    pass\n",
    "docstring.py": b'"""A module."""\nimport os\n',
    "main_guard.py": b"def main():\n    pass\n\n\nif __name__ == '__main__':\n    main()\n",
    "tool.js": b"#!/usr/bin/env node\n// MIT\nconsole.log(1)\n",
    "config.xml": b'<?xml version="1.0" encoding="UTF-8"?>\n<config><license>A</license></config>',
    "algol.a68": b'PROC main = VOID: print(("hello", newline))\n',
    "Makefile": b"all:\n\techo done\n",
    "shell.sh": b"#!/bin/sh\necho 'Licensed under the MIT license'\n",
    "control.txt": b"bell \x07 and form feed \x0c in text\n",
}


@pytest.fixture
def libmagic_calls(monkeypatch: pytest.MonkeyPatch) -> Counter[int]:
    """libmagic calls by typecode's flags (0: description, 16: MIME type), counted."""
    calls: Counter[int] = Counter()
    original = magic2._detect

    def counting(location: str, flags: int) -> Any:
        calls[flags] += 1
        return original(location, flags)

    monkeypatch.setattr(magic2, "_detect", counting)
    return calls


@pytest.fixture
def tree(tmp_path: Path) -> Iterator[Path]:
    for name, content in FILES.items():
        (tmp_path / name).write_bytes(content)
    (tmp_path / "shell.sh").chmod(0o755)
    yield tmp_path
    _forget(tmp_path)


def _forget(root: Path) -> None:
    """Drop typecode's cached Type of every file under ``root``."""
    for key in [k for k in contenttype._registry if k.startswith(str(root))]:
        del contenttype._registry[key]


def _typed(location: Path, typing: Callable[[], Any]) -> dict[str, Any]:
    path = os.path.abspath(location)  # noqa: PTH100 -- typecode's own key, links unresolved
    contenttype._registry.pop(path, None)
    try:
        with typing():
            found = contenttype.get_type(path)
            values = {name: getattr(found, name) for name in PREDICATES}
            values["pdf_text"] = bool(found.is_pdf and found.is_pdf_with_text)
            values["mimetype_file"] = found.mimetype_file
        return values
    finally:
        contenttype._registry.pop(path, None)


def _shipped() -> Any:
    return contextlib.nullcontext()


def test_libmagic_is_the_verified_release() -> None:
    # Otherwise every other test here compares libmagic with itself.
    assert fast_types.libmagic_verified()


@pytest.mark.parametrize("name", sorted(FILES))
def test_fast_typing_gives_libmagics_values(
    tree: Path, name: str, libmagic_calls: Counter[int]
) -> None:
    shipped = _typed(tree / name, _shipped)
    shipped_calls = sum(libmagic_calls.values())
    libmagic_calls.clear()
    fast = _typed(tree / name, fast_types.fast_typing)
    shipped_mime = shipped.pop("mimetype_file")
    fast_mime = fast.pop("mimetype_file")
    assert fast == shipped
    if not fast["filetype_file"].startswith("Python script, "):
        assert fast_mime == shipped_mime
    derived = fast_types.mime_from_description(fast["filetype_file"])
    # One call when the description proves the MIME type, both otherwise.
    assert sum(libmagic_calls.values()) == (1 if derived else shipped_calls)
    assert libmagic_calls[0] == 1


def test_the_stand_in_acts_on_ordinary_text(tree: Path, libmagic_calls: Counter[int]) -> None:
    for name in ("crlf.txt", "latin1.txt", "utf16.txt", "long.txt", "data.json", "table.csv"):
        _typed(tree / name, fast_types.fast_typing)
    assert libmagic_calls == Counter({0: 6})


def test_media_pdf_and_binaries_still_ask_libmagic(
    tree: Path, libmagic_calls: Counter[int]
) -> None:
    media = ("logo.svg", "logo-svg.txt", "icon.xpm", "image.pbm", "ascii.pdf", "image.tga")
    for name in media:
        assert (
            fast_types.mime_from_description(_typed(tree / name, _shipped)["filetype_file"]) is None
        )
    libmagic_calls.clear()
    found = {name: _typed(tree / name, fast_types.fast_typing) for name in media}
    assert libmagic_calls == Counter({0: len(media), 16: len(media)})
    assert found["image.pbm"]["contains_text"] is False  # a notice in it is never read
    assert found["logo-svg.txt"]["contains_text"] is False
    assert found["logo.svg"]["contains_text"] is True
    assert found["ascii.pdf"]["pdf_text"] is True


def test_an_unverified_libmagic_gets_both_calls(
    tree: Path, libmagic_calls: Counter[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(fast_types, "_libmagic", [538])
    _typed(tree / "crlf.txt", fast_types.fast_typing)
    assert libmagic_calls == Counter({0: 1, 16: 1})


def test_the_original_comes_back(tree: Path) -> None:
    original = magic2.mime_type
    seen = []
    with contextlib.suppress(RuntimeError), fast_types.fast_typing():
        seen.append(magic2.mime_type)
        raise RuntimeError
    assert seen[0] is not original
    assert magic2.mime_type is original


@pytest.mark.parametrize("name", sorted(FILES))
def test_binaryornot_features_are_binaryornots(tree: Path, name: str) -> None:
    chunk = helpers.get_starting_chunk(tree / name)
    if chunk:
        assert fast_types._fast_features(chunk) == helpers._compute_features(chunk)


@settings(max_examples=3000, deadline=None)
@given(
    st.one_of(
        st.binary(min_size=1, max_size=600),
        st.lists(st.sampled_from(b"\x00\t\n\r ab<>\x1b\x7f\x80\xc3\xa9\xfe\xff"), min_size=1).map(
            bytes
        ),
        st.text(min_size=1).map(lambda text: text.encode("utf-16")),
    )
)
def test_binaryornot_features_on_any_bytes(chunk: bytes) -> None:
    assert fast_types._fast_features(chunk) == helpers._compute_features(chunk)


def test_binaryornot_stand_in_is_used() -> None:
    assert fast_types.binaryornot_verified()
    original = helpers._compute_features
    with fast_types.fast_typing():
        assert helpers._compute_features is fast_types._fast_features
    assert helpers._compute_features is original


@pytest.mark.parametrize(
    ("description", "mime"),
    [
        ("ASCII text", "text/plain"),
        (
            "UTF-8 Unicode (with BOM) text, with very long lines, with CRLF line terminators",
            "text/plain",
        ),
        ("Non-ISO extended-ASCII text, with CR, LF line terminators", "text/plain"),
        ("ASCII text, with no line terminators, with escape sequences", "text/plain"),
        ("Little-endian UTF-16 Unicode text, with CRLF, CR line terminators", "text/plain"),
        ("JSON data", "application/json"),
        ("CSV text", "application/csv"),
        ("Java source, ASCII text", "text/x-java"),
        ("Python script, ASCII text executable, with very long lines", "text/x-script.python"),
        ("GNU gettext message catalogue, UTF-8 Unicode text", "text/x-po"),
        ("Python script text executable Python script, ASCII text executable", None),
        ("ASCII text executable", None),  # never the text tests' own words alone
        ("Node.js script, ASCII text executable", None),  # "%s script" entries hold no MIME
        ("exported SGML document, ASCII text", None),
        ("SVG Scalable Vector Graphics image", None),
        ("Netpbm image data, size = 2 x 2, bitmap, ASCII text", None),
        ("PDF document, version 1.4", None),
        ("data", None),
        ("", None),
        ("JSON data, ASCII text", None),
        ("ASCII text, with very long lines, with very long lines", None),
    ],
)
def test_which_descriptions_prove_the_mime_type(description: str, mime: str | None) -> None:
    assert fast_types.mime_from_description(description) == mime


def _record(root: Path, name: str, prefilter: bool) -> FileRecord:
    _forget(root)
    location = root / name
    entry = Entry(name, str(location), EntryKind.FILE, size=location.stat().st_size)
    return scan_file(entry, ScanOptions(prefilter=prefilter))


@pytest.mark.parametrize(
    "name",
    [
        "image.pbm",
        "logo.svg",
        "logo-svg.txt",
        "crlf.txt",
        "latin1.txt",
        "utf16.txt",
        "lib.min.js",
        "bundle.js",
        "data.json",
        "table.csv",
        "script.py",
        "messages.po",
        "ascii.pdf",
        "doc.ps",
    ],
)
def test_scanned_records_are_the_same(tree: Path, name: str, libmagic_calls: Counter[int]) -> None:
    exact = _record(tree, name, prefilter=False)
    shipped_calls = sum(libmagic_calls.values())
    libmagic_calls.clear()
    fast = _record(tree, name, prefilter=True)
    assert fast == exact
    assert sum(libmagic_calls.values()) <= shipped_calls
