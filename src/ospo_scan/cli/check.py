# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""``ospo-scan check``: judge a scan against a license policy; exit 1 on violations."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ospo_scan.cli._common import (
    EXIT_VIOLATIONS,
    POLICY,
    format_option,
    output_option,
    path_argument,
    quiet_option,
    scan_options,
    scan_or_load,
    write_output,
)
from ospo_scan.cli._console import stderr_console
from ospo_scan.evaluate import evaluate
from ospo_scan.formats.base import Output
from ospo_scan.output import check_writable
from ospo_scan.policy.load import load_policy
from ospo_scan.policy.model import Verdict
from ospo_scan.scan.options import ScanOptions


@click.command("check")
@path_argument()
@click.option(
    "-p",
    "--policy",
    "policy_name",
    type=POLICY,
    default="default",
    show_default=True,
    metavar="FILE|NAME",
    help="A policy file, or the name of a shipped policy (see `ospo-scan policy list`).",
)
@format_option(Output.CHECK, "Report")
@output_option("the report")
@click.option(
    "--fail-on",
    type=click.Choice(["deny", "review"]),
    default="deny",
    show_default=True,
    help="Exit 1 when something is denied, or also when something is in review.",
)
@scan_options
@quiet_option
def check_command(
    path: Path,
    policy_name: str,
    format_name: str | None,
    output: Path | None,
    fail_on: str,
    options: ScanOptions,
    quiet: bool,
) -> None:
    """Check PATH against a license policy; exit 1 on violations.

    PATH is a folder to scan (with the same options as `scan`) or a result file written by
    `ospo-scan scan --format json` (checked without a rescan). Every license detection in a
    file, every package and every dependency gets a verdict: pass, review or deny. So does
    every scan error (a file that could not be read, or a manifest that does not parse):
    denied unless the policy's `errors` key says otherwise.

    Exit codes: 0 nothing denied, 1 something denied (or in review, with --fail-on review),
    2 usage or policy error.
    """
    # The policy and the output first: a typo in either should not cost a whole scan.
    policy = load_policy(policy_name)
    if output is not None:
        check_writable(output)
    err = stderr_console()
    result = scan_or_load(path, options, quiet=quiet, err=err)
    report = evaluate(result, policy)
    write_output(Output.CHECK, format_name, report, output)
    if not quiet:
        # Plain echo, not rich: one unwrapped line each, whatever the terminal width.
        for note in report.waiver_notes:
            click.echo(f"ospo-scan: warning: {note.message}", err=True)
        click.echo(f"ospo-scan: {report.summary()}", err=True)
    threshold = Verdict.REVIEW if fail_on == "review" else Verdict.DENY
    if report.failed(threshold):
        sys.exit(EXIT_VIOLATIONS)
