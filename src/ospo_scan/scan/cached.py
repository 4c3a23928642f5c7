# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""The findings cache as a scan sees it: one session per scan, and the per-content entries.

- :class:`CacheSession`: the cache opened once per scan, closed on every way out, and never
  a reason for a scan to fail: every other module reaches the cache through it.
- Per-content entries (:func:`to_cache`, :func:`from_cache`, :func:`datafile_keys`,
  :func:`from_datafile_cache`): the findings of one content, and a datafile's package data.
- A scan's files against the cache (:class:`Plan`, :func:`cache_keys`, :func:`look_up`,
  :func:`stored_in_batches`): what the cache answers for, and the new findings stored in
  batches as they are detected.

What is kept per tree (its last result and assembly) is :mod:`ospo_scan.scan.tree_cache`;
the database itself is :mod:`ospo_scan.cache`, and nothing here touches SQLite.
"""

from __future__ import annotations

import contextlib
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from ospo_scan import cache as cache_module
from ospo_scan.engine import datafiles, detect, index
from ospo_scan.errors import CacheError, CacheWarning
from ospo_scan.model import FileRecord, FileStatus, IssueKind
from ospo_scan.scan.files import parse_datafile, parse_timed_out
from ospo_scan.scan.options import ScanOptions
from ospo_scan.scan.walk import Entry


class CacheSession:
    """The findings cache as one scan uses it: opened once, closed once, never fatal.

    :func:`~ospo_scan.scan.pipeline.scan` opens one session and hands it to every step that
    reads or writes the cache. What goes wrong in the cache is one :class:`CacheWarning` and
    the scan goes on without it: a cache that could not be opened or read is not used again
    in this scan, and one that refused a write is not written again (the next scan tries
    afresh). Lookups that only ever save time (whole-tree and assembly entries, file stamps,
    the index identity) fail quietly, as misses.

    A session belongs to the scanning process. Workers are forked while it is open, but they
    only scan files (:mod:`ospo_scan.scan.parallel`) and never touch it.
    """

    def __init__(self, cache: cache_module.ResultCache | None = None) -> None:
        """A session on ``cache``; without one, a session that reads and writes nothing."""
        self._cache = cache
        self._writable = cache is not None

    @classmethod
    def open(cls, cache_dir: str | None) -> CacheSession:
        """A session on the cache in ``cache_dir``: without a cache if None or unusable."""
        if cache_dir is None:
            return cls()
        try:
            return cls(cache_module.ResultCache.open(Path(cache_dir)))
        except (OSError, CacheError) as exc:
            reason = str(exc)
            if isinstance(exc, OSError):
                not_a_folder = Path(cache_dir).exists() and not Path(cache_dir).is_dir()
                reason = "it is not a folder" if not_a_folder else exc.strerror or reason
            _warn(f"cannot use the findings cache in {cache_dir} ({reason}); scanning without it")
            return cls()

    @property
    def active(self) -> bool:
        """True while there is a cache to read."""
        return self._cache is not None

    def close(self) -> None:
        """Close the cache; the session then reads and writes nothing."""
        cache, self._cache, self._writable = self._cache, None, False
        if cache is not None:
            with contextlib.suppress(CacheError):
                cache.close()

    def __enter__(self) -> CacheSession:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def engine(self) -> str:
        """The engine part of every key: ScanCode's version and the license index identity."""
        return f"{index.scancode_version()}|{self._index_identity()}"

    def get_many(self, keys: list[str]) -> dict[str, dict[str, Any]]:
        """The stored findings for those of ``keys`` that are in the cache."""
        if self._cache is None:
            return {}
        try:
            return self._cache.get_many(keys)
        except CacheError as exc:
            # An unusable cache means a scan without it, never a failed scan.
            self.close()
            _warn(f"findings cache unreadable, scanning without it: {exc}")
            return {}

    def put_many(self, items: list[tuple[str, dict[str, Any]]]) -> None:
        """Store findings; a failure costs the next scan time, never this one."""
        if self._cache is None or not self._writable:
            return
        try:
            self._cache.put_many(items)
        except CacheError as exc:
            self._refused(exc)

    def get_tree(self, slot: str, key: str) -> dict[str, Any] | None:
        """The tree-table entry in ``slot`` stored for ``key``; None if missing or unreadable."""
        if self._cache is None:
            return None
        try:
            return self._cache.get_tree(slot, key)
        except CacheError:
            return None

    def put_tree(self, slot: str, key: str, value: dict[str, Any], *, quiet: bool = False) -> None:
        """Store a tree-table entry; ``quiet`` for one that only saves reading files again."""
        if self._cache is None or not self._writable:
            return
        try:
            self._cache.put_tree(slot, key, value)
        except CacheError as exc:
            if not quiet:
                self._refused(exc)

    def _refused(self, exc: CacheError) -> None:
        self._writable = False
        _warn(f"cannot write to the findings cache: {exc}", stacklevel=4)

    def _index_identity(self) -> str:
        """The license index identity, from the cache when the index file is the one it saw."""
        stamp = index.index_stamp()
        meta_key = f"index-identity:{stamp}"
        if self._cache is not None and stamp:
            known = None
            with contextlib.suppress(CacheError):
                known = self._cache.get_meta(meta_key)
            if known:
                index.use_known_index_identity(known)
                return known
        identity = index.license_index_identity()
        if self._cache is not None and self._writable and stamp:
            with contextlib.suppress(CacheError):
                self._cache.set_meta(meta_key, identity)
        return identity


