# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""Which file issues are scan errors, and how the policy's ``errors`` key judges them.

The real engine and CLI are in ``tests/cli/test_check_scan_errors.py``; the issue kinds that
a small fixture cannot provoke reliably (a time-out, an unreadable file as root, a crashed
engine) are built here by hand.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from ospo_scan.errors import PolicyError
from ospo_scan.evaluate import Check, Subject, evaluate
from ospo_scan.evaluate.errors import UNEXPLAINED, scan_errors
from ospo_scan.model import FileIssue, FileRecord, FileStatus, IssueKind
from ospo_scan.policy.load import load_policy, policy_from_file
from ospo_scan.policy.model import Policy, Verdict
from policy_helpers import detection, file_record, make_result

TODAY = dt.date(2026, 6, 1)


def record(path: str, status: FileStatus, *kinds: IssueKind) -> FileRecord:
    issues = tuple(FileIssue(kind, f"{kind.value} happened") for kind in kinds)
    return FileRecord(path=path, status=status, size=1, issues=issues)


def write_policy(tmp_path: Path, text: str) -> Policy:
    path = tmp_path / "policy.yml"
    path.write_text("version: 1\n" + text, encoding="utf-8")
    return policy_from_file(path)


@pytest.mark.parametrize(
    "kind",
    [
        IssueKind.UNREADABLE,
        IssueKind.TIMEOUT,
        IssueKind.SCAN_FAILED,
        IssueKind.PACKAGE_DATA_ERROR,
    ],
)
def test_what_could_not_be_read_or_judged_is_an_error(kind: IssueKind) -> None:
    result = make_result(files=[record("a/f", FileStatus.ERROR, kind)])
    assert list(scan_errors(result)) == [("a/f", FileIssue(kind, f"{kind.value} happened"))]


@pytest.mark.parametrize(
    ("status", "kind"),
    [
        (FileStatus.SCANNED, IssueKind.UNDECODABLE),  # scanned with a fallback decoding
        (FileStatus.SKIPPED, IssueKind.BINARY),
        (FileStatus.SKIPPED, IssueKind.SYMLINK),
        (FileStatus.SKIPPED, IssueKind.SPECIAL),
        (FileStatus.SKIPPED, IssueKind.TOO_LARGE),  # the user's own --max-file-size
    ],
)
def test_deliberate_skips_and_warnings_are_not_errors(status: FileStatus, kind: IssueKind) -> None:
    result = make_result(files=[record("f", status, kind)])
    assert list(scan_errors(result)) == []


def test_one_error_per_issue_and_a_failed_file_is_never_dropped() -> None:
    result = make_result(
        files=[
            record(
                "package.json",
                FileStatus.ERROR,
                IssueKind.UNDECODABLE,
                IssueKind.TIMEOUT,
                IssueKind.PACKAGE_DATA_ERROR,
            ),
            record("odd", FileStatus.ERROR),  # failed, and no reason recorded
        ]
    )
    kinds = [(path, issue.kind) for path, issue in scan_errors(result)]
    assert kinds == [
        ("package.json", IssueKind.TIMEOUT),
        ("package.json", IssueKind.PACKAGE_DATA_ERROR),
        ("odd", IssueKind.SCAN_FAILED),
    ]
    assert list(scan_errors(result))[-1][1] is UNEXPLAINED


def test_a_policy_silent_on_errors_denies_them(tmp_path: Path) -> None:
    pol = write_policy(tmp_path, "default: allow\n")
    result = make_result(files=[record("pyproject.toml", FileStatus.ERROR, IssueKind.TIMEOUT)])
    report = evaluate(result, pol, today=TODAY)
    (finding,) = report.findings
    assert (finding.check, finding.subject, finding.path) == (
        Check.SCAN_ERROR,
        Subject.FILE,
        "pyproject.toml",
    )
    assert finding.verdict is Verdict.DENY
    assert finding.rule.startswith("errors (built-in default)")
    assert finding.issue == FileIssue(IssueKind.TIMEOUT, "timeout happened")
    assert report.failed()
    assert report.summary().endswith("1 denied, 0 to review, 0 passed, 1 scan error")


