# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""``notice --format html``: the attribution as one self-contained HTML page.

Inline CSS, no script, nothing fetched: it opens from disk and prints. Every piece of text
from the scan is escaped (``html.escape``), texts go in ``<pre>``; the licenses of each
package link to their texts further down.
"""

from __future__ import annotations

import html

from ospo_scan.formats import _notice as words
from ospo_scan.model import printable
from ospo_scan.notice.model import Notice, PackageNotice

_STYLE = """
body { font-family: system-ui, sans-serif; max-width: 60rem; margin: 1rem auto; padding: 0 1rem;
       line-height: 1.4; color: #1a1a1a; }
pre { white-space: pre-wrap; overflow-wrap: anywhere; background: #f6f6f6; padding: .75rem;
      border: 1px solid #ddd; }
.banner { border: 3px solid #b00020; color: #b00020; padding: .75rem; font-weight: bold; }
.gaps { border-left: 4px solid #d08000; padding-left: .75rem; }
dl { display: grid; grid-template-columns: max-content auto; gap: .2rem 1rem; }
dt { font-weight: bold; }
dd { margin: 0; }
section { border-top: 1px solid #ccc; margin-top: 1.5rem; }
code { overflow-wrap: anywhere; }
"""


def esc(text: str | None) -> str:
    """One line of scan text as HTML: printable, then escaped (quotes too)."""
    return html.escape(printable(text), quote=True)


class NoticeHtml:
    """The HTML attribution document."""

    for_humans = False

    def render(self, notice: Notice, /, *, width: int | None = None, color: bool = False) -> str:
        """The whole page, ending in a newline."""
        names = {k: html.escape(v, quote=True) for k, v in words.labels(notice).items()}
        anchors = {lic.license_id: f"license-{n}" for n, lic in enumerate(notice.licenses, 1)}
        title = esc(f"{words.TITLE}: {notice.project}")
        out = [
            "<!DOCTYPE html>",
            '<html lang="en">',
            "<head>",
            '<meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f"<title>{title}</title>",
            f"<style>{_STYLE}</style>",
            "</head>",
            "<body>",
            f"<h1>{esc(words.TITLE)}</h1>",
        ]
        if notice.violations is not None:
            detail = esc(words.banner_detail(notice.violations))
            out.append(
                f'<div class="banner" role="alert"><p>{words.BANNER}</p><p>{detail}</p></div>'
            )
        out.append("<dl>")
        for name, value in words.header_facts(notice):
            out.append(f"<dt>{esc(name)}</dt><dd>{esc(value)}</dd>")
        out += ["</dl>", f"<p>{esc(words.INTRO)}</p>"]
        if notice.incomplete:
            out.append(
                '<div class="gaps"><p><strong>Incomplete:</strong> the document lacks what '
                "follows; complete it by hand.</p><ul>"
            )
            out += [f"<li>{esc(gap)}</li>" for gap in notice.incomplete]
            out.append("</ul></div>")
        out += ["<h2>Packages</h2>", "<ul>"]
        out += [
            f'<li><a href="#package-{n}">{names[p.key]}</a></li>'
            for n, p in enumerate(notice.packages, 1)
        ]
        out.append("</ul>")
        for n, package in enumerate(notice.packages, 1):
            out += self._package(notice, package, n, names, anchors)
        out.append("<h2>License texts</h2>")
        for lic in notice.licenses:
            out.append(f'<section id="{anchors[lic.license_id]}">')
            out.append(f"<h3><code>{esc(lic.license_id)}</code>: {esc(lic.name)}</h3>")
            used = ", ".join(names.get(k, esc(k)) for k in lic.packages)
            out.append(f"<p>Used by: {used}</p>")
            if lic.urls:
                out.append(f"<p>{esc(lic.urls[0])}</p>")  # text, not a link: nothing to fetch
            if lic.text is not None:
                out.append(f"<pre>{html.escape(lic.text, quote=False)}</pre>")
            else:
                out.append(f"<p><strong>No text:</strong> {esc(lic.missing)}</p>")
            out.append("</section>")
        out += ["</body>", "</html>"]
        return "\n".join(out) + "\n"

    def _package(
        self,
        notice: Notice,
        package: PackageNotice,
        number: int,
        names: dict[str, str],
        anchors: dict[str, str],
    ) -> list[str]:
        own = " (this project)" if package.is_project else ""
        out = [f'<section id="package-{number}">', f"<h3>{names[package.key]}{own}</h3>", "<dl>"]
        if package.purl:
            out.append(f"<dt>Package URL</dt><dd><code>{esc(package.purl)}</code></dd>")
        if package.homepage:
            out.append(f"<dt>Homepage</dt><dd>{esc(package.homepage)}</dd>")
        if package.supplier:
            out.append(f"<dt>Author or supplier</dt><dd>{esc(package.supplier)}</dd>")
        scopes = words.scopes_text(package)
        if scopes:
            out.append(f"<dt>Dependency scope</dt><dd>{esc(scopes)}</dd>")
        if package.license:
            detail = words.license_detail(package, notice.policy)
            links = ", ".join(
                f'<a href="#{anchors[i]}">{esc(i)}</a>' for i in package.license_ids if i in anchors
            )
            text = f"<code>{esc(package.license)}</code>"
            text += f" ({esc(detail)})" if detail else ""
            text += f"; texts: {links}" if links else ""
            out.append(f"<dt>License</dt><dd>{text}</dd>")
        else:
            out.append("<dt>License</dt><dd><strong>unknown</strong></dd>")
        out += [f"<dt>Note</dt><dd>{esc(note)}</dd>" for note in package.notes]
        out.append("</dl>")
        if package.copyrights:
            statements = "\n".join(esc(c) for c in package.copyrights)
            out += ["<p>Copyright notices:</p>", f"<pre>{statements}</pre>"]
        else:
            out.append("<p>Copyright notices: none found</p>")
        for index in package.notice_files:
            paths = esc(", ".join(words.paths_of(notice, index, package.key)))
            first = words.first_holder(notice, index)
            if first != package.key:
                out.append(
                    f"<p>NOTICE file {paths}: the same text as the NOTICE file of "
                    f"{names.get(first, esc(first))}, reproduced there.</p>"
                )
                continue
            out.append(f"<p>NOTICE file {paths}:</p>")
            others = words.shared_with(notice, index, package.key, words.labels(notice))
            if others:
                out.append(f"<p>(the same text is the NOTICE file of {esc(', '.join(others))})</p>")
            out.append(f"<pre>{html.escape(notice.notice_files[index].text, quote=False)}</pre>")
        out.append("</section>")
        return out


#: The format object the registry loads.
FORMAT = NoticeHtml()
