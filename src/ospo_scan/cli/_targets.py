# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""``check PATH...``: what its paths name, a folder, a saved result or a set of files.

One folder, or one saved result document, is checked as it always was. Anything else (several
paths, or one file that is not a result document, as pre-commit passes them) is a set of files
and folders judged alone: they are scanned under one root, the current folder when they are all
in it, so that the result names each file as it was given and a policy's ``paths`` globs read
as they do for the whole tree.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from ospo_scan.cli._common import UsageFailure
from ospo_scan.document import looks_like_result


@dataclass(frozen=True, slots=True)
class Targets:
    """What to check: a root to scan (all of it, or some paths), or a saved result."""

    root: Path
    #: Paths under ``root`` (POSIX separators) to scan alone; None scans the whole root.
    paths: tuple[str, ...] | None = None
    #: ``root`` is a saved result document, read without a rescan.
    saved_result: bool = False


def resolve(arguments: tuple[Path, ...], cwd: Path | None = None) -> Targets:
    """The targets that the ``PATH`` arguments of ``check`` name.

    A path that does not exist (not even as a dangling link) is a usage error. Paths are made
    absolute without resolving links (``a/../b`` is ``b``), and a link among them is recorded
    as a link by the scan, never followed.
    """
    missing = [p for p in arguments if not os.path.lexists(p)]
    if missing:
        raise UsageFailure(f"no such file or folder: {missing[0]}")
    if len(arguments) == 1:
        only = arguments[0]
        if only.is_dir():
            return Targets(only)
        if looks_like_result(only):
            return Targets(only, saved_result=True)
    here = os.path.abspath(cwd or Path.cwd())  # noqa: PTH100 -- lexical, links kept
    named = [os.path.abspath(here / p) for p in arguments]  # noqa: PTH100
    common = os.path.commonpath([here, *named])
    if common == here:
        root = here
    else:
        root = os.path.commonpath(named)
        if root in named and (Path(root).is_symlink() or not Path(root).is_dir()):
            root = os.path.dirname(root)  # noqa: PTH120 -- one file: its folder is the root
    relative = []
    for path in named:
        rel = os.path.relpath(path, root)
        relative.append("" if rel == "." else Path(rel).as_posix())
    return Targets(Path(root), paths=tuple(dict.fromkeys(relative)))
