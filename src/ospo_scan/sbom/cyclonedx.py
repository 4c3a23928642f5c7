# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""CycloneDX 1.6 BOMs through cyclonedx-python-lib: map, serialize, validate against the schema.

:func:`to_cyclonedx_bom` is a pure mapping from a scan result to the library's ``Bom``;
:func:`serialize_cyclonedx` writes it as JSON or XML and validates the text against the
CycloneDX 1.6 schema with the library's own validators. An invalid BOM raises
:class:`~ospo_scan.errors.SbomError` with every finding, and nothing is written.

License expressions go through the same :class:`~ospo_scan.sbom.licenses.LicenseNormalizer`
as SPDX, so both formats name the same licenses the same way.
"""

from __future__ import annotations

import contextlib
import functools
import json
import uuid
import warnings
from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import TYPE_CHECKING, Any

from cyclonedx.model import (
    ExternalReference,
    ExternalReferenceType,
    HashAlgorithm,
    HashType,
    Property,
    XsUri,
)
from cyclonedx.model.bom import Bom, BomMetaData
from cyclonedx.model.component import Component, ComponentScope, ComponentType
from cyclonedx.model.contact import OrganizationalContact, OrganizationalEntity
from cyclonedx.model.dependency import Dependency
from cyclonedx.model.license import (
    DisjunctiveLicense,
    License,
    LicenseAcknowledgement,
    LicenseExpression,
)
from cyclonedx.model.lifecycle import LifecyclePhase, PredefinedLifecycle
from cyclonedx.model.tool import ToolRepository
from cyclonedx.output import make_outputter
from cyclonedx.schema import OutputFormat, SchemaVersion
from cyclonedx.spdx import is_supported_id
from cyclonedx.validation import make_schemabased_validator
from packageurl import PackageURL

from ospo_scan import __version__
from ospo_scan.errors import SbomError
from ospo_scan.model import AppliedCuration, DependencyScope, FileRecord, FileStatus, ScanResult
from ospo_scan.sbom._patch import patched, verified
from ospo_scan.sbom.actors import ActorKind, is_email, is_url, parse_actor
from ospo_scan.sbom.cyclonedx_speedups import linear_bom_refs, memoized_order
from ospo_scan.sbom.evidence import NONE
from ospo_scan.sbom.inventory import Component as InventoryComponent
from ospo_scan.sbom.inventory import ProjectInfo, curation_note, inventory, text_path

if TYPE_CHECKING:
    from ospo_scan.sbom import Elections
    from ospo_scan.sbom.licenses import LicenseNormalizer

SCHEMA = SchemaVersion.V1_6

#: The property of a component whose concluded license a curation set (it names the curation).
CURATION_PROPERTY = "ospo-scan:curation"
#: The project's bom-ref when it has no purl (no manifest at the root).
PROJECT_REF = "project"

# CycloneDX has one scope per component. A component needed at run time by anything is
# required; one only needed optionally is optional; dev, test and build tools are excluded
# from what ships.
_SCOPE = {
    DependencyScope.RUNTIME: ComponentScope.REQUIRED,
    DependencyScope.OPTIONAL: ComponentScope.OPTIONAL,
    DependencyScope.DEV: ComponentScope.EXCLUDED,
    DependencyScope.TEST: ComponentScope.EXCLUDED,
    DependencyScope.BUILD: ComponentScope.EXCLUDED,
}
_SCOPE_RANK = {ComponentScope.REQUIRED: 3, ComponentScope.OPTIONAL: 2, ComponentScope.EXCLUDED: 1}


def _licenses(
    normalizer: LicenseNormalizer, concluded: str | None, declared: str | None
) -> list[License]:
    """One license entry: the concluded expression when there is one, else the declared one.

    CycloneDX allows a single expression per component; the acknowledgement says which
    of the two it is.
    """
    for expression, ack in (
        (concluded, LicenseAcknowledgement.CONCLUDED),
        (declared, LicenseAcknowledgement.DECLARED),
    ):
        if expression == NONE:
            continue  # CycloneDX has no word for "no license": the entry is left out
        normalized = normalizer.normalize(expression)
        if not normalized:
            continue
        if is_supported_id(normalized):
            return [DisjunctiveLicense(id=normalized, acknowledgement=ack)]
        # Anything else (a compound expression, a LicenseRef) is a valid SPDX expression
        # once normalized; the library's factory would demote it to a free-text name.
        return [LicenseExpression(normalized, acknowledgement=ack)]
    return []


def _purl(text: str | None) -> PackageURL | None:
    if not text:
        return None
    try:
        return PackageURL.from_string(text)
    except ValueError:
        return None


def _references(download: str | None, homepage: str | None) -> list[ExternalReference]:
    refs = []
    for url, kind in (
        (download, ExternalReferenceType.DISTRIBUTION),
        (homepage, ExternalReferenceType.WEBSITE),
    ):
        uri = _uri(url) if url else None
        if uri is not None:
            refs.append(ExternalReference(type=kind, url=uri))
    return refs


def _uri(text: str) -> XsUri | None:
    """``text`` as the model and the 1.6 schema accept a URL, or ``None`` when they would not.

    The URL comes from metadata in the scanned tree: a lone ``%``, two ``#`` or a control
    character would make the model raise or the schema refuse the whole BOM; that one link
    is left out instead.
    """
    from cyclonedx.exception.model import InvalidUriException  # noqa: PLC0415

    try:
        uri = XsUri(text)
    except (ValueError, InvalidUriException):
        return None
    return uri if _iri_checker().conforms(str(uri), "iri-reference") else None


@functools.cache
def _iri_checker() -> Any:
    """jsonschema's format checker, which the schema validation of the BOM uses too."""
    from jsonschema import FormatChecker  # noqa: PLC0415 -- only for BOMs with URLs

    return FormatChecker(formats=("iri-reference",))


