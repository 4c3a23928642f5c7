# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""The findings cache as a scan sees it: one session per scan, and the per-content entries.

- :class:`CacheSession`: the cache opened once per scan, closed on every way out, and never
  a reason for a scan to fail: every other module reaches the cache through it.
- Per-content entries (:func:`to_cache`, :func:`from_cache`, :func:`datafile_keys`,
  :func:`from_datafile_cache`): the findings of one content, and a datafile's package data.

What is kept per tree (its last result and assembly) is :mod:`ospo_scan.scan.tree_cache`;
the database itself is :mod:`ospo_scan.cache`, and nothing here touches SQLite.
"""

from __future__ import annotations

import contextlib
import warnings
from pathlib import Path
from typing import Any

from ospo_scan import cache as cache_module
from ospo_scan.engine import datafiles, index
from ospo_scan.errors import CacheError, CacheWarning
from ospo_scan.model import FileRecord, FileStatus, IssueKind
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
            _warn(f"cannot use the findings cache in {cache_dir} ({exc}); scanning without it")
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
    """True when ``record``'s findings depend on the content alone, so may be cached."""
    # Errors (timeouts, crashes) may not happen next time; skips by size depend on an option.
    # A binary skip depends on the content alone: caching it spares a warm re-scan the index.
    if record.status is FileStatus.SKIPPED:
        return bool(record.issues) and all(i.kind is IssueKind.BINARY for i in record.issues)
    return record.status is FileStatus.SCANNED


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
