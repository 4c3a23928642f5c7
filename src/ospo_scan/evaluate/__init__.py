# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""Checking a scan result against a policy: ``evaluate(result, policy) -> PolicyReport``.

Nothing here prints or raises for what it finds: every license detection in a file, every
package's concluded license and conflict, and every dependency's license becomes a frozen
:class:`Finding` with its verdict, the rule that decided it and the waiver that applied
(:mod:`~ospo_scan.evaluate.report`). How one finding is judged is
:mod:`~ospo_scan.evaluate.judge`.

A scan error (a file that could not be read or judged, :mod:`ospo_scan.evaluate.errors`)
is a finding too, judged by the ``errors`` key: ``deny`` when the policy says nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from ospo_scan.engine.catalog import license_catalog
from ospo_scan.evaluate.errors import scan_errors
from ospo_scan.evaluate.judge import Judge
from ospo_scan.evaluate.report import (
    Check,
    Finding,
    LicenseVerdict,
    PolicyReport,
    Subject,
    WaiverNote,
)
from ospo_scan.licensing import LicenseCatalog
from ospo_scan.model import AppliedCuration, ScanResult
from ospo_scan.policy.model import Policy

__all__ = [
    "Check",
    "Finding",
    "LicenseVerdict",
    "PolicyReport",
    "Subject",
    "WaiverNote",
    "evaluate",
]


def evaluate(
    result: ScanResult,
    policy: Policy,
    *,
    today: dt.date | None = None,
    catalog: LicenseCatalog | None = None,
) -> PolicyReport:
    """Judge every file detection, package, dependency and scan error of ``result``.

    ``today`` decides which waivers have expired (the local date when not given).
    """
    today = today or dt.date.today()  # a waiver's date is a calendar date
    ev = Judge(policy, today, catalog or license_catalog())
    findings: list[Finding] = []
    for record in result.files:
        for detection in record.license_detections:
            findings.append(
                _curated(
                    record.curation,
                    check=Check.FILE_LICENSE,
                    subject=Subject.FILE,
                    expression=detection.license_expression_spdx,
                    path=record.path,
                    paths=(record.path,),
                    kind=detection.kind,
                    start_line=detection.start_line,
                    end_line=detection.end_line,
                    identifier=detection.identifier or None,
                    judge=ev,
                )
            )
    for package in result.packages:
        where = package.datafile_paths[0] if package.datafile_paths else package.root_path
        paths = _present((package.root_path, *package.datafile_paths))
        findings.append(
            _curated(
                package.curation,
                judge=ev,
                check=Check.PACKAGE_LICENSE,
                subject=Subject.PACKAGE,
                expression=package.concluded_license_spdx,
                path=where,
                paths=paths,
                purl=package.purl,
                start_line=package.datafile_line,
            )
        )
        if package.conflict is not None:
            c = package.conflict
            findings.append(
                ev.conflict(
                    path=where,
                    line=package.datafile_line,
                    paths=paths,
                    purl=package.purl,
                    detail=f"declared {c.declared or 'nothing'}, license files say "
                    f"{c.detected or 'nothing'}",
                )
            )
    for dep in result.dependencies:
        findings.append(
            _curated(
                dep.curation,
                judge=ev,
                check=Check.DEPENDENCY_LICENSE,
                subject=Subject.DEPENDENCY,
                expression=dep.license_spdx,
                path=dep.datafile_path,
                paths=(dep.datafile_path,),
                purl=dep.purl,
                scope=dep.scope,
                start_line=dep.datafile_line,
            )
        )
    findings.extend(ev.scan_error(path, issue) for path, issue in scan_errors(result))
    notes = []
    for waiver in policy.waivers:
        if waiver.expired(today):
            notes.append(
                WaiverNote(
                    waiver,
                    "expired",
                    f"waiver {waiver.label} expired on {waiver.expires}; it no longer applies",
                )
            )
    for index, waiver in enumerate(ev.active):
        if index not in ev.used:
            notes.append(
                WaiverNote(waiver, "unused", f"waiver {waiver.label} matched nothing; remove it?")
            )
    return PolicyReport(
        policy=policy.name,
        policy_sources=policy.sources,
        root=result.root,
        today=today,
        findings=tuple(findings),
        waiver_notes=tuple(notes),
    )


def _curated(curation: AppliedCuration | None, *, judge: Judge, **subject: Any) -> Finding:
    """The judge's finding on ``subject``, naming the curation that set its license."""
    finding = judge.expression(**subject)
    if curation is None:
        return finding
    return replace(finding, curation=curation.curation, curation_reason=curation.reason)


def _present(values: Iterable[str | None]) -> tuple[str, ...]:
    return tuple(v for v in values if v)
