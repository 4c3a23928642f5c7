# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""SBOM export: SPDX 2.3 and CycloneDX 1.6 documents that their own validators accept.

:func:`render_sbom` is the one core call of ``ospo-scan sbom``: it maps a scan result to the
library model of the chosen format, validates it, and returns the text. It never writes.
"""

from __future__ import annotations

import functools
import gc
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

from ospo_scan.errors import SbomError
from ospo_scan.model import ScanResult

if TYPE_CHECKING:
    from ospo_scan.evaluate import PolicyReport
    from ospo_scan.sbom.conformance import Conformance
    from ospo_scan.sbom.inventory import DocumentIdentity, ProjectInfo

#: Every serialisation the SBOM writers know, by name (the format registry offers them).
SBOM_FORMATS = (
    "spdx-json",
    "spdx-tv",
    "spdx-yaml",
    "spdx-xml",
    "spdx-rdf",
    "cyclonedx-json",
    "cyclonedx-xml",
)


@dataclass(frozen=True, slots=True)
class SbomOptions:
    """What shapes an SBOM besides its format."""

    include_files: bool = False
    reproducible: bool = False
    project_version: str | None = None  # the project's version, over its manifest's
    supplier: str | None = None  # the project's supplier: "Name <email>" or an organization
    creator_organization: str | None = None  # who makes the document (with the tools)
    creator_contact: str | None = None  # their e-mail address or URL
    unversioned: str = "resolve"  # dependencies with only a range: resolve, keep or omit


@dataclass(frozen=True, slots=True)
class SbomInput:
    """Everything an SBOM is made of: what its formats in the registry render."""

    result: ScanResult
    options: SbomOptions = SbomOptions()
    policy_report: PolicyReport | None = None  # elects the alternative of each OR license
    environ: Mapping[str, str] | None = None  # SOURCE_DATE_EPOCH is read from it (default: os)


_P = ParamSpec("_P")
_T = TypeVar("_T")

_NOT_URI_CHARS = re.compile(r"[^A-Za-z0-9._~-]+")


@dataclass(frozen=True, slots=True)
class Elections:
    """What a policy elected for the ``OR`` expressions of packages and dependencies.

    ``by_purl`` maps a purl to the chosen alternative (an SPDX expression without ``OR``,
    or with fewer of them); ``policy`` names the policy, for the record in the document.
    """

    policy: str
    by_purl: Mapping[str, str]


def collector_paused(function: Callable[_P, _T]) -> Callable[_P, _T]:
    """``function`` with Python's cyclic garbage collector paused while it runs (and
    restored after, as it was).

    The libraries' models of a large tree are millions of small objects, made in one go and
    dropped together; each collection of the oldest generation walked them all again while
    they were made: building the CycloneDX BOM of 10,000 dependencies took 24 s with the
    collector and 6 s without, and spdx-json of 100,000 dependencies 38 CPU seconds instead
    of 27. A writer that leaves cycles behind collects them itself (``rdf_output.py``).
    """

    @functools.wraps(function)
    def paused(*args: _P.args, **kwargs: _P.kwargs) -> _T:
        was_enabled = gc.isenabled()
        gc.disable()
        try:
            return function(*args, **kwargs)
        finally:
            if was_enabled:
                gc.enable()

    return paused


def elections(report: PolicyReport) -> Elections:
    """The alternatives ``report``'s policy elected, per package and dependency purl."""
    from ospo_scan.evaluate import Check  # noqa: PLC0415 -- the format registry imports this package: keep it light

    chosen: dict[str, str] = {}
    judged = (Check.PACKAGE_LICENSE, Check.DEPENDENCY_LICENSE)
    for finding in report.findings:
        if finding.check in judged and finding.package and finding.elected:
            chosen.setdefault(finding.package, finding.elected)
    return Elections(policy=report.policy, by_purl=chosen)


def project_info(options: SbomOptions) -> ProjectInfo:
    """What ``options`` tell the SBOM writers about the project and the document."""
    from ospo_scan.sbom.inventory import ProjectInfo  # noqa: PLC0415 -- keep this package light
    from ospo_scan.sbom.versions import UNVERSIONED_CHOICES  # noqa: PLC0415

    if options.unversioned not in UNVERSIONED_CHOICES:
        raise SbomError(
            f"unknown choice for dependencies without a version {options.unversioned!r}; "
            f"choose from {', '.join(UNVERSIONED_CHOICES)}"
        )
    return ProjectInfo(
        version=options.project_version,
        supplier=options.supplier,
        creator_organization=options.creator_organization,
        creator_contact=options.creator_contact,
        unversioned=options.unversioned,
    )


