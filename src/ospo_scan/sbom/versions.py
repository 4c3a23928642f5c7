# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""Dependencies known only by a version range, and their versions from a lockfile.

A manifest often asks for a range (``^4.18.0``, ``>=2.0,<3``); when nothing in the tree
installs the package, the scan has no version for it, and an SBOM component without a
version fails the NTIA minimum elements. ``ospo-scan sbom --unversioned`` chooses:

- ``resolve`` (the default): the version that a lockfile in the tree pins for the package
  (the nearest lockfile at or above the manifest, as a package manager reads it), when it
  pins exactly one; a component still without version is kept, with its range;
- ``keep``: every such component stays, with its range, and no version;
- ``omit``: such components are left out of the SBOM (with their dependency edges).

Each component says which: the range it was declared with and, when resolved, the
lockfile the version comes from (an SPDX comment, a CycloneDX property).
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from packageurl import PackageURL

from ospo_scan.model import Dependency
from ospo_scan.scan.dependencies import purl_with_version

#: The choices of ``--unversioned``, the default first.
UNVERSIONED_CHOICES = ("resolve", "keep", "omit")

#: Lockfiles: each pins the exact version of every package it lists.
LOCKFILES = frozenset(
    {
        "package-lock.json",
        "npm-shrinkwrap.json",
        ".package-lock.json",
        "yarn.lock",
        "pnpm-lock.yaml",
        "bun.lock",
        "poetry.lock",
        "Pipfile.lock",
        "pdm.lock",
        "uv.lock",
        "pylock.toml",
        "Cargo.lock",
        "composer.lock",
        "Gemfile.lock",
        "gradle.lockfile",
        "packages.lock.json",
        "pubspec.lock",
        "mix.lock",
        "Podfile.lock",
        "Package.resolved",
        "conda-lock.yml",
    }
)


@dataclass(frozen=True, slots=True)
class Resolution:
    """The version a lockfile pins for a dependency, and which lockfile."""

    purl: str  # the dependency's purl with the version
    version: str
    lockfile: str


def package_key(purl: str) -> tuple[str, str, str] | None:
    """A package's identity without version; PyPI names compare normalised (PEP 503)."""
    try:
        parsed = PackageURL.from_string(purl)
    except ValueError:
        return None
    name = parsed.name
    if parsed.type == "pypi":
        name = re.sub(r"[-_.]+", "-", name).lower()
    return parsed.type, parsed.namespace or "", name


class LockIndex:
    """The versions the lockfiles of a tree pin, by package and lockfile folder."""

    def __init__(self, dependencies: Iterable[Dependency]) -> None:
        self._pinned: dict[tuple[tuple[str, str, str], str], dict[str, str]] = {}
        for dep in dependencies:
            folder, _, name = dep.datafile_path.rpartition("/")
            if name not in LOCKFILES or not dep.resolved_version:
                continue
            key = package_key(dep.purl)
            if key is not None:
                versions = self._pinned.setdefault((key, folder), {})
                versions.setdefault(dep.resolved_version, dep.datafile_path)

    def resolve(self, dep: Dependency) -> Resolution | None:
        """The version the nearest lockfile at or above ``dep``'s manifest pins, if just one."""
        key = package_key(dep.purl)
        if key is None:
            return None
        folder = posixpath.dirname(dep.datafile_path)
        while True:
            versions = self._pinned.get((key, folder))
            if versions is not None:
                if len(versions) != 1:
                    return None  # several versions locked: which one this needs is a guess
                ((version, lockfile),) = versions.items()
                return Resolution(purl_with_version(dep.purl, version), version, lockfile)
            if not folder:
                return None
            folder = posixpath.dirname(folder)


def requirements(dependencies: Iterable[Dependency]) -> Mapping[str, Dependency]:
    """The first declaration of each purl that states a requirement, for the record."""
    found: dict[str, Dependency] = {}
    for dep in dependencies:
        if dep.extracted_requirement and dep.purl not in found:
            found[dep.purl] = dep
    return found
