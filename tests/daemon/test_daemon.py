# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""The daemon: a real one, started as a user would, serving real commands in subprocesses.

Every command it serves must behave as the same command run alone: the same bytes on stdout,
the same files, the same exit code, the caller's folder, environment and signals.
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import ospo_scan
from ospo_scan.daemon import client, protocol
from policy_helpers import FAKE_REPO

SHIPPED = Path(ospo_scan.__file__).parent / "policies"


pytestmark = pytest.mark.skipif(
    not protocol.supported(), reason="the daemon needs Linux: fork, SCM_RIGHTS and SO_PEERCRED"
)

OSPO = [sys.executable, "-m", "ospo_scan"]


def _run(args: list[str], env: dict[str, str], **options: Any) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*OSPO, *args], env=env, capture_output=True, text=True, check=False, timeout=300, **options
    )


def _status(env: dict[str, str]) -> dict[str, Any]:
    done = _run(["daemon", "status", "--json"], env)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)  # type: ignore[no-any-return]


def _start(env: dict[str, str]) -> None:
    done = _run(["daemon", "start", "--idle-minutes", "10"], env)
    assert done.returncode == 0, done.stderr
    assert "daemon started" in done.stderr


def _stop(env: dict[str, str]) -> None:
    status = _status(env)
    _run(["daemon", "stop"], env)
    if status.get("pid"):
        # Whatever happened in the test, no daemon outlives it.
        with contextlib.suppress(ProcessLookupError):
            os.kill(status["pid"], signal.SIGKILL)


@pytest.fixture(scope="module")
def daemon_env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """The environment of a caller whose commands reach one running daemon."""
    env = dict(os.environ)
    env.pop(protocol.DISABLE_ENV, None)
    env["OSPO_SCAN_RUNTIME_DIR"] = str(tmp_path_factory.mktemp("daemon"))
    env["OSPO_SCAN_CACHE_DIR"] = str(tmp_path_factory.mktemp("daemon-cache"))
    _start(env)
    yield env
    _stop(env)


def _alone(env: dict[str, str]) -> dict[str, str]:
    return {**env, protocol.DISABLE_ENV: "1"}


def _comparable(document: dict[str, Any]) -> dict[str, Any]:
    for key in ("started_at", "finished_at", "elapsed_seconds"):
        document["scan"].pop(key, None)
        document["summary"].pop(key, None)
    return document


def test_a_scan_served_by_the_daemon_equals_the_scan_run_alone(
    daemon_env: dict[str, str], fake_repo: Path
) -> None:
    served = _status(daemon_env)["commands_served"]
    through = _run(["scan", "-f", "json", "--no-cache", str(fake_repo)], daemon_env)
    alone = _run(["scan", "-f", "json", "--no-cache", str(fake_repo)], _alone(daemon_env))
    assert through.returncode == alone.returncode == 0, through.stderr
    assert _status(daemon_env)["commands_served"] == served + 1
    # Data on stdout, the summary on stderr, in both.
    assert _comparable(json.loads(through.stdout)) == _comparable(json.loads(alone.stdout))
    assert "files" in through.stderr
    assert through.stderr.count("\n") == alone.stderr.count("\n")


def test_exit_codes_are_the_commands_own(daemon_env: dict[str, str], tmp_path: Path) -> None:
    compliant = tmp_path / "compliant"
    compliant.mkdir()
    (compliant / "a.py").write_text("# SPDX-License-Identifier: MIT\n", encoding="utf-8")
    denied = tmp_path / "denied"
    denied.mkdir()
    (denied / "b.c").write_text("// SPDX-License-Identifier: AGPL-3.0-only\n", encoding="utf-8")
    served = _status(daemon_env)["commands_served"]
    assert _run(["check", str(compliant)], daemon_env).returncode == 0
    violations = _run(["check", "-f", "json", str(denied)], daemon_env)
    assert violations.returncode == 1
    verdicts = {f["path"]: f["verdict"] for f in json.loads(violations.stdout)["findings"]}
    assert verdicts["b.c"] == "deny"
    usage = _run(["scan", "--jobs", "many", str(compliant)], daemon_env)
    assert usage.returncode == 2
    assert "--jobs" in usage.stderr
    missing = _run(["check", "--policy", str(tmp_path / "nope.yml"), str(compliant)], daemon_env)
    assert missing.returncode == 2
    assert _status(daemon_env)["commands_served"] == served + 4


