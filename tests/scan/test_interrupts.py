# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""Ctrl-C during a scan: swallowed by ScanCode or not, the scan ends with KeyboardInterrupt."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest

from ospo_scan.engine import detect
from ospo_scan.scan.options import ScanOptions
from ospo_scan.scan.pipeline import scan


def test_a_swallowed_ctrl_c_in_detection_still_ends_the_scan(
    fake_repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    original = detect.detect_licenses
    swallowed: list[str] = []

    def swallowing_detector(location: str) -> detect.LicenseFindings:
        if not swallowed:
            try:
                os.kill(os.getpid(), signal.SIGINT)  # a real Ctrl-C, delivered here
                time.sleep(5)  # the handler runs now and raises out of the sleep
            except BaseException as exc:  # noqa: BLE001 -- as typecode's bare ``except:`` does
                swallowed.append(type(exc).__name__)
        return original(location)

    monkeypatch.setattr(detect, "detect_licenses", swallowing_detector)
    with pytest.raises(KeyboardInterrupt):
        scan(fake_repo, ScanOptions(jobs=1, prefilter=False, cache_dir=None))
    assert swallowed == ["KeyboardInterrupt"]
    # The scan's handler is gone: the next Ctrl-C is Python's own again.
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_an_ignored_sigint_stays_ignored(fake_repo: Path) -> None:
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)  # as in a shell's background job
    try:
        result = scan(fake_repo, ScanOptions(jobs=1, cache_dir=None, packages=False))
        assert signal.getsignal(signal.SIGINT) is signal.SIG_IGN
    finally:
        signal.signal(signal.SIGINT, previous)
    assert result.summary.files > 0


def test_a_ctrl_c_in_a_forked_worker_before_it_ignores_ctrl_c_raises_nothing_there() -> None:
    """A worker is forked with the scan's handler and ignores Ctrl-C only once its
    initializer runs; a Ctrl-C to the whole process group in between printed a
    KeyboardInterrupt traceback from the worker (found by benchmarks/torture.py). The
    handler acts only in the process that installed it."""
    from ospo_scan.scan import interrupts  # noqa: PLC0415

    with interrupts.interrupts_recorded():
        child = os.fork()
        if child == 0:  # the worker, before its initializer
            code = 0
            try:
                os.kill(os.getpid(), signal.SIGINT)
                time.sleep(0.2)  # a handler that raises does it here
            except BaseException:  # noqa: BLE001 -- any exception is the failure
                code = 3
            os._exit(code)
        _, status = os.waitpid(child, 0)
    assert os.waitstatus_to_exitcode(status) == 0
