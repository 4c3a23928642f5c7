# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""Bar charts as inline SVG for the HTML report: drawn here, so the page needs no library.

No ``style`` attribute anywhere (the page's Content-Security-Policy forbids inline styles
that its hash does not name): colours are presentation attributes or the page's CSS classes.
Every label is escaped; a license id or an ecosystem comes from the scanned tree.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

#: Bars shown per chart; the rest are summed into one "other" bar.
MAX_BARS = 10
_BAR = 22  # height of one bar's row, in SVG units
_LABEL = 190  # width kept for the labels
_WIDTH = 460


def bar_chart(title: str, bars: Sequence[tuple[str, int]], *, css: str = "") -> str:
    """A horizontal bar chart with ``title`` over ``bars`` (label, count), as a ``<figure>``."""
    shown = list(bars[:MAX_BARS])
    rest = sum(n for _, n in bars[MAX_BARS:])
    if rest:
        shown.append((f"{len(bars) - MAX_BARS} other", rest))
    caption = f"<figcaption>{escape(title)}</figcaption>"
    if not shown or not any(n for _, n in shown):
        return f'<figure class="chart {css}">{caption}<p class="empty">none</p></figure>'
    most = max(n for _, n in shown) or 1
    height = _BAR * len(shown) + 4
    rows = []
    for i, (label, count) in enumerate(shown):
        y = i * _BAR + 2
        width = max(1, round((_WIDTH - _LABEL - 50) * count / most)) if count else 0
        short = label if len(label) <= 28 else label[:27] + "\u2026"
        rows.append(
            f'<g class="bar bar-{escape(_css_word(label))}"><title>{escape(label)}: {count}'
            f"</title>"
            f'<text x="{_LABEL - 6}" y="{y + 15}" text-anchor="end">{escape(short)}</text>'
            f'<rect x="{_LABEL}" y="{y + 3}" width="{width}" height="{_BAR - 6}" rx="2"/>'
            f'<text x="{_LABEL + width + 5}" y="{y + 15}" class="count">{count}</text></g>'
        )
    label = escape(f"{title}: " + ", ".join(f"{name} {n}" for name, n in shown))
    return (
        f'<figure class="chart {css}">{caption}'
        f'<svg role="img" aria-label="{label}" viewBox="0 0 {_WIDTH} {height}" '
        f'width="{_WIDTH}" height="{height}" xmlns="http://www.w3.org/2000/svg">'
        f"{''.join(rows)}</svg></figure>"
    )


def _css_word(label: str) -> str:
    """A class suffix for the verdict bars (pass, review, deny); anything else is 'x'."""
    return label if label in ("pass", "review", "deny") else "x"
