# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""What the commands share: the exit codes, the scan options, output and warnings."""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import functools
import re
import sys
import warnings
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, cast

import click

from ospo_scan.cache import default_cache_dir
from ospo_scan.cli._console import ProgressBar, console, show_progress, styled, text_width
from ospo_scan.document import load_result
from ospo_scan.errors import OspoScanWarning
from ospo_scan.formats import registry
from ospo_scan.formats.base import Output
from ospo_scan.model import ScanResult
from ospo_scan.output import write_atomic
from ospo_scan.scan.options import DEFAULT_MAX_FILE_SIZE, DEFAULT_TIMEOUT, ScanOptions, default_jobs
from ospo_scan.scan.pipeline import scan
from ospo_scan.scan.walk import glob_error

if TYPE_CHECKING:
    from rich.console import Console

    from ospo_scan.curate import CurationOutcome
    from ospo_scan.policy.model import Curation, Policy


EXIT_OK = 0
EXIT_VIOLATIONS = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130


class UsageFailure(click.ClickException):
    """A user-fixable problem: one line on stderr, exit code 2."""

    exit_code = EXIT_USAGE

    def show(self, file: Any = None) -> None:
        """Print ``ospo-scan: error: ...`` without a traceback."""
        click.echo(f"ospo-scan: error: {self.format_message()}", err=True)


#: A size as ``--max-file-size`` takes it; also the JSON Schema's pattern, so no flags.
SIZE_PATTERN = r"^\s*(\d+(?:\.\d+)?)\s*([kKmMgGtT]?)(?:[iI]?[bB])?\s*$"
_SIZE = re.compile(SIZE_PATTERN)


class ByteSize(click.ParamType):  # type: ignore[type-arg,unused-ignore] # generic in click>=8.3 only
    """A size such as ``512K``, ``10M``, ``1G`` or a plain number of bytes."""

    name = "size"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int:
        """Parse ``value`` into bytes."""
        if isinstance(value, int):
            return value
        match = _SIZE.match(str(value))
        if not match:
            self.fail(f"{value!r} is not a size (examples: 500000, 512K, 10M, 1G)", param, ctx)
        number, unit = match.groups()
        factor = 1024 ** " kmgt".index(unit.lower() or " ")
        return int(float(number) * factor)


class ExcludeGlob(click.ParamType):  # type: ignore[type-arg,unused-ignore] # generic in click>=8.3 only
    """A .gitignore-style glob; one git could not use is a usage error, not a silent no-op."""

    name = "glob"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        """``value`` itself, once it is shown to be a usable pattern."""
        reason = glob_error(str(value))
        if reason is not None:
            self.fail(f"{value!r} is not a usable .gitignore-style pattern ({reason})", param, ctx)
        return str(value)


class PolicyParam(click.ParamType):  # type: ignore[type-arg,unused-ignore] # generic in click>=8.3
    """A policy: a file, or the name of a shipped policy.

    A string as given; its own type so that a configuration file resolves a relative file
    against its folder and leaves a name alone.
    """

    name = "policy"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        """The policy as text."""
        return str(value)


#: ``--policy FILE|NAME``'s type.
POLICY = PolicyParam()


def policy_option(help_text: str, *, default: str | None = "default") -> Callable[[_F], _F]:
    """``-p/--policy FILE|NAME``, as every command that judges or elects takes it."""
    return click.option(
        "-p",
        "--policy",
        "policy_name",
        type=POLICY,
        default=default,
        show_default=default is not None,
        metavar="FILE|NAME",
        help=help_text,
    )


def curations_option() -> Callable[[_F], _F]:
    """``--curations FILE``: license corrections besides the policy's ``curations:``."""
    return click.option(
        "--curations",
        "curations_file",
        type=click.Path(dir_okay=False, path_type=Path),
        metavar="FILE",
        help="A curations file (YAML, a top-level 'curations:' list): licenses to use instead "
        "of what was detected, by purl or path. Applied with the policy's own curations; on a "
        "tie, this file's win.",
    )


def load_curations(policy: Policy | None, curations_file: Path | None) -> tuple[Curation, ...]:
    """The policy's curations, then the ``--curations`` file's (read and checked before any
    scan: a mistake costs nothing; every error at once, exit 2)."""
    # Imported here: the YAML parser is for the commands that judge, not for every scan.
    from ospo_scan.policy.curations import curations_from_file  # noqa: PLC0415

    own = policy.curations if policy is not None else ()
    if curations_file is None:
        return own
    return (*own, *curations_from_file(curations_file))


def curate(
    result: ScanResult,
    curations: Sequence[Curation],
    *,
    today: dt.date | None = None,
    partial: bool = False,
) -> CurationOutcome:
    """``result`` with ``curations`` applied, each expired, stale or unused one a warning line
    on stderr (never a failure; shown with ``--quiet`` too: it is not a summary).

    The one place where ``check``, ``sbom`` and ``notice`` correct a result before using it.
    A ``partial`` result (some files only, as pre-commit passes them) says nothing about the
    curations of what it did not scan: none is called unused.
    """
    from ospo_scan.curate import apply_curations  # noqa: PLC0415 -- as load_curations

    outcome = apply_curations(result, curations, today or dt.date.today())
    if partial:
        outcome = dataclasses.replace(outcome, unused=())
    for note in outcome.notes:
        # Plain echo, not rich: one unwrapped line each, whatever the terminal width.
        click.echo(f"ospo-scan: warning: {note.message}", err=True)
    return outcome