def _warn(message: str, stacklevel: int = 3) -> None:
    # Attributed to the code that called the session, not to the session.
    warnings.warn(message, CacheWarning, stacklevel=stacklevel)


# --- per-file entries ---


def datafile_keys(
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


def from_datafile_cache(
    stored: dict[str, Any] | None, entry: Entry, digest: str
) -> tuple[FileRecord, tuple[dict[str, Any], ...]] | None:
    """A datafile's cached record and package data, or None to parse it again."""
    if stored is None:
        return None
    data = dict(stored)
    parsed = data.pop("package_data", None)
    record = from_cache(data, entry.path)
    if record is None or record.sha256 != digest or not isinstance(parsed, list):
        return None
    if not all(isinstance(item, dict) for item in parsed):
        return None
    return record, tuple(parsed)


def cacheable(record: FileRecord) -> bool:
    """True when ``record``'s findings depend on the content alone, so may be cached.

    A time-out is cached too, but under its own key (see :func:`timed_out`).
    """
    # Crashes may not happen next time; skips by size depend on an option.
    # A binary skip depends on the content alone: caching it spares a warm re-scan the index.
    if record.status is FileStatus.SKIPPED:
        return bool(record.issues) and all(i.kind is IssueKind.BINARY for i in record.issues)
    return record.status is FileStatus.SCANNED or timed_out(record)


#: Issues a timed-out record may carry besides its time-out, and still be remembered.
_TIMEOUT_COMPANIONS = frozenset({IssueKind.TIMEOUT, IssueKind.UNDECODABLE})


def timed_out(record: FileRecord) -> bool:
    """True when detection on ``record``'s file, or its package parse, ran over the time limit
    and nothing else failed.

    A time-out is remembered, so that a warm re-scan does not pay the limit again for the same
    content, but only under :func:`timeout_key`, which holds the limit: a larger ``--timeout``
    tries again, and so does ``ospo-scan cache clear``.
    """
    kinds = {issue.kind for issue in record.issues}
    return IssueKind.TIMEOUT in kinds and kinds <= _TIMEOUT_COMPANIONS


def timeout_key(key: str, options: ScanOptions) -> str:
    """Where a time-out is remembered for the findings that ``key`` would hold."""
    return cache_module.findings_key(key, "timeout", {"timeout": options.timeout})


def storage_key(key: str, record: FileRecord, options: ScanOptions) -> str:
    """The key ``record`` is stored under: ``key``, or its time-out key when it timed out."""
    return timeout_key(key, options) if timed_out(record) else key


def to_cache(record: FileRecord) -> dict[str, Any]:
    """``record`` as a cache entry: its findings, without the path."""
    data = record.to_dict()
    del data["path"]
    return data


def from_cache(data: dict[str, Any], path: str) -> FileRecord | None:
    """The record of ``path`` from a cache entry, or None when the entry does not parse."""
    try:
        return FileRecord.from_dict({**data, "path": path})
    except (KeyError, TypeError, ValueError):
        return None  # an entry from an older layout: detect again and overwrite it


# --- a scan's files against the cache ---

#: Cached findings are written in batches of this many, so an interrupted scan keeps most.
_CACHE_WRITE_BATCH = 200


#: A content and what of a path changes its findings: (SHA-256, path signature).
Group = tuple[str, str]


@dataclass(frozen=True, slots=True)
class Plan:
    """The regular files of a scan, hashed and sorted by how their findings are found.

    Files are grouped by content AND by what of their path changes ScanCode's findings (the
    extension, for one: a .js.map has its embedded sources extracted), so that one detection
    serves a whole group. Package datafiles stay apart: they are parsed path by path.
    """

    #: Each group's files, in walk order; the first is the one detected.
    groups: dict[Group, list[Entry]]
    #: Path -> its group, for every grouped file.
    group_of: dict[str, Group]
    #: The package datafiles with their digests, when packages are wanted.
    datafiles: list[tuple[Entry, str]]
    #: Files with no digest, too large or unreadable: always scanned (``scan_file`` records
    #: why), never from the cache.
    unhashed: list[Entry]


@dataclass(frozen=True, slots=True)
class CacheKeys:
    """Where the findings cache keeps each group's findings and each datafile's."""

    #: Group -> the key of its findings.
    findings: dict[Group, str]
    #: Datafile path -> the key of its record and package data, for the datafiles whose parse
    #: depends only on what the key holds (see :func:`datafile_keys`).
    parse: dict[str, str]
    #: Datafile path -> the key of its findings alone, for the other datafiles.
    content: dict[str, str]


@dataclass(frozen=True, slots=True)
class Lookup:
    """What the cache answered, and what is left to detect."""

    cached: list[FileRecord]
    todo: list[Entry]
    #: Path of a file to detect -> the other files of its group, which take its record.
    copies: dict[str, list[Entry]]


def cache_keys(plan: Plan, session: CacheSession, engine: str, options: ScanOptions) -> CacheKeys:
    """The cache keys of each group's findings and of each datafile's."""
    findings = {group: _findings_key(*group, engine, options) for group in plan.groups}
    parse = datafile_keys(plan.datafiles, engine, options) if session.active else {}
    # A datafile whose parser reads more than the file (setup.py, an .egg...) is parsed on
    # every scan, but its license and copyright findings depend on its content alone, like
    # any file's: they are cached under the content key, so no re-scan loads the index
    # just to detect them again.
    content = {
        entry.path: _findings_key(digest, detect.path_signature(entry.location), engine, options)
        for entry, digest in plan.datafiles
        if entry.path not in parse
    }
    return CacheKeys(findings, parse, content)


def _findings_key(digest: str, signature: str, engine: str, options: ScanOptions) -> str:
    """The cache key of the findings for one content seen under one path signature."""
    material = {**options.detection_key(), "path": signature}
    return cache_module.findings_key(digest, engine, material)


def look_up(
    session: CacheSession,
    plan: Plan,
    keys: CacheKeys,
    options: ScanOptions,
    package_data: dict[str, tuple[dict[str, Any], ...]],
) -> Lookup:
    """Take from the cache what it holds; the rest is to detect.

    The files to detect come in the order of the plan: the unhashed files, the datafiles, then
    one file per group.
    """
    hits: dict[str, Any] = {}
    if session.active:
        wanted = [*keys.findings.values(), *keys.parse.values(), *keys.content.values()]
        hits = session.get_many([*wanted, *(timeout_key(k, options) for k in wanted)])
        # Findings before a remembered time-out: a time-out under the same limit is final.
        for key in wanted:
            if key not in hits and timeout_key(key, options) in hits:
                hits[key] = hits[timeout_key(key, options)]
    datafile_hits, datafile_misses = _datafiles_from_cache(plan, keys, hits, options, package_data)
    group_hits, group_misses, copies = _groups_from_cache(plan, keys, hits)
    return Lookup(
        cached=[*datafile_hits, *group_hits],
        todo=[*plan.unhashed, *datafile_misses, *group_misses],
        copies=copies,
    )


def _datafiles_from_cache(
    plan: Plan,
    keys: CacheKeys,
    hits: dict[str, Any],
    options: ScanOptions,
    package_data: dict[str, tuple[dict[str, Any], ...]],
) -> tuple[list[FileRecord], list[Entry]]:
    """The datafiles' records that the cache holds, with their package data; the others."""
    cached: list[FileRecord] = []
    missing: list[Entry] = []
    for entry, digest in plan.datafiles:
        found = from_datafile_cache(hits.get(keys.parse.get(entry.path, "")), entry, digest)
        if found is None and entry.path in keys.content:
            found = _parsed_from_cached_findings(
                entry, digest, hits.get(keys.content[entry.path]), options
            )
        if found is None:
            missing.append(entry)
        else:
            cached.append(found[0])
            if found[1]:
                package_data[entry.path] = found[1]
    return cached, missing


def _parsed_from_cached_findings(
    entry: Entry, digest: str, stored: dict[str, Any] | None, options: ScanOptions
) -> tuple[FileRecord, tuple[dict[str, Any], ...]] | None:
    """A datafile parsed afresh on top of its cached findings; None if they are not cached."""
    detected = from_cache(stored or {}, entry.path)
    if detected is None or detected.sha256 != digest:
        return None
    reparsed, findings = parse_datafile(entry, detected, options)
    return reparsed, findings.package_data


def _groups_from_cache(
    plan: Plan, keys: CacheKeys, hits: dict[str, Any]
) -> tuple[list[FileRecord], list[Entry], dict[str, list[Entry]]]:
    """The records of every file of the groups the cache knows; one file of each other group.

    Also, for each file to detect, the other files of its group, which take its record.
    """
    cached: list[FileRecord] = []
    missing: list[Entry] = []
    copies: dict[str, list[Entry]] = {}
    for (digest, signature), members in plan.groups.items():
        stored = hits.get(keys.findings[digest, signature])
        record = from_cache(stored, members[0].path) if stored is not None else None
        if record is not None and record.sha256 == digest:
            cached.extend(replace(record, path=e.path) for e in members)
        else:
            missing.append(members[0])
            copies[members[0].path] = members[1:]
    return cached, missing, copies


def stored_in_batches(
    session: CacheSession,
    plan: Plan,
    keys: CacheKeys,
    records: Iterator[FileRecord],
    package_data: dict[str, tuple[dict[str, Any], ...]],
    options: ScanOptions,
) -> Iterator[FileRecord]:
    """Pass the detected ``records`` on, and cache what may be cached, in batches.

    A record is stored once it has gone out and the next one is asked for. A batch is written
    when a plain file's entry fills it; a datafile's entry only joins the batch.
    """
    datafile_digests = {entry.path: digest for entry, digest in plan.datafiles}
    pending: list[tuple[str, dict[str, Any]]] = []
    for record in records:
        yield record
        if record.path in datafile_digests:
            item = _datafile_entry(
                record, datafile_digests[record.path], keys, package_data, options
            )
            if item is not None:
                pending.append(item)
            continue
        item = _findings_entry(session, record, plan, keys, package_data, options)
        if item is not None:
            pending.append(item)
            if len(pending) >= _CACHE_WRITE_BATCH:
                session.put_many(pending)
                pending = []
    session.put_many(pending)


def _datafile_entry(
    record: FileRecord,
    digest: str,
    keys: CacheKeys,
    package_data: dict[str, tuple[dict[str, Any], ...]],
    options: ScanOptions,
) -> tuple[str, dict[str, Any]] | None:
    """A datafile's cache entry, or None when it is not to be cached.

    Its record and package data go under its parse key when it has one, else its findings
    alone under its content key.
    """
    if record.sha256 != digest or not cacheable(record):
        return None  # changed since it was hashed, or findings that may differ next time
    if record.path in keys.parse:
        parsed = list(package_data.get(record.path, ()))
        key = storage_key(keys.parse[record.path], record, options)
        return key, {**to_cache(record), "package_data": parsed}
    if parse_timed_out(record):
        return None  # the content key holds detection findings, parsed again on every scan
    return storage_key(keys.content[record.path], record, options), to_cache(record)


def _findings_entry(
    session: CacheSession,
    record: FileRecord,
    plan: Plan,
    keys: CacheKeys,
    package_data: dict[str, tuple[dict[str, Any], ...]],
    options: ScanOptions,
) -> tuple[str, dict[str, Any]] | None:
    """A detected file's cache entry, under its group's key; None when it is not to be cached."""
    group = plan.group_of.get(record.path)
    # No key if the file changed since it was hashed: its findings are not cached.
    key = keys.findings.get(group) if group and group[0] == record.sha256 else None
    if not (session.active and key) or record.path in package_data or not cacheable(record):
        return None
    return storage_key(key, record, options), to_cache(record)
