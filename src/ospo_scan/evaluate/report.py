# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""What ``check`` found: frozen findings and the report that holds them, for every format."""

from __future__ import annotations

import datetime as dt
import enum
from collections import Counter
from dataclasses import dataclass

from ospo_scan.curate import CurationNote
from ospo_scan.model import DependencyScope, FileIssue, MatchKind
from ospo_scan.policy.model import Origin, Verdict, Waiver


class Subject(str, enum.Enum):
    """What a finding is about."""

    FILE = "file"
    PACKAGE = "package"
    DEPENDENCY = "dependency"


class Check(str, enum.Enum):
    """The kind of finding: each is one SARIF rule and one JUnit test suite."""

    FILE_LICENSE = "file-license"
    PACKAGE_LICENSE = "package-license"
    PACKAGE_CONFLICT = "package-conflict"
    DEPENDENCY_LICENSE = "dependency-license"
    SCAN_ERROR = "scan-error"  # a file the scan could not read or judge


class BaselineState(str, enum.Enum):
    """A finding against the baseline, as SARIF's ``baselineState`` names it."""

    NEW = "new"
    UNCHANGED = "unchanged"
    ABSENT = "absent"  # in the baseline, no longer found: fixed


@dataclass(frozen=True, slots=True)
class Fingerprints:
    """Two stable ids of a finding: with its location, and of its content alone."""

    located: str
    content: str


@dataclass(frozen=True, slots=True)
class BaselineFinding:
    """One finding of a baseline report: what matching and a "fixed" list need."""

    check: str
    path: str | None
    name: str
    expression: str
    verdict: Verdict
    fingerprints: Fingerprints


@dataclass(frozen=True, slots=True)
class Baseline:
    """An earlier check report's findings."""

    source: str
    findings: tuple[BaselineFinding, ...]


@dataclass(frozen=True, slots=True)
class BaselineComparison:
    """What a report's comparison with a baseline found besides each finding's state."""

    source: str
    fixed: tuple[BaselineFinding, ...]  # in the baseline, not found any more


@dataclass(frozen=True, slots=True)
class LicenseVerdict:
    """The verdict on one license of an expression, and why."""

    license: str
    verdict: Verdict
    rule: str  # the deciding rule, e.g. "categories.deny: Copyleft"
    origin: Origin
    waiver: str | None = None  # label of the waiver that turned it into a pass


@dataclass(frozen=True, slots=True)
class Finding:
    """One judged thing: a file's license detection, a package, or a dependency."""

    check: Check
    subject: Subject
    path: str | None  # the file; a package's or dependency's manifest
    expression: str  # the SPDX expression judged ("" when there is none)
    verdict: Verdict  # the final verdict, after references and waivers
    rule: str  # the rule that decided
    origin: Origin  # where that rule is written
    start_line: int | None = None
    end_line: int | None = None
    kind: MatchKind | None = None  # how a file states the license: text, notice, tag, reference
    package: str | None = None  # purl of the package or dependency
    scope: DependencyScope | None = None
    elected: str | None = None  # for expressions with OR: the alternative that was chosen
    context: str | None = None  # the names of the contexts that applied
    waiver: str | None = None  # label of the waiver that applied
    waiver_reason: str | None = None
    unwaived_verdict: Verdict | None = None  # what it would have been without the waiver
    note: str | None = None  # e.g. "a mere reference: counted as review at most"
    licenses: tuple[LicenseVerdict, ...] = ()
    issue: FileIssue | None = None  # for a scan error: its kind and message
    #: For a file's detection: ScanCode's content identifier (rules, scores and matched text;
    #: no line numbers), what a baseline matches it by.
    identifier: str | None = None
    baseline: BaselineState | None = None  # against ``check --baseline``; None without one
    #: The curation that set the judged license ("curations[0] (policy.yml:40)"), and why.
    curation: str | None = None
    curation_reason: str | None = None

    @property
    def name(self) -> str:
        """A short name for the thing judged: a path, or a purl (with its scope)."""
        if self.subject is Subject.FILE:
            lines = f":{self.start_line}" if self.start_line else ""
            return f"{self.path}{lines}"
        if self.subject is Subject.DEPENDENCY and self.scope is not None:
            return f"{self.package} ({self.scope.value})"
        return self.package or self.path or ""


