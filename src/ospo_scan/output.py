# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""File output that never destroys what it writes to.

A regular file (or a new one) is written atomically: a failed or interrupted run never leaves
half a file behind. A device, a FIFO or ``/dev/stdout`` is written straight through: renaming
a file over it would replace ``/dev/null`` for the whole machine, or cut a pipe's reader off.
A symbolic link stays a link: the file it points to is the one written, atomically.
"""

from __future__ import annotations

import contextlib
import os
import signal
import stat
import tempfile
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from ospo_scan.errors import OutputError


@dataclass(frozen=True)
class _Plan:
    """How ``path`` will be written: to ``target``, atomically or straight through."""

    target: Path
    straight_through: bool


def _cannot(path: Path, exc: OSError | str) -> OutputError:
    reason = exc if isinstance(exc, str) else (exc.strerror or str(exc))
    return OutputError(f"cannot write {path}: {reason}")


def _plan(path: Path) -> _Plan:
    """Decide, from what is at ``path`` now, how :func:`write_atomic` writes it."""
    try:
        mode: int | None = path.stat().st_mode  # follows links: what they point to counts
    except FileNotFoundError:
        mode = None  # a new file, or a link to one still to be made
    except OSError as exc:  # a link cycle, a folder that cannot be searched...
        raise _cannot(path, exc) from exc
    if mode is not None and stat.S_ISDIR(mode):
        raise _cannot(path, "it is a folder")
    if mode is not None and stat.S_ISSOCK(mode):
        raise _cannot(path, "it is a socket")
    if mode is not None and not stat.S_ISREG(mode):
        return _Plan(path, straight_through=True)  # a device, a FIFO, a terminal
    if path.is_symlink():
        # The link stays; the file it names is replaced, in its own folder (a rename
        # cannot cross file systems, and the link's folder may be on another one).
        return _Plan(Path(os.path.realpath(path)), straight_through=False)
    return _Plan(path, straight_through=False)


def write_atomic(path: Path, data: str | bytes, *, hold_signals_after: bool = False) -> None:
    """Write ``data`` to ``path`` without ever leaving it half written or destroyed.

    A regular file or a new path: through a temporary file in the same folder and a rename,
    atomic on POSIX, so readers see either the old file or the whole new one; on any failure,
    or on KeyboardInterrupt, the temporary file is removed and the old file is left as it was.
    A symbolic link: the same, for the file it points to. A device, a FIFO or ``/dev/stdout``:
    opened and written as it is (a FIFO waits for its reader).

    Ctrl-C, SIGTERM and SIGHUP are held back while the temporary file exists; one that came
    stops the rename and is delivered once the temporary file is gone. With
    ``hold_signals_after``, a file written in full is the command's last word: what comes
    after the rename stays held back, and :func:`release_held_signals` drops it when the
    command ends (else a Ctrl-C a moment too late would report "nothing was written" over a
    complete file).
    """
    payload = data.encode("utf-8") if isinstance(data, str) else data
    plan = _plan(path)
    if plan.straight_through:
        _write_through(path, payload)
    else:
        _replace(path, plan.target, payload, hold_after=hold_signals_after)


def _write_through(path: Path, payload: bytes) -> None:
    # No O_CREAT, no O_TRUNC: the thing must already be there and is used as it is.
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CLOEXEC)
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
    except OSError as exc:
        raise _cannot(path, exc) from exc


#: Signals that end a command: held back while a temporary file exists, so that it is always
#: removed (a hidden ``.out.json.*.tmp`` was left behind otherwise), and never half-obeyed
#: (the rename happens, or the signal is delivered, not both).
_HELD = frozenset(
    s
    for s in (getattr(signal, name, None) for name in ("SIGINT", "SIGTERM", "SIGHUP"))
    if s is not None
)

#: The signal mask from before a write that kept the signals held (hold_signals_after).
_held_since: list[set[signal.Signals | int]] = []


@contextlib.contextmanager
def _signals_held(*, hold_after: bool) -> Iterator[Callable[[], set[int]]]:
    """Block :data:`_HELD` in this thread for the block; yield a function that tells which
    of them came meanwhile. On an exception they are delivered when the block ends (the
    process then stops as it would have); on success with ``hold_after``, they stay blocked."""
    if not hasattr(signal, "pthread_sigmask") or threading.current_thread() is not (
        threading.main_thread()
    ):
        yield set
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, _HELD)
    try:
        yield lambda: signal.sigpending() & _HELD
    except BaseException:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)
        raise
    if hold_after and not _held_since:
        _held_since.append(previous)
    else:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def release_held_signals() -> None:
    """End the hold of a write with ``hold_signals_after``, dropping what came meanwhile."""
    if not _held_since:
        return
    before = _held_since.pop()
    # A pending signal that is ignored is discarded when it is unblocked.
    handlers = {signum: signal.signal(signum, signal.SIG_IGN) for signum in _HELD}
    try:
        signal.pthread_sigmask(signal.SIG_SETMASK, before)
    finally:
        for signum, handler in handlers.items():
            signal.signal(signum, handler)


def _replace(path: Path, target: Path, payload: bytes, *, hold_after: bool) -> None:
    folder = target.parent if str(target.parent) else Path()
    with _signals_held(hold_after=hold_after) as pending:
        try:
            fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
        except OSError as exc:
            raise _cannot(path, exc) from exc
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(payload)
                handle.flush()
                os.fsync(handle.fileno())
            # mkstemp creates the file 0600; give it the permissions a normal write would.
            umask = os.umask(0)
            os.umask(umask)
            Path(tmp_name).chmod(0o666 & ~umask)
            if came := pending():
                # Terminated while writing: the old file stays, the new one never lands.
                names = ", ".join(signal.Signals(n).name for n in sorted(came))
                raise OutputError(f"cannot write {path}: terminated ({names})")
            Path(tmp_name).replace(target)
        except BaseException as exc:
            with contextlib.suppress(OSError):
                Path(tmp_name).unlink()
            if isinstance(exc, OSError):
                raise _cannot(path, exc) from exc
            raise


def check_writable(path: Path) -> None:
    """Fail now, not after a long scan, when ``path`` cannot be written as :func:`write_atomic`
    will write it: a probe temporary file in the folder of the file to be replaced, or, for a
    device or a FIFO, write permission only (opening a FIFO would wait for its reader)."""
    plan = _plan(path)
    if plan.straight_through:
        if not os.access(path, os.W_OK):
            raise _cannot(path, "permission denied")
        return
    folder = plan.target.parent if str(plan.target.parent) else Path()
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{plan.target.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise _cannot(path, exc) from exc
    os.close(fd)
    with contextlib.suppress(OSError):
        Path(tmp_name).unlink()
