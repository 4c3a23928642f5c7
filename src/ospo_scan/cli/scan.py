# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""``ospo-scan scan``: the findings of every file, package and dependency."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from ospo_scan.cli._common import (
    UsageFailure,
    emit,
    format_option,
    output_option,
    path_argument,
    quiet_option,
    run_scan,
    scan_options,
    warnings_to,
    write_output,
)
from ospo_scan.cli._console import ProgressBar, show_progress, stderr_console
from ospo_scan.formats.base import Output
from ospo_scan.output import check_writable
from ospo_scan.scan.options import ScanOptions
from ospo_scan.scan.shards import Shard, scan_shard
from ospo_scan.scan.walk import excluded

if TYPE_CHECKING:
    from rich.console import Console


def _keep_shard(ctx: click.Context, param: click.Parameter, value: str | None) -> None:
    # Kept out of the command's parameters, hence out of the configuration file's keys: a
    # shard is one run's share of the work, never a setting of the tree.
    ctx.meta["ospo_scan.shard"] = value


@click.command("scan")
@path_argument()
@format_option(Output.SCAN, "Output")
@output_option("the result")
@scan_options
@quiet_option
@click.option(
    "--shard",
    metavar="K/N",
    expose_value=False,
    callback=_keep_shard,
    help="Scan only shard K of N and write a part for `ospo-scan merge`: the whole tree is "
    "walked and hashed, the detection split by size among the N shards.",
)
@click.pass_context
def scan_command(
    ctx: click.Context,
    path: Path,
    format_name: str | None,
    output: Path | None,
    options: ScanOptions,
    quiet: bool,
) -> None:
    """Scan PATH for licenses and copyrights, file by file.

    Every regular file is hashed and, when it is text, searched for license texts, notices,
    SPDX tags and references and for copyright statements. Files that cannot be scanned are
    listed with the reason; they never stop the scan.

    Package manifests, lockfiles and installed-package metadata (package.json,
    package-lock.json, requirements.txt, poetry.lock, *.dist-info/METADATA, Cargo.toml, ...)
    become packages and dependencies, each with a license resolved offline from its
    installed copy in the tree.
    """
    if output is not None:
        check_writable(output)  # now, not after the scan
    err = stderr_console()
    shard = ctx.meta.get("ospo_scan.shard")
    if shard is not None:
        _write_part(path, Shard.parse(shard), format_name, output, options, quiet=quiet, err=err)
        return
    result = run_scan(path, options, quiet=quiet, err=err, own_files=(output,))
    _, seen_on_terminal = write_output(Output.SCAN, format_name, result, output)
    if not quiet and not seen_on_terminal:
        s = result.summary
        err.print(
            f"ospo-scan: {s.files} files, {s.files_with_licenses} with licenses, "
            f"{s.files_with_errors} errors, {s.files_skipped} skipped in {s.elapsed_seconds:.1f} s",
            markup=False,
        )
        if options.packages or options.packages_only:
            err.print(
                f"ospo-scan: {s.packages} packages, {s.dependencies} dependencies, "
                f"{s.dependencies_unresolved} unresolved, {s.license_conflicts} license conflicts",
                markup=False,
            )


def _write_part(
    path: Path,
    shard: Shard,
    format_name: str | None,
    output: Path | None,
    options: ScanOptions,
    *,
    quiet: bool,
    err: Console,
) -> None:
    """Scan shard ``shard`` of the folder ``path`` and write its part (JSON, always)."""
    if format_name not in (None, "json"):
        raise UsageFailure("--shard writes a part for `ospo-scan merge`: its format is json")
    if output is not None:
        try:
            inside = output.resolve().relative_to(path.resolve()).as_posix()
        except ValueError:
            inside = None
        if inside is not None and not excluded(inside, options.excludes):
            # In the tree, a part would be a file of the tree that the other shards, scanning
            # before or after it was written, would not agree on.
            raise UsageFailure(
                f"--shard: write the part outside the scanned tree, or into a folder that "
                f"--exclude leaves out on every shard, not {output}"
            )
    with warnings_to(err):
        if show_progress(quiet, err):
            with ProgressBar(err) as bar:
                part = scan_shard(path, options, shard, bar)
        else:
            part = scan_shard(path, options, shard)
    emit(part.to_json(), output)
    if not quiet:
        err.print(
            f"ospo-scan: shard {shard}: {len(part.files)} of {len(part.entries)} paths, "
            f"{part.contents} contents detected or cached in {part.elapsed_seconds:.1f} s",
            markup=False,
        )
