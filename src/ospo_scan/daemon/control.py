# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""Starting, stopping and asking after the daemon (``ospo-scan daemon start|stop|status``)."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from ospo_scan.daemon import protocol
from ospo_scan.errors import DaemonError

#: Minutes without a command after which the daemon exits.
DEFAULT_IDLE_MINUTES = 30.0
#: A daemon that loads the index for the first time may need to build it: minutes.
_START_TIMEOUT = 15 * 60
#: The exit code of a daemon that found another one running or starting.
ALREADY_RUNNING = 3


@dataclass(frozen=True)
class DaemonStatus:
    """What a running daemon says about itself."""

    pid: int
    socket: str
    same_build: bool
    started: float
    served: int
    running: int
    idle_timeout: float

    @property
    def rss_bytes(self) -> int | None:
        """Resident memory of the daemon process (Linux), or None when unknown."""
        try:
            text = Path(f"/proc/{self.pid}/status").read_text(encoding="ascii")
        except OSError:
            return None
        for line in text.splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
        return None


def paths() -> tuple[str, str, str]:
    """The daemon's socket, lock file and log, for this Python environment."""
    sock = protocol.socket_path()
    stem = sock.removesuffix(".sock")
    return sock, stem + ".lock", stem + ".log"


def ensure_runtime_dir() -> str:
    """The private runtime folder, made if need be; :class:`DaemonError` if it is unsafe."""
    if not protocol.supported():
        raise DaemonError("the daemon needs fork and Unix sockets (Linux, macOS, BSD)")
    folder = protocol.runtime_dir()
    try:
        Path(folder).mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as exc:
        raise DaemonError(f"cannot create the daemon folder {folder}: {exc.strerror}") from exc
    problem = protocol.private_dir_problem(folder)
    if problem is not None:
        raise DaemonError(problem)
    if len(protocol.socket_path().encode()) > protocol.MAX_SOCKET_PATH:
        raise DaemonError(
            f"the daemon's socket path under {folder} is too long for a Unix socket; "
            f"set {protocol.RUNTIME_DIR_ENV} to a shorter folder"
        )
    return folder


def status() -> DaemonStatus | None:
    """The running daemon's status, or None when none answers."""
    if not protocol.supported():
        return None
    if protocol.private_dir_problem(protocol.runtime_dir()) is not None:
        return None
    reply = protocol.request({"op": "status", "build": protocol.build_identity()})
    if reply is None or "pid" not in reply:
        return None
    return DaemonStatus(
        pid=int(reply["pid"]),
        socket=protocol.socket_path(),
        same_build=bool(reply["same_build"]),
        started=float(reply["started"]),
        served=int(reply["served"]),
        running=int(reply["running"]),
        idle_timeout=float(reply["idle_timeout"]),
    )


def stop(timeout: float = 30) -> int | None:
    """Ask the daemon to exit (commands it is running finish); its pid, or None if none ran."""
    current = status()
    if current is None:
        return None
    protocol.request({"op": "stop"})
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not alive(current.pid):
            return current.pid
        time.sleep(0.05)
    raise DaemonError(f"the daemon (pid {current.pid}) did not stop within {timeout:.0f} s")


def alive(pid: int) -> bool:
    """Whether process ``pid`` still exists (a zombie counts as gone)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie is dead for our purpose (our own child when started in the foreground).
    with contextlib.suppress(OSError):
        state = Path(f"/proc/{pid}/stat").read_text(encoding="ascii").rsplit(")", 1)[1].split()
        return state[0] != "Z"
    return True


def start(idle_minutes: float = DEFAULT_IDLE_MINUTES) -> tuple[DaemonStatus, bool]:
    """Start the daemon in the background unless one of this build runs.

    Returns its status and whether this call started it. A daemon of another build is stopped
    first. Waits until the new daemon answers, which is after it has loaded the index.
    """
    ensure_runtime_dir()
    current = status()
    if current is not None and current.same_build:
        return current, False
    if current is not None:
        stop()
    _sock, _lock, log_path = paths()
    # The interpreter's own flags (-X, -W, -O...) too: they are part of the build identity.
    flags = subprocess._args_from_interpreter_flags()  # type: ignore[attr-defined]
    argv = [sys.executable, *flags, "-m", "ospo_scan", "daemon", "start", "--foreground"]
    argv += ["--idle-minutes", repr(idle_minutes)]
    env = dict(os.environ)
    env.pop(protocol.DISABLE_ENV, None)
    env[protocol.RUNTIME_DIR_ENV] = protocol.runtime_dir()  # absolute: the daemon runs in /
    with open(log_path, "wb") as log:  # noqa: PTH123 -- handed to the child as its stderr
        process = subprocess.Popen(
            argv,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=log,
            start_new_session=True,
            close_fds=True,
            env=env,
            cwd="/",
        )
    deadline = time.monotonic() + _START_TIMEOUT
    while time.monotonic() < deadline:
        code = process.poll()
        # Code 3: another ``daemon start`` won the race; wait for that daemon instead.
        if code is not None and code != ALREADY_RUNNING:
            raise DaemonError(
                f"the daemon exited with code {code} while starting:\n{_tail(log_path)}"
            )
        current = status()
        if current is not None and current.same_build:
            return current, code is None
        if code == ALREADY_RUNNING and current is not None:
            raise DaemonError(
                f"a daemon of another build (pid {current.pid}) was started meanwhile; "
                "stop it (`ospo-scan daemon stop`) and start again"
            )
        time.sleep(0.1)
    raise DaemonError(
        f"the daemon did not answer within {_START_TIMEOUT // 60} minutes; see {log_path}"
    )


def _tail(path: str, lines: int = 20) -> str:
    try:
        text = Path(path).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""
    return "\n".join(text.splitlines()[-lines:])
