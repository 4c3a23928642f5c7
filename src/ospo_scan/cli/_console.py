# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""Consoles and the progress bar: rich only when a person watches a terminal."""

from __future__ import annotations

import os
from types import TracebackType
from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    from rich.console import Console
    from rich.progress import TaskID


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


def console(**options: Any) -> Console:
    return cast("Console", _LazyConsole(**options))


def stderr_console() -> Console:
    return console(stderr=True, highlight=False)


def plain_wanted() -> bool:
    """True under ``NO_COLOR`` (any value, as no-color.org says) or in CI (``CI`` set and not
    ``false`` or ``0``): no colour, no bold, no live bar, no control character at all."""
    if os.environ.get("NO_COLOR"):
        return True
    return os.environ.get("CI", "").strip().lower() not in {"", "0", "false", "no"}


def show_progress(quiet: bool, console: Console) -> bool:
    """A live bar only for a person at a terminal; CI logs and pipes stay clean."""
    if quiet or not console.is_terminal:
        return False
    return not plain_wanted()


def styled(console: Console) -> bool:
    """Whether text for people may carry ANSI styles on ``console`` (a terminal, no
    ``NO_COLOR``, not CI); rich alone would drop the colours under ``NO_COLOR`` but keep bold."""
    return console.is_terminal and console.color_system is not None and not plain_wanted()


def text_width(console: Console, *, to_terminal: bool) -> int | None:
    """The width to render text for people at: the terminal's, else ``COLUMNS`` when it is
    set (a CI log viewer's width), else ``None``: the format's own default."""
    if to_terminal:
        return int(console.width)
    columns = os.environ.get("COLUMNS", "").strip()
    return int(columns) if columns.isdigit() and int(columns) > 0 else None


class ProgressBar:
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

    def __enter__(self) -> ProgressBar:
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
