# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""One shard of a scan: ``scan --shard K/N`` writes a part that ``merge`` puts together.

Every shard walks and hashes the whole tree (cheap next to detection), then splits the work
the same way as every other shard does (:func:`split`): each distinct content (grouped as the
one-process scan groups them, by content and path signature), each package datafile and each
other entry is one unit, weighed by its size, and the units go, largest first, to the shard
that has the least so far (longest processing time first, ties to the lowest shard). Shard K
detects only its units, through the same cache lookup and detection as a one-process scan
(:func:`~ospo_scan.scan.pipeline.scan_planned`), and parses the datafiles it owns.

Its part (:class:`Part`) holds its records and package data, and what ``merge`` needs to
check that the parts fit together: the tree digest (every path, kind and content hash), every
entry's path in walk order, the options, the engine (:class:`~ospo_scan.model.ToolInfo`),
K and N. A part starts with ``"ospo_scan_part"``, never ``schema_version``: ``check`` does
not take a part of a tree for the tree's result.
"""

from __future__ import annotations

import hashlib
import heapq
import json
import os
import re
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from ospo_scan.engine import datafiles
from ospo_scan.errors import ScanError, ShardError
from ospo_scan.model import FileRecord
from ospo_scan.scan import interrupts
from ospo_scan.scan.cached import CacheSession, Group, Plan
from ospo_scan.scan.files import record_for_non_file
from ospo_scan.scan.options import NullProgress, Progress, ScanOptions
from ospo_scan.scan.pipeline import plan_files, scan_planned, tool_info
from ospo_scan.scan.walk import Entry, EntryKind, WalkOptions, walk

#: Version of the part document; ``merge`` takes only parts of this version.
PART_VERSION = 1

#: What a unit costs besides its bytes (opening, hashing, the engine's set-up per file),
#: in bytes: without it a thousand empty files would weigh nothing. Measured on Django's
#: sdist: detection takes about 15 ms of CPU per file plus about 3 us per byte, so a file
#: costs about 5,000 bytes' worth before its first byte.
UNIT_OVERHEAD = 5000

#: Options that may differ between shards: the processes each runner has.
SHARD_NEUTRAL_OPTIONS = frozenset({"jobs"})

_SPEC = re.compile(r"^\s*(\d+)\s*/\s*(\d+)\s*$")


@dataclass(frozen=True, slots=True)
class Shard:
    """Shard ``index`` of ``count`` (1-based)."""

    index: int
    count: int

    @classmethod
    def parse(cls, text: str) -> Shard:
        """``K/N`` as given to ``--shard``; :class:`ShardError` when it is not 1 <= K <= N."""
        match = _SPEC.match(text)
        if match is None:
            raise ShardError(f"--shard {text!r}: expected K/N, such as 2/4")
        index, count = int(match.group(1)), int(match.group(2))
        if not 1 <= index <= count:
            raise ShardError(f"--shard {text!r}: K must be between 1 and N")
        return cls(index, count)

    def __str__(self) -> str:
        return f"{self.index}/{self.count}"


@dataclass(frozen=True, slots=True)
class Unit:
    """A piece of work that one shard does whole: a content, a datafile, or another entry."""

    key: str  # the first path of the unit: the tie-break that makes the split stable
    weight: int
    paths: tuple[str, ...]


def split(units: list[Unit], count: int) -> list[list[Unit]]:
    """``units`` shared among ``count`` shards so that their weights come out about even.

    Longest processing time first: the heaviest unit goes to the lightest shard so far. The
    order (weight, then key) and the ties (the lowest shard) are fixed, so every shard of the
    same tree computes the same split.
    """
    shares: list[list[Unit]] = [[] for _ in range(count)]
    loads = [(0, index) for index in range(count)]
    for unit in sorted(units, key=lambda u: (-u.weight, u.key)):
        load, index = heapq.heappop(loads)
        shares[index].append(unit)
        heapq.heappush(loads, (load + unit.weight, index))
    return shares


def units_of(plan: Plan, others: list[Entry]) -> list[Unit]:
    """The units of a planned tree: its content groups, datafiles, unhashed files, ``others``."""
    units = [
        Unit(members[0].path, members[0].size + UNIT_OVERHEAD, tuple(e.path for e in members))
        for members in plan.groups.values()
    ]
    units.extend(Unit(e.path, e.size + UNIT_OVERHEAD, (e.path,)) for e, _ in plan.datafiles)
    # A file over the size limit is recorded without being read; one that cannot be read
    # fails at once: neither is worth its size.
    units.extend(Unit(e.path, UNIT_OVERHEAD, (e.path,)) for e in plan.unhashed)
    units.extend(Unit(e.path, 0, (e.path,)) for e in others)
    return units


def share_of(plan: Plan, paths: set[str]) -> Plan:
    """The part of ``plan`` whose files are among ``paths``."""
    groups: dict[Group, list[Entry]] = {
        group: members for group, members in plan.groups.items() if members[0].path in paths
    }
    group_of = {path: group for path, group in plan.group_of.items() if group in groups}
    return Plan(
        groups,
        group_of,
        [(e, d) for e, d in plan.datafiles if e.path in paths],
        [e for e in plan.unhashed if e.path in paths],
    )


def tree_digest(entries: list[Entry], plan: Plan) -> str:
    """A digest of every entry's path, kind, size or link target, and content hash."""
    digests: dict[str, str] = {e.path: digest for (digest, _), g in plan.groups.items() for e in g}
    digests.update((e.path, digest) for e, digest in plan.datafiles)
    listing = hashlib.sha256()
    for entry in entries:
        item = [entry.path, entry.kind.value, digests.get(entry.path), entry.size, entry.detail]
        listing.update(json.dumps(item, ensure_ascii=True).encode("ascii") + b"\n")
    return listing.hexdigest()


