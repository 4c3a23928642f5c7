# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""The data of the HTML report: a check report (and the scan it judged) as plain JSON values.

Names from the tree are shown as every text output shows them (``model.printable``: bytes
that are not UTF-8 and control characters as ``\\xNN``); the snippets keep them exact.

The page's script renders its big tables from this data, a page at a time, so that a result
of 20,000 files is 20,000 rows of data, not of DOM. Everything here is a value from the
scanned tree or the policy; the page shows it as text only (``textContent``), never as markup.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from ospo_scan import __version__
from ospo_scan.evaluate import Check, Finding, PolicyReport
from ospo_scan.evaluate.report import BaselineState, Subject
from ospo_scan.licensing import LicenseCatalog, LicenseTexts, license_ids
from ospo_scan.model import (
    Dependency,
    FileRecord,
    LicenseConflict,
    Package,
    ScanResult,
    printable,
)
from ospo_scan.policy.model import Verdict


@dataclass(frozen=True, slots=True)
class LicenseData:
    """ScanCode's license data the page needs: categories and full texts."""

    catalog: LicenseCatalog
    texts: LicenseTexts


def load_license_data() -> LicenseData:
    """ScanCode's license data, from the engine (about a second, once per process)."""
    # Imported here: only the HTML report needs the texts, and the registry imports formats.
    from ospo_scan.engine.catalog import license_catalog, license_texts  # noqa: PLC0415

    return LicenseData(license_catalog(), license_texts())


def overall(report: PolicyReport) -> Verdict:
    """The worst verdict among the findings that count (those not already in a baseline)."""
    counted = [f.verdict for f in report.findings if report.counts_against(f)]
    return max(counted, key=lambda v: v.rank, default=Verdict.PASS)


def _yaml(value: str) -> str:
    """A YAML scalar for ``value``: JSON's double-quoted string is valid YAML, any content."""
    return json.dumps(value)


def waiver_snippet(finding: Finding, today: dt.date) -> str:
    """A ``waivers:`` entry of the policy file that would accept ``finding`` (to fill in)."""
    lines = ["waivers:"]
    first = "  - "
    if finding.subject is Subject.FILE or finding.package is None:
        lines.append(f"{first}paths: [{_yaml(finding.path or '')}]")
    else:
        lines.append(f"{first}package: {_yaml(finding.package)}")
    if finding.check is Check.SCAN_ERROR:
        lines.append("    errors: true")
    else:
        bad = [v.license for v in finding.licenses if v.verdict is not Verdict.PASS]
        if len(bad) == 1:  # a waiver names one license; several need one waiver each
            lines.append(f"    license: {_yaml(bad[0])}")
    lines += [
        '    reason: "TODO: why this is acceptable"',
        '    approved_by: "TODO"',
        f"    expires: {(today + dt.timedelta(days=365)).isoformat()}",
    ]
    return "\n".join(lines) + "\n"


def curation_snippet(
    finding: Finding, package: Package | None, sha256: Mapping[str, str | None]
) -> str | None:
    """A ``curations:`` entry that would correct what was detected for ``finding``.

    Pinned to the SHA-256 of the license files it overrides, so that it goes stale when
    they change. None for a scan error: there is nothing detected to correct.
    """
    if finding.check is Check.SCAN_ERROR:
        return None
    lines = ["curations:"]
    if finding.package is not None and finding.subject is not Subject.FILE:
        lines.append(f"  - purl: {_yaml(finding.package)}")
        base = PurePosixPath(package.root_path or "") if package else PurePosixPath()
        files = package.license_files if package else ()
    elif finding.path:
        lines.append(f"  - path: {_yaml(finding.path)}")
        base, files = PurePosixPath(), (finding.path,)
    else:
        return None
    lines += [
        f'    license: "TODO"  # the right SPDX expression; detected: {_yaml(finding.expression)}',
        '    reason: "TODO: why the detected license is wrong"',
        '    approved_by: "TODO"',
    ]
    pins = [(f, sha256.get(f)) for f in files if sha256.get(f)]
    if pins:
        lines.append("    license_files:")
        for path, digest in pins:
            relative = _relative(path, base)
            lines += [f"      - path: {_yaml(relative)}", f"        sha256: {digest}"]
    return "\n".join(lines) + "\n"


def _relative(path: str, base: PurePosixPath) -> str:
    try:
        return str(PurePosixPath(path).relative_to(base)) if str(base) not in ("", ".") else path
    except ValueError:
        return path


def _ids(expression: str | None) -> list[str]:
    """The license ids of an expression, an exception (``A WITH E``) split in two."""
    found: list[str] = []
    for symbol in license_ids(expression):
        found += [part.strip() for part in symbol.split(" WITH ")]
    return found


