# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""``ospo-scan check``: judge a scan against a license policy; exit 1 on violations."""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path

import click

from ospo_scan.cli._common import (
    EXIT_VIOLATIONS,
    curate,
    curations_option,
    emit,
    format_option,
    load_curations,
    output_option,
    policy_option,
    quiet_option,
    run_scan,
    scan_options,
    write_output,
)
from ospo_scan.cli._console import stderr_console
from ospo_scan.cli._targets import resolve
from ospo_scan.document import load_result
from ospo_scan.evaluate import evaluate
from ospo_scan.evaluate.baseline import compare, load_baseline
from ospo_scan.evaluate.report import Baseline, PolicyReport
from ospo_scan.formats import registry
from ospo_scan.formats.base import Output
from ospo_scan.model import ScanResult
from ospo_scan.output import check_writable
from ospo_scan.policy.load import load_policy
from ospo_scan.policy.model import Verdict
from ospo_scan.scan.changes import ChangeSet, touched_part
from ospo_scan.scan.changes import changed_since as changed_since_in
from ospo_scan.scan.options import ScanOptions


@click.command("check")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@policy_option("A policy file, or the name of a shipped policy (see `ospo-scan policy list`).")
@curations_option()
@format_option(Output.CHECK, "Report")
@output_option("the report")
@click.option(
    "--fail-on",
    type=click.Choice(["deny", "review"]),
    default="deny",
    show_default=True,
    help="Exit 1 when something is denied, or also when something is in review.",
)
@click.option(
    "--baseline",
    "baseline_file",
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="FILE",
    help="An earlier JSON report of check (see --write-baseline): only findings that are not "
    "in it can fail the gate; the report shows new, unchanged and fixed findings apart.",
)
@click.option(
    "--write-baseline",
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="FILE",
    help="Also write this run's JSON report to FILE, the baseline that accepts everything "
    "found now, and exit 0 (unless the run itself fails).",
)
@click.option(
    "--changed-since",
    metavar="REF",
    help="Judge only what changed since the merge base of REF and HEAD (git, read only): "
    "changed files, and the packages and dependencies of changed manifests, lockfiles and "
    "license files. The tree is still scanned whole (the cache makes that cheap).",
)
@click.option(
    "--show-passed",
    is_flag=True,
    help="Table: list the passed findings group by group too, not only their counts.",
)
@click.option(
    "-v",
    "--verbose",
    is_flag=True,
    help="Table: every path of every group, not the first few (implies --show-passed).",
)
@scan_options
@quiet_option
def check_command(
    paths: tuple[Path, ...],
    policy_name: str,
    curations_file: Path | None,
    format_name: str | None,
    output: Path | None,
    fail_on: str,
    baseline_file: Path | None,
    write_baseline: Path | None,
    changed_since: str | None,
    show_passed: bool,
    verbose: bool,
    options: ScanOptions,
    quiet: bool,
) -> None:
    """Check PATH... against a license policy; exit 1 on violations.

    One PATH is a folder to scan (with the same options as `scan`) or a result file written by
    `ospo-scan scan --format json` (checked without a rescan). Several paths, or one file that
    is not a result, are scanned alone (as pre-commit passes the staged files): each is
    reported as it was given, relative to the current folder. Every license detection in a
    file, every package and every dependency gets a verdict: pass, review or deny. So does
    every scan error (a file that could not be read, or a manifest that does not parse):
    denied unless the policy's `errors` key says otherwise.

    Curations (the policy's `curations:` and a --curations file) correct detected licenses
    before anything is judged; an expired, stale or unused curation is a warning.

    With --baseline FILE (an earlier report), findings match the baseline's by fingerprint
    (path, license and matched text; for packages the purl without version), not by line, so
    a moved line or a renamed file stays unchanged and only new findings fail the gate.

    Exit codes: 0 nothing denied, 1 something denied (or in review, with --fail-on review),
    2 usage or policy error.
    """
    # The policy, baseline and outputs first: a typo in any should not cost a whole scan.
    policy = load_policy(policy_name)
    curations = load_curations(policy, curations_file)
    baseline = _baseline(baseline_file, write_baseline)
    for target in (output, write_baseline):
        if target is not None:
            check_writable(target)
    targets = resolve(paths)
    # What changed, before the scan too when it is of the tree: a bad ref costs no scan.
    changes = None
    if changed_since is not None and not targets.saved_result:
        changes = changed_since_in(targets.root, changed_since)
    err = stderr_console()
    if targets.saved_result:
        result = load_result(targets.root)
    else:
        own = (output, baseline_file, write_baseline, curations_file)
        result = run_scan(
            targets.root, options, quiet=quiet, err=err, paths=targets.paths, own_files=own
        )
    outcome = curate(result, curations, partial=targets.paths is not None)
    result = outcome.result
    if changed_since is not None:
        changes = changes or changed_since_in(Path(result.root), changed_since)
        judged = touched_part(result, changes)
        report = replace(evaluate(judged, policy), scope=changes.describe())
    else:
        judged = result
        report = evaluate(result, policy)
    report = replace(report, curation_notes=outcome.notes)
    if baseline is not None:
        report = _against(report, baseline, result, changes, partial=targets.paths is not None)
    if write_baseline is not None:
        emit(registry.get(Output.CHECK, "json").render(report), write_baseline)
    view = {"show_passed": show_passed, "verbose": verbose}
    write_output(Output.CHECK, format_name, report, output, view=view, context={"result": judged})
    if not quiet:
        _tell(report, write_baseline)
    threshold = Verdict.REVIEW if fail_on == "review" else Verdict.DENY
    if write_baseline is None and report.failed(threshold):
        sys.exit(EXIT_VIOLATIONS)


def _baseline(baseline_file: Path | None, write_baseline: Path | None) -> Baseline | None:
    """The baseline to compare with; none yet when --write-baseline is to write it first."""
    if baseline_file is None:
        return None
    if write_baseline is not None and not baseline_file.exists():
        return None  # the configuration names the baseline this run writes: no error
    return load_baseline(baseline_file)


def _against(
    report: PolicyReport,
    baseline: Baseline,
    result: ScanResult,
    changes: ChangeSet | None,
    *,
    partial: bool,
) -> PolicyReport:
    """``report`` compared with ``baseline``; only what was judged can be "fixed"."""
    judged = changes.touched if changes is not None else None
    if partial:  # some files only: the rest was not looked at
        scanned = frozenset(record.path for record in result.files)
        judged = scanned if judged is None else judged & scanned
    return compare(report, baseline, _present(result, baseline), judged_paths=judged)


def _tell(report: PolicyReport, write_baseline: Path | None) -> None:
    # Plain echo, not rich: one unwrapped line each, whatever the terminal width.
    for note in report.waiver_notes:
        click.echo(f"ospo-scan: warning: {note.message}", err=True)
    click.echo(f"ospo-scan: {report.summary()}", err=True)
    if write_baseline is not None:
        click.echo(
            f"ospo-scan: wrote the baseline {write_baseline} ({len(report.findings)} "
            "findings accepted)",
            err=True,
        )


def _present(result: ScanResult, baseline: Baseline) -> frozenset[str]:
    """The files of the tree: those scanned, and the baseline's that are still on disk (a scan
    of some files, or one that left files out, did not see them, yet they were not renamed)."""
    root = Path(result.root)
    scanned = {record.path for record in result.files}
    kept = {
        entry.path
        for entry in baseline.findings
        if entry.path is not None and entry.path not in scanned and (root / entry.path).exists()
    }
    return frozenset(scanned | kept)
