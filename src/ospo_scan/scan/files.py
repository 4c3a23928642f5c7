# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""One file: read and hashed, sent to ScanCode within a time limit, parsed as package data.

A bad file never aborts a scan: whatever goes wrong with it becomes a
:class:`~ospo_scan.model.FileRecord` with a reason. Everything here runs in the worker
processes as well as in the scanning process, so none of it touches the findings cache.
"""

from __future__ import annotations

import contextlib
import hashlib
import signal
import sys
import threading
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from types import FrameType

from ospo_scan.engine import (
    datafiles,
    detect,
    fast_copyrights,
    fast_licenses,
    fast_reads,
    fast_types,
)
from ospo_scan.model import FileIssue, FileRecord, FileStatus, IssueKind
from ospo_scan.scan import interrupts, long_paths
from ospo_scan.scan.options import ScanOptions
from ospo_scan.scan.walk import Entry, EntryKind

#: How much of a file is sniffed for NUL bytes to tell binary from text.
_SNIFF_SIZE = 8192
_READ_CHUNK = 1024 * 1024
_UTF16_32_BOMS = (b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")

#: Lockfiles larger than this get no license or copyright detection (their license fields
#: are package data): about 3,000 package-lock.json entries. See :func:`_large_lockfile`.
LOCKFILE_DETECTION_LIMIT = 1024 * 1024

#: What a worker returns for one file: its record, and what the package parsers found in it.
Scanned = tuple[FileRecord, datafiles.PackageDataFindings | None]


def scan_entry(entry: Entry, options: ScanOptions) -> Scanned:
    """Scan one file and, when it is a manifest or lockfile, parse it as package data.

    A datafile that does not parse keeps its scan results and gets a ``package_data_error``.
    A file whose path is too long to open is read through a short location to it (see
    :mod:`~ospo_scan.scan.long_paths`), opened here, in the process that scans it.
    """
    with contextlib.ExitStack() as stack:
        try:
            location = stack.enter_context(long_paths.short_location(entry.location))
        except OSError as exc:
            return failed(entry, IssueKind.UNREADABLE, f"cannot read: {exc.strerror or exc}"), None
        record = scan_file(entry, options, location)
        interrupts.check()  # a Ctrl-C that ScanCode swallowed while it scanned this file
        wants_packages = options.packages or options.packages_only
        if not wants_packages or not datafiles.is_package_datafile(entry.location):
            return record, None
        if any(i.kind is IssueKind.UNREADABLE for i in record.issues):
            return record, None
        return parse_datafile(entry, record, options, location)


def parse_datafile(
    entry: Entry, record: FileRecord, options: ScanOptions, location: str | None = None
) -> tuple[FileRecord, datafiles.PackageDataFindings]:
    """Parse a datafile whose detection findings are ``record`` (fresh, or from the cache).

    A datafile that does not parse keeps its findings and gets a ``package_data_error``; one
    whose parse runs over ``--timeout`` gets a ``timeout``, which the findings cache remembers
    as it does a detection's (see :func:`~ospo_scan.scan.cached.timed_out`). ``location`` is
    where to read it, when that is not ``entry.location`` (see :func:`scan_entry`).
    """
    try:
        with _time_limit(options.timeout):
            found = _parse_package_data(entry, location)
    except _Timeout:
        interrupts.check()
        issue = FileIssue(IssueKind.TIMEOUT, f"{_PARSE_TIMEOUT} {options.timeout:g} s")
        record = replace(record, status=FileStatus.ERROR, issues=(*record.issues, issue))
        return record, datafiles.PackageDataFindings()
    interrupts.check()  # a Ctrl-C that a package parser swallowed
    if found.errors:
        issues = tuple(FileIssue(IssueKind.PACKAGE_DATA_ERROR, e) for e in found.errors)
        record = replace(record, status=FileStatus.ERROR, issues=record.issues + issues)
    return record, found


#: How the message of a package parse's time-out starts (see :func:`parse_timed_out`).
_PARSE_TIMEOUT = "package parsing took over"


def parse_timed_out(record: FileRecord) -> bool:
    """True when the package parse of ``record``'s datafile ran over the time limit."""
    return any(
        i.kind is IssueKind.TIMEOUT and i.message.startswith(_PARSE_TIMEOUT) for i in record.issues
    )


def _parse_package_data(entry: Entry, location: str | None) -> datafiles.PackageDataFindings:
    """Parse the datafile ``entry`` at ``location``, or through a short location to it."""
    if location is not None:
        return datafiles.parse_package_data(location)
    with contextlib.ExitStack() as stack:
        try:
            short = stack.enter_context(long_paths.short_location(entry.location))
        except OSError as exc:
            return datafiles.PackageDataFindings(errors=(f"cannot read: {exc.strerror or exc}",))
        return datafiles.parse_package_data(short)


