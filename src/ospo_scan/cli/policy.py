# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""``ospo-scan policy``: validate, show, list and start license policies."""

from __future__ import annotations

from pathlib import Path

import click

from ospo_scan.cli._common import UsageFailure, write_output
from ospo_scan.formats.base import Output
from ospo_scan.output import write_atomic
from ospo_scan.policy.load import load_policy, shipped_policy
from ospo_scan.policy.shipped import shipped_policies
from ospo_scan.policy.starter import STARTER_POLICY


@click.group("policy")
def policy_group() -> None:
    """Validate, show, list and start license policies."""


@policy_group.command("validate")
@click.argument("policy_file", metavar="FILE|NAME")
def policy_validate(policy_file: str) -> None:
    """Check a policy file (and what it extends); exit 2 with the line and key if it is wrong."""
    policy = load_policy(policy_file)
    rules = len(policy.rules.licenses) + len(policy.rules.categories)
    click.echo(
        f"{policy_file}: valid policy {policy.name!r} "
        f"({rules} rules, {len(policy.contexts)} contexts, {len(policy.waivers)} waivers; "
        f"built from {' <- '.join(policy.sources)})"
    )


@policy_group.command("show")
@click.argument("policy_file", metavar="FILE|NAME")
def policy_show(policy_file: str) -> None:
    """Show a policy as tables, after `extends` is resolved."""
    write_output(Output.POLICY, None, load_policy(policy_file), None)


@policy_group.command("list")
def policy_list() -> None:
    """List the policies shipped with ospo-scan (usable by name with --policy)."""
    for name in shipped_policies():
        click.echo(f"{name}\t{shipped_policy(name).description}")


@policy_group.command("init")
@click.argument(
    "policy_file",
    metavar="[FILE]",
    default="ospo-scan-policy.yml",
    type=click.Path(dir_okay=False, path_type=Path),
)
@click.option("--force", is_flag=True, help="Overwrite FILE if it exists.")
def policy_init(policy_file: Path, force: bool) -> None:
    """Write a commented starter policy to FILE (default: ospo-scan-policy.yml)."""
    if policy_file.exists() and not force:
        raise UsageFailure(f"{policy_file} exists; use --force to overwrite it")
    write_atomic(policy_file, STARTER_POLICY.format(filename=policy_file.name))
    click.echo(
        f"ospo-scan: wrote {policy_file}; edit it, then: ospo-scan policy validate {policy_file}",
        err=True,
    )
