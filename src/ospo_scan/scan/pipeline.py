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
from collections.abc import Iterator, Sequence
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from ospo_scan import __version__
from ospo_scan.engine import datafiles, detect, fast_licenses, index
from ospo_scan.engine.assembly import Assembled
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
from ospo_scan.scan import interrupts, manifest_lines, packages, references
from ospo_scan.scan.cached import (
    CacheSession,
    Group,
    Plan,
    cache_keys,
    look_up,
    stored_in_batches,
)
from ospo_scan.scan.files import Scanned, content_digest, record_for_non_file, scan_entry
from ospo_scan.scan.options import FAST_PATH_MIN_FILES, NullProgress, Progress, ScanOptions
from ospo_scan.scan.parallel import scan_parallel
from ospo_scan.scan.tree_cache import assemble, from_tree_cache, store_tree, tree_lookup
from ospo_scan.scan.walk import Entry, EntryKind, WalkOptions, walk, walk_selection

_Found = tuple[list[FileRecord], tuple[Package, ...], tuple[Dependency, ...]]


def scan(
    root: Path,
    options: ScanOptions = ScanOptions(),
    progress: Progress | None = None,
    *,
    paths: Sequence[str] | None = None,
) -> ScanResult:
    """Scan the file or folder ``root`` and return the full result.

    With ``paths`` (relative to ``root``, POSIX separators), only those files and folders are
    scanned (:func:`~ospo_scan.scan.walk.walk_selection`), and the result's paths are relative
    to ``root`` all the same. Such a partial scan never reads or replaces the whole-tree
    cache entry of ``root`` (the per-file findings cache serves it as any scan).
    """
    progress = progress or NullProgress()
    root = Path(os.path.abspath(root))  # noqa: PTH100 -- keep a symlinked root as given
    if not root.exists():
        raise ScanError(f"no such file or folder: {root}")
    started = datetime.now(timezone.utc)
    clock = time.monotonic()
    walk_options = WalkOptions(include_ignored=options.include_ignored, excludes=options.excludes)
    # A Ctrl-C that ScanCode's bare ``except:`` swallows still ends the scan (exit 130).
    with interrupts.interrupts_recorded():
        if paths is None:
            entries = list(walk(root, walk_options))
        else:
            entries = list(walk_selection(root, paths, walk_options))
        # One cache session for the whole scan, closed however the scan ends.
        with CacheSession.open(options.cache_dir) as session:
            found = _scan_tree(root, entries, options, progress, session, whole_tree=paths is None)
    return _result(root, options, started, clock, *found)


def _scan_tree(
    root: Path,
    entries: list[Entry],
    options: ScanOptions,
    progress: Progress,
    session: CacheSession,
    *,
    whole_tree: bool = True,
) -> _Found:
    """The records, packages and dependencies of the walked ``entries``."""
    tree, stored = tree_lookup(session, root, entries, options) if whole_tree else (None, None)
    if tree is not None and stored is not None:
        hit = from_tree_cache(stored, tree, root)
        if hit is not None:
            progress.start(len(hit[0]))
            for record in hit[0]:
                progress.advance(record.path)
            return hit
    files = [e for e in entries if e.kind is EntryKind.FILE]
    records = [record_for_non_file(e) for e in entries if e.kind is not EntryKind.FILE]

    if (options.packages or options.packages_only) and any(
        datafiles.is_package_datafile(e.location) for e in files
    ):
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
    assembled = None
    if options.packages or options.packages_only:
        assembled = assemble(session, tree, [e.path for e in all_files], package_data)
        records = with_assembly_errors(records, assembled.errors)
        if options.packages_only:
            wanted = packages.wanted_license_files(assembled, [e.path for e in all_files])
            wanted -= {r.path for r in records}
            extra = [e for e in all_files if e.path in wanted]
            plain = replace(options, packages=False, packages_only=False)
            records.extend(_scan_files(session, extra, [], plain, progress, len(extra), {}))
    records, found_packages, found_dependencies = finish(root, records, assembled)
    if tree is not None:
        store_tree(session, tree, options, all_files, records, found_packages, found_dependencies)
    return records, found_packages, found_dependencies


