# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""What the findings cache keeps per scanned tree: its last whole result and its last assembly.

A warm re-scan of an unchanged tree takes the whole result from here (:func:`tree_lookup`,
:func:`from_tree_cache`; stored by :func:`store_tree`) without loading ScanCode's package
handlers; after an edit that keeps every path and all package data, the last package
assembly of the tree still holds (:func:`assemble`). Both go through the scan's
:class:`~ospo_scan.scan.cached.CacheSession`.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ospo_scan import __version__
from ospo_scan.engine import assembly, datafiles, detect
from ospo_scan.model import Dependency, FileRecord, IssueKind, LicenseDetection, Package
from ospo_scan.scan.cached import CacheSession
from ospo_scan.scan.files import content_digest
from ospo_scan.scan.options import ScanOptions
from ospo_scan.scan.walk import VCS_DIRS, Entry, EntryKind

# --- the whole-tree cache ---
#
# Per-file findings come from the findings cache, but package assembly depends on every path
# and every datafile of the tree, and telling datafiles apart needs ScanCode's package
# handlers (over half a second to import). A warm re-scan of an unchanged tree therefore
# looks up the whole result first, keyed on a digest of every entry's path, kind and content
# (with the path signature that ScanCode's text handling reads), the absolute root (ScanCode
# matches datafile patterns against whole paths), the options and the engine. Any change to
# a file, to the set of paths or to an option misses, and the scan runs as before.

#: Bump when what a whole-tree entry holds, or what decides it, changes.
_TREE_FORMAT = "6"  # 4: the datafile lines of packages and dependencies; 5: npm workspace
# roots, conclusions by expression and ScanCode data; 6: ScanCode's own declared detections

#: Options that cannot change a stored result: the number of processes, and the time limit
#: (a file that runs over it is an error, and a result with such errors is never stored).
_TREE_NEUTRAL_OPTIONS = frozenset({"jobs", "timeout"})

#: Issues that the same bytes, path and options always give again: a result holding only
#: these may be stored. Timeouts, crashes and unreadable files may not happen next time;
#: package data errors are not cached per file either (a datafile with one is parsed again).
_REPEATABLE_ISSUES = frozenset(
    {
        IssueKind.UNDECODABLE,
        IssueKind.TOO_LARGE,
        IssueKind.BINARY,
        IssueKind.SYMLINK,
        IssueKind.SPECIAL,
        IssueKind.UNREADABLE,  # a folder that could not be listed; files are checked by hash
    }
)


#: How long after a file last changed its recorded stamp is trusted (nanoseconds): file
#: systems keep times in ticks of up to a few milliseconds (two seconds on FAT), so a file
#: changed within a tick of being hashed could show the same times with other bytes.
_RACY_NS = 3_000_000_000
_STAMPS_KEY = "stamps-1"


@dataclass(frozen=True, slots=True)
class TreeState:
    """One scan's place in the whole-tree cache, and the digests computed to find it."""

    slot: str  # the root, options and engine: each slot keeps only its latest tree
    key: str  # the slot plus every entry's path, kind and content
    digests: dict[str, str]  # path -> SHA-256 of every regular file


def tree_lookup(
    session: CacheSession, root: Path, entries: list[Entry], options: ScanOptions
) -> tuple[TreeState | None, dict[str, Any] | None]:
    """The tree's cache state and its stored result, if any (None, None without a cache).

    Every file's content digest goes into the key. A file whose stamp (device, inode, size,
    modification and change times) is the one recorded when it was last hashed here is not
    read again: its digest is the recorded one, as git trusts its index. Only a stamp
    recorded well after the file last changed counts (:data:`_RACY_NS`): a file written in
    the same instant as it was hashed may have changed without its times showing it.
    """
    if not session.active:
        return None, None
    material = {
        "format": _TREE_FORMAT,
        "ospo_scan": __version__,
        "engine": session.engine(),
        "root": str(root),
        "options": {k: v for k, v in options.record().items() if k not in _TREE_NEUTRAL_OPTIONS},
    }
    slot = hashlib.sha256(
        json.dumps(material, sort_keys=True, ensure_ascii=True).encode("ascii")
    ).hexdigest()
    stamps_slot = f"stamps|{slot}"
    stored_stamps = session.get_tree(stamps_slot, _STAMPS_KEY) or {}
    known = stored_stamps.get("files")
    trusted_before = int(stored_stamps.get("recorded_ns") or 0) - _RACY_NS
    if not isinstance(known, dict):
        known = {}
    recorded_ns = time.time_ns()
    stamps: dict[str, list[str]] = {}
    digests: dict[str, str] = {}
    read_any = False
    listing = hashlib.sha256()
    for entry in sorted(entries, key=lambda e: e.path):
        if entry.kind is EntryKind.FILE:
            previous = known.get(entry.path)
            if (
                entry.stamp
                and entry.changed_ns < trusted_before
                and isinstance(previous, list)
                and len(previous) == 2
                and previous[0] == entry.stamp
                and isinstance(previous[1], str)
            ):
                digest: str | None = previous[1]
            else:
                digest = content_digest(entry.location)
                read_any = True
            if digest is None:
                return None, None  # unreadable: an error record, never stored
            digests[entry.path] = digest
            if entry.stamp:
                stamps[entry.path] = [entry.stamp, digest]
            item = [
                entry.path,
                entry.kind.value,
                digest,
                detect.path_signature(entry.location),
            ]
        else:
            item = [entry.path, entry.kind.value, entry.detail]
        listing.update(json.dumps(item).encode("ascii") + b"\n")
    if read_any or len(stamps) != len(known):
        session.put_tree(
            stamps_slot, _STAMPS_KEY, {"recorded_ns": recorded_ns, "files": stamps}, quiet=True
        )
    key = hashlib.sha256(f"{slot}|{listing.hexdigest()}".encode("ascii")).hexdigest()
    # A lookup that fails is a miss; the per-file lookup warns if the cache is unusable.
    return TreeState(slot=slot, key=key, digests=digests), session.get_tree(slot, key)


