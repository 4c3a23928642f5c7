# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""The semantics of ``evaluate``, on hand-built results (the layer above the adapter).

File semantics are also tested on real ScanCode results through the CLI
(``test_cli_check.py``); packages and dependencies are built here directly, because no
scan fills them yet.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from ospo_scan.evaluate import Check, Finding, PolicyReport, Subject, evaluate
from ospo_scan.model import DependencyScope, MatchKind
from ospo_scan.policy.load import load_policy, policy_from_file, shipped_policy
from ospo_scan.policy.model import Policy, Verdict
from policy_helpers import dependency, detection, file_record, make_result, package

TODAY = dt.date(2026, 6, 1)


def policy(tmp_path: Path, text: str) -> Policy:
    path = tmp_path / "policy.yml"
    path.write_text("version: 1\n" + text, encoding="utf-8")
    return policy_from_file(path)


def check_files(pol: Policy, *records: object, today: dt.date = TODAY) -> PolicyReport:
    return evaluate(make_result(files=records), pol, today=today)  # type: ignore[arg-type]


def only(report: PolicyReport) -> Finding:
    (finding,) = report.findings
    return finding


BASE = """\
licenses:
  allow: [MIT, Apache-2.0]
  review: [LGPL-2.1-only]
  deny: [GPL-3.0-only]
"""


def test_or_passes_when_any_alternative_passes_and_names_it(tmp_path: Path) -> None:
    pol = policy(tmp_path, BASE)
    f = only(check_files(pol, file_record("a.py", detection("MIT OR GPL-3.0-only"))))
    assert f.verdict is Verdict.PASS
    assert f.elected == "MIT"
    assert f.rule == "MIT in licenses.allow"
    assert f.expression == "MIT OR GPL-3.0-only"  # as found in the file


def test_or_takes_the_best_of_review_and_deny(tmp_path: Path) -> None:
    pol = policy(tmp_path, BASE)
    f = only(check_files(pol, file_record("a.py", detection("GPL-3.0-only OR LGPL-2.1-only"))))
    assert f.verdict is Verdict.REVIEW
    assert f.elected == "LGPL-2.1-only"


def test_and_worst_wins(tmp_path: Path) -> None:
    pol = policy(tmp_path, BASE)
    f = only(check_files(pol, file_record("a.py", detection("GPL-3.0-only AND MIT"))))
    assert f.verdict is Verdict.DENY
    assert f.elected is None
    assert f.rule == "GPL-3.0-only in licenses.deny"
    assert f.origin.line == 5
    assert [(v.license, v.verdict) for v in f.licenses] == [
        ("GPL-3.0-only", Verdict.DENY),
        ("MIT", Verdict.PASS),
    ]


def test_nested_expression_elects_per_part(tmp_path: Path) -> None:
    pol = policy(tmp_path, BASE)
    f = only(
        check_files(
            pol,
            file_record(
                "a.py", detection("(GPL-3.0-only OR MIT) AND (Apache-2.0 OR LGPL-2.1-only)")
            ),
        )
    )
    assert f.verdict is Verdict.PASS
    assert f.elected == "MIT AND Apache-2.0"  # deduplicated, in the order written


def test_expression_is_simplified_before_judging(tmp_path: Path) -> None:
    pol = policy(tmp_path, BASE)
    f = only(check_files(pol, file_record("a.py", detection("MIT OR (MIT AND GPL-3.0-only)"))))
    assert f.verdict is Verdict.PASS


def test_with_pair_decides_else_the_license(tmp_path: Path) -> None:
    pol = policy(
        tmp_path,
        "licenses:\n  allow: [GPL-2.0-only WITH Classpath-exception-2.0]\n  deny: [GPL-2.0-only]\n",
    )
    report = check_files(
        pol,
        file_record("a.java", detection("GPL-2.0-only WITH Classpath-exception-2.0")),
        file_record("b.c", detection("GPL-2.0-only WITH Autoconf-exception-2.0")),
    )
    a, b = report.findings
    assert a.verdict is Verdict.PASS
    assert a.rule == "GPL-2.0-only WITH Classpath-exception-2.0 in licenses.allow"
    assert b.verdict is Verdict.DENY
    assert b.rule == "GPL-2.0-only in licenses.deny"


