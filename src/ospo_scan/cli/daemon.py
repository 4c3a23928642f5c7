# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""``ospo-scan daemon``: keep ScanCode loaded between commands."""

from __future__ import annotations

import json
import sys
import time
from typing import Any

import click

from ospo_scan.cli.main import COMMANDS, main
from ospo_scan.daemon import control, protocol
from ospo_scan.formats import registry


@click.group("daemon")
def daemon_group() -> None:
    """Keep ScanCode loaded between commands, so a re-scan after an edit takes a moment.

    Loading ScanCode's license index and package handlers takes seconds in every process. A
    running daemon holds them (about 1.2 GB of memory); every `ospo-scan` command of this
    user and Python environment is then forked from it and runs as it would alone: same
    options, files, caches, output and exit code. Set OSPO_SCAN_NO_DAEMON=1 to bypass it.
    """


@daemon_group.command("start")
@click.option(
    "--idle-minutes",
    type=click.FloatRange(min=0),
    default=control.DEFAULT_IDLE_MINUTES,
    show_default=True,
    help="Exit after this many minutes without a command (0: never).",
)
@click.option(
    "--foreground",
    is_flag=True,
    help="Run the daemon in this process (for a service manager) instead of in the background.",
)
def daemon_start_command(idle_minutes: float, foreground: bool) -> None:
    """Start the daemon in the background (it replaces one of another build)."""
    if foreground:
        # The server is imported only here: it preloads everything a command may use.
        from ospo_scan.daemon import server  # noqa: PLC0415

        # Every command's module and every format's, and the SBOM writers they load late.
        targets = [*COMMANDS.values(), *(spec.target for spec in registry.FORMATS)]
        modules = [target.partition(":")[0] for target in targets]
        modules += ["ospo_scan.sbom.spdx", "ospo_scan.sbom.cyclonedx"]
        preload = tuple(dict.fromkeys(modules))
        sys.exit(server.serve(_run_command_line, idle_minutes, preload=preload))
    click.echo("ospo-scan: starting the daemon (loading ScanCode) ...", err=True)
    current, started = control.start(idle_minutes)
    verb = "started" if started else "already running"
    click.echo(f"ospo-scan: daemon {verb}, pid {current.pid}, socket {current.socket}", err=True)


@daemon_group.command("stop")
def daemon_stop_command() -> None:
    """Stop the daemon (commands it is running go on to the end)."""
    pid = control.stop()
    message = "no daemon is running" if pid is None else f"stopped the daemon (pid {pid})"
    click.echo(f"ospo-scan: {message}", err=True)


@daemon_group.command("status")
@click.option("--json", "as_json", is_flag=True, help="Print the status as JSON.")
def daemon_status_command(as_json: bool) -> None:
    """Show whether a daemon runs for this environment, and what it has done."""
    current = control.status()
    if as_json:
        data: dict[str, Any] = {"running": current is not None, "socket": protocol.socket_path()}
        if current is not None:
            data.update(
                pid=current.pid,
                same_build=current.same_build,
                uptime_seconds=round(time.time() - current.started, 1),
                commands_served=current.served,
                commands_running=current.running,
                idle_timeout_seconds=current.idle_timeout,
                rss_bytes=current.rss_bytes,
            )
        click.echo(json.dumps(data, indent=2))
        return
    if current is None:
        click.echo(f"daemon: not running (socket {protocol.socket_path()})")
        return
    build = "this build" if current.same_build else "another build (restart: `daemon start`)"
    rss = current.rss_bytes
    click.echo(f"daemon: running, pid {current.pid}, {build}")
    click.echo(f"socket: {current.socket}")
    click.echo(f"uptime: {time.time() - current.started:.0f} s")
    click.echo(f"commands: {current.served} served, {current.running} running")
    idle = current.idle_timeout / 60
    click.echo(f"idle timeout: {f'{idle:g} min' if idle else 'none'}")
    if rss is not None:
        click.echo(f"memory: {rss / (1024 * 1024):.0f} MiB resident")


def _run_command_line(args: list[str]) -> None:
    """What the daemon runs in each fork: the command line, as ``ospo-scan ARGS`` would."""
    main(args=args, prog_name="ospo-scan")