def finish(root: Path | None, records: list[FileRecord], assembled: Assembled | None) -> _Found:
    """Every file's record with its references followed, and the packages concluded.

    ``assembled`` is the package assembly of the whole tree (None when packages are not
    wanted). The one-process scan and ``merge`` (:mod:`~ospo_scan.scan.merge`) both end
    here, so that a merged result is the one-process result. ``root`` is read only for the
    line of each datafile that names a package or dependency (None: no lines).
    """
    found_packages: tuple[Package, ...] = ()
    found_dependencies: tuple[Dependency, ...] = ()
    # "See LICENSE": references to files are followed before the packages' licenses are
    # concluded from their license files, which may hold such a reference themselves.
    records = references.follow_local_references(records)
    if assembled is not None:
        found_packages, found_dependencies = packages.finish(
            assembled, {r.path: r for r in records}
        )
        if root is not None:
            found_packages, found_dependencies = manifest_lines.with_lines(
                root, found_packages, found_dependencies
            )
        records = references.follow_package_references(records, assembled.packages, found_packages)
    records.sort(key=lambda r: r.path)
    return records, found_packages, found_dependencies


def tool_info() -> ToolInfo:
    """The versions and the license index identity of this engine."""
    return ToolInfo(
        ospo_scan_version=__version__,
        scancode_toolkit_version=index.scancode_version(),
        spdx_license_list_version=index.spdx_license_list_version(),
        license_index=index.license_index_identity(),
    )


def _result(
    root: Path,
    options: ScanOptions,
    started: datetime,
    clock: float,
    records: list[FileRecord],
    found_packages: tuple[Package, ...],
    found_dependencies: tuple[Dependency, ...],
) -> ScanResult:
    return build_result(
        tool_info(),
        root,
        options.record(),
        started.isoformat(timespec="seconds"),
        time.monotonic() - clock,
        records,
        found_packages,
        found_dependencies,
    )


