# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""SPDX 2.3 documents through spdx-tools: map, validate, then write.

:func:`to_spdx_document` is a pure mapping from a scan result to spdx-tools' model;
:func:`render_spdx` validates the document with spdx-tools' own validator and only then
serializes it (JSON, tag-value, YAML, XML or RDF/XML). An invalid document raises
:class:`~ospo_scan.errors.SbomError` with every finding, and nothing is written.

Unknown values are written as ``NOASSERTION`` (supplier, download location, licenses,
copyright), as SPDX 2.3 asks, rather than left out.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import re
from datetime import datetime
from typing import TYPE_CHECKING, Any

from spdx_tools.common.spdx_licensing import spdx_licensing
from spdx_tools.spdx.model.actor import Actor, ActorType
from spdx_tools.spdx.model.checksum import Checksum, ChecksumAlgorithm
from spdx_tools.spdx.model.document import CreationInfo, Document
from spdx_tools.spdx.model.extracted_licensing_info import ExtractedLicensingInfo
from spdx_tools.spdx.model.file import File
from spdx_tools.spdx.model.package import (
    ExternalPackageRef,
    ExternalPackageRefCategory,
    Package,
    PackageVerificationCode,
)
from spdx_tools.spdx.model.relationship import Relationship, RelationshipType
from spdx_tools.spdx.model.spdx_no_assertion import SpdxNoAssertion
from spdx_tools.spdx.model.spdx_none import SpdxNone
from spdx_tools.spdx.model.version import Version
from spdx_tools.spdx.validation.document_validator import validate_full_spdx_document
from spdx_tools.spdx.validation.uri_validators import validate_url
from spdx_tools.spdx.writer.json import json_writer
from spdx_tools.spdx.writer.rdf import rdf_writer
from spdx_tools.spdx.writer.tagvalue import tagvalue_writer
from spdx_tools.spdx.writer.xml import xml_writer
from spdx_tools.spdx.writer.yaml import yaml_writer

from ospo_scan import __version__
from ospo_scan.errors import SbomError
from ospo_scan.model import AppliedCuration, DependencyScope, FileRecord, FileStatus, ScanResult
from ospo_scan.sbom.actors import ActorKind, is_email, parse_actor
from ospo_scan.sbom.evidence import NONE
from ospo_scan.sbom.inventory import (
    Component,
    Edge,
    Inventory,
    ProjectInfo,
    curation_note,
    inventory,
    text_path,
)

if TYPE_CHECKING:
    from ospo_scan.sbom import Elections
from ospo_scan.sbom.licenses import LicenseNormalizer
from ospo_scan.sbom.spdx_speedups import (
    c_yaml_emitter,
    indexed_ids,
    indexed_relationships,
    one_licensing,
)

SPDX_VERSION = "SPDX-2.3"
DOCUMENT_ID = "SPDXRef-DOCUMENT"
PROJECT_ID = "SPDXRef-Project"

#: The formats :func:`render_spdx` writes, by the name the CLI uses.
SPDX_FORMATS = ("spdx-json", "spdx-tv", "spdx-yaml", "spdx-xml", "spdx-rdf")

_NOT_ID_CHARS = re.compile(r"[^A-Za-z0-9.-]+")

#: What the document says of the kind of SBOM it is (CISA's "SBOM type"): SPDX 2.3 has no
#: field for it, so the creator comment says it in these words.
SBOM_TYPE_NOTE = "SBOM type: Source (CISA), made from the source tree and its manifests."

# A dependency edge "source needs target in scope" as an SPDX relationship. SPDX names the
# runtime edge from the dependent side and every other scope from the dependency's side.
_SCOPE_RELATIONSHIP = {
    DependencyScope.RUNTIME: ("DEPENDS_ON", False),
    DependencyScope.DEV: ("DEV_DEPENDENCY_OF", True),
    DependencyScope.TEST: ("TEST_DEPENDENCY_OF", True),
    DependencyScope.OPTIONAL: ("OPTIONAL_DEPENDENCY_OF", True),
    DependencyScope.BUILD: ("BUILD_DEPENDENCY_OF", True),
}


