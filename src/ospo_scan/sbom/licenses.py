# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""License expressions made valid for SPDX 2.3 documents, with the license texts they need.

ScanCode writes SPDX expressions that an SPDX 2.3 validator can reject: ``X WITH
LicenseRef-scancode-foo`` (SPDX 2.3 allows only listed exceptions after ``WITH``), deprecated
ids such as ``GPL-2.0``, and ``LicenseRef-*`` ids whose text a reader cannot look up. The
:class:`LicenseNormalizer` rewrites each expression and collects one
:class:`ExtractedLicense` (id, name, text) for every ``LicenseRef-*`` that reaches the
document.

The rewrite rules, in order:

1. A deprecated id, or a ``LicenseRef-scancode-*`` that has since joined the SPDX list, is
   replaced by the current SPDX id (``GPL-2.0`` -> ``GPL-2.0-only``); ids are matched
   without regard to case and written in their listed spelling (``mit`` -> ``MIT``).
2. ``X WITH E`` where ``E`` is not an exception on the SPDX list becomes one combined
   reference ``LicenseRef-ospo-X-WITH-E`` whose text is the text of ``X`` followed by the
   text of ``E``. We combine rather than write ``X AND E``: an exception is not a license of
   its own (``AND`` would claim two licenses apply), and spdx-tools itself rejects a known
   exception key used as a license. The combined reference's comment names ``X`` and ``E``.
3. An id that is neither on the SPDX list nor a ``LicenseRef-*`` (or an SPDX exception used
   as a license on its own) becomes ``LicenseRef-ospo-<id>``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from license_expression import ExpressionError, LicenseSymbol, LicenseWithExceptionSymbol

from ospo_scan.licensing import LicenseText, LicenseTexts, licensing

_REF = "LicenseRef-"
_NOT_ID_CHARS = re.compile(r"[^A-Za-z0-9.-]+")


@dataclass(frozen=True, slots=True)
class ExtractedLicense:
    """A ``LicenseRef-*`` used in a document, with what a reader needs to know about it."""

    license_id: str
    name: str
    text: str
    urls: tuple[str, ...] = ()
    comment: str | None = None


def spdx_list_symbols() -> dict[str, bool]:
    """The ids spdx-tools' validator knows, each mapped to "is an exception".

    This is the license list that the validator checks against, so an id it does not know
    must not reach a document as a bare id.
    """
    from spdx_tools.common.spdx_licensing import spdx_licensing  # noqa: PLC0415 -- slow import

    return {str(k): bool(s.is_exception) for k, s in spdx_licensing.known_symbols.items()}


def _ref_suffix(license_id: str) -> str:
    bare = license_id.removeprefix(_REF)
    return _NOT_ID_CHARS.sub("-", bare).strip("-") or "unknown"


