# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""Fixtures shared by the scan pipeline's tests."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from ospo_scan.engine import index


@pytest.fixture
def count_index_loads(monkeypatch: pytest.MonkeyPatch) -> Callable[[], list[None]]:
    """Call it to stop ScanCode's license index from loading: each load from then on is
    recorded in the list it returns instead. A warm re-scan must leave that list empty."""

    def start() -> list[None]:
        loads: list[None] = []
        monkeypatch.setattr(index, "load_index", lambda: loads.append(None))
        return loads

    return start