def _spdx_id(prefix: str, text: str) -> str:
    """A readable, unique, valid SPDX id: the text's safe characters plus a short digest."""
    digest = hashlib.sha256(text.encode("utf-8", "backslashreplace")).hexdigest()[:10]
    readable = _NOT_ID_CHARS.sub("-", text).strip("-")[:60]
    return f"SPDXRef-{prefix}-{readable}-{digest}" if readable else f"SPDXRef-{prefix}-{digest}"


def package_spdx_id(purl: str) -> str:
    """The SPDX id of the package with ``purl``."""
    return _spdx_id("Package", purl.removeprefix("pkg:"))


def file_spdx_id(path: str) -> str:
    """The SPDX id of the file at ``path`` (relative to the root)."""
    return _spdx_id("File", path)


def _actor(text: str | None) -> Any:
    """A supplier as an SPDX actor, a person or an organization by the rule of
    :mod:`ospo_scan.sbom.actors`; ``NOASSERTION`` when unknown."""

    actor = parse_actor(text)
    if actor is None:
        return SpdxNoAssertion()
    kind = ActorType.PERSON if actor.kind is ActorKind.PERSON else ActorType.ORGANIZATION
    return Actor(kind, actor.name, actor.email)


def _expression(normalizer: LicenseNormalizer, expression: str | None) -> Any:
    if expression == NONE:
        return SpdxNone()
    normalized = normalizer.normalize(expression)
    if normalized is None:
        return SpdxNoAssertion()
    return spdx_licensing.parse(normalized)


def _text_or_noassertion(text: str | None) -> Any:
    if text == NONE:
        return SpdxNone()
    return text if text and text.strip() else SpdxNoAssertion()


def _purl_ref(purl: str) -> Any:
    return ExternalPackageRef(ExternalPackageRefCategory.PACKAGE_MANAGER, "purl", purl)


def _url_or_noassertion(url: str | None) -> Any:
    if url and not validate_url(url):
        return url
    return SpdxNoAssertion()


def verification_code(files: tuple[FileRecord, ...]) -> tuple[str, list[str]]:
    """The SPDX package verification code of ``files`` and the files it had to exclude.

    SPDX 2.3 section 7.9: the SHA-1 of the sorted, concatenated SHA-1s of the files. Files
    without a SHA-1 (unreadable files, symbolic links) cannot take part and are excluded.
    """
    sha1s = sorted(f.sha1 for f in files if f.sha1)
    excluded = sorted(f"./{text_path(f.path)}" for f in files if not f.sha1)
    return hashlib.sha1("".join(sha1s).encode("ascii")).hexdigest(), excluded  # noqa: S324


def _file_ids(normalizer: LicenseNormalizer, record: FileRecord) -> list[Any]:
    if record.status is not FileStatus.SCANNED:
        return [SpdxNoAssertion()]
    # What is in the file: for a curated file, what was detected before the curation.
    found = record.curation.previous if record.curation else record.license_expression_spdx
    ids = normalizer.ids(normalizer.normalize(found))
    return [spdx_licensing.parse(i) for i in ids] or [SpdxNone()]


def _file_copyright(record: FileRecord) -> Any:
    if record.status is not FileStatus.SCANNED:
        return SpdxNoAssertion()
    statements = list(dict.fromkeys(c.statement for c in record.copyrights))
    return "\n".join(statements) if statements else SpdxNone()


def _to_file(normalizer: LicenseNormalizer, record: FileRecord) -> Any:
    assert record.sha1 is not None
    checksums = [Checksum(ChecksumAlgorithm.SHA1, record.sha1)]
    if record.sha256:
        checksums.append(Checksum(ChecksumAlgorithm.SHA256, record.sha256))
    return File(
        name=f"./{text_path(record.path)}",
        spdx_id=file_spdx_id(text_path(record.path)),
        checksums=checksums,
        # A curated file's license is concluded (by the curation); others are not.
        license_concluded=_expression(normalizer, record.license_expression_spdx)
        if record.curation
        else SpdxNoAssertion(),
        license_info_in_file=_file_ids(normalizer, record),
        license_comment=curation_note(record.curation) + "." if record.curation else None,
        copyright_text=_file_copyright(record),
    )


