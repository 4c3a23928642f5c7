# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""The scan core: ``scan(root, options) -> ScanResult``.

It walks the tree (:mod:`ospo_scan.walk`), reads and hashes every regular file, sends text
to ScanCode through :mod:`ospo_scan.engine`, and assembles the result. A bad file
never aborts a scan: it becomes a :class:`~ospo_scan.model.FileRecord` with a reason.

With more than one job, the license index is loaded once in this process and worker
processes are forked after that, so they share it instead of loading 1.4 GB each.
"""

from __future__ import annotations

import collections
import contextlib
import hashlib
import json
import os
import signal
import sqlite3
import threading
import time
import warnings
from collections.abc import Iterator
from dataclasses import asdict, dataclass, replace
from datetime import datetime, timezone
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Any, Protocol

from ospo_scan import __version__, packages, references
from ospo_scan import cache as cache_module
from ospo_scan.engine import assembly, datafiles, detect, fast_copyrights, fast_licenses, index
from ospo_scan.errors import CacheWarning, ScanError
from ospo_scan.licensing import license_ids
from ospo_scan.model import (
    Dependency,
    FileIssue,
    FileRecord,
    FileStatus,
    IssueKind,
    LicenseDetection,
    Package,
    ScanResult,
    ScanSummary,
    ToolInfo,
)
from ospo_scan.walk import VCS_DIRS, Entry, EntryKind, WalkOptions, walk

if TYPE_CHECKING:
    from concurrent.futures import Future

#: Files larger than this are recorded as skipped unless --max-file-size says otherwise.
#: Legal texts are small; files this large are data, bundles or generated code.
DEFAULT_MAX_FILE_SIZE = 10 * 1024 * 1024

#: Seconds a single file may take in detection before it is recorded as timed out.
DEFAULT_TIMEOUT = 120.0

#: Fewer contents than this to detect and the fast path's rule index is not worth building.
FAST_PATH_MIN_FILES = 50

#: Memory a ScanCode worker needs (the license index is about 1.4 GB per process).
WORKER_MEMORY = 1536 * 1024 * 1024

#: How much of a file is sniffed for NUL bytes to tell binary from text.
_SNIFF_SIZE = 8192
_READ_CHUNK = 1024 * 1024
_UTF16_32_BOMS = (b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")

#: What a worker returns for one file: its record, and what the package parsers found in it.
_Scanned = tuple[FileRecord, datafiles.PackageDataFindings | None]


@dataclass(frozen=True, slots=True)
class ScanOptions:
    """Everything that shapes a scan."""

    include_ignored: bool = False
    excludes: tuple[str, ...] = ()
    max_file_size: int = DEFAULT_MAX_FILE_SIZE
    jobs: int = 1
    timeout: float = DEFAULT_TIMEOUT
    licenses: bool = True
    copyrights: bool = True
    packages: bool = True  # parse manifests and lockfiles; conclude package licenses
    packages_only: bool = False  # only datafiles and the packages' license files
    #: The findings cache folder; None scans without a cache.
    cache_dir: str | None = None
    #: The fast path: ScanCode's matcher narrowed and its copyright detector memoised (same
    #: findings).
    prefilter: bool = True

    def record(self) -> dict[str, Any]:
        """The options as JSON data, for the result document."""
        data = asdict(self)
        data["excludes"] = list(self.excludes)
        # Where the cache lives does not change the findings.
        data.pop("cache_dir")
        return data

    def detection_key(self) -> dict[str, Any]:
        """The options that change a file's findings: part of the cache key."""
        return {
            "licenses": self.licenses,
            "copyrights": self.copyrights,
            "prefilter": self.prefilter,
        }


class Progress(Protocol):
    """Callbacks the core makes while it scans; the CLI attaches a progress bar."""

    def start(self, total: int) -> None:
        """The walk is done: ``total`` paths will be reported."""

    def advance(self, path: str) -> None:
        """One more path is done."""


class NullProgress:
    """A progress hook that does nothing: the default."""

    def start(self, total: int) -> None:
        """Ignore."""

    def advance(self, path: str) -> None:
        """Ignore."""


