# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""Packages and dependencies: a concluded license for each, resolved offline.

ScanCode parses the datafiles and assembles packages and dependencies
(:func:`ospo_scan.engine.assembly.assemble_packages`). This module adds what a compliance
review needs on top:

- the license files of each package (``LICENSE*``, ``COPYING*``, ``NOTICE*``... in the
  package's folder or its ``licenses/`` folder), whose detections come from the file scan;
- a concluded license per package that reconciles the declaration with those files, with the
  reason, and a :class:`~ospo_scan.model.LicenseConflict` when they disagree;
- each dependency's license, from its installed or vendored copy in the tree (a
  ``node_modules`` folder, a ``site-packages`` ``*.dist-info``, a ``vendor/`` folder) or from
  its lockfile entry, and ``None`` (unresolved) otherwise: never a guess, never the network.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace

from packageurl import PackageURL

from ospo_scan.engine.assembly import Assembled, AssembledDependency, AssembledPackage
from ospo_scan.licensing import combine, covers, without_noise
from ospo_scan.model import (
    ConclusionReason,
    Dependency,
    DependencyScope,
    FileRecord,
    LicenseConflict,
    Package,
)

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

#: The ecosystem's word for a dependency's scope (lower case) -> our fixed set.
_SCOPE_WORDS: dict[str, DependencyScope] = {
    # runtime
    "dependencies": DependencyScope.RUNTIME,
    "install": DependencyScope.RUNTIME,
    "runtime": DependencyScope.RUNTIME,
    "compile": DependencyScope.RUNTIME,
    "require": DependencyScope.RUNTIME,
    "requires": DependencyScope.RUNTIME,
    "requires-dist": DependencyScope.RUNTIME,
    "main": DependencyScope.RUNTIME,
    "default": DependencyScope.RUNTIME,
    "normal": DependencyScope.RUNTIME,
    "peerdependencies": DependencyScope.RUNTIME,
    "bundleddependencies": DependencyScope.RUNTIME,
    "bundledependencies": DependencyScope.RUNTIME,
    "provided": DependencyScope.RUNTIME,
    "system": DependencyScope.RUNTIME,
    # development
    "devdependencies": DependencyScope.DEV,
    "dev": DependencyScope.DEV,
    "develop": DependencyScope.DEV,
    "development": DependencyScope.DEV,
    "dev-dependencies": DependencyScope.DEV,
    "dev_dependencies": DependencyScope.DEV,
    "require-dev": DependencyScope.DEV,
    "devel": DependencyScope.DEV,
    # tests
    "test": DependencyScope.TEST,
    "tests": DependencyScope.TEST,
    "testing": DependencyScope.TEST,
    "test-dependencies": DependencyScope.TEST,
    # optional
    "optional": DependencyScope.OPTIONAL,
    "optionaldependencies": DependencyScope.OPTIONAL,
    "peerdependenciesmeta": DependencyScope.OPTIONAL,
    "extras": DependencyScope.OPTIONAL,
    # build
    "build": DependencyScope.BUILD,
    "build-dependencies": DependencyScope.BUILD,
    "build_dependencies": DependencyScope.BUILD,
    "build-system": DependencyScope.BUILD,
    "buildrequires": DependencyScope.BUILD,
}

#: ScanCode datasources whose ``is_optional`` flag is not to be trusted: its Poetry lockfile
#: parser sets it on every package (``package.get("is_optional") or True``).
_UNRELIABLE_OPTIONAL = frozenset({"pypi_poetry_lock"})


#: Scopes a package manager installs only for the package's own developers.
_NOT_INSTALLED_FOR_USERS = frozenset(
    {DependencyScope.DEV, DependencyScope.TEST, DependencyScope.BUILD}
)

#: Folders that hold installed or vendored copies of other people's packages.
_INSTALL_FOLDERS = frozenset(
    {"node_modules", "site-packages", "dist-packages", "vendor", "bower_components"}
)


def is_installed_copy(path: str) -> bool:
    """True when ``path`` lies in an installed or vendored copy of a package."""
    return any(part in _INSTALL_FOLDERS for part in path.split("/")[:-1])


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


def map_scope(
    scope: str | None, *, is_runtime: bool, is_optional: bool, datasource_id: str = ""
) -> DependencyScope:
    """The fixed scope for an ecosystem's own word, falling back on ScanCode's flags."""
    if scope:
        word = scope.strip().lower()
        if word in _SCOPE_WORDS:
            return _SCOPE_WORDS[word]
        for key, mapped in (("test", DependencyScope.TEST), ("build", DependencyScope.BUILD)):
            if key in word:
                return mapped
        if word.startswith("dev") or word.endswith("dev"):
            return DependencyScope.DEV
        if "optional" in word:
            return DependencyScope.OPTIONAL
    if not is_runtime:
        return DependencyScope.DEV
    if is_optional and datasource_id not in _UNRELIABLE_OPTIONAL:
        return DependencyScope.OPTIONAL
    return DependencyScope.RUNTIME


