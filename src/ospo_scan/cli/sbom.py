# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""``ospo-scan sbom``: an SPDX 2.3 or CycloneDX 1.6 document, validated before it is written;
with ``--check``/``--require``, its conformance to the NTIA minimum elements or CISA's baseline."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ospo_scan.cli._common import (
    EXIT_VIOLATIONS,
    UsageFailure,
    curate,
    curations_option,
    format_option,
    load_curations,
    output_option,
    path_argument,
    policy_option,
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
from ospo_scan.sbom import SbomInput, SbomOptions, check_conformance
from ospo_scan.sbom.actors import is_email, is_url
from ospo_scan.sbom.conformance import STANDARDS, describe
from ospo_scan.sbom.inventory import source_date_epoch
from ospo_scan.sbom.versions import UNVERSIONED_CHOICES
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
@policy_option(
    "Conclude each OR license as the alternative this policy elects (a policy file or "
    "a shipped policy's name). The SBOM is written whatever the verdicts: use `check` to gate.",
    default=None,
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
@click.option(
    "--creator-organization",
    metavar="TEXT",
    help="The organization that makes the SBOM, named among its creators beside the tools "
    "(ospo-scan and scancode-toolkit, always named). Without it only the tools are.",
)
@click.option(
    "--creator-contact",
    metavar="EMAIL|URL",
    help="How to reach the SBOM's creator: an e-mail address or an http(s) URL.",
)
@click.option(
    "--unversioned",
    type=click.Choice(UNVERSIONED_CHOICES),
    default="resolve",
    show_default=True,
    help="Dependencies declared with only a version range and not installed in the tree: "
    "resolve their version from a lockfile in the tree (the rest are kept with their range), "
    "keep them all with their range, or omit them. Each says so in the SBOM.",
)
@click.option(
    "--check",
    "checks",
    type=click.Choice(STANDARDS),
    multiple=True,
    help="Report on stderr whether the SBOM has the NTIA minimum elements (ntia) or CISA's "
    "baseline attributes (cisa), and which components miss which element, and why.",
)
@click.option(
    "--require",
    "requires",
    type=click.Choice(STANDARDS),
    multiple=True,
    help="As --check, and exit 1 when the SBOM is not conformant (it is written all the same).",
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
    creator_organization: str | None,
    creator_contact: str | None,
    unversioned: str,
    checks: tuple[str, ...],
    requires: tuple[str, ...],
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

    `--check ntia` (or `cisa`) reports on stderr which elements the SBOM has and which
    components miss one, and why; `--require` does the same and exits 1 when one is missing.
    """
    # The policy, the output and SOURCE_DATE_EPOCH first: a mistake in any of them should not
    # cost a whole scan.
    if creator_contact is not None and not (is_email(creator_contact) or is_url(creator_contact)):
        raise UsageFailure(
            "--creator-contact must be an e-mail address or an http(s) URL, "
            f"not {creator_contact!r}"
        )
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
    sbom_options = SbomOptions(
        include_files=include_files,
        reproducible=reproducible,
        project_version=project_version,
        supplier=supplier,
        creator_organization=creator_organization,
        creator_contact=creator_contact,
        unversioned=unversioned,
    )
    sbom = SbomInput(result, sbom_options, policy_report=report)
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
    standards = tuple(dict.fromkeys((*checks, *requires)))
    if not standards:
        return
    results = check_conformance(result, standards, sbom_options, policy_report=report)
    for conformance in results:
        click.echo(describe(conformance), err=True)
    if any(not c.conformant for c in results if c.standard in requires):
        sys.exit(EXIT_VIOLATIONS)