def _project_package(
    result: ScanResult, inv: Inventory, normalizer: LicenseNormalizer, elected: Elections | None
) -> Any:
    project = inv.project
    concluded, comment = _concluded(
        project.purl if project else None,
        inv.concluded_license,
        elected,
        project.curation if project else None,
    )
    comment = comment or _license_note(inv.concluded_license, inv.concluded_from, "project")
    code, excluded = verification_code(result.files)
    file_ids: dict[str, None] = {}
    for record in result.files:
        if record.status is FileStatus.SCANNED:
            file_ids.update(
                dict.fromkeys(normalizer.ids(normalizer.normalize(record.license_expression_spdx)))
            )
    return Package(
        spdx_id=PROJECT_ID,
        name=inv.name,
        version=inv.version,
        download_location=_url_or_noassertion(project.download_url if project else None),
        homepage=_url_or_noassertion(project.homepage_url) if project else None,
        supplier=_actor(inv.supplier),
        # The files of the project were scanned: the package lists the licenses found in
        # them and a verification code over them, with or without --files.
        files_analyzed=True,
        verification_code=PackageVerificationCode(code, excluded),
        license_info_from_files=[spdx_licensing.parse(i) for i in sorted(file_ids)] or [SpdxNone()],
        license_declared=_expression(
            normalizer, project.declared_license_spdx if project else None
        ),
        license_concluded=_expression(normalizer, concluded),
        license_comment=comment,
        copyright_text=_text_or_noassertion(inv.copyright),
        external_references=[_purl_ref(project.purl)] if project else [],
        comment=None if project else "No manifest at the root: named after the scanned folder.",
    )


def _license_note(concluded: str | None, files: tuple[str, ...], what: str) -> str | None:
    """Why a concluded license that no manifest declares is what it is."""
    if concluded == NONE:
        return (
            f"No license is declared, and the scan found none in the {what}'s files: "
            "concluded NONE."
        )
    if files:
        return f"No manifest declares a license: concluded from {', '.join(files)}."
    return None


def _component_comment(component: Component) -> str | None:
    """What the document should say about where a component and its version come from."""
    notes = []
    if not component.in_tree:
        notes.append("Declared as a dependency; not found in the tree.")
    if component.requirement and component.resolved_from:
        notes.append(
            f"Declared as {component.requirement!r} in {component.declared_in}; version "
            f"{component.version} resolved from {component.resolved_from}."
        )
    elif component.version is None and component.declared_in:
        declared = (
            f"No version is known, only the requirement {component.requirement!r} in"
            if component.requirement
            else "Declared without a version in"
        )
        notes.append(
            f"{declared} {component.declared_in}; no version was resolved (no installed "
            "copy, no lockfile pins one)."
        )
    return " ".join(notes) or None


def _concluded(
    purl: str | None,
    concluded: str | None,
    elected: Elections | None,
    curation: AppliedCuration | None = None,
) -> tuple[str | None, str | None]:
    """The concluded license, the policy's election when it made one, and a comment saying so
    (and naming the curation that set the license, when one did)."""
    curated = curation_note(curation) + "." if curation is not None else None
    if elected is None or purl is None or purl not in elected.by_purl:
        return concluded, curated
    choice = elected.by_purl[purl]
    election = (
        f"Concluded under the license policy {elected.policy!r}: {choice}, the alternative "
        f"it elected from {concluded or 'the declared license'}."
    )
    return choice, f"{curated} {election}" if curated else election


def _component_package(
    component: Component, normalizer: LicenseNormalizer, elected: Elections | None
) -> Any:
    concluded, comment = _concluded(
        component.key, component.concluded_license, elected, component.curation
    )
    comment = comment or _license_note(concluded, (), "package")
    return Package(
        spdx_id=package_spdx_id(component.key),
        name=f"{component.namespace}/{component.name}" if component.namespace else component.name,
        version=component.version,
        download_location=_url_or_noassertion(component.download_url),
        homepage=_url_or_noassertion(component.homepage_url) if component.homepage_url else None,
        supplier=_actor(component.supplier),
        # Only the project's files are analyzed as a whole; a package inside the tree is
        # described by its metadata (its files, with --files, belong to the project).
        files_analyzed=False,
        license_declared=_expression(normalizer, component.declared_license),
        license_concluded=_expression(normalizer, concluded),
        license_comment=comment,
        copyright_text=_text_or_noassertion(component.copyright),
        external_references=[_purl_ref(component.key)],
        comment=_component_comment(component),
    )


