# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""The command line: a thin Click layer over the core.

Each command parses its options, makes one core call that returns data, picks a formatter,
writes the output, and exits with the contract code: 0 success, 1 policy violations,
2 usage or configuration error, 130 interrupted. Data goes to stdout (or ``-o``), everything
else to stderr.

The group loads each command's module when that command runs (Click's lazy group pattern):
``ospo-scan scan`` never imports the policy machinery, ``check`` never the SBOM writers.
"""

from __future__ import annotations

import importlib
import os
import traceback
from pathlib import Path
from typing import Any

import click

from ospo_scan import __version__
from ospo_scan.cli._common import EXIT_INTERRUPTED, EXIT_OK, UsageFailure
from ospo_scan.cli._config import apply_config
from ospo_scan.engine import index
from ospo_scan.errors import OspoScanError
from ospo_scan.output import release_held_signals

#: Command name -> "module:attribute" of its Click command, imported when it runs.
COMMANDS = {
    "scan": "ospo_scan.cli.scan:scan_command",
    "check": "ospo_scan.cli.check:check_command",
    "sbom": "ospo_scan.cli.sbom:sbom_command",
    "notice": "ospo_scan.cli.notice:notice_command",
    "policy": "ospo_scan.cli.policy:policy_group",
    "config": "ospo_scan.cli.config:config_group",
    "cache": "ospo_scan.cli.cache:cache_group",
    "merge": "ospo_scan.cli.merge:merge_command",
    "daemon": "ospo_scan.cli.daemon:daemon_group",
    "version": "ospo_scan.cli.version:version_command",
}


class _Group(click.Group):
    """The root group: commands loaded on use, and the exit-code contract applied once.

    Click's documented ``LazyGroup`` pattern: a command's module (and what only it imports:
    policies, SBOM writers, rich's tables) is imported when that command runs or its help is
    shown. The project's exceptions become exit code 2 and one line, here at the edge.
    """

    def list_commands(self, ctx: click.Context) -> list[str]:
        """Every command, without importing any of them."""
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        """Import the command's module now."""
        target = COMMANDS.get(cmd_name)
        if target is None:
            return None
        module_name, _, attribute = target.partition(":")
        command = getattr(importlib.import_module(module_name), attribute)
        if not isinstance(command, click.Command):  # pragma: no cover - a wrong table entry
            raise TypeError(f"{target} is not a Click command")
        return command

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        """The command to run, with its configuration file's settings as its defaults.

        The settings go into ``ctx.default_map`` under the command's name, where Click looks
        for the defaults of the command's context: the command line still wins.
        """
        name, command, rest = super().resolve_command(ctx, args)
        if name is not None and command is not None and not ctx.resilient_parsing:
            applied = apply_config(ctx, name, command, rest)
            if applied is not None:
                ctx.default_map = {name: applied.default_map}
        return name, command, rest

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return self._invoke(ctx)
        finally:
            release_held_signals()

    def _invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except OspoScanError as exc:
            raise UsageFailure(str(exc)) from exc
        except KeyboardInterrupt:
            click.echo("ospo-scan: interrupted; nothing was written", err=True)
            ctx.exit(EXIT_INTERRUPTED)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except Exception as exc:
            # A bug of ours: say so in one line, keep the details for whoever reports it.
            if os.environ.get("OSPO_SCAN_DEBUG"):
                traceback.print_exc()
            raise UsageFailure(
                f"internal error: {type(exc).__name__}: {exc} "
                "(set OSPO_SCAN_DEBUG=1 for the traceback)"
            ) from exc


def _scan_version() -> str:
    return f"ospo-scan {__version__} (scancode-toolkit {index.scancode_version()})"


def _print_version(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    if not value or ctx.resilient_parsing:
        return
    click.echo(_scan_version())
    ctx.exit(EXIT_OK)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--version",
    is_flag=True,
    expose_value=False,
    is_eager=True,
    callback=_print_version,
    help="Show the versions of ospo-scan and scancode-toolkit and exit "
    "(`ospo-scan version --json` adds the license data's, as JSON).",
)
@click.option(
    "--config",
    "config_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Read the settings of scan, check, sbom and notice from FILE (YAML, or a pyproject.toml's "
    "[tool.ospo-scan] table). Default: .ospo-scan.yml or pyproject.toml in the scanned folder.",
)
@click.option(
    "--no-config",
    is_flag=True,
    help="Read no configuration file: only the command line and the defaults.",
)
def main(config_file: Path | None, no_config: bool) -> None:
    """ospo-scan: find the licenses and copyrights in a codebase, with ScanCode's engine.

    The settings of scan, check, sbom and notice come from the command line, else from
    .ospo-scan.yml (or [tool.ospo-scan] in pyproject.toml) in the scanned folder, else from
    the defaults: `ospo-scan config show` says which.

    Exit codes: 0 success, 1 policy violations, 2 usage or configuration error,
    130 interrupted.
    """
