# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""What every SBOM format needs from a scan result, worked out once.

:func:`inventory` turns a :class:`~ospo_scan.model.ScanResult` into the project (the root of
the document), one :class:`Component` per distinct package or dependency (keyed by purl), and
the dependency :class:`Edge` s between them. :func:`document_identity` decides the creation
time and the unique id of a document, fixed by ``--reproducible`` or ``SOURCE_DATE_EPOCH``.
"""

from __future__ import annotations

import hashlib
import json
import os
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timezone

from ospo_scan.errors import SbomError
from ospo_scan.model import (
    AppliedCuration,
    Dependency,
    DependencyScope,
    Package,
    ScanResult,
    printable,
)
from ospo_scan.sbom.evidence import NONE, Evidence, evidence_by_owner, root_license
from ospo_scan.sbom.versions import LockIndex, Resolution

#: The creation time of a ``--reproducible`` document when ``SOURCE_DATE_EPOCH`` is not set.
REPRODUCIBLE_EPOCH = 0

_UUID_NAMESPACE = uuid.UUID("6f1c7c2e-5b2a-4d8e-9a51-0f3a2d6e7b10")


@dataclass(frozen=True, slots=True)
class Component:
    """A package or dependency as an SBOM lists it (a package found in the tree wins)."""

    key: str  # the purl: unique within a document
    name: str
    namespace: str | None
    version: str | None
    in_tree: bool  # a package found in the scanned tree, not only declared
    declared_license: str | None  # SPDX expression (ScanCode's form, not yet normalized)
    concluded_license: str | None
    supplier: str | None
    copyright: str | None
    download_url: str | None
    homepage_url: str | None
    curation: AppliedCuration | None = None  # the curation that set the concluded license
    # A dependency declared with a range and no installed copy: the requirement as written,
    # the datafile that states it, and the lockfile its version was resolved from (if any).
    requirement: str | None = None
    declared_in: str | None = None
    resolved_from: str | None = None


def curation_note(curation: AppliedCuration) -> str:
    """What an SBOM says about a curated license (an SPDX comment, a CycloneDX property)."""
    return printable(
        f"Concluded by the curation {curation.curation}: {curation.license} instead of "
        f"{curation.previous or 'no license'}, approved by {curation.approved_by}; "
        f"reason: {curation.reason}"
    )


@dataclass(frozen=True, slots=True)
class Edge:
    """``source`` depends on ``target`` in ``scope``; ``source`` ``None`` is the project."""

    source: str | None
    target: str
    scope: DependencyScope


@dataclass(frozen=True, slots=True)
class Inventory:
    """The project, its components and the dependency graph, in a stable order."""

    name: str
    version: str | None
    supplier: str | None
    project: Package | None
    components: tuple[Component, ...]
    edges: tuple[Edge, ...]
    # The project's copyright and concluded license: its manifest's, else what its own files
    # say (``NONE`` when they were all read and say nothing); ``concluded_from`` names the
    # license files a project without a manifest is concluded from.
    copyright: str | None = None
    concluded_license: str | None = None
    concluded_from: tuple[str, ...] = ()
    omitted: tuple[str, ...] = ()  # purls left out by ``--unversioned omit``


@dataclass(frozen=True, slots=True)
class ProjectInfo:
    """What the user says about the project, over what its manifest says (``--supplier``,
    ``--project-version``): a folder without a manifest has neither; and the choices that
    shape the document (who makes it, what becomes of dependencies without a version)."""

    version: str | None = None
    supplier: str | None = None
    creator_organization: str | None = None
    creator_contact: str | None = None  # an e-mail address or a URL
    unversioned: str = "resolve"  # see ospo_scan.sbom.versions


def text_path(path: str) -> str:
    """``path`` as text every format can carry: see :func:`ospo_scan.model.printable`."""
    return printable(path)


def project_package(result: ScanResult) -> Package | None:
    """The package that is the scanned project itself: its manifest sits at the root."""
    at_root = [p for p in result.packages if (p.root_path or "").strip("./") == ""]
    return min(at_root, key=lambda p: p.purl) if at_root else None


def project_name(result: ScanResult, project: Package | None = None) -> str:
    """The project's name: its manifest's (with its namespace), else the scanned folder's."""
    project = project or project_package(result)
    if project is None:
        return result.root_name or "project"
    name = f"{project.namespace}/{project.name}" if project.namespace else project.name
    return name or "project"