class LicenseNormalizer:
    """Rewrites SPDX expressions into SPDX 2.3-valid ones and collects the references used.

    One normalizer serves one document: :meth:`extracted` returns every ``LicenseRef-*``
    that :meth:`normalize` has put into an expression so far.
    """

    def __init__(
        self,
        catalog: LicenseTexts,
        known: dict[str, bool] | None = None,
    ) -> None:
        """``known`` maps listed ids to "is an exception" (default: spdx-tools' list)."""
        self._catalog = catalog
        self._known = spdx_list_symbols() if known is None else known
        self._refs: dict[str, ExtractedLicense] = {}
        self._cache: dict[str, str] = {}
        # SPDX ids are case-insensitive when matched; manifests write "mit" or "apache-2.0".
        self._spelling = {k.lower(): k for k in sorted(self._known)}
        self._current_lower = {k.lower(): v for k, v in sorted(catalog.current.items())}

    def normalize(self, expression: str | None) -> str | None:
        """The SPDX 2.3-valid form of ``expression`` (``None`` stays ``None``)."""
        if not expression or not expression.strip():
            return None
        if expression not in self._cache:
            self._cache[expression] = self._normalize(expression)
        return self._cache[expression] or None

    def ids(self, expression: str | None) -> tuple[str, ...]:
        """The distinct license ids of a normalized expression; ``X WITH E`` stays one."""
        if not expression:
            return ()
        symbols = licensing().license_symbols(expression, unique=True, decompose=False)
        return tuple(dict.fromkeys(str(s) for s in symbols))

    def extracted(self) -> list[ExtractedLicense]:
        """Every ``LicenseRef-*`` used so far, sorted by id."""
        return [self._refs[k] for k in sorted(self._refs)]

    # -- the rewrite --------------------------------------------------------------------

    def _normalize(self, expression: str) -> str:
        try:
            parsed = licensing().parse(expression)
        except ExpressionError:
            # Not an expression at all (free text from a manifest): keep it, as a reference.
            return self._mint(expression, f"the license statement {expression!r}")
        if parsed is None:
            return ""
        return str(self._rebuild(parsed))

    def _rebuild(self, node: Any) -> Any:
        if isinstance(node, LicenseWithExceptionSymbol):
            lic = self._current(str(node.license_symbol.key))
            exc = self._current(str(node.exception_symbol.key))
            # spdx-tools' list also knows ScanCode's own exceptions as LicenseRef-scancode-*:
            # only an exception on the SPDX list proper may follow WITH.
            listed = not exc.startswith(_REF) and self._known.get(exc) is True
            if listed and self._usable_as_license(lic):
                return LicenseWithExceptionSymbol(
                    LicenseSymbol(lic), LicenseSymbol(exc, is_exception=True)
                )
            return LicenseSymbol(self._combine(lic, exc))
        if isinstance(node, LicenseSymbol):
            return LicenseSymbol(self._license_id(str(node.key)))
        return node.__class__(*[self._rebuild(arg) for arg in node.args])

    def _current(self, license_id: str) -> str:
        if license_id in self._catalog.current:
            return self._catalog.current[license_id]
        if license_id in self._known:
            return license_id
        lower = license_id.lower()
        if lower in self._current_lower:
            return self._current_lower[lower]
        return self._spelling.get(lower, license_id)

    def _usable_as_license(self, license_id: str) -> bool:
        if license_id.startswith(_REF):
            return self._known.get(license_id) is not True
        return self._known.get(license_id) is False

    def _license_id(self, license_id: str) -> str:
        current = self._current(license_id)
        if not self._usable_as_license(current):
            return self._mint(current, f"the id {current!r}, which SPDX 2.3 does not list")
        if current.startswith(_REF):
            self._remember(current)
        return current

    def _remember(self, license_id: str) -> None:
        if license_id in self._refs:
            return
        data = self._catalog.by_id.get(license_id)
        if data is None:
            self._refs[license_id] = ExtractedLicense(
                license_id=license_id,
                name=license_id.removeprefix(_REF),
                text=(
                    f"The scanned project refers to {license_id}; ScanCode's license data has "
                    "no text for it."
                ),
            )
        else:
            self._refs[license_id] = ExtractedLicense(
                license_id=license_id,
                name=data.name,
                text=_text_of(data),
                urls=data.urls,
            )

    def _mint(self, original: str, what: str) -> str:
        license_id = f"{_REF}ospo-{_ref_suffix(original)}"
        if license_id not in self._refs:
            data = self._catalog.by_id.get(original)
            self._refs[license_id] = ExtractedLicense(
                license_id=license_id,
                name=data.name if data else original,
                text=_text_of(data) if data else f"The scanned project states: {original}",
                urls=data.urls if data else (),
                comment=f"ospo-scan wrote this reference for {what}.",
            )
        return license_id

    def _combine(self, lic: str, exc: str) -> str:
        license_id = f"{_REF}ospo-{_ref_suffix(lic)}-WITH-{_ref_suffix(exc)}"
        if license_id not in self._refs:
            lic_data = self._catalog.by_id.get(lic)
            exc_data = self._catalog.by_id.get(exc)
            lic_name = lic_data.name if lic_data else lic
            exc_name = exc_data.name if exc_data else exc
            texts = [
                _text_of(lic_data) if lic_data else f"License: {lic}",
                _text_of(exc_data) if exc_data else f"Exception: {exc}",
            ]
            urls = (lic_data.urls if lic_data else ()) + (exc_data.urls if exc_data else ())
            self._refs[license_id] = ExtractedLicense(
                license_id=license_id,
                name=f"{lic_name} with {exc_name}",
                text="\n\n".join(texts),
                urls=tuple(dict.fromkeys(urls)),
                comment=(
                    f"ospo-scan combined the license {lic} and the exception {exc} into one "
                    "reference: the exception is not on the SPDX exception list, and SPDX 2.3 "
                    "allows only listed exceptions in a WITH expression."
                ),
            )
        return license_id


def _text_of(data: LicenseText) -> str:
    if data.text.strip():
        return data.text
    # ScanCode keeps no text for its "unknown" and generic keys; a reference must have one.
    return (
        f"{data.name}: ScanCode license key '{data.key}', which has no license text. "
        f"See https://scancode-licensedb.aboutcode.org/{data.key}.html"
    )
