# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""Files whose path is longer than the system can open: a short location that leads to them.

The walk lists a tree of any depth through folder descriptors (:mod:`~ospo_scan.scan.walk`),
but ScanCode, its parsers and our own readers open files by path, and the kernel refuses a
path of ``PATH_MAX`` bytes or more (4096 on Linux: about 2,000 levels of one-letter folders).
For such a file, :func:`short_location` opens an ancestor folder in pieces that each fit, and
hands out ``/proc/self/fd/<descriptor>/<tail>``: the kernel resolves the descriptor's link to
that folder, then the tail. The tail is the last :data:`TAIL_BYTES` or so of the real path,
whole names only, so what ScanCode reads from a path (a file name, the folder names that its
datafile patterns such as ``*.dist-info/METADATA`` look at, the files beside a manifest) is
what it reads for the same files in a shallow tree.

Pieces are opened as a shallow path is (see :func:`short_location`), never holding more than
two descriptors at a time, and the last one is closed when the caller is done. The
descriptor is opened in the process that reads the file: a forked worker opens its own.
Without ``/proc/self/fd`` (not Linux, or no ``/proc`` mounted) such a file cannot be read,
and the error says why.
"""

from __future__ import annotations

import contextlib
import errno
import os
from collections.abc import Iterator

#: The longest path the system opens is one byte shorter (the closing NUL counts): Linux's
#: ``PATH_MAX``.
PATH_MAX = 4096

#: How much of the real path, at most, the short location keeps after the descriptor: every
#: name a ScanCode path pattern looks at, with room to spare for the paths ScanCode builds
#: from it (a file beside the datafile, a folder above it).
TAIL_BYTES = 2048

#: Each piece of the path opened on the way to the tail's folder stays under this.
_PIECE_BYTES = 3072

#: The folder whose entries are the links to this process's descriptors (Linux).
PROC_FD = "/proc/self/fd"

#: Folders on the way are opened for nothing but finding the next piece: ``O_PATH`` needs
#: no read permission on them, exactly like a path through them.
_FOLDER_FLAGS = getattr(os, "O_PATH", os.O_RDONLY) | os.O_DIRECTORY | os.O_CLOEXEC


def is_long(location: str) -> bool:
    """True when ``location`` is too long for the system to open by path."""
    return len(os.fsencode(location)) >= PATH_MAX


@contextlib.contextmanager
def short_location(location: str) -> Iterator[str]:
    """``location`` itself, or, when it is too long to open, a short path to the same file.

    The short path is valid in this process and inside the block only. Opening the way
    there may raise :class:`OSError` (a folder on the way is gone or unreadable, or there is
    no ``/proc/self/fd``): the same error, for a caller, as opening ``location`` itself.
    The folders on the way are found as for any path, except that the last name of each
    piece after the first must be a folder, never a symbolic link (``O_NOFOLLOW``).
    """
    if not is_long(location):
        yield location
        return
    if not os.path.isdir(PROC_FD):  # noqa: PTH112 -- a str path, as everywhere here
        raise OSError(
            errno.ENAMETOOLONG,
            f"path longer than the system's limit ({PATH_MAX} bytes), and no {PROC_FD} "
            "to reach it by a shorter one",
        )
    names = location.split("/")
    head, tail = _split(names)
    descriptor = open_folder("/".join(head))
    try:
        yield f"{PROC_FD}/{descriptor}/{'/'.join(tail)}"
    finally:
        os.close(descriptor)


def _split(names: list[str]) -> tuple[list[str], list[str]]:
    """The names of the ancestor folder to open, and the names after it: the file's own
    name and as many folders above it as fit in :data:`TAIL_BYTES`."""
    size = len(os.fsencode(names[-1]))
    start = len(names) - 1
    while start > 1:
        size += len(os.fsencode(names[start - 1])) + 1
        if size > TAIL_BYTES:
            break
        start -= 1
    return names[:start], names[start:]


def open_folder(location: str) -> int:
    """A descriptor of the folder ``location`` (of any length), opened a piece at a time.

    It serves to look things up in the folder (``dir_fd``), or as the start of a short path;
    not to list it. The caller closes it.
    """
    names = location.split("/")
    pieces: list[list[str]] = [[]]
    size = 0
    for name in names:
        grown = size + len(os.fsencode(name)) + 1
        if pieces[-1] and grown > _PIECE_BYTES:
            pieces.append([])
            grown = len(os.fsencode(name)) + 1
        pieces[-1].append(name)
        size = grown
    # The first piece is the start of the path as given: it may hold symbolic links above
    # the scanned root, or be the root itself given as a link, as for any shallow file.
    descriptor = os.open("/".join(pieces[0]) or "/", _FOLDER_FLAGS)
    try:
        for piece in pieces[1:]:
            below = os.open("/".join(piece), _FOLDER_FLAGS | os.O_NOFOLLOW, dir_fd=descriptor)
            os.close(descriptor)
            descriptor = below
    except BaseException:
        os.close(descriptor)
        raise
    return descriptor