def scan_file(entry: Entry, options: ScanOptions, location: str | None = None) -> FileRecord:
    """Scan one regular file. Never raises for a problem with the file itself.

    The file is read at ``location`` when given (a short location to a file whose path is
    too long, see :func:`scan_entry`), else at ``entry.location``. With
    ``options.prefilter``, licenses are detected through the fast path once this process
    has built it (see :data:`~ospo_scan.scan.options.FAST_PATH_MIN_FILES`), else with
    ScanCode's own candidate ranking: the same findings either way.
    """
    location = location or entry.location
    try:
        data, sha1, sha256, size = _read_and_hash(location, options.max_file_size)
    except OSError as exc:
        return failed(entry, IssueKind.UNREADABLE, f"cannot read: {exc.strerror or exc}")
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
    if not data or _large_lockfile(entry, size, options):
        return replace(record, issues=tuple(issues))
    # With the fast path, the file is typed with one libmagic call where ScanCode makes two,
    # and its text lines are decoded once for all three of ScanCode's reads: the same values
    # (see :mod:`~ospo_scan.engine.fast_types` and :mod:`~ospo_scan.engine.fast_reads`).
    fast = options.prefilter
    try:
        with (
            _time_limit(options.timeout),
            fast_types.fast_typing() if fast else contextlib.nullcontext(),
            fast_reads.lines_once() if fast else contextlib.nullcontext(),
        ):
            if options.licenses:
                detect_licenses = (
                    fast_licenses.detect_licenses_fast
                    if options.prefilter and fast_licenses.fast_path_prepared()
                    else detect.detect_licenses
                )
                found = detect_licenses(location)
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
                cr = detect_cr(location)
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


def _large_lockfile(entry: Entry, size: int, options: ScanOptions) -> bool:
    """True for a lockfile over :data:`LOCKFILE_DETECTION_LIMIT`: no text detection on it.

    A lockfile is a machine-written list of packages: the license fields it holds are read
    as package data when packages are wanted, and it holds no license text or copyright. On
    a large one, ScanCode's matcher runs over every ``"license": "MIT"`` line (a 10,000-entry
    package-lock.json took over two minutes and timed out) to say what the parse says.
    Smaller lockfiles are still detected, so their findings are as ScanCode gives them; so
    is every lockfile when packages are not wanted, since nothing else would read it then.
    (Cached under the datafile's parse key, never under the key of its content alone.)
    """
    if not (options.packages or options.packages_only) or size <= LOCKFILE_DETECTION_LIMIT:
        return False
    return datafiles.is_lockfile(entry.location)


def record_for_non_file(entry: Entry) -> FileRecord:
    """The record of a walked path that is not a regular file: never opened, never read."""
    if entry.kind is EntryKind.SYMLINK:
        issue = FileIssue(IssueKind.SYMLINK, f"symbolic link to {entry.detail} (not followed)")
        return FileRecord(path=entry.path, status=FileStatus.SKIPPED, size=0, issues=(issue,))
    if entry.kind is EntryKind.UNREADABLE_DIR:
        issue = FileIssue(IssueKind.UNREADABLE, f"cannot list folder: {entry.detail}")
        return FileRecord(path=entry.path, status=FileStatus.ERROR, size=0, issues=(issue,))
    if entry.kind is EntryKind.UNREADABLE:
        issue = FileIssue(IssueKind.UNREADABLE, f"cannot read: {entry.detail}")
        return FileRecord(path=entry.path, status=FileStatus.ERROR, size=0, issues=(issue,))
    issue = FileIssue(IssueKind.SPECIAL, f"{entry.detail} (not read)")
    return FileRecord(path=entry.path, status=FileStatus.SKIPPED, size=0, issues=(issue,))


def failed(entry: Entry, kind: IssueKind, message: str) -> FileRecord:
    """The record of a file whose scan failed with ``kind``."""
    return FileRecord(
        path=entry.path,
        status=FileStatus.ERROR,
        size=entry.size,
        issues=(FileIssue(kind, message),),
    )


def is_binary(data: bytes) -> bool:
    """Binary by content: a NUL byte near the start, unless a UTF-16/32 BOM says text."""
    head = data[:_SNIFF_SIZE]
    if head.startswith(_UTF16_32_BOMS):
        return False
    return b"\0" in head


def content_digest(location: str) -> str | None:
    """The SHA-256 of the file's bytes, or None when it cannot be read."""
    sha256 = hashlib.sha256()
    try:
        with (
            long_paths.short_location(location) as readable,
            Path(readable).open("rb") as handle,
        ):
            while chunk := handle.read(_READ_CHUNK):
                sha256.update(chunk)
    except OSError:
        return None
    return sha256.hexdigest()


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

    previous_hook = sys.unraisablehook

    def on_unraisable(unraisable: sys.UnraisableHookArgs) -> None:
        # The alarm came while the collector ran a finalizer or a weakref callback, where an
        # exception cannot propagate: Python would print it with its traceback. ``fired``
        # holds it, and the alarm comes again in 50 ms, in the work.
        if not isinstance(unraisable.exc_value, _Timeout):
            previous_hook(unraisable)

    previous = signal.signal(signal.SIGALRM, on_alarm)
    sys.unraisablehook = on_unraisable
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
        sys.unraisablehook = previous_hook
    if fired:
        # The limit passed, but the exception never got out: still a time-out.
        raise _Timeout
