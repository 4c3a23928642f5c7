# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""The ``ospo-scan`` entry point: hand the command to a running daemon, else run it here.

``ospo-scan daemon start`` leaves a process that holds ScanCode's license index and package
handlers in memory (:mod:`ospo_scan.daemon.server`). When one runs for this Python environment and
this build, each command is forked from it with the caller's arguments, folder, environment, umask
and standard streams (passed as file descriptors), and this process only relays signals and
the exit code. A re-scan after an edit then costs the edited files, not seconds of index load.

Everything else runs the command in this process, as if there were no daemon. Every run starts
here, so this module imports only cheap standard modules, and without a daemon it costs one
``stat``.
"""

from __future__ import annotations

import sys

#: What a Ctrl-C while starting up says: the command has not begun, so nothing was written.
INTERRUPTED = "ospo-scan: interrupted; nothing was written"

try:
    from ospo_scan.daemon import client
except KeyboardInterrupt:  # Ctrl-C during the first imports: exit 130, not a traceback
    print(INTERRUPTED, file=sys.stderr)
    sys.exit(130)


def main() -> None:
    """``ospo-scan``: through the daemon when one serves this build, else in this process.

    A Ctrl-C before the command's own handling begins (while its modules are imported) ends
    it with 130 and one line, as a Ctrl-C during the command does.
    """
    try:
        _run()
    except KeyboardInterrupt:
        print(INTERRUPTED, file=sys.stderr)
        sys.exit(130)


def _run() -> None:
    argv = sys.argv[1:]
    if client.wants_daemon(argv):
        code = client.run_in_daemon(argv)
        if code is not None:
            sys.exit(code)
    from ospo_scan.cli.main import main as cli_main  # noqa: PLC0415 -- only when run here

    cli_main()
