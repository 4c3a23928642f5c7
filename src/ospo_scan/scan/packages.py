# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""Packages: their license files, and a concluded license for each.

ScanCode parses the datafiles and assembles packages and dependencies
(:func:`ospo_scan.engine.assembly.assemble_packages`). This module adds what a compliance
review needs on top:

- the license files of each package (``LICENSE*``, ``COPYING*``, ``NOTICE*``... in the
  package's folder or its ``licenses/`` folder), whose detections come from the file scan;
- a concluded license per package that reconciles the declaration with those files, with the
  reason, and a :class:`~ospo_scan.model.LicenseConflict` when they disagree.

Each dependency's license is then resolved against the concluded packages, offline, by
:mod:`ospo_scan.scan.dependencies`; :func:`finish` does both.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace

from ospo_scan.engine.assembly import Assembled, AssembledPackage
from ospo_scan.engine.catalog import same_license
from ospo_scan.licensing import combine, uncovered, without_incorporated, without_noise
from ospo_scan.model import (
    ConclusionReason,
    Dependency,
    FileRecord,
    LicenseConflict,
    Package,
    SetAsideMatch,
)
from ospo_scan.scan.dependencies import is_installed_copy, resolved_dependencies
from ospo_scan.scan.license_evidence import package_license

#: File names (case-insensitive) of license files: LICENSE, LICENCE.md, COPYING.LESSER,
#: LICENSE-MIT, MIT-LICENSE, NOTICE, UNLICENSE, COPYRIGHT, apache.license ...
_LICENSE_NAME = re.compile(
    r"^(?:un)?(?:licen[cs]e|copying|copyright|notice|legal|patents?)(?:[-_. ].*)?$"
    r"|^.+[-_.](?:licen[cs]e|copying)(?:[-_.].*)?$",
    re.IGNORECASE,
)

#: Names of files that list the licenses of other people's code bundled with a package.
_THIRD_PARTY = re.compile(r"third[-_. ]?party|3rd[-_. ]?party|bundled|vendored", re.IGNORECASE)

#: Extensions that make a file source code, whatever its name says (license.js, notice.py).
_CODE_EXTENSIONS = frozenset(
    {
        ".js",
        ".mjs",
        ".cjs",
        ".ts",
        ".py",
        ".json",
        ".c",
        ".h",
        ".go",
        ".rs",
        ".java",
        ".rb",
        ".php",
        ".cs",
        ".map",
        ".sh",
        ".yml",
        ".yaml",
        ".toml",
        ".xml",
        ".css",
    }
)

#: Sub-folders of a package that hold license files: PEP 639 ``*.dist-info/licenses/`` and
#: the REUSE ``LICENSES/`` folder.
_LICENSE_FOLDERS = frozenset({"licenses", "license", "licences"})


def _is_code(path: str) -> bool:
    return posixpath.splitext(path)[1].lower() in _CODE_EXTENSIONS


def is_license_file(path: str) -> bool:
    """True when the file name says it holds the package's own license or notice text.

    Files that gather the licenses of third-party code (THIRD-PARTY-LICENSES, ...) are not
    the package's license: they would make every bundling package look like a conflict.
    """
    name = posixpath.basename(path)
    if _is_code(path) or _THIRD_PARTY.search(name):
        return False
    return bool(_LICENSE_NAME.match(name))


def license_files(package: AssembledPackage, paths: Iterable[str]) -> tuple[str, ...]:
    """The license files of ``package``: in its folder, or that folder's ``licenses/``.

    Files that ScanCode assigned to the package count too, when they sit in that folder.
    A nested package (``node_modules/a/node_modules/b``) has its own folder, so its license
    files are never its parent's.
    """
    root = package.package.root_path or ""
    found: list[str] = []
    for path in dict.fromkeys([*package.files, *paths]):
        folder = posixpath.dirname(path)
        in_root = folder == root
        in_license_folder = (
            posixpath.dirname(folder) == root
            and posixpath.basename(folder).lower() in _LICENSE_FOLDERS
        )
        # Everything in a licenses/ folder is a license text, whatever its name (REUSE's
        # LICENSES/MIT.txt, PEP 639's *.dist-info/licenses/AUTHORS.rst).
        if (in_root and is_license_file(path)) or (in_license_folder and not _is_code(path)):
            found.append(path)
    return tuple(sorted(found))


def wanted_license_files(assembly: Assembled, paths: Sequence[str]) -> set[str]:
    """Every license file of every package: what ``--packages-only`` still scans."""
    by_folder = _paths_by_folder(paths)
    wanted: set[str] = set()
    for package in assembly.packages:
        wanted.update(license_files(package, _near(by_folder, package.package.root_path or "")))
    return wanted


def _paths_by_folder(paths: Iterable[str]) -> dict[str, list[str]]:
    by_folder: dict[str, list[str]] = {}
    for path in paths:
        by_folder.setdefault(posixpath.dirname(path), []).append(path)
    return by_folder


def _near(by_folder: Mapping[str, list[str]], root: str) -> list[str]:
    """The paths in ``root`` and in its license sub-folders."""
    near = list(by_folder.get(root, ()))
    for folder in _LICENSE_FOLDERS | {f.upper() for f in _LICENSE_FOLDERS}:
        near.extend(by_folder.get(posixpath.join(root, folder) if root else folder, ()))
    return near


def conclude(
    package: Package,
    detected_spdx: str | None,
    files: tuple[str, ...],
    set_aside: tuple[SetAsideMatch, ...] = (),
) -> Package:
    """``package`` with its concluded license and the reason, from its declaration and files.

    ``set_aside`` are the license files' matches that are clues, not part of ``detected_spdx``
    (:mod:`ospo_scan.scan.license_evidence`): recorded on the package, never a conflict.
    """
    declared = without_noise(package.declared_license_spdx)
    detected = without_noise(detected_spdx)
    common = replace(
        package,
        declared_license_spdx=declared,
        detected_license_spdx=detected,
        license_files=files,
        set_aside=set_aside,
    )
    if declared and detected:
        # ScanCode's license data is only consulted when the expressions alone disagree.
        # An LGPL-3.0 package ships the GPL-3.0 text its license incorporates.
        compared = without_incorporated(declared, detected)
        left = uncovered(declared, compared) and uncovered(declared, compared, same_license)
        if left is None:
            return replace(
                common, concluded_license_spdx=declared, concluded_reason=ConclusionReason.AGREE
            )
        # Both apply until a person decides; what the declaration already covers is not
        # repeated, so its choices (OR) and its "or later" survive.
        return replace(
            common,
            concluded_license_spdx=combine([declared, left]),
            concluded_reason=ConclusionReason.CONFLICT,
            conflict=LicenseConflict(declared=declared, detected=detected, license_files=files),
        )
    if declared:
        return replace(
            common, concluded_license_spdx=declared, concluded_reason=ConclusionReason.DECLARED_ONLY
        )
    if detected:
        return replace(
            common, concluded_license_spdx=detected, concluded_reason=ConclusionReason.DETECTED_ONLY
        )
    return replace(common, concluded_license_spdx=None, concluded_reason=ConclusionReason.NONE)


def detected_license(
    files: Iterable[str], records: Mapping[str, FileRecord]
) -> tuple[str | None, tuple[SetAsideMatch, ...]]:
    """What the license files say together, and the matches in them set aside as clues."""
    found = [records[path] for path in files if path in records]
    expressions, set_aside = package_license(found)
    return combine(without_noise(e) for e in expressions), tuple(set_aside)


def _contains(outer: str, inner: str) -> bool:
    return outer in ("", inner) or inner.startswith(outer + "/")


def _merge_nested_duplicates(
    assembled: Iterable[AssembledPackage],
) -> list[AssembledPackage]:
    """One package for one project described twice in its own tree.

    An sdist has a PKG-INFO at its root and another in ``src/foo.egg-info/``; both describe
    the same package (same purl). The inner one is folded into the outer one. Copies in
    ``node_modules``, ``site-packages`` or ``vendor`` folders are real copies and stay apart.
    """
    kept: list[AssembledPackage] = []
    for item in sorted(assembled, key=lambda a: len(a.package.root_path or "")):
        root = item.package.root_path or ""
        outer = next(
            (
                k
                for k in kept
                if k.package.purl == item.package.purl
                and _contains(k.package.root_path or "", root)
                and not any(is_installed_copy(d) for d in item.package.datafile_paths)
            ),
            None,
        )
        if outer is None:
            kept.append(item)
            continue
        package = outer.package
        merged = replace(
            package,
            datafile_paths=tuple(
                dict.fromkeys(package.datafile_paths + item.package.datafile_paths)
            ),
            declared_license=package.declared_license or item.package.declared_license,
            declared_license_spdx=package.declared_license_spdx
            or item.package.declared_license_spdx,
            homepage_url=package.homepage_url or item.package.homepage_url,
            supplier=package.supplier or item.package.supplier,
        )
        kept[kept.index(outer)] = replace(
            outer, package=merged, files=tuple(sorted({*outer.files, *item.files}))
        )
    return kept  # finish() sorts the packages


def finish(
    assembly: Assembled,
    records: Mapping[str, FileRecord],
) -> tuple[tuple[Package, ...], tuple[Dependency, ...]]:
    """Concluded packages and license-resolved dependencies, sorted for stable output.

    ``records`` are the scanned files by path: the license files' detections come from them.
    """
    packages = _concluded_packages(assembly.packages, records)
    return tuple(packages), resolved_dependencies(assembly.dependencies, packages)


def _concluded_packages(
    assembled: Iterable[AssembledPackage], records: Mapping[str, FileRecord]
) -> list[Package]:
    """Each package with its license files and concluded license, by root path and purl."""
    by_folder = _paths_by_folder(records)
    packages: list[Package] = []
    for item in _merge_nested_duplicates(assembled):
        root = item.package.root_path or ""
        files = license_files(item, _near(by_folder, root))
        detected, set_aside = detected_license(files, records)
        packages.append(conclude(item.package, detected, files, set_aside))
    packages.sort(key=lambda p: (p.root_path or "", p.purl))
    return packages
