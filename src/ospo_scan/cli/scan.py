# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""``ospo-scan scan``: the findings of every file, package and dependency."""

from __future__ import annotations

from pathlib import Path

import click

from ospo_scan.cli._common import (
    format_option,
    output_option,
    path_argument,
    quiet_option,
    run_scan,
    scan_options,
    write_output,
)
from ospo_scan.cli._console import stderr_console
from ospo_scan.formats.base import Output
from ospo_scan.output import check_writable
from ospo_scan.scan.options import ScanOptions


@click.command("scan")
@path_argument()
@format_option(Output.SCAN, "Output")
@output_option("the result")
@scan_options
@quiet_option
def scan_command(
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
