# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""``check --format html``: one self-contained page for the people who review licenses.

The page opens from disk with no network: its CSS, its script, its charts (inline SVG) and its
data (inline JSON) are all in the file, and a Content-Security-Policy forbids fetching
anything: no ``connect-src``, ``img-src`` or ``default-src`` beyond the page itself, and only
the script and style whose SHA-256 hashes it names may run. The summary and the charts are
drawn here; the big tables (files, packages, dependencies, findings) are drawn by the script
from the JSON, a page at a time, so that a 20,000-file result stays quick.

The check command hands the scan result over with :meth:`HtmlReport.with_context`; without
it (a report alone), the page has the findings but no package, dependency or file tables.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import json
from dataclasses import dataclass, replace
from html import escape
from importlib import resources
from typing import Any

from ospo_scan.evaluate import PolicyReport
from ospo_scan.formats.html_charts import bar_chart
from ospo_scan.formats.html_data import LicenseData, chart_counts, load_license_data, page_data
from ospo_scan.model import ScanResult

_VERDICT_WORDS = {
    "deny": "Fails: something is denied",
    "review": "Needs review",
    "pass": "Compliant",
}


@functools.cache
def _asset(name: str) -> str:
    folder = resources.files("ospo_scan.formats").joinpath("html_assets")
    return folder.joinpath(name).read_text("utf-8")


def _hash(text: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def json_for_script(value: Any) -> str:
    """JSON that can sit in a ``<script type="application/json">`` whatever its strings hold.

    ASCII only (U+2028, U+2029 and lone surrogates from undecodable file names become
    ``\\u`` escapes), and ``<``, ``>`` and ``&`` escaped too, so no ``</script>`` or
    ``<!--`` can end or change the block.
    """
    text = json.dumps(value, ensure_ascii=True, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def content_security_policy(script: str, style: str) -> str:
    """Nothing from the network, nothing inline but this script and this style."""
    return (
        "default-src 'none'; "
        f"script-src {_hash(script)}; "
        f"style-src {_hash(style)}; "
        "base-uri 'none'; form-action 'none'"
    )


def _count(verdict: str, label: str, n: int) -> str:
    return f'<div><dt>{label}</dt><dd id="count-{verdict}">{n}</dd></div>'


def _summary(data: dict[str, Any]) -> str:
    meta = data["meta"]
    counts = meta["counts"]
    verdict = meta["verdict"]
    sources = ", ".join(meta["policy_sources"])
    parts = [
        '<header class="top" id="summary">',
        "<h1>License compliance report</h1>",
        f'<p><span class="verdict {escape(verdict)}" id="overall" data-verdict="{escape(verdict)}">'
        f"{escape(_VERDICT_WORDS[verdict])}</span></p>",
        f'<p class="meta">Policy <code id="policy">{escape(meta["policy"])}</code> '
        f"({escape(sources)}) on <code>{escape(meta['root'])}</code>, {escape(meta['date'])}; "
        f"{escape(meta['tool'])}"
        + (f", ScanCode {escape(meta['scancode'])}" if meta["scancode"] else "")
        + "</p>",
        f'<p class="meta" id="summary-line">{escape(meta["summary"])}</p>',
    ]
    if meta["scope"]:
        parts.append(f'<p class="meta">Judged: {escape(meta["scope"])}</p>')
    counted = [
        _count("deny", "Denied", counts["deny"]),
        _count("review", "To review", counts["review"]),
        _count("pass", "Passed", counts["pass"]),
        _count("waived", "Waived", meta["waived"]),
        _count("errors", "Scan errors", meta["scan_errors"]),
    ]
    baseline = data["baseline"]
    if baseline is not None:
        counted += [
            _count("new", "New", baseline["new"]),
            _count("unchanged", "Unchanged", baseline["unchanged"]),
            _count("fixed", "Fixed", len(baseline["fixed"])),
        ]
    parts.append(f'<dl class="counts">{"".join(counted)}</dl>')
    if baseline is not None:
        parts.append(
            f'<p class="meta">Against the baseline <code>{escape(baseline["file"])}</code>: '
            "only new findings can fail the gate.</p>"
        )
    bars = chart_counts(data)
    parts += [
        '<div class="charts" id="charts">',
        bar_chart("Findings by verdict", bars["verdict"]),
        bar_chart("License findings by ScanCode category", bars["category"]),
        bar_chart("Packages by ecosystem", bars["ecosystem"]),
        bar_chart("Packages by concluded license", bars["concluded"]),
        "</div></header>",
    ]
    return "\n".join(parts)


#: The page's sections, in order: id, title; each filled by the script from the data.
_SECTIONS = (
    ("violations", "Violations"),
    ("conflicts", "License conflicts"),
    ("errors", "Scan errors"),
    ("packages", "Packages"),
    ("dependencies", "Dependencies"),
    ("files", "Files"),
    ("findings", "All findings"),
    ("licenses", "Licenses"),
)

_DIALOG = (
    '<dialog id="license-dialog" aria-labelledby="license-title"><header>'
    '<strong id="license-title"></strong>'
    '<button type="button" id="license-close">Close</button></header>'
    '<p class="urls" id="license-category"></p><p class="urls" id="license-urls"></p>'
    '<pre id="license-text"></pre></dialog>'
)


def render_page(data: dict[str, Any]) -> str:
    """The whole page for ``data`` (see :func:`~ospo_scan.formats.html_data.page_data`)."""
    script, style = _asset("report.js"), _asset("report.css")
    sections = list(_SECTIONS)
    if data["baseline"] is not None:
        sections.append(("fixed", "Fixed since the baseline"))
    nav = "".join(f'<a href="#{key}">{escape(title)}</a>' for key, title in sections)
    body = "".join(
        f'<section id="{key}"><h2>{escape(title)} <span class="n"></span></h2></section>'
        for key, title in sections
    )
    title = f"ospo-scan: {data['meta']['policy']} on {data['meta']['root']}"
    page = (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">\n'
        '<meta http-equiv="Content-Security-Policy" '
        f'content="{escape(content_security_policy(script, style))}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="referrer" content="no-referrer">\n'
        f"<title>{escape(title)}</title>\n<style>{style}</style></head>\n<body>\n"
        f"{_summary(data)}\n<nav>{nav}</nav>\n"
        "<noscript><p>The tables of this report need JavaScript; the summary above does "
        "not.</p></noscript>\n"
        f"<main>{body}</main>\n{_DIALOG}\n"
        f'<script type="application/json" id="report-data">{json_for_script(data)}</script>\n'
        f"<script>{script}</script>\n</body></html>\n"
    )
    # A file name that is not UTF-8 reaches us as lone surrogates: written as escapes.
    return page.encode("utf-8", "backslashreplace").decode("utf-8")


@dataclass(frozen=True)
class HtmlReport:
    """The check report as one self-contained HTML page."""

    result: ScanResult | None = None
    licenses: LicenseData | None = None
    for_humans = False  # a file to open, not text for a terminal

    def with_context(
        self, *, result: ScanResult | None = None, licenses: LicenseData | None = None
    ) -> HtmlReport:
        """This format with the scan result that was judged (and the license data, if at hand)."""
        return replace(self, result=result, licenses=licenses)

    def render(self, report: PolicyReport, *, width: int | None = None, color: bool = False) -> str:
        """The page; ScanCode's license data is loaded for the texts when not given."""
        licenses = self.licenses or load_license_data()
        return render_page(page_data(report, self.result, licenses))


#: The registry's entry (:mod:`ospo_scan.formats.registry`).
FORMAT = HtmlReport()
