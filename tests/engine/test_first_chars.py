# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""Trying only the expressions that can match a word's first character: the same labels."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ospo_scan.engine.first_chars import dispatch_table, first_chars
from ospo_scan.engine.lazy_patterns import LazyPattern

DATA = Path(__file__).parents[1] / "data"


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        (r"^[Cc]opyright", {"C", "c"}),
        (r"^\(c\)", {"("}),
        (r"^a?b", {"a", "b"}),
        (r"^(foo|bar)s?$", {"f", "b"}),
        (r"^[0-9]{4}", set("0123456789")),
        (r"^(?:[Aa]uthor|[Bb]y)\b", {"A", "a", "B", "b"}),
        (r"^.*", None),  # any character
        (r"^\w+", None),  # a category
        (r"^[^a]", None),  # negated
        (r"^x*$", None),  # can match the empty string
        (r"^(?=a)a", None),  # a look-ahead
        (r"^(?i:foo)", None),  # case-insensitive group
    ],
)
def test_first_characters_of_a_pattern(pattern: str, expected: set[str] | None) -> None:
    found = first_chars(re.compile(pattern))
    assert found == (None if expected is None else frozenset(expected))


def test_a_case_insensitive_pattern_is_tried_on_every_word() -> None:
    assert first_chars(re.compile("^copyright", re.IGNORECASE)) is None


@pytest.mark.parametrize(
    ("pattern", "flags"),
    [
        (r"^[Cc]opyright", 0),
        (r"^(foo|bar)s?$", 0),
        (r"^.*", 0),
        (r"^copyright", re.IGNORECASE),
        (r"(?i)^copyright", 0),  # the flag set inside: only the parse knows it
        (r"(?x) ^ [Aa] b  # a comment", 0),
    ],
)
def test_a_lazy_pattern_has_the_first_characters_of_the_compiled_one(
    pattern: str, flags: int
) -> None:
    assert first_chars(LazyPattern(pattern, flags)) == first_chars(re.compile(pattern, flags))
    if "i" in pattern[:4] or flags:
        assert first_chars(LazyPattern(pattern, flags)) is None


def _scancode_matchers() -> list[tuple[Any, Any]]:
    from cluecode import copyrights  # noqa: PLC0415 -- ScanCode's own lexer, to compare with

    return list(copyrights.CopyrightDetector().lexer._matchers)


MATCHERS = _scancode_matchers()
TABLE, OTHERS = dispatch_table(MATCHERS)


def _sequential(word: str) -> Any:
    return next((label for match, label in MATCHERS if match(word)), None)


def _dispatched(word: str) -> Any:
    candidates = TABLE.get(word[:1], OTHERS)
    return next((label for match, label in candidates if match(word)), None)


def test_most_of_scancodes_expressions_have_known_first_characters() -> None:
    assert len(MATCHERS) > 1000
    assert len(OTHERS) < len(MATCHERS) // 10
    assert sum(len(v) for v in TABLE.values()) / len(TABLE) < len(MATCHERS) / 5


def test_every_word_of_the_test_data_gets_scancodes_label() -> None:
    words = {"", " ", "(c)", "(C)", "©", "Copyright", "copyrighted.", "2024,", "<a@b.c>"}
    for path in DATA.rglob("*"):
        if path.is_file():
            text = path.read_text(encoding="utf-8", errors="replace")
            for word in text.split():
                words.add(word)
                words.update(re.split(r"[,;:]", word))
    assert len(words) > 2000
    labelled = 0
    for word in words:
        expected = _sequential(word)
        assert _dispatched(word) == expected, word
        labelled += expected is not None
    assert labelled > 1000


@settings(max_examples=3000, deadline=None)
@given(st.text(min_size=0, max_size=24))
def test_any_text_gets_scancodes_label(word: str) -> None:
    assert _dispatched(word) == _sequential(word)


@settings(max_examples=2000, deadline=None)
@given(
    st.sampled_from(
        ["(c)", "(C)", "©", "Copyright", "copyright", "COPYRIGHT", "Inc.", "Ltd", "by", "@"]
    ),
    st.text(alphabet="abcXYZ019.,;:()<>@-_/'\"&", max_size=8),
)
def test_words_near_copyright_markers_get_scancodes_label(marker: str, tail: str) -> None:
    for word in (marker + tail, tail + marker, tail):
        assert _dispatched(word) == _sequential(word)
