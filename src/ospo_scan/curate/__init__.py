# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""Applying curations to a scan result: ``apply_curations(result, curations, today)``.

A curation (:class:`~ospo_scan.policy.model.Curation`) corrects a license; this module
returns the corrected :class:`~ospo_scan.model.ScanResult` and what became of each curation,
for ``check``, ``sbom`` and ``notice`` to judge, export and warn about. What it changes:

- **purl** curations: every package whose purl matches (the version too, when the curation
  names one) gets the curation's license as its concluded license, the ``curated``
  conclusion reason, no conflict, and the curation on record (``Package.curation``); every
  dependency that resolves to such a package, or whose own purl matches, gets it as its
  license (``license_source`` ``curation``); and the package's license files (those behind
  its detected license, and the pinned ones) get it as a path curation would, since they are
  what the curation overrides. Its other files (source headers) are left as detected.
- **path** curations: every file under the glob that has license detections gets the
  curation's license as its SPDX expression and as each detection's (the matches, lines and
  ScanCode-key expression stay as detected: they are the evidence). Files without a
  detection are left alone, and packages are not recomputed from their files: correct a
  package with a purl curation. A path curation that names a file wins over the curation of
  the package the file is a license file of.

``detected`` (ORT's ``detected_license``) narrows a curation to where that expression was
concluded (a package, a dependency not in the tree) or detected (a path curation then
corrects only those detections of a file, and the file's expression is recomputed from them).

When several curations match one thing, a purl with a version wins over one without, then
the last listed wins (a base policy's come first, then the extending policy's, then a
``--curations`` file's). A curation with ``license_files`` applies only where every pinned
file is in the scan with that SHA-256 (relative to the package's root for a purl curation,
to the scanned root for a path curation); where one changed or is missing the curation is
**stale** there and the next matching curation, if any, applies. An **expired** curation is
not applied at all; one that applied nowhere and was not stale is **unused**. Each of those
is a :class:`CurationNote`: a warning, never a failure.
"""

from __future__ import annotations

import collections
import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TypeVar

from license_expression import ExpressionError

from ospo_scan.licensing import combine, license_ids, licensing
from ospo_scan.model import (
    AppliedCuration,
    ConclusionReason,
    Dependency,
    FileRecord,
    Package,
    ScanResult,
)
from ospo_scan.policy.model import Curation

__all__ = ["Applied", "CurationNote", "CurationOutcome", "Curations", "apply_curations"]

T = TypeVar("T")

#: The curations to apply, in order: a base policy's, the policy's, then a ``--curations``
#: file's (:func:`ospo_scan.cli._common.load_curations` puts them together).
Curations = Sequence[Curation]


@dataclass(frozen=True, slots=True)
class Applied:
    """One thing a curation corrected."""

    curation: Curation
    subject: str  # "package", "dependency" or "file"
    name: str  # its purl or path
    previous: str | None  # the license before


@dataclass(frozen=True, slots=True)
class CurationNote:
    """A curation worth a warning: expired, stale (a pinned file changed) or unused."""

    curation: Curation
    problem: str  # "expired", "stale" or "unused"
    message: str


@dataclass(frozen=True, slots=True)
class CurationOutcome:
    """The corrected result, and what became of each curation."""

    result: ScanResult
    applied: tuple[Applied, ...] = ()
    expired: tuple[CurationNote, ...] = ()
    stale: tuple[CurationNote, ...] = ()
    unused: tuple[CurationNote, ...] = ()

    @property
    def notes(self) -> tuple[CurationNote, ...]:
        """Every warning: expired, then stale, then unused, each in the order listed."""
        return (*self.expired, *self.stale, *self.unused)


def apply_curations(result: ScanResult, curations: Curations, today: dt.date) -> CurationOutcome:
    """``result`` with ``curations`` applied (see the module's docstring for what changes)."""
    if not curations:
        return CurationOutcome(result)
    run = _Run(result, curations, today)
    packages = tuple(run.package(p) for p in result.packages)
    by_purl = {p.purl: p.curation for p in packages if p.curation is not None}
    dependencies = tuple(run.dependency(d, by_purl) for d in result.dependencies)
    # The license files of a curated package are what its curation overrides.
    license_files = {
        path: curation
        for before, after in zip(result.packages, packages, strict=True)
        if after.curation is not None
        for curation in run.chosen(after.curation)
        for path in (*before.license_files, *_pinned_paths(curation, before.root_path))
    }
    files = tuple(run.file(f, license_files) for f in result.files)
    curated = replace(
        result,
        files=files,
        packages=packages,
        dependencies=dependencies,
        summary=replace(
            result.summary,
            license_counts=_license_counts(files)
            if any(f.curation for f in files)
            else result.summary.license_counts,
            license_conflicts=sum(p.conflict is not None for p in packages),
        ),
    )
    return run.outcome(curated)


class _Run:
    """One application: the live curations, the files by path, and what happened to each."""

    def __init__(self, result: ScanResult, curations: Sequence[Curation], today: dt.date) -> None:
        self.files = {record.path: record for record in result.files}
        self.expired = tuple(c for c in curations if c.expired(today))
        # Best first: a versioned purl over an unversioned one, then the last listed.
        ranked = sorted(
            ((c.versioned, index, c) for index, c in enumerate(curations) if not c.expired(today)),
            key=lambda item: (item[0], item[1]),
            reverse=True,
        )
        self.live = tuple(c for _, _, c in ranked)
        self.order = {id(c): index for index, c in enumerate(curations)}
        self.applied: list[Applied] = []
        self.stale: dict[int, list[str]] = collections.defaultdict(list)
        self.overridden: dict[int, Curation] = {}  # matched, but another one won there

    def package(self, package: Package) -> Package:
        chosen = self.choose(
            package.purl,
            lambda c: (
                c.matches_purl(package.purl) and _was(c.detected, package.concluded_license_spdx)
            ),
            lambda c: _pins_changed(c, package.root_path, self.files),
        )
        if chosen is None:
            return package
        self.applied.append(
            Applied(chosen, "package", package.purl, package.concluded_license_spdx)
        )
        return replace(
            package,
            concluded_license_spdx=chosen.license,
            concluded_reason=ConclusionReason.CURATED,
            conflict=None,
            curation=_record(chosen, package.concluded_license_spdx),
        )

    def dependency(
        self, dependency: Dependency, by_purl: Mapping[str, AppliedCuration | None]
    ) -> Dependency:
        curation: Curation | None = None
        applied = by_purl.get(dependency.resolved_package or "")
        if applied is not None:
            # Resolved to a curated package: the same correction, whatever the dependency's purl.
            curation = next(iter(self.chosen(applied)), None)
        elif dependency.resolved_package is None:
            # Not in the tree: a pinned curation cannot be checked here, so it does not apply.
            curation = self.choose(
                dependency.purl,
                lambda c: (
                    c.matches_purl(dependency.purl) and _was(c.detected, dependency.license_spdx)
                ),
                lambda c: (
                    "not in the tree, so its license files cannot be checked"
                    if c.license_files
                    else None
                ),
            )
        if curation is None:
            return dependency
        self.applied.append(
            Applied(curation, "dependency", dependency.purl, dependency.license_spdx)
        )
        return replace(
            dependency,
            license_spdx=curation.license,
            license_source="curation",
            curation=_record(curation, dependency.license_spdx),
        )

    def chosen(self, applied: AppliedCuration) -> tuple[Curation, ...]:
        """The live curation that made ``applied`` (one, or none)."""
        return tuple(c for c in self.live if c.label == applied.curation)[:1]

    def file(self, record: FileRecord, license_files: Mapping[str, Curation]) -> FileRecord:
        if not record.license_detections:
            return record
        # A path curation that names the file wins over its package's curation.
        detections = record.license_detections
        chosen = self.choose(
            "",  # the pins are the tree's, not this file's: one message for all files
            lambda c: (
                c.matches_path(record.path)
                and any(_was(c.detected, d.license_expression_spdx) for d in detections)
            ),
            lambda c: _pins_changed(c, "", self.files),
        )
        # A package's curation overrides its license files whole, whatever was detected.
        only = chosen.detected if chosen is not None else None
        chosen = chosen or license_files.get(record.path)
        if chosen is None:
            return record
        corrected = tuple(
            replace(d, license_expression_spdx=chosen.license)
            if _was(only, d.license_expression_spdx)
            else d
            for d in detections
        )
        previous = record.license_expression_spdx
        self.applied.append(Applied(chosen, "file", record.path, previous))
        return replace(
            record,
            license_expression_spdx=chosen.license
            if only is None
            else combine(d.license_expression_spdx for d in corrected),
            license_detections=corrected,
            curation=_record(chosen, previous),
        )

    def choose(
        self,
        name: str,
        matches: Callable[[Curation], bool],
        stale: Callable[[Curation], str | None],
    ) -> Curation | None:
        """The best matching curation whose pins hold; each stale one recorded for ``name``,
        and each lesser match as overridden by the one chosen."""
        chosen: Curation | None = None
        for curation in self.live:
            if not matches(curation):
                continue
            if chosen is not None:
                self.overridden.setdefault(id(curation), chosen)
                continue
            problem = stale(curation)
            if problem is None:
                chosen = curation
            else:
                self.stale[id(curation)].append(f"{name}: {problem}" if name else problem)
        return chosen

    def outcome(self, result: ScanResult) -> CurationOutcome:
        used = {id(a.curation) for a in self.applied}
        stale = []
        unused = []
        for curation in sorted(self.live, key=lambda c: self.order[id(c)]):
            problems = _distinct(self.stale.get(id(curation), ()))
            if problems:
                where = "; ".join(problems[:3]) + (
                    f"; and {len(problems) - 3} more" if len(problems) > 3 else ""
                )
                stale.append(
                    CurationNote(
                        curation,
                        "stale",
                        f"curation {curation.label} of {curation.target} is stale: not "
                        f"applied where its pinned license files do not match ({where}); "
                        "review it and update the sha256",
                    )
                )
            elif id(curation) not in used:
                winner = self.overridden.get(id(curation))
                why = (
                    f"applied nowhere: {winner.label} wins wherever it matched"
                    if winner is not None
                    else "matched nothing"
                )
                unused.append(
                    CurationNote(
                        curation,
                        "unused",
                        f"curation {curation.label} of {curation.target} {why}; remove it?",
                    )
                )
        expired = tuple(
            CurationNote(
                c,
                "expired",
                f"curation {c.label} of {c.target} expired on {c.expires}; it no longer applies",
            )
            for c in self.expired
        )
        return CurationOutcome(result, tuple(self.applied), expired, tuple(stale), tuple(unused))


def _pins_changed(
    curation: Curation, root: str | None, files: Mapping[str, FileRecord]
) -> str | None:
    """Why ``curation``'s pinned files do not hold under ``root`` (``None`` when they do)."""
    if not curation.license_files:
        return None
    if root is None:
        return "the package has no folder in the tree to find its license files in"
    for pin in curation.license_files:
        path = _under(root, pin.path)
        record = files.get(path)
        if record is None:
            return f"{path} is not in the scan"
        if record.sha256 is None:
            return f"{path} has no SHA-256 (it was not read)"
        if record.sha256.lower() != pin.sha256:
            return f"{path} changed (sha256 {record.sha256[:12]}…, pinned {pin.sha256[:12]}…)"
    return None


def _was(detected: str | None, expression: str | None) -> bool:
    """True when a curation guarded by ``detected`` applies to ``expression`` (no guard: always)."""
    if detected is None:
        return True
    if not expression:
        return False
    try:
        return bool(licensing().is_equivalent(detected, expression))
    except ExpressionError:
        return False


def _pinned_paths(curation: Curation, root: str | None) -> tuple[str, ...]:
    return tuple(_under(root or "", pin.path) for pin in curation.license_files)


def _under(root: str, path: str) -> str:
    return f"{root.rstrip('/')}/{path}" if root not in ("", ".") else path


def _record(curation: Curation, previous: str | None) -> AppliedCuration:
    return AppliedCuration(
        curation=curation.label,
        license=curation.license,
        previous=previous,
        reason=curation.reason,
        approved_by=curation.approved_by,
        expires=curation.expires.isoformat() if curation.expires else None,
    )


def _license_counts(files: Iterable[FileRecord]) -> dict[str, int]:
    """SPDX id -> files that mention it, as :func:`ospo_scan.scan.pipeline.summarize` counts."""
    counts: collections.Counter[str] = collections.Counter()
    for record in files:
        counts.update(
            {i for d in record.license_detections for i in license_ids(d.license_expression_spdx)}
        )
    return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def _distinct(items: Iterable[T]) -> list[T]:
    return list(dict.fromkeys(items))
