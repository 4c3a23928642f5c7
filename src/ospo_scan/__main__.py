# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""Allow ``python -m ospo_scan``."""

from ospo_scan.cli import main

main()
