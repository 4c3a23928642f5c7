# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""The licenses an attribution names, with their full texts from ScanCode's license data.

Every license of an expression is named, whatever the operator: ``A OR B`` names both (the
recipient may take either, and the document cannot know which one the distributor relies on
unless a policy elected one, which the package entry says), ``A WITH E`` names the license
and the exception. A license without a text in the data is named all the same, with the
reason: a document must never drop a license silently.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from license_expression import ExpressionError

from ospo_scan.licensing import LicenseText, LicenseTexts, licensing
from ospo_scan.notice.model import LicenseNotice

_DB_URL = "https://scancode-licensedb.aboutcode.org/"


class LicenseLookup:
    """Finds license ids in ScanCode's data, by current id, deprecated id or any case."""

    def __init__(self, texts: LicenseTexts) -> None:
        """Index ``texts``: ScanCode's data (:func:`ospo_scan.engine.catalog.license_texts`)."""
        self._texts = texts
        self._lower = {k.lower(): k for k in sorted(texts.by_id)}
        self._current_lower = {k.lower(): v for k, v in sorted(texts.current.items())}

    def canonical(self, license_id: str) -> str:
        """The id ScanCode's data files the license under (``license_id`` when unknown)."""
        if license_id in self._texts.current:
            return self._texts.current[license_id]
        if license_id in self._texts.by_id:
            return license_id
        lower = license_id.lower()
        return self._current_lower.get(lower) or self._lower.get(lower) or license_id

    def data(self, license_id: str) -> LicenseText | None:
        """ScanCode's record of ``license_id`` (canonical), if it has one."""
        return self._texts.by_id.get(license_id)

    def ids(self, expression: str) -> tuple[str, ...]:
        """The canonical ids of every license and exception of ``expression``, in order.

        An expression that does not parse (free text from a manifest) is one "id" of its own.
        """
        try:
            symbols = licensing().license_symbols(expression, unique=True, decompose=True)
        except ExpressionError:
            return (expression,)
        return tuple(dict.fromkeys(self.canonical(str(s.key)) for s in symbols))


def license_notices(
    used_by: Mapping[str, Sequence[str]], lookup: LicenseLookup
) -> tuple[LicenseNotice, ...]:
    """One entry per license id of ``used_by`` (id -> package keys), sorted by id."""
    return tuple(_notice(i, tuple(used_by[i]), lookup) for i in sorted(used_by, key=str.lower))


def _notice(license_id: str, packages: tuple[str, ...], lookup: LicenseLookup) -> LicenseNotice:
    data = lookup.data(license_id)
    if data is None:
        try:
            licensing().parse(license_id)
            why = "ScanCode's license data does not know this license"
        except ExpressionError:
            why = "this is not a license expression but a statement in the package's metadata"
        return LicenseNotice(
            license_id=license_id,
            name=license_id,
            text=None,
            missing=f"no license text: {why}; add the text by hand before distributing",
            urls=(),
            packages=packages,
        )
    urls = data.urls or (f"{_DB_URL}{data.key}.html",)
    if data.text.strip():
        return LicenseNotice(license_id, data.name, data.text.strip("\n"), None, urls, packages)
    return LicenseNotice(
        license_id=license_id,
        name=data.name,
        text=None,
        missing=(
            f"no license text: ScanCode's license data has none for its key '{data.key}' "
            "(a generic or unknown license); copy the statement from the package itself"
        ),
        urls=urls,
        packages=packages,
    )
