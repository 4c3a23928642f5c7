# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""ScanCode's span overlap, counted without building a span (issue 19).

``licensedcode.spans.Span.overlap`` (scancode-toolkit 32.5.0) is ``len(self & other)``, and
``Span.__and__`` wraps the intersection of the two spans' integer sets in a new ``Span``,
whose constructor copies that set through a Python list. ScanCode's match merging asks for
overlaps and distances (``distance_to`` starts with ``overlap``) millions of times: on
Django's sdist, building those throw-away spans was about 5 % of a cold scan. The overlap is
the size of the intersection of the two sets either way, so :func:`overlap` counts it on the
sets themselves: the same integer for every pair of spans, the empty span included (both
give 0; ``intbitset.isdisjoint`` answers the common no-overlap case without a new set).
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


@contextlib.contextmanager
def fast_spans() -> Iterator[None]:
    """Inside the block, ScanCode's spans count their overlaps with :func:`overlap`."""
    from licensedcode.spans import Span

    with swapped(Span, overlap=overlap):
        yield
