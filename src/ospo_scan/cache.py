# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""A content-addressed cache of per-file findings, in SQLite under the user's cache folder.

A file's findings depend only on its bytes, the engine (ScanCode version and license index)
and the options that change detection. The cache key is a digest of exactly those, so a
re-scan of an unchanged tree costs the walk, the reads and the hashes, and a file that moves
or is copied keeps its entry. Path-specific fields are not stored: a hit is turned back into
a record for whatever path holds that content now.

Package assembly, though, depends on the whole tree. A second table keeps, per scanned root
and options, the complete result of the last scan together with a digest of every path and
content it covered (see :mod:`ospo_scan.scan.tree_cache`): a re-scan whose digest matches
takes the result from there and neither loads ScanCode's package handlers nor assembles
again.

Two scans may share one cache at once: the database runs in WAL mode with a busy timeout, and
every write is a short transaction of ``INSERT OR REPLACE`` (the same key always maps to the
same findings, so the last writer winning is harmless). A database that cannot be read is
moved aside and rebuilt, with a :class:`CacheWarning`, never a crash: it only ever holds
results that can be computed again.

This is the only module that talks to SQLite: what goes wrong in the database leaves it as a
:class:`~ospo_scan.errors.CacheError` carrying SQLite's message.
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import json
import os
import sqlite3
import time
import warnings
import zlib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ospo_scan.errors import CacheError, CacheFileError, CacheWarning

#: Bump when what is stored, or how findings are computed for the same key, changes.
CACHE_FORMAT = "2"

_DB_NAME = "findings.sqlite3"
_BUSY_TIMEOUT_MS = 30_000
#: sqlite caps the number of ``?`` in one statement (999 in old builds).
_LOOKUP_BATCH = 500

_SCHEMA = """
CREATE TABLE IF NOT EXISTS findings (
    key TEXT PRIMARY KEY,
    data TEXT NOT NULL,
    stored_at REAL NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS trees (
    slot TEXT PRIMARY KEY,
    key TEXT NOT NULL,
    data BLOB NOT NULL,
    stored_at REAL NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;
"""


def default_cache_dir() -> Path:
    """``$OSPO_SCAN_CACHE_DIR``, else ``$XDG_CACHE_HOME/ospo-scan``, else ``~/.cache/ospo-scan``."""
    explicit = os.environ.get("OSPO_SCAN_CACHE_DIR")
    if explicit:
        return Path(explicit).expanduser()
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg).expanduser() if xdg else Path.home() / ".cache"
    return base / "ospo-scan"


