# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""Allow ``python -m ospo_scan`` (through the daemon when one runs, as ``ospo-scan`` does)."""

import sys

try:
    from ospo_scan.launcher import main
except KeyboardInterrupt:  # Ctrl-C while Python imports the launcher: 130, not a traceback
    print("ospo-scan: interrupted; nothing was written", file=sys.stderr)
    sys.exit(130)

main()