@dataclass(frozen=True, slots=True)
class Part:
    """What one shard found, and what ``merge`` checks it against the other parts."""

    shard: Shard
    tree_digest: str
    entries: tuple[tuple[str, str], ...]  # (path, kind) of every entry, in walk order
    tool: dict[str, Any]
    root: str
    options: dict[str, Any]
    started_at: str
    finished_at: str
    elapsed_seconds: float
    files: tuple[FileRecord, ...]
    package_data: dict[str, tuple[dict[str, Any], ...]] = field(default_factory=dict)
    contents: int = 0  # the units it owned
    weight: int = 0  # their weight (bytes and overheads)

    def to_json(self) -> str:
        """The part document: one line per record, as the result document writes them."""
        head = {
            "ospo_scan_part": PART_VERSION,
            "shard": {"index": self.shard.index, "count": self.shard.count},
            "tree_digest": self.tree_digest,
            "tool": self.tool,
            "scan": {
                "root": self.root,
                "options": self.options,
                "started_at": self.started_at,
                "finished_at": self.finished_at,
                "elapsed_seconds": self.elapsed_seconds,
            },
            "work": {"units": self.contents, "weight": self.weight},
        }
        lines = [json.dumps(head, indent=2, ensure_ascii=False)[:-2] + ","]
        lines.append('  "entries": [')
        lines.append(
            ",\n".join("    " + json.dumps(list(e), ensure_ascii=False) for e in self.entries)
        )
        lines.append("  ],")
        lines.append('  "package_data": {')
        lines.append(
            ",\n".join(
                f"    {json.dumps(path, ensure_ascii=False)}: "
                + json.dumps(list(data), ensure_ascii=False)
                for path, data in self.package_data.items()
            )
        )
        lines.append("  },")
        lines.append('  "files": [')
        lines.append(
            ",\n".join("    " + json.dumps(r.to_dict(), ensure_ascii=False) for r in self.files)
        )
        lines.append("  ]")
        lines.append("}")
        text = "\n".join(line for line in lines if line) + "\n"
        # A file name that is not UTF-8 (lone surrogates) is written as a \udcXX escape.
        return text.encode("utf-8", "backslashreplace").decode("utf-8")


