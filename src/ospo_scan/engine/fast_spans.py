# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""ScanCode's span overlap and distance, worked out on the spans' sets (issue 19).

``licensedcode.spans.Span.overlap`` (scancode-toolkit 32.5.0) is ``len(self & other)``, and
``Span.__and__`` wraps the intersection of the two spans' integer sets in a new ``Span``,
whose constructor copies that set through a Python list. ScanCode's match merging asks for
overlaps and distances (``distance_to`` starts with ``overlap``) millions of times: on
Django's sdist, building those throw-away spans was about 5 % of a cold scan. The overlap is
the size of the intersection of the two sets either way, so :func:`overlap` counts it on the
sets themselves: the same integer for every pair of spans, the empty span included (both
give 0; ``intbitset.isdisjoint`` answers the common no-overlap case without a new set).

``Span.distance_to`` is 0 for spans that overlap, 1 for spans that touch (one starts right
after the other ends), else the gap between the end of the first and the start of the
second; it reads each span's ``start`` and ``end`` properties (the set's first and last
items) up to six times. :func:`distance_to` reads them once, in the same tests in the same
order, and leaves spans with an empty side to ScanCode's own (which raises there).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

from ospo_scan.engine._patch import swapped


def overlap(self: Any, other: Any) -> int:
    """``Span.overlap``: the count of positions ``self`` and ``other`` have in common."""
    mine = self._set
    theirs = other._set
    if mine.isdisjoint(theirs):
        return 0
    return len(mine & theirs)


def distance_to(self: Any, other: Any) -> int:
    """``Span.distance_to``: 0 when overlapping, 1 when touching, else the gap between."""
    mine = self._set
    theirs = other._set
    if not mine or not theirs:
        return int(_ORIGINAL_DISTANCE_TO[0](self, other))
    if not mine.isdisjoint(theirs):
        return 0
    start, end = mine[0], mine[-1]
    other_start, other_end = theirs[0], theirs[-1]
    if start == other_end + 1 or end == other_start - 1:
        return 1
    if end < other_start:
        return int(other_start - end)
    return int(start - other_end)


#: ScanCode's own ``Span.distance_to``, kept while the fast one stands in for it.
_ORIGINAL_DISTANCE_TO: list[Any] = []


@contextlib.contextmanager
def fast_spans() -> Iterator[None]:
    """Inside the block, ScanCode's spans count their overlaps with :func:`overlap` and
    measure their distances with :func:`distance_to`."""
    from licensedcode.spans import Span

    if not _ORIGINAL_DISTANCE_TO and Span.distance_to is not distance_to:
        _ORIGINAL_DISTANCE_TO.append(Span.distance_to)
    with swapped(Span, overlap=overlap, distance_to=distance_to):
        yield