def test_explicit_license_beats_its_category(tmp_path: Path) -> None:
    pol = policy(
        tmp_path, "licenses:\n  allow: [LGPL-2.1-only]\ncategories:\n  deny: [Copyleft Limited]\n"
    )
    report = check_files(
        pol,
        file_record("a.c", detection("LGPL-2.1-only")),
        file_record("b.c", detection("MPL-2.0")),
    )
    a, b = report.findings
    assert (a.verdict, a.rule) == (Verdict.PASS, "LGPL-2.1-only in licenses.allow")
    assert (b.verdict, b.rule) == (Verdict.DENY, "MPL-2.0 is Copyleft Limited: categories.deny")


def test_unknown_and_default(tmp_path: Path) -> None:
    pol = policy(tmp_path, "categories:\n  allow: [Permissive]\nunknown: deny\ndefault: review\n")
    report = check_files(
        pol,
        file_record("a", detection("LicenseRef-scancode-unknown-license-reference")),
        file_record("b", detection("LicenseRef-acme-internal")),
        file_record("c", detection("MPL-2.0")),
    )
    a, b, c = report.findings
    assert a.verdict is Verdict.DENY
    assert a.rule.startswith("LicenseRef-scancode-unknown-license-reference is not an identified")
    assert b.verdict is Verdict.DENY  # ScanCode does not know it: unknown
    assert c.verdict is Verdict.REVIEW
    assert c.rule == "MPL-2.0 (Copyleft Limited) is not listed: default"


def test_built_in_defaults_when_a_policy_says_nothing(tmp_path: Path) -> None:
    pol = policy(tmp_path, "")
    f = only(check_files(pol, file_record("a", detection("MIT"))))
    assert f.verdict is Verdict.REVIEW
    assert f.origin.file == "(built-in default)"


@pytest.mark.parametrize(
    ("mode", "verdict", "note"),
    [
        ("review", Verdict.REVIEW, "counted as review at most"),
        ("same", Verdict.DENY, None),
        ("ignore", Verdict.PASS, "ignored"),
    ],
)
def test_a_mere_reference_counts_less(
    tmp_path: Path, mode: str, verdict: Verdict, note: str | None
) -> None:
    pol = policy(tmp_path, BASE + f"references: {mode}\n")
    report = check_files(
        pol,
        file_record("README", detection("GPL-3.0-only", MatchKind.REFERENCE, line=3)),
        file_record("COPYING", detection("GPL-3.0-only", MatchKind.TEXT)),
    )
    ref, text = report.findings
    assert ref.kind is MatchKind.REFERENCE
    assert ref.verdict is verdict
    assert (note in (ref.note or "")) if note else ref.note is None
    assert text.verdict is Verdict.DENY  # a full text always counts in full


def test_references_default_to_review(tmp_path: Path) -> None:
    pol = policy(tmp_path, BASE)
    f = only(check_files(pol, file_record("R", detection("GPL-3.0-only", MatchKind.REFERENCE))))
    assert f.verdict is Verdict.REVIEW


def test_path_context_overrides_and_later_context_wins(tmp_path: Path) -> None:
    pol = policy(
        tmp_path,
        BASE
        + """\
contexts:
  - name: tests
    paths: ["tests/**"]
    licenses: {review: [GPL-3.0-only]}
  - name: fixtures
    paths: ["tests/fixtures/**"]
    licenses: {allow: [GPL-3.0-only]}
""",
    )
    report = check_files(
        pol,
        file_record("src/a.c", detection("GPL-3.0-only")),
        file_record("tests/a.c", detection("GPL-3.0-only")),
        file_record("tests/fixtures/a.c", detection("GPL-3.0-only")),
    )
    src, tests, fixtures = report.findings
    assert (src.verdict, src.context) == (Verdict.DENY, None)
    assert (tests.verdict, tests.context) == (Verdict.REVIEW, "tests")
    assert tests.rule == "GPL-3.0-only in contexts[0] (tests) licenses.review"
    assert (fixtures.verdict, fixtures.context) == (Verdict.PASS, "tests, fixtures")


def test_lgpl_dependency_allowed_in_dev_and_reviewed_at_runtime() -> None:
    result = make_result(
        dependencies=[
            dependency("pkg:npm/lgpl-lib@1.0.0", "LGPL-2.1-only", DependencyScope.DEV),
            dependency("pkg:npm/lgpl-lib@1.0.0", "LGPL-2.1-only", DependencyScope.RUNTIME),
            dependency("pkg:npm/gpl-tool@2.0.0", "GPL-3.0-only", DependencyScope.BUILD),
            dependency("pkg:npm/gpl-lib@2.0.0", "GPL-3.0-only", DependencyScope.RUNTIME),
        ]
    )
    report = evaluate(result, shipped_policy("default"), today=TODAY)
    dev, runtime, build, gpl = report.findings
    assert all(f.check is Check.DEPENDENCY_LICENSE for f in report.findings)
    assert dev.verdict is Verdict.PASS
    assert dev.context == "not distributed (dev, test, build dependencies)"
    assert runtime.verdict is Verdict.REVIEW
    assert runtime.rule == "LGPL-2.1-only is Copyleft Limited: categories.review"
    assert build.verdict is Verdict.PASS
    assert gpl.verdict is Verdict.DENY
    assert gpl.path == "package.json"
    assert gpl.name == "pkg:npm/gpl-lib@2.0.0 (runtime)"


