# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""Where a policy's text comes from: a regular file, read without blocking, and confinement.

A policy comes from the branch under review, so what it names must not reach beyond it:
:func:`confined` says whether a file that ``extends:`` names lies under the folder of the
policy the user named (after symbolic links and ``..`` are resolved). :func:`read_policy_text`
reads a policy file and refuses anything that is not a regular file before reading a byte
(a FIFO would block the run; a device may never end).
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from pathlib import Path

from ospo_scan.errors import OspoScanError, PolicyError

#: The largest policy file read: policies are short texts, and a larger file is not one.
MAX_POLICY_BYTES = 4 * 1024 * 1024


def file_kind(path: Path) -> str | None:
    """What ``path`` is when it is not a regular file ("a folder", ...); ``None`` if it is one."""
    try:
        mode = path.stat().st_mode  # follows links, never opens: a FIFO does not block here
    except FileNotFoundError:
        return "missing"
    except OSError as exc:
        return f"unreadable ({exc.strerror or exc})"
    return _kind_of_mode(mode)


def _kind_of_mode(mode: int) -> str | None:
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "a folder"
    return "not a regular file"


def read_policy_text(path: Path) -> str:
    """The UTF-8 text of the policy file at ``path``; a :class:`PolicyError` for anything else."""
    return read_text_file(path, "policy", PolicyError)


def read_text_file(
    path: Path, what: str, error: Callable[[str], OspoScanError], *, kind: str = "YAML"
) -> str:
    """The UTF-8 text of the ``what`` file at ``path`` (a policy, a configuration).

    Anything but a regular file of at most :data:`MAX_POLICY_BYTES` of UTF-8 is refused with
    ``error`` before its content is read or quoted.
    """
    # O_NONBLOCK: a FIFO swapped in after a check must still not hang the run; fstat then
    # judges the file actually opened.
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        if isinstance(exc, IsADirectoryError):
            raise error(f"{path}: is a folder, not a {what} file") from None
        raise error(f"cannot read {what} {path}: {exc.strerror or exc}") from None
    with os.fdopen(fd, "rb") as handle:
        found = _kind_of_mode(os.fstat(fd).st_mode)
        if found == "a folder":
            raise error(f"{path}: is a folder, not a {what} file")
        if found is not None:
            raise error(f"{path}: is not a regular file (a {what} is a file of {kind} text)")
        try:
            data = handle.read(MAX_POLICY_BYTES + 1)
        except OSError as exc:
            raise error(f"cannot read {what} {path}: {exc.strerror or exc}") from None
    if len(data) > MAX_POLICY_BYTES:
        raise error(f"{path}: larger than {MAX_POLICY_BYTES // 1024 // 1024} MiB; not a {what}")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise error(f"{path}: not UTF-8 text ({exc.reason})") from None


def confined(path: Path, root: Path) -> bool:
    """Whether ``path``, with links and ``..`` resolved, lies under the folder ``root``."""
    try:
        resolved = path.resolve()
    except (OSError, RuntimeError):  # a link loop: not a file anyone can read
        return False
    return resolved.is_relative_to(root.resolve())