def build_result(
    tool: ToolInfo,
    root: Path,
    options: dict[str, Any],
    started_at: str,
    elapsed: float,
    records: list[FileRecord],
    found_packages: tuple[Package, ...],
    found_dependencies: tuple[Dependency, ...],
) -> ScanResult:
    """The result document of a scan of ``root`` that found ``records`` and the packages."""
    return ScanResult(
        tool=tool,
        root=str(root),
        root_name=root.name or str(root),
        started_at=started_at,
        finished_at=datetime.now(timezone.utc).isoformat(timespec="seconds"),
        options=options,
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

    In steps:

    1. :func:`plan_files` hashes every file once and groups the files by content and path
       signature, the package datafiles apart;
    2. :func:`~ospo_scan.scan.cached.cache_keys` names each group's and datafile's entry;
    3. :func:`~ospo_scan.scan.cached.look_up` takes what the cache holds, leaving one file per
       other group, and the datafiles it lacks, to detect;
    4. :func:`_prepare_detection` loads the license index, if anything is left, before any
       worker forks;
    5. :func:`_detect_files` detects them, and :func:`_with_twins` copies each record to the
       other files of its group;
    6. :func:`~ospo_scan.scan.cached.stored_in_batches` caches the new findings.

    Records stream out as they are found, for the progress bar, and new findings go to the
    cache in batches, so that an interrupted scan keeps most of its work.

    The ``session`` is opened and closed by :func:`scan`, not here: a generator's clean-up
    runs only when it is exhausted or collected.
    """
    yield from scan_planned(
        session, plan_files(files, options, digests), done, options, progress, total, package_data
    )


def scan_planned(
    session: CacheSession,
    plan: Plan,
    done: list[FileRecord],
    options: ScanOptions,
    progress: Progress,
    total: int,
    package_data: dict[str, tuple[dict[str, Any], ...]],
) -> Iterator[FileRecord]:
    """The records of the files of ``plan``: steps 2 to 6 of :func:`_scan_files`.

    A shard (:mod:`~ospo_scan.scan.shards`) plans the whole tree and comes here with its share.
    """
    done = list(done)  # the caller may extend its list with what this yields
    engine = session.engine()
    keys = cache_keys(plan, session, engine, options)
    lookup = look_up(session, plan, keys, options, package_data)
    yield from lookup.cached
    if lookup.todo:
        _prepare_detection(options, len(lookup.todo))
    detected = _detect_files(
        lookup.todo, [*done, *lookup.cached], options, progress, total, package_data
    )
    # The twins are added after the cache step, which stores each detected content once: it
    # stores a record when the next one is asked for, so after that record's twins went out.
    stored = stored_in_batches(session, plan, keys, detected, package_data, options)
    yield from _with_twins(stored, lookup.copies, progress)


def plan_files(files: list[Entry], options: ScanOptions, digests: dict[str, str] | None) -> Plan:
    """Hash each file once; group the files by content and path signature."""
    wants_packages = options.packages or options.packages_only
    groups: dict[Group, list[Entry]] = {}
    group_of: dict[str, Group] = {}
    datafile_entries: list[tuple[Entry, str]] = []
    unhashed: list[Entry] = []
    for entry in files:
        digest = _digest(entry, options, digests)
        if digest is None:
            unhashed.append(entry)
        elif wants_packages and datafiles.is_package_datafile(entry.location):
            datafile_entries.append((entry, digest))
        else:
            group = (digest, detect.path_signature(entry.location))
            groups.setdefault(group, []).append(entry)
            group_of[entry.path] = group
    return Plan(groups, group_of, datafile_entries, unhashed)


def _digest(entry: Entry, options: ScanOptions, digests: dict[str, str] | None) -> str | None:
    """The SHA-256 of ``entry``, from the whole-tree lookup or else hashed here.

    None for a file over the size limit (it is recorded as too large, never taken from the
    cache) and for one that cannot be read (its record says why).
    """
    if entry.size > options.max_file_size:
        return None
    known = digests.get(entry.path) if digests else None
    return known or content_digest(entry.location)


def _prepare_detection(options: ScanOptions, count: int) -> None:
    """Get the engine ready to detect ``count`` files, before any worker forks.

    Only called when something needs detecting: a re-scan that the cache answers in full never
    pays the index's seconds and GBs. Forked workers share what is loaded here.
    """
    index.load_index()
    if options.prefilter and options.copyrights:
        # The copyright fast path asks on every file whether the installed scancode-toolkit is
        # the verified release. Asked here first, so that the one warning when it is not is
        # issued in this process, where the CLI shows it, and not in each worker.
        fast_licenses.fast_path_available()
    # The fast path's rule index takes about a second to build: for a few files (a re-scan
    # after an edit) ScanCode's own candidate ranking is cheaper, and the findings are the
    # same either way, unless the index came from ospo-scan's copy, which holds the rule
    # index ready. Building it asks the same question, and warns the same way.
    if (
        options.prefilter
        and options.licenses
        and (count >= FAST_PATH_MIN_FILES or fast_licenses.fast_path_ready_made())
    ):
        # Warmed up only for workers to share; one process warms up on its first file.
        fast_licenses.prepare_fast_path(warm_up=min(options.jobs, count) > 1)


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
        interrupts.check()
        if found is not None and found.package_data:
            package_data[record.path] = found.package_data
        if jobs == 1:
            progress.advance(record.path)
        yield record


def _with_twins(
    records: Iterator[FileRecord], copies: dict[str, list[Entry]], progress: Progress
) -> Iterator[FileRecord]:
    """Each detected record, then a copy of it for each other file of its group."""
    for record in records:
        yield record
        for twin in copies.get(record.path, ()):
            yield replace(record, path=twin.path)
            progress.advance(twin.path)


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


def with_assembly_errors(
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
