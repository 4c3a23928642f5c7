# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""A package's files in the scan: its copyright statements and its NOTICE files, read verbatim.

A file belongs to the package whose folder (``root_path``) is the deepest one holding it, so
``node_modules/a/node_modules/b/NOTICE`` is ``b``'s, not ``a``'s; the project (root folder
``""``) holds what no other package does. NOTICE files are read from the scanned tree as it
is now, a name at a time below the root and never through a symbolic link.
"""

from __future__ import annotations

import errno
import hashlib
import os
import re
import stat
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath

from ospo_scan.model import FileRecord, FileStatus, IssueKind

#: The names of NOTICE files (Apache-2.0 section 4(d)), whatever their case.
NOTICE_NAME = re.compile(r"^notices?(\.(txt|text|md|markdown|rst))?$", re.IGNORECASE)

#: A NOTICE file larger than this is named in the document, not copied into it.
MAX_NOTICE_BYTES = 4 * 1024 * 1024

#: Control characters but tab and newline: none may reach a terminal or a document as it is.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")

_FOLDER_FLAGS = getattr(os, "O_PATH", os.O_RDONLY) | os.O_DIRECTORY | os.O_CLOEXEC | os.O_NOFOLLOW
_FILE_FLAGS = os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC | os.O_NOFOLLOW


def folder_of(root_path: str | None) -> str | None:
    """A package's folder as the scan's paths spell it (``""`` for the root); None if unknown."""
    if root_path is None:
        return None
    text = root_path.strip("/")
    while text.startswith("./"):
        text = text[2:]
    return "" if text in ("", ".") else text


def owners(
    records: Iterable[FileRecord], folders: Mapping[str, Sequence[str]]
) -> dict[str, list[FileRecord]]:
    """The files of each package key: ``folders`` maps a folder to the keys of its packages."""
    owned: dict[str, list[FileRecord]] = defaultdict(list)
    for record in records:
        parent = PurePosixPath(record.path).parent
        for folder in (parent, *parent.parents):
            text = "" if str(folder) == "." else str(folder)
            if text in folders:
                for key in folders[text]:
                    owned[key].append(record)
                break
    return owned


def copyright_statements(records: Iterable[FileRecord]) -> list[str]:
    """The distinct copyright statements of ``records``, by path and line."""
    found: dict[str, None] = {}
    for record in sorted(records, key=lambda r: r.path):
        for statement in sorted(record.copyrights, key=lambda c: c.start_line):
            found.setdefault(verbatim(statement.statement).strip(), None)
    return [s for s in found if s]


def is_notice(record: FileRecord) -> bool:
    """True for a NOTICE file (by name)."""
    return bool(NOTICE_NAME.match(PurePosixPath(record.path).name))


@dataclass(frozen=True, slots=True)
class Read:
    """A NOTICE file's text, or why it is not in the document; a remark on what was read."""

    text: str | None
    problem: str | None = None
    remark: str | None = None


def read_notice(root: str, record: FileRecord) -> Read:
    """The text of the NOTICE file ``record`` under ``root``, as :func:`verbatim` keeps it."""
    kinds = {issue.kind for issue in record.issues}
    if IssueKind.SYMLINK in kinds:
        return Read(None, f"{record.path} is a symbolic link, which is never followed")
    # A file the scan skipped for its size is read all the same, under our own limit.
    if record.status is not FileStatus.SCANNED and not kinds <= {IssueKind.TOO_LARGE}:
        return Read(None, f"{record.path} could not be scanned, so it is not copied here")
    try:
        data = _read_below(root, record.path)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        if exc.errno == errno.ELOOP:
            reason = "a symbolic link on the way, which is never followed"
        return Read(None, f"{record.path} could not be read from {root} ({reason})")
    if data is None:
        limit = MAX_NOTICE_BYTES // (1024 * 1024)
        return Read(None, f"{record.path} is not a regular file, or is over {limit} MiB")
    remark = None
    if record.sha256 and hashlib.sha256(data).hexdigest() != record.sha256:
        remark = f"{record.path} changed since the scan: the text below is the file as it is now"
    return Read(_decoded(data), remark=remark)


def _read_below(root: str, path: str) -> bytes | None:
    """The bytes of ``root/path``, a name at a time and never through a link (``None``: not a
    regular file, or too large)."""
    names = [n for n in path.split("/") if n]
    if not names or any(n in (".", "..") for n in names):
        raise OSError(errno.EINVAL, "not a path below the scanned root")
    folder = os.open(root, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    try:
        for name in names[:-1]:
            below = os.open(name, _FOLDER_FLAGS, dir_fd=folder)
            os.close(folder)
            folder = below
        fd = os.open(names[-1], _FILE_FLAGS, dir_fd=folder)
    finally:
        os.close(folder)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_NOTICE_BYTES:
            return None
        with os.fdopen(fd, "rb", closefd=False) as handle:
            data = handle.read(MAX_NOTICE_BYTES + 1)
    finally:
        os.close(fd)
    return None if len(data) > MAX_NOTICE_BYTES else data


def _decoded(data: bytes) -> str:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = data.decode("cp1252", "replace")  # the usual other encoding of old NOTICE files
    return verbatim(text.removeprefix("\ufeff"))


def verbatim(text: str) -> str:
    """``text`` as a document can carry it: ``\\n`` line ends, no trailing blank lines, and
    every control character but tab and newline as ``\\xNN`` (an escape sequence in a NOTICE
    file must not reach a terminal). Lone surrogates cannot occur: the bytes were decoded here."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)
    return text.rstrip("\n ").strip("\n")
