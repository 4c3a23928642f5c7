# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""The daemon itself: load ScanCode once, then fork a process per command it is handed.

Loading ScanCode's license index takes seconds and its package handlers most of a second more,
in every process, even when only one file changed since the last scan. The daemon loads them
once, runs one small scan to finish ScanCode's lazy set-up, and listens on a Unix socket in a
private folder. For each command it forks (the fork shares the loaded index, as the scan's own
workers do), and the fork takes over the caller's standard streams, folder, environment, umask
and arguments and runs the command it was given (:func:`serve`'s ``run``, the ordinary command
line): the same code, options and caches as without the daemon, so the same findings, bytes
and exit code.

The daemon runs nothing but ``ospo-scan`` commands for its own user (checked on every
connection, and the folder is private), refuses clients of another build (they run the command
themselves), makes no network connection, and exits after an idle time (30 minutes by default).
"""

from __future__ import annotations

import atexit
import contextlib
import fcntl
import gc
import importlib
import io
import json
import os
import resource
import signal
import socket
import struct
import sys
import tempfile
import threading
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ospo_scan.daemon import control, protocol
from ospo_scan.engine import fast_licenses, index
from ospo_scan.errors import ProtocolError
from ospo_scan.scan.options import ScanOptions
from ospo_scan.scan.pipeline import scan

# --- the server ------------------------------------------------------------------------------


#: Runs one command line in the fork (see :func:`serve`).
Command = Callable[[list[str]], object]

#: The modules that commands import only when they run: imported once, for every fork.
_PRELOADED = (
    "concurrent.futures.process",
    "multiprocessing",
    "rich.console",
    "rich.progress",
)


def _warm_up(preload: tuple[str, ...]) -> None:
    """Import and initialise everything a command may use, once, before the first fork."""
    for module in (*_PRELOADED, *preload):
        importlib.import_module(module)
    index.load_index()
    index.license_index_identity()
    # A command alone builds the fast path's rule index (a second) only for many files; here
    # it is built once, so that a re-scan of one edited file takes the fast path too.
    fast_licenses.prepare_fast_path()
    fast_licenses.read_token_sets()
    # One real scan, without a cache, runs ScanCode's lazy set-up (copyright grammar, package
    # handlers, licensing) here rather than in every fork.
    with tempfile.TemporaryDirectory(prefix="ospo-scan-warm-up-") as folder:
        root = Path(folder)
        (root / "NOTICE.py").write_text(
            "# Copyright (c) 2026 Example Corp.\n# SPDX-License-Identifier: MIT\n", encoding="utf-8"
        )
        (root / "package.json").write_text(
            json.dumps({"name": "warm-up", "version": "1.0.0", "license": "MIT"}), encoding="utf-8"
        )
        scan(root, ScanOptions(jobs=1, cache_dir=None))
    # Everything loaded so far stays put: collections in the forks then skip it and leave its
    # memory pages shared.
    gc.collect()
    gc.freeze()


class _Server:
    def __init__(
        self,
        listener: socket.socket,
        lock: io.BufferedRandom,
        idle_seconds: float,
        build: str,
        index_stamp: str | None,
        run: Command,
    ) -> None:
        self.run = run
        self.listener = listener
        self.lock = lock
        self.idle_seconds = idle_seconds
        self.build = build
        self.index_stamp = index_stamp
        self.started = time.time()
        self.served = 0
        #: The commands running: their pid, and their caller's.
        self.children: dict[int, int] = {}
        #: Wait statuses of finished commands, for a caller that lost its connection.
        self.statuses: dict[int, int] = {}
        self.last_active = time.monotonic()
        self.stopping = False

    def serve(self) -> None:
        self.listener.settimeout(1.0)
        while not self.stopping:
            self._reap()
            try:
                sock, _ = self.listener.accept()
            except TimeoutError:
                if self.children:
                    self.last_active = time.monotonic()
                elif self.idle_seconds and time.monotonic() - self.last_active > self.idle_seconds:
                    return
                continue
            with sock:
                self._handle(protocol.Connection(sock))
            self.last_active = time.monotonic()

    def _reap(self) -> None:
        for pid, caller in list(self.children.items()):
            try:
                done, status = os.waitpid(pid, os.WNOHANG)
            except ChildProcessError:
                del self.children[pid]  # its outcome is unknown: nothing to report
                continue
            if done == 0:
                if not control.alive(caller):
                    _end_orphan(pid)
                continue
            del self.children[pid]
            self.statuses[pid] = status
        while len(self.statuses) > 256:
            del self.statuses[next(iter(self.statuses))]

    def _handle(self, conn: protocol.Connection) -> None:
        caller = _peer(conn.sock)
        if caller is None:
            return
        conn.sock.settimeout(10)  # a client that connects and says nothing does not hold us up
        try:
            message, fds = conn.receive(with_fds=True)
        except (OSError, ProtocolError, ValueError):
            return
        try:
            op = message.get("op")
            if op == "status":
                self._reply(conn, self._status(message))
            elif op == "stop":
                self.stopping = True
                self._reply(conn, {"stopping": True, "pid": os.getpid()})
            elif op == "reaped":
                self._reply(conn, {"status": self._wait_for(message.get("pid"))})
            elif op == "run" and len(fds) == 3:
                refusal = self._refusal(message)
                if refusal:
                    self._reply(conn, {"error": refusal, "daemon_pid": os.getpid()})
                else:
                    self._fork(conn, message, fds, caller)
            else:
                self._reply(conn, {"error": "request", "daemon_pid": os.getpid()})
        finally:
            for fd in fds:
                os.close(fd)

    def _refusal(self, message: dict[str, Any]) -> str | None:
        """Why this daemon must not run the command, or None."""
        if message.get("build") != self.build:
            return "build"
        # ``scancode-reindex-licenses`` rewrites the index file under the same install.
        if index.index_stamp() != self.index_stamp:
            return "build"
        if message.get("groups") != protocol.credentials():
            return "credentials"  # the files it may read would not be the caller's
        if _memory_limit_too_small(message):
            return "limits"
        return None

    def _wait_for(self, pid: object) -> int | None:
        if not isinstance(pid, int):
            return None
        deadline = time.monotonic() + 5
        while pid in self.children and time.monotonic() < deadline:
            self._reap()
            time.sleep(0.02)
        return self.statuses.pop(pid, None)

    def _status(self, message: dict[str, Any]) -> dict[str, Any]:
        self._reap()
        return {
            "pid": os.getpid(),
            "same_build": message.get("build") == self.build,
            "started": self.started,
            "served": self.served,
            "running": len(self.children),
            "idle_timeout": self.idle_seconds,
        }

    @staticmethod
    def _reply(conn: protocol.Connection, message: dict[str, Any]) -> None:
        with contextlib.suppress(OSError):
            conn.send(message)

    def _fork(
        self, conn: protocol.Connection, message: dict[str, Any], fds: list[int], caller: int
    ) -> None:
        # Nothing of the daemon's own output may be flushed later onto the caller's streams.
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(Exception):
                stream.flush()
        try:
            pid = os.fork()
        except OSError as exc:  # out of memory or processes: the caller runs it alone
            print(f"ospo-scan daemon: cannot fork: {exc}", file=sys.stderr, flush=True)
            self._reply(conn, {"error": "fork", "daemon_pid": os.getpid()})
            return
        if pid == 0:
            code = 2
            try:
                # The fork must not keep the daemon's socket or lock alive after the daemon.
                self.listener.close()
                self.lock.close()
                code = _run_command(conn, message, fds, self.run)
            finally:
                os._exit(code)
        self.children[pid] = caller
        self.served += 1


def _peer(sock: socket.socket) -> int | None:
    """The pid of the process at the other end, when it is this user's; else None."""
    credentials = sock.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, struct.calcsize("3i"))
    pid, uid, _gid = struct.unpack("3i", credentials)
    return int(pid) if uid == os.getuid() else None


