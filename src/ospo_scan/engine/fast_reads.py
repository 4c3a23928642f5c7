# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""Each file's text lines read and decoded once while it is detected (issue 19).

ScanCode reads a text file's lines through ``textcode.analysis.unicode_text_lines`` (the whole
file read, split, each line decoded by ``as_unicode``, escaped line ends removed in source
files) up to three times per file: for the license query, again for the matched text that
names each detection (``licensedcode.match.tokenize_matched_text``), and again for the
copyright detector (``numbered_text_lines(demarkup=True)``, the same lines unless the file is
markup). :func:`lines_once` remembers the lines of the first read, by location and
``decrlf``, for the length of one file's detection, and hands the same lines to the later
reads. The function is pure given the file's bytes, and a file is not changed while it is
scanned (ScanCode's own repeated reads assume as much), so the lines are the same.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable, Iterator
from typing import Any

from ospo_scan.engine._patch import swapped, verified

#: Files larger than this are read as shipped each time: their lines are not kept.
_KEEP_LIMIT = 8 * 1024 * 1024

#: ScanCode's own unicode_text_lines, kept while the stand-in replaces it.
_ORIGINAL: list[Any] = []


def _remembering(memo: dict[tuple[str, bool], list[str]]) -> Any:
    def unicode_text_lines(location: str, decrlf: bool = False) -> Iterable[str]:
        key = (location, bool(decrlf))
        lines = memo.get(key)
        if lines is None:
            produced: Iterable[str] = _ORIGINAL[0](location=location, decrlf=decrlf)
            try:
                size = os.stat(location).st_size  # noqa: PTH116 -- a str location, as ScanCode's
            except OSError:
                return produced
            if size > _KEEP_LIMIT:
                return produced
            lines = list(produced)
            memo[key] = lines
        return iter(lines)

    return unicode_text_lines


@contextlib.contextmanager
def lines_once() -> Iterator[None]:
    """Inside the block, a file's text lines are read and decoded once (see the module
    docstring); they are forgotten when the block ends. A no-op on an unverified ScanCode."""
    from textcode import analysis  # type: ignore[import-untyped]  # ScanCode's, untyped

    if not verified():
        yield
        return
    if not _ORIGINAL:
        _ORIGINAL.append(analysis.unicode_text_lines)
    memo: dict[tuple[str, bool], list[str]] = {}
    try:
        with swapped(analysis, unicode_text_lines=_remembering(memo)):
            yield
    finally:
        memo.clear()
