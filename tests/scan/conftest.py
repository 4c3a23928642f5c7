# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""Fixtures shared by the scan pipeline's tests."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from ospo_scan.engine import detect, fast_licenses, index


@pytest.fixture
def count_index_loads(monkeypatch: pytest.MonkeyPatch) -> Callable[[], list[None]]:
    """Call it to stop ScanCode's license index from loading: each load from then on is
    recorded in the list it returns instead. A warm re-scan must leave that list empty."""

    def start() -> list[None]:
        loads: list[None] = []
        monkeypatch.setattr(index, "load_index", lambda: loads.append(None))
        return loads

    return start


@pytest.fixture
def detections(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The paths handed to license detection in this process (the real detector still runs)."""
    fast_licenses.prepare_fast_path()  # its warm-up detection is not the scan's
    seen: list[str] = []
    # The fast path calls detect_licenses too, and a scan with few files to detect calls it
    # directly (see FAST_PATH_MIN_FILES): spying here sees every detection once.
    real: Callable[..., Any] = detect.detect_licenses

    def spy(location: str, **kwargs: Any) -> Any:
        seen.append(location)
        return real(location, **kwargs)

    monkeypatch.setattr(detect, "detect_licenses", spy)
    return seen