def _end_orphan(pid: int) -> None:
    """End a command whose caller is gone (killed outright, even while the command was
    stopped by its Ctrl-Z): nobody would see its output, and a stopped one would stay."""
    for signum in (signal.SIGTERM, signal.SIGCONT):
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(pid, signum)


def _text_stream(fd: int, writing: bool, spec: dict[str, Any]) -> io.TextIOWrapper:
    binary: Any = open(fd, "wb" if writing else "rb", closefd=False)  # noqa: SIM115 -- a descriptor
    return io.TextIOWrapper(
        binary,
        encoding=spec.get("encoding") or "utf-8",
        errors=spec.get("errors") or "strict",
        line_buffering=bool(spec.get("line_buffering")),
    )


def _take_on_attributes(message: dict[str, Any]) -> None:
    """The caller's CPU set, niceness and limits, as far as this process may take them."""
    affinity = message.get("affinity")
    if affinity and hasattr(os, "sched_setaffinity"):
        with contextlib.suppress(OSError, ValueError):
            os.sched_setaffinity(0, affinity)
    with contextlib.suppress(OSError, TypeError, ValueError):
        os.setpriority(os.PRIO_PROCESS, 0, int(message["nice"]))
    for name, (wanted_soft, wanted_hard) in (message.get("rlimits") or {}).items():
        if name in protocol.RLIMITS and hasattr(resource, name):
            which = getattr(resource, name)
            # No process may raise its hard limit: take the caller's as far as ours goes.
            _soft, own_hard = resource.getrlimit(which)
            hard = wanted_hard if _limit(wanted_hard) <= _limit(own_hard) else own_hard
            soft = wanted_soft if _limit(wanted_soft) <= _limit(hard) else hard
            with contextlib.suppress(OSError, ValueError):
                resource.setrlimit(which, (soft, hard))