def path_argument() -> Callable[[_F], _F]:
    """PATH: a folder to scan, or a saved result (commands that judge or export a scan)."""
    return click.argument(
        "path",
        type=click.Path(exists=True, file_okay=True, dir_okay=True, readable=True, path_type=Path),
    )


def format_option(kind: Output, what: str) -> Callable[[_F], _F]:
    """``-f/--format``: the registry's formats of ``kind``, its defaults and suffixes in help."""
    defaults = registry.DEFAULTS[kind]
    suffixes = [s for spec in registry.FORMATS if spec.output is kind for s in spec.suffixes]
    chosen = (
        f"{defaults.terminal} on a terminal, {defaults.pipe} otherwise"
        if defaults.terminal != defaults.pipe
        else defaults.pipe
    )
    return click.option(
        "-f",
        "--format",
        "format_name",
        type=click.Choice(registry.names(kind)),
        help=f"{what} format. Default: from the -o file name ({', '.join(suffixes)}), "
        f"else {chosen}.",
    )


def output_option(what: str) -> Callable[[_F], _F]:
    """``-o/--output FILE``: written atomically, and only once the command succeeded."""
    return click.option(
        "-o",
        "--output",
        type=click.Path(dir_okay=False, writable=True, path_type=Path),
        help=f"Write {what} to FILE (atomically, only on success) instead of stdout.",
    )


#: ``-q/--quiet``, for every command that scans.
quiet_option = click.option(
    "-q", "--quiet", is_flag=True, help="No progress bar and no summary on stderr."
)


def write_output(
    kind: Output,
    format_name: str | None,
    data: object,
    output: Path | None,
    *,
    view: dict[str, bool] | None = None,
    context: dict[str, object] | None = None,
) -> tuple[str, bool]:
    """Render ``data`` in the format asked for (or the registry's choice) and write it.

    ``view`` holds a command's display switches (``--verbose``...), for the formats that
    take them (``with_view``); ``context`` holds more data for the formats that show more
    than ``data`` (``with_context``: the HTML report's scan result). Returns the format's
    name, and whether a person reads it on a terminal (then the command's summary is part of
    what they see, and is not repeated on stderr).
    """
    to_terminal = output is None and sys.stdout.isatty()
    name = registry.choose(kind, format_name, output, to_terminal=to_terminal)
    formatter = registry.get(kind, name)
    with_view = getattr(formatter, "with_view", None)
    if view and with_view is not None:
        formatter = with_view(**view)
    with_context = getattr(formatter, "with_context", None)
    if context and with_context is not None:
        formatter = with_context(**context)
    out = console()
    text = formatter.render(
        data,
        width=text_width(out, to_terminal=to_terminal) if formatter.for_humans else None,
        color=to_terminal and formatter.for_humans and styled(out),
    )
    emit(text, output)
    return name, to_terminal and formatter.for_humans


def emit(text: str, output: Path | None) -> None:
    """``text`` to ``output`` (atomically), or to stdout.

    Once ``output`` is in place the command is done but for its summary line: a Ctrl-C or
    SIGTERM from then on is dropped when the command ends (``hold_signals_after``), instead
    of ending it with 130 and "nothing was written" over a complete file.
    """
    if output is None:
        click.echo(text, nl=False)
        return
    write_atomic(output, text, hold_signals_after=True)


_F = TypeVar("_F", bound=Callable[..., Any])


_SCAN_OPTION_NAMES = (
    "jobs",
    "timeout",
    "max_file_size",
    "excludes",
    "include_ignored",
    "no_packages",
    "packages_only",
    "cache_dir",
    "no_cache",
    "no_prefilter",
)


def scan_options(command: _F) -> _F:
    """The options that shape a scan, shared by every command that scans.

    The flags are declared once, here; the command receives them already turned into one
    ``options: ScanOptions`` argument (see :func:`scan_options_from`).
    """

    @functools.wraps(command)
    def with_scan_options(*args: Any, **kwargs: Any) -> Any:
        values = {name: kwargs.pop(name) for name in _SCAN_OPTION_NAMES}
        return command(*args, options=scan_options_from(**values), **kwargs)

    wrapped: Any = with_scan_options
    for option in reversed(_SCAN_OPTIONS):
        wrapped = option(wrapped)
    return cast(_F, wrapped)


def scan_or_load(
    path: Path,
    options: ScanOptions,
    *,
    quiet: bool,
    err: Console,
    own_files: Sequence[Path | None] = (),
) -> ScanResult:
    """Scan the folder ``path``, or read the result document ``path`` without a rescan."""
    if not path.is_dir():
        return load_result(path)
    return run_scan(path, options, quiet=quiet, err=err, own_files=own_files)


