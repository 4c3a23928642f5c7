# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""Assembling packages and dependencies from parsed datafiles, as ``scancode --package`` does."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from ospo_scan.engine import deep_trees
from ospo_scan.engine.fixes import SCANCODE_DECLARED_KEY, lockfile_license, text_or_none
from ospo_scan.model import (
    Dependency,
    LicenseDetection,
    LicenseMatch,
    MatchKind,
    Package,
)

#: The prefix under which scanned paths are put in ScanCode's virtual codebase: its
#: assembly expects one root folder above everything.
_VIRTUAL_ROOT = "ospo-scan-root"

#: Party roles that name who supplies a package, most telling first.
_SUPPLIER_ROLES = ("author", "maintainer", "owner", "vendor", "publisher", "developer")


@dataclass(frozen=True, slots=True)
class Assembled:
    """ScanCode's packages and dependencies, and the datafiles it could not assemble."""

    packages: tuple[AssembledPackage, ...] = ()
    dependencies: tuple[AssembledDependency, ...] = ()
    errors: tuple[tuple[str, str], ...] = ()  # (datafile path, message)


@dataclass(frozen=True, slots=True)
class AssembledPackage:
    """A package as ScanCode assembled it, before its license is concluded."""

    package: Package
    uid: str  # ScanCode's package_uid, to tie dependencies and files to it
    files: tuple[str, ...]  # paths ScanCode assigned to the package (relative to the root)
    #: The declared license as ScanCode detected it in the metadata (its matches' ``kind``
    #: is ``tag``): what "the same license as the package" refers to when the metadata
    #: states one.
    declared_detections: tuple[LicenseDetection, ...] = ()
    #: When ospo-scan corrected the declared license (:mod:`.fixes`): ScanCode's own declared
    #: detections, which raw ScanCode follows a file's package reference to (empty when
    #: ScanCode read none and took the package's license files instead). None: not corrected.
    scancode_declared_detections: tuple[LicenseDetection, ...] | None = None


@dataclass(frozen=True, slots=True)
class AssembledDependency:
    """A dependency as ScanCode assembled it, before its license is resolved."""

    dependency: Dependency
    is_runtime: bool
    is_optional: bool
    datasource_id: str
    for_package_uid: str | None
    lockfile_license_spdx: str | None  # a license its lockfile entry states, if any
    lock_path: str | None = None  # where the lockfile installs it (node_modules/a/node_modules/b)


def assemble_packages(
    paths: Iterable[str],
    package_data: dict[str, tuple[dict[str, Any], ...]],
) -> Assembled:
    """Assemble packages and dependencies from parsed datafiles, as ``scancode --package`` does.

    ``paths`` are all the scanned file paths (relative, POSIX): ScanCode's per-ecosystem
    assembly looks at siblings (package.json beside its package-lock.json) and assigns the
    files of each package. ``package_data`` maps a datafile's path to what
    :func:`parse_package_data` found in it.
    """
    if not package_data:
        return Assembled()
    from commoncode.resource import VirtualCodebase
    from packagedcode.plugin_package import PackageScanner

    prefix = _VIRTUAL_ROOT + "/"
    files = [
        {
            "path": prefix + path,
            "type": "file",
            "package_data": [dict(d) for d in package_data.get(path, ())],
            "for_packages": [],
        }
        for path in dict.fromkeys([*paths, *package_data])
    ]
    codebase = VirtualCodebase(
        location={"files": files},
        resource_attributes=PackageScanner.resource_attributes,
        codebase_attributes=PackageScanner.codebase_attributes,
        max_in_memory=0,
    )

    def strip(path: str) -> str:
        return path[len(prefix) :] if path.startswith(prefix) else path

    files_by_uid: dict[str, list[str]] = {}

    def assemble() -> tuple[list[Any], list[Any], list[tuple[str, str]]]:
        found = _assemble(codebase)
        for resource in codebase.walk():
            if resource.is_file:
                for uid in resource.for_packages:
                    files_by_uid.setdefault(uid, []).append(strip(resource.path))
        return found

    depth = max(file["path"].count("/") for file in files) + 1
    with deep_trees.walks_without_recursion():
        sc_packages, sc_dependencies, failures = deep_trees.call_with_depth(assemble, depth)
    errors = [(strip(path), f"cannot assemble the package: {msg}") for path, msg in failures]
    packages = tuple(
        AssembledPackage(
            package=_to_package(p.to_dict(), strip),
            uid=str(p.package_uid),
            files=tuple(sorted(files_by_uid.get(str(p.package_uid), ()))),
            declared_detections=_declared_detections(p.to_dict()),
            scancode_declared_detections=_scancode_declared_detections(p.to_dict()),
        )
        for p in sc_packages
    )
    purl_by_uid = {a.uid: a.package.purl for a in packages}
    dependencies = tuple(_to_dependency(d.to_dict(), strip, purl_by_uid) for d in sc_dependencies)
    return Assembled(packages, dependencies, tuple(errors))


