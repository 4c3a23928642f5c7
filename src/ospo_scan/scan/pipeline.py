# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""The scan core: ``scan(root, options) -> ScanResult``.

It walks the tree (:mod:`~ospo_scan.scan.walk`), reads and hashes every regular file, detects
each distinct content once through :mod:`ospo_scan.engine` (or takes its findings from the
cache), assembles packages, follows license references and sums the result up. A bad file
never aborts a scan: it becomes a :class:`~ospo_scan.model.FileRecord` with a reason.

With more than one job, the license index is loaded once in this process and worker
processes are forked after that (:mod:`~ospo_scan.scan.parallel`), so they share it instead
of loading 1.4 GB each.
"""

from __future__ import annotations

import collections
import os
import time
from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from ospo_scan import __version__
from ospo_scan import cache as cache_module
from ospo_scan.engine import datafiles, detect, fast_licenses, index
from ospo_scan.errors import ScanError
from ospo_scan.licensing import license_ids
from ospo_scan.model import (
    Dependency,
    FileIssue,
    FileRecord,
    FileStatus,
    IssueKind,
    Package,
    ScanResult,
    ScanSummary,
    ToolInfo,
)
from ospo_scan.scan import packages, references
from ospo_scan.scan.cached import (
    CacheSession,
    cacheable,
    datafile_keys,
    from_cache,
    from_datafile_cache,
    to_cache,
)
from ospo_scan.scan.files import (
    Scanned,
    content_digest,
    parse_datafile,
    record_for_non_file,
    scan_entry,
)
from ospo_scan.scan.options import FAST_PATH_MIN_FILES, NullProgress, Progress, ScanOptions
from ospo_scan.scan.parallel import scan_parallel
from ospo_scan.scan.tree_cache import assemble, from_tree_cache, store_tree, tree_lookup
from ospo_scan.scan.walk import Entry, EntryKind, WalkOptions, walk

#: Cached findings are written in batches of this many, so an interrupted scan keeps most.
_CACHE_WRITE_BATCH = 200

_Found = tuple[list[FileRecord], tuple[Package, ...], tuple[Dependency, ...]]


def scan(
    root: Path,
    options: ScanOptions = ScanOptions(),  # noqa: B008 -- a frozen dataclass, never mutated
    progress: Progress | None = None,
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
    # One cache session for the whole scan, closed however the scan ends.
    with CacheSession.open(options.cache_dir) as session:
        found = _scan_tree(root, entries, options, progress, session)
    return _result(root, options, started, clock, *found)


def _scan_tree(
    root: Path,
    entries: list[Entry],
    options: ScanOptions,
    progress: Progress,
    session: CacheSession,
) -> _Found:
    """The records, packages and dependencies of the walked ``entries``."""
    tree, stored = tree_lookup(session, root, entries, options)
    if tree is not None and stored is not None:
        hit = from_tree_cache(stored, tree, root)
        if hit is not None:
            progress.start(len(hit[0]))
            for record in hit[0]:
                progress.advance(record.path)
            return hit
    files = [e for e in entries if e.kind is EntryKind.FILE]
    records = [record_for_non_file(e) for e in entries if e.kind is not EntryKind.FILE]

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
        _scan_files(
            session, files, list(records), first, progress, len(entries), package_data, digests
        )
    )
    found_packages: tuple[Package, ...] = ()
    found_dependencies: tuple[Dependency, ...] = ()
    if not (options.packages or options.packages_only):
        records = references.follow_local_references(records)
    else:
        assembled = assemble(session, tree, [e.path for e in all_files], package_data)
        records = _with_assembly_errors(records, assembled.errors)
        if options.packages_only:
            wanted = packages.wanted_license_files(assembled, [e.path for e in all_files])
            wanted -= {r.path for r in records}
            extra = [e for e in all_files if e.path in wanted]
            plain = replace(options, packages=False, packages_only=False)
            records.extend(_scan_files(session, extra, [], plain, progress, len(extra), {}))
        # "See LICENSE": references to files are followed before the packages' licenses are
        # concluded from their license files, which may hold such a reference themselves.
        records = references.follow_local_references(records)
        found_packages, found_dependencies = packages.finish(
            assembled, {r.path: r for r in records}
        )
        records = references.follow_package_references(records, assembled.packages, found_packages)

    records.sort(key=lambda r: r.path)
    if tree is not None:
        store_tree(session, tree, options, all_files, records, found_packages, found_dependencies)
    return records, found_packages, found_dependencies


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


def _scan_files(
    session: CacheSession,
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
    what else the parse reads (see :func:`~ospo_scan.scan.cached.datafile_keys`).

    The ``session`` is opened and closed by :func:`scan`, not here: a generator's clean-up
    runs only when it is exhausted or collected.
    """
    done = list(done)  # the caller may extend its list with what this yields
    wants_packages = options.packages or options.packages_only
    engine = session.engine()
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
        digest = known or content_digest(entry.location)  # hashed once per scan
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
    parse_keys = datafile_keys(datafile_entries, engine, options) if session.active else {}
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
        if entry.path not in parse_keys
    }
    hits: dict[str, Any] = {}
    if session.active:
        hits = session.get_many([*keys.values(), *parse_keys.values(), *content_keys.values()])
    cached: list[FileRecord] = []
    for entry, digest in datafile_entries:
        found = from_datafile_cache(hits.get(parse_keys.get(entry.path, "")), entry, digest)
        if found is None and entry.path in content_keys:
            detected = from_cache(hits.get(content_keys[entry.path]) or {}, entry.path)
            if detected is not None and detected.sha256 == digest:
                reparsed, findings = parse_datafile(entry, detected, options)
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
            record = from_cache(stored, members[0].path)
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
        if record.path in parse_keys:
            if record.sha256 == datafile_digests[record.path] and cacheable(record):
                parsed = list(package_data.get(record.path, ()))
                stored = {**to_cache(record), "package_data": parsed}
                pending.append((parse_keys[record.path], stored))
        elif record.path in content_keys:
            if record.sha256 == datafile_digests[record.path] and cacheable(record):
                pending.append((content_keys[record.path], to_cache(record)))
        elif session.active and key and record.path not in package_data and cacheable(record):
            pending.append((key, to_cache(record)))
            if len(pending) >= _CACHE_WRITE_BATCH:
                session.put_many(pending)
                pending = []
    session.put_many(pending)


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
        work: Iterator[Scanned] = (scan_entry(entry, options) for entry in files)
    else:
        work = scan_parallel(files, done, options, jobs, progress, total)
    for record, found in work:
        if found is not None and found.package_data:
            package_data[record.path] = found.package_data
        if jobs == 1:
            progress.advance(record.path)
        yield record


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
