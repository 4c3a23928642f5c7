# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""The one door to ScanCode's internals: swaps always undone, and the fast path only on the
scancode-toolkit release it was verified against (else ScanCode as shipped, and one warning)."""

from __future__ import annotations

import os
import types
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from ospo_scan.cli.main import main
from ospo_scan.engine import _patch, detect, fast_copyrights, fast_licenses, index
from ospo_scan.errors import EngineWarning
from ospo_scan.model import FileStatus
from ospo_scan.scan import parallel
from ospo_scan.scan.files import Scanned
from ospo_scan.scan.options import ScanOptions
from ospo_scan.scan.walk import Entry

NOTICE = (
    "# Copyright (c) 2024 Example Corp.\n"
    "# SPDX-License-Identifier: MIT\n"
    "# Licensed under the Apache License, Version 2.0\n"
)


def _swap_and_raise(module: Any, error: BaseException) -> None:
    with _patch.swapped(module, a=10, b=20):
        assert (module.a, module.b) == (10, 20)
        raise error


def test_swapped_restores_after_an_exception_and_an_interrupt() -> None:
    module = types.SimpleNamespace(a=1, b=2)
    with pytest.raises(ValueError, match="boom"):
        _swap_and_raise(module, ValueError("boom"))
    assert (module.a, module.b) == (1, 2)
    with pytest.raises(KeyboardInterrupt):
        _swap_and_raise(module, KeyboardInterrupt())
    assert (module.a, module.b) == (1, 2)


def test_nested_swaps_of_one_attribute_unwind_in_order() -> None:
    module = types.SimpleNamespace(a="shipped")
    with _patch.swapped(module, a="outer"):
        with _patch.swapped(module, a="inner"):
            assert module.a == "inner"
        assert module.a == "outer"
    assert module.a == "shipped"


def test_the_verified_release_is_the_installed_one() -> None:
    # The pin in pyproject.toml and the verified release move together.
    assert index.scancode_version() == _patch.VERIFIED_SCANCODE_VERSION
    assert _patch.verified()


@pytest.fixture
def other_release(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Pretend another scancode-toolkit is installed (nothing is installed)."""
    monkeypatch.setattr(index, "scancode_version", lambda: "99.1.0")
    monkeypatch.setattr(_patch, "_warned", [])
    monkeypatch.setattr(fast_licenses, "_prefilter", None)
    # The index identity names the version and is computed once per process: not with this one.
    index.license_index_identity.cache_clear()
    yield "99.1.0"
    index.license_index_identity.cache_clear()


