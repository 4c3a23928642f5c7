# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""``check --format junit``: JUnit XML for CI dashboards.

One test suite per kind of check (``scan-error`` for files the scan could not read or judge),
one test case per finding. A denied finding is a
``failure``; a finding in review is ``skipped`` with the reason (dashboards show it apart
from passes without failing the run; ``--fail-on review`` decides the exit code); a waived
finding passes, with the waiver in its ``system-out``.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from ospo_scan.evaluate import Check, Finding, PolicyReport
from ospo_scan.evaluate.report import BaselineState
from ospo_scan.model import printable
from ospo_scan.policy.model import Verdict


def _case(suite: ET.Element, finding: Finding) -> None:
    case = ET.SubElement(
        suite,
        "testcase",
        {
            "classname": f"ospo-scan.{finding.check.value}",
            "name": _clean(finding.name),
            "time": "0",
        },
    )
    if finding.issue is not None:
        what = f"scan error ({finding.issue.kind.value}: {finding.issue.message})"
    else:
        what = finding.expression or "no license found"
    detail = f"{what}: {finding.rule} ({finding.origin})"
    if finding.elected:
        detail += f"; elected {finding.elected}"
    if finding.note:
        detail += f"; {finding.note}"
    if finding.baseline is BaselineState.UNCHANGED and finding.verdict is not Verdict.PASS:
        # Accepted by the baseline: not a failure of this run, still listed.
        message = f"{finding.verdict.value}, in the baseline: {detail}"
        ET.SubElement(case, "skipped", {"message": _clean(message)})
    elif finding.verdict is Verdict.DENY:
        failure = ET.SubElement(
            case, "failure", {"message": _clean(f"denied: {detail}"), "type": "deny"}
        )
        failure.text = _clean(detail)
    elif finding.verdict is Verdict.REVIEW:
        ET.SubElement(case, "skipped", {"message": _clean(f"review: {detail}")})
    elif finding.waiver:
        out = ET.SubElement(case, "system-out")
        out.text = _clean(f"waived by {finding.waiver}: {finding.waiver_reason}; {detail}")


def _fails(report: PolicyReport, finding: Finding) -> bool:
    return finding.verdict is Verdict.DENY and report.counts_against(finding)


def _clean(text: str) -> str:
    # XML 1.0 cannot hold most control characters or lone surrogates (odd file names).
    return printable(text)


class JunitReport:
    """Test suites per check kind; denied = failure, review = skipped, waived = passed."""

    for_humans = False

    def render(self, report: PolicyReport, *, width: int | None = None, color: bool = False) -> str:
        """The XML document as text, ending in a newline."""
        root = ET.Element("testsuites", {"name": f"ospo-scan policy {_clean(report.policy)}"})
        for check in Check:
            findings = [f for f in report.findings if f.check is check]
            suite = ET.SubElement(
                root,
                "testsuite",
                {
                    "name": check.value,
                    "tests": str(len(findings)),
                    "failures": str(sum(1 for f in findings if _fails(report, f))),
                    "errors": "0",
                    "skipped": str(
                        sum(1 for f in findings if f.verdict is not Verdict.PASS)
                        - sum(1 for f in findings if _fails(report, f))
                    ),
                    "time": "0",
                },
            )
            for finding in findings:
                _case(suite, finding)
        for attr in ("tests", "failures", "errors", "skipped"):
            root.set(attr, str(sum(int(s.get(attr, "0")) for s in root)))
        ET.indent(root)
        return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"


#: The registry's entry (:mod:`ospo_scan.formats.registry`).
FORMAT = JunitReport()
