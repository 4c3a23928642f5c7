# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""The fast copyright detector: ScanCode's own, with its pure steps remembered."""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable
from typing import Any

from ospo_scan.engine import copyright_lines, detect, first_chars, lazy_patterns
from ospo_scan.engine._patch import swapped, verified

# --- fast copyright detection ---
#
# ScanCode's copyright detector lexes every token of every candidate line through a list of
# about 1,100 regular expressions, first match wins, and parses each group of lexed tokens by
# applying about 400 grammar rules in turn, each of which rebuilds the string of labels it
# matches against. Both are pure: a token's label depends only on its text, and whether a
# rule changes a parse depends only on the current label string. So the fast detector
# remembers each token text's label, and keeps the label string across the rules that leave
# it unchanged (most of them), rebuilding it only after a rule regroups the tree. The trees,
# and so the findings, are exactly ScanCode's.

#: What the fast copyright detector remembers per process, before it forgets and starts over:
#: entries of each memory, and characters of label strings (a few tens of MB at most). Texts
#: longer than _MEMO_TEXT_LIMIT (long minified lines and their tokens) are never remembered:
#: they seldom repeat.
_LEXER_MEMO_LIMIT = 100_000
_PARSE_MEMO_CHARS = 4_000_000
_MEMO_TEXT_LIMIT = 200


class _MemoLexer:
    """ScanCode's copyright lexer with each token text's label remembered.

    A new token text is labelled as ScanCode does, by the first of its ~1,100 expressions
    that matches, trying in order only those that can match a text starting with its first
    character (:mod:`.first_chars`): the same first match, about 13 times sooner.
    """

    def __init__(self, lexer: Any) -> None:
        self._matchers = lexer._matchers
        self._by_first, self._others = first_chars.dispatch_table(self._matchers)
        self._labels: dict[str, str | None] = {}
        #: The matchers of each first character met so far, with lazily compiled
        #: expressions (see lazy_patterns) compiled, so that each try is a compiled match.
        self._compiled: dict[str, tuple[tuple[Any, Any], ...]] = {}

    def _matchers_for(self, first: str) -> tuple[tuple[Any, Any], ...]:
        key, matchers = first, self._by_first.get(first)
        if matchers is None:  # one tuple for every character that no expression names
            key, matchers = _OTHERS, self._others
        found = self._compiled.get(key)
        if found is None:
            found = tuple((_compiled_match(match), label) for match, label in matchers)
            self._compiled[key] = found
        self._compiled[first] = found
        return found

    def lex_tokens(self, tokens: Iterable[Any], trace: bool = False) -> Iterable[Any]:
        labels = self._labels
        compiled = self._compiled
        for token in tokens:
            value = token.value
            try:
                label = labels[value]
            except KeyError:
                matchers = compiled.get(value[:1]) or self._matchers_for(value[:1])
                label = next((lab for match, lab in matchers if match(value)), None)
                if len(value) <= _MEMO_TEXT_LIMIT:
                    if len(labels) >= _LEXER_MEMO_LIMIT:
                        labels.clear()
                    labels[value] = label
            if label is not None:
                token.label = label
            yield token


#: The key of the matchers for a first character that no expression names (not a character).
_OTHERS = "others"


def _compiled_match(match: Any) -> Any:
    """``match`` itself, or the compiled pattern's ``match`` for a lazy pattern's."""
    pattern = getattr(match, "__self__", None)
    if isinstance(pattern, lazy_patterns.LazyPattern) and match.__name__ == "match":
        return pattern.compiled().match
    return match


class _LabelStringParser:
    """ScanCode's pygmars parser, with the label string kept while rules leave it unchanged.

    Equivalent to ``pygmars.parse.Parser.parse`` without tracing or validation: each rule's
    substitution runs on the same string, and only a rule that regroups builds a new tree,
    the way ``Rule.parse`` does. The regroupings are a function of the first label string
    alone, so they are remembered per label string and replayed on a repeat.
    """

    def __init__(self, parser: Any) -> None:
        self._parser = parser
        self._rules = [
            (rule._transformer, rule.label, required_labels(rule.pattern)) for rule in parser.rules
        ]
        self._steps: dict[str, tuple[tuple[str, str], ...]] = {}
        self._chars = 0  # characters of label strings remembered in _steps

    def parse(self, tokens: Any) -> Any:
        from pygmars.parse import ParseString
        from pygmars.tree import Tree

        if not tokens:
            raise ValueError(f"Cannot parse empty tree: {tokens!r}")
        parser = self._parser
        tree = tokens if isinstance(tokens, Tree) else Tree(parser._root_label, tokens)
        first = "".join(f"<{piece.label}>" for piece in tree)
        steps = self._steps.get(first)
        if steps is None:
            steps = self._regroupings(first)
            size = len(first) + sum(len(after) for after, _label in steps)
            if self._chars + size > _PARSE_MEMO_CHARS:
                self._steps.clear()
                self._chars = 0
            if size <= _PARSE_MEMO_CHARS // 100:
                self._steps[first] = steps
                self._chars += size
        for after, label in steps:
            parsed = ParseString(tree)
            parsed._parse_string = after
            tree = parsed.to_tree(label)
        return tree

    def _regroupings(self, labels: str) -> tuple[tuple[str, str], ...]:
        """The (new label string, group label) of each rule that regroups, in order."""
        steps = []
        before = labels
        present = _labels_in(before)
        for _ in range(self._parser._loop):
            for transform, label, needs in self._rules:
                if needs is not None and any(need.isdisjoint(present) for need in needs):
                    continue  # a label it requires is absent: it cannot match (see required_labels)
                after = transform(before).replace("{}", "")
                if after.rstrip() != before.rstrip():
                    steps.append((after, label))
                    # The next rule sees the regrouped tree's labels: a group is one piece.
                    before = _regrouped_labels(after, label)
                    present = _labels_in(before)
        return tuple(steps)


