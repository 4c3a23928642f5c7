# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""ScanCode's copyright candidate lines, without preparing the lines that cannot be candidates.

ScanCode's ``cluecode.copyrights.collect_candidate_lines`` prepares every line of a file
(``prepare_text_line``: a few dozen replacements, markup stripping, transliteration to
ASCII) and asks ``is_candidate`` of it, which runs a gibberish detector. Most lines of most
files are code that no step can turn into a candidate. :func:`may_be_candidate` proves that
from the raw line, for a few microseconds, and :func:`collect_candidate_lines` (a copy of
ScanCode's, with that shortcut) prepares a line only when it may be a candidate or is kept
in a group. The groups, and so the detections, are exactly ScanCode's.

**What the shortcut replaces.** In ScanCode's loop, a line's prepared text is used for
two things only: ``is_candidate(prepared)``, and the text appended to the current group.
Everything else that decides the state (``is_debian``, the ``chars_only`` line that
``is_end_of_statement``, the ``'http'`` test and the empty-line rule look at) is computed
from the raw line, and the copy computes it the same way for every line. So the copy
prepares a line when it is appended, and asks ``is_candidate`` only when
:func:`may_be_candidate` says the line may be one; the functions are pure, so evaluating
them later, or not at all when their answer cannot matter, changes nothing.

**Why a line that** :func:`may_be_candidate` **rejects is not a candidate.**
``is_candidate(p)`` is true only if ``p`` holds a year of ``copyrights_hint.years`` (a
year of ``copyrights_hint.all_years`` between delimiters) or, lowercased, one of
``copyrights_hint.statement_markers``. Take first a raw line that is pure ASCII (the
transliteration is then the identity: ``text_unidecode`` maps ASCII to itself) and holds
none of: ``&`` followed by an entity name that the replacements know (``copy``, ``#``,
``ensp``, ``emsp``, ``thinsp``, ``quot``, ``amp``, ``gt``, ``lt``; any other ``&`` stays
as it is), a backslash before ``x`` or ``a`` (``\\xc2`` is removed; ``\\XA9``,
``\\A9`` become a sign; every other backslash, with the letter of ``\\t``, ``\\n``,
``\\r``, ``\\0`` or the ``co`` of ``\\ co``, becomes spaces), ``s>`` or ``s/>`` (the
Debian tags ``<s>``, ``</s>``, ``<s/>``, the only other text removed). Every step of
``prepare_text_line`` on such a line replaces substrings by spaces, by a quote, ``>`` or
``<`` (from quotes, angle brackets and entities), by ``' http'`` (from ``'<http'``), by
``', '`` (from ``' , '``), or by ``' (c) '`` (from ``(c)``, ``( C)``, ``|copy|``,
``u00a9``, ``<A9>``, ``xa9;`` and the cases excluded above); nothing is replaced by the
empty string, and no output puts a letter or a digit next to the text around it. So:

- two letters or digits next to each other in the prepared line were next to each other
  in the raw line: every marker made of letters and digits (``opyr``, ``right``,
  ``auth``, ``169``, ``xa9``, ``00a9``...) and every year (four digits, ``19[6-9]\\d``
  or ``20\\d\\d``: all of ``all_years`` while they end before 2100, which
  :func:`shortcut_applies` checks) is in the raw line, lowercased;
- ``@`` is never made, and ``<s>``, ``</s>``, ``<s/>`` need ``s>`` or ``s/>``;
- ``(c)`` is made only from the ``' (c) '`` sources above, or by keeping a raw ``c``
  directly before a raw ``)``: the raw line holds ``c)``, ``|copy|``, ``<a9>``, ``xa9``
  or ``00a9``; ``|copy|``, ``&#169`` and ``&#xa9`` are covered by these and ``&#``;
