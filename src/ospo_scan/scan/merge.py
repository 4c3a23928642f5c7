# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""``merge``: the parts of a sharded scan put together into the one-process result.

The parts are checked first (:func:`check_parts`): one tree digest, one list of entries, the
same options (but the jobs), the same engine, written by this release of ospo-scan and
ScanCode, shards 1..N each exactly once, and every entry recorded by exactly one part. Any
problem is a :class:`~ospo_scan.errors.ShardError` that names the part.

Then the records of every part, the package data of every datafile and the tree's file list
go through what a one-process scan runs after detection: package assembly, the references
to files and packages followed, licenses concluded (:func:`~ospo_scan.scan.pipeline.finish`)
and the summary. The result is that scan's result, its times and the ``shards`` section
aside. The line of a datafile that names each package is read from the tree, which must
be at the parts' root (or at ``root``) as it was scanned: a datafile missing or changed
there leaves its packages without a line, with a warning.
"""

from __future__ import annotations

import collections
import time
import warnings
from collections.abc import Callable, Hashable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from ospo_scan import __version__
from ospo_scan.engine import assembly, datafiles, index
from ospo_scan.errors import OspoScanWarning, ShardError
from ospo_scan.model import FileRecord, ScanResult, ToolInfo
from ospo_scan.scan.files import content_digest
from ospo_scan.scan.pipeline import build_result, finish, with_assembly_errors
from ospo_scan.scan.shards import Part, neutral

#: A part and where it was read from (the name every message gives).
Named = tuple[Path, Part]


def merge(parts: Sequence[Named], root: Path | None = None) -> ScanResult:
    """The result of the scan whose parts are ``parts``; ``root``: where the tree is now."""
    clock = time.monotonic()
    ordered = check_parts(parts)
    first = ordered[0]
    records: list[FileRecord] = [r for part in ordered for r in part.files]
    package_data = {path: data for part in ordered for path, data in part.package_data.items()}
    assembled = None
    if first.options.get("packages"):
        if package_data:
            datafiles.load_package_handlers()
        paths = [path for path, kind in first.entries if kind == "file"]
        assembled = assembly.assemble_packages(paths, package_data)
        records = with_assembly_errors(records, assembled.errors)
    tree = Path(first.root) if root is None else root
    readable = _tree_is_there(tree, records, package_data) if assembled is not None else False
    found = finish(tree if readable else None, records, assembled)
    elapsed = max(p.elapsed_seconds for p in ordered) + (time.monotonic() - clock)
    result = build_result(
        ToolInfo.from_dict(first.tool),
        Path(first.root),
        first.options,
        min(p.started_at for p in ordered),
        elapsed,
        *found,
    )
    shards = [
        {
            "shard": f"{p.shard.index}/{p.shard.count}",
            "started_at": p.started_at,
            "finished_at": p.finished_at,
            "elapsed_seconds": p.elapsed_seconds,
            "units": p.contents,
            "weight": p.weight,
            "files": len(p.files),
        }
        for p in ordered
    ]
    return replace(result, extra={**result.extra, "shards": shards})


def check_parts(parts: Sequence[Named]) -> list[Part]:
    """The parts in shard order, once they are shown to make one whole scan.

    Where parts disagree, the value most of them hold (the first part's on a tie) is taken
    for the scan's, and the first part that holds another is named.
    """
    if not parts:
        raise ShardError("no parts to merge")
    _agree(parts, lambda p: p.shard.count, "is a shard of {mine} shards; the others of {theirs}")
    _agree(parts, lambda p: p.tree_digest, "comes from another tree (its tree digest differs)")
    _agree(parts, lambda p: p.entries, "lists other paths than the other parts")
    _agree(
        parts,
        lambda p: _frozen(neutral(p.options)),
        "was scanned with other options ({mine} against {theirs})",
        show=lambda p: _options_difference(p, parts),
    )
    _agree(
        parts,
        lambda p: _frozen(p.tool),
        "was scanned by another engine ({mine} against {theirs})",
        show=lambda p: _engine_difference(p, parts),
    )
    here = (__version__, index.scancode_version())
    for path, part in parts:
        theirs = (part.tool.get("version"), part.tool.get("scancode_toolkit_version"))
        if theirs != here:
            raise ShardError(
                f"{path}: written by ospo-scan {theirs[0]} (scancode-toolkit {theirs[1]}); "
                f"this is ospo-scan {here[0]} (scancode-toolkit {here[1]}): merge with that one"
            )
    count = parts[0][1].shard.count
    by_index: dict[int, Path] = {}
    for path, part in parts:
        if part.shard.index in by_index:
            raise ShardError(
                f"{path}: shard {part.shard} is there twice (also {by_index[part.shard.index]})"
            )
        by_index[part.shard.index] = path
    missing = [str(k) for k in range(1, count + 1) if k not in by_index]
    if missing:
        raise ShardError(f"shard {missing[0]}/{count} is missing: no part of it was given")
    ordered = sorted(parts, key=lambda named: named[1].shard.index)
    _check_coverage(ordered)
    return [part for _, part in ordered]


def _agree(
    parts: Sequence[Named],
    value: Callable[[Part], Hashable],
    problem: str,
    show: Callable[[Part], tuple[str, str]] | None = None,
) -> None:
    counts = collections.Counter(value(part) for _, part in parts)
    best = max(counts.values())
    common = next(value(p) for _, p in parts if counts[value(p)] == best)
    for path, part in parts:
        if value(part) != common:
            reference = next(p for _, p in parts if value(p) == common)
            if show is not None:
                mine, theirs = show(part)
            else:
                mine, theirs = str(value(part)), str(value(reference))
            raise ShardError(f"{path}: {problem.format(mine=mine, theirs=theirs)}")


def _frozen(data: Any) -> Hashable:
    if isinstance(data, dict):
        return tuple(sorted((k, _frozen(v)) for k, v in data.items()))
    if isinstance(data, list | tuple):
        return tuple(_frozen(v) for v in data)
    return data  # type: ignore[no-any-return]


def _options_difference(part: Part, parts: Sequence[Named]) -> tuple[str, str]:
    return _difference(part, parts, lambda p: neutral(p.options))


def _engine_difference(part: Part, parts: Sequence[Named]) -> tuple[str, str]:
    return _difference(part, parts, lambda p: p.tool)


def _difference(
    part: Part, parts: Sequence[Named], value: Callable[[Part], dict[str, Any]]
) -> tuple[str, str]:
    """The keys where ``part`` differs from the first part that differs from it, each side."""
    mine = value(part)
    other = next((value(p) for _, p in parts if value(p) != mine), {})
    keys = sorted(k for k in {*mine, *other} if mine.get(k) != other.get(k))
    return (
        ", ".join(f"{k}={mine.get(k)!r}" for k in keys),
        ", ".join(f"{k}={other.get(k)!r}" for k in keys),
    )


def _check_coverage(ordered: Sequence[Named]) -> None:
    """Every entry of the tree recorded by exactly one part, and nothing else recorded."""
    owner: dict[str, Path] = {}
    for path, part in ordered:
        for record in part.files:
            if record.path in owner:
                raise ShardError(
                    f"{path}: records {record.path!r}, which {owner[record.path]} records too"
                )
            owner[record.path] = path
        stray = [p for p in part.package_data if owner.get(p) != path]
        if stray:
            raise ShardError(
                f"{path}: holds package data of {stray[0]!r}, which it does not record"
            )
    entries = ordered[0][1].entries
    expected = {p for p, _ in entries}
    for path, part in ordered:
        extra = next((r.path for r in part.files if r.path not in expected), None)
        if extra is not None:
            raise ShardError(f"{path}: records {extra!r}, which is not in the scanned tree")
    unrecorded = next((p for p, _ in entries if p not in owner), None)
    if unrecorded is not None:
        raise ShardError(
            f"no part records {unrecorded!r}: a part is incomplete "
            f"(given: {', '.join(str(p) for p, _ in ordered)})"
        )


def _tree_is_there(root: Path, records: list[FileRecord], package_data: dict[str, Any]) -> bool:
    """True when every datafile at ``root`` is as the shards scanned it."""
    hashes = {r.path: r.sha256 for r in records}
    for path in package_data:
        if content_digest(str(root / path)) != hashes.get(path):
            warnings.warn(
                f"{root / path} is not there as it was scanned: the packages and dependencies "
                "keep no datafile line (merge where the scanned tree is, or give --root)",
                OspoScanWarning,
                stacklevel=3,
            )
            return False
    return True
