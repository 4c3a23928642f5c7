# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""``ospo-scan config``: the effective settings and where they came from; the JSON Schemas."""

from __future__ import annotations

import click

from ospo_scan.cli._common import UsageFailure, format_option, write_output
from ospo_scan.cli._config import CONFIGURED, all_keys, effective
from ospo_scan.config.schema import config_schema, curations_schema, policy_schema, to_text
from ospo_scan.formats.base import Output


@click.group("config")
def config_group() -> None:
    """Show the settings that scan, check, sbom and notice run with; print the JSON Schemas."""


@config_group.command(
    "show",
    context_settings={"ignore_unknown_options": True, "allow_interspersed_args": False},
)
@format_option(Output.CONFIG, "Output")
@click.argument("args", nargs=-1, type=click.UNPROCESSED, metavar="[PATH | COMMAND [ARGS]...]")
def config_show(format_name: str | None, args: tuple[str, ...]) -> None:
    """Show the effective settings of scan, check, sbom and notice, and where each came from.

    With PATH (default: the current folder), the settings of each command for that folder:
    from the configuration file found there (file and line), the environment, or the
    defaults. With a command line (`config show check --fail-on review .`), the settings of
    that command line, whose own options win. Exit 2 if the configuration is invalid.
    """
    if args and args[0] in CONFIGURED:
        lines = [(args[0], list(args[1:]))]
    elif len(args) > 1:
        raise UsageFailure(
            f"config show takes one PATH or a command line ({', '.join(CONFIGURED)} with its "
            "options); to show a folder named like a command, write ./NAME"
        )
    else:
        lines = [(name, list(args)) for name in CONFIGURED]
    write_output(Output.CONFIG, format_name, effective(click.get_current_context(), lines), None)


@config_group.command("schema")
@click.argument("which", type=click.Choice(["config", "policy", "curations"]), default="config")
def config_schema_command(which: str) -> None:
    """Print the JSON Schema of the configuration file (default), of a policy file or of a
    curations file (--curations).

    The same schemas ship in the package, in ospo_scan/schemas/: point an editor at them to
    complete and check .ospo-scan.yml, policy and curations files as you type.
    """
    if which == "config":
        schema = config_schema(all_keys(click.get_current_context()))
    elif which == "curations":
        schema = curations_schema()
    else:
        schema = policy_schema()
    click.echo(to_text(schema), nl=False)
