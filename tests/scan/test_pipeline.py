# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""The scan core on the fake repository, with the real ScanCode engine."""

from __future__ import annotations

import contextlib
import gc
import hashlib
import os
import time
from pathlib import Path
from typing import Any

import pytest

from ospo_scan.errors import ScanError
from ospo_scan.model import FileStatus, IssueKind, MatchKind, ScanResult
from ospo_scan.scan import files as files_module
from ospo_scan.scan import parallel as parallel_module
from ospo_scan.scan.files import is_binary, scan_file
from ospo_scan.scan.options import ScanOptions, default_jobs
from ospo_scan.scan.pipeline import scan
from ospo_scan.scan.walk import Entry, EntryKind


def test_license_texts_are_found(fake_repo_result: ScanResult) -> None:
    mit = fake_repo_result.file("LICENSE-MIT")
    assert mit.license_expression_spdx == "MIT"
    assert mit.license_expression == "mit"
    assert [d.kind for d in mit.license_detections] == [MatchKind.TEXT]
    assert mit.license_detections[0].rule_identifier == "mit.LICENSE"
    assert mit.license_detections[0].score == 100.0
    apache = fake_repo_result.file("LICENSE-APACHE")
    assert apache.license_expression_spdx == "Apache-2.0"
    assert apache.license_detections[0].kind is MatchKind.TEXT


def test_vendored_gpl_text_and_notice(fake_repo_result: ScanResult) -> None:
    copying = fake_repo_result.file("vendor/gplthing/COPYING")
    assert copying.license_expression_spdx == "GPL-3.0-only"
    assert copying.license_detections[0].kind is MatchKind.TEXT
    notice = fake_repo_result.file("vendor/gplthing/thing.c")
    assert notice.license_expression_spdx == "GPL-3.0-only"
    assert notice.license_detections[0].kind is MatchKind.NOTICE
    assert notice.holders == ("Free Thinkers Ltd.",)


def test_spdx_tag_with_lines_and_rule(fake_repo_result: ScanResult) -> None:
    lib = fake_repo_result.file("src/lib.py")
    (detection,) = lib.license_detections
    assert detection.license_expression_spdx == "MIT OR Apache-2.0"
    assert detection.license_expression == "mit OR apache-2.0"
    assert detection.kind is MatchKind.TAG
    assert (detection.start_line, detection.end_line) == (1, 1)
    assert detection.rule_identifier.startswith("spdx-license-identifier-")
    assert detection.matches[0].matcher == "1-spdx-id"


def test_copyright_statements_with_holders_and_lines(fake_repo_result: ScanResult) -> None:
    lib = fake_repo_result.file("src/lib.py")
    (statement,) = lib.copyrights
    assert statement.statement == "Copyright (c) 2024 Jane Doe <jane@example.com>"
    assert statement.holders == ("Jane Doe",)
    assert (statement.start_line, statement.end_line) == (2, 2)
    assert fake_repo_result.file("LICENSE-MIT").holders == ("Example Corp",)
    assert fake_repo_result.file("src/[id]/page.py").holders == ("Bracket Works Inc.",)


def test_hashes_and_sizes(fake_repo_result: ScanResult, fake_repo: Path) -> None:
    for record in fake_repo_result.files:
        if record.sha1 is None:
            continue
        data = (fake_repo / record.path).read_bytes()
        assert record.size == len(data)
        assert record.sha1 == hashlib.sha1(data).hexdigest()  # noqa: S324
        assert record.sha256 == hashlib.sha256(data).hexdigest()


def test_odd_files_are_recorded_with_their_reason(fake_repo_result: ScanResult) -> None:
    empty = fake_repo_result.file("data/empty.txt")
    assert (empty.status, empty.size, empty.license_detections, empty.issues) == (
        FileStatus.SCANNED,
        0,
        (),
        (),
    )
    latin1 = fake_repo_result.file("data/latin1.txt")
    assert latin1.status is FileStatus.SCANNED
    assert [i.kind for i in latin1.issues] == [IssueKind.UNDECODABLE]
    assert latin1.holders  # still scanned despite the bad byte
    logo = fake_repo_result.file("data/logo.png")
    assert logo.status is FileStatus.SKIPPED
    assert [i.kind for i in logo.issues] == [IssueKind.BINARY]
    assert logo.sha1 is not None  # skipped files are still hashed for the SBOM
    unicode_name = fake_repo_result.file("src/héllo_wörld.txt")
    assert unicode_name.status is FileStatus.SCANNED
    assert unicode_name.copyrights


