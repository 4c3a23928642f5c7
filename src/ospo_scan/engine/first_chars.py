# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""The characters a regular expression's match can start with, to try only the ones that can.

ScanCode's copyright lexer labels a word with the first of about 1,100 regular expressions
that matches it (``re.match``, anchored at the word's start), trying them in order. Most of
them can only match a word that starts with one of a few characters (``^[Cc]opyright``,
``^\\(c\\)``). :func:`first_chars` works out that set from the expression's parse tree, and
:func:`dispatch_table` lists, for each first character, the expressions in their order that
could match a word starting with it. Trying that list in order gives the same first match
as trying them all: an expression left out could not have matched.

The analysis is conservative: whatever it does not understand (a character class with a
category such as ``\\w``, a negated class, ``.``, a look-ahead, case-insensitive matching, a
pattern that can match the empty string) makes the expression a candidate for every word.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from re import _constants as sre  # type: ignore[attr-defined]
from re import _parser as sre_parse  # type: ignore[attr-defined]
from typing import Any

from ospo_scan.engine.lazy_patterns import LazyPattern

#: A class of more characters than this counts as "any character".
_MAX_CLASS = 4096


def first_chars(pattern: re.Pattern[str] | LazyPattern) -> frozenset[str] | None:
    """The characters that a match of ``pattern`` at a string's start begins with.

    None when that is unknown or unbounded, or when the pattern can match the empty string
    (it may then match any string): the pattern must be tried on every string.
    """
    try:
        parsed = sre_parse.parse(pattern.pattern, pattern.flags)
    except (re.error, TypeError, ValueError):
        return None
    # The flags of the parse include those set inside the pattern, such as ``(?i)``.
    if (pattern.flags | parsed.state.flags) & re.IGNORECASE:
        return None
    found, can_be_empty = _first(parsed)
    if found is None or can_be_empty:
        return None
    return frozenset(found)


def dispatch_table(
    matchers: Sequence[tuple[Callable[[str], Any], Any]],
) -> tuple[dict[str, tuple[tuple[Callable[[str], Any], Any], ...]], tuple[Any, ...]]:
    """For lexer ``matchers`` (``(pattern.match, label)``, in order): by first character, the
    matchers that may match a string starting with it, in order; and those for any other
    string (the ones whose first characters are unknown).

    A matcher that is not a compiled (or :mod:`lazily compiled <.lazy_patterns>`) pattern's
    ``match`` is kept for every string.
    """
    firsts: list[frozenset[str] | None] = []
    for match, _label in matchers:
        pattern = getattr(match, "__self__", None)
        usable = (
            isinstance(pattern, re.Pattern | LazyPattern)
            and getattr(match, "__name__", "") == "match"
        )
        firsts.append(first_chars(pattern) if usable else None)  # type: ignore[arg-type]
    chars = set().union(*(f for f in firsts if f is not None))
    table = {
        char: tuple(m for m, f in zip(matchers, firsts, strict=True) if f is None or char in f)
        for char in chars
    }
    others = tuple(m for m, f in zip(matchers, firsts, strict=True) if f is None)
    return table, others


def _first(items: Any) -> tuple[set[str] | None, bool]:
    """(first characters or None for unknown, whether it can match empty) of a sequence."""
    found: set[str] = set()
    for op, av in items:
        chars, can_be_empty = _first_of(op, av)
        if chars is None:
            return None, True
        found |= chars
        if not can_be_empty:
            return found, False
    return found, True


def _first_of(op: Any, av: Any) -> tuple[set[str] | None, bool]:
    """(first characters or None for unknown, whether it can match empty) of one node."""
    if op is sre.LITERAL:
        return {chr(av)}, False
    if op is sre.AT:  # ^, $, \b...: no character, and it may be all there is
        return set(), True
    if op is sre.IN:
        return _class(av), False
    if op is sre.SUBPATTERN:
        _group, add_flags, _del_flags, sub = av
        if add_flags & re.IGNORECASE:
            return None, True
        return _first(sub)
    if op is sre.BRANCH:
        return _branch(av[1])
    if op in (sre.MAX_REPEAT, sre.MIN_REPEAT):
        low, _high, sub = av
        chars, empty = _first(sub)
        return chars, empty or low == 0
    return None, True  # ANY, NOT_LITERAL, look-arounds, group references...: unknown


def _branch(alternatives: Any) -> tuple[set[str] | None, bool]:
    """(first characters or None for unknown, whether it can match empty) of ``a|b|...``."""
    found: set[str] = set()
    can_be_empty = False
    for alternative in alternatives:
        chars, empty = _first(alternative)
        if chars is None:
            return None, True
        found |= chars
        can_be_empty = can_be_empty or empty
    return found, can_be_empty


def _class(items: Any) -> set[str] | None:
    """The characters of a ``[...]`` class, or None (negated, a category, or too many)."""
    chars: set[str] = set()
    for op, av in items:
        if op is sre.LITERAL:
            chars.add(chr(av))
        elif op is sre.RANGE:
            low, high = av
            if high - low > _MAX_CLASS:
                return None
            chars.update(chr(code) for code in range(low, high + 1))
        else:  # NEGATE, CATEGORY (\w, \d, \s...)
            return None
    return chars