def _finding(
    index: int,
    finding: Finding,
    today: dt.date,
    packages: Mapping[str, Package],
    sha256: Mapping[str, str | None],
) -> dict[str, Any]:
    row: dict[str, Any] = {
        "id": index,
        "check": finding.check.value,
        "subject": finding.subject.value,
        "verdict": finding.verdict.value,
        "name": printable(finding.name),
        "path": printable(finding.path) or None,
        "start": finding.start_line,
        "end": finding.end_line,
        "package": finding.package,
        "scope": finding.scope.value if finding.scope else None,
        "expression": finding.expression,
        "kind": finding.kind.value if finding.kind else None,
        "rule": finding.rule,
        "origin": str(finding.origin),
        "elected": finding.elected,
        "context": finding.context,
        "waiver": finding.waiver,
        "waiver_reason": finding.waiver_reason,
        "unwaived": finding.unwaived_verdict.value if finding.unwaived_verdict else None,
        "note": finding.note,
        "issue": printable(f"{finding.issue.kind.value}: {finding.issue.message}")
        if finding.issue
        else None,
        "baseline": finding.baseline.value if finding.baseline else None,
        # Each license's own verdict, when there are several (one is the finding's own).
        "licenses": [
            {"id": v.license, "verdict": v.verdict.value, "rule": v.rule} for v in finding.licenses
        ]
        if len(finding.licenses) > 1
        else None,
    }
    if finding.verdict is not Verdict.PASS:
        row["waiver_yaml"] = waiver_snippet(finding, today)
        package = packages.get(finding.package or "")
        row["curation_yaml"] = curation_snippet(finding, package, sha256)
    # Empty fields left out: a large result has tens of thousands of findings.
    return {key: value for key, value in row.items() if value is not None and value != ""}


def _package(p: Package) -> dict[str, Any]:
    return {
        "purl": p.purl,
        "type": p.type,
        "name": printable(f"{p.namespace}/{p.name}" if p.namespace else p.name),
        "version": p.version,
        "declared": p.declared_license_spdx or p.declared_license,
        "detected": p.detected_license_spdx,
        "concluded": p.concluded_license_spdx,
        "reason": p.concluded_reason.value,
        "license_files": [printable(path) for path in p.license_files],
        "manifest": printable(p.datafile_paths[0]) if p.datafile_paths else None,
        "line": p.datafile_line,
        "root": printable(p.root_path) or None,
        "conflict": p.conflict is not None,
    }


def _file(f: FileRecord, verdict: Verdict | None) -> dict[str, Any]:
    return {
        "path": printable(f.path),
        "status": f.status.value,
        "size": f.size,
        "license": f.license_expression_spdx,
        "holders": printable("; ".join(f.holders)),
        "issues": printable("; ".join(f"{i.kind.value}: {i.message}" for i in f.issues)),
        "verdict": verdict.value if verdict else None,
    }


def _worst_by_path(findings: Iterable[Finding]) -> dict[str, Verdict]:
    worst: dict[str, Verdict] = {}
    for f in findings:
        if f.subject is Subject.FILE and f.path is not None:
            seen = worst.get(f.path)
            if seen is None or f.verdict.rank > seen.rank:
                worst[f.path] = f.verdict
    return worst


def _licenses(ids: Iterable[str], data: LicenseData | None) -> dict[str, Any]:
    """Name, category, URLs and full text of every license id the page mentions."""
    out: dict[str, Any] = {}
    for license_id in sorted(set(ids)):
        entry: dict[str, Any] = {"name": license_id, "category": None, "text": "", "urls": []}
        if data is not None:
            info = data.catalog.lookup(license_id)
            text = data.texts.by_id.get(data.texts.current.get(license_id, license_id))
            if info is not None:
                entry["category"] = info.category or None
            if text is not None:
                entry.update(name=text.name, text=text.text, urls=list(text.urls))
        out[license_id] = entry
    return out


def _dependency(d: Dependency) -> dict[str, Any]:
    return {
        "purl": d.purl,
        "name": printable(d.name),
        "scope": d.scope.value,
        "scope_as_written": d.scope_as_written,
        "direct": d.is_direct,
        "requirement": d.extracted_requirement,
        "version": d.resolved_version,
        "license": d.license_spdx,
        "source": printable(d.license_source) or None,
        "manifest": printable(d.datafile_path),
        "line": d.datafile_line,
        "for": d.for_package,
    }


