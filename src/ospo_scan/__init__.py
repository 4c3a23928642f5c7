# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""ospo-scan: an open-source license-compliance scanner built on ScanCode."""

from __future__ import annotations

__version__ = "0.1.0"
