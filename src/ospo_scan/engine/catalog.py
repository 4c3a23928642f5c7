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


@functools.cache
def license_catalog() -> LicenseCatalog:
    """ScanCode's license database as a :class:`LicenseCatalog`, loaded once per process."""
    if index.is_loaded():
        from licensedcode.cache import get_licenses_db

        db = get_licenses_db()
    else:
        from licensedcode.models import load_licenses

        db = load_licenses()
    return LicenseCatalog.build(_license_info(lic) for lic in db.values())


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
    if index.is_loaded():
        from licensedcode.cache import get_licenses_db

        db = get_licenses_db()
    else:
        from licensedcode.models import load_licenses

        db = load_licenses()
    by_id: dict[str, LicenseText] = {}
    current: dict[str, str] = {}
    for key, lic in sorted(db.items()):
        data = _license_text(lic)
        by_id.setdefault(data.spdx_id, data)
        # Every ScanCode key is also reachable as LicenseRef-scancode-<key>, which is how
        # ScanCode writes licenses that are not (or were not yet) on the SPDX list.
        by_id.setdefault(f"LicenseRef-scancode-{key}", data)
        for other in lic.other_spdx_license_keys or ():
            if str(other) != data.spdx_id:
                current.setdefault(str(other), data.spdx_id)
    return LicenseTexts(by_id=by_id, current=current)