def test_symlinks_are_skipped_and_nothing_outside_is_read(fake_repo_result: ScanResult) -> None:
    for name in ("links/loop", "links/outside", "links/license"):
        record = fake_repo_result.file(name)
        assert record.status is FileStatus.SKIPPED
        assert record.issues[0].kind is IssueKind.SYMLINK
    assert not any(
        f.path.startswith(("links/loop/", "links/outside/")) for f in fake_repo_result.files
    )


def test_ignored_and_vcs_paths_are_not_scanned(fake_repo_result: ScanResult) -> None:
    scanned = {f.path for f in fake_repo_result.files}
    assert "generated/bundle.js" not in scanned
    assert "debug.log" not in scanned
    assert not any(p.startswith(".git/") for p in scanned)
    assert "AGPL-3.0-only" not in fake_repo_result.summary.license_counts


def test_summary_counts(fake_repo_result: ScanResult) -> None:
    summary = fake_repo_result.summary
    files = fake_repo_result.files
    assert summary.files == len(files)
    assert summary.files_scanned + summary.files_skipped + summary.files_with_errors == len(files)
    assert summary.files_with_licenses == sum(bool(f.license_detections) for f in files)
    assert summary.license_counts["GPL-3.0-only"] == 2
    assert summary.license_counts["MIT"] >= 2  # LICENSE-MIT and src/lib.py
    assert summary.license_counts["Apache-2.0"] >= 2
    assert summary.holder_counts["Jane Doe"] == 1
    assert summary.issue_counts["symlink"] == 3
    assert summary.issue_counts["binary"] == 1
    assert summary.elapsed_seconds > 0
    assert fake_repo_result.tool.scancode_toolkit_version == "32.5.0"
    assert fake_repo_result.tool.license_index.startswith("scancode-toolkit-32.5.0:")


def test_parallel_scan_gives_the_same_result(fake_repo_result: ScanResult, fake_repo: Path) -> None:
    parallel = scan(fake_repo, ScanOptions(jobs=2))
    assert [f.to_dict() for f in parallel.files] == [f.to_dict() for f in fake_repo_result.files]


def test_parallel_scan_with_three_jobs_gives_the_same_result(
    fake_repo_result: ScanResult, fake_repo: Path
) -> None:
    parallel = scan(fake_repo, ScanOptions(jobs=3))
    assert [f.to_dict() for f in parallel.files] == [f.to_dict() for f in fake_repo_result.files]


#: The process that runs the test; the workers are forked from it.
_PARENT = os.getpid()
_REAL_SCAN_ENTRY = files_module.scan_entry


def _dies_in_a_worker_on_the_big_file(entry: Entry, options: ScanOptions) -> Any:
    """``scan_entry``, except that a worker process dies on ``big.txt`` (as on a segfault)."""
    if entry.path == "big.txt" and os.getpid() != _PARENT:
        os._exit(1)
    return _REAL_SCAN_ENTRY(entry, options)


