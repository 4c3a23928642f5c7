# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""ScanCode's package assembly on a tree thousands of folders deep.

ScanCode walks its codebase recursively, one generator per folder level: the codebase's own
``Resource.walk`` and the ecosystems' walkers (``walk_npm``, ``walk_pypi``, ``walk_build``).
Below a datafile (or below the root, which assembly walks in full) a tree about 1,000
folders deep raised ``RecursionError``. :func:`walks_without_recursion` swaps
``Resource.walk`` for a walk with a stack (on the verified release, through
:func:`~ospo_scan.engine._patch.swapped`); :func:`call_with_depth` gives what still recurses
the stack and the recursion limit that the tree's depth asks for.
"""

from __future__ import annotations

import contextlib
import sys
import threading
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

from ospo_scan.engine import _patch

_T = TypeVar("_T")

#: Up to this depth, assembly runs as it always did, in the calling thread.
_SHALLOW = 200
#: Python frames and bytes of C stack that one level of a recursive walk may take, with a
#: wide margin (a generator level takes under 1 KiB of C stack on CPython 3.11).
_FRAMES_PER_LEVEL = 8
_STACK_PER_LEVEL = 8 * 1024
_STACK_BASE = 16 * 1024 * 1024


def call_with_depth(function: Callable[[], _T], depth: int) -> _T:
    """``function()``, with room to recurse a few times per level of a tree ``depth`` deep.

    A shallow tree changes nothing. A deeper one is assembled in a thread of its own whose
    stack is sized to the depth (only the pages it touches are ever allocated), under a
    recursion limit raised for as long; what ``function`` raises is raised here.
    """
    if depth <= _SHALLOW:
        return function()
    results: list[_T] = []
    failures: list[BaseException] = []

    def run() -> None:
        try:
            results.append(function())
        except BaseException as exc:  # noqa: BLE001 -- raised again in the calling thread
            failures.append(exc)

    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(limit + _FRAMES_PER_LEVEL * depth)
    try:
        previous = threading.stack_size(_STACK_BASE + _STACK_PER_LEVEL * depth)
        try:
            # A daemon: a Ctrl-C in the calling thread ends the command without waiting.
            worker = threading.Thread(target=run, name="ospo-scan-deep-assembly", daemon=True)
            worker.start()
        finally:
            threading.stack_size(previous)
        worker.join()
    finally:
        sys.setrecursionlimit(limit)
    if failures:
        raise failures[0]
    return results[0]


@contextlib.contextmanager
def walks_without_recursion() -> Iterator[None]:
    """ScanCode's ``Resource.walk`` replaced by :func:`_walk` inside the block.

    The whole codebase is walked at least twice per assembly: with a stack, that takes time
    in proportion to the tree, where nested generators pass each resource up through every
    level above it. Swapped only on the verified ScanCode release.
    """
    from commoncode.resource import Resource

    if not _patch.verified():
        yield
        return
    with _patch.swapped(Resource, walk=_walk):
        yield


def _walk(self: Any, codebase: Any, topdown: bool = True, ignored: Any = None) -> Iterator[Any]:
    """``commoncode.resource.Resource.walk`` of scancode-toolkit 32.5.0, with a stack.

    The same resources in the same order: each level's children sorted as ScanCode sorts
    them, a copy of each child (``attr.evolve``), yielded before its descendants when
    ``topdown``, else after them; ``ignored(resource, codebase)`` leaves a child and its
    descendants out. A child's children are asked for after the child was yielded, as the
    recursive walk does (assembly changes resources as it goes).
    """
    import attr
    from commoncode.resource import ignore_nothing

    leave_out = ignored or ignore_nothing
    levels = [iter(self.children(codebase))]
    entered: list[Any] = []  # the child whose children are levels[i + 1]
    while levels:
        child = next(levels[-1], None)
        if child is None:
            levels.pop()
            if entered:
                done = entered.pop()
                if not topdown:
                    yield done
            continue
        if leave_out(child, codebase):
            continue
        child = attr.evolve(child)
        if topdown:
            yield child
        entered.append(child)
        levels.append(iter(child.children(codebase)))
