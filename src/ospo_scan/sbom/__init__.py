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
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, ParamSpec, TypeVar

from ospo_scan.errors import SbomError
from ospo_scan.model import ScanResult

if TYPE_CHECKING:
    from ospo_scan.evaluate import PolicyReport

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
    # Imported here, not above: the format registry imports this package for its format names.
    from ospo_scan.engine.catalog import license_texts  # noqa: PLC0415
    from ospo_scan.sbom.inventory import ProjectInfo, document_identity, inventory  # noqa: PLC0415
    from ospo_scan.sbom.licenses import LicenseNormalizer  # noqa: PLC0415

    if format_name not in SBOM_FORMATS:
        raise SbomError(
            f"unknown SBOM format {format_name!r}; choose from {', '.join(SBOM_FORMATS)}"
        )
    family = "spdx" if format_name.startswith("spdx") else "cyclonedx"
    identity = document_identity(
        result,
        family,
        f"files={options.include_files}",
        f"policy={policy_report.policy if policy_report else ''}",
        f"version={options.project_version or ''}",
        f"supplier={options.supplier or ''}",
        reproducible=options.reproducible,
        environ=environ,
    )
    normalizer = LicenseNormalizer(license_texts())
    elected = elections(policy_report) if policy_report is not None else None
    given = ProjectInfo(version=options.project_version, supplier=options.supplier)
    if family == "spdx":
        from ospo_scan.sbom.spdx import serialize_spdx, to_spdx_document  # noqa: PLC0415

        name = _NOT_URI_CHARS.sub("-", inventory(result).name).strip("-") or "project"
        document = to_spdx_document(
            result,
            created=identity.created,
            namespace=f"https://spdx.org/spdxdocs/ospo-scan/{name}-{identity.uuid}",
            include_files=options.include_files,
            normalizer=normalizer,
            elected=elected,
            given=given,
        )
        return serialize_spdx(document, format_name)
    from ospo_scan.sbom.cyclonedx import serialize_cyclonedx, to_cyclonedx_bom  # noqa: PLC0415

    bom = to_cyclonedx_bom(
        result,
        created=identity.created,
        serial=identity.uuid,
        include_files=options.include_files,
        normalizer=normalizer,
        elected=elected,
        given=given,
    )
    return serialize_cyclonedx(bom, format_name)