@dataclass(frozen=True, slots=True)
class WaiverNote:
    """A waiver worth a warning: expired, or matched nothing."""

    waiver: Waiver
    problem: str  # "expired" or "unused"
    message: str


@dataclass(frozen=True, slots=True)
class PolicyReport:
    """Everything ``check`` found, ready for any output format."""

    policy: str
    policy_sources: tuple[str, ...]
    root: str
    today: dt.date
    findings: tuple[Finding, ...]
    waiver_notes: tuple[WaiverNote, ...] = ()
    baseline: BaselineComparison | None = None  # with ``check --baseline``
    scope: str | None = None  # what was judged when not everything: ``--changed-since``
    #: Curations not applied (expired, stale) or that matched nothing: warnings only.
    curation_notes: tuple[CurationNote, ...] = ()

    def counts_against(self, finding: Finding) -> bool:
        """False for a finding the baseline already holds: it cannot fail the gate."""
        return finding.baseline is not BaselineState.UNCHANGED

    @property
    def violations(self) -> tuple[Finding, ...]:
        """The findings in review or denied, worst first."""
        bad = [f for f in self.findings if f.verdict is not Verdict.PASS]
        return tuple(sorted(bad, key=lambda f: -f.verdict.rank))

    @property
    def counts(self) -> dict[Verdict, int]:
        """Number of findings per verdict (every verdict present, possibly 0)."""
        counted = Counter(f.verdict for f in self.findings)
        return {v: counted.get(v, 0) for v in Verdict}

    def failed(self, fail_on: Verdict = Verdict.DENY) -> bool:
        """True when some finding not in the baseline is at least as bad as ``fail_on``."""
        return any(f.verdict.rank >= fail_on.rank and self.counts_against(f) for f in self.findings)

    def summary(self) -> str:
        """One line: counts per verdict and waiver warnings."""
        c = self.counts
        waived = sum(1 for f in self.findings if f.waiver)
        parts = [
            f"{c[Verdict.DENY]} denied",
            f"{c[Verdict.REVIEW]} to review",
            f"{c[Verdict.PASS]} passed",
        ]
        if waived:
            parts.append(f"{waived} waived")
        # Never hidden: a scan error counts here whatever its verdict, even when allowed.
        errors = sum(1 for f in self.findings if f.check is Check.SCAN_ERROR)
        if errors:
            parts.append(f"{errors} scan error{'s' * (errors != 1)}")
        expired = sum(1 for n in self.waiver_notes if n.problem == "expired")
        unused = sum(1 for n in self.waiver_notes if n.problem == "unused")
        if expired:
            parts.append(f"{expired} expired waiver{'s' * (expired != 1)}")
        if unused:
            parts.append(f"{unused} unused waiver{'s' * (unused != 1)}")
        curated = sum(1 for f in self.findings if f.curation)
        if curated:
            parts.append(f"{curated} curated")
        for problem in ("expired", "stale", "unused"):
            n = sum(1 for note in self.curation_notes if note.problem == problem)
            if n:
                parts.append(f"{n} {problem} curation{'s' * (n != 1)}")
        if self.baseline is not None:
            new = [f for f in self.findings if f.baseline is BaselineState.NEW]
            bad = sum(1 for f in new if f.verdict is not Verdict.PASS)
            parts.append(
                f"baseline: {bad} new violation{'s' * (bad != 1)} "
                f"({len(new)} new finding{'s' * (len(new) != 1)}, "
                f"{len(self.findings) - len(new)} unchanged, {len(self.baseline.fixed)} fixed)"
            )
        if self.scope is not None:
            parts.append(f"judged: {self.scope}")
        return f"policy {self.policy}: " + ", ".join(parts)
