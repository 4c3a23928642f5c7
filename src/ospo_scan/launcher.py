# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""The ``ospo-scan`` entry point: hand the command to a running daemon, else run it here.

``ospo-scan daemon start`` leaves a process that holds ScanCode's license index and package
handlers in memory (:mod:`ospo_scan.daemon`). When one runs for this Python environment and this
build, each command is forked from it with the caller's arguments, folder, environment, umask
and standard streams (passed as file descriptors), and this process only relays signals and
the exit code. A re-scan after an edit then costs the edited files, not seconds of index load.

Everything else runs the command in this process, as if there were no daemon. Every run starts
here, so this module imports only cheap standard modules, and without a daemon it costs one
``stat``.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import signal
import socket
import stat
import struct
import sys
from typing import Any

#: Set to anything but ``0`` or empty to run every command in its own process.
DISABLE_ENV = "OSPO_SCAN_NO_DAEMON"
#: The private folder for the daemon's socket, lock and log (default: under
#: ``$XDG_RUNTIME_DIR``, else ``$TMPDIR/ospo-scan-<uid>``).
RUNTIME_DIR_ENV = "OSPO_SCAN_RUNTIME_DIR"
#: Bumped when the messages between client and daemon change.
PROTOCOL = 2
#: A Unix socket's path must fit ``sockaddr_un.sun_path`` (108 bytes on Linux, 104 on macOS).
MAX_SOCKET_PATH = 100
_MAX_MESSAGE = 64 * 1024 * 1024
_HEADER = struct.Struct(">I")
#: The signals a user sends to "the command", relayed to the forked process that runs it.
RELAYED_SIGNALS = ("SIGINT", "SIGTERM", "SIGHUP", "SIGQUIT")
#: Environment read once, when the interpreter or ScanCode starts (ScanCode makes its
#: temporary folder on import): a daemon started with other values would act otherwise.
_STARTUP_ENV = ("SCANCODE_", "LC_ALL", "LC_CTYPE", "LANG", "TMPDIR", "TEMP", "TMP")
#: Limits of the caller that the command takes on (``ulimit``).
RLIMITS = ("RLIMIT_AS", "RLIMIT_CPU", "RLIMIT_DATA", "RLIMIT_FSIZE", "RLIMIT_NOFILE")
#: Arguments that name one of the caller's other descriptors, which are not passed on.
_FD_PATHS = ("/dev/fd/", "/proc/self/fd/", "/proc/thread-self/fd/")


class ProtocolError(Exception):
    """The other side closed early or sent something that is not a message."""


def supported() -> bool:
    """Whether this platform can run the daemon: fork, descriptor passing and a way to check
    the user at the other end of a socket (Linux)."""
    return (
        os.name == "posix"
        and hasattr(socket, "AF_UNIX")
        and hasattr(socket, "send_fds")
        and hasattr(socket, "SO_PEERCRED")
    )


def runtime_dir() -> str:
    """The folder that holds the daemon's socket, lock file and log (an absolute path)."""
    explicit = os.environ.get(RUNTIME_DIR_ENV)
    if explicit:
        return os.path.abspath(explicit)
    xdg = os.environ.get("XDG_RUNTIME_DIR")
    if xdg and os.path.isabs(xdg):
        return os.path.join(xdg, "ospo-scan")
    # A per-user folder, checked by private_dir_problem before any use.
    return os.path.join(os.environ.get("TMPDIR") or "/tmp", f"ospo-scan-{os.getuid()}")  # noqa: S108


def _environment_tag() -> str:
    # One daemon per Python environment: two virtualenvs never answer for each other.
    return hashlib.sha256(sys.prefix.encode("utf-8", "surrogateescape")).hexdigest()[:12]


def socket_path() -> str:
    """The daemon's socket for this Python environment."""
    return os.path.join(runtime_dir(), f"daemon-{_environment_tag()}.sock")


def private_dir_problem(path: str) -> str | None:
    """Why ``path`` may not hold the daemon's socket, or None when it is ours and private.

    Anyone who can write the folder could put their own socket there and receive our
    arguments, environment and terminal.
    """
    try:
        info = os.lstat(path)
    except OSError as exc:
        return f"cannot read the daemon folder {path}: {exc.strerror}"
    if not stat.S_ISDIR(info.st_mode):
        return f"the daemon folder {path} is not a folder (or is a symbolic link)"
    if info.st_uid != os.getuid():
        return f"the daemon folder {path} belongs to another user (uid {info.st_uid})"
    if info.st_mode & 0o077:
        return (
            f"the daemon folder {path} is open to other users (mode {info.st_mode & 0o777:o}); "
            f"make it private (chmod 700) or set {RUNTIME_DIR_ENV}"
        )
    return None


