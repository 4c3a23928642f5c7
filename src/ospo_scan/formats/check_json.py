# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""``check --format json``: the whole report as a versioned JSON document."""

from __future__ import annotations

import json
from typing import Any

from ospo_scan import __version__
from ospo_scan.curate import CurationNote
from ospo_scan.evaluate import Check, Finding, LicenseVerdict, PolicyReport, WaiverNote
from ospo_scan.evaluate.baseline import fingerprints
from ospo_scan.evaluate.report import BaselineFinding, BaselineState
from ospo_scan.policy.model import Origin, Verdict

#: Version of the check report's JSON shape (semantic versioning, like the scan result).
#: 1.1.0: scan errors (``check: "scan-error"``, each finding's ``issue``, ``summary.scan_errors``).
#: 1.2.0: each finding's ``name``, ``identifier``, ``fingerprints`` and ``baseline_state``;
#: ``baseline`` (the file compared with and the findings fixed since); ``summary.baseline``.
#: A report of 1.2.0 or later can be a baseline (``check --baseline``). Also ``scope``: what
#: was judged when not the whole tree (``--changed-since``), else null.
#: 1.3.0: each finding's ``curation`` and ``curation_reason`` (the curation that set the judged
#: license); ``curation_warnings`` (expired, stale and unused curations).
REPORT_VERSION = "1.3.0"


def _origin(origin: Origin) -> dict[str, Any]:
    return {"file": origin.file, "line": origin.line, "key": origin.key}


def _license(verdict: LicenseVerdict) -> dict[str, Any]:
    return {
        "license": verdict.license,
        "verdict": verdict.verdict.value,
        "rule": verdict.rule,
        "origin": _origin(verdict.origin),
        "waiver": verdict.waiver,
    }


def finding_to_dict(finding: Finding) -> dict[str, Any]:
    """Plain data for one finding."""
    prints = fingerprints(finding)
    return {
        "check": finding.check.value,
        "subject": finding.subject.value,
        "verdict": finding.verdict.value,
        "name": finding.name,
        "path": finding.path,
        "start_line": finding.start_line,
        "end_line": finding.end_line,
        "package": finding.package,
        "scope": finding.scope.value if finding.scope else None,
        "expression": finding.expression,
        "kind": finding.kind.value if finding.kind else None,
        "rule": finding.rule,
        "origin": _origin(finding.origin),
        "elected": finding.elected,
        "context": finding.context,
        "waiver": finding.waiver,
        "waiver_reason": finding.waiver_reason,
        "unwaived_verdict": finding.unwaived_verdict.value if finding.unwaived_verdict else None,
        "note": finding.note,
        "licenses": [_license(v) for v in finding.licenses],
        # A scan error's file issue: {"kind": "package_data_error", "message": ...}.
        "issue": {"kind": finding.issue.kind.value, "message": finding.issue.message}
        if finding.issue
        else None,
        "identifier": finding.identifier,
        "fingerprints": {"located": prints.located, "content": prints.content},
        "baseline_state": finding.baseline.value if finding.baseline else None,
        "curation": finding.curation,
        "curation_reason": finding.curation_reason,
    }


def _fixed(entry: BaselineFinding) -> dict[str, Any]:
    return {
        "check": entry.check,
        "name": entry.name,
        "path": entry.path,
        "expression": entry.expression,
        "verdict": entry.verdict.value,
        "fingerprints": {
            "located": entry.fingerprints.located,
            "content": entry.fingerprints.content,
        },
        "baseline_state": BaselineState.ABSENT.value,
    }


def _baseline_summary(report: PolicyReport) -> dict[str, Any] | None:
    if report.baseline is None:
        return None
    new = [f for f in report.findings if f.baseline is BaselineState.NEW]
    return {
        "new": len(new),
        "new_violations": sum(1 for f in new if f.verdict is not Verdict.PASS),
        "unchanged": len(report.findings) - len(new),
        "fixed": len(report.baseline.fixed),
    }


def _note(note: WaiverNote) -> dict[str, Any]:
    w = note.waiver
    return {
        "problem": note.problem,
        "message": note.message,
        "waiver": w.label,
        "origin": _origin(w.origin),
        "reason": w.reason,
        "approved_by": w.approved_by,
        "ticket": w.ticket,
        "expires": w.expires.isoformat() if w.expires else None,
    }


def _curation_note(note: CurationNote) -> dict[str, Any]:
    c = note.curation
    return {
        "problem": note.problem,
        "message": note.message,
        "curation": c.label,
        "origin": _origin(c.origin),
        "purl": c.purl,
        "path": c.path,
        "license": c.license,
        "reason": c.reason,
        "approved_by": c.approved_by,
        "expires": c.expires.isoformat() if c.expires else None,
    }


def report_to_dict(report: PolicyReport) -> dict[str, Any]:
    """Plain data for the whole report."""
    return {
        "report_version": REPORT_VERSION,
        "tool": {"name": "ospo-scan", "version": __version__},
        "policy": {"name": report.policy, "sources": list(report.policy_sources)},
        "root": report.root,
        "date": report.today.isoformat(),
        "scope": report.scope,
        "summary": {
            **{v.value: n for v, n in report.counts.items()},
            "waived": sum(1 for f in report.findings if f.waiver),
            "scan_errors": sum(1 for f in report.findings if f.check is Check.SCAN_ERROR),
            "baseline": _baseline_summary(report),
            "text": report.summary(),
        },
        "baseline": {
            "file": report.baseline.source,
            "fixed": [_fixed(entry) for entry in report.baseline.fixed],
        }
        if report.baseline
        else None,
        "findings": [finding_to_dict(f) for f in report.findings],
        "waiver_warnings": [_note(n) for n in report.waiver_notes],
        "curation_warnings": [_curation_note(n) for n in report.curation_notes],
    }


class JsonReport:
    """Every finding with its verdict, rule, elected alternative and waiver."""

    for_humans = False

    def render(self, report: PolicyReport, *, width: int | None = None, color: bool = False) -> str:
        """Pretty, stable JSON ending in a newline."""
        text = json.dumps(report_to_dict(report), indent=2, ensure_ascii=False)
        return text.encode("utf-8", "backslashreplace").decode("utf-8") + "\n"


#: The registry's entry (:mod:`ospo_scan.formats.registry`).
FORMAT = JsonReport()