def _conflict(p: Package, conflict: LicenseConflict) -> dict[str, Any]:
    return {
        "purl": p.purl,
        "declared": conflict.declared,
        "detected": conflict.detected,
        "license_files": [printable(path) for path in conflict.license_files],
        "concluded": p.concluded_license_spdx,
        "manifest": printable(p.datafile_paths[0]) if p.datafile_paths else None,
    }


def _baseline(report: PolicyReport) -> dict[str, Any] | None:
    if report.baseline is None:
        return None
    new = sum(1 for f in report.findings if f.baseline is BaselineState.NEW)
    return {
        "file": printable(report.baseline.source),
        "new": new,
        "unchanged": len(report.findings) - new,
        "fixed": [
            {
                "check": b.check,
                "name": printable(b.name),
                "expression": b.expression,
                "verdict": b.verdict.value,
            }
            for b in report.baseline.fixed
        ],
    }


def _mentioned(report: PolicyReport, result: ScanResult | None) -> set[str]:
    """Every license id the page names: its text is one click away."""
    # A conflict's "expression" is a sentence (declared vs detected): its sides are the package's.
    judged = [f for f in report.findings if f.check is not Check.PACKAGE_CONFLICT]
    ids = {i for f in judged for i in _ids(f.expression)}
    ids |= {lv.license for f in judged for lv in f.licenses}
    if result is not None:
        ids |= {i for f in result.files for i in _ids(f.license_expression_spdx)}
        for p in result.packages:
            for expression in (
                p.declared_license_spdx,
                p.detected_license_spdx,
                p.concluded_license_spdx,
            ):
                ids.update(_ids(expression))
        ids |= {i for d in result.dependencies for i in _ids(d.license_spdx)}
    return ids


def _meta(report: PolicyReport, result: ScanResult | None) -> dict[str, Any]:
    return {
        "tool": f"ospo-scan {__version__}",
        "policy": report.policy,
        "policy_sources": list(report.policy_sources),
        "root": printable(report.root),
        "date": report.today.isoformat(),
        "scope": report.scope,
        "verdict": overall(report).value,
        "summary": printable(report.summary()),
        "counts": {v.value: n for v, n in report.counts.items()},
        "waived": sum(1 for f in report.findings if f.waiver),
        "scan_errors": sum(1 for f in report.findings if f.check is Check.SCAN_ERROR),
        "scancode": result.tool.scancode_toolkit_version if result else None,
    }


def page_data(
    report: PolicyReport, result: ScanResult | None, licenses: LicenseData | None
) -> dict[str, Any]:
    """Everything the page shows, as JSON values (the charts are drawn from it too).

    Without ``result`` (a report alone), the package, dependency, file and conflict lists
    are empty; without ``licenses``, the license texts and categories are.
    """
    packages = result.packages if result else ()
    by_purl = {p.purl: p for p in packages}
    sha256 = {f.path: f.sha256 for f in result.files} if result else {}
    # Worst first; with a baseline, the new before the unchanged.
    findings = sorted(
        report.findings,
        key=lambda f: (-f.verdict.rank, f.baseline is BaselineState.UNCHANGED, f.name),
    )
    worst = _worst_by_path(report.findings)
    return {
        "meta": _meta(report, result),
        "findings": [_finding(i, f, report.today, by_purl, sha256) for i, f in enumerate(findings)],
        "packages": [_package(p) for p in packages],
        "dependencies": [_dependency(d) for d in result.dependencies] if result else [],
        "files": [_file(f, worst.get(f.path)) for f in result.files] if result else [],
        "conflicts": [_conflict(p, p.conflict) for p in packages if p.conflict is not None],
        "baseline": _baseline(report),
        "licenses": _licenses(_mentioned(report, result), licenses),
    }


def chart_counts(data: Mapping[str, Any]) -> dict[str, list[tuple[str, int]]]:
    """The four charts' bars, each a list of (label, count), biggest first."""
    meta = data["meta"]
    licenses = data["licenses"]
    by_category: Counter[str] = Counter()
    for row in data["findings"]:
        if row["check"] == Check.PACKAGE_CONFLICT.value:
            continue  # not a license: the package's own findings count its licenses
        for lv in row.get("licenses") or [{"id": i} for i in _ids(row.get("expression"))]:
            entry = licenses.get(lv["id"])
            by_category[(entry and entry["category"]) or "Unknown category"] += 1
    ecosystems = Counter(p["type"] for p in data["packages"])
    concluded = Counter(p["concluded"] or "(none)" for p in data["packages"])
    return {
        "verdict": [(v, meta["counts"][v]) for v in ("deny", "review", "pass")],
        "category": by_category.most_common(),
        "ecosystem": ecosystems.most_common(),
        "concluded": concluded.most_common(),
    }
