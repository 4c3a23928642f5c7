# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""Helpers shared by the scan pipeline's tests."""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ospo_scan.model import ScanResult


def everything(result: ScanResult) -> tuple[list[Any], list[Any], list[Any]]:
    """What two scans of the same tree must agree on: packages, dependencies and files
    (timings and the tool's record aside)."""
    return (
        [p.to_dict() for p in result.packages],
        [d.to_dict() for d in result.dependencies],
        [f.to_dict() for f in result.files],
    )


def make_deep_tree(
    root: Path, depth: int, name: str = "bottom.py", *, files: Mapping[str, bytes] | None = None
) -> None:
    """``depth`` nested folders "d" under ``root`` with a file at the bottom.

    The file is ``name`` with an SPDX tag, or else each of ``files`` (name: content). Made
    relative to open folders: the full path outgrows PATH_MAX (4096 bytes) long before
    the bottom. Remove it with :func:`remove_deep_tree`, never ``shutil.rmtree`` (pytest's own
    clean-up included), which recurses once per level and fails past about 1,000.
    """
    fd = os.open(root, os.O_RDONLY | os.O_DIRECTORY)
    try:
        for _ in range(depth):
            os.mkdir("d", dir_fd=fd)
            child = os.open("d", os.O_RDONLY | os.O_DIRECTORY, dir_fd=fd)
            os.close(fd)
            fd = child
        for file_name, content in (files or {name: b"# SPDX-License-Identifier: MIT\n"}).items():
            out = os.open(file_name, os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=fd)
            os.write(out, content)
            os.close(out)
    finally:
        os.close(fd)


def remove_deep_tree(root: Path) -> None:
    """Empty ``root`` of a tree of any depth, folder by folder, relative to open folders."""
    fds = [os.open(root, os.O_RDONLY | os.O_DIRECTORY)]
    names: list[str] = []
    while fds:
        sub = None
        with os.scandir(fds[-1]) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    sub = entry.name
                    break
                os.unlink(entry.name, dir_fd=fds[-1])
        if sub is not None:
            fds.append(os.open(sub, os.O_RDONLY | os.O_DIRECTORY, dir_fd=fds[-1]))
            names.append(sub)
            continue
        os.close(fds.pop())
        if fds:
            os.rmdir(names.pop(), dir_fd=fds[-1])


def open_descriptors() -> int:
    """How many file descriptors this process holds open (Linux)."""
    return sum(1 for _ in Path("/proc/self/fd").iterdir())


@contextmanager
def deep_tree(
    root: Path, depth: int, *, files: Mapping[str, bytes] | None = None
) -> Iterator[Path]:
    """A tree made by :func:`make_deep_tree`, removed again on the way out."""
    make_deep_tree(root, depth, files=files)
    try:
        yield root
    finally:
        remove_deep_tree(root)
