# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""``ospo-scan merge``: the parts of a sharded scan into the one result of the tree."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ospo_scan.cli._common import (
    UsageFailure,
    emit,
    format_option,
    output_option,
    policy_option,
    quiet_option,
    warnings_to,
    write_output,
)
from ospo_scan.cli._console import console, stderr_console, text_width
from ospo_scan.document import load_result
from ospo_scan.evaluate.inventory import build_inventory
from ospo_scan.formats import registry
from ospo_scan.formats.base import Output
from ospo_scan.formats.inventory_table import InventoryTable
from ospo_scan.output import check_writable
from ospo_scan.policy.load import load_policy
from ospo_scan.scan.merge import merge
from ospo_scan.scan.shards import load_part


@click.command("merge")
@click.argument(
    "parts",
    nargs=-1,
    required=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
)
@format_option(Output.SCAN, "Output")
@output_option("the merged result")
@click.option(
    "--root",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Where the scanned tree is now, when not at the parts' root (the datafiles are read "
    "again for the line that names each package).",
)
@click.option(
    "--inventory",
    is_flag=True,
    help="The FILES are results of different repositories: write one fleet inventory "
    "(per repository its packages, licenses and verdicts; each package with the repositories "
    "that use it). `check` on it judges every repository.",
)
@policy_option("With --inventory: the policy behind each repository's verdict counts.")
@quiet_option
def merge_command(
    parts: tuple[Path, ...],
    format_name: str | None,
    output: Path | None,
    root: Path | None,
    inventory: bool,
    policy_name: str,
    quiet: bool,
) -> None:
    """Merge the parts that `scan --shard K/N` wrote into the result of the whole tree.

    The parts must come from the same tree, options and engine, and shards 1 to N must each
    be there once; otherwise nothing is written and the exit code is 2, with the part named.
    Packages are assembled and references followed across the parts: the result is the one
    a single scan gives, its times and its `shards` section aside. `check` and `sbom` take
    it as any saved result.
    """
    if output is not None:
        check_writable(output)
    err = stderr_console()
    if inventory:
        _write_inventory(parts, policy_name, format_name, output, root)
        return
    loaded = [(path, load_part(path)) for path in parts]
    with warnings_to(err):
        result = merge(loaded, root)
    _, seen_on_terminal = write_output(Output.SCAN, format_name, result, output)
    if not quiet and not seen_on_terminal:
        s = result.summary
        err.print(
            f"ospo-scan: merged {len(loaded)} parts: {s.files} files, "
            f"{s.files_with_licenses} with licenses, {s.packages} packages, "
            f"{s.dependencies} dependencies",
            markup=False,
        )


def _write_inventory(
    files: tuple[Path, ...],
    policy_name: str,
    format_name: str | None,
    output: Path | None,
    root: Path | None,
) -> None:
    """``merge --inventory``: the results of several repositories as one inventory."""
    if root is not None:
        raise UsageFailure("--root is for the parts of one tree, not with --inventory")
    policy = load_policy(policy_name)
    results = [(path, load_result(path)) for path in files]
    document = build_inventory(results, policy, policy_name)
    to_terminal = output is None and sys.stdout.isatty()
    name = registry.choose(Output.SCAN, format_name, output, to_terminal=to_terminal)
    if name == "table":
        out = console()
        emit(
            InventoryTable().render(document, width=text_width(out, to_terminal=to_terminal)),
            output,
        )
        return
    write_output(Output.SCAN, name, document, output)
