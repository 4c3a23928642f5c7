# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""The copyright candidate-line shortcut is ScanCode's collector, preparing fewer lines.

Guards scancode-toolkit 32.5.0's ``cluecode.copyrights.collect_candidate_lines`` and
``prepare_text_line``, which :mod:`ospo_scan.engine.copyright_lines` copies and reasons
about: the raw-line test is checked against ScanCode's own preparation on generated lines
(ASCII, entities, escapes, markers in any case, years, non-ASCII digits, signs and spaces),
and the whole collector against ScanCode's on generated texts and on every fixture file.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from ospo_scan.engine import copyright_lines, fast_copyrights

DATA = Path(__file__).parents[1] / "data"

#: Pieces that ``prepare_text_line`` turns into something else, or that make a candidate.
_PIECES = (
    # statement markers and what makes them
    *("©", "(c)", "( C)", "(C)", "( © )", "(©)", "|copy|", "&#169;", "&#xA9;", "&#Xa9"),
    *("169", "xa9;", "XA9;", "u00a9", "u00A9", "00a9", "\251", "<A9>", "<a9>", "Ⓒ", "ⓒ"),
    *("opyr", "opyl", "copr", "right", "reserv", "auth", "filecontributor", "devel"),
    *("Copyright", "COPYRIGHT", "rights reserved", "(co ", "\\ co", "\\\\ co", "\\(co"),
    *("<s>", "</s>", "<s/>", "s>", "by", "by ", "By", "bY", "@", "\uff20", "c)", "C)", "("),
    # entities, escapes and what prepare_text_line removes
    *("&copy;", "&copy", "&amp;", "&lt;", "&gt;", "&lt", "&gt", "&quot;", "&#34;", "&#38;"),
    *("&#50;", "&#13;&#10;", "&#13;", "&#10;", "&ensp;", "&emsp;", "&thinsp;", "&", "&&"),
    *("\\xc2", "\\XA9", "\\A9", "\\a9", "\\t", "\\n", "\\r", "\\0", "\\", '\\."', "\xc2"),
    *("year>", "<year>", "<name>", "<insert ", "mailto:", "MAILTO:", "<http", "http", "<b>"),
    *("</a>", "<a href=x>", "href=", "class=", "lang=", "rem ", "dnl ", "@rem ", " %d ", " #x "),
    *(" u'", "'", '"', '""', "`", "''\"\"", "('", '("', "')", "],", " , ", "|", "*", "/*", "*/"),
    *("#", "%", "[", "]", "{", "}", "[?]", ">", "<", "/>", "-", "\u2013", ".", ",", ";", ":", "_"),
    # years and digits, some not ASCII
    *("1960", "1999", "2000", "2025", "2026", "2099", "1959", "20", "19", "0", "7", "-2010"),
    *("\uff12\uff10\uff12\uff10", "\uff11\uff19\uff19\uff19", "\u0662\u0660\u0662\u0660"),
    "\U0001d7d0\U0001d7ce\U0001d7cf\U0001d7d7",  # full-width, Arabic-Indic and bold digits
    # halves of markers and years, to be joined by what prepare_text_line removes
    *("rig", "ht", "ri", "ght", "op", "yr", "au", "th", "b", "y", "c", ")", "20", "19", "60"),
    # spaces, letters and signs that transliterate to something else, or to nothing
    *(" ", "  ", "\t", "\r", "\n", "\x0b", "\x1c", "\xa0", "\x85", "\u2028", "\u205f", "\u3000"),
    *(
        "§",
        "\u017f",
        "\u0130",
        "\u0131",
        "\u212a",
        "ß",
        "é",
        "Æ",
        "п",
        "я",
        "中",
        "☃",
        "\u0301",
        "\x00",
        "\ufeff",
    ),
)


def _random_case(piece: str, upper: list[bool]) -> str:
    return "".join(
        c.upper() if up else c for c, up in zip(piece, upper + [False] * len(piece), strict=False)
    )


# Most replacements are case-sensitive: pieces come as written at least as often as recased.
_piece = st.one_of(
    st.sampled_from(_PIECES),
    st.builds(_random_case, st.sampled_from(_PIECES), st.lists(st.booleans(), max_size=8)),
)
_letters = st.text(st.sampled_from("abcdefghijklmnopqrstuvwxyzABCOPRY0123456789 "), max_size=4)
_line = st.lists(st.one_of(_piece, _piece, _letters, st.text(max_size=3)), max_size=8).map("".join)


def _marks_or_years(prepared: str) -> list[str]:
    """What ``is_candidate`` looks for in a prepared line: its years and statement markers."""
    from cluecode import copyrights_hint  # noqa: PLC0415 -- ScanCode, imported lazily

    lowered = prepared.lower()
    markers = [marker for marker in copyrights_hint.statement_markers if marker in lowered]
    return markers + [str(year) for year in copyrights_hint.years(prepared)]