def test_another_release_runs_scancode_as_shipped_with_one_warning(
    other_release: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cluecode import copyrights  # noqa: PLC0415 -- ScanCode, for the identity checks
    from licensedcode import match, match_set  # noqa: PLC0415

    seen: list[tuple[Any, ...]] = []
    real_licenses, real_copyrights = detect.detect_licenses, detect.detect_copyrights

    def licenses_spy(location: str, **kwargs: Any) -> Any:
        seen.append(
            (
                match_set.compute_candidates,
                match.tokenize_matched_text,
                match.get_full_matched_text,
            )
        )
        return real_licenses(location, **kwargs)

    def copyrights_spy(location: str, **kwargs: Any) -> Any:
        seen.append((copyrights.DETECTOR, copyrights.collect_candidate_lines))
        return real_copyrights(location, **kwargs)

    path = tmp_path / "notice.py"
    path.write_text(NOTICE, encoding="utf-8")
    expected = (real_licenses(str(path)), real_copyrights(str(path)))
    # Taken after ScanCode's own detection ran: it builds its copyright detector on first use.
    shipped = (
        match_set.compute_candidates,
        match.tokenize_matched_text,
        match.get_full_matched_text,
        copyrights.DETECTOR,
        copyrights.collect_candidate_lines,
    )
    monkeypatch.setattr(detect, "detect_licenses", licenses_spy)
    monkeypatch.setattr(detect, "detect_copyrights", copyrights_spy)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fast_licenses.prepare_fast_path()
        found = (
            fast_licenses.detect_licenses_fast(str(path)),
            fast_copyrights.detect_copyrights_fast(str(path)),
        )
    assert found == expected
    assert not fast_licenses.fast_path_prepared()  # the rule index was not built either
    # ScanCode's own functions were in place while it detected.
    assert seen == [shipped[:3], shipped[3:]]
    messages = [str(w.message) for w in caught if issubclass(w.category, EngineWarning)]
    assert messages == [
        f"scancode-toolkit {other_release} is installed, but the fast path was verified "
        f"against {_patch.VERIFIED_SCANCODE_VERSION}: scanning with ScanCode as shipped "
        "(same findings, slower)"
    ]


def test_the_cli_says_so_in_one_line_and_finds_the_same(
    other_release: str, fake_repo: Path
) -> None:
    runner = CliRunner()
    args = ["scan", "-q", "-j", "1", "--no-cache", "--format", "json", str(fake_repo)]
    result = runner.invoke(main, args)
    assert result.exit_code == 0, result.stderr
    warning_lines = [line for line in result.stderr.splitlines() if "fast path" in line]
    assert warning_lines == [
        f"ospo-scan: warning: scancode-toolkit {other_release} is installed, but the fast path "
        f"was verified against {_patch.VERIFIED_SCANCODE_VERSION}: scanning with ScanCode as "
        "shipped (same findings, slower)"
    ]
    assert "Traceback" not in result.stderr


_PARENT = os.getpid()
_REAL_SCAN_ENTRY = parallel.scan_entry
#: Where a worker leaves a mark for each text file it detected (the test's tmp folder).
_MARKS = "OSPO_SCAN_TEST_WORKER_MARKS"


def _scan_entry_minding_worker_warnings(entry: Entry, options: ScanOptions) -> Scanned:
    """``scan_entry``, except that a worker process fails the scan if it warns of the engine.

    A worker's warnings never reach the CLI's stderr, so the test cannot look for them there:
    the worker raises instead, and the scan fails in the parent with that error.
    """
    if os.getpid() == _PARENT:
        return _REAL_SCAN_ENTRY(entry, options)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        scanned = _REAL_SCAN_ENTRY(entry, options)
    engine = [str(w.message) for w in caught if issubclass(w.category, EngineWarning)]
    if engine:
        raise AssertionError(f"a worker warned on {entry.path}: {engine}")
    if scanned[0].status is FileStatus.SCANNED and scanned[0].is_text:
        # Text was detected here, so the copyright fast path asked about the release.
        (Path(os.environ[_MARKS]) / entry.path.replace("/", "_")).touch()
    return scanned


def test_with_workers_the_warning_is_issued_once_before_they_fork(
    other_release: str, fake_repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Too few files for the fast path's rule index: without the scanning process asking
    # before it forks, each worker would warn on its first text file, out of the CLI's sight.
    marks = tmp_path / "marks"
    marks.mkdir()
    monkeypatch.setenv(_MARKS, str(marks))
    monkeypatch.setattr(parallel, "scan_entry", _scan_entry_minding_worker_warnings)
    runner = CliRunner()
    args = ["scan", "-q", "-j", "2", "--no-cache", "--format", "json", str(fake_repo)]
    result = runner.invoke(main, args)
    assert result.exit_code == 0, (result.exception, result.stderr)
    assert list(marks.iterdir())  # a worker did detect text
    assert not fast_licenses.fast_path_prepared()
    assert _patch._warned == [other_release]  # the scanning process warned
    warning_lines = [line for line in result.stderr.splitlines() if "warning" in line]
    assert warning_lines == [
        f"ospo-scan: warning: scancode-toolkit {other_release} is installed, but the fast path "
        f"was verified against {_patch.VERIFIED_SCANCODE_VERSION}: scanning with ScanCode as "
        "shipped (same findings, slower)"
    ]
    assert "EngineWarning" not in result.stderr
    assert "Traceback" not in result.stderr
