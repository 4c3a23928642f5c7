# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""``notice --format text``: the attribution as a plain text NOTICE file.

Plain text travels best (a ``NOTICE`` file beside a binary, a page in a product's "About"
box): no markup, 72-column rules between sections, texts as they were read. One-line fields
(names, paths) are printable (``\\xNN`` for control characters); texts keep their lines.
"""

from __future__ import annotations

import textwrap

from ospo_scan.formats import _notice as words
from ospo_scan.model import printable
from ospo_scan.notice.model import Notice, PackageNotice

_RULE = "-" * 72
_DOUBLE = "=" * 72
_STARS = "*" * 72


def _wrapped(text: str, first: str = "", rest: str = "") -> list[str]:
    # Words only: a long path or purl stays whole, over the width rather than cut.
    lines = textwrap.wrap(
        text,
        72,
        initial_indent=first,
        subsequent_indent=rest,
        break_long_words=False,
        break_on_hyphens=False,
    )
    return lines or [first]


class NoticeText:
    """The plain text attribution document."""

    for_humans = False  # a document: the same bytes whatever the terminal

    def render(self, notice: Notice, /, *, width: int | None = None, color: bool = False) -> str:
        """The whole document, ending in a newline."""
        names = words.labels(notice)
        lines = [words.TITLE, _DOUBLE, ""]
        if notice.violations is not None:
            lines += [_STARS, words.BANNER, *_wrapped(words.banner_detail(notice.violations))]
            lines += [_STARS, ""]
        lines += [f"{name}: {value}" for name, value in words.header_facts(notice)]
        lines += ["", *_wrapped(words.INTRO), ""]
        gaps = notice.incomplete
        if gaps:
            lines.append("Incomplete: the document lacks what follows; complete it by hand.")
            for gap in gaps:
                lines += _wrapped(printable(gap), "  - ", "    ")
            lines.append("")
        for package in notice.packages:
            lines += self._package(notice, package, names)
        lines += [_DOUBLE, "License texts", _DOUBLE, ""]
        for lic in notice.licenses:
            lines += [_RULE, f"{printable(lic.license_id)}: {printable(lic.name)}"]
            used = ", ".join(names.get(k, printable(k)) for k in lic.packages)
            lines += _wrapped(f"Used by: {used}")
            lines += [printable(url) for url in lic.urls[:1]]
            lines += [_RULE, ""]
            lines += [lic.text, ""] if lic.text is not None else [f"({lic.missing})", ""]
        return "\n".join(lines).rstrip("\n") + "\n"

    def _package(self, notice: Notice, package: PackageNotice, names: dict[str, str]) -> list[str]:
        own = " (this project)" if package.is_project else ""
        lines = [_RULE, f"Package: {words.label(package)}{own}", _RULE]
        if package.purl:
            lines.append(f"Package URL: {printable(package.purl)}")
        if package.homepage:
            lines.append(f"Homepage: {printable(package.homepage)}")
        if package.supplier:
            lines.append(f"Author or supplier: {printable(package.supplier)}")
        scopes = words.scopes_text(package)
        if scopes:
            lines.append(f"Dependency scope: {scopes}")
        if package.license:
            detail = words.license_detail(package, notice.policy)
            suffix = f" ({detail})" if detail else ""
            lines.append(f"License: {printable(package.license)}{suffix}")
        else:
            lines.append("License: unknown")
        if package.copyrights:
            lines.append("Copyright notices:")
            lines += [f"  {printable(statement)}" for statement in package.copyrights]
        else:
            lines.append("Copyright notices: none found")
        for note in package.notes:
            lines += _wrapped(f"Note: {printable(note)}", "", "      ")
        for index in package.notice_files:
            lines += self._notice_file(notice, index, package, names)
        lines.append("")
        return lines

    def _notice_file(
        self, notice: Notice, index: int, package: PackageNotice, names: dict[str, str]
    ) -> list[str]:
        paths = ", ".join(words.paths_of(notice, index, package.key))
        first = words.first_holder(notice, index)
        if first != package.key:
            same = names.get(first, printable(first))
            return [
                "",
                *_wrapped(
                    f"NOTICE file {paths}: the same text as the NOTICE file of {same}, "
                    "reproduced there."
                ),
            ]
        lines = ["", f"NOTICE file {paths}:"]
        others = words.shared_with(notice, index, package.key, names)
        if others:
            lines += _wrapped(f"(the same text is the NOTICE file of {', '.join(others)})")
        return [*lines, "", notice.notice_files[index].text]


#: The format object the registry loads.
FORMAT = NoticeText()