def _supplier(text: str | None) -> OrganizationalEntity | None:
    """The supplier entity; a person (:mod:`ospo_scan.sbom.actors`) is its one contact too."""
    actor = parse_actor(text)
    if actor is None:
        return None
    if actor.kind is ActorKind.PERSON:
        contact = OrganizationalContact(name=actor.name, email=actor.email)
        return OrganizationalEntity(name=actor.name, contacts=[contact])
    contacts = [OrganizationalContact(email=actor.email)] if actor.email else None
    return OrganizationalEntity(name=actor.name, contacts=contacts)


def _authors(text: str | None) -> list[OrganizationalContact] | None:
    """A supplier that is a person is the component's author as well."""
    actor = parse_actor(text)
    if actor is None or actor.kind is not ActorKind.PERSON:
        return None
    return [OrganizationalContact(name=actor.name, email=actor.email)]


def _manufacturer(given: ProjectInfo | None) -> OrganizationalEntity | None:
    """Who made the BOM (``--creator-organization``, ``--creator-contact``)."""
    if given is None or not given.creator_organization:
        return None
    contact = (given.creator_contact or "").strip()
    return OrganizationalEntity(
        name=given.creator_organization.strip(),
        urls=[XsUri(contact)] if is_url(contact) else None,
        contacts=[OrganizationalContact(email=contact)] if is_email(contact) else None,
    )


def _copyright(text: str | None) -> str | None:
    return None if text == NONE else text


def _version_properties(item: InventoryComponent) -> list[Property]:
    """Where a component's version comes from, when no installed copy says."""
    properties = []
    if item.requirement and item.declared_in:
        properties += [
            Property(name="ospo-scan:version-requirement", value=item.requirement),
            Property(name="ospo-scan:declared-in", value=item.declared_in),
        ]
    if item.resolved_from:
        properties.append(
            Property(name="ospo-scan:version-resolved-from", value=item.resolved_from)
        )
    elif item.version is None and item.declared_in:
        properties.append(Property(name="ospo-scan:unversioned", value="true"))
    return properties


def _elected(purl: str | None, concluded: str | None, elected: Elections | None) -> str | None:
    if elected is None or purl is None:
        return concluded
    return elected.by_purl.get(purl, concluded)


def _component(
    item: InventoryComponent,
    normalizer: LicenseNormalizer,
    scope: ComponentScope | None,
    elected: Elections | None,
) -> Component:
    return Component(
        bom_ref=item.key,
        type=ComponentType.LIBRARY,
        name=item.name,
        group=item.namespace,
        version=item.version,
        purl=_purl(item.key),
        supplier=_supplier(item.supplier),
        authors=_authors(item.supplier),
        licenses=_licenses(
            normalizer, _elected(item.key, item.concluded_license, elected), item.declared_license
        ),
        copyright=_copyright(item.copyright),
        scope=scope,
        external_references=_references(item.download_url, item.homepage_url),
        properties=[*_curation_property(item.curation), *_version_properties(item)],
    )