def findings_key(sha256: str, engine: str, options: Mapping[str, Any]) -> str:
    """The cache key of a content: its SHA-256, the engine identity and the detection options."""
    material = json.dumps(
        {"format": CACHE_FORMAT, "sha256": sha256, "engine": engine, "options": dict(options)},
        sort_keys=True,
        separators=(",", ":"),
    )
    return hashlib.sha256(material.encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class CacheInfo:
    """What ``ospo-scan cache info`` shows."""

    path: str
    exists: bool
    entries: int
    size_bytes: int

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON."""
        return {
            "path": self.path,
            "exists": self.exists,
            "entries": self.entries,
            "size_bytes": self.size_bytes,
        }


class ResultCache:
    """The findings cache in one folder. Open with :meth:`open`; use as a context manager."""

    def __init__(self, directory: Path, connection: sqlite3.Connection) -> None:
        """Wrap an open, initialised connection (use :meth:`open`)."""
        self.directory = directory
        self._db = connection

    @property
    def path(self) -> Path:
        """The database file."""
        return self.directory / _DB_NAME

    @classmethod
    def open(cls, directory: Path) -> ResultCache:
        """Open (creating if need be) the cache in ``directory``.

        A damaged database is moved aside to ``*.corrupt`` and a fresh one is made, with a
        :class:`CacheWarning`. An :class:`OSError` or :class:`CacheError` escapes only when
        even a fresh database cannot be made (an unwritable folder): callers scan uncached.
        """
        directory.mkdir(parents=True, exist_ok=True)
        path = directory / _DB_NAME
        with _as_cache_error():
            try:
                return cls(directory, _connect(path))
            except sqlite3.DatabaseError as exc:
                if not _is_damage(exc):
                    # Locked past the busy timeout, read-only, cannot open: the data is fine,
                    # so keep it; the caller scans without the cache this time.
                    raise
                aside = path.with_name(path.name + ".corrupt")
                warnings.warn(
                    f"the findings cache {path} could not be read ({exc}); it was moved to "
                    f"{aside.name} and is rebuilt",
                    CacheWarning,
                    stacklevel=2,
                )
                for suffix in ("", "-wal", "-shm"):
                    with contextlib.suppress(FileNotFoundError):
                        Path(str(path) + suffix).replace(Path(str(aside) + suffix))
                return cls(directory, _connect(path))

    def close(self) -> None:
        """Close the database."""
        with _as_cache_error():
            self._db.close()

    def __enter__(self) -> ResultCache:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def get_many(self, keys: Iterable[str]) -> dict[str, dict[str, Any]]:
        """The stored findings for those of ``keys`` that are in the cache.

        An entry that does not parse is treated as missing (it is overwritten later).
        """
        wanted = list(dict.fromkeys(keys))
        found: dict[str, dict[str, Any]] = {}
        for start in range(0, len(wanted), _LOOKUP_BATCH):
            batch = wanted[start : start + _LOOKUP_BATCH]
            marks = ",".join("?" * len(batch))
            with _as_cache_error():
                rows = self._db.execute(
                    f"SELECT key, data FROM findings WHERE key IN ({marks})",  # noqa: S608 -- only '?'
                    batch,
                ).fetchall()
            for key, data in rows:
                with contextlib.suppress(ValueError):
                    value = json.loads(data)
                    if isinstance(value, dict):
                        found[key] = value
        return found

    def put_many(self, items: Iterable[tuple[str, Mapping[str, Any]]]) -> None:
        """Store findings, one short transaction for the lot."""
        now = time.time()
        rows = [(key, json.dumps(value, separators=(",", ":")), now) for key, value in items]
        if not rows:
            return
        with _as_cache_error(), self._db:
            self._db.executemany(
                "INSERT OR REPLACE INTO findings (key, data, stored_at) VALUES (?, ?, ?)", rows
            )

    def get_tree(self, slot: str, key: str) -> dict[str, Any] | None:
        """The whole-tree result stored in ``slot``, if it was stored for ``key``.

        A slot names one scanned root with one set of options and holds only the latest
        state of that tree, so a tree edited and re-scanned many times keeps one entry, not
        one per edit. An entry that does not decompress or parse is treated as missing.
        """
        with _as_cache_error():
            row = self._db.execute("SELECT key, data FROM trees WHERE slot = ?", (slot,)).fetchone()
        if row is None or row[0] != key:
            return None
        try:
            value = json.loads(zlib.decompress(row[1]))
        except (zlib.error, TypeError, ValueError):
            return None
        return value if isinstance(value, dict) else None

    def put_tree(self, slot: str, key: str, value: Mapping[str, Any]) -> None:
        """Store ``value`` as the latest state (``key``) of the tree in ``slot``."""
        # Compressed: a tree's records are repetitive JSON, several times smaller in zlib,
        # and decompressing costs far less than reading the difference.
        data = zlib.compress(json.dumps(value, separators=(",", ":")).encode("utf-8"), 1)
        with _as_cache_error(), self._db:
            self._db.execute(
                "INSERT OR REPLACE INTO trees (slot, key, data, stored_at) VALUES (?, ?, ?, ?)",
                (slot, key, data, time.time()),
            )

    def get_meta(self, key: str) -> str | None:
        """A small fact the cache keeps about its own context (such as an index identity)."""
        with _as_cache_error():
            row = self._db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def set_meta(self, key: str, value: str) -> None:
        """Remember ``value`` under ``key``."""
        with _as_cache_error(), self._db:
            self._db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, value))

    def findings(self) -> Iterator[tuple[str, str]]:
        """Every findings entry, as stored: (key, JSON text), in key order."""
        with _as_cache_error():
            rows = self._db.execute("SELECT key, data FROM findings ORDER BY key")
            for key, data in rows:
                yield str(key), str(data)

    def add_findings(self, rows: list[tuple[str, str]]) -> int:
        """Store entries as :meth:`findings` gives them, in one transaction; return how many
        were new. An entry already there is kept (the same key means the same findings)."""
        now = time.time()
        with _as_cache_error(), self._db:
            before = self.count()
            self._db.executemany(
                "INSERT OR IGNORE INTO findings (key, data, stored_at) VALUES (?, ?, ?)",
                [(key, data, now) for key, data in rows],
            )
            return self.count() - before

    def count(self) -> int:
        """Entries in the cache."""
        with _as_cache_error():
            return int(self._db.execute("SELECT count(*) FROM findings").fetchone()[0])

    def clear(self) -> int:
        """Delete every entry and give the space back; return how many there were."""
        entries = self.count()
        with _as_cache_error():
            with self._db:
                self._db.execute("DELETE FROM findings")
                self._db.execute("DELETE FROM trees")
                self._db.execute("DELETE FROM meta")
            self._db.execute("VACUUM")
        return entries


@contextlib.contextmanager
def _as_cache_error() -> Iterator[None]:
    """Let what SQLite raises out as a :class:`CacheError` with SQLite's message.

    Outermost around ``with self._db``, so that a failed commit is translated too.
    """
    try:
        yield
    except sqlite3.Error as exc:
        raise CacheError(str(exc)) from exc


def _connect(path: Path) -> sqlite3.Connection:
    db = sqlite3.connect(path, timeout=_BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    try:
        db.execute(f"PRAGMA busy_timeout = {_BUSY_TIMEOUT_MS}")
        # WAL lets one scan read while another writes; NORMAL sync is durable enough for a
        # cache (a crash can lose the last writes, never corrupt the database).
        _use_wal(db)
        db.execute("PRAGMA synchronous = NORMAL")
        db.executescript(_SCHEMA)
        # Reading the table proves that the file is a database of ours.
        db.execute("SELECT key, data, stored_at FROM findings LIMIT 1").fetchall()
    except sqlite3.Error:
        db.close()
        raise
    # Autocommit mode (isolation_level None) with explicit transactions via "with db".
    db.isolation_level = "DEFERRED"
    return db


def _use_wal(db: sqlite3.Connection) -> None:
    """Switch a new database to WAL; two processes creating the cache at once may both try.

    SQLite answers "database is locked" at once, without the busy handler, to a connection
    that asks for WAL while another one holds the file: so retry until the busy timeout.
    The mode is stored in the file, so an existing cache needs no switch.
    """
    deadline = time.monotonic() + _BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            if db.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                db.execute("PRAGMA journal_mode = WAL")
        except sqlite3.OperationalError as exc:
            busy = "locked" in str(exc) or "busy" in str(exc)
            if not busy or time.monotonic() > deadline:
                raise
            time.sleep(0.01)
        else:
            return


def cache_info(directory: Path) -> CacheInfo:
    """Describe the cache in ``directory`` without creating it."""
    path = directory / _DB_NAME
    if not path.exists():
        return CacheInfo(str(path), exists=False, entries=0, size_bytes=0)
    size = sum(p.stat().st_size for p in _db_files(path) if p.exists())
    with ResultCache.open(directory) as cache:
        entries = cache.count()
    return CacheInfo(str(path), exists=True, entries=entries, size_bytes=size)


def clear_cache(directory: Path) -> int:
    """Empty the cache in ``directory`` (if there is one); return the entries removed."""
    if not (directory / _DB_NAME).exists():
        return 0
    with ResultCache.open(directory) as cache:
        return cache.clear()


def _db_files(path: Path) -> Iterator[Path]:
    yield path
    yield Path(str(path) + "-wal")
    yield Path(str(path) + "-shm")


def _is_damage(exc: sqlite3.DatabaseError) -> bool:
    """True when SQLite says the file is not a sound database (not merely busy or read-only)."""
    name = getattr(exc, "sqlite_errorname", None)  # Python 3.11+
    if name is not None:
        return name in {"SQLITE_CORRUPT", "SQLITE_NOTADB"}
    text = str(exc).lower()
    return "malformed" in text or "not a database" in text


# --- export and import: the cache carried between machines (CI runners, shards) ---
#
# Only the findings table travels: it is keyed by content, engine and options, so its
# entries serve any tree on any machine. The trees table is keyed by the absolute root and
# the meta table by the index file's stamp, neither of which means anything elsewhere.

#: The first line of an export: what it is and which cache format its keys belong to.
_EXPORT_HEADER = "ospo-scan-cache-export"
_KEY_CHARS = frozenset("0123456789abcdef")


def export_cache(directory: Path) -> tuple[bytes, int]:
    """The findings cache in ``directory`` as a gzipped JSON-lines export, and its entries.

    The first line names the format; each other line is ``[key, findings]``. An empty export
    when there is no cache yet.
    """
    lines = [json.dumps({_EXPORT_HEADER: 1, "cache_format": CACHE_FORMAT})]
    if (directory / _DB_NAME).exists():
        try:
            with ResultCache.open(directory) as cache:
                lines.extend(
                    json.dumps([key, data], ensure_ascii=False) for key, data in cache.findings()
                )
        except (OSError, CacheError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            raise CacheFileError(f"cannot export the cache in {directory}: {reason}") from exc
    text = "\n".join(lines) + "\n"
    # mtime 0: the same entries give the same bytes (a CI cache key may hash the file).
    return gzip.compress(text.encode("utf-8"), compresslevel=6, mtime=0), len(lines) - 1


def import_cache(directory: Path, data: bytes, source: str) -> tuple[int, int]:
    """Add the entries of an export (``data``, read from ``source``) to the cache in
    ``directory``: all or, on any fault, none. Returns (entries read, entries new).

    :class:`~ospo_scan.errors.CacheFileError` names ``source`` and the line at fault.
    """
    try:
        text = gzip.decompress(data).decode("utf-8")
    except (OSError, EOFError, UnicodeDecodeError) as exc:
        raise CacheFileError(f"{source}: not a cache export (gzip, UTF-8): {exc}") from exc
    lines = text.splitlines()
    try:
        header = json.loads(lines[0]) if lines else None
    except ValueError:
        header = None
    if not isinstance(header, dict) or header.get(_EXPORT_HEADER) != 1:
        raise CacheFileError(f"{source}: line 1: not an ospo-scan cache export")
    if header.get("cache_format") != CACHE_FORMAT:
        raise CacheFileError(
            f"{source}: line 1: cache format {header.get('cache_format')!r}; this ospo-scan "
            f"keeps format {CACHE_FORMAT!r} (its entries would never be found)"
        )
    rows = [_export_row(line, number, source) for number, line in enumerate(lines[1:], start=2)]
    try:
        with ResultCache.open(directory) as cache:
            return len(rows), cache.add_findings(rows)
    except (OSError, CacheError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise CacheFileError(f"cannot import {source} into {directory}: {reason}") from exc


def _export_row(line: str, number: int, source: str) -> tuple[str, str]:
    try:
        key, value = json.loads(line)
        ok = isinstance(key, str) and len(key) == 64 and set(key) <= _KEY_CHARS
        ok = ok and isinstance(value, str) and isinstance(json.loads(value), dict)
    except (ValueError, TypeError):
        ok = False
    if not ok:
        raise CacheFileError(f"{source}: line {number}: not a [key, findings] entry")
    return key, value
