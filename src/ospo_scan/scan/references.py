# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""License references to other files, followed as ScanCode's post-scan steps follow them.

Some license statements name no license but point elsewhere: "see LICENSE", "licensed under
the terms in COPYING", or a translation catalog's "distributed under the same license as
the Django package". ScanCode's rules for such statements list the files they point to
(``referenced_filenames``; ``INHERIT_LICENSE_FROM_PACKAGE`` for the package's license).
After the per-file scan, ``scancode --license --package`` resolves them in three steps,
repeated here on our records, in the same order and with the same tests:

1. **Local files** (its license plugin): the named file beside the file, else at the root.
2. **Beside the package's manifests** (its package plugin): for a file of a package, the
   named file in each folder that holds one of the package's datafiles.
3. **The package's license** (its package plugin): for ``INHERIT_LICENSE_FROM_PACKAGE``,
   the detections of each package the file belongs to, which are its declared license or,
   when the metadata states none, its license files. With no package in the tree at all,
   the root's license and README files stand in.

A followed detection names the files it led to (``followed_files``; the package's manifest
for a declared license) and its expression becomes the referenced license, found by
ScanCode's rule on its own matches and theirs together: intros and the reference itself are
left out when anything else is there. Unlike raw ScanCode's JSON, it does not repeat the
referenced files' matches: their own records hold them (a thousand translation catalogs would
otherwise each carry the package's twenty license matches). A reference is
followed when the detection is unknown, or when the referenced license does not merely
restate it, or when the referenced files hold five license keys or fewer
(``licensedcode.detection.use_referenced_license_expression``).
"""

from __future__ import annotations

import functools
import posixpath
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from license_expression import ExpressionError, combine_expressions

from ospo_scan.engine import assembly, detect
from ospo_scan.licensing import licensing
from ospo_scan.model import FileRecord, LicenseDetection, LicenseMatch, Package
from ospo_scan.scan import packages as packages_module

#: The referenced "file" that stands for the license of the package the file belongs to.
PACKAGE_REFERENCE = "INHERIT_LICENSE_FROM_PACKAGE"

#: ScanCode's detection log entries for the three steps.
LOG_LOCAL_FILE = "unknown-reference-to-local-file"
LOG_PACKAGE_FILE = "unknown-reference-to-local-file"  # beside a manifest: same entry
LOG_PACKAGE = "unknown-reference-in-file-to-package"
LOG_NO_PACKAGE = "unknown-reference-in-file-to-nonexistent-package"

#: More license keys than this in the referenced files, and a detection that already names
#: a known license keeps its own (a large NOTICE is not what "see NOTICE" puts a file under).
_MAX_REFERENCED_KEYS = 5

_README_PREFIX = "readme"

#: Where a referenced name is looked for, given the referring file: (path, record) pairs.
_Finder = Callable[[str, FileRecord], list[tuple[str, FileRecord]]]

#: A detection of another file, with that file's path.
_Located = tuple[str, LicenseDetection]


def follow_local_references(records: Sequence[FileRecord]) -> list[FileRecord]:
    """Step 1: references to files beside each file, or at the root of the tree."""
    by_path = {r.path: r for r in records}

    def find(name: str, record: FileRecord) -> list[tuple[str, FileRecord]]:
        folder = posixpath.dirname(record.path)
        for candidate in (posixpath.join(folder, name), name):
            found = by_path.get(candidate)
            if found is not None:
                return [(candidate, found)]
        return []

    return [_follow_files(record, find, LOG_LOCAL_FILE) for record in records]


def follow_package_references(
    records: Sequence[FileRecord],
    assembled: Sequence[assembly.AssembledPackage],
    found: Sequence[Package],
) -> list[FileRecord]:
    """Steps 2 and 3: references resolved through the packages each file belongs to.

    ``assembled`` are ScanCode's packages with the files it assigned to them; ``found`` are
    the concluded packages, whose ``license_files`` stand for a package's license when its
    metadata declares none.
    """
    packages = _PackageReferences.of(records, assembled, found)
    return [packages.follow(record) for record in records]


@dataclass(frozen=True, slots=True)
class _PackageReferences:
    """What steps 2 and 3 follow a file's references to: its packages, their files."""

    by_path: Mapping[str, FileRecord]
    #: Path -> the packages ScanCode assigned the file to.
    owners: Mapping[str, list[assembly.AssembledPackage]]
    #: (purl, root path) of each concluded package -> its license files.
    license_files: Mapping[tuple[str, str | None], tuple[str, ...]]
    #: With no package in the tree at all, the detections of the root's license and README
    #: files, which stand in for the package's; None when there are packages.
    root_detections: list[_Located] | None

    @classmethod
    def of(
        cls,
        records: Sequence[FileRecord],
        assembled: Sequence[assembly.AssembledPackage],
        found: Sequence[Package],
    ) -> _PackageReferences:
        """The packages of ``records``, from ScanCode's assembly and the concluded packages."""
        by_path = {r.path: r for r in records}
        owners: dict[str, list[assembly.AssembledPackage]] = {}
        for package in assembled:
            for path in package.files:
                owners.setdefault(path, []).append(package)
        root_detections = None
        if not assembled:
            root_files = sorted(p for p in by_path if "/" not in p and _is_legal_or_readme(p))
            root_detections = _detections_of(root_files, by_path)
        license_files = {(p.purl, p.root_path): p.license_files for p in found}
        return cls(by_path, owners, license_files, root_detections)

    def follow(self, record: FileRecord) -> FileRecord:
        """``record`` with its open references followed through its packages.

        First to files beside the packages' manifests (step 2), then to the packages' licenses
        (step 3), or to the root's license files when the tree has no package at all.
        """
        if not _has_open_reference(record):
            return record
        mine = self.owners.get(record.path, [])
        if mine:
            record = _follow_files(record, self._beside_manifests(mine), LOG_PACKAGE_FILE)
        if self.root_detections is not None:
            return _follow_package(record, [self.root_detections], LOG_NO_PACKAGE)
        if mine:
            return _follow_package(record, [self._detections(p) for p in mine], LOG_PACKAGE)
        return record

    def _beside_manifests(self, mine: list[assembly.AssembledPackage]) -> _Finder:
        """Finds a name in the folders of the datafiles of ``mine``, the file's packages."""

        def find(name: str, _record: FileRecord) -> list[tuple[str, FileRecord]]:
            for package in mine:
                for datafile in package.package.datafile_paths:
                    candidate = posixpath.join(posixpath.dirname(datafile), name)
                    found = self.by_path.get(candidate)
                    if found is not None:
                        return [(candidate, found)]
            return []

        return find

    def _detections(self, package: assembly.AssembledPackage) -> list[_Located]:
        """A package's license as raw ScanCode reads it: its declared detections (with its
        manifest), else its files'.

        ScanCode's own declared detections, not ospo-scan's correction of them (a PEP 639
        expression, the PSF's license by name): following a reference is a file-level step,
        and file-level findings are ScanCode's. Where ScanCode read no declared license, it
        follows the reference to the package's license files, and so does this.
        """
        declared = package.declared_detections
        if package.scancode_declared_detections is not None:
            declared = package.scancode_declared_detections
        if declared:
            manifest = next(iter(package.package.datafile_paths), package.package.root_path or "")
            return [(manifest, d) for d in declared]
        key = (package.package.purl, package.package.root_path)
        return _detections_of(self.license_files.get(key, ()), self.by_path)


def _is_legal_or_readme(path: str) -> bool:
    name = posixpath.basename(path).lower()
    return packages_module.is_license_file(path) or name.startswith(_README_PREFIX)


def _detections_of(paths: Iterable[str], by_path: Mapping[str, FileRecord]) -> list[_Located]:
    """The detections of the files at ``paths``, each with its file."""
    detections: list[_Located] = []
    for path in paths:
        record = by_path.get(path)
        if record is not None:
            detections.extend((path, d) for d in record.license_detections)
    return detections


def _references(detection: LicenseDetection) -> list[str]:
    """The files the detection's rules point to, in order, once each."""
    return list(dict.fromkeys(name for m in detection.matches for name in m.referenced_filenames))


def _is_open(detection: LicenseDetection) -> bool:
    """Points somewhere, and was not followed yet."""
    return not detection.followed_files and bool(_references(detection))


def _has_open_reference(record: FileRecord) -> bool:
    return any(_is_open(d) for d in record.license_detections)


def _follow_files(record: FileRecord, find: _Finder, log: str) -> FileRecord:
    """``record`` with each open reference to a file followed to what ``find`` returns."""
    if not _has_open_reference(record):
        return record
    changed = False
    detections: list[LicenseDetection] = []
    for detection in record.license_detections:
        followed = None
        if _is_open(detection):
            referenced: list[_Located] = []
            for name in _references(detection):
                if name == PACKAGE_REFERENCE:
                    continue
                clean = _clean(name)
                if clean is None:
                    continue
                for path, target in find(clean, record):
                    if path != record.path:
                        referenced.extend((path, d) for d in target.license_detections)
            followed = _extended(detection, referenced, log)
        changed |= followed is not None
        detections.append(followed or detection)
    return _with_detections(record, detections) if changed else record


def _follow_package(record: FileRecord, per_package: list[list[_Located]], log: str) -> FileRecord:
    """``record`` with each open package reference followed to the packages' detections."""
    changed = False
    detections: list[LicenseDetection] = []
    for detection in record.license_detections:
        if not (_is_open(detection) and PACKAGE_REFERENCE in _references(detection)):
            detections.append(detection)
            continue
        # Each package is weighed on its own against the file's own detection, as ScanCode
        # does for a file that several packages claim.
        added: list[_Located] = []
        for package_detections in per_package:
            if package_detections and _use_referenced(
                _combine([d.license_expression for _path, d in package_detections]),
                detection.license_expression,
            ):
                added.extend(package_detections)
        followed = _extended(detection, added, log) if added else None
        changed |= followed is not None
        detections.append(followed or detection)
    return _with_detections(record, detections) if changed else record


def _extended(
    detection: LicenseDetection, referenced: list[_Located], log: str
) -> LicenseDetection | None:
    """``detection`` followed to ``referenced``, or None when they are not to be used."""
    if not referenced:
        return None
    if not _use_referenced(
        _combine([d.license_expression for _path, d in referenced]), detection.license_expression
    ):
        return None
    matches = detection.matches + tuple(m for _path, d in referenced for m in d.matches)
    deciding = _without_references(_without_intros(matches))
    expression = _combine([m.license_expression for m in deciding])
    spdx = _combine([m.license_expression_spdx for m in deciding if m.license_expression_spdx])
    if expression is None:
        return None
    identifiers = [d.identifier for _path, d in referenced] + [detection.identifier]
    return replace(
        detection,
        license_expression=expression,
        license_expression_spdx=spdx or "",
        identifier=detect.followed_detection_identifier(expression, identifiers),
        detection_log=(log,),
        followed_files=tuple(dict.fromkeys(path for path, _d in referenced)),
    )


def _use_referenced(referenced: str | None, own: str) -> bool:
    """ScanCode's ``use_referenced_license_expression``."""
    if referenced is None:
        return False
    if "unknown" in own or referenced == own:
        return True
    try:
        own_keys = _license_keys(own)
        referenced_keys = _license_keys(referenced)
    except ExpressionError:
        return False
    if own_keys == referenced_keys:
        return False  # the same licenses, arranged otherwise: the reference points to notices
    return len(referenced_keys) <= _MAX_REFERENCED_KEYS


def _is_intro(match: LicenseMatch) -> bool:
    """ScanCode's ``is_license_intro``: an intro, clue or free-unknown matched whole."""
    return (match.is_license_intro or match.license_expression == "free-unknown") and (
        match.matcher == "2-aho" or match.match_coverage == 100
    )


def _without_intros(matches: Sequence[LicenseMatch]) -> Sequence[LicenseMatch]:
    kept = [m for m in matches if not _is_intro(m)]
    return kept or matches


def _without_references(matches: Sequence[LicenseMatch]) -> Sequence[LicenseMatch]:
    kept = [m for m in matches if not m.referenced_filenames]
    return kept or matches


def _combine(expressions: Sequence[str]) -> str | None:
    """AND of ``expressions``, duplicates removed, as ScanCode combines them."""
    if not expressions:
        return None
    return _combine_once(tuple(expressions))


# A package's licenses are combined again for each of the hundreds of files that refer to it,
# and parsing expressions was most of the cost of following references (1 s on Django).
@functools.lru_cache(maxsize=8192)
def _combine_once(expressions: tuple[str, ...]) -> str | None:
    try:
        combined = combine_expressions(list(expressions), licensing=licensing())
    except ExpressionError:
        return " AND ".join(dict.fromkeys(expressions))
    return str(combined) if combined is not None else None


@functools.lru_cache(maxsize=8192)
def _license_keys(expression: str) -> frozenset[str]:
    return frozenset(licensing().license_keys(expression))


def _with_detections(record: FileRecord, detections: list[LicenseDetection]) -> FileRecord:
    expression = _combine([d.license_expression for d in detections])
    spdx = _combine([d.license_expression_spdx for d in detections if d.license_expression_spdx])
    return replace(
        record,
        license_detections=tuple(detections),
        license_expression=expression,
        license_expression_spdx=spdx,
    )


def _clean(name: str) -> str | None:
    """A referenced name as a relative POSIX path, or None when it leaves the folder tree."""
    path = posixpath.normpath(name.replace("\\", "/").strip().strip("/"))
    if path in ("", ".") or path == ".." or path.startswith("../"):
        return None
    return path