def _edge_relationships(edge: Edge) -> list[Any]:
    """The relationships of one dependency edge.

    A runtime edge is ``A DEPENDS_ON B``. Any other scope keeps its own type
    (``B DEV_DEPENDENCY_OF A``) and is also written ``A DEPENDS_ON B`` with a comment naming
    the scope: the scoped types point from the dependency to its dependent, so a reader that
    walks the graph down from the root (as NTIA and CISA checkers do) would find no path to
    a development or test dependency, and would take it for a package floating apart.
    """
    source = package_spdx_id(edge.source) if edge.source else PROJECT_ID
    target = package_spdx_id(edge.target)
    name, reverse = _SCOPE_RELATIONSHIP[edge.scope]
    if not reverse:
        return [Relationship(source, RelationshipType[name], target)]
    return [
        Relationship(target, RelationshipType[name], source),
        Relationship(
            source,
            RelationshipType.DEPENDS_ON,
            target,
            comment=f"{edge.scope.value} dependency: see {name}",
        ),
    ]


def to_spdx_document(
    result: ScanResult,
    *,
    created: datetime,
    namespace: str,
    include_files: bool = False,
    normalizer: LicenseNormalizer,
    elected: Elections | None = None,
    given: ProjectInfo | None = None,
) -> Any:
    """The SPDX 2.3 document (spdx-tools' ``Document``) that describes ``result``.

    The project is the one package the document DESCRIBES; it CONTAINS each package found
    in the tree, and the dependency graph becomes DEPENDS_ON, DEV_DEPENDENCY_OF and their
    kin. With ``include_files`` every hashed file is listed, CONTAINED by the project.
    """

    inv = inventory(result, given)
    project = _project_package(result, inv, normalizer, elected)
    packages = [project]
    relationships = [Relationship(DOCUMENT_ID, RelationshipType.DESCRIBES, PROJECT_ID)]
    for component in inv.components:
        packages.append(_component_package(component, normalizer, elected))
        if component.in_tree:
            relationships.append(
                Relationship(PROJECT_ID, RelationshipType.CONTAINS, package_spdx_id(component.key))
            )
    runtime = {(e.source, e.target) for e in inv.edges if e.scope is DependencyScope.RUNTIME}
    for edge in inv.edges:
        written = _edge_relationships(edge)
        if edge.scope is not DependencyScope.RUNTIME and (edge.source, edge.target) in runtime:
            written = written[:1]  # already reached through the run-time DEPENDS_ON
        relationships.extend(written)
    files = []
    if include_files:
        for record in sorted(result.files, key=lambda f: f.path):
            if record.sha1:
                files.append(_to_file(normalizer, record))
                relationships.append(
                    Relationship(
                        PROJECT_ID, RelationshipType.CONTAINS, file_spdx_id(text_path(record.path))
                    )
                )
    list_version = None
    match = re.match(r"^(\d+)\.(\d+)", result.tool.spdx_license_list_version)
    if match:
        list_version = Version(int(match[1]), int(match[2]))
    creation = CreationInfo(
        spdx_version=SPDX_VERSION,
        spdx_id=DOCUMENT_ID,
        name=f"{inv.name}-{inv.version}" if inv.version else inv.name,
        document_namespace=namespace,
        creators=_creators(result, given),
        created=created.replace(microsecond=0),
        creator_comment=_creator_comment(result, given, inv.omitted),
        data_license="CC0-1.0",
        license_list_version=list_version,
    )
    extracted = [
        ExtractedLicensingInfo(
            license_id=ref.license_id,
            extracted_text=ref.text,
            license_name=ref.name,
            cross_references=[u for u in ref.urls if not validate_url(u)],
            comment=ref.comment,
        )
        for ref in normalizer.extracted()
    ]
    return Document(
        creation_info=creation,
        packages=packages,
        files=files,
        relationships=relationships,
        extracted_licensing_info=extracted,
    )


def _creators(result: ScanResult, given: ProjectInfo | None) -> list[Any]:
    """The document's creators: the organisation that makes it, when named, and the tools."""
    creators = []
    if given and given.creator_organization:
        contact = given.creator_contact
        email = contact.strip() if contact and is_email(contact) else None
        creators.append(Actor(ActorType.ORGANIZATION, given.creator_organization.strip(), email))
    creators += [
        Actor(ActorType.TOOL, f"ospo-scan-{__version__}"),
        Actor(ActorType.TOOL, f"scancode-toolkit-{result.tool.scancode_toolkit_version}"),
    ]
    return creators


