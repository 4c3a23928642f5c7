# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""The worker pool: files scanned in forked processes that share this one's license index.

The license index is loaded in this process before the first fork (see
:mod:`ospo_scan.scan.pipeline`), so the workers share it instead of loading 1.4 GB each.
The workers only ever scan files (:mod:`ospo_scan.scan.files`); the findings cache is read
and written in this process alone.
"""

from __future__ import annotations

import collections
import signal
from collections.abc import Iterator
from typing import TYPE_CHECKING

from ospo_scan.model import FileRecord, IssueKind
from ospo_scan.scan.files import Scanned, failed, scan_entry
from ospo_scan.scan.options import Progress, ScanOptions
from ospo_scan.scan.walk import Entry

if TYPE_CHECKING:
    from concurrent.futures import Future


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
    # Imported here: a scan that the cache answers never starts a process.
    import multiprocessing  # noqa: PLC0415
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait  # noqa: PLC0415
    from concurrent.futures.process import BrokenProcessPool  # noqa: PLC0415

    pending = collections.deque(sorted(files, key=lambda e: e.size, reverse=True))
    suspects: collections.deque[Entry] = collections.deque()
    context = multiprocessing.get_context("fork")
    in_hand = 8 * (jobs - 1)
    started = False
    while pending or suspects:
        with ProcessPoolExecutor(jobs - 1, mp_context=context, initializer=_init_worker) as pool:
            outstanding: dict[Future[Scanned], Entry] = {}
            alone: Future[Scanned] | None = None  # a suspect, the only file in the pool
            broken = False
            try:
                while outstanding or ((pending or suspects) and not broken):
                    while not broken and len(outstanding) < in_hand:
                        if suspects:
                            if outstanding:
                                break  # a suspect runs alone in the pool
                            entry = suspects.popleft()
                            future = alone = pool.submit(scan_entry, entry, options)
                        elif pending:
                            entry = pending.popleft()
                            future = pool.submit(scan_entry, entry, options)
                        else:
                            break
                        outstanding[future] = entry
                    # Workers are forked on the first submit, before the progress bar
                    # starts its refresh thread: forking a process that runs threads is unsafe.
                    if not started:
                        progress.start(total)
                        for record in done:
                            progress.advance(record.path)
                        started = True
                    ready = [future for future in outstanding if future.done()]
                    if not ready and (broken or not pending):
                        ready = list(wait(outstanding, return_when=FIRST_COMPLETED)[0])
                    for future in ready:
                        entry = outstanding.pop(future)
                        try:
                            scanned = future.result()
                        except BrokenProcessPool:
                            broken = True
                            if future is not alone:
                                # Which file killed the worker is unknown: each file it held
                                # is tried again alone in a fresh pool.
                                suspects.append(entry)
                                continue
                            scanned = (
                                failed(
                                    entry,
                                    IssueKind.SCAN_FAILED,
                                    "the worker process scanning it died",
                                ),
                                None,
                            )
                        yield scanned
                        progress.advance(scanned[0].path)
                    if pending and not broken:
                        # This process takes the smallest file left, the workers the largest:
                        # it is back soon to hand out more, and a long file never keeps it
                        # from feeding the workers.
                        scanned = scan_entry(pending.pop(), options)
                        yield scanned
                        progress.advance(scanned[0].path)
            except BaseException:
                pool.shutdown(wait=False, cancel_futures=True)
                raise


def _init_worker() -> None:
    # The parent handles Ctrl-C and shuts the pool down; workers just stop.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
