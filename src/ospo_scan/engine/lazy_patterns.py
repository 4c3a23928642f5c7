# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""Regular expressions compiled when first used, for ScanCode's copyright detector.

Building ScanCode's ``CopyrightDetector`` compiles about 1,100 lexer expressions and 400
grammar rules (pygmars compiles each in its ``Lexer`` and ``Rule`` constructors): about
0.17 s, a tenth of a one-file scan's whole command. A scan tries a lexer expression only on
a word that it may match by its first character (:mod:`.first_chars`), and a grammar rule
only on a label string that holds the labels it requires; a small scan uses a fraction of
them. :func:`building_lazily` has pygmars build the detector with :class:`LazyPattern`
instead of compiled patterns: each is compiled by :func:`re.compile`, with the same
pattern and flags, the first time it matches or substitutes, so every match and
substitution is the one the compiled pattern gives.
"""

from __future__ import annotations

import contextlib
import re
import sys
from collections.abc import Iterator
from typing import Any

from ospo_scan.engine._patch import swapped


class LazyPattern:
    """A regular expression with :class:`re.Pattern`'s ``match`` and ``sub``, compiled on
    first use."""

    __slots__ = ("_compiled", "flags", "pattern")

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self.pattern = pattern
        self.flags = flags
        self._compiled: re.Pattern[str] | None = None

    def compiled(self) -> re.Pattern[str]:
        """The compiled pattern (compiled now if it was not yet)."""
        found = self._compiled
        if found is None:
            found = self._compiled = re.compile(self.pattern, self.flags)
        return found

    def match(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        """:meth:`re.Pattern.match`."""
        return self.compiled().match(string, pos, endpos)

    def sub(self, repl: Any, string: str, count: int = 0) -> str:
        """:meth:`re.Pattern.sub`."""
        return self.compiled().sub(repl, string, count)


class _LazyRe:
    """Stands in for the :mod:`re` module inside pygmars while a detector is built: its
    ``compile`` of a string pattern defers, everything else is :mod:`re`'s own."""

    def __getattr__(self, name: str) -> Any:
        return getattr(re, name)

    @staticmethod
    def compile(pattern: Any, flags: int = 0) -> Any:
        if isinstance(pattern, str):
            return LazyPattern(pattern, flags)
        return re.compile(pattern, flags)


@contextlib.contextmanager
def building_lazily() -> Iterator[None]:
    """Within this block, pygmars' lexers and grammar rules hold :class:`LazyPattern`."""
    from pygmars import lex, parse

    lazy = _LazyRe()
    with swapped(lex, re=lazy), swapped(parse, re=lazy):
        yield