def _from_package(package: Package, evidence: Evidence | None) -> Component:
    concluded = package.concluded_license_spdx
    if (
        concluded is None
        and evidence is not None
        and evidence.no_license_found
        and not package.declared_license_spdx
    ):
        concluded = NONE
    copyright_text = package.copyright or (evidence.copyright_text if evidence else None)
    return Component(
        key=package.purl,
        name=package.name,
        namespace=package.namespace,
        version=package.version,
        in_tree=True,
        declared_license=package.declared_license_spdx,
        concluded_license=concluded,
        supplier=package.supplier,
        copyright=copyright_text,
        download_url=package.download_url,
        homepage_url=package.homepage_url,
        curation=package.curation,
    )


def _from_dependency(dep: Dependency, resolution: Resolution | None = None) -> Component:
    from packageurl import PackageURL  # noqa: PLC0415 -- only needed here

    # The purl splits an npm scope or a Maven group from the name; ``dep.name`` may
    # carry both ("@jest/core"), so the purl's parts are preferred.
    name, namespace = dep.name, None
    try:
        purl = PackageURL.from_string(dep.purl)
        name, namespace = purl.name, purl.namespace
    except ValueError:
        pass
    ranged = dep.resolved_version is None
    return Component(
        key=resolution.purl if resolution else dep.purl,
        name=name,
        namespace=namespace,
        version=resolution.version if resolution else dep.resolved_version,
        in_tree=False,
        # A dependency's license comes from its metadata (lockfile or installed manifest):
        # that is a declaration, not a conclusion drawn from its files. A curation's is a
        # conclusion, over what the metadata declared.
        declared_license=dep.curation.previous if dep.curation else dep.license_spdx,
        concluded_license=dep.license_spdx if dep.curation else None,
        supplier=None,
        copyright=None,
        download_url=None,
        homepage_url=None,
        curation=dep.curation,
        requirement=dep.extracted_requirement if ranged else None,
        declared_in=dep.datafile_path if ranged else None,
        resolved_from=resolution.lockfile if resolution else None,
    )


def inventory(result: ScanResult, given: ProjectInfo | None = None) -> Inventory:
    """The SBOM view of ``result``; ``given`` fills or overrides the project's details."""
    given = given or ProjectInfo()
    project = project_package(result)
    project_key = project.purl if project else None
    evidence = evidence_by_owner(result)
    components: dict[str, Component] = {}
    for package in sorted(result.packages, key=lambda p: p.purl):
        if package.purl != project_key:
            components.setdefault(package.purl, _from_package(package, evidence.get(package.purl)))
    in_tree = set(components)
    locks = LockIndex(result.dependencies) if given.unversioned == "resolve" else None
    edges: set[Edge] = set()
    omitted: set[str] = set()
    for dep in result.dependencies:
        target = dep.resolved_package if dep.resolved_package in in_tree else dep.purl
        resolution = None
        if target not in in_tree and dep.resolved_version is None:
            if given.unversioned == "omit":
                omitted.add(target)
                continue
            resolution = locks.resolve(dep) if locks else None
            target = resolution.purl if resolution else target
        if target == project_key:
            continue
        if target not in components:
            components[target] = _from_dependency(dep, resolution)
        elif resolution and components[target].requirement is None and target not in in_tree:
            components[target] = replace(
                components[target],
                requirement=dep.extracted_requirement,
                declared_in=dep.datafile_path,
                resolved_from=resolution.lockfile,
            )
        source = dep.for_package if dep.for_package in components else None
        if source == target:
            continue
        edges.add(Edge(source=source, target=target, scope=dep.scope))
    concluded, concluded_from = _project_license(result, project, evidence[None])
    return Inventory(
        name=project_name(result, project),
        version=given.version or (project.version if project else None),
        supplier=given.supplier or (project.supplier if project else None),
        project=project,
        components=tuple(components[k] for k in sorted(components)),
        edges=tuple(sorted(edges, key=lambda e: (e.source or "", e.target, e.scope.value))),
        copyright=(project.copyright if project else None) or evidence[None].copyright_text,
        concluded_license=concluded,
        concluded_from=concluded_from,
        omitted=tuple(sorted(omitted - set(components))),
    )


