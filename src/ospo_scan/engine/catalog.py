# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""ScanCode's license database, as the value types of :mod:`ospo_scan.licensing`."""

from __future__ import annotations

import functools
from typing import Any

from ospo_scan.engine import index
from ospo_scan.licensing import LicenseCatalog, LicenseInfo, LicenseText, LicenseTexts

# --- license data for policies ---
#
# Policies name licenses by SPDX id (or ScanCode ``LicenseRef-scancode-*`` key) and by
# ScanCode category. Validating them and judging findings needs ScanCode's license
# database, but not its index: the database loads from the license files in about a
# second, the index takes many. ``policy validate`` must stay quick, so this section reads
# the database alone unless the index is already in memory (then its copy is reused).


def _license_info(lic: Any) -> LicenseInfo:
    key = str(lic.key)
    return LicenseInfo(
        key=key,
        spdx_id=str(lic.spdx_license_key or f"LicenseRef-scancode-{key}"),
        category=str(lic.category or ""),
        is_exception=bool(lic.is_exception),
        is_unknown=bool(lic.is_unknown),
        aliases=tuple(str(a) for a in (lic.other_spdx_license_keys or ()) if a and a.strip()),
    )


def _licenses_db() -> dict[str, Any]:
    """ScanCode's licenses by key: the index's copy when it is loaded, else read alone."""
    if index.is_loaded():
        from licensedcode.cache import get_licenses_db

        return dict(get_licenses_db())
    from licensedcode.models import load_licenses

    return dict(load_licenses())


@functools.cache
def license_catalog() -> LicenseCatalog:
    """ScanCode's license database as a :class:`LicenseCatalog`, loaded once per process."""
    return LicenseCatalog.build(_license_info(lic) for lic in _licenses_db().values())


# --- comparing a declaration with license files ---
#
# ScanCode names some texts with its own ids (``LicenseRef-scancode-<key>``) where a
# manifest names an SPDX license: the same license under another id (a deprecated SPDX id,
# an id ScanCode has since moved to the SPDX list), or a variant of it (Google's protobuf
# license is BSD-3-Clause with one paragraph added). Package conclusions compare them through
# ScanCode's own data rather than as strings.

#: Share of the SPDX license's words that a variant's text must contain, in order.
_VARIANT_CONTAINS = 0.95
#: At most this much longer than the SPDX license's text: an added paragraph, not a new text.
_VARIANT_LONGER = 1.5


@functools.cache
def _licenses_by_id() -> dict[str, Any]:
    """ScanCode licenses by lower-cased SPDX id, other SPDX ids, ``LicenseRef-scancode-<key>``."""
    by_id: dict[str, Any] = {}
    licenses = sorted(_licenses_db().values(), key=lambda lic: str(lic.key))
    for lic in licenses:
        by_id.setdefault(f"licenseref-scancode-{lic.key}".lower(), lic)
        for other in lic.other_spdx_license_keys or ():
            by_id.setdefault(str(other).lower(), lic)
    for lic in licenses:  # an SPDX id wins over an alias on a clash, as in LicenseCatalog
        if lic.spdx_license_key:
            by_id[str(lic.spdx_license_key).lower()] = lic
    return by_id


def same_license(declared_id: str, detected_id: str) -> bool:
    """True when ScanCode's data says two license ids name the same license.

    That is: both name the same ScanCode license (through its ``spdx_license_key``,
    ``other_spdx_license_keys`` or ``LicenseRef-scancode-<key>``), or ``detected_id`` is a
    ScanCode-only license (no SPDX id of its own) of the same category whose text is the text
    of the SPDX license ``declared_id`` with a little added: a variant of it. Loads ScanCode's
    license database on first use (about a second, unless the index is loaded).
    """
    by_id = _licenses_by_id()
    declared = by_id.get(declared_id.lower())
    detected = by_id.get(detected_id.lower())
    if declared is None or detected is None:
        return False
    if declared.key == detected.key:
        return True
    return _is_variant(str(detected.key), str(declared.key))


