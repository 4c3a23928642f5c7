# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""The client side: hand a command to the running daemon and stand in for its process.

The command's process is forked by the daemon; this process passes it the arguments, folder,
environment, umask, standard streams (as descriptors), CPU set, niceness and limits, relays
the user's signals to it, and exits with its exit code (or dies of the signal that killed it).
Imported on every run that may go to a daemon: standard modules only.
"""

import contextlib
import os
import signal
import sys
from typing import Any

from ospo_scan.daemon.protocol import (
    DISABLE_ENV,
    PROTOCOL,
    RELAYED_SIGNALS,
    RLIMITS,
    build_identity,
    connect,
    credentials,
    private_dir_problem,
    request,
    socket_path,
    supported,
)
from ospo_scan.errors import ProtocolError

#: Arguments that name one of the caller's other descriptors, which are not passed on.
_FD_PATHS = ("/dev/fd/", "/proc/self/fd/", "/proc/thread-self/fd/")


def _stream_spec(stream: Any) -> dict[str, Any]:
    return {
        "encoding": getattr(stream, "encoding", None) or "utf-8",
        "errors": getattr(stream, "errors", None) or "strict",
        "line_buffering": bool(getattr(stream, "line_buffering", False)),
    }


def _process_attributes() -> dict[str, Any]:
    """What the command inherits from the caller besides its environment: CPU set (``--jobs``
    defaults to it), niceness and resource limits."""
    import resource  # noqa: PLC0415 -- only when a daemon answers

    affinity = sorted(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None
    return {
        "affinity": affinity,
        "nice": os.getpriority(os.PRIO_PROCESS, 0),
        "rlimits": {
            name: resource.getrlimit(getattr(resource, name))
            for name in RLIMITS
            if hasattr(resource, name)
        },
        "groups": credentials(),
    }


def wants_daemon(argv: list[str]) -> bool:
    """Whether ``argv`` may go to a daemon: not the daemon's commands, --help or --version."""
    if os.environ.get(DISABLE_ENV, "") not in ("", "0") or not supported():
        return False
    if any(marker in arg for arg in argv for marker in _FD_PATHS):
        return False  # only the standard streams are passed on
    command = next((arg for arg in argv if not arg.startswith("-")), None)
    # The daemon's own commands always run here; so do bare --help and --version, and
    # `version`, which reads a few files and must not wait for a socket.
    return command is not None and command not in {"daemon", "version"}


def _warn(text: str) -> None:
    sys.stderr.write(f"ospo-scan: warning: {text}\n")
    sys.stderr.flush()


_REFUSALS = {
    "build": "runs another build of ospo-scan or ScanCode (or its license index was rebuilt)",
    "credentials": "runs with other groups than this process",
    "fork": "could not start a process",
    "limits": "holds more memory than this process's limits (ulimit -v) allow",
}


class _Relay:
    """Signals for the command: queued until its pid is known, then sent to its group.

    Installed before connecting, so that a Ctrl-C during the hand-over is not lost.
    """

    def __init__(self) -> None:
        self.pid: int | None = None
        self.received: list[int] = []
        self._previous: dict[int, Any] = {}

    def install(self) -> None:
        for name in RELAYED_SIGNALS:
            signum = getattr(signal, name)
            previous = signal.getsignal(signum)
            # A signal this process ignores (``nohup``, a background job's Ctrl-C) stays so.
            if previous is not signal.SIG_IGN:
                self._previous[signum] = previous
                signal.signal(signum, self._forward)
        if signal.getsignal(signal.SIGTSTP) is not signal.SIG_IGN:
            self._previous[signal.SIGTSTP] = signal.getsignal(signal.SIGTSTP)
            signal.signal(signal.SIGTSTP, self._suspend)

    def attach(self, pid: int) -> None:
        # Held back meanwhile, so that a signal arriving now is sent once, not twice.
        relayed = {getattr(signal, name) for name in RELAYED_SIGNALS}
        blocked = signal.pthread_sigmask(signal.SIG_BLOCK, relayed)
        try:
            self.pid = pid
            for signum in list(self.received):
                self._send(signum)
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, blocked)

    def restore(self) -> None:
        """Put the handlers back; a signal that came before any command ran is delivered."""
        for signum, previous in self._previous.items():
            signal.signal(signum, previous)
        if self.pid is None:
            for signum in self.received:
                os.kill(os.getpid(), signum)

    def _forward(self, signum: int, _frame: object) -> None:
        self.received.append(signum)
        if self.pid is not None:
            self._send(signum)

    def _send(self, signum: int) -> None:
        # The command leads its own process group, with its scan workers: like a terminal's
        # Ctrl-C, the signal reaches all of them.
        if self.pid is not None:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(self.pid, signum)

    def _suspend(self, _signum: int, _frame: object) -> None:
        # Ctrl-Z: stop the command's group, then this process; on ``fg`` resume both.
        if self.pid is not None:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(self.pid, signal.SIGSTOP)
        signal.signal(signal.SIGTSTP, signal.SIG_DFL)
        os.kill(os.getpid(), signal.SIGTSTP)
        signal.signal(signal.SIGTSTP, self._suspend)
        if self.pid is not None:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(self.pid, signal.SIGCONT)


