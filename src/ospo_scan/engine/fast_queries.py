# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""ScanCode's query-run helpers that the approximate matcher calls per token or per rule,
giving the same answers for less (issue 19).

A query run's matchable tokens (read by the candidate ranking of :mod:`.fast_licenses`), its
low matchable positions and its digits-only test (read by the sequence aligner for every
candidate rule): each function's docstring holds the argument that its answers are
ScanCode's; ``tests/engine/test_fast_candidates.py`` compares each with ScanCode's own on
generated translation catalogs, the text where they cost most (legal words, no license).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

from ospo_scan.engine._patch import swapped
from ospo_scan.engine.prefilter import intbitset_type


def matchable_tokens(query_run: Any) -> list[int]:
    """``QueryRun.matchable_tokens`` of scancode-toolkit 32.5.0, with its positions read once.

    ScanCode's (Apache-2.0, (c) nexB Inc. and others) is a generator that tests each position
    against the run's ``matchables`` property, which builds the union of the run's low and
    high matchable positions anew on every read, and rebuilds the low positions from the
    whole query's each time that set is empty (``low_matchables`` caches only a non-empty
    set): quadratic in the run's length, about a twentieth of a cold scan of Django's sdist.
    Nothing changes the run while its tokens are read, so the union read once is the same
    set, and the tokens are the same: a token id where the position is matchable, ``-1``
    elsewhere, and no tokens at all when no high position is matchable. They are made as a
    copy of the run's tokens (``tokens_with_pos`` numbers ``QueryRun.tokens``, a new slice
    of the query's, from the run's start) with ``-1`` written where a position is not
    matchable, found as a set difference: most positions of a run not yet matched are.
    """
    if not query_run.high_matchables:
        return []
    tokens: list[int] = query_run.tokens
    if not tokens:
        return []
    start = query_run.start
    positions = intbitset_type()(range(start, start + len(tokens)))
    positions -= query_run.matchables
    for pos in positions:
        tokens[pos - start] = -1
    return tokens


def low_matchables(query_run: Any) -> Any:
    """``QueryRun.low_matchables`` of scancode-toolkit 32.5.0, an empty answer remembered too.

    ScanCode's property (Apache-2.0, (c) nexB Inc. and others) keeps the run's matchable
    positions of non-legalese tokens once worked out, but works them out again, from all of
    the query's, on every read while they are empty; the aligner reads them for every
    candidate rule. The query's positions are set once, when its tokens are complete, and
    after that only lose positions (``Query.subtract``), so a run's set found empty stays
    empty: remembering it gives the same answers. Not yet worked out is ``None``, as
    ScanCode's ``__init__`` and ``QueryRun.subtract`` (whose ``difference_update`` returns
    ``None``) leave it, and then it is worked out as ScanCode does.
    """
    found = query_run._low_matchables
    if found is None:
        start, end = query_run.start, query_run.end
        found = query_run._low_matchables = intbitset_type()(
            [pos for pos in query_run.query.low_matchables if start <= pos <= end]
        )
    return found


#: ``QueryRun.is_digits_only`` by (query, start, end), for the file being detected.
DIGITS_ONLY: dict[tuple[Any, int, int | None], bool] = {}


def remembered_is_digits_only(query_run: Any) -> bool:
    """``QueryRun.is_digits_only`` of scancode-toolkit 32.5.0, remembered per run.

    ScanCode's (Apache-2.0, (c) nexB Inc. and others; "FIXME: this should be cached") builds
    a set of the run's tokens on every call, and the sequence aligner calls it for every
    candidate rule of every run, through ``is_matchable``: about 4 % of a cold scan of
    Django's sdist. Its answer depends only on the query's tokens from ``start`` to ``end``
    and the index's digit-only token ids. A query's tokens are only appended while the
    query is built, before any run is matched, and never changed after, so the answer for
    the same query, start and end is the same. The query object itself is in the key (no
    id reused by another query can match), and the memory is emptied after each file.
    """
    key = (query_run.query, query_run.start, query_run.end)
    found = DIGITS_ONLY.get(key)
    if found is None:
        found = DIGITS_ONLY[key] = bool(
            intbitset_type()(query_run.tokens).issubset(query_run.digit_only_tids)
        )
    return found


@contextlib.contextmanager
def fast_queries() -> Iterator[None]:
    """Inside the block, ScanCode's query runs answer :func:`low_matchables` and
    :func:`remembered_is_digits_only`; the remembered answers are forgotten on leaving it
    (one file's detection)."""
    from licensedcode.query import QueryRun

    try:
        with swapped(
            QueryRun,
            is_digits_only=remembered_is_digits_only,
            low_matchables=property(low_matchables),
        ):
            yield
    finally:
        DIGITS_ONLY.clear()
