# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""Small helpers shared by every rich table renderer (scan, packages, check, policy).

User data (paths, holders, expressions) always goes into a ``Text``, never into markup, so
that a file named ``src/[id]/x.py`` is shown as it is.
"""

from __future__ import annotations

import io

from rich.console import Console, RenderableType
from rich.table import Table
from rich.text import Text

from ospo_scan.model import printable


def safe_text(text: str | None, style: str = "") -> Text:
    """User text as a rich ``Text``: never read as markup, always printable."""
    return Text(printable(text), style=style)


def add_more_row(table: Table, hidden: int, columns: int) -> None:
    """Say how many rows a capped table leaves out (the JSON output always has them all)."""
    if hidden > 0:
        note = Text(f"… and {hidden} more (see --format json)", style="dim")
        table.add_row(note, *([""] * (columns - 1)))


def render_text(renderable: RenderableType, *, width: int | None, color: bool) -> str:
    """Render to a string: plain text, or with ANSI styles when ``color``."""
    buffer = io.StringIO()
    console = Console(
        file=buffer,
        width=width or 100,
        force_terminal=color,
        color_system="auto" if color else None,
        no_color=not color,
        highlight=False,
        soft_wrap=False,
    )
    console.print(renderable)
    return buffer.getvalue()
