# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""The command line: a thin Click layer over the core.

Each command parses its options, makes one core call that returns data, picks a formatter,
writes the output, and exits with the contract code: 0 success, 1 policy violations,
2 usage or configuration error. Data goes to stdout (or ``-o``), everything else to stderr.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import re
import sys
import time
import traceback
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, TypeVar, cast

import click

from ospo_scan import __version__
from ospo_scan.cache import cache_info, clear_cache, default_cache_dir
from ospo_scan.errors import CacheWarning, OspoScanError
from ospo_scan.formats import SCAN_FORMATS
from ospo_scan.model import ScanResult
from ospo_scan.output import check_writable, write_atomic
from ospo_scan.sbom import DEFAULT_FORMAT, SBOM_FORMATS
from ospo_scan.scan.options import DEFAULT_MAX_FILE_SIZE, DEFAULT_TIMEOUT, ScanOptions, default_jobs
from ospo_scan.scan.pipeline import scan

if TYPE_CHECKING:
    from rich.console import Console
    from rich.progress import TaskID

# Commands import what only they use (policies, reports, progress bars) when they run: a
# warm ``scan`` is a fraction of a second, and imports were a third of it.

#: The names in :data:`ospo_scan.report_formats.REPORT_FORMATS` (a test keeps them equal),
#: so that ``check --format`` needs no import of the policy machinery to offer them.
REPORT_FORMAT_NAMES = ("json", "junit", "markdown", "sarif", "table")

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


class _Group(click.Group):
    """Maps the project's exceptions to the exit-code contract, once, at the edge."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except OspoScanError as exc:
            raise UsageFailure(str(exc)) from exc
        except KeyboardInterrupt:
            click.echo("ospo-scan: interrupted; nothing was written", err=True)
            ctx.exit(EXIT_INTERRUPTED)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except Exception as exc:
            # A bug of ours: say so in one line, keep the details for whoever reports it.
            if os.environ.get("OSPO_SCAN_DEBUG"):
                traceback.print_exc()
            raise UsageFailure(
                f"internal error: {type(exc).__name__}: {exc} "
                "(set OSPO_SCAN_DEBUG=1 for the traceback)"
            ) from exc


_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([kmgt]?)(?:i?b)?\s*$", re.IGNORECASE)


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


class _LazyConsole:
    """A rich ``Console``, made (and rich imported) when first used: a quiet warm scan
    never needs one, and rich's import is a sizeable part of its fraction of a second."""

    def __init__(self, **options: Any) -> None:
        self._options = options
        self._console: Console | None = None

    @property
    def real(self) -> Console:
        """The console itself, for rich APIs that need a true ``Console``."""
        if self._console is None:
            from rich.console import Console  # noqa: PLC0415

            self._console = Console(**self._options)
        return self._console

    def __getattr__(self, name: str) -> Any:
        return getattr(self.real, name)


def _console(**options: Any) -> Console:
    return cast("Console", _LazyConsole(**options))


def _stderr_console() -> Console:
    return _console(stderr=True, highlight=False)


def _show_progress(quiet: bool, console: Console) -> bool:
    """A live bar only for a person at a terminal; CI logs and pipes stay clean."""
    if quiet or not console.is_terminal:
        return False
    return not (os.environ.get("NO_COLOR") or os.environ.get("CI"))


