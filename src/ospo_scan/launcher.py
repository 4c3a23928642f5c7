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
PROTOCOL = 1
#: A Unix socket's path must fit ``sockaddr_un.sun_path`` (108 bytes on Linux, 104 on macOS).
MAX_SOCKET_PATH = 100
_MAX_MESSAGE = 64 * 1024 * 1024
_HEADER = struct.Struct(">I")
#: The signals a user sends to "the command", relayed to the forked process that runs it.
RELAYED_SIGNALS = ("SIGINT", "SIGTERM", "SIGHUP", "SIGQUIT")


#: Environment read once, when the interpreter or ScanCode starts: a daemon started with other
#: values would not act as this process would.
_STARTUP_ENV = ("SCANCODE_", "LC_ALL", "LC_CTYPE", "LANG")


class ProtocolError(Exception):
    """The other side closed early or sent something that is not a message."""


def supported() -> bool:
    """Whether this platform can run the daemon (fork, Unix sockets, descriptor passing)."""
    return os.name == "posix" and hasattr(socket, "AF_UNIX") and hasattr(socket, "send_fds")


def runtime_dir() -> str:
    """The folder that holds the daemon's socket, lock file and log."""
    explicit = os.environ.get(RUNTIME_DIR_ENV)
    if explicit:
        return os.path.abspath(explicit)
    xdg = os.environ.get("XDG_RUNTIME_DIR")
    if xdg and os.path.isabs(xdg):
        return os.path.join(xdg, "ospo-scan")
    return os.path.join(os.environ.get("TMPDIR") or "/tmp", f"ospo-scan-{os.getuid()}")  # noqa: S108 -- private per-user folder, checked by private_dir_problem


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

    The interpreter, the import path and the modification times of its folders (any
    ``pip install`` changes one), every file of this package (an edited checkout) and the
    ``SCANCODE_*`` settings that ScanCode reads when it is imported, and the locale.
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
            add(os.stat(entry or ".").st_mtime_ns)
        except OSError:
            add("-")
    package = os.path.dirname(os.path.abspath(__file__))
    for folder, dirs, names in os.walk(package):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(names):
            info = os.stat(os.path.join(folder, name))
            add(os.path.relpath(os.path.join(folder, name), package), info.st_size)
            add(info.st_mtime_ns)
    # The locale is set when the interpreter starts, as is what ScanCode reads on import.
    for key in sorted(k for k in os.environ if k.startswith(_STARTUP_ENV)):
        add(key, os.environ[key])
    return digest.hexdigest()


def send_message(sock: socket.socket, message: dict[str, Any], fds: list[int] = ()) -> None:  # type: ignore[assignment]
    """Send one length-prefixed JSON message, with ``fds`` attached to its first byte."""
    body = json.dumps(message).encode("utf-8", "surrogateescape")
    data = _HEADER.pack(len(body)) + body
    sent = socket.send_fds(sock, [data], list(fds)) if fds else sock.send(data)
    if sent < len(data):
        sock.sendall(data[sent:])


def receive_message(
    sock: socket.socket, *, with_fds: bool = False
) -> tuple[dict[str, Any], list[int]]:
    """Read one message and the descriptors that came with it; ProtocolError on early EOF."""
    fds: list[int] = []
    if with_fds:
        data, fds, _flags, _address = socket.recv_fds(sock, 65536, 16)
    else:
        data = sock.recv(65536)
    buffer = bytearray(data)
    try:
        while len(buffer) < _HEADER.size:
            buffer += _receive_some(sock)
        (size,) = _HEADER.unpack_from(buffer)
        if size > _MAX_MESSAGE:
            raise ProtocolError(f"message of {size} bytes")
        while len(buffer) < _HEADER.size + size:
            buffer += _receive_some(sock)
        message = json.loads(
            bytes(buffer[_HEADER.size : _HEADER.size + size]).decode("utf-8", "surrogateescape")
        )
    except BaseException:
        for fd in fds:
            os.close(fd)
        raise
    if not isinstance(message, dict):
        raise ProtocolError("a message that is not an object")
    return message, fds


def _receive_some(sock: socket.socket) -> bytes:
    chunk = sock.recv(65536)
    if not chunk:
        raise ProtocolError("connection closed")
    return chunk


def connect(path: str, timeout: float | None = None) -> socket.socket | None:
    """A connection to the daemon at ``path``, or None when none listens there."""
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.settimeout(timeout)
    try:
        sock.connect(path)
    except OSError:
        sock.close()
        return None
    return sock


def _stream_spec(stream: Any) -> dict[str, Any]:
    return {
        "encoding": getattr(stream, "encoding", None) or "utf-8",
        "errors": getattr(stream, "errors", None) or "strict",
        "line_buffering": bool(getattr(stream, "line_buffering", False)),
    }


def _wants_daemon(argv: list[str]) -> bool:
    if os.environ.get(DISABLE_ENV, "") not in ("", "0") or not supported():
        return False
    command = next((arg for arg in argv if not arg.startswith("-")), None)
    # The daemon's own commands always run here; so do bare --help and --version.
    return command is not None and command != "daemon"


def _warn(text: str) -> None:
    sys.stderr.write(f"ospo-scan: warning: {text}\n")
    sys.stderr.flush()


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
    sock = connect(path, timeout=10)
    if sock is None:
        return None  # a socket left by a daemon that was killed
    with sock:
        umask = os.umask(0o022)
        os.umask(umask)
        request = {
            "op": "run",
            "protocol": PROTOCOL,
            "build": build or build_identity(),
            "argv": ["ospo-scan", *argv],
            "cwd": cwd,
            "env": dict(os.environ),
            "umask": umask,
            "stdio": [_stream_spec(s) for s in (sys.stdin, sys.stdout, sys.stderr)],
        }
        try:
            send_message(sock, request, [0, 1, 2])
            reply, _ = receive_message(sock)
        except (OSError, ProtocolError):
            return None
        if "pid" not in reply:
            if reply.get("error") == "build":
                _warn(
                    f"the daemon (pid {reply.get('daemon_pid')}) runs another build of "
                    "ospo-scan or ScanCode; running here. `ospo-scan daemon start` replaces it."
                )
            return None
        return _relay(sock, int(reply["pid"]))


def _relay(sock: socket.socket, pid: int) -> int:
    """Forward signals to the forked command until it reports its exit code."""
    relayed: list[int] = []

    def forward(signum: int, _frame: object) -> None:
        relayed.append(signum)
        # The command leads its own process group, with its scan workers: like a terminal's
        # Ctrl-C, the signal reaches all of them.
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(pid, signum)

    for name in RELAYED_SIGNALS:
        signum = getattr(signal, name)
        # A signal this process ignores (``nohup``, a background job's Ctrl-C) stays ignored.
        if signal.getsignal(signum) is not signal.SIG_IGN:
            signal.signal(signum, forward)
    sock.settimeout(None)
    try:
        final, _ = receive_message(sock)
        return int(final["exit"])
    except (OSError, ProtocolError, KeyError, ValueError, TypeError):
        if relayed:
            # It died of the signal we passed on: so do we, as a command run here would.
            signal.signal(relayed[-1], signal.SIG_DFL)
            os.kill(os.getpid(), relayed[-1])
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
