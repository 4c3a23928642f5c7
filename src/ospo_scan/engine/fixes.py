# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""Workarounds for what scancode-toolkit 32.5 gets wrong or drops in package data.

Each names the ScanCode behaviour it corrects; re-check them when the pin moves.
"""

from __future__ import annotations

import re
import sys
from typing import Any

from ospo_scan.engine import detect, index

#: ScanCode datasources of Python core metadata files (a wheel's ``METADATA``, an sdist's
#: ``PKG-INFO``, an ``*.egg-info/PKG-INFO`` or ``EGG-INFO/PKG-INFO``), where PEP 639
#: ``License-Expression`` may be the only license field: ScanCode 32.5 reads none of them.
_PYPI_METADATA_DATASOURCES = frozenset(
    {"pypi_wheel_metadata", "pypi_sdist_pkginfo", "pypi_editable_egg_pkginfo", "pypi_egg_pkginfo"}
)

#: Python datasources whose license statement ScanCode 32.5 builds from a ``license`` field
#: and the ``License ::`` trove classifiers together, AND-ing their detections.
_PYPI_LICENSE_AND_CLASSIFIERS = _PYPI_METADATA_DATASOURCES | {
    "pypi_pyproject_toml",
    "pypi_poetry_pyproject_toml",
    "pypi_setup_py",
    "pypi_sdist",
    "pypi_wheel",
    "pypi_egg",
}


#: Where a corrected package datafile keeps ScanCode's own declared-license detections.
SCANCODE_DECLARED_KEY = "ospo_scan_scancode_license_detections"


def fix_package_data(location: str, data: dict[str, Any]) -> None:
    """Correct, in place, what ScanCode's parser made of the datafile at ``location``."""
    datasource = data.get("datasource_id")
    if datasource in _PYPI_LICENSE_AND_CLASSIFIERS:
        _python_declared_license(location, data)
    if datasource == "pypi_poetry_pyproject_toml":
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


def _python_declared_license(location: str, data: dict[str, Any]) -> None:
    """Decide a Python package's declared license by precedence, never AND-ing the sources.

    Python metadata can state a license three ways: PEP 639 ``License-Expression`` (an SPDX
    expression, which core metadata 2.4 says wins), the free-text ``License`` field (in
    pyproject.toml, ``license = "..."`` or ``{text = "..."}``) and ``License ::`` trove
    classifiers. ScanCode 32.5 ignores the first and ANDs the others, so ``License:
    LGPL-2.0-or-later`` with an "LGPLv3+" classifier became ``LGPL-2.0-or-later AND
    LGPL-3.0-or-later``. Here the first that names a license decides: the expression, then
    a ``License`` field with a recognisable license, then the classifiers (all of them, as
    ScanCode reads them, but for the PSF's: see :func:`_names_the_psf_license`).
    """
    statement = data.get("extracted_license_statement")
    fields = _license_and_classifiers(statement)
    expression = (
        _metadata_header(location, "License-Expression")
        if data.get("datasource_id") in _PYPI_METADATA_DATASOURCES
        else None
    )
    if expression:
        _declare(data, expression)
    elif fields is None and isinstance(statement, str) and _names_the_psf_license(statement):
        # A plain string: pyproject.toml's ``license = "..."`` or ``{text = "..."}``.
        _set_declared(data, statement, *_detect_declared(_PSF_SPDX))
    elif fields is not None:
        license_field, classifiers = fields
        psf = _names_the_psf_license(license_field)
        if license_field and (classifiers or psf):
            detections, keys, spdx = _detect_declared(_PSF_SPDX if psf else license_field)
            if _names_a_license(spdx):
                _set_declared(data, license_field, detections, keys, spdx)
                return
        if classifiers and (license_field or _PSF_CLASSIFIER in classifiers):
            _declare_classifiers(data, classifiers)


#: The trove classifier of the PSF's license, and the SPDX id of that license.
_PSF_CLASSIFIER = "License :: OSI Approved :: Python Software Foundation License"
_PSF_SPDX = "PSF-2.0"

#: The PSF's license named in a ``License`` field: "Python Software Foundation License",
#: "PSF License (Agreement)", optionally "version 2" / "v2" / "2.0"; "PSFL".
_PSF_LICENSE_NAME = re.compile(
    r"(?:python software foundation|psf) license(?: agreement)?(?: (?:version |v)?2(?:\.0)?)?"
    r"|psfl"
)


