# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""Fail only on what is new: findings matched against an earlier check report.

A team adopting a gate on an existing repository accepts what is already there once (a
*baseline*: the JSON report of ``check --write-baseline FILE``), and from then on only
findings that are not in it can fail the gate.

Findings match by fingerprint, never by line number:

- a file's license detection by its path, its expression and ScanCode's content identifier of
  the detection (the rules matched, their scores and the matched text, tokenised: no lines),
  so that a detection moved to other lines, or a file edited elsewhere, is unchanged;
- a package (its license or its conflict) and a dependency by the purl without its version,
  the scope and the license, so that a version bump that keeps the license is unchanged;
- a scan error by its path and the kind of its issue.

Each fingerprint exists twice: *located* (with the path or manifest) and *content* (without).
Matching runs in two passes: first located fingerprints; then, for what is left, content
fingerprints against baseline findings whose file no longer exists, so that a renamed or
moved file is unchanged while the same license added in a new file (the old one still there)
is new. Repeated findings count as a multiset: a second copy of a baselined finding is new.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

from packageurl import PackageURL

from ospo_scan.errors import BaselineError
from ospo_scan.evaluate.report import (
    Baseline,
    BaselineComparison,
    BaselineFinding,
    BaselineState,
    Check,
    Finding,
    Fingerprints,
    PolicyReport,
)
from ospo_scan.policy.model import Verdict

#: Reports before this version carry no fingerprints and cannot be baselines.
BASELINE_MIN_REPORT_VERSION = (1, 2)


def fingerprints(finding: Finding) -> Fingerprints:
    """The located and content fingerprints of ``finding`` (see the module's docstring)."""
    if finding.check is Check.SCAN_ERROR:
        content: tuple[str, ...] = (finding.issue.kind.value if finding.issue else "",)
    elif finding.check is Check.FILE_LICENSE:
        content = (finding.expression, finding.identifier or _match_free(finding))
    else:
        scope = finding.scope.value if finding.scope else ""
        content = (_unversioned(finding.package), scope, finding.expression)
    return Fingerprints(
        located=_digest(finding.check.value, finding.path or "", *content),
        content=_digest(finding.check.value, *content),
    )


def _match_free(finding: Finding) -> str:
    # A report without ScanCode's content identifier (a hand-made result): the kind of the
    # statement and the rule that decided stand in for the matched text.
    return f"{finding.kind.value if finding.kind else ''}|{finding.rule}"


def _unversioned(purl: str | None) -> str:
    if not purl:
        return ""
    try:
        parsed = PackageURL.from_string(purl)
    except ValueError:
        return purl
    return PackageURL(
        type=parsed.type, namespace=parsed.namespace, name=parsed.name, subpath=parsed.subpath
    ).to_string()


def _digest(*parts: str) -> str:
    data = "\x1f".join(parts).encode("utf-8", "surrogateescape")
    return hashlib.sha256(data).hexdigest()[:32]


def compare(
    report: PolicyReport,
    baseline: Baseline,
    present_paths: Iterable[str],
    *,
    judged_paths: frozenset[str] | None = None,
) -> PolicyReport:
    """``report`` with each finding's state against ``baseline``, and what was fixed.

    ``present_paths`` are the files of the scanned tree: a baseline finding of a file that
    still exists is never taken for a renamed one. ``judged_paths``, when only part of the
    tree was judged (``--changed-since``), limits "fixed" to baseline findings of those paths:
    the rest was not looked at, not fixed.
    """
    present = frozenset(present_paths)
    left = list(baseline.findings)
    taken = [False] * len(left)
    by_located: dict[str, list[int]] = defaultdict(list)
    for index, entry in enumerate(left):
        by_located[entry.fingerprints.located].append(index)
    prints = [fingerprints(f) for f in report.findings]
    states: list[BaselineState | None] = [None] * len(prints)
    for n, fp in enumerate(prints):
        if by_located.get(fp.located):
            taken[by_located[fp.located].pop()] = True
            states[n] = BaselineState.UNCHANGED
    by_content: dict[str, list[int]] = defaultdict(list)
    for index, entry in enumerate(left):
        if not taken[index] and (entry.path is None or entry.path not in present):
            by_content[entry.fingerprints.content].append(index)
    for n, fp in enumerate(prints):
        if states[n] is None and by_content.get(fp.content):
            taken[by_content[fp.content].pop()] = True
            states[n] = BaselineState.UNCHANGED
    findings = tuple(
        replace(f, baseline=state or BaselineState.NEW)
        for f, state in zip(report.findings, states, strict=True)
    )
    fixed = tuple(
        entry
        for index, entry in enumerate(left)
        if not taken[index] and (judged_paths is None or entry.path in judged_paths)
    )
    return replace(report, findings=findings, baseline=BaselineComparison(baseline.source, fixed))


def load_baseline(path: Path) -> Baseline:
    """The findings of the check report at ``path``; :class:`BaselineError` when it is none."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise BaselineError(
            f"{path}: no such baseline file (write one with `ospo-scan check --write-baseline "
            f"{path}`)"
        ) from None
    except (OSError, UnicodeDecodeError) as error:
        reason = getattr(error, "strerror", None) or "not UTF-8 text"
        raise BaselineError(f"{path}: cannot read the baseline ({reason})") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise BaselineError(
            f"{path}:{error.lineno}: the baseline is not JSON ({error.msg}); it must be a "
            "report of `ospo-scan check --format json`"
        ) from None
    return Baseline(str(path), tuple(_entries(data, path)))


def _entries(data: Any, path: Path) -> Iterable[BaselineFinding]:
    if not isinstance(data, Mapping) or "report_version" not in data or "findings" not in data:
        raise BaselineError(
            f"{path}: not a check report (a scan result? write the baseline with "
            f"`ospo-scan check --write-baseline {path}`)"
        )
    version = _version(data["report_version"])
    if version is None or version[0] != 1 or version[:2] < BASELINE_MIN_REPORT_VERSION:
        raise BaselineError(
            f"{path}: key 'report_version': {data['report_version']!r} cannot be a baseline "
            "(it needs 1.2 or later, with fingerprints); write it again with "
            "`ospo-scan check --write-baseline`"
        )
    findings = data["findings"]
    if not isinstance(findings, list):
        raise BaselineError(f"{path}: key 'findings': expected a list")
    for index, item in enumerate(findings):
        yield _entry(item, f"findings[{index}]", path)


def _entry(item: Any, key: str, path: Path) -> BaselineFinding:
    try:
        prints = item["fingerprints"]
        located, content = prints["located"], prints["content"]
        check, verdict = item["check"], Verdict(item["verdict"])
        where, name, expression = item["path"], item["name"], item["expression"]
    except (TypeError, KeyError, ValueError) as error:
        raise BaselineError(f"{path}: key '{key}': not a finding of a check report") from error
    strings = (located, content, check, name, expression)
    if not all(isinstance(s, str) for s in strings) or not isinstance(where, (str, type(None))):
        raise BaselineError(f"{path}: key '{key}': not a finding of a check report")
    return BaselineFinding(check, where, name, expression, verdict, Fingerprints(located, content))


def _version(value: Any) -> tuple[int, ...] | None:
    if not isinstance(value, str):
        return None
    try:
        return tuple(int(part) for part in value.split("."))
    except ValueError:
        return None