def _scancode_declared_detections(data: dict[str, Any]) -> tuple[LicenseDetection, ...] | None:
    """ScanCode's own declared-license detections of a package whose license was corrected."""
    extra = data.get("extra_data")
    if not isinstance(extra, dict) or SCANCODE_DECLARED_KEY not in extra:
        return None
    return _declared_detections({"license_detections": extra[SCANCODE_DECLARED_KEY]})


def _declared_detections(data: dict[str, Any]) -> tuple[LicenseDetection, ...]:
    """A package's declared-license detections, from its ScanCode mapping."""
    detections = []
    for detection in data.get("license_detections") or ():
        expression = text_or_none(detection.get("license_expression"))
        raw_matches = detection.get("matches") or ()
        if not expression or not raw_matches:
            continue
        matches = tuple(
            LicenseMatch(
                license_expression=str(m["license_expression"]),
                license_expression_spdx=str(m.get("license_expression_spdx") or ""),
                kind=MatchKind.TAG,
                score=float(m.get("score") or 0.0),
                start_line=max(1, int(m.get("start_line") or 1)),
                end_line=max(1, int(m.get("end_line") or 1)),
                matched_length=int(m.get("matched_length") or 0),
                match_coverage=float(m.get("match_coverage") or 0.0),
                matcher=str(m.get("matcher") or ""),
                rule_identifier=str(m.get("rule_identifier") or ""),
                rule_relevance=int(m.get("rule_relevance") or 0),
            )
            for m in raw_matches
        )
        lead = max(matches, key=lambda m: (m.score, m.matched_length))
        detections.append(
            LicenseDetection(
                license_expression=expression,
                license_expression_spdx=str(detection.get("license_expression_spdx") or ""),
                kind=MatchKind.TAG,
                score=lead.score,
                start_line=min(m.start_line for m in matches),
                end_line=max(m.end_line for m in matches),
                rule_identifier=lead.rule_identifier,
                identifier=str(detection.get("identifier") or ""),
                matches=matches,
            )
        )
    return tuple(detections)


