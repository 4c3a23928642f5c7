# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""Shared material for the SBOM tests: a scan result with package and dependency records
built above the adapter (the package detection that fills them in real scans is not the
subject of the SBOM tests)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from ospo_scan.model import (
    ConclusionReason,
    Dependency,
    DependencyScope,
    Package,
    ScanResult,
)

GOLDEN = Path(__file__).parent / "data" / "golden"
FAKE_REPO = Path(__file__).parent / "data" / "fake_repo"

#: Left out of the npm tree's scans to keep them short: code and docs, not the manifests and
#: license files that SBOMs are made from. ``!*.js/`` keeps the folders named like a script
#: (``node_modules/ipaddr.js``), whose scripts ``*.js`` still leaves out.
NPM_TREE_EXCLUDES = ("*.js", "!*.js/", "*.mjs", "*.cjs", "*.ts", "*.mts", "*.map", "*.md")

PROJECT = "pkg:npm/demo-app@1.2.3"
EXPRESS = "pkg:npm/express@4.21.2"
ACCEPTS = "pkg:npm/accepts@1.3.8"
MOCHA = "pkg:npm/mocha@10.2.0"
FSEVENTS = "pkg:npm/fsevents@2.3.3"
TSC = "pkg:npm/typescript@5.4.5"
JEST = "pkg:npm/%40jest/core@29.7.0"


def with_packages(result: ScanResult) -> ScanResult:
    """``result`` plus a project manifest, two installed packages and a dependency graph
    with every scope, and licenses that SPDX 2.3 does not take as ScanCode writes them."""
    packages = (
        Package(
            purl=PROJECT,
            type="npm",
            name="demo-app",
            version="1.2.3",
            root_path="",
            datafile_paths=("package.json",),
            declared_license="MIT OR Apache-2.0",
            declared_license_spdx="MIT OR Apache-2.0",
            concluded_license_spdx="MIT OR Apache-2.0",
            concluded_reason=ConclusionReason.AGREE,
            supplier="Jane Doe <jane@example.com>",
            homepage_url="https://example.com/demo",
            copyright="Copyright (c) 2024 Jane Doe",
        ),
        Package(
            purl=EXPRESS,
            type="npm",
            name="express",
            version="4.21.2",
            root_path="node_modules/express",
            declared_license="MIT",
            declared_license_spdx="MIT",
            concluded_license_spdx="MIT",
            concluded_reason=ConclusionReason.AGREE,
            supplier="OpenJS Foundation",
            download_url="https://registry.npmjs.org/express/-/express-4.21.2.tgz",
            copyright="Copyright (c) 2009-2014 TJ Holowaychuk",
        ),
        Package(
            purl=ACCEPTS,
            type="npm",
            name="accepts",
            version="1.3.8",
            root_path="node_modules/accepts",
            # A deprecated id, and an exception that is not on the SPDX list.
            declared_license="GPL-2.0",
            declared_license_spdx="GPL-2.0",
            concluded_license_spdx=(
                "GPL-2.0-or-later WITH LicenseRef-scancode-proguard-exception-2.0"
            ),
            concluded_reason=ConclusionReason.CONFLICT,
        ),
    )
    dependencies = (
        Dependency(
            purl=EXPRESS,
            name="express",
            datafile_path="package.json",
            resolved_version="4.21.2",
            for_package=PROJECT,
            resolved_package=EXPRESS,
            license_spdx="MIT",
        ),
        Dependency(
            purl=ACCEPTS,
            name="accepts",
            datafile_path="node_modules/express/package.json",
            resolved_version="1.3.8",
            for_package=EXPRESS,
            resolved_package=ACCEPTS,
            is_direct=False,
        ),
        Dependency(
            purl=MOCHA,
            name="mocha",
            datafile_path="package.json",
            scope=DependencyScope.DEV,
            scope_as_written="devDependencies",
            resolved_version="10.2.0",
            for_package=PROJECT,
            # ScanCode's key for the old X11 license, since added to the SPDX list.
            license_spdx="LicenseRef-scancode-x11-opengroup",
        ),
        Dependency(
            purl=FSEVENTS,
            name="fsevents",
            datafile_path="package.json",
            scope=DependencyScope.OPTIONAL,
            resolved_version="2.3.3",
            for_package=PROJECT,
            license_spdx="Foo-Public-License",  # not an SPDX id at all
        ),
        Dependency(
            purl=TSC,
            name="typescript",
            datafile_path="package.json",
            scope=DependencyScope.BUILD,
            for_package=PROJECT,
        ),
        Dependency(
            purl=JEST,
            name="@jest/core",
            datafile_path="package.json",
            scope=DependencyScope.TEST,
            resolved_version="29.7.0",
            for_package=PROJECT,
            license_spdx="MIT",
        ),
    )
    return dataclasses.replace(result, packages=packages, dependencies=dependencies)


#: A policy that prefers MIT over Apache-2.0: electing from ``MIT OR Apache-2.0`` picks MIT.
PREFER_MIT = """\
version: 1
name: prefer-mit
licenses:
  allow: [MIT]
  review: [Apache-2.0]
default: review
"""
