# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""``check --format sarif``: SARIF 2.1.0 as GitHub code scanning accepts it.

One rule per kind of check (file license, package license, package conflict, dependency
license, scan error); a result per finding in review (``warning``) or denied (``error``), and waived
findings as suppressed results with the waiver's reason as justification. File findings
carry their line region; package and dependency findings point at their manifest, and a
scan error at the file that could not be read or judged.
"""

from __future__ import annotations

import json
import urllib.parse
from typing import Any

from ospo_scan import __version__
from ospo_scan.evaluate import Check, Finding, PolicyReport, Subject
from ospo_scan.evaluate.baseline import fingerprints
from ospo_scan.evaluate.report import BaselineFinding, BaselineState
from ospo_scan.model import printable
from ospo_scan.policy.model import Verdict

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SARIF_VERSION = "2.1.0"

_RULES: dict[Check, tuple[str, str]] = {
    Check.FILE_LICENSE: (
        "A file states a license the policy does not allow",
        "A license text, notice, tag or reference in this file is in review or denied by the "
        "license policy. Replace the code, get a waiver approved, or change the policy.",
    ),
    Check.PACKAGE_LICENSE: (
        "A package's license is not allowed",
        "The concluded license of a package in the tree is in review or denied by the policy.",
    ),
    Check.PACKAGE_CONFLICT: (
        "A package's declared license and license files disagree",
        "The license in the package's manifest differs from what its license files say; "
        "find out which is right and fix the manifest or the files.",
    ),
    Check.DEPENDENCY_LICENSE: (
        "A dependency's license is not allowed",
        "A declared dependency's license is in review or denied by the policy for its scope, "
        "or could not be found.",
    ),
    Check.SCAN_ERROR: (
        "A file could not be read or judged",
        "The scan could not read this file, timed out on it, failed on it, or could not parse "
        "it as a package manifest or lockfile, so its licenses or the dependencies it declares "
        "were not checked. Fix the file or the scan options, or relax the policy's 'errors' "
        "rule for its path.",
    ),
}

_LEVELS = {Verdict.DENY: "error", Verdict.REVIEW: "warning", Verdict.PASS: "note"}
_VERDICT_WORDS = {Verdict.DENY: "denied", Verdict.REVIEW: "to review", Verdict.PASS: "allowed"}


def _uri(path: str) -> str:
    return urllib.parse.quote(path.encode("utf-8", "surrogateescape"), safe="/")


def _message(finding: Finding) -> str:
    verdict = finding.unwaived_verdict or finding.verdict
    if finding.issue is not None:
        return (
            f"{finding.path}: the scan could not read or judge this file "
            f"({finding.issue.kind.value}: {finding.issue.message}); "
            f"{_VERDICT_WORDS[verdict]} by the policy ({finding.rule})."
        )
    what = {
        Subject.FILE: f"{finding.path}",
        Subject.PACKAGE: f"package {finding.package}",
        Subject.DEPENDENCY: f"dependency {finding.package}"
        + (f" ({finding.scope.value} scope)" if finding.scope else ""),
    }[finding.subject]
    text = f"{what}: {finding.expression or 'no license found'} is "
    text += _VERDICT_WORDS[verdict]
    text += f" by the policy ({finding.rule})."
    if finding.elected:
        text += f" Best alternative: {finding.elected}."
    if finding.kind is not None:
        text += f" Found as a license {finding.kind.value}."
    if finding.note:
        text += f" {finding.note[0].upper()}{finding.note[1:]}."
    return text


def _result(finding: Finding, rule_index: dict[Check, int]) -> dict[str, Any]:
    verdict = finding.unwaived_verdict or finding.verdict
    prints = fingerprints(finding)
    result: dict[str, Any] = {
        "ruleId": finding.check.value,
        "ruleIndex": rule_index[finding.check],
        "level": _LEVELS[verdict],
        "message": {"text": printable(_message(finding))},
        # Stable across line moves and unrelated edits (see ospo_scan.evaluate.baseline).
        "partialFingerprints": {
            "ospoScanLocated/v1": prints.located,
            "ospoScanContent/v1": prints.content,
        },
        "properties": {
            "verdict": finding.verdict.value,
            "expression": finding.expression,
            "policyRule": finding.rule,
            "policyOrigin": str(finding.origin),
        },
    }
    if finding.path:
        physical: dict[str, Any] = {
            "artifactLocation": {"uri": _uri(finding.path), "uriBaseId": "%SRCROOT%"}
        }
        if finding.start_line:
            physical["region"] = {
                "startLine": finding.start_line,
                "endLine": max(finding.end_line or finding.start_line, finding.start_line),
            }
        result["locations"] = [{"physicalLocation": physical}]
    if finding.package:
        result["properties"]["package"] = finding.package
    if finding.issue is not None:
        result["properties"]["issueKind"] = finding.issue.kind.value
    if finding.baseline is not None:
        result["baselineState"] = finding.baseline.value
    if finding.waiver:
        result["suppressions"] = [
            {
                "kind": "external",
                "status": "accepted",
                "justification": f"{finding.waiver}: {finding.waiver_reason or ''}".strip(),
            }
        ]
    return result


def _absent(entry: BaselineFinding, rule_index: dict[Check, int]) -> dict[str, Any]:
    """A violation of the baseline that is no longer found (SARIF's ``absent`` state)."""
    check = Check(entry.check)
    result: dict[str, Any] = {
        "ruleId": check.value,
        "ruleIndex": rule_index[check],
        "level": _LEVELS[entry.verdict],
        "message": {
            "text": printable(
                f"{entry.name}: {entry.expression or 'no license found'} was "
                f"{_VERDICT_WORDS[entry.verdict]} in the baseline and is no longer found."
            )
        },
        "partialFingerprints": {
            "ospoScanLocated/v1": entry.fingerprints.located,
            "ospoScanContent/v1": entry.fingerprints.content,
        },
        "baselineState": BaselineState.ABSENT.value,
        "properties": {"verdict": entry.verdict.value, "expression": entry.expression},
    }
    if entry.path:
        location = {"artifactLocation": {"uri": _uri(entry.path), "uriBaseId": "%SRCROOT%"}}
        result["locations"] = [{"physicalLocation": location}]
    return result


class SarifReport:
    """Findings in review or denied (and waived ones, suppressed) as a SARIF 2.1.0 log."""

    for_humans = False

    def render(self, report: PolicyReport, *, width: int | None = None, color: bool = False) -> str:
        """The SARIF log as JSON text, ending in a newline."""
        checks = list(Check)
        rule_index = {check: i for i, check in enumerate(checks)}
        rules = [
            {
                "id": check.value,
                "name": "".join(p.capitalize() for p in check.value.split("-")),
                "shortDescription": {"text": _RULES[check][0]},
                "fullDescription": {"text": _RULES[check][1]},
                "defaultConfiguration": {"level": "error"},
                "properties": {"tags": ["license", "compliance"]},
            }
            for check in checks
        ]
        results = [
            _result(f, rule_index)
            for f in report.findings
            if f.verdict is not Verdict.PASS or f.waiver
        ]
        if report.baseline is not None:
            results += [
                _absent(entry, rule_index)
                for entry in report.baseline.fixed
                if entry.verdict is not Verdict.PASS
            ]
        root = report.root if report.root.endswith("/") else report.root + "/"
        log = {
            "$schema": SARIF_SCHEMA,
            "version": SARIF_VERSION,
            "runs": [
                {
                    "tool": {
                        "driver": {
                            "name": "ospo-scan",
                            "version": __version__,
                            "informationUri": "https://example.invalid/ospo-scan",
                            "rules": rules,
                        }
                    },
                    "originalUriBaseIds": {"%SRCROOT%": {"uri": "file://" + _uri(root)}},
                    "results": results,
                    "properties": {
                        "policy": report.policy,
                        "policySources": list(report.policy_sources),
                        "summary": report.summary(),
                    },
                }
            ],
        }
        return json.dumps(log, indent=2, ensure_ascii=False) + "\n"


#: The registry's entry (:mod:`ospo_scan.formats.registry`).
FORMAT = SarifReport()