def test_the_callers_folder_environment_and_umask(
    daemon_env: dict[str, str], tmp_path: Path
) -> None:
    tree = tmp_path / "tree"
    tree.mkdir()
    (tree / "a.py").write_text("# SPDX-License-Identifier: Apache-2.0\n", encoding="utf-8")
    cache = tmp_path / "callers-cache"
    env = {**daemon_env, "OSPO_SCAN_CACHE_DIR": str(cache)}
    served = _status(daemon_env)["commands_served"]
    done = _run(
        ["scan", "-q", "-f", "json", "-o", "out.json", "."],
        env,
        cwd=tree,
        preexec_fn=lambda: os.umask(0o077),
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == done.stderr == ""
    out = tree / "out.json"
    assert json.loads(out.read_text(encoding="utf-8"))["files"][0]["path"] == "a.py"
    assert out.stat().st_mode & 0o777 == 0o600  # the caller's umask, not the daemon's
    assert cache.is_dir()  # the caller's cache folder, from the caller's environment
    assert _status(daemon_env)["commands_served"] == served + 1


def test_standard_input_is_the_callers(daemon_env: dict[str, str], tmp_path: Path) -> None:
    """``/dev/stdin`` in the command is the caller's standard input (here a policy file)."""
    policy = tmp_path / "policy.yml"
    policy.write_text(
        (SHIPPED / "permissive-only.yml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    served = _status(daemon_env)["commands_served"]
    with policy.open(encoding="utf-8") as stdin:
        done = _run(["policy", "validate", "/dev/stdin"], daemon_env, stdin=stdin)
    assert done.returncode == 0, done.stderr
    assert "/dev/stdin" in done.stdout + done.stderr
    assert "warning" not in done.stderr
    assert _status(daemon_env)["commands_served"] == served + 1


def test_other_descriptors_of_the_caller_make_the_command_run_alone(
    daemon_env: dict[str, str], tmp_path: Path
) -> None:
    """Only the standard streams are passed on: ``--policy /dev/fd/3`` runs in the caller."""
    policy = tmp_path / "policy.yml"
    policy.write_text((SHIPPED / "default.yml").read_text(encoding="utf-8"), encoding="utf-8")
    served = _status(daemon_env)["commands_served"]
    with policy.open(encoding="utf-8") as extra:
        fd = extra.fileno()
        done = _run(["policy", "validate", f"/dev/fd/{fd}"], daemon_env, pass_fds=(fd,))
    assert done.returncode == 0, done.stderr
    assert _status(daemon_env)["commands_served"] == served


def test_quick_commands_report_their_exit_code(daemon_env: dict[str, str]) -> None:
    """The command may send its pid and its exit code before the caller reads either."""
    served = _status(daemon_env)["commands_served"]
    for _ in range(10):
        listed = _run(["policy", "list"], daemon_env)
        assert listed.returncode == 0, listed.stderr
        assert "default" in listed.stdout
        helped = _run(["scan", "--help"], daemon_env)
        assert helped.returncode == 0, helped.stderr
    assert _status(daemon_env)["commands_served"] == served + 20


def _long_command(daemon_env: dict[str, str], tmp_path: Path) -> subprocess.Popen[str]:
    """A scan of megabytes of shuffled license words: minutes of matching, so still running
    when the test signals it."""
    words = (FAKE_REPO / "LICENSE-MIT").read_text(encoding="utf-8").split()
    shuffle = random.Random(1)  # noqa: S311 -- test data, not secrets
    text = "\n".join(" ".join(shuffle.choice(words) for _ in range(12)) for _ in range(60_000))
    (tmp_path / "words.txt").write_text(text, encoding="utf-8")
    before = _status(daemon_env)["commands_served"]
    process = subprocess.Popen(
        [*OSPO, "scan", "--no-cache", "--jobs", "1", "-q", "-o", "out.json", str(tmp_path)],
        cwd=tmp_path,
        env=daemon_env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 60
    while _status(daemon_env)["commands_served"] == before:
        assert time.monotonic() < deadline, "the daemon never took the command"
        time.sleep(0.05)
    time.sleep(1.0)  # past the hand-over, into the matching
    return process


def _wait_until_idle(daemon_env: dict[str, str]) -> None:
    deadline = time.monotonic() + 30
    while _status(daemon_env)["commands_running"]:
        assert time.monotonic() < deadline, "the command's process outlived its caller"
        time.sleep(0.05)


def test_ctrl_c_reaches_the_command(daemon_env: dict[str, str], tmp_path: Path) -> None:
    process = _long_command(daemon_env, tmp_path)
    process.send_signal(signal.SIGINT)
    _out, err = process.communicate(timeout=60)
    assert process.returncode == 130, err
    assert "interrupted" in err
    assert not (tmp_path / "out.json").exists()
    _wait_until_idle(daemon_env)


def test_a_terminated_caller_takes_its_command_along(
    daemon_env: dict[str, str], tmp_path: Path
) -> None:
    process = _long_command(daemon_env, tmp_path)
    process.send_signal(signal.SIGTERM)
    process.communicate(timeout=60)
    assert process.returncode == -signal.SIGTERM
    _wait_until_idle(daemon_env)


def _command_pids(daemon_pid: int) -> list[int]:
    """The daemon's children: the processes running commands."""
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text(encoding="ascii")
            except OSError:
                continue
            state, parent = stat.rsplit(")", 1)[1].split()[:2]
            if int(parent) == daemon_pid and state != "Z":
                pids.append(int(entry.name))
    return pids


def test_a_killed_caller_takes_its_command_along(
    daemon_env: dict[str, str], tmp_path: Path
) -> None:
    """SIGKILL cannot be relayed: the command sees its caller's connection close."""
    process = _long_command(daemon_env, tmp_path)
    process.kill()
    process.communicate(timeout=60)
    _wait_until_idle(daemon_env)


def test_a_command_killed_by_a_signal_ends_its_caller_the_same_way(
    daemon_env: dict[str, str], tmp_path: Path
) -> None:
    """Killed outright (the OOM killer, kill -9), the command cannot report: its caller dies of
    the same signal, as a shell would show for the command run alone (exit status 137)."""
    process = _long_command(daemon_env, tmp_path)
    (pid,) = _command_pids(_status(daemon_env)["pid"])
    os.kill(pid, signal.SIGKILL)
    process.communicate(timeout=60)
    assert process.returncode == -signal.SIGKILL
    _wait_until_idle(daemon_env)


def test_a_command_stopped_by_ctrl_z_ends_when_its_caller_is_killed(
    daemon_env: dict[str, str], tmp_path: Path
) -> None:
    """Ctrl-Z stops the command's group; if the caller is then killed outright, the stopped
    command cannot notice: the daemon ends it (SIGTERM, then SIGCONT)."""
    process = _long_command(daemon_env, tmp_path)
    (pid,) = _command_pids(_status(daemon_env)["pid"])
    os.killpg(pid, signal.SIGSTOP)  # what the caller relays for Ctrl-Z
    process.kill()
    process.communicate(timeout=60)
    _wait_until_idle(daemon_env)


def test_a_caller_whose_memory_limit_is_below_the_daemons_runs_alone(
    daemon_env: dict[str, str],
) -> None:
    import resource  # noqa: PLC0415

    # Below the daemon's address space (its license index alone is about 0.6 GB), above
    # what `policy list` needs when it runs in the caller's own process.
    def limit_memory() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (512 * 1024**2, 512 * 1024**2))

    served = _status(daemon_env)["commands_served"]
    done = _run(["policy", "list"], daemon_env, preexec_fn=limit_memory)
    assert done.returncode == 0, done.stderr
    assert "ulimit -v" in done.stderr
    assert _status(daemon_env)["commands_served"] == served


def test_two_messages_read_in_one_go_are_both_kept() -> None:
    """The command may send its pid and its exit code before the caller reads either."""
    left, right = socket.socketpair()
    with left, right:
        sender, receiver = protocol.Connection(left), protocol.Connection(right)
        sender.send({"pid": 7})
        sender.send({"exit": 1})
        time.sleep(0.05)  # both are in the receiver's buffer before it reads
        assert receiver.receive()[0] == {"pid": 7}
        assert receiver.receive()[0] == {"exit": 1}


def test_a_caller_of_another_build_runs_the_command_itself(
    daemon_env: dict[str, str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("OSPO_SCAN_RUNTIME_DIR", daemon_env["OSPO_SCAN_RUNTIME_DIR"])
    served = _status(daemon_env)["commands_served"]
    assert client.run_in_daemon(["scan", "."], build="another build") is None
    assert "runs another build" in capsys.readouterr().err
    assert _status(daemon_env)["commands_served"] == served


def test_daemon_status_names_this_build(daemon_env: dict[str, str]) -> None:
    status = _status(daemon_env)
    assert status["running"] is True
    assert status["same_build"] is True
    assert status["rss_bytes"] > 100 * 1024 * 1024  # it holds the license index
    again = _run(["daemon", "start"], daemon_env)
    assert again.returncode == 0
    assert f"already running, pid {status['pid']}" in again.stderr


def test_stop_then_a_stale_socket_runs_commands_alone(
    tmp_path_factory: pytest.TempPathFactory, tmp_path: Path
) -> None:
    env = dict(os.environ)
    env["OSPO_SCAN_RUNTIME_DIR"] = str(tmp_path_factory.mktemp("stale"))
    _start(env)
    try:
        pid = _status(env)["pid"]
        stopped = _run(["daemon", "stop"], env)
        assert stopped.returncode == 0
        assert f"stopped the daemon (pid {pid})" in stopped.stderr
        assert _status(env) == {"running": False, "socket": _status(env)["socket"]}
        assert not Path(_status(env)["socket"]).exists()
    finally:
        _stop(env)
    # A daemon killed outright leaves its socket: nobody listens, commands run alone.
    stale = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    stale.bind(_status(env)["socket"])
    stale.close()
    (tmp_path / "a.py").write_text("# SPDX-License-Identifier: MIT\n", encoding="utf-8")
    done = _run(["scan", "-q", "-f", "json", str(tmp_path)], env)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["files"][0]["license_expression_spdx"] == "MIT"
    assert done.stderr == ""


def test_a_folder_others_can_write_is_refused(tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o777)
    env = {**os.environ, "OSPO_SCAN_RUNTIME_DIR": str(shared)}
    refused = _run(["daemon", "start"], env)
    assert refused.returncode == 2
    assert "open to other users" in refused.stderr
    # A socket someone put there is not used either: the command runs alone, and says why.
    planted = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    planted.bind(str(shared / Path(protocol.socket_path()).name))
    planted.listen(1)
    with planted:
        (tmp_path / "a.py").write_text("# SPDX-License-Identifier: MIT\n", encoding="utf-8")
        done = _run(["scan", "-q", "-f", "json", str(tmp_path / "a.py")], env)
    assert done.returncode == 0, done.stderr
    assert "not using the daemon" in done.stderr
    assert json.loads(done.stdout)["files"][0]["license_expression_spdx"] == "MIT"


def test_without_a_daemon_the_launcher_touches_nothing(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("OSPO_SCAN_RUNTIME_DIR", str(tmp_path))
    assert client.run_in_daemon(["scan", "."]) is None
    assert not list(tmp_path.iterdir())  # nothing created, nothing else looked at


@pytest.mark.parametrize(
    ("argv", "wanted"),
    [
        (["scan", "."], True),
        (["-h"], False),
        (["--version"], False),
        (["version", "--json"], False),
        (["daemon", "status"], False),
        (["cache", "info"], True),
    ],
)
def test_which_commands_go_to_the_daemon(
    argv: list[str], wanted: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert client.wants_daemon(argv) is wanted
    monkeypatch.setenv(protocol.DISABLE_ENV, "1")
    assert client.wants_daemon(argv) is False


def test_the_build_identity_covers_what_is_read_at_start_up(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    first = protocol.build_identity()
    assert protocol.build_identity() == first
    monkeypatch.setenv("SCANCODE_TEMP", "/elsewhere")
    second = protocol.build_identity()
    assert second != first
    monkeypatch.setenv("TMPDIR", "/somewhere-else")
    assert protocol.build_identity() != second
