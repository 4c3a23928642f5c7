# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""Baseline matching (ospo_scan.evaluate.baseline) on made-up results, through the JSON report.

The real scans are in tests/cli/test_baseline.py; here, what the scans there cannot easily
show: packages and dependencies across version bumps, scopes, repeated findings and conflicts.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from ospo_scan.evaluate import PolicyReport, evaluate
from ospo_scan.evaluate.baseline import compare, fingerprints, load_baseline
from ospo_scan.evaluate.report import BaselineState
from ospo_scan.formats import registry
from ospo_scan.formats.base import Output
from ospo_scan.model import DependencyScope, ScanResult
from ospo_scan.policy.load import policy_from_yaml
from ospo_scan.policy.model import Verdict
from policy_helpers import dependency, detection, file_record, make_result, package

TODAY = dt.date(2026, 12, 6)
POLICY = policy_from_yaml(
    "version: 1\ncategories:\n  allow: [Permissive]\n  deny: [Copyleft]\nconflict: deny\n",
    "p.yml",
)


def report(result: ScanResult) -> PolicyReport:
    return evaluate(result, POLICY, today=TODAY)


def against(before: ScanResult, after: ScanResult, tmp_path: Path) -> PolicyReport:
    """``after``'s report compared with ``before``'s, its baseline written as JSON and read."""
    path = tmp_path / "baseline.json"
    path.write_text(registry.get(Output.CHECK, "json").render(report(before)), encoding="utf-8")
    return compare(report(after), load_baseline(path), (f.path for f in after.files))


def state_of(rep: PolicyReport, name: str) -> BaselineState | None:
    (finding,) = [f for f in rep.findings if name in (f.name, f.package)]
    return finding.baseline


def test_a_dependency_bumped_with_the_same_license_is_unchanged(tmp_path: Path) -> None:
    before = make_result(dependencies=[dependency("pkg:npm/left-pad@1.0.0", "GPL-3.0-only")])
    after = make_result(dependencies=[dependency("pkg:npm/left-pad@1.3.0", "GPL-3.0-only")])
    rep = against(before, after, tmp_path)
    assert state_of(rep, "pkg:npm/left-pad@1.3.0") is BaselineState.UNCHANGED
    assert not rep.failed()


def test_a_dependency_whose_license_changed_is_new(tmp_path: Path) -> None:
    before = make_result(dependencies=[dependency("pkg:npm/left-pad@1.0.0", "MIT")])
    after = make_result(dependencies=[dependency("pkg:npm/left-pad@2.0.0", "GPL-3.0-only")])
    rep = against(before, after, tmp_path)
    assert state_of(rep, "pkg:npm/left-pad@2.0.0") is BaselineState.NEW
    assert rep.failed()
    assert rep.baseline is not None
    assert [e.expression for e in rep.baseline.fixed] == ["MIT"]


def test_a_dependency_in_a_new_scope_is_new(tmp_path: Path) -> None:
    dev = DependencyScope.DEV
    before = make_result(dependencies=[dependency("pkg:npm/x@1", "GPL-3.0-only", dev)])
    after = make_result(dependencies=[dependency("pkg:npm/x@1", "GPL-3.0-only")])
    assert state_of(against(before, after, tmp_path), "pkg:npm/x@1") is BaselineState.NEW


def test_a_package_and_its_conflict_survive_a_version_bump(tmp_path: Path) -> None:
    conflict = ("MIT", "GPL-3.0-only")
    before = make_result(packages=[package("pkg:pypi/tool@1.0", "MIT", conflict=conflict)])
    after = make_result(packages=[package("pkg:pypi/tool@1.1", "MIT", conflict=conflict)])
    rep = against(before, after, tmp_path)
    assert {f.check.value: f.baseline for f in rep.findings} == {
        "package-license": BaselineState.UNCHANGED,
        "package-conflict": BaselineState.UNCHANGED,
    }
    assert not rep.failed()


def test_a_second_copy_of_a_finding_in_one_file_is_new(tmp_path: Path) -> None:
    gpl = detection("GPL-3.0-only")
    before = make_result(files=[file_record("a.c", gpl)])
    after = make_result(files=[file_record("a.c", gpl, detection("GPL-3.0-only", line=9))])
    rep = against(before, after, tmp_path)
    assert sorted(f.baseline.value for f in rep.findings if f.baseline) == ["new", "unchanged"]
    assert rep.failed()


def test_a_finding_that_got_worse_under_the_same_baseline_stays_accepted(tmp_path: Path) -> None:
    # The baseline accepts the finding, whatever its verdict then: only what is new fails.
    result = make_result(files=[file_record("a.c", detection("GPL-3.0-only"))])
    rep = against(result, result, tmp_path)
    (finding,) = rep.findings
    assert (finding.verdict, finding.baseline) == (Verdict.DENY, BaselineState.UNCHANGED)
    assert not rep.failed()
    assert rep.failed() is not report(result).failed()


def test_fingerprints_ignore_lines_but_not_paths() -> None:
    one = report(make_result(files=[file_record("a.c", detection("MIT", line=1))])).findings[0]
    moved = report(make_result(files=[file_record("a.c", detection("MIT", line=40))])).findings[0]
    other = report(make_result(files=[file_record("b.c", detection("MIT", line=1))])).findings[0]
    assert fingerprints(one) == fingerprints(moved)
    assert fingerprints(one).located != fingerprints(other).located
    assert fingerprints(one).content == fingerprints(other).content