def test_the_default_policy_denies_errors_but_reviews_them_in_tests() -> None:
    result = make_result(
        files=[
            record("package.json", FileStatus.ERROR, IssueKind.PACKAGE_DATA_ERROR),
            record("tests/data/package.json", FileStatus.ERROR, IssueKind.PACKAGE_DATA_ERROR),
        ]
    )
    report = evaluate(result, load_policy("default"), today=TODAY)
    verdicts = {f.path: (f.verdict, f.context) for f in report.findings}
    assert verdicts == {
        "package.json": (Verdict.DENY, None),
        "tests/data/package.json": (Verdict.REVIEW, "tests"),
    }
    assert report.summary().endswith(", 2 scan errors")


def test_only_a_waiver_for_scan_errors_accepts_one(tmp_path: Path) -> None:
    pol = write_policy(
        tmp_path,
        "errors: deny\nwaivers:\n"
        "  - paths: [legacy/**]\n    reason: reviewed licenses\n"
        "  - paths: [legacy/**]\n    errors: true\n    reason: generated, fixed upstream\n",
    )
    result = make_result(files=[record("legacy/a.c", FileStatus.ERROR, IssueKind.SCAN_FAILED)])
    report = evaluate(result, pol, today=TODAY)
    (finding,) = report.findings
    assert (finding.verdict, finding.unwaived_verdict) == (Verdict.PASS, Verdict.DENY)
    assert finding.waiver is not None
    assert finding.waiver.startswith("waivers[1] ")
    assert finding.waiver_reason == "generated, fixed upstream"
    # The paths-only license waiver did not hide the scan error, so it matched nothing.
    assert [(n.problem, n.waiver.origin.key) for n in report.waiver_notes] == [
        ("unused", "waivers[0]")
    ]
    assert "1 scan error" in report.summary()


def test_a_paths_waiver_does_not_hide_a_scan_error(tmp_path: Path) -> None:
    pol = write_policy(
        tmp_path, "errors: deny\nwaivers:\n  - paths: [legacy/**]\n    reason: reviewed\n"
    )
    result = make_result(files=[record("legacy/a.c", FileStatus.ERROR, IssueKind.SCAN_FAILED)])
    report = evaluate(result, pol, today=TODAY)
    (finding,) = report.findings
    assert (finding.verdict, finding.waiver) == (Verdict.DENY, None)
    assert report.failed()


def test_a_waiver_for_scan_errors_waives_no_license(tmp_path: Path) -> None:
    pol = write_policy(
        tmp_path,
        "licenses:\n  deny: [GPL-3.0-only]\nwaivers:\n"
        "  - paths: [legacy/**]\n    errors: true\n    reason: generated\n",
    )
    result = make_result(files=[file_record("legacy/a.c", detection("GPL-3.0-only"))])
    report = evaluate(result, pol, today=TODAY)
    (finding,) = report.findings
    assert (finding.verdict, finding.waiver) == (Verdict.DENY, None)


@pytest.mark.parametrize(
    ("waiver", "message"),
    [
        ("    errors: true\n    license: MIT\n    paths: [a/**]\n", "names no license"),
        ("    errors: true\n    license: MIT\n", "needs 'paths' or 'package'"),
        ("    errors: yes please\n    paths: [a/**]\n", "expected true or false"),
    ],
)
def test_a_malformed_waiver_for_scan_errors_is_a_policy_error(
    tmp_path: Path, waiver: str, message: str
) -> None:
    with pytest.raises(PolicyError, match=message) as caught:
        write_policy(tmp_path, "waivers:\n  - reason: r\n" + waiver)
    assert "policy.yml:" in str(caught.value)
