# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""Ctrl-C that no library can swallow.

ScanCode's code has bare ``except:`` clauses (typecode wraps its libmagic calls in one and
retries), which catch the ``KeyboardInterrupt`` of a Ctrl-C that lands there: the scan went
on, wrote its output and exited 0. While a scan runs, SIGINT is recorded as well as raised,
and :func:`check` raises again after each file, so a swallowed interrupt still ends the scan.
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
from collections.abc import Iterator
from types import FrameType

#: Set by the handler; read by :func:`check`. Process-wide, as signal handlers are.
_received = False
#: The process that installed the handler. A worker forked during the scan inherits the
#: handler until its initializer ignores Ctrl-C; in between, the handler does nothing there.
_owner: int | None = None


def check() -> None:
    """Raise ``KeyboardInterrupt`` if a Ctrl-C came during the scan, even if it was swallowed."""
    if _received:
        raise KeyboardInterrupt


def _on_interrupt(signum: int, frame: FrameType | None) -> None:
    global _received  # noqa: PLW0603 -- the handler's one way out besides its exception
    if os.getpid() != _owner:
        return  # a forked worker: the scanning process handles Ctrl-C and ends it
    _received = True
    raise KeyboardInterrupt


@contextlib.contextmanager
def interrupts_recorded() -> Iterator[None]:
    """Record every SIGINT during the block; raise ``KeyboardInterrupt`` at its end if one came.

    Only in the main thread (the only one that may set handlers), and only when SIGINT is
    handled by Python: an ignored SIGINT (``nohup``, a shell's background job, a worker)
    stays ignored.
    """
    global _received, _owner  # noqa: PLW0603 -- reset for each scan in a long-lived process
    usable = (
        threading.current_thread() is threading.main_thread()
        and signal.getsignal(signal.SIGINT) is signal.default_int_handler
    )
    if not usable:
        yield
        return
    _received = False
    _owner = os.getpid()
    previous = signal.signal(signal.SIGINT, _on_interrupt)
    try:
        yield
        check()  # swallowed after the last file checked: the scan still does not succeed
    finally:
        signal.signal(signal.SIGINT, previous)
        _received = False