def scan_shard(
    root: Path, options: ScanOptions, shard: Shard, progress: Progress | None = None
) -> Part:
    """Walk and hash the tree under ``root``, detect the share of ``shard``, return its part."""
    if options.packages_only:
        raise ShardError(
            "--shard cannot be used with --packages-only (the license files to "
            "scan are known only once every datafile is parsed)"
        )
    progress = progress or NullProgress()
    root = Path(os.path.abspath(root))  # noqa: PTH100 -- keep a symlinked root as given
    if not root.is_dir():
        raise ScanError(f"--shard scans a folder: {root} is not one")
    started = datetime.now(timezone.utc)
    clock = time.monotonic()
    walk_options = WalkOptions(include_ignored=options.include_ignored, excludes=options.excludes)
    with interrupts.interrupts_recorded():
        entries = list(walk(root, walk_options))
        files = [e for e in entries if e.kind is EntryKind.FILE]
        others = [e for e in entries if e.kind is not EntryKind.FILE]
        if options.packages and any(datafiles.is_package_datafile(e.location) for e in files):
            datafiles.load_package_handlers()
        plan = plan_files(files, options, None)
        mine = split(units_of(plan, others), shard.count)[shard.index - 1]
        paths = {path for unit in mine for path in unit.paths}
        records = [record_for_non_file(e) for e in others if e.path in paths]
        package_data: dict[str, tuple[dict[str, Any], ...]] = {}
        with CacheSession.open(options.cache_dir) as session:
            records.extend(
                scan_planned(
                    session,
                    share_of(plan, paths),
                    list(records),
                    options,
                    progress,
                    len(paths),
                    package_data,
                )
            )
    records.sort(key=lambda r: r.path)
    return Part(
        shard=shard,
        tree_digest=tree_digest(entries, plan),
        entries=tuple((e.path, e.kind.value) for e in entries),
        tool=tool_info().to_dict(),
        root=str(root),
        options=options.record(),
        started_at=started.isoformat(timespec="seconds"),
        finished_at=datetime.now(timezone.utc).isoformat(timespec="seconds"),
        elapsed_seconds=round(time.monotonic() - clock, 3),
        files=tuple(records),
        package_data=dict(sorted(package_data.items())),
        contents=len(mine),
        weight=sum(u.weight for u in mine),
    )


def load_part(path: Path) -> Part:
    """Read a part written by ``scan --shard``; :class:`ShardError` naming ``path`` if bad."""
    try:
        data = json.loads(path.read_bytes().decode("utf-8"))
    except OSError as exc:
        raise ShardError(f"{path}: cannot read the part: {exc.strerror or exc}") from exc
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ShardError(f"{path}: not a complete part (truncated or not JSON): {exc}") from exc
    if not isinstance(data, dict) or "ospo_scan_part" not in data:
        raise ShardError(f"{path}: not a part written by `ospo-scan scan --shard`")
    if data["ospo_scan_part"] != PART_VERSION:
        raise ShardError(
            f"{path}: part version {data['ospo_scan_part']!r}; this ospo-scan merges "
            f"version {PART_VERSION}"
        )
    try:
        return _part_from_dict(data)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise ShardError(f"{path}: not a valid part: {exc!r}") from exc


def _part_from_dict(data: dict[str, Any]) -> Part:
    scan = data["scan"]
    shard = Shard(int(data["shard"]["index"]), int(data["shard"]["count"]))
    if not 1 <= shard.index <= shard.count:
        raise ValueError(f"shard {shard} is not K/N with 1 <= K <= N")
    entries = tuple((str(p), str(k)) for p, k in data["entries"])
    package_data = {
        str(path): tuple(dict(item) for item in items)
        for path, items in dict(data["package_data"]).items()
    }
    if not isinstance(data["tool"], dict) or not isinstance(scan["options"], dict):
        raise TypeError("tool and scan.options must be objects")
    return Part(
        shard=shard,
        tree_digest=str(data["tree_digest"]),
        entries=entries,
        tool=data["tool"],
        root=str(scan["root"]),
        options=scan["options"],
        started_at=str(scan["started_at"]),
        finished_at=str(scan["finished_at"]),
        elapsed_seconds=float(scan["elapsed_seconds"]),
        files=tuple(FileRecord.from_dict(r) for r in data["files"]),
        package_data=package_data,
        contents=int(data["work"]["units"]),
        weight=int(data["work"]["weight"]),
    )


def neutral(options: dict[str, Any]) -> dict[str, Any]:
    """``options`` without those that shards may set each their own way."""
    return {k: v for k, v in options.items() if k not in SHARD_NEUTRAL_OPTIONS}
