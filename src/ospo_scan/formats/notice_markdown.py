# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""``notice --format markdown``: the attribution as CommonMark (GitHub renders it as is).

Names, paths and expressions are escaped (a package called ``[x](javascript:...)`` stays
text); NOTICE files and license texts go in fenced blocks whose fence is longer than any run
of backticks in them, so no text can close its block early.
"""

from __future__ import annotations

import re

from ospo_scan.formats import _notice as words
from ospo_scan.model import printable
from ospo_scan.notice.model import Notice, PackageNotice

#: Every ASCII punctuation character may be backslash-escaped in CommonMark; these are the
#: ones that can make markup where scan text goes (never at the start of a line): emphasis,
#: code, links and images, raw HTML and entities, tables, strikethrough, a heading's end.
_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#!|~&])")


def inline(text: str | None) -> str:
    """``text`` as one line of Markdown that renders as the same characters, markup-free."""
    return _SPECIAL.sub(r"\\\1", printable(text))


def fenced(text: str) -> list[str]:
    """``text`` in a fenced code block that nothing in it can close."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return [f"{fence}text", text, fence]


class NoticeMarkdown:
    """The Markdown attribution document."""

    for_humans = False

    def render(self, notice: Notice, /, *, width: int | None = None, color: bool = False) -> str:
        """The whole document, ending in a newline."""
        names = {k: inline(v) for k, v in words.labels(notice).items()}
        lines = [f"# {words.TITLE}", ""]
        if notice.violations is not None:
            lines += [f"> **{words.BANNER}**", ">"]
            lines += [f"> {inline(words.banner_detail(notice.violations))}", ""]
        lines += [f"- **{name}:** {inline(value)}" for name, value in words.header_facts(notice)]
        lines += ["", words.INTRO, ""]
        if notice.incomplete:
            lines += ["**Incomplete:** the document lacks what follows; complete it by hand.", ""]
            lines += [f"- {inline(gap)}" for gap in notice.incomplete]
            lines.append("")
        lines += ["## Packages", ""]
        for package in notice.packages:
            lines += self._package(notice, package, names)
        lines += ["## License texts", ""]
        for lic in notice.licenses:
            lines += [f"### {inline(lic.license_id)}: {inline(lic.name)}", ""]
            used = ", ".join(names.get(k, inline(k)) for k in lic.packages)
            lines += [f"Used by: {used}", ""]
            if lic.urls:
                lines += [inline(lic.urls[0]), ""]
            if lic.text is not None:
                lines += [*fenced(lic.text), ""]
            else:
                lines += [f"**No text:** {inline(lic.missing)}", ""]
        return "\n".join(lines).rstrip("\n") + "\n"

    def _package(self, notice: Notice, package: PackageNotice, names: dict[str, str]) -> list[str]:
        own = " (this project)" if package.is_project else ""
        lines = [f"### {names[package.key]}{own}", ""]
        if package.purl:
            lines.append(f"- Package URL: {inline(package.purl)}")
        if package.homepage:
            lines.append(f"- Homepage: {inline(package.homepage)}")
        if package.supplier:
            lines.append(f"- Author or supplier: {inline(package.supplier)}")
        scopes = words.scopes_text(package)
        if scopes:
            lines.append(f"- Dependency scope: {inline(scopes)}")
        if package.license:
            detail = words.license_detail(package, notice.policy)
            suffix = f" ({inline(detail)})" if detail else ""
            lines.append(f"- License: **{inline(package.license)}**{suffix}")
        else:
            lines.append("- License: **unknown**")
        lines += [f"- Note: {inline(note)}" for note in package.notes]
        lines.append("")
        if package.copyrights:
            lines += ["Copyright notices:", "", *fenced("\n".join(package.copyrights)), ""]
        else:
            lines += ["Copyright notices: none found", ""]
        for index in package.notice_files:
            paths = ", ".join(inline(p) for p in words.paths_of(notice, index, package.key))
            first = words.first_holder(notice, index)
            if first != package.key:
                lines += [
                    f"NOTICE file {paths}: the same text as the NOTICE file of "
                    f"{names.get(first, inline(first))}, reproduced there.",
                    "",
                ]
                continue
            lines += [f"NOTICE file {paths}:", ""]
            others = words.shared_with(notice, index, package.key, words.labels(notice))
            if others:
                lines += [f"(the same text is the NOTICE file of {inline(', '.join(others))})", ""]
            lines += [*fenced(notice.notice_files[index].text), ""]
        return lines


#: The format object the registry loads.
FORMAT = NoticeMarkdown()
