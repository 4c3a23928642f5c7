# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""``check --format json``: the whole report as a versioned JSON document."""

from __future__ import annotations

import json
from typing import Any

from ospo_scan import __version__
from ospo_scan.evaluate import Check, Finding, LicenseVerdict, PolicyReport, WaiverNote
from ospo_scan.policy.model import Origin

#: Version of the check report's JSON shape (semantic versioning, like the scan result).
#: 1.1.0: scan errors (``check: "scan-error"``, each finding's ``issue``, ``summary.scan_errors``).
REPORT_VERSION = "1.1.0"


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
    return {
        "check": finding.check.value,
        "subject": finding.subject.value,
        "verdict": finding.verdict.value,
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


def report_to_dict(report: PolicyReport) -> dict[str, Any]:
    """Plain data for the whole report."""
    return {
        "report_version": REPORT_VERSION,
        "tool": {"name": "ospo-scan", "version": __version__},
        "policy": {"name": report.policy, "sources": list(report.policy_sources)},
        "root": report.root,
        "date": report.today.isoformat(),
        "summary": {
            **{v.value: n for v, n in report.counts.items()},
            "waived": sum(1 for f in report.findings if f.waiver),
            "scan_errors": sum(1 for f in report.findings if f.check is Check.SCAN_ERROR),
            "text": report.summary(),
        },
        "findings": [finding_to_dict(f) for f in report.findings],
        "waiver_warnings": [_note(n) for n in report.waiver_notes],
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