class _ProgressBar:
    """The core's progress hook, drawn as a rich progress bar on stderr."""

    def __init__(self, console: Console) -> None:
        from rich.progress import (  # noqa: PLC0415 -- only a terminal with a bar needs it
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        self._progress = Progress(
            TextColumn("[bold]scanning"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[rate]}"),
            TimeElapsedColumn(),
            TextColumn("eta"),
            TimeRemainingColumn(),
            console=getattr(console, "real", console),
            transient=True,
        )
        self._task: TaskID | None = None

    def __enter__(self) -> _ProgressBar:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._progress.stop()

    def start(self, total: int) -> None:
        """Start drawing (the core calls this once the walk has counted the files)."""
        if self._task is not None:
            # A second pass (--packages-only scans the packages' license files next): the
            # same bar starts over rather than a second bar appearing.
            self._progress.reset(self._task, total=total, rate="")
            return
        self._task = self._progress.add_task("scan", total=total, rate="")
        self._progress.start()

    def advance(self, path: str) -> None:
        """One more file done."""
        if self._task is None:
            return
        self._progress.advance(self._task)
        speed = next(t.speed for t in self._progress.tasks if t.id == self._task)
        self._progress.update(self._task, rate=f"{speed:.1f} files/s" if speed else "")


def _scan_version() -> str:
    from ospo_scan.engine.index import scancode_version  # noqa: PLC0415

    return f"ospo-scan {__version__} (scancode-toolkit {scancode_version()})"


def _print_version(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    if not value or ctx.resilient_parsing:
        return
    click.echo(_scan_version())
    ctx.exit(EXIT_OK)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--version",
    is_flag=True,
    expose_value=False,
    is_eager=True,
    callback=_print_version,
    help="Show the versions of ospo-scan and scancode-toolkit and exit.",
)
def main() -> None:
    """ospo-scan: find the licenses and copyrights in a codebase, with ScanCode's engine.

    Exit codes: 0 success, 1 policy violations, 2 usage or configuration error.
    """


def _pick_format(name: str | None, output: Path | None) -> str:
    if name:
        return name
    if output is not None:
        return "table" if output.suffix.lower() in {".txt", ".text"} else "json"
    return "table" if sys.stdout.isatty() else "json"


def _emit(text: str, output: Path | None) -> None:
    if output is None:
        click.echo(text, nl=False)
    else:
        write_atomic(output, text)


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


def _scan_or_load(path: Path, options: ScanOptions, *, quiet: bool, err: Console) -> ScanResult:
    """Scan the folder ``path``, or read the result document ``path`` without a rescan."""
    if not path.is_dir():
        from ospo_scan.document import load_result  # noqa: PLC0415

        return load_result(path)
    return _run_scan(path, options, quiet=quiet, err=err)


def _run_scan(path: Path, options: ScanOptions, *, quiet: bool, err: Console) -> ScanResult:
    """Scan ``path`` with a progress bar for a person at a terminal, cache warnings on stderr."""
    with _cache_warnings_to(err):
        if _show_progress(quiet, err):
            with _ProgressBar(err) as bar:
                return scan(path, options, bar)
        return scan(path, options)


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
        type=click.Path(file_okay=False, path_type=Path),
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


@main.command("scan")
@click.argument(
    "path",
    type=click.Path(exists=True, file_okay=True, dir_okay=True, readable=True, path_type=Path),
)
@click.option(
    "-f",
    "--format",
    "format_name",
    type=click.Choice(sorted(SCAN_FORMATS)),
    help="Output format. Default: table on a terminal, json otherwise.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="Write the result to FILE (atomically) instead of stdout.",
)
@scan_options
@click.option("-q", "--quiet", is_flag=True, help="No progress bar and no summary on stderr.")
def scan_command(
    path: Path,
    format_name: str | None,
    output: Path | None,
    options: ScanOptions,
    quiet: bool,
) -> None:
    """Scan PATH for licenses and copyrights, file by file.

    Every regular file is hashed and, when it is text, searched for license texts, notices,
    SPDX tags and references and for copyright statements. Files that cannot be scanned are
    listed with the reason; they never stop the scan.

    Package manifests, lockfiles and installed-package metadata (package.json,
    package-lock.json, requirements.txt, poetry.lock, *.dist-info/METADATA, Cargo.toml, ...)
    become packages and dependencies, each with a license resolved offline from its
    installed copy in the tree.
    """
    format_name = _pick_format(format_name, output)
    formatter = SCAN_FORMATS[format_name]
    if output is not None:
        check_writable(output)  # now, not after the scan
    err = _stderr_console()
    result = _run_scan(path, options, quiet=quiet, err=err)
    to_terminal = output is None and sys.stdout.isatty()
    out = _console()
    text = formatter.render(
        result,
        width=out.width if to_terminal else None,
        color=to_terminal and formatter.for_humans and out.color_system is not None,
    )
    _emit(text, output)
    if not quiet and not (to_terminal and formatter.for_humans):
        s = result.summary
        err.print(
            f"ospo-scan: {s.files} files, {s.files_with_licenses} with licenses, "
            f"{s.files_with_errors} errors, {s.files_skipped} skipped in {s.elapsed_seconds:.1f} s",
            markup=False,
        )
        if options.packages or options.packages_only:
            err.print(
                f"ospo-scan: {s.packages} packages, {s.dependencies} dependencies, "
                f"{s.dependencies_unresolved} unresolved, {s.license_conflicts} license conflicts",
                markup=False,
            )


# --- check and policy -------------------------------------------------------------------

_REPORT_SUFFIXES = {
    ".json": "json",
    ".sarif": "sarif",
    ".xml": "junit",
    ".md": "markdown",
    ".txt": "table",
    ".text": "table",
}


def _pick_report_format(name: str | None, output: Path | None) -> str:
    if name:
        return name
    if output is not None:
        if output.name.endswith(".sarif.json"):
            return "sarif"
        return _REPORT_SUFFIXES.get(output.suffix.lower(), "json")
    return "table" if sys.stdout.isatty() else "json"


@main.command("check")
@click.argument(
    "path",
    type=click.Path(exists=True, file_okay=True, dir_okay=True, readable=True, path_type=Path),
)
@click.option(
    "-p",
    "--policy",
    "policy_name",
    default="default",
    show_default=True,
    metavar="FILE|NAME",
    help="A policy file, or the name of a shipped policy (see `ospo-scan policy list`).",
)
@click.option(
    "-f",
    "--format",
    "format_name",
    type=click.Choice(REPORT_FORMAT_NAMES),
    help="Report format. Default: table on a terminal, json otherwise "
    "(or from the -o suffix: .sarif, .xml, .md, .json).",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="Write the report to FILE (atomically) instead of stdout.",
)
@click.option(
    "--fail-on",
    type=click.Choice(["deny", "review"]),
    default="deny",
    show_default=True,
    help="Exit 1 when something is denied, or also when something is in review.",
)
@scan_options
@click.option("-q", "--quiet", is_flag=True, help="No progress bar and no summary on stderr.")
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
    file, every package and every dependency gets a verdict: pass, review or deny.

    Exit codes: 0 nothing denied, 1 something denied (or in review, with --fail-on review),
    2 usage or policy error.
    """
    from ospo_scan.evaluate import evaluate  # noqa: PLC0415
    from ospo_scan.policy import Policy, Verdict  # noqa: PLC0415
    from ospo_scan.report_formats import REPORT_FORMATS  # noqa: PLC0415

    # The policy and the output first: a typo in either should not cost a whole scan.
    policy = Policy.load(policy_name)
    if output is not None:
        check_writable(output)
    err = _stderr_console()
    result = _scan_or_load(path, options, quiet=quiet, err=err)
    report = evaluate(result, policy)
    format_name = _pick_report_format(format_name, output)
    formatter = REPORT_FORMATS[format_name]
    to_terminal = output is None and sys.stdout.isatty()
    out = _console()
    text = formatter.render(
        report,
        width=out.width if to_terminal else None,
        color=to_terminal and formatter.for_humans and out.color_system is not None,
    )
    _emit(text, output)
    if not quiet:
        # Plain echo, not rich: one unwrapped line each, whatever the terminal width.
        for note in report.waiver_notes:
            click.echo(f"ospo-scan: warning: {note.message}", err=True)
        click.echo(f"ospo-scan: {report.summary()}", err=True)
    threshold = Verdict.REVIEW if fail_on == "review" else Verdict.DENY
    if report.failed(threshold):
        sys.exit(EXIT_VIOLATIONS)


@main.group("policy")
def policy_group() -> None:
    """Validate, show, list and start license policies."""


@policy_group.command("validate")
@click.argument("policy_file", metavar="FILE|NAME")
def policy_validate(policy_file: str) -> None:
    """Check a policy file (and what it extends); exit 2 with the line and key if it is wrong."""
    from ospo_scan.policy import Policy  # noqa: PLC0415

    policy = Policy.load(policy_file)
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
    import datetime as dt  # noqa: PLC0415

    from ospo_scan.policy import Policy  # noqa: PLC0415
    from ospo_scan.report_formats.policy_table import render_policy  # noqa: PLC0415

    policy = Policy.load(policy_file)
    to_terminal = sys.stdout.isatty()
    width = _console().width if to_terminal else None
    click.echo(render_policy(policy, today=dt.date.today(), width=width), nl=False)


@policy_group.command("list")
def policy_list() -> None:
    """List the policies shipped with ospo-scan (usable by name with --policy)."""
    from ospo_scan.policy import shipped_policies, shipped_policy  # noqa: PLC0415

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
    from ospo_scan.policy_starter import STARTER_POLICY  # noqa: PLC0415

    if policy_file.exists() and not force:
        raise UsageFailure(f"{policy_file} exists; use --force to overwrite it")
    write_atomic(policy_file, STARTER_POLICY.format(filename=policy_file.name))
    click.echo(
        f"ospo-scan: wrote {policy_file}; edit it, then: ospo-scan policy validate {policy_file}",
        err=True,
    )


@main.command("sbom")
@click.argument(
    "path",
    type=click.Path(exists=True, file_okay=True, dir_okay=True, readable=True, path_type=Path),
)
@click.option(
    "-f",
    "--format",
    "format_name",
    type=click.Choice(SBOM_FORMATS),
    help=f"SBOM format. Default: from the -o file name (.spdx.json, .spdx, .cdx.json, ...), "
    f"else {DEFAULT_FORMAT}.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="Write the SBOM to FILE (atomically, only once it is valid) instead of stdout.",
)
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
    metavar="FILE|NAME",
    help="Conclude each OR license as the alternative this policy elects (a policy file or "
    "a shipped policy's name). The SBOM is written whatever the verdicts: use `check` to gate.",
)
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
@click.option("-q", "--quiet", is_flag=True, help="No progress bar and no summary on stderr.")
def sbom_command(
    path: Path,
    format_name: str | None,
    output: Path | None,
    include_files: bool,
    reproducible: bool,
    policy_name: str | None,
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
    """
    from ospo_scan.sbom import SbomOptions, format_for_path, render_sbom  # noqa: PLC0415
    from ospo_scan.sbom.inventory import source_date_epoch  # noqa: PLC0415

    # The policy, the output and SOURCE_DATE_EPOCH first: a mistake in any of them should not
    # cost a whole scan.
    policy = None
    if policy_name is not None:
        from ospo_scan.policy import Policy  # noqa: PLC0415

        policy = Policy.load(policy_name)
    if output is not None:
        check_writable(output)
    source_date_epoch()
    err = _stderr_console()
    result = _scan_or_load(path, options, quiet=quiet, err=err)
    if format_name is None:
        format_name = (format_for_path(output) if output else None) or DEFAULT_FORMAT
    report = None
    if policy is not None:
        from ospo_scan.evaluate import evaluate  # noqa: PLC0415

        report = evaluate(result, policy)
    text = render_sbom(
        result,
        format_name,
        SbomOptions(
            include_files=include_files,
            reproducible=reproducible,
            project_version=project_version,
            supplier=supplier,
        ),
        policy_report=report,
    )
    _emit(text, output)
    if not quiet:
        # Plain echo, not rich: one unwrapped line, whatever the terminal width.
        where = f" to {output}" if output else ""
        click.echo(
            f"ospo-scan: wrote a valid {format_name} SBOM of {len(result.packages)} packages, "
            f"{len(result.dependencies)} dependencies"
            f"{f' and {len(result.files)} files' if include_files else ''}{where}",
            err=True,
        )


@contextlib.contextmanager
def _cache_warnings_to(err: Console) -> Iterator[None]:
    """Show the core's cache warnings as one ``ospo-scan: warning:`` line each."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", CacheWarning)
        try:
            yield
        finally:
            # Shown even when the command fails: a warning may be why.
            for warning in caught:
                if issubclass(warning.category, CacheWarning):
                    err.print(f"ospo-scan: warning: {warning.message}", markup=False)
                else:
                    warnings.warn_explicit(
                        warning.message, warning.category, warning.filename, warning.lineno
                    )


@main.group("cache")
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
    with _cache_warnings_to(_stderr_console()):
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
    with _cache_warnings_to(_stderr_console()):
        removed = clear_cache(directory)
    click.echo(f"removed {removed} entries from {directory}", err=True)


@main.group("daemon")
def daemon_group() -> None:
    """Keep ScanCode loaded between commands, so a re-scan after an edit takes a moment.

    Loading ScanCode's license index and package handlers takes seconds in every process. A
    running daemon holds them (about 1.2 GB of memory); every `ospo-scan` command of this
    user and Python environment is then forked from it and runs as it would alone: same
    options, files, caches, output and exit code. Set OSPO_SCAN_NO_DAEMON=1 to bypass it.
    """


@daemon_group.command("start")
@click.option(
    "--idle-minutes",
    type=click.FloatRange(min=0),
    default=30.0,
    show_default=True,
    help="Exit after this many minutes without a command (0: never).",
)
@click.option(
    "--foreground",
    is_flag=True,
    help="Run the daemon in this process (for a service manager) instead of in the background.",
)
def daemon_start_command(idle_minutes: float, foreground: bool) -> None:
    """Start the daemon in the background (it replaces one of another build)."""
    from ospo_scan import daemon  # noqa: PLC0415

    if foreground:
        sys.exit(daemon.serve(idle_minutes))
    click.echo("ospo-scan: starting the daemon (loading ScanCode) ...", err=True)
    current, started = daemon.start(idle_minutes)
    verb = "started" if started else "already running"
    click.echo(f"ospo-scan: daemon {verb}, pid {current.pid}, socket {current.socket}", err=True)


@daemon_group.command("stop")
def daemon_stop_command() -> None:
    """Stop the daemon (commands it is running go on to the end)."""
    from ospo_scan import daemon  # noqa: PLC0415

    pid = daemon.stop()
    message = "no daemon is running" if pid is None else f"stopped the daemon (pid {pid})"
    click.echo(f"ospo-scan: {message}", err=True)


@daemon_group.command("status")
@click.option("--json", "as_json", is_flag=True, help="Print the status as JSON.")
def daemon_status_command(as_json: bool) -> None:
    """Show whether a daemon runs for this environment, and what it has done."""
    from ospo_scan import daemon, launcher  # noqa: PLC0415

    current = daemon.status()
    if as_json:
        data: dict[str, Any] = {"running": current is not None, "socket": launcher.socket_path()}
        if current is not None:
            data.update(
                pid=current.pid,
                same_build=current.same_build,
                uptime_seconds=round(time.time() - current.started, 1),
                commands_served=current.served,
                commands_running=current.running,
                idle_timeout_seconds=current.idle_timeout,
                rss_bytes=current.rss_bytes,
            )
        click.echo(json.dumps(data, indent=2))
        return
    if current is None:
        click.echo(f"daemon: not running (socket {launcher.socket_path()})")
        return
    build = "this build" if current.same_build else "another build (restart: `daemon start`)"
    rss = current.rss_bytes
    click.echo(f"daemon: running, pid {current.pid}, {build}")
    click.echo(f"socket: {current.socket}")
    click.echo(f"uptime: {time.time() - current.started:.0f} s")
    click.echo(f"commands: {current.served} served, {current.running} running")
    idle = current.idle_timeout / 60
    click.echo(f"idle timeout: {f'{idle:g} min' if idle else 'none'}")
    if rss is not None:
        click.echo(f"memory: {rss / (1024 * 1024):.0f} MiB resident")