@given(_line)
@example("Written by: Jane")
@example("by*x")
@example("byyear>x")
@example("bymailto:x")
@example("((co C)")
@example("(/*C)")
@example("rig&lt;s&gt;ht")
@example("rig\\xc2ht")
@example("rig\xc2ht")
@example("x<A9>y")
@example("xu00a9y")
@example("x\\A9y")
@example("ri<s/>ght")
@example("rig&amp;lt;s&amp;gt;ht")
@example("by§x")
@example("by\x85x")
@example("ⓒ 2020")
@example("rig-hts re-served")
def test_a_rejected_line_has_no_year_and_no_marker_once_prepared(line: str) -> None:
    from cluecode import copyrights  # noqa: PLC0415 -- ScanCode, imported lazily

    if copyright_lines.may_be_candidate(line):
        return
    prepared = copyrights.prepare_text_line(line)
    # Stronger than is_candidate's answer: the gibberish detector cannot hide a marker here.
    assert _marks_or_years(prepared) == [], (line, prepared)
    assert not copyrights.is_candidate(prepared)


def test_the_raw_line_test_rejects_code_and_keeps_what_may_be_a_statement() -> None:
    # Not vacuous: plain code is rejected, which is where the time goes.
    rejected = (
        "    return a.map(function (item) { return item * 2 });",
        "import os",
        "",
        'msgstr "Переведено на русский язык"',
        "if (a && b) { x = '\\\\d+' }",
        "Ⓒ Jane",  # ScanCode's transliteration drops the sign: not a candidate there either
    )
    kept = (
        "Copyright 2020 Jane",
        "(C) Jane",
        "&copy; Jane",
        "© Jane",
        "\uff12\uff10\uff12\uff10 Jane",  # full-width digits
        "Written by Jane",
        "jane@example.com",
        "x = '\\xc2'",
    )
    assert [line for line in rejected if copyright_lines.may_be_candidate(line)] == []
    assert [line for line in kept if not copyright_lines.may_be_candidate(line)] == []


def test_the_shortcut_applies_to_this_release() -> None:
    # On another marker list or years past its reach, ScanCode's own collector runs.
    assert copyright_lines.shortcut_applies()


def _both(numbered: list[tuple[int, str]]) -> list[list[tuple[int, str]]]:
    from cluecode import copyrights  # noqa: PLC0415 -- ScanCode, imported lazily

    expected = list(copyrights.collect_candidate_lines(numbered))
    found = list(copyright_lines.collect_candidate_lines(numbered))
    assert found == expected
    return found


_texts = st.lists(
    st.one_of(_line, st.just(""), st.just("Copyright (c) 2020 Jane and")), max_size=30
)


@given(_texts)
@example(["x", "Copyright 2020", "", "Jane Doe", "code", "", "more code"])
@example(["Copyright by", "", "Jane", "rig-hts re-served", "x"])
@example(["see http://example.com", "x", "", "y"])
@example(["<s>Jane</s>", "a", "b", "c"])
def test_the_collector_groups_generated_texts_as_scancode(lines: list[str]) -> None:
    _both(list(enumerate(lines, start=1)))


def _fixture_files() -> Iterator[Path]:
    for path in sorted(DATA.rglob("*")):
        if path.is_file() and not path.is_symlink():
            yield path


@pytest.mark.parametrize("path", list(_fixture_files()), ids=lambda p: str(p.relative_to(DATA)))
def test_the_collector_groups_every_fixture_as_scancode(path: Path) -> None:
    from textcode.analysis import numbered_text_lines  # noqa: PLC0415 -- ScanCode

    _both(list(numbered_text_lines(str(path), demarkup=True)))


def test_the_fast_detector_prepares_only_lines_that_may_be_candidates(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cluecode import copyrights  # noqa: PLC0415 -- ScanCode, imported lazily

    code = "".join(f"    total = total + values[{n}];\n" for n in range(150))
    path = tmp_path / "sum.js"
    path.write_text(f"/* Copyright (c) 2020 Jane Doe */\n{code}", encoding="utf-8")
    prepared: list[str] = []
    real = copyrights.prepare_text_line

    def counted(line: str) -> Any:
        prepared.append(line)
        return real(line)

    monkeypatch.setattr(copyrights, "prepare_text_line", counted)
    monkeypatch.setattr(fast_copyrights, "_fast_detector", [])
    found = fast_copyrights.detect_copyrights_fast(str(path))
    assert [c.statement for c in found.copyrights] == ["Copyright (c) 2020 Jane Doe"]
    # The statement's line and the two that ScanCode keeps after it, not the 150 of code.
    assert prepared == path.read_text(encoding="utf-8").splitlines(keepends=True)[:3]
    # ScanCode's own collector is back in place.
    assert copyrights.collect_candidate_lines is not copyright_lines.collect_candidate_lines
