# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""``ospo-scan cache``: inspect or empty the findings cache."""

from __future__ import annotations

import json
from pathlib import Path

import click

from ospo_scan.cache import (
    cache_info,
    clear_cache,
    default_cache_dir,
    export_cache,
    import_cache,
)
from ospo_scan.cli._common import warnings_to
from ospo_scan.cli._console import stderr_console
from ospo_scan.errors import CacheFileError
from ospo_scan.output import check_writable, write_atomic


@click.group("cache")
def cache_group() -> None:
    """Inspect, empty, export or import the findings cache that makes re-scans fast."""


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


@cache_group.command("export")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@_cache_dir_option
def cache_export_command(file: Path, cache_dir: Path | None) -> None:
    """Write the cached findings to FILE (gzipped JSON lines), for `cache import` elsewhere.

    The findings are keyed by content, engine and options, not by path: an export from one
    branch, repository or CI shard serves any other.
    """
    directory = cache_dir or default_cache_dir()
    check_writable(file)
    with warnings_to(stderr_console()):
        data, entries = export_cache(directory)
    write_atomic(file, data)
    click.echo(f"exported {entries} entries from {directory} to {file}", err=True)


@cache_group.command("import")
@click.argument(
    "files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@_cache_dir_option
def cache_import_command(files: tuple[Path, ...], cache_dir: Path | None) -> None:
    """Add the findings of one or more exports (FILES) to the cache.

    Each file is taken whole or, if any line of it is damaged, not at all (exit 2). Entries
    already in the cache are kept: the parts' caches of a sharded scan merge into one.
    """
    directory = cache_dir or default_cache_dir()
    with warnings_to(stderr_console()):
        for file in files:
            try:
                data = file.read_bytes()
            except OSError as exc:
                raise CacheFileError(f"cannot read {file}: {exc.strerror or exc}") from exc
            read, new = import_cache(directory, data, str(file))
            click.echo(f"imported {file}: {read} entries, {new} new, into {directory}", err=True)