def build_identity() -> str:
    """What the daemon must share with this process for its answers to be this build's.

    The interpreter and its flags, the import path and the distributions installed on it
    (names with versions: any ``pip install`` of another version changes one), every file of
    this package with its size and time (an edited checkout), and the environment read at
    start-up (``SCANCODE_*``, the locale, the temporary folder). The daemon also checks, on
    every command, that ScanCode's license index file is still the one it loaded.
    """
    digest = hashlib.sha256()

    def add(*parts: object) -> None:
        for part in parts:
            digest.update(str(part).encode("utf-8", "surrogateescape") + b"\0")

    # sys.path[0] is the folder of whatever started the interpreter (the ``ospo-scan``
    # script, or the current folder for ``python -m``): it differs between equal builds.
    path = sys.path[1:]
    add(PROTOCOL, sys.executable, sys.version, sys.flags, sys.warnoptions, sys._xoptions, *path)
    for entry in path:
        try:
            names = os.listdir(entry or ".")
        except OSError:
            continue
        for name in sorted(n for n in names if n.endswith((".dist-info", ".egg-info", ".pth"))):
            # A reinstall of the same version writes the folder again: its times change.
            try:
                info = os.stat(os.path.join(entry or ".", name))
            except OSError:
                continue
            add(name, info.st_ino, info.st_mtime_ns)
    package = os.path.dirname(os.path.abspath(__file__))
    for folder, dirs, names in os.walk(package):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(names):
            info = os.stat(os.path.join(folder, name))
            add(os.path.relpath(os.path.join(folder, name), package), info.st_size)
            add(info.st_mtime_ns)
    for key in sorted(k for k in os.environ if k.startswith(_STARTUP_ENV)):
        add(key, os.environ[key])
    return digest.hexdigest()


def credentials() -> list[int]:
    """The groups this process acts with: the daemon serves only callers with its own."""
    return sorted({*os.getgroups(), os.getegid()})


class Connection:
    """Length-prefixed JSON messages over a Unix stream socket, with descriptors attached.

    Bytes that arrive after one message are kept for the next: the command's process may send
    its pid and, a moment later, its exit code before the caller reads either.
    """

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self._buffer = bytearray()

    def send(self, message: dict[str, Any], fds: list[int] | None = None) -> None:
        """Send one message, with ``fds`` attached to its first byte."""
        body = json.dumps(message).encode("utf-8", "surrogateescape")
        data = _HEADER.pack(len(body)) + body
        sent = socket.send_fds(self.sock, [data], fds) if fds else self.sock.send(data)
        if sent < len(data):
            self.sock.sendall(data[sent:])

    def receive(self, *, with_fds: bool = False) -> tuple[dict[str, Any], list[int]]:
        """Read one message and the descriptors that came with it; ProtocolError on EOF."""
        fds: list[int] = []
        try:
            if with_fds and len(self._buffer) < _HEADER.size:
                data, fds, _flags, _address = socket.recv_fds(self.sock, 65536, 16)
                if not data:
                    raise ProtocolError("connection closed")
                self._buffer += data
            while len(self._buffer) < _HEADER.size:
                self._read()
            (size,) = _HEADER.unpack_from(self._buffer)
            if size > _MAX_MESSAGE:
                raise ProtocolError(f"message of {size} bytes")
            while len(self._buffer) < _HEADER.size + size:
                self._read()
            body = bytes(self._buffer[_HEADER.size : _HEADER.size + size])
            del self._buffer[: _HEADER.size + size]
            message = json.loads(body.decode("utf-8", "surrogateescape"))
            if not isinstance(message, dict):
                raise ProtocolError("a message that is not an object")
        except BaseException:
            for fd in fds:
                os.close(fd)
            raise
        return message, fds

    def _read(self) -> None:
        chunk = self.sock.recv(65536)
        if not chunk:
            raise ProtocolError("connection closed")
        self._buffer += chunk

    def close(self) -> None:
        """Close the socket."""
        self.sock.close()


def connect(path: str, timeout: float | None = None) -> Connection | None:
    """A connection to the daemon at ``path``, or None when none listens there."""
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.settimeout(timeout)
    try:
        sock.connect(path)
    except OSError:
        sock.close()
        return None
    return Connection(sock)


def request(message: dict[str, Any], timeout: float = 10) -> dict[str, Any] | None:
    """One question to the daemon and its answer, or None when none answers."""
    conn = connect(socket_path(), timeout=timeout)
    if conn is None:
        return None
    try:
        conn.send(message)
        reply, _ = conn.receive()
    except (OSError, ProtocolError, ValueError):
        return None
    finally:
        conn.close()
    return reply


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


def _wants_daemon(argv: list[str]) -> bool:
    if os.environ.get(DISABLE_ENV, "") not in ("", "0") or not supported():
        return False
    if any(marker in arg for arg in argv for marker in _FD_PATHS):
        return False  # only the standard streams are passed on
    command = next((arg for arg in argv if not arg.startswith("-")), None)
    # The daemon's own commands always run here; so do bare --help and --version.
    return command is not None and command != "daemon"


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


def main() -> None:
    """``ospo-scan``: through the daemon when one serves this build, else in this process."""
    argv = sys.argv[1:]
    if _wants_daemon(argv):
        code = run_in_daemon(argv)
        if code is not None:
            sys.exit(code)
    from ospo_scan.cli import main as cli_main  # noqa: PLC0415 -- only when run here

    cli_main()
