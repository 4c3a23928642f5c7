# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""``ospo-scan cache``: inspect or empty the findings cache."""

from __future__ import annotations

import json
from pathlib import Path

import click

from ospo_scan.cache import cache_info, clear_cache, default_cache_dir
from ospo_scan.cli._common import warnings_to
from ospo_scan.cli._console import stderr_console


@click.group("cache")
def cache_group() -> None:
    """Inspect or empty the findings cache that makes re-scans fast."""


_cache_dir_option = click.option(
    "--cache-dir",
    type=click.Path(file_okay=False, path_type=Path),
    envvar="OSPO_SCAN_CACHE_DIR",
    help="Findings cache folder (default as for `scan`; env: OSPO_SCAN_CACHE_DIR).",
)


@cache_group.command("info")
@_cache_dir_option
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
def cache_info_command(cache_dir: Path | None, as_json: bool) -> None:
    """Show where the cache is, how many contents it knows and its size on disk."""
    with warnings_to(stderr_console()):
        info = cache_info(cache_dir or default_cache_dir())
    if as_json:
        click.echo(json.dumps(info.to_dict(), indent=2))
        return
    state = "" if info.exists else " (not created yet)"
    click.echo(f"cache: {info.path}{state}")
    click.echo(f"entries: {info.entries}")
    click.echo(f"size: {info.size_bytes / (1024 * 1024):.1f} MiB")


@cache_group.command("clear")
@_cache_dir_option
def cache_clear_command(cache_dir: Path | None) -> None:
    """Delete every cached finding (the next scan detects everything again)."""
    directory = cache_dir or default_cache_dir()
    with warnings_to(stderr_console()):
        removed = clear_cache(directory)
    click.echo(f"removed {removed} entries from {directory}", err=True)
