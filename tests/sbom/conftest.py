# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""The results that both SBOM writers' tests render: a real scan, and it with packages."""

from __future__ import annotations

import pytest

from ospo_scan.model import ScanResult
from sbom_support import with_packages


@pytest.fixture(scope="module")
def fake_result(fake_repo_result: ScanResult) -> ScanResult:
    """The session's one real scan of the fake repository."""
    return fake_repo_result


@pytest.fixture(scope="module")
def rich_result(fake_result: ScanResult) -> ScanResult:
    """The real scan plus a project, installed packages and a dependency of every scope."""
    return with_packages(fake_result)