- ``by `` (with its space) needs a raw ``by`` whose next character is not a letter or a
  digit (a letter or digit that stays makes ``byx``; nothing is appended after the last
  character, and the line's ends are stripped), or whose next letters start a
  replacement that begins with a letter: ``year>`` and ``mailto:`` (markup stripping);
  ``u00a9`` and ``xa9;`` are covered above, and every other such replacement begins
  with a space, a parenthesis, a backslash or at the start of the line (``rem``,
  ``dnl``).

Now a line that is not ASCII. ``text_unidecode`` transliterates one character at a time,
and the replacements before it see the non-ASCII characters as they are. So the argument
above holds with the line's transliteration ``T`` in place of the raw line, except where
those replacements treat a non-ASCII character otherwise than the transliteration does:
U+00C2 is removed (``A`` in ``T``), U+00A7 becomes a space (``SS`` in ``T``) and NEL,
U+0085, is whitespace to ``str.split`` (dropped from ``T``); a line that holds any of them
is not rejected. The others agree closely enough: U+00A9 becomes ``' (c) '`` (``(C)`` in
``T``), an en dash ``-`` (the same), other whitespace a space (a space, a newline or
``_`` in ``T``), and every markup and comment pattern starts with an ASCII character.
:func:`may_be_candidate` asks its question of ``T``.

A rejected line therefore yields a prepared line without a year or a marker, which
``is_candidate`` rejects. The property test in ``tests/engine/test_copyright_lines.py``
checks this on generated lines (ASCII, entities, escapes, markers in any case, years,
non-ASCII digits, signs and spaces), with an example for each rule of the raw-line test;
and the whole collector against ScanCode's.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Iterable, Iterator
from typing import Any

#: The markers, years and characters that make :func:`may_be_candidate` answer True,
#: matched against the lowercased raw line (see the module docstring for why each is here).
_MAY_BE_CANDIDATE = re.compile(
    r"@|s/?>|&(?:copy|#|ensp|emsp|thinsp|quot|amp|gt|lt)|\\[xa]"
    r"|c\)|\|copy\||<a9>|169|xa9|00a9"
    r"|opyr|opyl|copr|right|reserv|auth|filecontributor|devel"
    r"|by(?:[^a-z0-9]|year>|mailto:)"
    r"|19[6-9]\d|20\d\d"
).search

#: The statement markers of scancode-toolkit 32.5.0 that the argument above covers, and the
#: years it covers.
_PROVEN_MARKERS = (
    "©", "(c)", "|copy|", "&#169", "&#xa9", "169", "xa9", "u00a9", "00a9", "\251",
    "opyr", "opyl", "copr", "right", "reserv", "auth", "filecontributor", "devel",
    "<s>", "</s>", "<s/>", "by ", "@",
)  # fmt: skip
_YEAR = re.compile(r"19[6-9]\d|20\d\d")


#: Characters that ``prepare_text_line`` replaces before transliterating otherwise than the
#: transliteration would: ``\xc2`` is removed (``A``), ``\xa7`` becomes a space (``SS``),
#: and NEL is whitespace to ``str.split`` (the transliteration drops it).
_PREPARED_APART = re.compile("[\xc2\xa7\x85]").search


def may_be_candidate(line: str) -> bool:
    """False only when ``prepare_text_line(line)`` cannot be a copyright candidate line.

    Conservative: True means "prepare the line and ask ScanCode", not "a candidate".
    """
    if not line.isascii():
        if _PREPARED_APART(line):
            return True
        from commoncode.text import toascii  # ScanCode's, imported when a scan needs it

        line = toascii(line, translit=True)
    return _MAY_BE_CANDIDATE(line.lower()) is not None


def shortcut_applies() -> bool:
    """True when ScanCode's markers and years are those the shortcut's argument covers.

    The years end with the year before the current one (``copyrights_hint`` computes them
    at import), so this also says no once they pass 2099.
    """
    from cluecode import copyrights_hint

    return tuple(copyrights_hint.statement_markers) == _PROVEN_MARKERS and all(
        _YEAR.fullmatch(year) for year in copyrights_hint.all_years
    )


def collect_candidate_lines(
    numbered_lines: Iterable[tuple[int, str]],
) -> Iterator[list[tuple[int, str]]]:
    """``cluecode.copyrights.collect_candidate_lines``, preparing fewer lines.

    A copy of ScanCode 32.5.0's function (tracing left out) in which a line is prepared
    only when appended to a group, and ``is_candidate`` asked only of a line that
    :func:`may_be_candidate`. ``prepare_text_line`` and ``is_candidate`` are looked up on
    ScanCode's module at each call, so the fast path's remembered versions are used.
    """
    from cluecode import copyrights

    prepare_text_line = copyrights.prepare_text_line
    is_candidate = copyrights.is_candidate
    is_end_of_statement = copyrights.is_end_of_statement
    remove_non_chars = copyrights.remove_non_chars
    has_trailing_year = copyrights.has_trailing_year

    candidates: deque[tuple[int, str]] = deque()
    candidates_append = candidates.append
    candidates_clear = candidates.clear

    # used as a state and line counter
    in_copyright = 0

    # the previous line (chars only)
    previous_chars: Any = None
    prepared: str | None
    for ln, line in numbered_lines:
        prepared = None
        is_debian = "s>" in line
        chars_only = remove_non_chars("", line.lower()).strip()

        if is_end_of_statement(chars_only):
            candidates_append((ln, prepare_text_line(line)))
            yield list(candidates)
            candidates_clear()
            in_copyright = 0
            previous_chars = None

        # ScanCode asks is_candidate first; it is pure, so asking it last (and not at all
        # when the raw line proves the answer) changes nothing.
        elif (
            "http" in chars_only
            or is_debian
            or (may_be_candidate(line) and is_candidate(prepared := prepare_text_line(line)))
        ):
            in_copyright = 2
            candidates_append((ln, prepared if prepared is not None else prepare_text_line(line)))
            previous_chars = chars_only

        elif in_copyright > 0:
            if (
                not chars_only
                and (not previous_chars.endswith(("copyright", "copyrights", "and", "by", ",")))
                and not has_trailing_year(previous_chars)
            ):
                yield list(candidates)
                candidates_clear()
                in_copyright = 0
                previous_chars = None

            else:
                kept = prepared if prepared is not None else prepare_text_line(line)
                candidates_append((ln, kept))
                in_copyright -= 1

        elif candidates:
            yield list(candidates)
            candidates_clear()
            in_copyright = 0
            previous_chars = None

    if candidates:
        yield list(candidates)