def _names_the_psf_license(statement: str | None) -> bool:
    """True when a Python license statement is, whole, the name of the PSF's license.

    SPDX names ``PSF-2.0`` "Python Software Foundation License 2.0" (the PSF's license
    agreement alone) and ``Python-2.0`` "Python License 2.0" (Python's whole license: the
    PSF, BeOpen, CNRI and CWI agreements together). ScanCode 32.5's rules read the PSF's
    name, its abbreviations and its trove classifier as its ``python`` key, which is
    ``Python-2.0``; a package that names the PSF license declares ``PSF-2.0``.
    """
    if not statement:
        return False
    name = " ".join(statement.lower().split()).rstrip(".")
    return _PSF_LICENSE_NAME.fullmatch(name) is not None


def _declare_classifiers(data: dict[str, Any], classifiers: list[str]) -> None:
    """Declare the license the ``License ::`` classifiers state, AND-ed as ScanCode does.

    The PSF's classifier is read as ``PSF-2.0`` (:func:`_names_the_psf_license`); the
    statement kept is still the classifiers, as the metadata says them.
    """
    statement: dict[str, Any] = {"classifiers": classifiers}
    if _PSF_CLASSIFIER not in classifiers:
        _declare(data, statement)
        return
    others = [c for c in classifiers if c != _PSF_CLASSIFIER]
    read_as = {"license": _PSF_SPDX, "classifiers": others} if others else _PSF_SPDX
    detections, keys, spdx = _detect_declared(read_as)
    if keys:
        _set_declared(data, statement, detections, keys, spdx)


def _metadata_header(location: str, name: str) -> str | None:
    import email.parser

    try:
        with open(location, encoding="utf-8", errors="replace") as handle:  # noqa: PTH123
            headers = email.parser.Parser().parse(handle, headersonly=True)
    except OSError:  # an archive (a wheel or an egg): ScanCode read it; keep its reading
        return None
    return text_or_none(headers.get(name))


def _license_and_classifiers(statement: Any) -> tuple[str | None, list[str]] | None:
    """The ``license`` field and the license classifiers of ScanCode's Python statement.

    ScanCode stores them as the YAML of ``{license: ..., classifiers: [...]}``; ``None``
    when the statement is not of that shape (setup.cfg's plain ``license`` string).
    """
    import saneyaml  # type: ignore[import-untyped]

    if isinstance(statement, str) and statement.strip():
        try:
            statement = saneyaml.load(statement)
        except Exception:  # noqa: BLE001 -- not YAML: nothing to separate
            return None
    if not isinstance(statement, dict) or not set(statement) <= {"license", "classifiers"}:
        return None
    classifiers = statement.get("classifiers") or []
    if not isinstance(classifiers, list):
        return None
    return text_or_none(statement.get("license")), [str(c) for c in classifiers]


def _names_a_license(spdx: str | None) -> bool:
    """True when a detection names some license besides ScanCode's "unknown" ones."""
    from ospo_scan.licensing import without_noise

    return bool(spdx and without_noise(spdx))


def _declare(data: dict[str, Any], statement: Any) -> None:
    """Make ``statement`` the package's declared license, detected as ScanCode detects one."""
    detections, keys, spdx = _detect_declared(statement)
    if keys:
        _set_declared(data, statement, detections, keys, spdx)


def _set_declared(
    data: dict[str, Any],
    statement: Any,
    detections: list[dict[str, Any]],
    keys: str | None,
    spdx: str | None,
) -> None:
    import saneyaml

    # ScanCode's own reading is kept: the licenses that raw ScanCode follows a file's "same
    # license as the package" reference to (scan/references.py) are those, not the corrected
    # ones, so that file-level findings stay ScanCode's.
    extra = data.get("extra_data")
    if not isinstance(extra, dict):
        extra = data["extra_data"] = {}
    extra.setdefault(SCANCODE_DECLARED_KEY, data.get("license_detections") or [])
    as_text = statement if isinstance(statement, str) else saneyaml.dump(statement)
    data["extracted_license_statement"] = as_text
    data["declared_license_expression"] = keys
    data["declared_license_expression_spdx"] = spdx
    data["license_detections"] = detections


def _detect_declared(statement: Any) -> tuple[list[dict[str, Any]], str | None, str | None]:
    """ScanCode's detections, keys and SPDX expression for a declared license statement."""
    from packagedcode.licensing import get_license_detections_and_expression

    index.load_index()
    detections, keys = get_license_detections_and_expression(extracted_license_statement=statement)
    if not keys:
        return [], None, None
    return list(detections), str(keys), detect.spdx_expression(str(keys))


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