#: One element of a plain label pattern: ``<A|B>`` and its quantifier, if any.
_ELEMENT = re.compile(r"<([^<>]*)>([?*+]|\{\d*,?\d*\})?")
_LABEL = re.compile(r"[A-Za-z0-9_-]+")


def required_labels(pattern: str) -> tuple[frozenset[str], ...] | None:
    """For a pygmars label pattern, the label choices that every match must contain.

    A plain pattern is a sequence of ``<A|B|...>`` elements, each with an optional quantifier;
    an element that must occur at least once (no quantifier, ``+``, ``{m,n}`` with m >= 1)
    matches one of its labels, written ``<A>`` in the label string. So a label string that
    holds none of an element's labels has no match, and the rule leaves it unchanged. None
    (no shortcut: the rule is always tried) for any other pattern: groups, alternatives at
    the top, labels with regular-expression characters (``<NN.*>``, ``<NAME*>``).
    """
    compact = re.sub(r"\s+", "", pattern)
    needs: list[frozenset[str]] = []
    position = 0
    for element in _ELEMENT.finditer(compact):
        if element.start() != position:
            return None
        position = element.end()
        choices, quantifier = element.group(1).split("|"), element.group(2) or ""
        if not all(_LABEL.fullmatch(choice) for choice in choices):
            continue  # a pattern of labels, not a label: no requirement from it
        if quantifier in ("", "+") or re.fullmatch(r"\{[1-9]\d*(,\d*)?\}", quantifier):
            needs.append(frozenset(choices))
    if position != len(compact):
        return None
    return tuple(needs)


def _labels_in(label_string: str) -> set[str]:
    """The labels of a label string ``<A><B>...``."""
    return set(re.findall(r"<([^<>]*)>", label_string))


def _regrouped_labels(parse_string: str, label: str) -> str:
    """The label string of the tree that ``ParseString.to_tree(label)`` builds."""
    pieces = []
    for n, piece in enumerate(parse_string.replace("}", "{").split("{")):
        pieces.append(f"<{label}>" if n % 2 else piece)
    return "".join(pieces)


def _fast_copyright_detector() -> Any:
    """A ScanCode ``CopyrightDetector`` with the memoising lexer and the faster parser.

    Falls back to ScanCode's own detector if its parts are not the ones this was written
    for (tracing or validation on, or a rule that is not a plain pygmars ``Rule``).
    """
    import copy

    from cluecode import copyrights
    from pygmars.parse import Rule

    # A copy of ScanCode's own detector if it has one: its ~1,500 regular expressions are
    # compiled already (more than the ``re`` module's cache holds). Else one whose
    # expressions are compiled as they are first used (see lazy_patterns).
    original = copyrights.DETECTOR
    if original is None:
        with lazy_patterns.building_lazily():
            original = copyrights.CopyrightDetector()
    detector = copy.copy(original)
    parser = detector.parser
    plain = (
        not parser._trace
        and not parser._validate
        and all(type(rule) is Rule and not rule._validate for rule in parser.rules)
        and not copyrights.TRACE_TOK
    )
    if plain:
        detector.lexer = _MemoLexer(detector.lexer)
        detector.parser = _LabelStringParser(parser)
    return detector


_fast_detector: list[Any] = []


def _candidate_collector() -> Any:
    """The candidate-line collector that skips lines proven not to be candidates.

    ScanCode's own when tracing is on (the copy does not trace) or when its markers or years
    are not those :mod:`.copyright_lines` was proven for.
    """
    from cluecode import copyrights

    if copyrights.TRACE or copyrights.TRACE_TOK or not copyright_lines.shortcut_applies():
        return copyrights.collect_candidate_lines
    return copyright_lines.collect_candidate_lines


def _memoised(function: Any) -> Any:
    """``function`` of one string argument with its results remembered (bounded)."""
    memo: dict[str, Any] = {}

    def remembered(text: str) -> Any:
        try:
            return memo[text]
        except KeyError:
            found = function(text)
            if len(text) <= _MEMO_TEXT_LIMIT:
                if len(memo) >= _LEXER_MEMO_LIMIT:
                    memo.clear()
                memo[text] = found
            return found

    return remembered


def detect_copyrights_fast(
    location: str, *, deadline: float = sys.maxsize
) -> detect.CopyrightFindings:
    """:func:`detect_copyrights` with the fast detector (see the section comment above).

    The line clean-up and the candidate-line test that ScanCode runs on every line of a
    file are pure functions of the line too, and lines repeat (blank lines, braces, comment
    rules): they are remembered for the length of the call's process. Lines that cannot be
    candidates are not prepared at all (:mod:`.copyright_lines`, proven from the raw line).
    """
    from cluecode import copyrights

    if not verified():
        return detect.detect_copyrights(location, deadline=deadline)
    if not _fast_detector:
        _fast_detector.extend(
            (
                _fast_copyright_detector(),
                _memoised(copyrights.prepare_text_line),
                _memoised(copyrights.is_candidate),
                _candidate_collector(),
            )
        )
    detector, prepare, is_candidate, collect = _fast_detector
    with swapped(
        copyrights,
        DETECTOR=detector,
        prepare_text_line=prepare,
        is_candidate=is_candidate,
        collect_candidate_lines=collect,
    ):
        return detect.detect_copyrights(location, deadline=deadline)