def from_tree_cache(
    stored: dict[str, Any], tree: TreeState, root: Path
) -> tuple[list[FileRecord], tuple[Package, ...], tuple[Dependency, ...]] | None:
    """The stored result, or None when it does not hold together or a folder it read changed."""
    try:
        walked = {os.path.join(root, path) for path in tree.digests}  # noqa: PTH118
        if not all(_subtree_walked(folder, walked) for folder in stored["subtrees"]):
            return None  # a file that the walk now leaves out appeared where a parser reads
        for folder, identity in stored["folders"].items():
            try:
                if datafiles.folder_identity(folder) != identity:
                    return None
            except (OSError, ValueError):
                return None
        records = [FileRecord.from_dict(r) for r in stored["files"]]
        found_packages = tuple(Package.from_dict(p) for p in stored["packages"])
        found_dependencies = tuple(Dependency.from_dict(d) for d in stored["dependencies"])
    except (KeyError, TypeError, ValueError, AttributeError):
        return None  # an entry from an older layout: scan, and overwrite it
    if any(r.path in tree.digests and r.sha256 != tree.digests[r.path] for r in records):
        return None
    return records, found_packages, found_dependencies


def store_tree(
    session: CacheSession,
    tree: TreeState,
    options: ScanOptions,
    files: list[Entry],
    records: list[FileRecord],
    found_packages: tuple[Package, ...],
    found_dependencies: tuple[Dependency, ...],
) -> None:
    """Keep the result for the next scan of the same tree, when it is repeatable."""
    if not all(_repeatable(r, tree.digests) for r in records):
        return
    folders: dict[str, Any] = {}
    subtrees: list[str] = []
    walked = {entry.location for entry in files}
    if options.packages or options.packages_only:
        for entry in files:
            if not datafiles.is_package_datafile(entry.location):
                continue
            parse_key = datafiles.package_parse_key(entry.location)
            if parse_key is None:
                # A parser reading beyond the file (setup.py) is covered when all it can read
                # was walked, hence is in the tree digest; else it may read what is not.
                folder = os.path.dirname(entry.location)  # noqa: PTH120
                if not datafiles.reads_only_its_subtree(entry.location):
                    return
                if not _subtree_walked(folder, walked):
                    return
                subtrees.append(folder)
                continue
            if "folder" in parse_key:
                # Python metadata: the parser reads its folder, ignored files included.
                folders[os.path.dirname(entry.location)] = parse_key["folder"]  # noqa: PTH120
    value = {
        "files": [r.to_dict() for r in records],
        "packages": [p.to_dict() for p in found_packages],
        "dependencies": [d.to_dict() for d in found_dependencies],
        "folders": folders,
        "subtrees": subtrees,
    }
    session.put_tree(tree.slot, tree.key, value)