def test_unresolved_dependency_gets_the_unknown_verdict(tmp_path: Path) -> None:
    pol = policy(tmp_path, "unknown: deny\n")
    report = evaluate(make_result(dependencies=[dependency("pkg:pypi/x@1", None)]), pol)
    f = only(report)
    assert f.verdict is Verdict.DENY
    assert f.rule == "unknown (no license found)"


def test_package_license_and_conflict() -> None:
    result = make_result(
        packages=[
            package("pkg:npm/ok@1.0.0", "MIT"),
            package(
                "pkg:npm/torn@2.0.0",
                "MIT AND GPL-3.0-only",
                conflict=("MIT", "GPL-3.0-only"),
                manifest="vendor/torn/package.json",
            ),
        ]
    )
    report = evaluate(result, shipped_policy("default"), today=TODAY)
    ok, torn, conflict = report.findings
    assert (ok.check, ok.verdict) == (Check.PACKAGE_LICENSE, Verdict.PASS)
    assert (torn.check, torn.verdict) == (Check.PACKAGE_LICENSE, Verdict.DENY)
    assert conflict.check is Check.PACKAGE_CONFLICT
    assert conflict.subject is Subject.PACKAGE
    assert conflict.verdict is Verdict.REVIEW
    assert conflict.path == "vendor/torn/package.json"
    assert conflict.expression == "declared MIT, license files say GPL-3.0-only"
    assert conflict.rule == "conflict (declared and detected licenses disagree)"


WAIVERS = """\
waivers:
  - paths: ["vendor/**"]
    license: GPL-3.0-only
    reason: vendored build tool, not shipped
    approved_by: Legal
    expires: 2026-12-31
  - paths: ["old/**"]
    reason: was fine last year
    expires: 2026-01-01
  - package: pkg:npm/nothing-like-it
    reason: left over
  - package: pkg:npm/left-pad
    versions: "<2"
    reason: approved for 1.x
"""


def test_waivers_active_expired_and_unused(tmp_path: Path) -> None:
    pol = policy(tmp_path, BASE + WAIVERS)
    result = make_result(
        files=[
            file_record("vendor/tool/COPYING", detection("GPL-3.0-only", MatchKind.TEXT)),
            file_record("old/x.c", detection("GPL-3.0-only")),
            file_record("src/x.c", detection("GPL-3.0-only")),
        ],
        dependencies=[
            dependency("pkg:npm/left-pad@1.3.0", "GPL-3.0-only"),
            dependency("pkg:npm/left-pad@2.0.0", "GPL-3.0-only"),
        ],
    )
    report = evaluate(result, pol, today=TODAY)
    vendored, old, src, pad1, pad2 = report.findings
    assert vendored.verdict is Verdict.PASS
    assert vendored.unwaived_verdict is Verdict.DENY
    assert vendored.waiver == f"waivers[0] ({tmp_path / 'policy.yml'}:7)"
    assert vendored.waiver_reason == "vendored build tool, not shipped"
    assert old.verdict is Verdict.DENY  # its waiver expired
    assert old.waiver is None
    assert src.verdict is Verdict.DENY
    assert pad1.verdict is Verdict.PASS
    assert pad1.waiver is not None
    assert pad2.verdict is Verdict.DENY
    notes = {(n.problem, n.waiver.origin.key) for n in report.waiver_notes}
    assert notes == {("expired", "waivers[1]"), ("unused", "waivers[2]")}
    assert "expired on 2026-01-01" in report.waiver_notes[0].message
    assert report.summary() == (
        "policy policy: 3 denied, 0 to review, 2 passed, 2 waived, 1 expired waiver, "
        "1 unused waiver"
    )


def test_a_waiver_is_good_through_its_expiry_day(tmp_path: Path) -> None:
    pol = policy(tmp_path, BASE + WAIVERS)
    record = file_record("old/x.c", detection("GPL-3.0-only"))
    assert only(check_files(pol, record, today=dt.date(2026, 1, 1))).verdict is Verdict.PASS
    assert only(check_files(pol, record, today=dt.date(2026, 1, 2))).verdict is Verdict.DENY