def _assemble(codebase: Any) -> tuple[list[Any], list[Any], list[tuple[str, str]]]:
    """ScanCode's ``get_package_and_deps``, with the deepest datafiles first.

    ScanCode walks bottom-up but takes a folder's files before its sub-folders, so a Python
    project at the root (whose assembly claims every file below it but ``site-packages``) is
    assembled first and hides the package.json files of a nested ``node_modules``, or a
    nested Poetry project, which are then never assembled. Deepest first, each datafile is
    assembled by its own handler before an enclosing project claims it.
    """
    from packagedcode import get_package_handler
    from packagedcode.models import Dependency as ScDependency
    from packagedcode.models import Package as ScPackage
    from packagedcode.models import PackageData

    packages: list[Any] = []
    dependencies: list[Any] = []
    errors: list[tuple[str, str]] = []
    seen: set[str] = set()
    datafiles = [r for r in codebase.walk(topdown=False) if r.is_file and r.package_data]
    datafiles.sort(key=lambda r: (-r.path.count("/"), r.path))
    for listed in datafiles:
        if listed.path in seen:
            continue
        # Handlers update resources as they go: always work on the current copy.
        resource = codebase.get_resource(listed.path)
        for mapping in resource.package_data:
            try:
                package_data = PackageData.from_dict(mapping=mapping)
                handler = get_package_handler(package_data)
                found: list[Any] = []
                for item in handler.assemble(
                    package_data=package_data, resource=resource, codebase=codebase,
                    package_adder=_add_to_package,
                ):  # fmt: skip
                    if isinstance(item, ScPackage):
                        found.append(item)
                    elif isinstance(item, ScDependency):
                        dependencies.append(item)
                    else:
                        seen.add(item.path)
                packages.extend(found)
                root = _npm_workspace_root(package_data, resource, codebase, found, dependencies)
                if root is not None:
                    packages.append(root)
            except Exception as exc:  # noqa: BLE001 -- one bad datafile must not stop the rest
                errors.append((resource.path, f"{type(exc).__name__}: {exc}"[:300]))
    return packages, dependencies, errors


def _npm_workspace_root(
    package_data: Any, resource: Any, codebase: Any, found: list[Any], dependencies: list[Any]
) -> Any:
    """The root package of an npm workspace, which ScanCode 32.5 drops; None if not one.

    A package.json with ``workspaces`` yields, in ScanCode, its workspace members only (a
    pnpm workspace root keeps its package; an npm or Yarn one does not), and its own
    dependencies and its lockfile's belong to no package. The root is a package of its own
    when it has a name: it gets its package.json and the lockfiles beside it, and the
    dependencies they declare.
    """
    from packagedcode.models import Package as ScPackage

    if (
        package_data.datasource_id != "npm_package_json"
        or not package_data.purl
        or not (package_data.extra_data or {}).get("workspaces")
        or any(resource.path in (p.datafile_paths or ()) for p in found)
    ):
        return None
    package = ScPackage.from_package_data(package_data=package_data, datafile_path=resource.path)
    package.populate_license_fields()
    uid = package.package_uid
    own = {resource.path}
    for sibling in resource.siblings(codebase):
        if sibling.is_file and sibling.name in _NPM_LOCKFILES:
            own.add(sibling.path)
    for path in sorted(own):
        _add_to_package(uid, codebase.get_resource(path), codebase)
    for dependency in dependencies:
        if dependency.for_package_uid is None and dependency.datafile_path in own:
            dependency.for_package_uid = uid
    return package


#: Lockfiles that npm, Yarn and pnpm write beside a workspace root's package.json.
_NPM_LOCKFILES = frozenset(
    {
        "package-lock.json",
        "npm-shrinkwrap.json",
        "yarn.lock",
        "pnpm-lock.yaml",
        ".package-lock.json",
    }
)


def _add_to_package(package_uid: str, resource: Any, codebase: Any) -> None:
    from packagedcode.models import add_to_package

    add_to_package(package_uid, resource, codebase)


def _supplier(parties: Iterable[dict[str, Any]]) -> str | None:
    named = [p for p in parties if p.get("name")]
    for role in _SUPPLIER_ROLES:
        for party in named:
            if party.get("role") == role:
                return str(party["name"])
    return str(named[0]["name"]) if named else None


#: Public forges whose URLs name the owner (user or organisation) first: ``host/owner/repo``.
_FORGES = frozenset({"github.com", "gitlab.com", "bitbucket.org", "codeberg.org"})