def default_jobs() -> int:
    """The CPUs this process may use, capped by the memory available for ScanCode workers."""
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        cpus = os.cpu_count() or 1
    available = _available_memory()
    if available is None:
        return max(1, cpus)
    return max(1, min(cpus, available // WORKER_MEMORY))


def _available_memory() -> int | None:
    try:
        with Path("/proc/meminfo").open(encoding="ascii") as meminfo:
            for line in meminfo:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        return None
    return None


def scan(
    root: Path, options: ScanOptions = ScanOptions(), progress: Progress | None = None
) -> ScanResult:
    """Scan the file or folder ``root`` and return the full result."""
    progress = progress or NullProgress()
    root = Path(os.path.abspath(root))  # noqa: PTH100 -- keep a symlinked root as given
    if not root.exists():
        raise ScanError(f"no such file or folder: {root}")
    started = datetime.now(timezone.utc)
    clock = time.monotonic()
    walk_options = WalkOptions(include_ignored=options.include_ignored, excludes=options.excludes)
    entries = list(walk(root, walk_options))
    tree, stored = _tree_lookup(root, entries, options)
    if tree is not None and stored is not None:
        hit = _from_tree_cache(stored, tree, root)
        if hit is not None:
            progress.start(len(hit[0]))
            for record in hit[0]:
                progress.advance(record.path)
            return _result(root, options, started, clock, *hit)
    files = [e for e in entries if e.kind is EntryKind.FILE]
    records = [_record_for_non_file(e) for e in entries if e.kind is not EntryKind.FILE]

    if options.packages or options.packages_only:
        datafiles.load_package_handlers()
    all_files = files
    if options.packages_only:
        # Only the datafiles now; the packages' license files once they are assembled.
        files = [e for e in files if datafiles.is_package_datafile(e.location)]
        records, entries = [], files
    package_data: dict[str, tuple[dict[str, Any], ...]] = {}
    # With --packages-only the datafiles are parsed, not searched for license text: their
    # declared licenses come from the parsers.
    first = replace(options, licenses=False, copyrights=False) if options.packages_only else options
    digests = tree.digests if tree is not None else None
    records.extend(
        _scan_files(files, list(records), first, progress, len(entries), package_data, digests)
    )
    found_packages: tuple[Package, ...] = ()
    found_dependencies: tuple[Dependency, ...] = ()
    if not (options.packages or options.packages_only):
        records = references.follow_local_references(records)
    else:
        assembled = _assemble(tree, options, [e.path for e in all_files], package_data)
        records = _with_assembly_errors(records, assembled.errors)
        if options.packages_only:
            wanted = packages.wanted_license_files(assembled, [e.path for e in all_files])
            wanted -= {r.path for r in records}
            extra = [e for e in all_files if e.path in wanted]
            plain = replace(options, packages=False, packages_only=False)
            records.extend(_scan_files(extra, [], plain, progress, len(extra), {}))
        # "See LICENSE": references to files are followed before the packages' licenses are
        # concluded from their license files, which may hold such a reference themselves.
        records = references.follow_local_references(records)
        found_packages, found_dependencies = packages.finish(
            assembled, {r.path: r for r in records}
        )
        records = references.follow_package_references(records, assembled.packages, found_packages)

    records.sort(key=lambda r: r.path)
    if tree is not None:
        _store_tree(tree, options, all_files, records, found_packages, found_dependencies)
    return _result(root, options, started, clock, records, found_packages, found_dependencies)


def _result(
    root: Path,
    options: ScanOptions,
    started: datetime,
    clock: float,
    records: list[FileRecord],
    found_packages: tuple[Package, ...],
    found_dependencies: tuple[Dependency, ...],
) -> ScanResult:
    elapsed = time.monotonic() - clock
    tool = ToolInfo(
        ospo_scan_version=__version__,
        scancode_toolkit_version=index.scancode_version(),
        spdx_license_list_version=index.spdx_license_list_version(),
        license_index=index.license_index_identity(),
    )
    return ScanResult(
        tool=tool,
        root=str(root),
        root_name=root.name or str(root),
        started_at=started.isoformat(timespec="seconds"),
        finished_at=datetime.now(timezone.utc).isoformat(timespec="seconds"),
        options=options.record(),
        summary=_with_package_counts(
            summarize(records, elapsed), found_packages, found_dependencies
        ),
        files=tuple(records),
        packages=found_packages,
        dependencies=found_dependencies,
    )


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
_TREE_FORMAT = "3"

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
class _TreeState:
    """One scan's place in the whole-tree cache, and the digests computed to find it."""

    slot: str  # the root, options and engine: each slot keeps only its latest tree
    key: str  # the slot plus every entry's path, kind and content
    digests: dict[str, str]  # path -> SHA-256 of every regular file


def _tree_lookup(
    root: Path, entries: list[Entry], options: ScanOptions
) -> tuple[_TreeState | None, dict[str, Any] | None]:
    """The tree's cache state and its stored result, if any (None, None without a cache).

    Every file's content digest goes into the key. A file whose stamp (device, inode, size,
    modification and change times) is the one recorded when it was last hashed here is not
    read again: its digest is the recorded one, as git trusts its index. Only a stamp
    recorded well after the file last changed counts (:data:`_RACY_NS`): a file written in
    the same instant as it was hashed may have changed without its times showing it.
    """
    if options.cache_dir is None:
        return None, None
    cache = _open_cache(options)
    if cache is None:
        return None, None
    try:
        material = {
            "format": _TREE_FORMAT,
            "ospo_scan": __version__,
            "engine": f"{index.scancode_version()}|{_index_identity(cache)}",
            "root": str(root),
            "options": {
                k: v for k, v in options.record().items() if k not in _TREE_NEUTRAL_OPTIONS
            },
        }
        slot = hashlib.sha256(
            json.dumps(material, sort_keys=True, ensure_ascii=True).encode("ascii")
        ).hexdigest()
        stamps_slot = f"stamps|{slot}"
        try:
            stored_stamps = cache.get_tree(stamps_slot, _STAMPS_KEY) or {}
        except sqlite3.Error:
            stored_stamps = {}
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
                    digest = _content_digest(entry.location)
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
            with contextlib.suppress(sqlite3.Error):
                cache.put_tree(
                    stamps_slot, _STAMPS_KEY, {"recorded_ns": recorded_ns, "files": stamps}
                )
        key = hashlib.sha256(f"{slot}|{listing.hexdigest()}".encode("ascii")).hexdigest()
        state = _TreeState(slot=slot, key=key, digests=digests)
        try:
            return state, cache.get_tree(slot, key)
        except sqlite3.Error:
            return state, None  # the per-file cache warns if it is unusable too
    finally:
        cache.close()


def _from_tree_cache(
    stored: dict[str, Any], tree: _TreeState, root: Path
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


def _store_tree(
    tree: _TreeState,
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
    cache = _open_cache(options)
    if cache is None:
        return
    try:
        cache.put_tree(tree.slot, tree.key, value)
    except sqlite3.Error as exc:
        warnings.warn(f"cannot write to the findings cache: {exc}", CacheWarning, stacklevel=2)
    finally:
        cache.close()


def _assemble(
    tree: _TreeState | None,
    options: ScanOptions,
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
    cache = _open_cache(options)
    stored = None
    if cache is not None:
        try:
            stored = cache.get_tree(slot, key)
        except sqlite3.Error:
            stored = None
        finally:
            cache.close()
    if stored is not None:
        with contextlib.suppress(KeyError, TypeError, ValueError, AttributeError):
            return _assembled_from_dict(stored)
    assembled = assembly.assemble_packages(paths, package_data)
    if not assembled.errors:
        cache = _open_cache(options)
        if cache is not None:
            try:
                cache.put_tree(slot, key, _assembled_to_dict(assembled))
            except sqlite3.Error as exc:
                warnings.warn(
                    f"cannot write to the findings cache: {exc}",
                    CacheWarning,
                    stacklevel=2,
                )
            finally:
                cache.close()
    return assembled


def _assembled_to_dict(assembled: assembly.Assembled) -> dict[str, Any]:
    return {
        "packages": [
            {
                "package": a.package.to_dict(),
                "uid": a.uid,
                "files": list(a.files),
                "declared_detections": [d.to_dict() for d in a.declared_detections],
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


def _subtree_walked(folder: str, walked: set[str]) -> bool:
    """True when every file under ``folder`` is among the ``walked`` locations, and nothing
    there is a symbolic link or a special file (what a parser would read through those is not
    in the tree digest). Version-control folders, which the walk skips, are skipped here."""
    for current, folders, names in os.walk(folder):
        for name in folders:
            if Path(current, name).is_symlink():
                return False
        folders[:] = [name for name in folders if name not in VCS_DIRS]
        for name in names:
            location = os.path.join(current, name)  # noqa: PTH118
            if location not in walked:
                return False
    return True


def _repeatable(record: FileRecord, digests: dict[str, str]) -> bool:
    """True when the same tree, options and engine always give ``record`` again."""
    if record.path in digests and record.sha256 != digests[record.path]:
        return False  # the file changed while it was scanned
    return all(issue.kind in _REPEATABLE_ISSUES for issue in record.issues)


#: Cached findings are written in batches of this many, so an interrupted scan keeps most.
_CACHE_WRITE_BATCH = 200


def _scan_files(
    files: list[Entry],
    done: list[FileRecord],
    options: ScanOptions,
    progress: Progress,
    total: int,
    package_data: dict[str, tuple[dict[str, Any], ...]],
    digests: dict[str, str] | None = None,
) -> Iterator[FileRecord]:
    """Scan regular files: each distinct content once, and only when the cache lacks it.

    Every file is read and hashed here first; files with equal SHA-256 are grouped, the cache
    answers for the contents it knows, and one file per remaining content goes to detection.
    Its record is then copied to the other paths with that content. Package datafiles are
    parsed path by path; the cache keeps their package data too, keyed on the content and
    what else the parse reads (see :func:`_datafile_keys`).
    """
    done = list(done)  # the caller may extend its list with what this yields
    wants_packages = options.packages or options.packages_only
    cache = _open_cache(options)
    try:
        engine = f"{index.scancode_version()}|{_index_identity(cache)}"
        # Files are grouped by content AND by what of their path changes ScanCode's findings
        # (the extension, for one: a .js.map has its embedded sources extracted).
        groups: dict[tuple[str, str], list[Entry]] = {}
        group_of: dict[str, tuple[str, str]] = {}
        todo: list[Entry] = []
        datafile_entries: list[tuple[Entry, str]] = []
        for entry in files:
            if entry.size > options.max_file_size:
                todo.append(entry)  # scan_file records it as too large; never from the cache
                continue
            known = digests.get(entry.path) if digests else None
            digest = known or _content_digest(entry.location)  # hashed once per scan
            if digest is None:
                todo.append(entry)  # unreadable: scan_file records why
            elif wants_packages and datafiles.is_package_datafile(entry.location):
                datafile_entries.append((entry, digest))
            else:
                group = (digest, detect.path_signature(entry.location))
                groups.setdefault(group, []).append(entry)
                group_of[entry.path] = group
        keys = {
            group: cache_module.findings_key(
                group[0], engine, {**options.detection_key(), "path": group[1]}
            )
            for group in groups
        }
        datafile_keys = _datafile_keys(datafile_entries, engine, options) if cache else {}
        # A datafile whose parser reads more than the file (setup.py, an .egg...) is parsed on
        # every scan, but its license and copyright findings depend on its content alone, like
        # any file's: they are cached under the content key, so no re-scan loads the index
        # just to detect them again.
        content_keys = {
            entry.path: cache_module.findings_key(
                digest,
                engine,
                {
                    **options.detection_key(),
                    "path": detect.path_signature(entry.location),
                },
            )
            for entry, digest in datafile_entries
            if entry.path not in datafile_keys
        }
        hits: dict[str, Any] = {}
        if cache:
            try:
                hits = cache.get_many(
                    [*keys.values(), *datafile_keys.values(), *content_keys.values()]
                )
            except sqlite3.Error as exc:
                # An unusable cache means a scan without it, never a failed scan.
                warnings.warn(
                    f"findings cache unreadable, scanning without it: {exc}",
                    CacheWarning,
                    stacklevel=1,
                )
                cache.close()
                cache = None
        cached: list[FileRecord] = []
        for entry, digest in datafile_entries:
            found = _from_datafile_cache(hits.get(datafile_keys.get(entry.path, "")), entry, digest)
            if found is None and entry.path in content_keys:
                detected = _from_cache(hits.get(content_keys[entry.path]) or {}, entry.path)
                if detected is not None and detected.sha256 == digest:
                    reparsed, findings = _parse_datafile(entry, detected, options)
                    found = reparsed, findings.package_data
            if found is None:
                todo.append(entry)
            else:
                cached.append(found[0])
                if found[1]:
                    package_data[entry.path] = found[1]
        copies: dict[str, list[Entry]] = {}
        for (digest, signature), members in groups.items():
            stored = hits.get(keys[digest, signature])
            if stored is not None:
                record = _from_cache(stored, members[0].path)
                if record is not None and record.sha256 == digest:
                    cached.extend(replace(record, path=e.path) for e in members)
                    continue
            todo.append(members[0])
            copies[members[0].path] = members[1:]
        for record in cached:
            yield record
        pending: list[tuple[str, dict[str, Any]]] = []
        datafile_digests = {entry.path: digest for entry, digest in datafile_entries}
        # The fast path's rule index takes about a second to build: for a few files (a
        # re-scan after an edit) ScanCode's own candidate ranking is cheaper, and the
        # findings are the same either way.
        if todo:
            # Loaded here, before any fork, and only when something needs detecting: a
            # re-scan that the cache answers in full never pays the index's seconds and GBs.
            index.load_index()
            if options.prefilter and options.licenses and len(todo) >= FAST_PATH_MIN_FILES:
                fast_licenses.prepare_fast_path()
        for record in _detect_files(todo, [*done, *cached], options, progress, total, package_data):
            yield record
            for twin in copies.get(record.path, ()):
                yield replace(record, path=twin.path)
                progress.advance(twin.path)
            grouping = group_of.get(record.path)
            # No key if the file changed since it was hashed: its findings are not cached.
            key = keys.get(grouping) if grouping and grouping[0] == record.sha256 else None
            if record.path in datafile_keys:
                if record.sha256 == datafile_digests[record.path] and _cacheable(record):
                    parsed = list(package_data.get(record.path, ()))
                    stored = {**_to_cache(record), "package_data": parsed}
                    pending.append((datafile_keys[record.path], stored))
            elif record.path in content_keys:
                if record.sha256 == datafile_digests[record.path] and _cacheable(record):
                    pending.append((content_keys[record.path], _to_cache(record)))
            elif cache and key and record.path not in package_data and _cacheable(record):
                pending.append((key, _to_cache(record)))
                if len(pending) >= _CACHE_WRITE_BATCH:
                    _store(cache, pending)
                    pending = []
        if cache:
            _store(cache, pending)
    finally:
        if cache:
            cache.close()


def _detect_files(
    files: list[Entry],
    done: list[FileRecord],
    options: ScanOptions,
    progress: Progress,
    total: int,
    package_data: dict[str, tuple[dict[str, Any], ...]],
) -> Iterator[FileRecord]:
    """Scan ``files`` (in parallel with more than one job), collecting parsed package data."""
    jobs = max(1, min(options.jobs, len(files)))
    if jobs == 1:
        progress.start(total)
        for record in done:
            progress.advance(record.path)
        work: Iterator[_Scanned] = (scan_entry(entry, options) for entry in files)
    else:
        work = _scan_parallel(files, done, options, jobs, progress, total)
    for record, found in work:
        if found is not None and found.package_data:
            package_data[record.path] = found.package_data
        if jobs == 1:
            progress.advance(record.path)
        yield record


def _datafile_keys(
    datafile_entries: list[tuple[Entry, str]], engine: str, options: ScanOptions
) -> dict[str, str]:
    """Path -> cache key of each datafile whose parse depends only on what the key holds.

    A datafile's package data depends on its bytes, its name and the ScanCode handlers that
    take it (chosen by path patterns); datafiles whose parser reads other files or folder
    names get no key and are parsed on every scan.
    """
    found: dict[str, str] = {}
    for entry, digest in datafile_entries:
        parse_key = datafiles.package_parse_key(entry.location)
        if parse_key is not None:
            material = {**options.detection_key(), "package_parse": parse_key}
            found[entry.path] = cache_module.findings_key(digest, engine, material)
    return found


def _from_datafile_cache(
    stored: dict[str, Any] | None, entry: Entry, digest: str
) -> tuple[FileRecord, tuple[dict[str, Any], ...]] | None:
    """A datafile's cached record and package data, or None to parse it again."""
    if stored is None:
        return None
    data = dict(stored)
    parsed = data.pop("package_data", None)
    record = _from_cache(data, entry.path)
    if record is None or record.sha256 != digest or not isinstance(parsed, list):
        return None
    if not all(isinstance(item, dict) for item in parsed):
        return None
    return record, tuple(parsed)


def _index_identity(cache: cache_module.ResultCache | None) -> str:
    """The license index identity, from the cache when the index file is the one it saw."""
    stamp = index.index_stamp()
    meta_key = f"index-identity:{stamp}"
    if cache and stamp:
        known = None
        with contextlib.suppress(sqlite3.Error):
            known = cache.get_meta(meta_key)
        if known:
            index.use_known_index_identity(known)
            return known
    identity = index.license_index_identity()
    if cache and stamp:
        with contextlib.suppress(sqlite3.Error):
            cache.set_meta(meta_key, identity)
    return identity


def _open_cache(options: ScanOptions) -> cache_module.ResultCache | None:
    if options.cache_dir is None:
        return None
    try:
        return cache_module.ResultCache.open(Path(options.cache_dir))
    except (OSError, sqlite3.Error) as exc:
        warnings.warn(
            f"cannot use the findings cache in {options.cache_dir} ({exc}); scanning without it",
            CacheWarning,
            stacklevel=2,
        )
        return None


def _store(cache: cache_module.ResultCache, items: list[tuple[str, dict[str, Any]]]) -> None:
    try:
        cache.put_many(items)
    except sqlite3.Error as exc:
        # A full disk or a locked-out database costs the next scan time, never this one.
        warnings.warn(f"cannot write to the findings cache: {exc}", CacheWarning, stacklevel=2)


def _content_digest(location: str) -> str | None:
    sha256 = hashlib.sha256()
    try:
        with Path(location).open("rb") as handle:
            while chunk := handle.read(_READ_CHUNK):
                sha256.update(chunk)
    except OSError:
        return None
    return sha256.hexdigest()


def _cacheable(record: FileRecord) -> bool:
    # Errors (timeouts, crashes) may not happen next time; skips by size depend on an option.
    # A binary skip depends on the content alone: caching it spares a warm re-scan the index.
    if record.status is FileStatus.SKIPPED:
        return bool(record.issues) and all(i.kind is IssueKind.BINARY for i in record.issues)
    return record.status is FileStatus.SCANNED


def _to_cache(record: FileRecord) -> dict[str, Any]:
    data = record.to_dict()
    del data["path"]
    return data


def _from_cache(data: dict[str, Any], path: str) -> FileRecord | None:
    try:
        return FileRecord.from_dict({**data, "path": path})
    except (KeyError, TypeError, ValueError):
        return None  # an entry from an older layout: detect again and overwrite it


def _with_assembly_errors(
    records: list[FileRecord], errors: tuple[tuple[str, str], ...]
) -> list[FileRecord]:
    """Record on each datafile the errors ScanCode met assembling it into a package."""
    if not errors:
        return records
    by_path: dict[str, list[FileIssue]] = {}
    for path, message in errors:
        by_path.setdefault(path, []).append(FileIssue(IssueKind.PACKAGE_DATA_ERROR, message))
    return [
        replace(r, status=FileStatus.ERROR, issues=r.issues + tuple(by_path[r.path]))
        if r.path in by_path
        else r
        for r in records
    ]


def _with_package_counts(
    summary: ScanSummary, found: tuple[Package, ...], dependencies: tuple[Dependency, ...]
) -> ScanSummary:
    return replace(
        summary,
        packages=len(found),
        dependencies=len(dependencies),
        dependencies_unresolved=sum(d.unresolved for d in dependencies),
        license_conflicts=sum(p.conflict is not None for p in found),
    )


def _parse_datafile(
    entry: Entry, record: FileRecord, options: ScanOptions
) -> tuple[FileRecord, datafiles.PackageDataFindings]:
    """Parse a datafile whose detection findings are ``record`` (fresh, or from the cache).

    A datafile that does not parse keeps its findings and gets a ``package_data_error``.
    """
    try:
        with _time_limit(options.timeout):
            found = datafiles.parse_package_data(entry.location)
    except _Timeout:
        found = datafiles.PackageDataFindings(
            errors=(f"package parsing took over {options.timeout:g} s",)
        )
    if found.errors:
        issues = tuple(FileIssue(IssueKind.PACKAGE_DATA_ERROR, e) for e in found.errors)
        record = replace(record, status=FileStatus.ERROR, issues=record.issues + issues)
    return record, found


def scan_entry(entry: Entry, options: ScanOptions) -> _Scanned:
    """Scan one file and, when it is a manifest or lockfile, parse it as package data.

    A datafile that does not parse keeps its scan results and gets a ``package_data_error``.
    """
    record = scan_file(entry, options)
    wants_packages = options.packages or options.packages_only
    if not wants_packages or not datafiles.is_package_datafile(entry.location):
        return record, None
    if any(i.kind is IssueKind.UNREADABLE for i in record.issues):
        return record, None
    return _parse_datafile(entry, record, options)


def _scan_parallel(
    files: list[Entry],
    done: list[FileRecord],
    options: ScanOptions,
    jobs: int,
    progress: Progress,
    total: int,
) -> Iterator[_Scanned]:
    """Scan ``files`` in this process and ``jobs - 1`` forked workers sharing its license index.

    This process scans too, between handing out work and taking results: ``jobs`` processes
    detect, as with ``--jobs 1`` one does. A page of the index that a worker writes to (every
    object it touches has its reference count changed) is then held twice, the original and
    the worker's copy, not three times as when an idle parent keeps the original of a page
    that two workers both copied; a parallel scan needs about 150 MB less that way.

    The workers take the largest files first, so that one huge file at the end does not keep
    a process busy while the others idle, and this process takes the smallest, so that it is
    soon back to hand out more; each worker holds a few files in hand so that it does not wait
    while this process scans. A worker that dies takes only its own files with it: each file
    it held is tried again alone in a fresh pool, and the one that kills that pool too is
    recorded as an error.
    """
    # Imported here: a scan that the cache answers never starts a process.
    import multiprocessing  # noqa: PLC0415
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait  # noqa: PLC0415
    from concurrent.futures.process import BrokenProcessPool  # noqa: PLC0415

    pending = collections.deque(sorted(files, key=lambda e: e.size, reverse=True))
    suspects: collections.deque[Entry] = collections.deque()
    context = multiprocessing.get_context("fork")
    in_hand = 8 * (jobs - 1)
    started = False
    while pending or suspects:
        with ProcessPoolExecutor(jobs - 1, mp_context=context, initializer=_init_worker) as pool:
            outstanding: dict[Future[_Scanned], Entry] = {}
            alone: Future[_Scanned] | None = None  # a suspect, the only file in the pool
            broken = False
            try:
                while outstanding or ((pending or suspects) and not broken):
                    while not broken and len(outstanding) < in_hand:
                        if suspects:
                            if outstanding:
                                break  # a suspect runs alone in the pool
                            entry = suspects.popleft()
                            future = alone = pool.submit(scan_entry, entry, options)
                        elif pending:
                            entry = pending.popleft()
                            future = pool.submit(scan_entry, entry, options)
                        else:
                            break
                        outstanding[future] = entry
                    # Workers are forked on the first submit, before the progress bar
                    # starts its refresh thread: forking a process that runs threads is unsafe.
                    if not started:
                        progress.start(total)
                        for record in done:
                            progress.advance(record.path)
                        started = True
                    ready = [future for future in outstanding if future.done()]
                    if not ready and (broken or not pending):
                        ready = list(wait(outstanding, return_when=FIRST_COMPLETED)[0])
                    for future in ready:
                        entry = outstanding.pop(future)
                        try:
                            scanned = future.result()
                        except BrokenProcessPool:
                            broken = True
                            if future is not alone:
                                # Which file killed the worker is unknown: each file it held
                                # is tried again alone in a fresh pool.
                                suspects.append(entry)
                                continue
                            scanned = (
                                _failed(
                                    entry,
                                    IssueKind.SCAN_FAILED,
                                    "the worker process scanning it died",
                                ),
                                None,
                            )
                        yield scanned
                        progress.advance(scanned[0].path)
                    if pending and not broken:
                        # This process takes the smallest file left, the workers the largest:
                        # it is back soon to hand out more, and a long file never keeps it
                        # from feeding the workers.
                        scanned = scan_entry(pending.pop(), options)
                        yield scanned
                        progress.advance(scanned[0].path)
            except BaseException:
                pool.shutdown(wait=False, cancel_futures=True)
                raise


def _init_worker() -> None:
    # The parent handles Ctrl-C and shuts the pool down; workers just stop.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _record_for_non_file(entry: Entry) -> FileRecord:
    if entry.kind is EntryKind.SYMLINK:
        issue = FileIssue(IssueKind.SYMLINK, f"symbolic link to {entry.detail} (not followed)")
        return FileRecord(path=entry.path, status=FileStatus.SKIPPED, size=0, issues=(issue,))
    if entry.kind is EntryKind.UNREADABLE_DIR:
        issue = FileIssue(IssueKind.UNREADABLE, f"cannot list folder: {entry.detail}")
        return FileRecord(path=entry.path, status=FileStatus.ERROR, size=0, issues=(issue,))
    issue = FileIssue(IssueKind.SPECIAL, f"{entry.detail} (not read)")
    return FileRecord(path=entry.path, status=FileStatus.SKIPPED, size=0, issues=(issue,))


def _failed(entry: Entry, kind: IssueKind, message: str) -> FileRecord:
    return FileRecord(
        path=entry.path,
        status=FileStatus.ERROR,
        size=entry.size,
        issues=(FileIssue(kind, message),),
    )


class _Timeout(BaseException):
    """Raised by the alarm; a BaseException so that no broad ``except`` in ScanCode eats it."""


@contextlib.contextmanager
def _time_limit(seconds: float) -> Iterator[None]:
    """Interrupt the block after ``seconds`` with :class:`_Timeout` (main thread only)."""
    usable = (
        seconds > 0
        and hasattr(signal, "setitimer")
        and threading.current_thread() is threading.main_thread()
    )
    if not usable:
        yield
        return

    fired = False

    def on_alarm(signum: int, frame: FrameType | None) -> None:
        nonlocal fired
        fired = True
        raise _Timeout

    previous = signal.signal(signal.SIGALRM, on_alarm)
    # Then again every 50 ms: a library may swallow the exception (typecode wraps its
    # libmagic calls in a bare ``except:`` and retries), and the work must still stop.
    signal.setitimer(signal.ITIMER_REAL, seconds, 0.05)
    try:
        yield
    except _Timeout:
        raise
    except BaseException as exc:
        if fired:  # what the swallowing code raised instead
            raise _Timeout from exc
        raise
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    if fired:
        # The limit passed, but the exception never got out: still a time-out.
        raise _Timeout


def _read_and_hash(location: str, limit: int) -> tuple[bytes | None, str, str, int]:
    """Hash the whole file; keep its bytes only when it is within ``limit``."""
    sha1 = hashlib.sha1()  # noqa: S324 -- SPDX requires SHA-1 file checksums; not for security
    sha256 = hashlib.sha256()
    kept: list[bytes] = []
    size = 0
    with Path(location).open("rb") as handle:
        while chunk := handle.read(_READ_CHUNK):
            size += len(chunk)
            sha1.update(chunk)
            sha256.update(chunk)
            if size <= limit:
                kept.append(chunk)
    data = b"".join(kept) if size <= limit else None
    return data, sha1.hexdigest(), sha256.hexdigest(), size


def is_binary(data: bytes) -> bool:
    """Binary by content: a NUL byte near the start, unless a UTF-16/32 BOM says text."""
    head = data[:_SNIFF_SIZE]
    if head.startswith(_UTF16_32_BOMS):
        return False
    return b"\0" in head


def scan_file(entry: Entry, options: ScanOptions) -> FileRecord:
    """Scan one regular file. Never raises for a problem with the file itself.

    With ``options.prefilter``, licenses are detected through the fast path once this
    process has built it (see :data:`FAST_PATH_MIN_FILES`), else with ScanCode's own
    candidate ranking: the same findings either way.
    """
    try:
        data, sha1, sha256, size = _read_and_hash(entry.location, options.max_file_size)
    except OSError as exc:
        return _failed(entry, IssueKind.UNREADABLE, f"cannot read: {exc.strerror or exc}")
    base = FileRecord(
        path=entry.path, status=FileStatus.SCANNED, size=size, sha1=sha1, sha256=sha256
    )
    if data is None:
        issue = FileIssue(
            IssueKind.TOO_LARGE,
            f"{size} bytes is over the --max-file-size limit of {options.max_file_size} bytes",
        )
        return replace(base, status=FileStatus.SKIPPED, issues=(issue,))
    if is_binary(data):
        issue = FileIssue(IssueKind.BINARY, "binary content (not scanned for text)")
        return replace(base, status=FileStatus.SKIPPED, issues=(issue,))
    issues: list[FileIssue] = []
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        issues.append(
            FileIssue(
                IssueKind.UNDECODABLE,
                f"not valid UTF-8 (byte {exc.start}); scanned with a fallback decoding",
            )
        )
    record = replace(base, is_text=True)
    if not data:
        return replace(record, issues=tuple(issues))
    try:
        with _time_limit(options.timeout):
            if options.licenses:
                detect_licenses = (
                    fast_licenses.detect_licenses_fast
                    if options.prefilter and fast_licenses.fast_path_prepared()
                    else detect.detect_licenses
                )
                found = detect_licenses(entry.location)
                record = replace(
                    record,
                    license_expression=found.expression,
                    license_expression_spdx=found.expression_spdx,
                    license_detections=found.detections,
                    license_clues=found.clues,
                    percentage_of_license_text=found.percentage_of_license_text,
                )
            if options.copyrights:
                detect_cr = (
                    fast_copyrights.detect_copyrights_fast
                    if options.prefilter
                    else detect.detect_copyrights
                )
                cr = detect_cr(entry.location)
                record = replace(record, copyrights=cr.copyrights, authors=cr.authors)
    except _Timeout:
        issues.append(FileIssue(IssueKind.TIMEOUT, f"detection took over {options.timeout:g} s"))
        return replace(base, status=FileStatus.ERROR, is_text=True, issues=tuple(issues))
    except MemoryError:
        issues.append(FileIssue(IssueKind.SCAN_FAILED, "out of memory while scanning"))
        return replace(base, status=FileStatus.ERROR, is_text=True, issues=tuple(issues))
    except Exception as exc:  # noqa: BLE001 -- one bad file must never abort a scan
        message = f"{type(exc).__name__}: {exc}"
        issues.append(FileIssue(IssueKind.SCAN_FAILED, message))
        return replace(base, status=FileStatus.ERROR, is_text=True, issues=tuple(issues))
    return replace(record, issues=tuple(issues))


def summarize(records: list[FileRecord], elapsed: float) -> ScanSummary:
    """Counts over ``records``."""
    licenses: collections.Counter[str] = collections.Counter()
    holders: collections.Counter[str] = collections.Counter()
    issues: collections.Counter[str] = collections.Counter()
    for record in records:
        licenses.update(
            {i for d in record.license_detections for i in license_ids(d.license_expression_spdx)}
        )
        holders.update(record.holders)
        issues.update({i.kind.value for i in record.issues})
    return ScanSummary(
        files=len(records),
        files_scanned=sum(r.status is FileStatus.SCANNED for r in records),
        files_skipped=sum(r.status is FileStatus.SKIPPED for r in records),
        files_with_errors=sum(r.status is FileStatus.ERROR for r in records),
        files_with_licenses=sum(bool(r.license_detections) for r in records),
        files_with_copyrights=sum(bool(r.copyrights) for r in records),
        license_counts=dict(sorted(licenses.items(), key=lambda kv: (-kv[1], kv[0]))),
        holder_counts=dict(sorted(holders.items(), key=lambda kv: (-kv[1], kv[0]))),
        issue_counts=dict(sorted(issues.items())),
        elapsed_seconds=round(elapsed, 3),
    )