def _creator_comment(
    result: ScanResult, given: ProjectInfo | None, omitted: tuple[str, ...]
) -> str:
    lines = [
        f"Made by ospo-scan from a scan of {result.root_name!r} with ScanCode license "
        f"data {result.tool.license_index}.",
        SBOM_TYPE_NOTE,
    ]
    if omitted:
        lines.append(
            f"Left out (--unversioned omit), declared without a version: {', '.join(omitted)}"
        )
    contact = given.creator_contact if given else None
    if contact and not (given and given.creator_organization and is_email(contact)):
        # A URL, or a contact without an organisation: the creator field has no room for it.
        lines.append(f"Contact: {contact.strip()}")
    return "\n".join(lines)


def validate_spdx(document: Any) -> list[str]:
    """spdx-tools' findings about ``document`` (empty when it is valid SPDX 2.3)."""

    with indexed_ids(document), indexed_relationships(document):
        messages = validate_full_spdx_document(document, SPDX_VERSION)
    return [
        f"{m.context.spdx_id or m.context.parent_id or 'document'}: {m.validation_message}"
        for m in messages
    ]


def serialize_spdx(document: Any, format_name: str) -> str:
    """``document`` validated, then written in ``format_name``; :class:`SbomError` if invalid."""

    messages = validate_spdx(document)
    if messages:
        raise SbomError(
            "the SPDX document failed validation, so nothing was written:\n  "
            + "\n  ".join(messages)
        )
    # Validated just above, with the messages kept for the user; the writers' own check
    # would run the same validator over the same document a second time.
    if format_name == "spdx-rdf":
        binary = io.BytesIO()
        rdf_writer.write_document_to_stream(document, binary, validate=False)
        from ospo_scan.sbom.rdf_output import stable_rdf  # noqa: PLC0415 -- spdx-rdf only

        return stable_rdf(binary.getvalue())
    writers = {
        "spdx-json": json_writer,
        "spdx-tv": tagvalue_writer,
        "spdx-yaml": yaml_writer,
        "spdx-xml": xml_writer,
    }
    stream = io.StringIO()
    with c_yaml_emitter() if format_name == "spdx-yaml" else contextlib.nullcontext():
        writers[format_name].write_document_to_stream(document, stream, validate=False)
    text = stream.getvalue()
    if format_name == "spdx-tv":
        check_tag_value(document, text)
    return text if text.endswith("\n") else text + "\n"


def tag_value_parser() -> Any:
    """spdx-tools' tag-value parser, its tables built in memory.

    By default ply writes its tables and a debug file into spdx-tools' installed package (a
    place that may be read-only, and a debug file it leaves open) and says "Generating LALR
    tables" on stderr; none of that here.
    """
    from ply import yacc  # noqa: PLC0415 -- spdx-tv only
    from spdx_tools.spdx.parser.tagvalue.parser import Parser  # noqa: PLC0415

    return Parser(debug=False, write_tables=False, errorlog=yacc.NullLogger())  # type: ignore[no-untyped-call]


def check_tag_value(document: Any, text: str) -> None:
    """Raise :class:`SbomError` unless ``text`` parses back to ``document``'s files and packages.

    Tag-value is the one serialisation where a value is a line: a newline that reached a value
    (a file or folder name) would start a tag of its own. Names are escaped before they get
    here (:func:`ospo_scan.model.printable`); this proves it for the document as written,
    with spdx-tools' own parser, before ospo-scan calls the SBOM valid.
    """
    from spdx_tools.spdx.parser.error import SPDXParsingError  # noqa: PLC0415 -- spdx-tv only

    try:
        with one_licensing():
            parsed = tag_value_parser().parse(text)
    except SPDXParsingError as exc:
        messages: list[str] = exc.get_messages()  # type: ignore[no-untyped-call]
        problems = "; ".join(messages[:3])
        raise SbomError(
            f"the spdx-tv text does not parse back, so nothing was written: {problems}"
        ) from None
    expected = (sorted(f.name for f in document.files), sorted(p.name for p in document.packages))
    found = (sorted(f.name for f in parsed.files), sorted(p.name for p in parsed.packages))
    if found != expected:
        raise SbomError(
            "the spdx-tv text does not parse back to the files and packages it was written "
            "from, so nothing was written"
        )
