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

    try:
        cli_main()
    except SystemExit as done:
        if _index_loaded():
            _exit_without_teardown(done)
        raise
    if _index_loaded():
        _exit_without_teardown(SystemExit(0))


def _index_loaded() -> bool:
    """True when this process holds ScanCode's license index (millions of objects)."""
    engine_index = sys.modules.get("ospo_scan.engine.index")
    return bool(getattr(engine_index, "_index_loaded", False))


def _exit_without_teardown(done: SystemExit) -> None:
    """End the process as ``raise done`` would, but without freeing the license index.

    Python frees every object at exit, one by one: about 0.1 s for the index, after the
    command's work is done and its files are closed. Here the exit handlers run as usual
    (temporary folders, logging), the standard streams are flushed, and the process ends
    with the command's code. Returns, for the usual exit, when that cannot be done the same
    way: a message as exit code, another thread still running, or a stream that fails to
    flush (a closed pipe), whose report stays Python's.
    """
    import atexit  # noqa: PLC0415 -- only at the end of an in-process command
    import os  # noqa: PLC0415
    import threading  # noqa: PLC0415

    code = 0 if done.code is None else done.code
    if not isinstance(code, int) or threading.active_count() > 1:
        return
    try:
        atexit._run_exitfuncs()
        sys.stdout.flush()
        sys.stderr.flush()
    except BaseException:  # noqa: BLE001 -- the usual exit reports it
        return
    os._exit(code)