def _repository_owner(vcs_url: Any) -> str | None:
    """The owner of a package's source repository on a public forge, from its VCS URL.

    Used as the supplier when the metadata names no author, maintainer or publisher: the
    owner of the repository is who creates and publishes the component (NTIA's "supplier").
    ``git+https://github.com/pillarjs/path-to-regexp.git`` gives ``pillarjs``.
    """
    from urllib.parse import urlsplit

    text = text_or_none(vcs_url)
    if not text:
        return None
    text = text.split("+", 1)[-1] if text.startswith("git+") else text
    if text.startswith("git@") and ":" in text:  # git@github.com:owner/repo.git
        host, _, path = text[4:].partition(":")
    else:
        parts = urlsplit(text)
        host, path = parts.hostname or "", parts.path
    owner = path.strip("/").split("/", 1)[0]
    return owner if host.lower() in _FORGES and owner else None


def _as_written(statement: Any) -> str | None:
    """The declared license statement; ScanCode stores npm's ``"MIT"`` as the YAML ``- MIT``."""
    text = text_or_none(statement)
    if text and text.startswith("- ") and "\n" not in text:
        return text[2:].strip() or None
    return text


def _to_package(data: dict[str, Any], strip: Any) -> Package:
    datafiles = tuple(strip(p) for p in data.get("datafile_paths") or ())
    root = datafiles[0].rpartition("/")[0] if datafiles else None
    if root is not None and root.endswith(".egg-info"):
        # A source checkout's foo.egg-info/PKG-INFO: the project is the folder above.
        root = root.rpartition("/")[0]
    return Package(
        purl=str(data["purl"]),
        type=str(data.get("type") or ""),
        namespace=text_or_none(data.get("namespace")),
        name=str(data.get("name") or ""),
        version=text_or_none(data.get("version")),
        root_path=root,
        datafile_paths=datafiles,
        declared_license=_as_written(data.get("extracted_license_statement")),
        declared_license_spdx=text_or_none(data.get("declared_license_expression_spdx")),
        homepage_url=text_or_none(data.get("homepage_url") or data.get("repository_homepage_url")),
        download_url=text_or_none(data.get("download_url") or data.get("repository_download_url")),
        supplier=_supplier(data.get("parties") or ()) or _repository_owner(data.get("vcs_url")),
        copyright=text_or_none(data.get("copyright")),
    )


def _to_dependency(
    data: dict[str, Any], strip: Any, purl_by_uid: dict[str, str]
) -> AssembledDependency:
    from packageurl import PackageURL

    purl = str(data["purl"])
    resolved = data.get("resolved_package") or {}
    parsed = PackageURL.from_string(purl)
    version = text_or_none(parsed.version) or text_or_none(resolved.get("version"))
    if version and not parsed.version:
        purl = PackageURL(
            type=parsed.type, namespace=parsed.namespace, name=parsed.name, version=version
        ).to_string()
    name = f"{parsed.namespace}/{parsed.name}" if parsed.namespace else parsed.name
    for_uid = text_or_none(data.get("for_package_uid"))
    dependency = Dependency(
        purl=purl,
        name=name,
        datafile_path=strip(str(data.get("datafile_path") or "")),
        scope_as_written=text_or_none(data.get("scope")),
        is_direct=bool(data.get("is_direct", True)),
        extracted_requirement=text_or_none(data.get("extracted_requirement")),
        resolved_version=version,
        for_package=purl_by_uid.get(for_uid) if for_uid else None,
    )
    return AssembledDependency(
        dependency=dependency,
        is_runtime=bool(data.get("is_runtime", True)),
        is_optional=bool(data.get("is_optional", False)),
        datasource_id=str(data.get("datasource_id") or ""),
        for_package_uid=for_uid,
        lockfile_license_spdx=lockfile_license(resolved),
        lock_path=_lock_path(resolved),
    )


def _lock_path(resolved: dict[str, Any]) -> str | None:
    """The install path a lockfile entry records (ScanCode nests it in lists)."""
    references: Any = resolved.get("file_references") or ()
    while isinstance(references, list) and references and isinstance(references[0], list):
        references = references[0]
    for reference in references:
        if isinstance(reference, dict) and reference.get("path"):
            return str(reference["path"])
    return None
