# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""``ospo-scan merge``: the parts of a sharded scan into the one result of the tree."""

from __future__ import annotations

from pathlib import Path

import click

from ospo_scan.cli._common import (
    format_option,
    output_option,
    quiet_option,
    warnings_to,
    write_output,
)
from ospo_scan.cli._console import stderr_console
from ospo_scan.formats.base import Output
from ospo_scan.output import check_writable
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
@quiet_option
def merge_command(
    parts: tuple[Path, ...],
    format_name: str | None,
    output: Path | None,
    root: Path | None,
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
