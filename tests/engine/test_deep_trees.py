# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""ScanCode's assembly on deep trees: the codebase walk with a stack gives what ScanCode's
recursive walk gives, and what still recurses gets the room it needs."""

from __future__ import annotations

import sys
from typing import Any

import pytest
from commoncode.resource import Resource, VirtualCodebase

from ospo_scan.engine import deep_trees

PATHS = [
    "root/b.txt",
    "root/A/z.py",
    "root/A/sub/deeper/x.c",
    "root/A/sub/y.c",
    "root/a/only.txt",
    "root/c/node_modules/pkg/package.json",
    "root/Z.md",
]


def _codebase() -> Any:
    files = [{"path": path, "type": "file"} for path in PATHS]
    return VirtualCodebase(location={"files": files}, max_in_memory=0)


@pytest.mark.parametrize("topdown", [True, False])
@pytest.mark.parametrize("leave_out", [None, "sub"])
def test_the_walk_with_a_stack_is_scancodes_walk(topdown: bool, leave_out: str | None) -> None:
    def ignored(resource: Any, codebase: Any) -> bool:
        return resource.name == leave_out

    codebase = _codebase()
    shipped = [r.path for r in codebase.walk(topdown=topdown, ignored=ignored)]
    with deep_trees.walks_without_recursion():
        stacked = [r.path for r in codebase.walk(topdown=topdown, ignored=ignored)]
    assert stacked == shipped
    assert len(shipped) > len(PATHS)  # folders too


def test_the_walk_is_put_back() -> None:
    original = Resource.walk
    with deep_trees.walks_without_recursion():
        assert Resource.walk is deep_trees._walk
    assert Resource.walk is original


def test_a_walk_ten_thousand_levels_deep() -> None:
    path = "root/" + "d/" * 10_000 + "bottom.c"
    files = [{"path": path, "type": "file"}, {"path": "root/top.c", "type": "file"}]
    codebase = VirtualCodebase(location={"files": files}, max_in_memory=0)
    with pytest.raises(RecursionError):  # ScanCode as shipped
        list(codebase.walk(topdown=False))
    with deep_trees.walks_without_recursion():
        walked = [r.path for r in codebase.walk(topdown=False)]
    assert walked[:2] == ["root/top.c", path]
    assert len(walked) == 10_003  # the root, its file, 10,000 folders and the bottom


def test_deep_recursion_runs_with_room_to_spare_and_limits_come_back() -> None:
    limit = sys.getrecursionlimit()

    def recurse(n: int) -> int:
        return 0 if n == 0 else 1 + recurse(n - 1)

    assert deep_trees.call_with_depth(lambda: recurse(20_000), 20_000) == 20_000
    assert sys.getrecursionlimit() == limit
    with pytest.raises(ValueError, match="raised in the thread"):
        deep_trees.call_with_depth(_fail, 5_000)
    assert deep_trees.call_with_depth(lambda: "shallow", 3) == "shallow"


def _fail() -> None:
    raise ValueError("raised in the thread")
