# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""``check --format sarif``: SARIF 2.1.0 as GitHub code scanning accepts it.

One rule per kind of check (file license, package license, package conflict, dependency
license, scan error); one result (a code scanning alert) per violation in review
(``warning``) or denied (``error``), and waived ones as suppressed results with the waiver's
reason as justification.

A violation is a file, a license expression and a verdict: the same license stated on five
lines of one file is one result whose first location is the first line, with the other
four as ``relatedLocations`` linked from the message (GitHub shows a result's first
location only, and would otherwise raise five alerts). A package, dependency or scan error
is a violation of its own. File findings carry their line region; package and dependency
findings point at the line of their manifest that names them (``datafile_line`` of the
scan result), and, as a scan error, at the file's first line when no line is known.

``partialFingerprints`` identify the violation, not a line: the path, the expression (or
the package without its version, its scope and license) and the verdict.
"""

from __future__ import annotations

import hashlib
import json
import urllib.parse
from collections import defaultdict
from typing import Any

from ospo_scan import PROJECT_URL, __version__
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


#: The alert's fingerprints, under GitHub code scanning's ``partialFingerprints``. Version 2:
#: one alert per violation (a file, a license and a verdict), no longer one per finding.
_LOCATED, _CONTENT = "ospoScanLocated/v2", "ospoScanContent/v2"

_AlertKey = tuple[str, ...]


def _alert_key(finding: Finding) -> _AlertKey:
    """What makes one alert: the findings that share it are one violation.

    A file's license: the file, the expression and the verdict (the same license stated on
    five lines of one file is one alert, with five locations). Anything else: its own
    fingerprint (the package or dependency without its version, scope and license; the
    scan error's kind) and the verdict.
    """
    verdict = (finding.unwaived_verdict or finding.verdict).value
    if finding.check is Check.FILE_LICENSE:
        return (finding.check.value, finding.path or "", finding.expression, verdict)
    return (finding.check.value, fingerprints(finding).located, verdict)


def _absent_key(entry: BaselineFinding) -> _AlertKey:
    if entry.check == Check.FILE_LICENSE.value:
        return (entry.check, entry.path or "", entry.expression, entry.verdict.value)
    return (entry.check, entry.fingerprints.located, entry.verdict.value)


def _alert_prints(key: _AlertKey) -> dict[str, str]:
    """Stable across line moves and unrelated edits: no line numbers, no rule wording."""
    located = hashlib.sha256("\x1f".join(key).encode("utf-8", "surrogateescape"))
    content_parts = (key[0], *key[2:]) if key[0] == Check.FILE_LICENSE.value else key
    content = hashlib.sha256(
        "\x1f".join(("content", *content_parts)).encode("utf-8", "surrogateescape")
    )
    return {_LOCATED: located.hexdigest()[:32], _CONTENT: content.hexdigest()[:32]}


def _region(line: int | None, end: int | None = None) -> dict[str, int]:
    # A package, dependency or scan error with no line that names it points at the file's
    # first line: a region is what code scanning and the SARIF validator expect.
    start = line or 1
    return {"startLine": start, "endLine": max(end or start, start)}


def _physical(path: str, region: dict[str, int]) -> dict[str, Any]:
    return {
        "artifactLocation": {"uri": _uri(path), "uriBaseId": "%SRCROOT%"},
        "region": region,
    }


def _where(finding: Finding) -> str:
    if finding.subject is Subject.FILE:
        return f"line {finding.start_line or 1}"
    line = f" (line {finding.start_line})" if finding.start_line else ""
    return f"{finding.name}{line}"


def _result(group: list[Finding], rule_index: dict[Check, int]) -> dict[str, Any]:
    """One alert for the findings of one violation: the first is the primary location."""
    group = sorted(group, key=lambda f: (f.start_line or 0, f.name))
    finding = group[0]
    verdict = finding.unwaived_verdict or finding.verdict
    text = _message(finding)
    if len(group) > 1:
        # GitHub shows the first location; the others are related locations, linked here.
        others = ", ".join(f"[{_where(f)}]({i})" for i, f in enumerate(group[1:], start=1))
        text += f" Found {len(group)} times in this file; also at {others}."
    result: dict[str, Any] = {
        "ruleId": finding.check.value,
        "ruleIndex": rule_index[finding.check],
        "level": _LEVELS[verdict],
        "message": {"text": printable(text)},
        "partialFingerprints": _alert_prints(_alert_key(finding)),
        "properties": {
            "verdict": finding.verdict.value,
            "expression": finding.expression,
            "policyRule": finding.rule,
            "policyOrigin": str(finding.origin),
            "occurrences": len(group),
        },
    }
    if finding.path:
        region = _region(finding.start_line, finding.end_line)
        result["locations"] = [{"physicalLocation": _physical(finding.path, region)}]
        related = [
            {
                "id": i,
                "physicalLocation": _physical(finding.path, _region(f.start_line, f.end_line)),
                "message": {"text": printable(_where(f))},
            }
            for i, f in enumerate(group[1:], start=1)
        ]
        if related:
            result["relatedLocations"] = related
    if finding.package:
        result["properties"]["package"] = finding.package
        packages = list(dict.fromkeys(f.package for f in group if f.package))
        if len(packages) > 1:
            result["properties"]["packages"] = packages
    if finding.issue is not None:
        result["properties"]["issueKind"] = finding.issue.kind.value
    states = {f.baseline for f in group}
    if states == {BaselineState.NEW}:
        result["baselineState"] = BaselineState.NEW.value
    elif BaselineState.NEW in states:
        result["baselineState"] = "updated"  # in the baseline, with a new occurrence
    elif states == {BaselineState.UNCHANGED}:
        result["baselineState"] = BaselineState.UNCHANGED.value
    if finding.waiver:
        result["suppressions"] = [
            {
                "kind": "external",
                "status": "accepted",
                "justification": f"{finding.waiver}: {finding.waiver_reason or ''}".strip(),
            }
        ]
    return result


def _absent(group: list[BaselineFinding], rule_index: dict[Check, int]) -> dict[str, Any]:
    """A violation of the baseline that is no longer found (SARIF's ``absent`` state)."""
    entry = group[0]
    check = Check(entry.check)
    names = ", ".join(e.name for e in group)
    result: dict[str, Any] = {
        "ruleId": check.value,
        "ruleIndex": rule_index[check],
        "level": _LEVELS[entry.verdict],
        "message": {
            "text": printable(
                f"{names}: {entry.expression or 'no license found'} was "
                f"{_VERDICT_WORDS[entry.verdict]} in the baseline and is no longer found."
            )
        },
        "partialFingerprints": _alert_prints(_absent_key(entry)),
        "baselineState": BaselineState.ABSENT.value,
        "properties": {
            "verdict": entry.verdict.value,
            "expression": entry.expression,
            "occurrences": len(group),
        },
    }
    if entry.path:
        result["locations"] = [{"physicalLocation": _physical(entry.path, _region(None))}]
    return result


def _results(report: PolicyReport, rule_index: dict[Check, int]) -> list[dict[str, Any]]:
    groups: dict[tuple[_AlertKey, str], list[Finding]] = defaultdict(list)
    for finding in report.findings:
        if finding.verdict is not Verdict.PASS or finding.waiver:
            groups[_alert_key(finding), finding.waiver or ""].append(finding)
    results = [_result(group, rule_index) for group in groups.values()]
    if report.baseline is not None:
        live = {key for key, _ in groups}
        fixed: dict[_AlertKey, list[BaselineFinding]] = defaultdict(list)
        for entry in report.baseline.fixed:
            key = _absent_key(entry)
            if entry.verdict is not Verdict.PASS and key not in live:
                fixed[key].append(entry)
        results += [_absent(group, rule_index) for group in fixed.values()]
    return results


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
        results = _results(report, rule_index)
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
                            "informationUri": PROJECT_URL,
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
