# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""``ospo-scan policy``: validate, show, list and start license policies."""

from __future__ import annotations

import json
import re
from pathlib import Path

import click

from ospo_scan.cli._common import UsageFailure, write_output
from ospo_scan.config.discover import YAML_NAMES, find_config
from ospo_scan.errors import ConfigError
from ospo_scan.formats.base import Output
from ospo_scan.output import write_atomic
from ospo_scan.policy.load import load_policy, shipped_policy
from ospo_scan.policy.shipped import shipped_policies
from ospo_scan.policy.starter import STARTER_CONFIG, STARTER_POLICY

#: A file name YAML reads as a string when written plain (JSON's quoting is YAML too).
_PLAIN = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_./-]*")


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
@click.option(
    "--no-config",
    "no_config",
    is_flag=True,
    help="Write only the policy, not the .ospo-scan.yml that names it.",
)
def policy_init(policy_file: Path, force: bool, no_config: bool) -> None:
    """Write a commented starter policy to FILE (default: ospo-scan-policy.yml).

    Unless a configuration file is there already, also write .ospo-scan.yml with `policy:
    FILE`, in the current folder (or beside FILE, when FILE is outside it), so that
    `ospo-scan check .` uses the policy with no option. No existing file is overwritten:
    FILE only with --force, a configuration file never.
    """
    if policy_file.exists() and not force:
        raise UsageFailure(f"{policy_file} exists; use --force to overwrite it")
    config = None if no_config else _config_place(policy_file)
    write_atomic(policy_file, STARTER_POLICY.format(filename=policy_file.name))
    click.echo(
        f"ospo-scan: wrote {policy_file}; edit it, then: ospo-scan policy validate {policy_file}",
        err=True,
    )
    if config is None:
        return
    folder, named = config
    existing = _existing_config(folder)
    if existing is not None:
        click.echo(
            f"ospo-scan: {existing} configures ospo-scan already and was left as it is; "
            f"to use the new policy, set in it: policy: {named}",
            err=True,
        )
        return
    target = folder / YAML_NAMES[0]
    write_atomic(target, STARTER_CONFIG.format(policy=_yaml_string(named)))
    click.echo(
        f"ospo-scan: wrote {target} (policy: {named}); `ospo-scan check {folder}` uses it",
        err=True,
    )


def _config_place(policy_file: Path) -> tuple[Path, str]:
    """The folder of the configuration file, and the policy's path relative to it."""
    here = Path.cwd()
    policy = policy_file.absolute()
    folder = here if policy.is_relative_to(here) else policy.parent
    named = policy.relative_to(folder).as_posix()
    return (Path() if folder == here else folder), named


def _yaml_string(text: str) -> str:
    """``text`` as a YAML string: plain when it cannot be read as anything else, else quoted."""
    return text if _PLAIN.fullmatch(text) else json.dumps(text)


def _existing_config(folder: Path) -> Path | None:
    """The file that configures ``folder`` already, if any (a broken one counts too)."""
    try:
        found = find_config(folder)
    except ConfigError:
        return folder / YAML_NAMES[0]
    if found is None:
        return None
    return found.yaml or found.pyproject