def run_in_daemon(argv: list[str], build: str | None = None) -> int | None:
    """Run ``ospo-scan ARGV`` in the daemon; its exit code, or None to run it here instead."""
    path = socket_path()
    try:
        os.lstat(path)
    except OSError:
        return None  # the common case: no daemon
    problem = private_dir_problem(os.path.dirname(path))
    if problem is not None:
        _warn(f"not using the daemon: {problem}")
        return None
    try:
        cwd = os.getcwd()
        for fd in (0, 1, 2):
            os.fstat(fd)  # a closed standard stream cannot be passed on
    except OSError:
        return None
    relay = _Relay()
    relay.install()
    try:
        code = _hand_over(path, argv, cwd, build, relay)
    finally:
        relay.restore()
    return code


def _hand_over(
    path: str, argv: list[str], cwd: str, build: str | None, relay: _Relay
) -> int | None:
    conn = connect(path, timeout=10)
    if conn is None:
        return None  # a socket left by a daemon that was killed
    try:
        umask = os.umask(0o022)
        os.umask(umask)
        message = {
            "op": "run",
            "protocol": PROTOCOL,
            "build": build or build_identity(),
            "argv": ["ospo-scan", *argv],
            "cwd": cwd,
            "env": dict(os.environ),
            "umask": umask,
            "stdio": [_stream_spec(s) for s in (sys.stdin, sys.stdout, sys.stderr)],
            **_process_attributes(),
        }
        try:
            conn.send(message, [0, 1, 2])
            reply, _ = conn.receive()
        except (OSError, ProtocolError, ValueError):
            # Whatever it had started sees this connection close, and stops.
            return None
        if "pid" not in reply:
            reason = _REFUSALS.get(str(reply.get("error")), "refused the command")
            _warn(
                f"the daemon (pid {reply.get('daemon_pid')}) {reason}; running here. "
                "`ospo-scan daemon start` replaces it."
            )
            return None
        pid = int(reply["pid"])
        relay.attach(pid)
        conn.sock.settimeout(None)
        try:
            final, _ = conn.receive()
            return int(final["exit"])
        except (OSError, ProtocolError, KeyError, ValueError, TypeError):
            return _lost(pid, relay)
    finally:
        conn.close()


def _lost(pid: int, relay: _Relay) -> int:
    """The command's process ended without reporting: end as it did (its signal, its code)."""
    reply = request({"op": "reaped", "pid": pid})
    status = reply.get("status") if reply else None
    signum = None
    if isinstance(status, int) and os.WIFEXITED(status):
        return os.WEXITSTATUS(status)
    if isinstance(status, int) and os.WIFSIGNALED(status):
        signum = os.WTERMSIG(status)
    elif relay.received:
        signum = relay.received[-1]
    if signum is not None:
        relay.restore()
        with contextlib.suppress(OSError, ValueError):  # SIGKILL has no handler to reset
            signal.signal(signum, signal.SIG_DFL)
        os.kill(os.getpid(), signum)
        return 128 + signum  # a signal that does not kill (SIGCONT...), should one get here
    _warn("the daemon's process for this command ended without an exit code")
    return 2