def _project_license(
    result: ScanResult, project: Package | None, evidence: Evidence
) -> tuple[str | None, tuple[str, ...]]:
    """The project's concluded license, and the license files it comes from when there is
    no manifest to declare it."""
    if project is not None:
        if project.concluded_license_spdx:
            return project.concluded_license_spdx, ()
        if project.declared_license_spdx:
            return None, ()
    else:
        expression, files = root_license(result)
        if expression:
            return expression, files
    return (NONE if evidence.no_license_found else None), ()


@dataclass(frozen=True, slots=True)
class DocumentIdentity:
    """When a document was made and its unique id (random unless reproducible)."""

    created: datetime
    uuid: uuid.UUID
    reproducible: bool


def content_digest(result: ScanResult, *salt: str) -> str:
    """A SHA-256 of what a result says, without when, where or how fast it was made."""
    data = result.to_dict()
    data.pop("scan", None)
    data.get("summary", {}).pop("elapsed_seconds", None)
    data["root_name"] = result.root_name
    data["salt"] = list(salt)
    text = json.dumps(data, sort_keys=True, ensure_ascii=True, default=str)
    return hashlib.sha256(text.encode("utf-8", "backslashreplace")).hexdigest()


def source_date_epoch(environ: Mapping[str, str] | None = None) -> datetime | None:
    """The time ``SOURCE_DATE_EPOCH`` sets (None when unset); :class:`SbomError` if malformed."""
    env = os.environ if environ is None else environ
    epoch_text = env.get("SOURCE_DATE_EPOCH", "").strip()
    if not epoch_text:
        return None
    try:
        return datetime.fromtimestamp(int(epoch_text), tz=timezone.utc)
    except (ValueError, OverflowError, OSError) as exc:
        raise SbomError(
            f"SOURCE_DATE_EPOCH must be a whole number of seconds, not {epoch_text!r}"
        ) from exc


def document_identity(
    result: ScanResult,
    *salt: str,
    reproducible: bool = False,
    environ: Mapping[str, str] | None = None,
) -> DocumentIdentity:
    """The creation time and id of a document about ``result``.

    ``SOURCE_DATE_EPOCH`` (the reproducible-builds convention) fixes the time and makes the
    document reproducible; ``reproducible`` alone fixes the time at the Unix epoch. A
    reproducible document's id is derived from the content (``salt`` tells apart documents
    of different shapes about the same result), so identical input gives identical bytes.
    """
    epoch = source_date_epoch(environ)
    if epoch is not None:
        created = epoch
        reproducible = True
    elif reproducible:
        created = datetime.fromtimestamp(REPRODUCIBLE_EPOCH, tz=timezone.utc)
    else:
        created = datetime.now(tz=timezone.utc).replace(microsecond=0)
    if reproducible:
        doc_id = uuid.uuid5(_UUID_NAMESPACE, content_digest(result, *salt))
    else:
        doc_id = uuid.uuid4()
    return DocumentIdentity(created=created, uuid=doc_id, reproducible=reproducible)