def _curation_property(curation: AppliedCuration | None) -> list[Property]:
    """The property that names the curation that set the concluded license, if one did."""
    if curation is None:
        return []
    return [Property(name=CURATION_PROPERTY, value=curation_note(curation))]


def _file_component(record: FileRecord, normalizer: LicenseNormalizer) -> Component:
    hashes = [HashType(alg=HashAlgorithm.SHA_1, content=record.sha1 or "")]
    if record.sha256:
        hashes.append(HashType(alg=HashAlgorithm.SHA_256, content=record.sha256))
    statements = list(dict.fromkeys(c.statement for c in record.copyrights))
    licenses: list[License] = []
    if record.status is FileStatus.SCANNED:
        # A curated file's license is a conclusion (the curation's), not what the file says.
        expression = record.license_expression_spdx
        curated = record.curation is not None
        licenses = _licenses(normalizer, expression if curated else None, expression)
    return Component(
        bom_ref=f"file:{text_path(record.path)}",
        type=ComponentType.FILE,
        name=text_path(record.path),
        hashes=hashes,
        licenses=licenses,
        copyright="\n".join(statements) or None,
        properties=_curation_property(record.curation),
    )


def to_cyclonedx_bom(
    result: ScanResult,
    *,
    created: datetime,
    serial: uuid.UUID,
    include_files: bool = False,
    normalizer: LicenseNormalizer,
    elected: Elections | None = None,
    given: ProjectInfo | None = None,
) -> Bom:
    """The CycloneDX BOM that describes ``result``: the project as the metadata component,
    a component per package and dependency, and the dependency graph."""
    inv = inventory(result, given)
    project = inv.project
    root = Component(
        bom_ref=project.purl if project else PROJECT_REF,
        type=ComponentType.APPLICATION,
        name=project.name if project else inv.name,
        group=project.namespace if project else None,
        version=inv.version,
        purl=_purl(project.purl) if project else None,
        supplier=_supplier(inv.supplier),
        authors=_authors(inv.supplier),
        licenses=_licenses(
            normalizer,
            _elected(project.purl if project else None, inv.concluded_license, elected),
            project.declared_license_spdx if project else None,
        ),
        copyright=_copyright(inv.copyright),
        properties=_curation_property(project.curation if project else None),
    )
    tools = ToolRepository(
        components=[
            Component(
                bom_ref="tool:ospo-scan",
                type=ComponentType.APPLICATION,
                name="ospo-scan",
                version=__version__,
            ),
            Component(
                bom_ref="tool:scancode-toolkit",
                type=ComponentType.APPLICATION,
                name="scancode-toolkit",
                version=result.tool.scancode_toolkit_version,
            ),
        ]
    )
    scopes: dict[str, ComponentScope] = {}
    for edge in inv.edges:
        scope = _SCOPE[edge.scope]
        if _SCOPE_RANK[scope] > _SCOPE_RANK.get(scopes.get(edge.target, scope), 0):
            scopes[edge.target] = scope
        scopes.setdefault(edge.target, scope)
    components = {
        c.key: _component(c, normalizer, scopes.get(c.key), elected) for c in inv.components
    }
    files = [
        _file_component(record, normalizer)
        for record in sorted(result.files, key=lambda f: f.path)
        if include_files and record.sha1
    ]
    needs: dict[str | None, set[str]] = {}
    for edge in inv.edges:
        needs.setdefault(edge.source, set()).add(edge.target)
    # Nothing changes these components and dependencies while they are put in order.
    with memoized_order():
        bom = Bom(
            serial_number=serial,
            metadata=BomMetaData(
                timestamp=created,
                tools=tools,
                component=root,
                manufacturer=_manufacturer(given),
                properties=[
                    Property(name="ospo-scan:omitted-unversioned", value=purl)
                    for purl in inv.omitted
                ],
                # CISA's SBOM type "Source" is CycloneDX's pre-build lifecycle.
                lifecycles=[PredefinedLifecycle(LifecyclePhase.PRE_BUILD)],
            ),
            components=components.values(),
        )
        bom.components.update(files)
        # The graph Bom.register_dependency would build, built at once: that method looks up
        # each target by a linear search of the graph so far, quadratic in the components
        # (minutes for 100,000 dependencies). Every component is registered, so each gets
        # one entry with its sorted targets, and so does the root; a file, which the
        # library's validate() registers before any output, gets its entry without targets.
        bom.dependencies = [
            _dependency(root, _pick(components, needs.get(None, ()))),
            *(_dependency(c, _pick(components, needs.get(k, ()))) for k, c in components.items()),
            *(_dependency(f, []) for f in files),
        ]
    return bom


