# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""Reading a file's text lines once gives ScanCode's findings, with one read instead of three."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from textcode import analysis

from ospo_scan.engine import detect, fast_copyrights, fast_licenses, fast_reads

FILES: dict[str, bytes] = {
    "notice.js": b"/* Copyright (c) 2024 Example Ltd.\\n Licensed under the MIT license */\n"
    b"var s = 'a\\nb';\n",
    "crlf.txt": b"Copyright (c) 2024 Example\r\nLicensed under the Apache License, Version 2.0\r\n",
    "page.html": b"<html><body><p>Copyright (c) 2024 Example Ltd.</p>\n"
    b"<p>Licensed under the MIT license.</p></body></html>\n" * 3,
    "min.js": b"/*! x v1 | (c) Example | MIT */"
    + b"".join(b"var a%d=function(b){return b+%d};" % (n, n) for n in range(300)),
    "latin1.py": "# Copyright (c) 2024 J\xfcrgen M\xfcller\n# License: BSD-3-Clause\n".encode(
        "latin-1"
    ),
}


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every read of a file's lines that ScanCode starts (``_unicode_text_lines``)."""
    seen: list[str] = []
    original = analysis._unicode_text_lines

    def counting(location: str) -> Iterator[str]:
        seen.append(location)
        return original(location)  # type: ignore[no-any-return]

    monkeypatch.setattr(analysis, "_unicode_text_lines", counting)
    return seen


def _detect(location: str) -> tuple[Any, Any]:
    return (
        fast_licenses.detect_licenses_fast(location),
        fast_copyrights.detect_copyrights_fast(location),
    )


@pytest.mark.parametrize("name", sorted(FILES))
def test_lines_read_once_give_the_same_findings(
    tmp_path: Path, name: str, reads: list[str]
) -> None:
    path = tmp_path / name
    path.write_bytes(FILES[name])
    shipped = _detect(str(path))
    shipped_reads = len(reads)
    reads.clear()
    with fast_reads.lines_once():
        once = _detect(str(path))
    once_reads = len(reads)
    assert once == shipped
    assert shipped == (detect.detect_licenses(str(path)), detect.detect_copyrights(str(path)))
    assert shipped_reads >= 2
    # Markup is read for copyrights through its own stripper, not these lines.
    assert once_reads == (2 if name == "page.html" else 1)


def test_lines_are_forgotten_when_the_block_ends(tmp_path: Path) -> None:
    path = tmp_path / "NOTES.txt"
    path.write_bytes(b"Copyright (c) 2023 Example Ltd.\n")
    original = analysis.unicode_text_lines
    with fast_reads.lines_once():
        first = fast_copyrights.detect_copyrights_fast(str(path))
    assert analysis.unicode_text_lines is original
    path.write_bytes(b"Copyright (c) 2024 Other Corp.\n")
    with fast_reads.lines_once():
        second = fast_copyrights.detect_copyrights_fast(str(path))
    assert [c.statement for c in first.copyrights] == ["Copyright (c) 2023 Example Ltd."]
    assert [c.statement for c in second.copyrights] == ["Copyright (c) 2024 Other Corp."]
