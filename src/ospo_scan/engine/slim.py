# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""What of a parsed dependency's resolved package is kept: only what is ever read of it.

ScanCode's lockfile parsers give every dependency a ``resolved_package``: a full
``PackageData`` mapping of about 45 keys (URLs, checksums, empty party and keyword lists,
and the entry's own dependencies, each with a resolved package of its own). Assembly only
carries that mapping along (no ScanCode 32.5 ``assemble()`` reads it), and
:mod:`~ospo_scan.engine.assembly` reads three things of it: the version, the install path
in its file references and the license the entry states. On a 100,000-entry
package-lock.json the full mappings were about 450 MB, copied again at each step of the
assembly and by the findings cache; the slim ones are a tenth of that.

Two cuts: :func:`trim_parsed` on ScanCode's objects as the parser yields them, before they
are copied into mappings, keeping what :mod:`~ospo_scan.engine.fixes` reads too; then
:func:`slim_dependencies` once the fixes have settled each entry's license.
"""

from __future__ import annotations

from typing import Any

from ospo_scan.engine.fixes import LOCKFILE_LICENSE_KEY

#: The keys of a resolved package that :mod:`~ospo_scan.engine.assembly` reads (and its
#: ``file_references``, cut down to their paths).
_KEPT = ("version", LOCKFILE_LICENSE_KEY)

#: The keys of a resolved package that :mod:`~ospo_scan.engine.fixes` reads, besides those,
#: to settle the license a lockfile entry states.
_READ_BY_FIXES = ("declared_license_expression_spdx", "extracted_license_statement")


def trim_parsed(package_data: Any) -> None:
    """Cut, in place, the resolved packages of ScanCode's ``PackageData`` object down to what
    the fixes and the assembly read: its ``to_dict()`` then copies a tenth of the mappings.
    """
    keys = (*_KEPT, *_READ_BY_FIXES)
    for dependency in getattr(package_data, "dependencies", None) or ():
        # Most parsers leave their dependencies as mappings; some as DependentPackage objects.
        if isinstance(dependency, dict):
            resolved = dependency.get("resolved_package")
            if isinstance(resolved, dict) and resolved:
                dependency["resolved_package"] = _slim(resolved, keys)
            continue
        resolved = getattr(dependency, "resolved_package", None)
        if isinstance(resolved, dict) and resolved:
            dependency.resolved_package = _slim(resolved, keys)


def slim_dependencies(data: dict[str, Any]) -> None:
    """Cut, in place, each dependency's resolved package in ``data`` down to what is read.

    Call it after :func:`~ospo_scan.engine.fixes.fix_package_data`, which settles each
    entry's license under :data:`~ospo_scan.engine.fixes.LOCKFILE_LICENSE_KEY`.
    """
    for dependency in data.get("dependencies") or ():
        resolved = dependency.get("resolved_package") if isinstance(dependency, dict) else None
        if isinstance(resolved, dict) and resolved:
            dependency["resolved_package"] = _slim(resolved, _KEPT)


def _slim(resolved: dict[str, Any], keys: tuple[str, ...]) -> dict[str, Any]:
    kept = {key: resolved[key] for key in keys if key in resolved}
    paths = [{"path": path} for path in _reference_paths(resolved.get("file_references"))]
    if paths:
        kept["file_references"] = paths
    return kept


def _reference_paths(references: Any) -> list[str]:
    """The install paths in a resolved package's file references, in order.

    ScanCode's npm parser nests the list in another (``[[{"path": ...}]]``).
    """
    while isinstance(references, list) and references and isinstance(references[0], list):
        references = references[0]
    if not isinstance(references, list):
        return []
    return [str(ref["path"]) for ref in references if isinstance(ref, dict) and ref.get("path")]
