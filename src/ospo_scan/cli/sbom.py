# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""``ospo-scan sbom``: an SPDX 2.3 or CycloneDX 1.6 document, validated before it is written."""

from __future__ import annotations

from pathlib import Path

import click

from ospo_scan.cli._common import (
    POLICY,
    curate,
    curations_option,
    format_option,
    load_curations,
    output_option,
    path_argument,
    quiet_option,
    scan_options,
    scan_or_load,
    warnings_to,
    write_output,
)
from ospo_scan.cli._console import stderr_console
from ospo_scan.evaluate import evaluate
from ospo_scan.formats.base import Output
from ospo_scan.output import check_writable
from ospo_scan.policy.load import load_policy
from ospo_scan.sbom import SbomInput, SbomOptions
from ospo_scan.sbom.inventory import source_date_epoch
from ospo_scan.scan.options import ScanOptions


@click.command("sbom")
@path_argument()
@format_option(Output.SBOM, "SBOM")
@output_option("the SBOM (only once it is valid)")
@click.option(
    "--files",
    "include_files",
    is_flag=True,
    help="List every file with its SHA-1, SHA-256, licenses and copyrights.",
)
@click.option(
    "--reproducible",
    is_flag=True,
    help="Identical input gives identical bytes: fixed time (SOURCE_DATE_EPOCH, else 1970) "
    "and an id derived from the content. SOURCE_DATE_EPOCH alone implies it.",
)
@click.option(
    "-p",
    "--policy",
    "policy_name",
    type=POLICY,
    metavar="FILE|NAME",
    help="Conclude each OR license as the alternative this policy elects (a policy file or "
    "a shipped policy's name). The SBOM is written whatever the verdicts: use `check` to gate.",
)
@curations_option()
@click.option(
    "--supplier",
    metavar="TEXT",
    help="The project's supplier, over its manifest's: 'Name <email>' (a person) or an "
    "organization's name. Without it an unknown supplier is NOASSERTION.",
)
@click.option(
    "--project-version",
    metavar="TEXT",
    help="The project's version, over its manifest's (a folder without one has none).",
)
@scan_options
@quiet_option
def sbom_command(
    path: Path,
    format_name: str | None,
    output: Path | None,
    include_files: bool,
    reproducible: bool,
    policy_name: str | None,
    curations_file: Path | None,
    supplier: str | None,
    project_version: str | None,
    options: ScanOptions,
    quiet: bool,
) -> None:
    """Write an SBOM (SPDX 2.3 or CycloneDX 1.6) of PATH: a folder to scan, or a saved result.

    PATH is either a folder, scanned as `ospo-scan scan` would, or a result file written by
    `ospo-scan scan --format json`. The document is validated (spdx-tools' validator, the
    CycloneDX 1.6 schema) before anything is written; an invalid document is not written,
    its findings are shown, and the exit code is 2.

    Curations (--curations FILE, and a --policy's `curations:`) set the concluded licenses
    they correct; the SPDX license comment or the CycloneDX property `ospo-scan:curation`
    names the curation.
    """
    # The policy, the output and SOURCE_DATE_EPOCH first: a mistake in any of them should not
    # cost a whole scan.
    policy = None
    if policy_name is not None:
        policy = load_policy(policy_name)
    curations = load_curations(policy, curations_file)
    if output is not None:
        check_writable(output)
    source_date_epoch()
    err = stderr_console()
    result = scan_or_load(path, options, quiet=quiet, err=err, own_files=(output, curations_file))
    result = curate(result, curations).result
    report = evaluate(result, policy) if policy is not None else None
    sbom = SbomInput(
        result,
        SbomOptions(
            include_files=include_files,
            reproducible=reproducible,
            project_version=project_version,
            supplier=supplier,
        ),
        policy_report=report,
    )
    with warnings_to(err):  # an SBOM library written as shipped says so
        format_name, _ = write_output(Output.SBOM, format_name, sbom, output)
    if not quiet:
        # Plain echo, not rich: one unwrapped line, whatever the terminal width.
        where = f" to {output}" if output else ""
        click.echo(
            f"ospo-scan: wrote a valid {format_name} SBOM of {len(result.packages)} packages, "
            f"{len(result.dependencies)} dependencies"
            f"{f' and {len(result.files)} files' if include_files else ''}{where}",
            err=True,
        )
