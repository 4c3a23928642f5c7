# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""``check --format codequality``: GitLab's Code Quality report, for merge requests.

A JSON array with one issue per finding in review or denied, in the subset of the Code
Climate format that GitLab reads (``artifacts:reports:codequality``): ``description``,
``check_name``, ``fingerprint``, ``severity`` and ``location.path`` with
``location.lines.begin``. GitLab shows each issue on its line of the merge request's diff
and lists what a merge request adds or resolves by comparing fingerprints with the target
branch's report, so every violation is listed, the baseline's too.

- ``severity``: a denied finding is ``critical``, one in review ``minor``; a scan error
  denied is ``blocker`` (nothing in that file was checked).
- ``fingerprint``: the finding's located fingerprint (path, license and matched text, no
  line number; see :mod:`ospo_scan.evaluate.baseline`), so an issue survives line moves. A
  second copy of the same finding in one file gets a fingerprint of its own.
- Waived findings are left out: the report has no place for an accepted exception.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from typing import Any

from ospo_scan.evaluate import Check, Finding, PolicyReport, Subject
from ospo_scan.evaluate.baseline import fingerprints
from ospo_scan.model import printable
from ospo_scan.policy.model import Verdict

_SEVERITY = {Verdict.DENY: "critical", Verdict.REVIEW: "minor"}
_WORDS = {Verdict.DENY: "denied", Verdict.REVIEW: "to review"}


def _description(finding: Finding) -> str:
    if finding.issue is not None:
        return (
            f"Scan error ({finding.issue.kind.value}: {finding.issue.message}), "
            f"{_WORDS[finding.verdict]} by the license policy ({finding.rule})"
        )
    what = {
        Subject.FILE: "License",
        Subject.PACKAGE: f"Package {finding.package}:",
        Subject.DEPENDENCY: f"Dependency {finding.name}:",
    }[finding.subject]
    text = f"{what} {finding.expression or 'no license found'} is {_WORDS[finding.verdict]} "
    text += f"by the license policy ({finding.rule})"
    if finding.elected:
        text += f"; best alternative {finding.elected}"
    return text


def _severity(finding: Finding) -> str:
    if finding.check is Check.SCAN_ERROR and finding.verdict is Verdict.DENY:
        return "blocker"
    return _SEVERITY[finding.verdict]


class CodeQualityReport:
    """Findings in review or denied as GitLab Code Quality issues."""

    for_humans = False

    def render(self, report: PolicyReport, *, width: int | None = None, color: bool = False) -> str:
        """The report as a JSON array, ending in a newline."""
        seen: Counter[str] = Counter()
        issues: list[dict[str, Any]] = []
        for finding in report.findings:
            if finding.verdict is Verdict.PASS or not finding.path:
                continue
            located = fingerprints(finding).located
            seen[located] += 1
            if seen[located] > 1:  # the same finding twice in one file: two issues
                copy = f"{located}#{seen[located]}".encode()
                located = hashlib.sha256(copy).hexdigest()[:32]
            issues.append(
                {
                    "description": printable(_description(finding)),
                    "check_name": f"ospo-scan/{finding.check.value}",
                    "fingerprint": located,
                    "severity": _severity(finding),
                    "location": {
                        "path": printable(finding.path),
                        "lines": {"begin": finding.start_line or 1},
                    },
                }
            )
        return json.dumps(issues, indent=2, ensure_ascii=False) + "\n"


#: The registry's entry (:mod:`ospo_scan.formats.registry`).
FORMAT = CodeQualityReport()
