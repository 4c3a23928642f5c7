# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""The SBOM serialisations as formats: each maps, validates and writes through
:func:`ospo_scan.sbom.render_sbom` (nothing is written unless the document is valid)."""

from __future__ import annotations

from ospo_scan.sbom import SBOM_FORMATS, SbomInput, render_sbom


class SbomFormat:
    """One SBOM serialisation (``spdx-json``, ``cyclonedx-xml``...)."""

    for_humans = False

    def __init__(self, name: str) -> None:
        self.name = name

    def render(self, data: SbomInput, *, width: int | None = None, color: bool = False) -> str:
        """The validated document as text."""
        return render_sbom(
            data.result,
            self.name,
            data.options,
            policy_report=data.policy_report,
            environ=data.environ,
        )


#: One format per serialisation, by the name the registry gives it.
FORMATS = {name: SbomFormat(name) for name in SBOM_FORMATS}
