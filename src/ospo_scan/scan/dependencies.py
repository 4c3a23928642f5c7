# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""Dependencies: the scope of each, and its license, resolved offline.

ScanCode parses the datafiles and lists the dependencies they state
(:func:`ospo_scan.engine.assembly.assemble_packages`). This module adds, for each:

- its scope, from the ecosystem's own word for it, in a fixed set (:func:`map_scope`);
- the installed or vendored copy in the tree that it resolves to (a ``node_modules``
  folder, a ``site-packages`` ``*.dist-info``, a ``vendor/`` folder), the way a package
  manager would find it;
- its license, from that copy's concluded license or from its lockfile entry, and ``None``
  (unresolved) otherwise: never a guess, never the network.

It is apart from :mod:`ospo_scan.scan.packages` because it comes after it: a dependency's
license is the license concluded for the package it resolves to.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable, Sequence
from dataclasses import replace

from packageurl import PackageURL

from ospo_scan.engine.assembly import AssembledDependency
from ospo_scan.licensing import without_noise
from ospo_scan.model import Dependency, DependencyScope, Package

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


#: The packages in the tree by identity (see :func:`_key`), in the order of the packages.
_Installed = dict[tuple[str, str], list[Package]]

#: The licenses that lockfiles state, by the lockfile's folder and package identity.
_Locked = dict[tuple[str, tuple[str, str]], str]


def resolved_dependencies(
    assembled: Sequence[AssembledDependency], packages: Sequence[Package]
) -> tuple[Dependency, ...]:
    """Each dependency with its scope, what it resolves to and its license, sorted.

    ``packages`` are the concluded packages, sorted: the installed copies that dependencies
    resolve to. Dependencies that no package manager installs into this tree are left out.
    """
    installed = _installed(packages)
    locked = _locked_licenses(assembled)
    datafiles = {item.dependency.datafile_path for item in assembled}
    resolved = (
        _resolved(item, installed, locked)
        for item in _complete_from_manifests(list(assembled))
        if not _is_hidden_lockfile_copy(item.dependency.datafile_path, datafiles)
    )
    return tuple(_one_of_each(d for d in resolved if d is not None))


def _installed(packages: Iterable[Package]) -> _Installed:
    """The packages by identity: the copies in the tree that a dependency may resolve to."""
    installed: _Installed = {}
    for package in packages:
        installed.setdefault(_key(package.type, _package_name(package)), []).append(package)
    return installed


def _locked_licenses(assembled: Iterable[AssembledDependency]) -> _Locked:
    """What the lockfiles state, by folder and package.

    A manifest's requirement is resolved by the lockfile beside it.
    """
    locked: _Locked = {}
    for item in assembled:
        stated = without_noise(item.lockfile_license_spdx)
        if stated:
            dep = item.dependency
            where = (posixpath.dirname(dep.datafile_path), _key(_purl_type(dep.purl), dep.name))
            locked.setdefault(where, stated)
    return locked


def _resolved(
    item: AssembledDependency, installed: _Installed, locked: _Locked
) -> Dependency | None:
    """One dependency resolved; None when no package manager installs it into this tree."""
    dep = item.dependency
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
        return None
    target = _resolve(dep, type_, installed.get(_key(type_, dep.name), ()))
    if (
        target is None
        and scope is DependencyScope.OPTIONAL
        and is_installed_copy(dep.datafile_path)
    ):
        # An installed package's optional extra that is not installed is no part of
        # this tree either (requests[socks] without PySocks).
        return None
    license_spdx, source = _license(item, target, locked)
    if target is not None and dep.resolved_version is None and target.version:
        # A range (^1.3.0, >=1.16) resolves to the version installed in the tree.
        dep = replace(
            dep,
            purl=purl_with_version(dep.purl, target.version),
            resolved_version=target.version,
        )
    return replace(
        dep,
        scope=scope,
        resolved_package=target.purl if target is not None else None,
        license_spdx=license_spdx,
        license_source=source,
    )


def _license(
    item: AssembledDependency, target: Package | None, locked: _Locked
) -> tuple[str | None, str | None]:
    """A dependency's license, and where it comes from.

    That is the license concluded for the installed copy it resolves to, else its lockfile
    entry's, else, for a requirement with no exact version, what the lockfile beside its
    manifest states.
    """
    dep = item.dependency
    if target is not None and target.concluded_license_spdx:
        return target.concluded_license_spdx, target.root_path or "."
    if without_noise(item.lockfile_license_spdx):
        return without_noise(item.lockfile_license_spdx), "lockfile"
    if dep.resolved_version is None:
        folder = posixpath.dirname(dep.datafile_path)
        license_spdx = locked.get((folder, _key(_purl_type(dep.purl), dep.name)))
        return license_spdx, "lockfile" if license_spdx else None
    return None, None


def _one_of_each(resolved: Iterable[Dependency]) -> list[Dependency]:
    """The dependencies without duplicates, sorted for stable output.

    ScanCode reports a requirements file beside a setup.py twice (once on its own, once for
    the package): one is kept, the one that knows its package.
    """
    kept: dict[tuple[str, str, str, str | None, str], Dependency] = {}
    for dep in resolved:
        key = (dep.datafile_path, dep.purl, dep.scope.value, dep.extracted_requirement, dep.name)
        previous = kept.get(key)
        if previous is None or (previous.for_package is None and dep.for_package):
            kept[key] = dep
    return sorted(kept.values(), key=lambda d: (d.datafile_path, d.name, d.purl, d.scope.value))


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