def run_scan(
    path: Path,
    options: ScanOptions,
    *,
    quiet: bool,
    err: Console,
    own_files: Sequence[Path | None] = (),
    paths: tuple[str, ...] | None = None,
) -> ScanResult:
    """Scan ``path`` (or only ``paths`` under it) with a progress bar for a person at a
    terminal, cache warnings on stderr.

    ``own_files`` (the command's outputs and baseline) are left out when they lie in the tree:
    a report of the last run lists license names, and must not become findings of the next.
    """
    options = _leaving_out(options, path, own_files)
    with warnings_to(err):
        if show_progress(quiet, err):
            with ProgressBar(err) as bar:
                return scan(path, options, bar, paths=paths)
        return scan(path, options, paths=paths)


def _leaving_out(options: ScanOptions, root: Path, files: Sequence[Path | None]) -> ScanOptions:
    top = root.resolve()
    globs = []
    for file in files:
        if file is None:
            continue
        try:
            relative = file.resolve().relative_to(top)
        except (ValueError, OSError):
            continue  # outside the tree: nothing to leave out
        if relative.parts:
            globs.append("/" + _GLOB_SPECIAL.sub(r"\\\g<0>", relative.as_posix()))
    if not globs:
        return options
    return dataclasses.replace(options, excludes=(*options.excludes, *globs))


#: What .gitignore syntax reads as more than a character, escaped to match a name as it is.
_GLOB_SPECIAL = re.compile(r"[*?\[\]\\!# ]")


def scan_options_from(
    *,
    jobs: int | None,
    timeout: float,
    max_file_size: int,
    excludes: tuple[str, ...],
    include_ignored: bool,
    no_packages: bool = False,
    packages_only: bool = False,
    cache_dir: Path | None = None,
    no_cache: bool = False,
    no_prefilter: bool = False,
) -> ScanOptions:
    """The :class:`ScanOptions` that the :func:`scan_options` flags ask for."""
    if no_packages and packages_only:
        raise UsageFailure("--no-packages and --packages-only cannot be used together")
    return ScanOptions(
        include_ignored=include_ignored,
        excludes=excludes,
        max_file_size=max_file_size,
        jobs=jobs or default_jobs(),
        timeout=timeout,
        packages=not no_packages,
        packages_only=packages_only,
        cache_dir=None if no_cache else str(cache_dir or default_cache_dir()),
        prefilter=not no_prefilter,
    )


_SCAN_OPTIONS = [
    click.option(
        "-j",
        "--jobs",
        type=click.IntRange(min=1),
        help="Worker processes. Default: the CPUs, capped by memory (about 1.5 GB each).",
    ),
    click.option(
        "--timeout",
        type=click.FloatRange(min=0, min_open=True),
        default=DEFAULT_TIMEOUT,
        show_default=True,
        help="Seconds a file may take in detection before it is reported as timed out.",
    ),
    click.option(
        "--max-file-size",
        type=ByteSize(),
        default=DEFAULT_MAX_FILE_SIZE,
        show_default="10M",
        help="Skip (and report) files larger than this, e.g. 512K, 10M.",
    ),
    click.option(
        "--exclude",
        "excludes",
        multiple=True,
        type=ExcludeGlob(),
        metavar="GLOB",
        help="Leave out paths matching GLOB (.gitignore syntax, relative to PATH). Repeatable.",
    ),
    click.option(
        "--include-ignored",
        is_flag=True,
        help="Also scan what the tree's .gitignore files ignore.",
    ),
    click.option(
        "--no-packages",
        is_flag=True,
        help="Skip package manifests, lockfiles and installed-package metadata.",
    ),
    click.option(
        "--packages-only",
        is_flag=True,
        help="Only packages and dependencies: scan the datafiles and the packages' license "
        "files, not every source file.",
    ),
    click.option(
        "--cache-dir",
        # Not file_okay=False: an unusable cache (a file there too) must never fail a scan;
        # the cache layer warns and the scan goes on without it.
        type=click.Path(path_type=Path),
        envvar="OSPO_SCAN_CACHE_DIR",
        help="Findings cache folder. Default: $XDG_CACHE_HOME/ospo-scan or ~/.cache/ospo-scan "
        "(env: OSPO_SCAN_CACHE_DIR).",
    ),
    click.option("--no-cache", is_flag=True, help="Neither read nor write the findings cache."),
    click.option(
        "--no-prefilter",
        is_flag=True,
        help="Run ScanCode's license matcher and copyright detector as shipped, without the "
        "fast path (slower; the findings are the same).",
    ),
]


@contextlib.contextmanager
def warnings_to(err: Console) -> Iterator[None]:
    """Show the core's warnings (cache, engine) as one ``ospo-scan: warning:`` line each."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", OspoScanWarning)
        try:
            yield
        finally:
            # Shown even when the command fails: a warning may be why.
            for warning in caught:
                if issubclass(warning.category, OspoScanWarning):
                    # One line, however long: rich would wrap it at the terminal's width.
                    err.print(
                        f"ospo-scan: warning: {warning.message}", markup=False, soft_wrap=True
                    )
                else:
                    warnings.warn_explicit(
                        warning.message, warning.category, warning.filename, warning.lineno
                    )