@contextlib.contextmanager
def _skip_repeated_registrations(bom: Bom) -> Iterator[None]:
    """Make ``bom.validate()`` (which every outputter calls) linear in the components.

    It registers every component once more, and each registration searches the graph
    linearly for the component's entry: quadratic. A registration without targets of a
    component that already has an entry changes nothing (the library's own code does nothing
    in that case), so it is answered from a set of the refs in the graph; any other goes to
    the library as before.
    """
    registered: set[Any] = set()
    library = bom.register_dependency

    def register_dependency(target: Any, depends_on: Iterable[Any] | None = None) -> None:
        if not depends_on and target.bom_ref in registered:
            return
        library(target, depends_on)
        registered.add(target.bom_ref)

    # An attribute of this one BOM, not a change to the class: other BOMs keep the library's.
    with patched("cyclonedx-python-lib", bom, register_dependency=register_dependency) as active:
        if active:
            registered.update(d.ref for d in bom.dependencies)
        yield


def _dependency(component: Component, targets: list[Component]) -> Dependency:
    return Dependency(
        ref=component.bom_ref, dependencies=[Dependency(ref=t.bom_ref) for t in targets]
    )


def _pick(components: dict[str, Component], keys: Iterable[str]) -> list[Component]:
    return [components[k] for k in sorted(keys) if k in components]


def serialize_cyclonedx(bom: Bom, format_name: str) -> str:
    """``bom`` as CycloneDX 1.6 JSON or XML, validated; :class:`SbomError` if invalid."""
    # The writer's speed-ups (issue 14 item 10), each the library's own answer.
    from ospo_scan.sbom.cyclonedx_speedups import (  # noqa: PLC0415
        direct_json_indent,
        direct_pretty_xml,
        planned_json_encoding,
        unchanged_components,
    )

    output_format = OutputFormat.JSON if format_name == "cyclonedx-json" else OutputFormat.XML
    with warnings.catch_warnings():
        # The library warns when the project has no dependencies; for a tree without
        # manifests that is the truth, not an incomplete graph.
        warnings.filterwarnings("ignore", message=".*has no defined dependencies.*")
        with (
            _skip_repeated_registrations(bom),
            linear_bom_refs(),
            planned_json_encoding(),
            unchanged_components(bom),
            direct_pretty_xml(),
            direct_json_indent(),
        ):
            text: str = make_outputter(bom, output_format, SCHEMA).output_as_string(indent=2)
    errors = _validation_errors(text, output_format)
    if errors:
        raise SbomError(
            "the CycloneDX BOM failed validation against the 1.6 schema, so nothing was "
            "written:\n  " + "\n  ".join(str(e) for e in errors)
        )
    return text if text.endswith("\n") else text + "\n"


def _validation_errors(text: str, output_format: OutputFormat) -> list[str]:
    """What the CycloneDX 1.6 schema finds wrong with ``text`` (JSON: the strict schema)."""
    if output_format is OutputFormat.XML:
        xml_found = make_schemabased_validator(OutputFormat.XML, SCHEMA).validate_str(
            text, all_errors=True
        )
        return [str(e) for e in xml_found or ()]
    from ospo_scan.sbom.cyclonedx_validation import json_schema_errors  # noqa: PLC0415

    # The text as written, parsed back, is what the schema judges.
    found = json_schema_errors(json.loads(text)) if verified("cyclonedx-python-lib") else None
    if found is None:  # another release, or the library changed inside: use it as it is
        from cyclonedx.validation.json import JsonStrictValidator  # noqa: PLC0415 -- JSON only

        library = JsonStrictValidator(SCHEMA).validate_str(text, all_errors=True)
        return [str(e) for e in library or ()]
    return found
