# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""The worker pool: files scanned in forked processes that share this one's license index.

The license index is loaded in this process before the first fork (see
:mod:`ospo_scan.scan.pipeline`), so the workers share it instead of loading 1.4 GB each.
The workers only ever scan files (:mod:`ospo_scan.scan.files`); the findings cache is read
and written in this process alone. A worker dies with this process, however it ends (a
SIGTERM or SIGKILL never leaves workers behind, each holding a copy of the index).
"""

from __future__ import annotations

import collections
import ctypes
import os
import signal
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ospo_scan.model import FileRecord, IssueKind
from ospo_scan.scan import interrupts
from ospo_scan.scan.files import Scanned, failed, scan_entry
from ospo_scan.scan.options import Progress, ScanOptions
from ospo_scan.scan.walk import Entry

if TYPE_CHECKING:
    from concurrent.futures import Future, ProcessPoolExecutor


def scan_parallel(
    files: list[Entry],
    done: list[FileRecord],
    options: ScanOptions,
    jobs: int,
    progress: Progress,
    total: int,
) -> Iterator[Scanned]:
    """Scan ``files`` in this process and ``jobs - 1`` forked workers sharing its license index.

    This process scans too, between handing out work and taking results: ``jobs`` processes
    detect, as with ``--jobs 1`` one does. A page of the index that a worker writes to (every
    object it touches has its reference count changed) is then held twice, the original and
    the worker's copy, not three times as when an idle parent keeps the original of a page
    that two workers both copied; a parallel scan needs about 150 MB less that way.

    The workers take the largest files first, so that one huge file at the end does not keep
    a process busy while the others idle, and this process takes the smallest, so that it is
    soon back to hand out more; each worker holds a few files in hand so that it does not wait
    while this process scans. A worker that dies takes only its own files with it: each file
    it held is tried again alone in a fresh pool, and the one that kills that pool too is
    recorded as an error.
    """
    yield from _ParallelScan(files, done, options, jobs, progress, total).run()


@dataclass
class _Pool:
    """One pool of workers and the files they hold, from its start until it is shut down."""

    executor: ProcessPoolExecutor
    outstanding: dict[Future[Scanned], Entry] = field(default_factory=dict)
    #: A suspect, the only file in the pool.
    alone: Future[Scanned] | None = None
    #: A worker died: the pool takes no more files, and a fresh one takes over.
    broken: bool = False


class _ParallelScan:
    """One parallel scan: the files left to hand out, over as many pools as it takes."""

    def __init__(
        self,
        files: list[Entry],
        done: list[FileRecord],
        options: ScanOptions,
        jobs: int,
        progress: Progress,
        total: int,
    ) -> None:
        self.options = options
        self.jobs = jobs
        self.progress = progress
        self.total = total
        self.done = done
        #: Largest first: the workers take from the left, this process from the right.
        self.pending = collections.deque(sorted(files, key=lambda e: e.size, reverse=True))
        #: The files a dead worker held: each is tried again alone in a fresh pool.
        self.suspects: collections.deque[Entry] = collections.deque()
        #: Files each worker may hold, so that it does not wait while this process scans.
        self.in_hand = 8 * (jobs - 1)
        self.started = False

    def run(self) -> Iterator[Scanned]:
        """Every file's record, from one pool after another until none is left."""
        # Imported here: a scan that the cache answers never starts a process.
        import multiprocessing  # noqa: PLC0415
        from concurrent.futures import ProcessPoolExecutor  # noqa: PLC0415

        context = multiprocessing.get_context("fork")
        while self.pending or self.suspects:
            with ProcessPoolExecutor(
                self.jobs - 1,
                mp_context=context,
                initializer=_init_worker,
                initargs=(os.getpid(),),
            ) as executor:
                try:
                    yield from self._run_pool(_Pool(executor))
                except BaseException:
                    executor.shutdown(wait=False, cancel_futures=True)
                    raise

    def _run_pool(self, pool: _Pool) -> Iterator[Scanned]:
        """Scan with one pool until nothing is left, or until one of its workers dies."""
        while pool.outstanding or ((self.pending or self.suspects) and not pool.broken):
            if not pool.broken:
                self._hand_out(pool)
            self._start_progress()
            for future in self._ready(pool):
                interrupts.check()
                scanned = self._result(pool, future)
                if scanned is not None:
                    yield scanned
                    self.progress.advance(scanned[0].path)
            if self.pending and not pool.broken:
                # This process takes the smallest file left, the workers the largest: it is
                # back soon to hand out more, and a long file never keeps it from feeding
                # the workers.
                scanned = scan_entry(self.pending.pop(), self.options)
                yield scanned
                self.progress.advance(scanned[0].path)

    def _hand_out(self, pool: _Pool) -> None:
        """Submit files until the workers hold enough; a suspect goes alone into the pool."""
        while len(pool.outstanding) < self.in_hand:
            if self.suspects:
                if pool.outstanding:
                    return  # a suspect runs alone in the pool
                entry = self.suspects.popleft()
                future = pool.alone = pool.executor.submit(scan_entry, entry, self.options)
            elif self.pending:
                entry = self.pending.popleft()
                future = pool.executor.submit(scan_entry, entry, self.options)
            else:
                return
            pool.outstanding[future] = entry

    def _start_progress(self) -> None:
        """Start the progress bar, once, with the files done before this scan counted.

        Workers are forked on the first submit, before the progress bar starts its refresh
        thread: forking a process that runs threads is unsafe.
        """
        if self.started:
            return
        self.progress.start(self.total)
        for record in self.done:
            self.progress.advance(record.path)
        self.started = True

    def _ready(self, pool: _Pool) -> list[Future[Scanned]]:
        """The finished futures; waits for one only when this process has nothing to scan."""
        from concurrent.futures import FIRST_COMPLETED, wait  # noqa: PLC0415

        ready = [future for future in pool.outstanding if future.done()]
        if not ready and (pool.broken or not self.pending):
            ready = list(wait(pool.outstanding, return_when=FIRST_COMPLETED)[0])
        return ready

    def _result(self, pool: _Pool, future: Future[Scanned]) -> Scanned | None:
        """What a finished future scanned; None for a suspect's file, to be tried again."""
        from concurrent.futures.process import BrokenProcessPool  # noqa: PLC0415

        entry = pool.outstanding.pop(future)
        try:
            return future.result()
        except BrokenProcessPool:
            pool.broken = True
            if future is not pool.alone:
                # Which file killed the worker is unknown: each file it held is tried again
                # alone in a fresh pool.
                self.suspects.append(entry)
                return None
            return failed(entry, IssueKind.SCAN_FAILED, "the worker process scanning it died"), None


#: Linux's prctl option: the signal a process gets when the thread that forked it ends.
_PR_SET_PDEATHSIG = 1


def _init_worker(parent: int) -> None:
    # The parent handles Ctrl-C and shuts the pool down; workers just stop.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _die_with(parent)


def _die_with(parent: int) -> None:
    """Have the kernel kill this worker when ``parent`` ends, whatever ends it.

    A SIGTERM (the default action: no clean-up runs) or a SIGKILL of the parent used to leave
    the workers blocked forever on the task queue, whose other end they hold themselves. The
    pool is created from the main thread, which lives as long as the parent does.
    """
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):  # not Linux: the parent's clean-up must do
        return
    if os.getppid() != parent:  # the parent ended before the request took effect
        os._exit(1)