def _limit(value: int) -> float:
    return float("inf") if value == resource.RLIM_INFINITY else float(value)


def _memory_limit_too_small(message: dict[str, Any]) -> bool:
    """True when the caller's address-space limit is below what this fork starts with (the
    loaded index): the command would fail here, where alone it may load less."""
    limits = message.get("rlimits") or {}
    try:
        text = Path("/proc/self/status").read_text(encoding="ascii")
        size = next(
            int(line.split()[1]) * 1024 for line in text.splitlines() if line.startswith("VmSize:")
        )
    except (OSError, StopIteration, ValueError):
        return False
    return any(
        _limit(limits[name][0]) < size for name in ("RLIMIT_AS", "RLIMIT_DATA") if name in limits
    )


def _watch_caller(conn: protocol.Connection) -> None:
    """End the command when its caller goes away (killed, or gave up waiting): nobody would
    see its output or exit code."""

    def watch() -> None:
        with contextlib.suppress(OSError):
            while conn.sock.recv(4096):
                pass
        with contextlib.suppress(OSError):
            os.killpg(0, signal.SIGTERM)

    threading.Thread(target=watch, name="ospo-scan-caller", daemon=True).start()


def _run_command(
    conn: protocol.Connection, message: dict[str, Any], fds: list[int], run: Command
) -> int:
    """In the fork: become the caller's process, run the command line, report its exit code."""
    signal.signal(signal.SIGINT, signal.default_int_handler)
    for name in ("SIGTERM", "SIGHUP", "SIGQUIT", "SIGCHLD"):
        signal.signal(getattr(signal, name), signal.SIG_DFL)
    for target, fd in enumerate(fds):
        os.dup2(fd, target)
    for fd in fds:
        os.close(fd)
    fds.clear()  # closed: the daemon's loop must not close them again (it never returns here)
    specs = message.get("stdio") or [{}, {}, {}]
    sys.stdin = _text_stream(0, False, specs[0])
    sys.stdout = _text_stream(1, True, specs[1])
    sys.stderr = _text_stream(2, True, specs[2])
    # Libraries that write to the interpreter's original streams reach the caller too.
    sys.__stdin__, sys.__stdout__, sys.__stderr__ = sys.stdin, sys.stdout, sys.stderr  # type: ignore[misc]
    os.environ.clear()
    os.environ.update(message["env"])
    # State the daemon derived from its own environment: the temporary folder, the time zone.
    tempfile.tempdir = None
    time.tzset()
    os.umask(int(message["umask"]))
    sys.argv = list(message["argv"])
    _take_on_attributes(message)
    # Its own process group, which its scan workers join: the caller signals them all. The
    # workers must not hold the caller's connection, or the caller would wait on them.
    os.setpgid(0, 0)
    os.register_at_fork(after_in_child=conn.close)
    try:
        conn.sock.settimeout(None)
        conn.send({"pid": os.getpid()})
    except OSError:
        return 2  # the caller gave up waiting and runs the command itself
    code = 2
    try:
        _watch_caller(conn)
        os.chdir(message["cwd"])
        code = _invoke(run, sys.argv[1:])
    except BaseException:  # noqa: BLE001 -- whatever happens, the caller gets an exit code
        traceback.print_exc()
    finally:
        # What the interpreter does at exit (as multiprocessing's forked processes do too):
        # join non-daemon threads, such as a process pool's manager, then the exit handlers.
        # Then the exit code for the caller.
        with contextlib.suppress(BaseException):
            threading._shutdown()  # type: ignore[attr-defined]
        with contextlib.suppress(BaseException):
            atexit._run_exitfuncs()
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(Exception):
                stream.flush()
        with contextlib.suppress(OSError):
            conn.send({"exit": code})
    return code