def conclude(package: Package, detected_spdx: str | None, files: tuple[str, ...]) -> Package:
    """``package`` with its concluded license and the reason, from its declaration and files."""
    declared = without_noise(package.declared_license_spdx)
    detected = without_noise(detected_spdx)
    common = replace(
        package, declared_license_spdx=declared, detected_license_spdx=detected, license_files=files
    )
    if declared and detected:
        if covers(declared, detected):
            return replace(
                common, concluded_license_spdx=declared, concluded_reason=ConclusionReason.AGREE
            )
        return replace(
            common,
            concluded_license_spdx=combine([declared, detected]),
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


def _detected(files: Iterable[str], records: Mapping[str, FileRecord]) -> str | None:
    expressions: list[str] = []
    for path in files:
        record = records.get(path)
        if record is not None:
            expressions.extend(d.license_expression_spdx for d in record.license_detections)
    return combine(without_noise(e) for e in expressions)


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


def _key(type_: str, name: str) -> tuple[str, str]:
    """Package identity for matching: PyPI names compare normalised (PEP 503)."""
    if type_ == "pypi":
        return type_, re.sub(r"[-_.]+", "-", name).lower()
    return type_, name


def _common_depth(a: str, b: str) -> int:
    parts_a, parts_b = a.split("/") if a else [], b.split("/") if b else []
    depth = 0
    for x, y in zip(parts_a, parts_b, strict=False):
        if x != y:
            break
        depth += 1
    return depth


def _package_name(package: Package) -> str:
    return f"{package.namespace}/{package.name}" if package.namespace else package.name


def _resolve(
    dependency: Dependency,
    type_: str,
    candidates: Sequence[Package],
) -> Package | None:
    """The installed copy ``dependency`` resolves to, the way a package manager would find it.

    With a version, only that version will do. Among several copies, the nearest to the
    declaring datafile wins (Node looks in the closest ``node_modules`` first).
    """
    here = posixpath.dirname(dependency.datafile_path)
    usable = [
        p
        for p in candidates
        if p.purl != dependency.for_package
        and (dependency.resolved_version is None or p.version == dependency.resolved_version)
    ]
    if not usable:
        return None
    return max(
        usable,
        key=lambda p: (_common_depth(here, p.root_path or ""), -len(p.root_path or "")),
    )


def _complete_from_manifests(
    dependencies: list[AssembledDependency],
) -> list[AssembledDependency]:
    """Complete lockfile entries with what the manifest beside the lockfile states.

    Lockfiles rarely say which group a package belongs to (Poetry's does not; the
    pyproject.toml beside it does), and ScanCode marks every lockfile entry transitive, even
    the ones the manifest asks for by name. An entry takes the manifest's scope when it has
    none, and is direct when the manifest names it and the lockfile installs it at the top
    (``node_modules/b``, not ``node_modules/a/node_modules/b``).
    """

    def where(dep: Dependency) -> tuple[str, tuple[str, str]]:
        return posixpath.dirname(dep.datafile_path), _key(_purl_type(dep.purl), dep.name)

    stated: dict[tuple[str, tuple[str, str]], str | None] = {}
    for item in dependencies:
        dep = item.dependency
        if dep.is_direct and (stated.get(where(dep)) is None):
            stated[where(dep)] = dep.scope_as_written
    out = []
    for item in dependencies:
        dep = item.dependency
        here = where(dep)
        if here in stated and not dep.is_direct:
            top = item.lock_path is None or item.lock_path.count("node_modules/") <= 1
            dep = replace(
                dep,
                scope_as_written=dep.scope_as_written or stated[here],
                is_direct=top,
            )
            item = replace(item, dependency=dep)  # noqa: PLW2901 -- the completed entry
        out.append(item)
    return out


def _is_hidden_lockfile_copy(path: str, datafiles: set[str]) -> bool:
    """True for npm's ``node_modules/.package-lock.json`` beside a real package-lock.json.

    npm keeps that hidden copy of the installed tree inside node_modules; with the project's
    own lockfile present, it only repeats every entry.
    """
    folder, _, name = path.rpartition("/")
    if name != ".package-lock.json" or posixpath.basename(folder) != "node_modules":
        return False
    project = posixpath.dirname(folder)
    return any(
        posixpath.join(project, lock) in datafiles
        for lock in ("package-lock.json", "npm-shrinkwrap.json")
    )


def _purl_type(purl: str) -> str:
    return purl[4:].split("/", 1)[0] if purl.startswith("pkg:") else ""


def finish(
    assembly: Assembled,
    records: Mapping[str, FileRecord],
) -> tuple[tuple[Package, ...], tuple[Dependency, ...]]:
    """Concluded packages and license-resolved dependencies, sorted for stable output.

    ``records`` are the scanned files by path: the license files' detections come from them.
    """
    by_folder = _paths_by_folder(records)
    packages: list[Package] = []
    for assembled in _merge_nested_duplicates(assembly.packages):
        root = assembled.package.root_path or ""
        files = license_files(assembled, _near(by_folder, root))
        packages.append(conclude(assembled.package, _detected(files, records), files))
    packages.sort(key=lambda p: (p.root_path or "", p.purl))

    installed: dict[tuple[str, str], list[Package]] = {}
    for package in packages:
        installed.setdefault(_key(package.type, _package_name(package)), []).append(package)

    # What the lockfiles state, by folder and package: a manifest's requirement is resolved by
    # the lockfile beside it.
    locked: dict[tuple[str, tuple[str, str]], str] = {}
    for item in assembly.dependencies:
        stated = without_noise(item.lockfile_license_spdx)
        if stated:
            dep = item.dependency
            where = (posixpath.dirname(dep.datafile_path), _key(_purl_type(dep.purl), dep.name))
            locked.setdefault(where, stated)

    datafiles = {item.dependency.datafile_path for item in assembly.dependencies}
    dependencies: dict[tuple[str, str, str, str | None, str], Dependency] = {}
    for item in _complete_from_manifests(list(assembly.dependencies)):
        dep = item.dependency
        if _is_hidden_lockfile_copy(dep.datafile_path, datafiles):
            continue
        type_ = _purl_type(dep.purl)
        scope = map_scope(
            dep.scope_as_written,
            is_runtime=item.is_runtime,
            is_optional=item.is_optional,
            datasource_id=item.datasource_id,
        )
        if scope in _NOT_INSTALLED_FOR_USERS and is_installed_copy(dep.datafile_path):
            # The development, test and build dependencies of an installed third-party
            # package: no package manager installs them, so they are no part of this tree.
            continue
        target = _resolve(dep, type_, installed.get(_key(type_, dep.name), ()))
        if (
            target is None
            and scope is DependencyScope.OPTIONAL
            and is_installed_copy(dep.datafile_path)
        ):
            # An installed package's optional extra that is not installed is no part of
            # this tree either (requests[socks] without PySocks).
            continue
        license_spdx, source = None, None
        if target is not None and target.concluded_license_spdx:
            license_spdx, source = target.concluded_license_spdx, target.root_path or "."
        elif without_noise(item.lockfile_license_spdx):
            license_spdx, source = without_noise(item.lockfile_license_spdx), "lockfile"
        elif dep.resolved_version is None:
            folder = posixpath.dirname(dep.datafile_path)
            license_spdx = locked.get((folder, _key(type_, dep.name)))
            source = "lockfile" if license_spdx else None
        if target is not None and dep.resolved_version is None and target.version:
            # A range (^1.3.0, >=1.16) resolves to the version installed in the tree.
            dep = replace(
                dep,
                purl=purl_with_version(dep.purl, target.version),
                resolved_version=target.version,
            )
        resolved = replace(
            dep,
            scope=scope,
            resolved_package=target.purl if target is not None else None,
            license_spdx=license_spdx,
            license_source=source,
        )
        # ScanCode reports a requirements file beside a setup.py twice (once on its own,
        # once for the package): keep one, the one that knows its package.
        key = (dep.datafile_path, dep.purl, scope.value, dep.extracted_requirement, dep.name)
        previous = dependencies.get(key)
        if previous is None or (previous.for_package is None and resolved.for_package):
            dependencies[key] = resolved
    ordered = sorted(
        dependencies.values(), key=lambda d: (d.datafile_path, d.name, d.purl, d.scope.value)
    )
    return tuple(packages), tuple(ordered)


def purl_with_version(purl: str, version: str) -> str:
    """``purl`` with ``version`` in it (percent-encoded as the purl spec wants)."""
    parsed = PackageURL.from_string(purl)
    return PackageURL(
        type=parsed.type,
        namespace=parsed.namespace,
        name=parsed.name,
        version=version,
        qualifiers=parsed.qualifiers,
        subpath=parsed.subpath,
    ).to_string()
