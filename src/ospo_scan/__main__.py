# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""Allow ``python -m ospo_scan`` (through the daemon when one runs, as ``ospo-scan`` does)."""

from ospo_scan.launcher import main

main()
