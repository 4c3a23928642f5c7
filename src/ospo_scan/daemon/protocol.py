# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""What the ``ospo-scan`` client and the daemon share: where the socket is, who may use it,
what build answers, and the length-prefixed JSON messages with descriptors attached.

Every run of ``ospo-scan`` may read this module (:mod:`ospo_scan.launcher` asks whether a
daemon serves it), so it imports only cheap standard modules.
"""

import hashlib
import json
import os
import socket
import stat
import struct
import sys
from typing import Any

from ospo_scan.errors import ProtocolError

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
    # Every file of the ospo_scan package: this module is in its daemon/ folder.
    package = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
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
