# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""ospo-scan: an open-source license-compliance scanner built on ScanCode."""

from __future__ import annotations

__version__ = "0.1.0"

#: The project's home, as ``[project.urls]`` in pyproject.toml names it (a test keeps both equal).
PROJECT_URL = "https://github.com/ospo-scan/ospo-scan"