@collector_paused
def render_sbom(
    result: ScanResult,
    format_name: str,
    options: SbomOptions = SbomOptions(),
    *,
    policy_report: PolicyReport | None = None,
    environ: Mapping[str, str] | None = None,
) -> str:
    """The SBOM of ``result`` in ``format_name``, validated; :class:`SbomError` if invalid.

    With ``policy_report`` (from :func:`ospo_scan.evaluate.evaluate`), the concluded license
    of a package or dependency whose license is an ``OR`` is the alternative that the policy
    elected, and the SPDX document says so in the package's license comment.
    """
    if format_name not in SBOM_FORMATS:
        raise SbomError(
            f"unknown SBOM format {format_name!r}; choose from {', '.join(SBOM_FORMATS)}"
        )
    if format_name.startswith("spdx"):
        from ospo_scan.sbom.spdx import serialize_spdx  # noqa: PLC0415

        document = _spdx_document(result, options, policy_report, environ)
        return serialize_spdx(document, format_name)
    # Imported here, not above: the format registry imports this package for its format names.
    from ospo_scan.engine.catalog import license_texts  # noqa: PLC0415
    from ospo_scan.sbom.cyclonedx import serialize_cyclonedx, to_cyclonedx_bom  # noqa: PLC0415
    from ospo_scan.sbom.licenses import LicenseNormalizer  # noqa: PLC0415

    identity = _identity(result, "cyclonedx", options, policy_report, environ)
    bom = to_cyclonedx_bom(
        result,
        created=identity.created,
        serial=identity.uuid,
        include_files=options.include_files,
        normalizer=LicenseNormalizer(license_texts()),
        elected=elections(policy_report) if policy_report is not None else None,
        given=project_info(options),
    )
    return serialize_cyclonedx(bom, format_name)


def _identity(
    result: ScanResult,
    family: str,
    options: SbomOptions,
    policy_report: PolicyReport | None,
    environ: Mapping[str, str] | None,
) -> DocumentIdentity:
    from ospo_scan.sbom.inventory import document_identity  # noqa: PLC0415

    return document_identity(
        result,
        family,
        f"files={options.include_files}",
        f"policy={policy_report.policy if policy_report else ''}",
        f"version={options.project_version or ''}",
        f"supplier={options.supplier or ''}",
        f"creator={options.creator_organization or ''}|{options.creator_contact or ''}",
        f"unversioned={options.unversioned}",
        reproducible=options.reproducible,
        environ=environ,
    )


def _spdx_document(
    result: ScanResult,
    options: SbomOptions,
    policy_report: PolicyReport | None,
    environ: Mapping[str, str] | None,
) -> Any:
    """The SPDX document of ``result`` (spdx-tools' model), not yet validated."""
    from ospo_scan.engine.catalog import license_texts  # noqa: PLC0415
    from ospo_scan.sbom.inventory import project_name  # noqa: PLC0415
    from ospo_scan.sbom.licenses import LicenseNormalizer  # noqa: PLC0415
    from ospo_scan.sbom.spdx import to_spdx_document  # noqa: PLC0415

    identity = _identity(result, "spdx", options, policy_report, environ)
    name = _NOT_URI_CHARS.sub("-", project_name(result)).strip("-") or "project"
    return to_spdx_document(
        result,
        created=identity.created,
        namespace=f"https://spdx.org/spdxdocs/ospo-scan/{name}-{identity.uuid}",
        include_files=options.include_files,
        normalizer=LicenseNormalizer(license_texts()),
        elected=elections(policy_report) if policy_report is not None else None,
        given=project_info(options),
    )


def check_conformance(
    result: ScanResult,
    standards: Sequence[str],
    options: SbomOptions = SbomOptions(),
    *,
    policy_report: PolicyReport | None = None,
    environ: Mapping[str, str] | None = None,
) -> tuple[Conformance, ...]:
    """How the SBOM of ``result`` fares against each of ``standards`` (``ntia``, ``cisa``).

    The SPDX document that the ``spdx-*`` formats write is judged (see
    :mod:`ospo_scan.sbom.conformance`); a CycloneDX BOM carries the same elements.
    """
    from ospo_scan.sbom.conformance import check_document  # noqa: PLC0415
    from ospo_scan.sbom.inventory import inventory  # noqa: PLC0415
    from ospo_scan.sbom.spdx import PROJECT_ID, SBOM_TYPE_NOTE, package_spdx_id  # noqa: PLC0415

    document = _spdx_document(result, options, policy_report, environ)
    inv = inventory(result, project_info(options))
    by_id = {package_spdx_id(c.key): c for c in inv.components}
    return tuple(
        check_document(document, inv, by_id, PROJECT_ID, s, SBOM_TYPE_NOTE) for s in standards
    )