#: ScanCode's category of "licenses" that state none: a bare warranty disclaimer, a reference
#: to an unnamed license, a trademark notice.
_UNSTATED = "Unstated License"


def states_no_license(license_id: str) -> bool:
    """True when ScanCode files ``license_id`` under "Unstated License": it names no license.

    A warranty disclaimer (``LicenseRef-scancode-warranty-disclaimer``) is the common one:
    the last paragraph of many texts, matched alone when the text around it was edited.
    """
    found = _licenses_by_id().get(license_id.lower())
    return found is not None and str(found.category or "") == _UNSTATED


def _is_variant(variant_key: str, of_key: str) -> bool:
    return _variant_base(variant_key) == of_key


def _words(lic: Any) -> list[str]:
    from licensedcode.tokenize import index_tokenizer

    return list(index_tokenizer(lic.text or ""))


@functools.cache
def _variant_base(variant_key: str) -> str | None:
    """The SPDX license that the ScanCode-only license ``variant_key`` is a variant of, if any.

    That is the SPDX-listed license of the same category whose text the variant's contains
    best (at least :data:`_VARIANT_CONTAINS` of its words, in order), with at most
    :data:`_VARIANT_LONGER` times its length. The closest wins: protobuf's text contains
    BSD-2-Clause's too, but BSD-3-Clause's more.
    """
    import difflib

    db = _licenses_db()
    variant = db[variant_key]
    if (
        not str(variant.spdx_license_key or "").startswith("LicenseRef-")
        or variant.is_exception
        or variant.is_unknown
    ):
        return None
    variant_words = _words(variant)
    best: tuple[int, str] | None = None
    for key, lic in db.items():
        spdx = str(lic.spdx_license_key or "")
        if not spdx or spdx.startswith("LicenseRef-") or lic.is_exception:
            continue
        if lic.category != variant.category or lic.is_deprecated:
            continue
        words = _words(lic)
        if not words or not len(words) <= len(variant_words) <= _VARIANT_LONGER * len(words):
            continue
        matcher = difflib.SequenceMatcher(None, words, variant_words, autojunk=False)
        shared = sum(block.size for block in matcher.get_matching_blocks())
        if shared >= _VARIANT_CONTAINS * len(words) and (best is None or shared > best[0]):
            best = (shared, str(key))
    return best[1] if best else None


# --- license data for SBOMs ---


def _license_text(lic: Any) -> LicenseText:
    urls = [lic.spdx_url, lic.homepage_url, *(lic.text_urls or ()), *(lic.other_urls or ())]
    return LicenseText(
        key=str(lic.key),
        spdx_id=str(lic.spdx_license_key or f"LicenseRef-scancode-{lic.key}"),
        name=str(lic.name or lic.short_name or lic.key),
        text=str(lic.text or ""),
        is_exception=bool(lic.is_exception),
        urls=tuple(dict.fromkeys(str(u) for u in urls if u)),
    )


@functools.cache
def license_texts() -> LicenseTexts:
    """ScanCode's license database as a :class:`LicenseTexts` (built once per process).

    The database alone loads from the license files in about a second; the index's copy is
    reused when the index is already in memory (after a scan in this process).
    """
    by_id: dict[str, LicenseText] = {}
    current: dict[str, str] = {}
    for key, lic in sorted(_licenses_db().items()):
        data = _license_text(lic)
        by_id.setdefault(data.spdx_id, data)
        # Every ScanCode key is also reachable as LicenseRef-scancode-<key>, which is how
        # ScanCode writes licenses that are not (or were not yet) on the SPDX list.
        by_id.setdefault(f"LicenseRef-scancode-{key}", data)
        for other in lic.other_spdx_license_keys or ():
            if str(other) != data.spdx_id:
                current.setdefault(str(other), data.spdx_id)
    return LicenseTexts(by_id=by_id, current=current)
