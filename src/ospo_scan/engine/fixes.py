# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""Workarounds for what scancode-toolkit 32.5 gets wrong or drops in package data.

Each names the ScanCode behaviour it corrects; re-check them when the pin moves.
"""

from __future__ import annotations

import sys
from typing import Any

from ospo_scan.engine import detect, index

#: ScanCode datasources of installed Python metadata, where PEP 639 ``License-Expression``
#: may be the only license field (ScanCode 32.5 does not read it).
_PYPI_METADATA_DATASOURCES = frozenset({"pypi_wheel_metadata", "pypi_sdist_pkginfo"})


def fix_package_data(location: str, data: dict[str, Any]) -> None:
    """Correct, in place, what ScanCode's parser made of the datafile at ``location``."""
    datasource = data.get("datasource_id")
    if datasource in _PYPI_METADATA_DATASOURCES:
        _add_pep639_license(location, data)
    elif datasource == "pypi_poetry_pyproject_toml":
        _fix_poetry_name(location, data)
    elif datasource in _LOCK_LICENSE_READERS:
        _add_lock_licenses(location, data)
    _settle_lockfile_licenses(data)


def text_or_none(value: Any) -> str | None:
    """``value`` as stripped text, or ``None`` when it is missing or blank."""
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _add_pep639_license(location: str, data: dict[str, Any]) -> None:
    """Take PEP 639 ``License-Expression`` from Python metadata: it overrides the rest."""
    import email.parser

    with open(location, encoding="utf-8", errors="replace") as handle:  # noqa: PTH123
        headers = email.parser.Parser().parse(handle, headersonly=True)
    expression = headers.get("License-Expression")
    if not expression or not str(expression).strip():
        return
    expression = str(expression).strip()
    keys, spdx = declared_license_to_spdx(expression)
    if not keys:
        return
    data["extracted_license_statement"] = expression
    data["declared_license_expression"] = keys
    data["declared_license_expression_spdx"] = spdx


def declared_license_to_spdx(statement: str) -> tuple[str | None, str | None]:
    """A declared license statement as (ScanCode keys, SPDX), the way ScanCode reads manifests.

    A valid SPDX expression is read as one (deprecated ids such as ``GPL-2.0+`` become current
    ones); anything else goes through license detection. Unrecognised text gives ScanCode's
    ``unknown`` keys rather than a guess.
    """
    from packagedcode.licensing import get_only_expression_from_extracted_license

    index.load_index()
    keys = get_only_expression_from_extracted_license(statement)
    if not keys:
        return None, None
    return str(keys), detect.spdx_expression(str(keys))


def _read_json(location: str) -> Any:
    import json

    try:
        with open(location, encoding="utf-8") as handle:  # noqa: PTH123
            return json.load(handle)
    except (OSError, ValueError):
        return None


def _npm_lock_licenses(lock: Any) -> dict[tuple[str, str], str]:
    """(name, version) -> ``license`` of each package-lock.json v2/v3 entry."""
    entries = lock.get("packages") if isinstance(lock, dict) else None
    licenses: dict[tuple[str, str], str] = {}
    if not isinstance(entries, dict):
        return licenses
    for path, entry in entries.items():
        if not isinstance(entry, dict) or "node_modules/" not in f"/{path}":
            continue
        name = str(entry.get("name") or path.rpartition("node_modules/")[2])
        statement = entry.get("license")
        if isinstance(statement, str) and statement.strip() and entry.get("version"):
            licenses.setdefault((name, str(entry["version"])), statement.strip())
    return licenses


def _composer_lock_licenses(lock: Any) -> dict[tuple[str, str], str]:
    """(name, version) -> ``license`` of each composer.lock entry (a list means a choice)."""
    licenses: dict[tuple[str, str], str] = {}
    if not isinstance(lock, dict):
        return licenses
    for section in ("packages", "packages-dev"):
        for entry in lock.get(section) or ():
            if not isinstance(entry, dict) or not entry.get("name") or not entry.get("version"):
                continue
            stated = entry.get("license")
            names = [stated] if isinstance(stated, str) else stated
            if isinstance(names, list) and names and all(isinstance(n, str) for n in names):
                joined = " OR ".join(f"({n})" if " " in n else n for n in names)
                licenses.setdefault((str(entry["name"]), str(entry["version"])), joined)
    return licenses