def _subtree_walked(folder: str, walked: set[str]) -> bool:
    """True when every file under ``folder`` is among the ``walked`` locations, and nothing
    there is a symbolic link or a special file (what a parser would read through those is not
    in the tree digest). Version-control folders, which the walk skips, are skipped here.

    Folder by folder with a stack, not ``os.walk``, which recurses once per level (on Python
    3.11) and fails on a deep tree; a folder that cannot be listed (its path too long to
    open, say) means no.
    """
    pending = [folder]
    while pending:
        current = pending.pop()
        try:
            with os.scandir(current) as listing:
                found = list(listing)
        except OSError:
            return False
        for item in found:
            if item.is_symlink():
                return False
            if item.is_dir(follow_symlinks=False):
                if item.name not in VCS_DIRS:
                    pending.append(item.path)
            elif item.path not in walked:
                return False
    return True


def _repeatable(record: FileRecord, digests: dict[str, str]) -> bool:
    """True when the same tree, options and engine always give ``record`` again."""
    if record.path in digests and record.sha256 != digests[record.path]:
        return False  # the file changed while it was scanned
    return all(issue.kind in _REPEATABLE_ISSUES for issue in record.issues)


# --- the assembly cache ---


def assemble(
    session: CacheSession,
    tree: TreeState | None,
    paths: list[str],
    package_data: dict[str, tuple[dict[str, Any], ...]],
) -> assembly.Assembled:
    """ScanCode's assembly, or the last one of this tree when its input is the same.

    Assembly reads nothing but the paths and the parsed package data, so after an edit that
    changes neither (a source file, a license text) the last assembly of the same root and
    options still holds: only the licenses concluded from the files are worked out again.
    """
    if tree is None or not package_data:
        return assembly.assemble_packages(paths, package_data)
    slot = hashlib.sha256(f"assembly|{tree.slot}".encode("ascii")).hexdigest()
    material = hashlib.sha256(slot.encode("ascii"))
    for path in sorted({*paths, *package_data}):
        item = [path, package_data.get(path)]
        material.update(json.dumps(item, sort_keys=True).encode("ascii") + b"\n")
    key = material.hexdigest()
    stored = session.get_tree(slot, key)
    if stored is not None:
        with contextlib.suppress(KeyError, TypeError, ValueError, AttributeError):
            return _assembled_from_dict(stored)
    assembled = assembly.assemble_packages(paths, package_data)
    if not assembled.errors:
        session.put_tree(slot, key, _assembled_to_dict(assembled))
    return assembled


def _detections_or_none(data: Any) -> tuple[LicenseDetection, ...] | None:
    return None if data is None else tuple(LicenseDetection.from_dict(d) for d in data)


def _assembled_to_dict(assembled: assembly.Assembled) -> dict[str, Any]:
    return {
        "packages": [
            {
                "package": a.package.to_dict(),
                "uid": a.uid,
                "files": list(a.files),
                "declared_detections": [d.to_dict() for d in a.declared_detections],
                "scancode_declared_detections": None
                if a.scancode_declared_detections is None
                else [d.to_dict() for d in a.scancode_declared_detections],
            }
            for a in assembled.packages
        ],
        "dependencies": [
            {
                "dependency": d.dependency.to_dict(),
                "is_runtime": d.is_runtime,
                "is_optional": d.is_optional,
                "datasource_id": d.datasource_id,
                "for_package_uid": d.for_package_uid,
                "lockfile_license_spdx": d.lockfile_license_spdx,
                "lock_path": d.lock_path,
            }
            for d in assembled.dependencies
        ],
    }


def _assembled_from_dict(data: dict[str, Any]) -> assembly.Assembled:
    """Inverse of :func:`_assembled_to_dict` (raises on a damaged entry)."""

    def text(value: Any) -> str | None:
        if value is not None and not isinstance(value, str):
            raise TypeError(f"not a string: {value!r}")
        return value

    return assembly.Assembled(
        packages=tuple(
            assembly.AssembledPackage(
                package=Package.from_dict(p["package"]),
                uid=str(p["uid"]),
                files=tuple(str(f) for f in p["files"]),
                declared_detections=tuple(
                    LicenseDetection.from_dict(d) for d in p["declared_detections"]
                ),
                scancode_declared_detections=None
                if p["scancode_declared_detections"] is None
                else tuple(
                    LicenseDetection.from_dict(d) for d in p["scancode_declared_detections"]
                ),
            )
            for p in data["packages"]
        ),
        dependencies=tuple(
            assembly.AssembledDependency(
                dependency=Dependency.from_dict(d["dependency"]),
                is_runtime=bool(d["is_runtime"]),
                is_optional=bool(d["is_optional"]),
                datasource_id=str(d["datasource_id"]),
                for_package_uid=text(d["for_package_uid"]),
                lockfile_license_spdx=text(d["lockfile_license_spdx"]),
                lock_path=text(d["lock_path"]),
            )
            for d in data["dependencies"]
        ),
    )
