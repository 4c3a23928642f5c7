# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""ScanCode's matched text of a license match, built in one loop and once per match.

On license-dense input (a folder of license texts) about a quarter of a cold scan's CPU time
went to the matched text of each match (issue 19: a profile of the benchmark's ``dense``
corpus), more than to the matchers: ScanCode builds it twice per match with the same options,
once for its false-positive check (``licensedcode.detection.is_false_positive``: does the text
say "copyright"?) and once for the detection's identifier (a hash of the text's tokens), and
each time it runs every token of the file through three chained generators and copies each
matched token (``attr.evolve``) only to read one flag of it.

:func:`fast_get_full_matched_text` stands in for ``licensedcode.match.get_full_matched_text``
while a file is detected (swapped in by :func:`.fast_licenses.detect_licenses_fast`): for the
options ScanCode's detection uses (not ``whole_lines``, not ``only_matched``) it walks the
same tokens with the same decisions as ``reportable_tokens`` and the highlighting of
``get_full_qspan_matched_text`` (scancode-toolkit 32.5.0, Apache-2.0, (c) nexB Inc. and
others), in one loop, and remembers the text for the match until the file is done; any other
options go to ScanCode's own function. The equivalence tests in
``tests/engine/test_fast_matched_text.py`` compare the two on every match of real files.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

#: ScanCode's own get_full_matched_text, kept while the fast one stands in for it.
ORIGINAL: list[Any] = []

#: The texts built while the current file is detected: (file, match, options) -> text.
_TEXTS: dict[tuple[Any, ...], str] = {}


def forget() -> None:
    """Drop the remembered texts (the file's detection is over)."""
    _TEXTS.clear()


def fast_get_full_matched_text(
    match: Any,
    location: str | None = None,
    query_string: str | None = None,
    idx: Any = None,
    whole_lines: bool = False,
    highlight: bool = True,
    highlight_matched: str = "{}",
    highlight_not_matched: str = "[{}]",
    only_matched: bool = False,
    stopwords: Any = None,
    _usecache: bool = True,
    trace: bool = False,
) -> Iterable[str]:
    """``licensedcode.match.get_full_matched_text``: the strings of ``match``'s matched text.

    Returns the whole text as one string in a tuple (its callers join the strings).
    """
    from licensedcode import match as sc_match

    if stopwords is None:
        stopwords = sc_match.STOPWORDS
    if whole_lines or only_matched or not _usecache or trace:
        strings: Iterable[str] = ORIGINAL[0](
            match,
            location=location,
            query_string=query_string,
            idx=idx,
            whole_lines=whole_lines,
            highlight=highlight,
            highlight_matched=highlight_matched,
            highlight_not_matched=highlight_not_matched,
            only_matched=only_matched,
            stopwords=stopwords,
            _usecache=_usecache,
            trace=trace,
        )
        return strings
    assert location or query_string  # as ScanCode asserts
    assert idx
    qspan = match.qspan
    query_start_line = match.query.start_line
    key = (
        location,
        query_string,
        query_start_line,
        id(idx),
        tuple(qspan.set),
        match.start_line,
        match.end_line,
        highlight,
        highlight_matched,
        highlight_not_matched,
        id(stopwords),
    )
    text = _TEXTS.get(key)
    if text is None:
        tokens = sc_match.tokenize_matched_text(
            location=location,
            query_string=query_string,
            dictionary=idx.dictionary,
            start_line=query_start_line,
        )
        text = _matched_text(
            tokens,
            qspan,
            match.start_line,
            match.end_line,
            highlight,
            highlight_matched,
            highlight_not_matched,
            stopwords,
        )
        _TEXTS[key] = text
    return (text,)


def _matched_text(
    tokens: Iterable[Any],
    qspan: Any,
    start_line: int,
    end_line: int,
    highlight: bool,
    highlight_matched: str,
    highlight_not_matched: str,
    stopwords: Any,
) -> str:
    """``reportable_tokens`` (without ``whole_lines``) and the highlighting of
    ``get_full_qspan_matched_text``, fused: the same tokens in the same order, each turned
    into the same string. Comments name the steps of ScanCode's loop that they copy."""
    matched_positions = qspan.set
    start = qspan.start
    end = qspan.end
    started = finished = False
    end_pos = last_pos = 0
    parts: list[str] = []
    for real_pos, tok in enumerate(tokens):
        line_num = tok.line_num
        # ignore tokens outside the matched lines range
        if line_num < start_line:
            continue
        if line_num > end_line:
            break
        pos = tok.pos
        # known matched tokens (ScanCode tags a copy of the token "is_matched")
        matched = pos != -1 and tok.is_known and pos in matched_positions
        included = matched
        # start
        if not started and pos == start:
            started = True
            included = True
        # middle
        if started and not finished:
            included = True
        if pos == end:
            finished = True
            started = False
            end_pos = real_pos
        # one punctuation token after a match
        if finished and not started and end_pos and last_pos == end_pos:
            end_pos = 0
            if not tok.is_text and tok.value.strip():
                included = True
        last_pos = real_pos
        if not included:
            continue
        value = tok.value
        if highlight and tok.is_text and value.lower() not in stopwords:
            template = highlight_matched if matched or tok.is_matched else highlight_not_matched
            parts.append(template.format(value))
        else:
            parts.append(value)
    return "".join(parts)