def _invoke(run: Command, args: list[str]) -> int:
    try:
        run(args)
    except SystemExit as exc:
        if exc.code is None:
            return 0
        if isinstance(exc.code, int):
            return exc.code
        print(exc.code, file=sys.stderr)  # what the interpreter would print
        return 1
    return 0


def serve(
    run: Command,
    idle_minutes: float = control.DEFAULT_IDLE_MINUTES,
    preload: tuple[str, ...] = (),
) -> int:
    """Run the daemon in this process until it is stopped or idle; the process's exit code.

    ``run`` runs one command line (the arguments after ``ospo-scan``) in the fork that takes
    the caller's place, and ends with ``SystemExit`` or returns for exit code 0: the command
    line itself, handed in by ``ospo-scan daemon start`` so that this package needs no import
    of the CLI above it. ``preload`` names the modules of the commands ``run`` may import
    (imported once here, not in every fork).
    """
    control.ensure_runtime_dir()
    sock_path, lock_path, _log = control.paths()
    lock = open(lock_path, "a+b")  # noqa: PTH123, SIM115 -- held for the daemon's life
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        print("ospo-scan: another daemon is running or starting", file=sys.stderr)
        return control.ALREADY_RUNNING
    started = time.monotonic()
    _warm_up(preload)
    build = protocol.build_identity()
    index_stamp = index.index_stamp()
    # We hold the lock: a socket file here was left by a daemon that died.
    with contextlib.suppress(FileNotFoundError):
        Path(sock_path).unlink()
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    old_umask = os.umask(0o177)
    try:
        listener.bind(sock_path)
    finally:
        os.umask(old_umask)
    listener.listen(16)
    bound = Path(sock_path).stat().st_ino

    def terminate(_signum: int, _frame: object) -> None:
        raise SystemExit(0)

    signal.signal(signal.SIGTERM, terminate)
    signal.signal(signal.SIGHUP, terminate)
    print(  # the daemon's log
        f"ospo-scan daemon {os.getpid()} ready on {sock_path} after "
        f"{time.monotonic() - started:.1f} s",
        file=sys.stderr,
        flush=True,
    )
    try:
        _Server(listener, lock, idle_minutes * 60, build, index_stamp, run).serve()
    except KeyboardInterrupt:
        pass
    finally:
        listener.close()
        with contextlib.suppress(OSError):
            if Path(sock_path).stat().st_ino == bound:
                Path(sock_path).unlink()
        lock.close()
    return 0