def test_a_waiver_for_an_alternative_not_needed_stays_unused(tmp_path: Path) -> None:
    pol = policy(tmp_path, BASE + "waivers:\n  - license: GPL-3.0-only\n    reason: approved\n")
    report = check_files(pol, file_record("a.py", detection("MIT OR GPL-3.0-only")))
    f = only(report)
    assert (f.verdict, f.elected, f.waiver) == (Verdict.PASS, "MIT", None)
    assert [n.problem for n in report.waiver_notes] == ["unused"]


def test_a_waiver_can_elect_an_alternative(tmp_path: Path) -> None:
    pol = policy(tmp_path, BASE + "waivers:\n  - license: GPL-3.0-only\n    reason: approved\n")
    f = only(check_files(pol, file_record("a.py", detection("LGPL-2.1-only OR GPL-3.0-only"))))
    assert (f.verdict, f.elected, f.unwaived_verdict) == (
        Verdict.PASS,
        "GPL-3.0-only",
        Verdict.REVIEW,
    )


def test_a_license_waiver_covers_only_its_part_of_an_and(tmp_path: Path) -> None:
    pol = policy(
        tmp_path,
        BASE + "waivers:\n  - license: LGPL-2.1-only\n    reason: dynamic linking only\n",
    )
    f = only(check_files(pol, file_record("a.c", detection("GPL-3.0-only AND LGPL-2.1-only"))))
    assert f.verdict is Verdict.DENY


def test_conflict_can_be_waived_by_package(tmp_path: Path) -> None:
    pol = policy(
        tmp_path,
        "conflict: deny\nwaivers:\n  - package: pkg:npm/torn\n    reason: checked by hand\n",
    )
    result = make_result(packages=[package("pkg:npm/torn@2.0.0", "MIT", conflict=("MIT", "ISC"))])
    report = evaluate(result, pol, today=TODAY)
    conflict = report.findings[1]
    assert (conflict.verdict, conflict.unwaived_verdict) == (Verdict.PASS, Verdict.DENY)
    assert not report.waiver_notes


def test_report_counts_and_failure_threshold(tmp_path: Path) -> None:
    pol = policy(tmp_path, BASE)
    report = check_files(
        pol,
        file_record("a", detection("MIT")),
        file_record("b", detection("LGPL-2.1-only")),
    )
    assert report.counts == {Verdict.PASS: 1, Verdict.REVIEW: 1, Verdict.DENY: 0}
    assert not report.failed(Verdict.DENY)
    assert report.failed(Verdict.REVIEW)
    assert [f.path for f in report.violations] == ["b"]


def test_unparsable_expression_is_unknown(tmp_path: Path) -> None:
    pol = policy(tmp_path, "unknown: deny\n")
    f = only(check_files(pol, file_record("a", detection("MIT AND AND ("))))
    assert f.verdict is Verdict.DENY
    assert "does not parse" in f.rule


def test_deprecated_ids_and_with_pairs_meet_their_waivers(tmp_path: Path) -> None:
    pol = policy(
        tmp_path,
        BASE + "waivers:\n  - license: GPL-3.0-only\n    reason: approved\n",
    )
    report = check_files(
        pol,
        file_record("a.c", detection("GPL-3.0")),  # the deprecated SPDX id of GPL-3.0-only
        file_record("b.c", detection("GPL-3.0-only WITH GCC-exception-3.1")),
    )
    a, b = report.findings
    assert (a.verdict, a.unwaived_verdict) == (Verdict.PASS, Verdict.DENY)
    assert a.licenses[0].license == "GPL-3.0-only"
    assert (b.verdict, b.unwaived_verdict) == (Verdict.PASS, Verdict.DENY)
    assert not report.waiver_notes


def test_default_policy_reviews_copyleft_in_tests_and_benchmarks() -> None:
    """Test data and benchmark reports (which list other projects' licenses) stay in the
    repository: the shipped default reviews copyleft there and denies it elsewhere."""
    report = check_files(
        load_policy("default"),
        file_record("src/a.c", detection("GPL-3.0-only")),
        file_record("tests/data/a.c", detection("GPL-3.0-only")),
        file_record("benchmarks/RESULTS.md", detection("GPL-1.0-or-later")),
    )
    src, test_data, bench = report.findings
    assert (src.verdict, src.context) == (Verdict.DENY, None)
    assert (test_data.verdict, test_data.context) == (Verdict.REVIEW, "tests")
    assert (bench.verdict, bench.context) == (Verdict.REVIEW, "tests")