def test_a_dying_worker_fails_only_its_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The largest file goes to a worker first; it kills it twice and is recorded as failed."""
    (tmp_path / "big.txt").write_text("Copyright 2020 Big Holder\n" * 500, encoding="utf-8")
    names = ["Alpha", "Bravo", "Charlie", "Delta", "Echo", "Foxtrot", "Golf", "Hotel"]
    for n, name in enumerate(names):
        (tmp_path / f"small{n}.txt").write_text(
            f"Copyright (c) 2020 {name} Widgets Inc.\n", encoding="utf-8"
        )
    # The pool submits the scan_entry that the parallel module sees when it runs.
    monkeypatch.setattr(parallel_module, "scan_entry", _dies_in_a_worker_on_the_big_file)
    result = scan(tmp_path, ScanOptions(jobs=2, packages=False))
    big = result.file("big.txt")
    assert big.status is FileStatus.ERROR
    assert big.issues[0].kind is IssueKind.SCAN_FAILED
    assert "worker process" in big.issues[0].message
    for n, name in enumerate(names):
        small = result.file(f"small{n}.txt")
        assert small.status is FileStatus.SCANNED
        assert small.copyrights[0].holders == (f"{name} Widgets Inc.",)


def test_include_ignored_and_exclude(fake_repo: Path) -> None:
    result = scan(
        fake_repo,
        ScanOptions(include_ignored=True, excludes=("vendor/", "src/", "data/", "links/")),
    )
    bundle = result.file("generated/bundle.js")
    assert bundle.license_expression_spdx == "GPL-2.0-only"
    assert not any(f.path.startswith("vendor/") for f in result.files)
    assert result.options["excludes"] == ["vendor/", "src/", "data/", "links/"]


def _entry(root: Path, rel: str) -> Entry:
    location = root / rel
    size = location.stat().st_size if location.exists() else 0
    return Entry(rel, str(location), EntryKind.FILE, size=size)


def test_too_large_files_are_skipped_but_hashed(fake_repo: Path) -> None:
    record = scan_file(_entry(fake_repo, "LICENSE-APACHE"), ScanOptions(max_file_size=1000))
    assert record.status is FileStatus.SKIPPED
    assert record.issues[0].kind is IssueKind.TOO_LARGE
    assert "1000 bytes" in record.issues[0].message
    assert record.sha256 is not None
    assert record.license_detections == ()


def test_timeout_is_recorded_and_the_scan_goes_on(fake_repo: Path) -> None:
    slow = scan_file(_entry(fake_repo, "vendor/gplthing/COPYING"), ScanOptions(timeout=0.0001))
    assert slow.status is FileStatus.ERROR
    assert slow.issues[-1].kind is IssueKind.TIMEOUT
    assert slow.sha1 is not None
    after = scan_file(_entry(fake_repo, "LICENSE-MIT"), ScanOptions())
    assert after.license_expression_spdx == "MIT"


def test_a_time_out_that_a_library_swallows_is_still_a_time_out() -> None:
    """typecode calls libmagic inside a bare ``except:`` and retries: an alarm that lands
    there was lost, and the file reported as scanned (1 in about 1,500 scans at 0.1 ms)."""

    def swallowing() -> None:
        # The inner suppress is what typecode does around libmagic.
        with files_module._time_limit(0.01), contextlib.suppress(BaseException):
            time.sleep(1)

    with pytest.raises(files_module._Timeout):
        swallowing()


def test_a_time_out_stops_work_that_swallowed_the_first_alarm() -> None:
    """The alarm repeats until its exception gets out: swallowed once, the work still stops."""

    def swallow_then_work() -> None:
        with files_module._time_limit(0.01):
            with contextlib.suppress(BaseException):
                time.sleep(1)
            time.sleep(1)

    started = time.monotonic()
    with pytest.raises(files_module._Timeout):
        swallow_then_work()
    assert time.monotonic() - started < 0.9


def test_what_swallowing_code_raises_instead_is_a_time_out() -> None:
    def swallow_then_fail() -> None:
        with files_module._time_limit(0.01):
            try:
                time.sleep(1)
            except BaseException:  # noqa: BLE001 -- what a library might do
                raise ValueError("retry failed") from None

    with pytest.raises(files_module._Timeout):
        swallow_then_fail()


def test_an_alarm_in_a_finalizer_is_neither_printed_nor_lost() -> None:
    """An alarm the collector's finalizer cannot raise is not "Exception ignored in ..." on
    stderr (here: an unraisable-exception error): the limit still ends the work."""

    class Finalized:
        def __init__(self) -> None:
            self.cycle = self  # freed by the collector, not by its reference count

        def __del__(self) -> None:
            deadline = time.monotonic() + 0.2
            while time.monotonic() < deadline:  # the alarm lands here, and again 50 ms on
                pass

    def collect_then_work() -> None:
        with files_module._time_limit(0.01):
            Finalized()
            gc.collect()
            time.sleep(5)

    started = time.monotonic()
    with pytest.raises(files_module._Timeout):
        collect_then_work()
    assert time.monotonic() - started < 4


def test_unreadable_file_is_an_error_not_a_crash(fake_repo: Path) -> None:
    entry = _entry(fake_repo, "vanished.txt")  # deleted between the walk and the read
    record = scan_file(entry, ScanOptions())
    assert record.status is FileStatus.ERROR
    assert record.issues[0].kind is IssueKind.UNREADABLE


def test_reference_kind(tmp_path: Path) -> None:
    path = tmp_path / "NOTES.md"
    path.write_text("See https://opensource.org/licenses/MIT for the terms.\n")
    record = scan_file(_entry(tmp_path, "NOTES.md"), ScanOptions())
    assert record.license_detections
    assert record.license_detections[0].kind is MatchKind.REFERENCE


def test_missing_root_is_a_scan_error(tmp_path: Path) -> None:
    with pytest.raises(ScanError, match="no such file"):
        scan(tmp_path / "nope")


def test_binary_sniff() -> None:
    assert is_binary(b"\x89PNG\r\n\x1a\n\x00\x00")
    assert not is_binary(b"plain text\n")
    assert not is_binary("utf-16 text".encode("utf-16"))  # BOM first: text, despite NULs


def test_default_jobs_is_at_least_one() -> None:
    assert default_jobs() >= 1