#: Lockfiles whose entries state a license that ScanCode 32.5 does not keep.
_LOCK_LICENSE_READERS = {
    "npm_package_lock_json": _npm_lock_licenses,
    "php_composer_lock": _composer_lock_licenses,
}


def _add_lock_licenses(location: str, data: dict[str, Any]) -> None:
    """Keep the license each lockfile entry states, on the dependency's resolved package.

    ScanCode 32.5 drops it; with it, a dependency that is locked but not installed still has
    the license its lockfile states.
    """
    from packageurl import PackageURL

    reader = _LOCK_LICENSE_READERS.get(str(data.get("datasource_id")))
    lock = _read_json(location) if reader else None
    licenses = reader(lock) if reader and lock is not None else {}
    if not licenses:
        return
    spdx_of: dict[str, str | None] = {}
    for dependency in data.get("dependencies") or ():
        resolved = dependency.get("resolved_package") or {}
        if resolved.get("declared_license_expression_spdx"):
            continue
        try:
            purl = PackageURL.from_string(str(dependency.get("purl")))
        except ValueError:
            continue
        full = f"{purl.namespace}/{purl.name}" if purl.namespace else purl.name
        version = purl.version or resolved.get("version")
        stated = licenses.get((full, str(version)))
        if stated is None:
            continue
        if stated not in spdx_of:
            spdx_of[stated] = declared_license_to_spdx(stated)[1]
        resolved["extracted_license_statement"] = stated
        resolved["declared_license_expression_spdx"] = spdx_of[stated]
        dependency["resolved_package"] = resolved


def _fix_poetry_name(location: str, data: dict[str, Any]) -> None:
    """Restore a Poetry project's name and purl.

    ScanCode 32.5's Poetry parser reuses the variable ``name`` for the dependency groups it
    walks, so a project with groups comes out named after its last dev dependency.
    """
    from packageurl import PackageURL

    try:
        if sys.version_info >= (3, 11):
            import tomllib

            with open(location, "rb") as handle:  # noqa: PTH123
                document = tomllib.load(handle)
        else:  # pragma: no cover - Python 3.10
            import toml  # type: ignore[import-untyped,unused-ignore]

            document = toml.load(location)
    except Exception:  # noqa: BLE001 -- ScanCode read it; keep its reading if ours fails
        return
    name = document.get("tool", {}).get("poetry", {}).get("name")
    if not isinstance(name, str) or not name or name == data.get("name"):
        return
    data["name"] = name
    data["purl"] = PackageURL(type="pypi", name=name, version=data.get("version")).to_string()


#: Where :func:`parse_package_data` leaves a lockfile entry's license, as SPDX (or None).
LOCKFILE_LICENSE_KEY = "ospo_scan_lockfile_license_spdx"


def _settle_lockfile_licenses(data: dict[str, Any]) -> None:
    """Work out, while parsing, the license each lockfile entry states.

    Done here rather than at assembly: a statement that is not already an SPDX expression
    needs license detection, hence the license index, and the parse is what the findings
    cache keeps, so a warm re-scan assembles without the index.
    """
    for dependency in data.get("dependencies") or ():
        resolved = dependency.get("resolved_package") if isinstance(dependency, dict) else None
        if isinstance(resolved, dict) and resolved:
            resolved[LOCKFILE_LICENSE_KEY] = lockfile_license(resolved)


def lockfile_license(resolved: dict[str, Any]) -> str | None:
    """The license a lockfile entry states (composer.lock does; most lockfiles do not)."""
    if LOCKFILE_LICENSE_KEY in resolved:
        return text_or_none(resolved[LOCKFILE_LICENSE_KEY])
    spdx = text_or_none(resolved.get("declared_license_expression_spdx"))
    if spdx:
        return spdx
    statement = text_or_none(resolved.get("extracted_license_statement"))
    return declared_license_to_spdx(statement)[1] if statement else None
