# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""``ospo-scan notice``: the attribution document (NOTICE) of the packages that ship."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import click

from ospo_scan.cli._common import (
    EXIT_VIOLATIONS,
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
    write_output,
)
from ospo_scan.cli._console import stderr_console
from ospo_scan.engine.catalog import license_texts
from ospo_scan.evaluate import evaluate
from ospo_scan.formats.base import Output
from ospo_scan.model import DependencyScope
from ospo_scan.notice import (
    DEFAULT_SCOPES,
    NOT_FOR_DISTRIBUTION,
    Notice,
    NoticeOptions,
    build_notice,
)
from ospo_scan.output import check_writable
from ospo_scan.policy.load import load_policy
from ospo_scan.policy.model import Verdict
from ospo_scan.sbom.inventory import source_date_epoch
from ospo_scan.scan.options import ScanOptions

#: The scopes ``--include-scope`` adds to the default ones (runtime and optional).
_EXTRA_SCOPES = ("dev", "test", "build")


class ScopesParam(click.ParamType):  # type: ignore[type-arg,unused-ignore] # generic in click>=8.3
    """Dependency scopes, comma-separated: ``dev,test``; ``all`` for every one."""

    name = "scopes"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        """The scopes as given, once each is known to be one (normalised, comma-separated)."""
        names = [n.strip().lower() for n in str(value).split(",") if n.strip()]
        known = {*_EXTRA_SCOPES, *(s.value for s in DEFAULT_SCOPES), "all"}
        for name in names:
            if name not in known:
                self.fail(
                    f"{name!r} is not a dependency scope (choose from {', '.join(_EXTRA_SCOPES)} "
                    "or all; runtime and optional are always included)",
                    param,
                    ctx,
                )
        return ",".join(names)


def _scopes(given: Iterable[str]) -> frozenset[DependencyScope]:
    names = {n for value in given for n in value.split(",") if n}
    if "all" in names:
        return frozenset(DependencyScope)
    return DEFAULT_SCOPES | {DependencyScope(n) for n in names}


@click.command("notice")
@path_argument()
@format_option(Output.NOTICE, "Document")
@output_option("the notice (not while the policy check fails, unless --allow-violations)")
@policy_option(
    "The policy whose check must pass, and which elects the alternative of each OR "
    "license (a policy file or a shipped policy's name)."
)
@click.option(
    "--fail-on",
    type=click.Choice(["deny", "review"]),
    default="deny",
    show_default=True,
    help="What counts as an unresolved violation: something denied, or also in review.",
)
@click.option(
    "--include-scope",
    "include_scopes",
    multiple=True,
    type=ScopesParam(),
    metavar="SCOPES",
    help="Also attribute the dependencies of these scopes: dev, test, build (comma-separated "
    "or repeated), or all. Runtime and optional dependencies are always included.",
)
@click.option(
    "--allow-violations",
    is_flag=True,
    help="Write the document even while the policy check fails, under the banner "
    f"'{NOT_FOR_DISTRIBUTION}', and exit 0.",
)
@curations_option()
@scan_options
@quiet_option
def notice_command(
    path: Path,
    format_name: str | None,
    output: Path | None,
    policy_name: str,
    fail_on: str,
    include_scopes: tuple[str, ...],
    allow_violations: bool,
    curations_file: Path | None,
    options: ScanOptions,
    quiet: bool,
) -> None:
    """Write the attribution document (NOTICE) of PATH: a folder to scan, or a saved result.

    For the project and each package that ships: name, version, Package URL, license,
    copyright notices, and its NOTICE files verbatim (Apache-2.0 section 4(d)); then the
    full text of every license named, once, from ScanCode's license data. A license without
    a text there, a package without a license or not found in the tree, a NOTICE file that
    cannot be read: the document says so ("Incomplete"), and so does a warning.

    Curations (the policy's `curations:` and a --curations file) correct licenses first,
    as in `check` and `sbom`.

    What ships: the packages found in the tree and the dependencies reached from the project
    through runtime and optional dependencies (--include-scope adds dev, test, build).

    While the policy check fails (as `ospo-scan check PATH` with the same --policy and
    --fail-on would), nothing is written and the exit code is 1: a notice is for
    distribution, and what fails the check should not ship. --allow-violations writes it
    all the same, under the banner "UNRESOLVED POLICY VIOLATIONS: NOT FOR DISTRIBUTION",
    and exits 0. SOURCE_DATE_EPOCH fixes the date (identical input, identical bytes).

    Exit codes: 0 written, 1 not written (policy violations), 2 usage or policy error.
    """
    # The policy, the output and SOURCE_DATE_EPOCH first: a mistake costs no scan.
    policy = load_policy(policy_name)
    curations = load_curations(policy, curations_file)
    if output is not None:
        check_writable(output)
    source_date_epoch()
    err = stderr_console()
    result = scan_or_load(path, options, quiet=quiet, err=err, own_files=(output, curations_file))
    # Curations correct licenses before anything is judged or attributed (as check, sbom).
    result = curate(result, curations).result
    report = evaluate(result, policy)
    threshold = Verdict.REVIEW if fail_on == "review" else Verdict.DENY
    notice = build_notice(
        result,
        license_texts(),
        NoticeOptions(scopes=_scopes(include_scopes), fail_on=threshold),
        report=report,
    )
    if notice.violations is not None and not allow_violations:
        many = "s" if notice.violations.count != 1 else ""
        click.echo(
            f"ospo-scan: error: the check against the policy '{notice.violations.policy}' "
            f"fails ({notice.violations.count} violation{many}): no notice was written. "
            f"See `ospo-scan check {path}`; --allow-violations writes it marked "
            "NOT FOR DISTRIBUTION.",
            err=True,
        )
        sys.exit(EXIT_VIOLATIONS)
    write_output(Output.NOTICE, format_name, notice, output)
    if not quiet:
        _tell(notice, output)


def _tell(notice: Notice, output: Path | None) -> None:
    # Plain echo, not rich: one unwrapped line each, whatever the terminal width.
    if notice.violations is not None:
        click.echo(
            f"ospo-scan: warning: written under the banner '{NOT_FOR_DISTRIBUTION}'", err=True
        )
    gaps = notice.incomplete
    if gaps:
        click.echo(
            f"ospo-scan: warning: the notice is incomplete ({len(gaps)} gap"
            f"{'s' * (len(gaps) != 1)}, listed at its top under 'Incomplete')",
            err=True,
        )
    where = f" to {output}" if output else ""
    click.echo(
        f"ospo-scan: wrote the notice of {len(notice.packages)} packages and "
        f"{len(notice.licenses)} licenses{where}",
        err=True,
    )
