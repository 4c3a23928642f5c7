# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""The attribution document (NOTICE) of what ships: :func:`build_notice` is the one core call
of ``ospo-scan notice``. It reads NOTICE files from the scanned tree; it never writes.

The packages that ship are the SBOM's components (:func:`ospo_scan.sbom.inventory.inventory`)
reached from the project through the scopes asked for (:mod:`.shipping`). Each gets its name,
version, purl, license (concluded, else declared; the policy's election of an ``OR``),
copyright statements (its metadata's, then its files') and its NOTICE files verbatim, as
Apache-2.0 section 4(d) asks; then every license named, once, with ScanCode's text.

The scan result is an input, not something this package makes: a corrected result (curations)
is passed in like any other.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import TYPE_CHECKING

from ospo_scan import __version__
from ospo_scan.licensing import LicenseTexts, combine, without_noise
from ospo_scan.model import DependencyScope, FileRecord, Package, ScanResult
from ospo_scan.notice.files import (
    copyright_statements,
    folder_of,
    is_notice,
    owners,
    read_notice,
)
from ospo_scan.notice.licenses import LicenseLookup, license_notices
from ospo_scan.notice.model import (
    DEFAULT_SCOPES,
    NOT_FOR_DISTRIBUTION,
    LicenseNotice,
    Notice,
    NoticeFile,
    PackageNotice,
    Violations,
)
from ospo_scan.notice.shipping import Shipped, shipped
from ospo_scan.policy.model import Verdict
from ospo_scan.sbom import elections
from ospo_scan.sbom.inventory import Component, inventory, source_date_epoch

if TYPE_CHECKING:
    from ospo_scan.evaluate import PolicyReport

__all__ = [
    "DEFAULT_SCOPES",
    "NOT_FOR_DISTRIBUTION",
    "LicenseNotice",
    "Notice",
    "NoticeFile",
    "NoticeOptions",
    "PackageNotice",
    "Violations",
    "build_notice",
]

#: Top-level file names that state the license of a project without a manifest.
_LICENSE_FILE_PREFIXES = ("license", "licence", "copying", "unlicense")


@dataclass(frozen=True, slots=True)
class NoticeOptions:
    """What shapes the document besides the scan."""

    scopes: frozenset[DependencyScope] = DEFAULT_SCOPES
    fail_on: Verdict = Verdict.DENY  # what counts as an unresolved violation


def build_notice(
    result: ScanResult,
    texts: LicenseTexts,
    options: NoticeOptions = NoticeOptions(),
    *,
    report: PolicyReport | None = None,
    environ: Mapping[str, str] | None = None,
) -> Notice:
    """The attribution document of ``result``'s shipping packages.

    ``texts`` is ScanCode's license data (:func:`ospo_scan.engine.catalog.license_texts`).
    ``report`` (the policy check of the same result) elects the alternative of each ``OR``
    and says whether violations are unresolved: then ``Notice.violations`` is set, and the
    caller decides between refusing and a document under the banner. ``SOURCE_DATE_EPOCH``
    (from ``environ``, default the process's) fixes the date, so identical input gives
    identical bytes.
    """
    epoch = source_date_epoch(environ)
    created = epoch or datetime.now(tz=timezone.utc).replace(microsecond=0)
    view = inventory(result)
    ships = shipped(view, options.scopes)
    elected = elections(report).by_purl if report is not None else {}
    lookup = LicenseLookup(texts)
    folders: dict[str, list[str]] = defaultdict(list)
    project_key = view.project.purl if view.project else (result.root_name or "project")
    folders[""].append(project_key)
    for package in result.packages:
        folder = folder_of(package.root_path)
        if folder and package.purl != project_key:
            folders[folder].append(package.purl)
    files = owners(result.files, folders)
    maker = _Maker(result.root, lookup, elected)
    maker.add_project(view.project, project_key, view.name, files.get(project_key, []))
    in_tree = {p.purl: p for p in result.packages}
    for item in sorted(ships, key=lambda s: (_display(s.component).lower(), s.component.key)):
        maker.add_component(item, in_tree.get(item.component.key), files.get(item.component.key))
    return Notice(
        project=view.name,
        project_version=view.version,
        created=created,
        generator=f"ospo-scan {__version__}",
        scanned_with=(
            f"{result.tool.name} {result.tool.ospo_scan_version}, scancode-toolkit "
            f"{result.tool.scancode_toolkit_version} (SPDX license list "
            f"{result.tool.spdx_license_list_version})"
        ),
        scopes=tuple(s for s in DependencyScope if s in options.scopes),
        packages=tuple(maker.packages),
        notice_files=tuple(NoticeFile(t, tuple(s)) for t, s in maker.notices.items()),
        licenses=license_notices(maker.used_by, lookup),
        violations=_violations(report, options.fail_on),
        policy=report.policy if report is not None else None,
    )


def _violations(report: PolicyReport | None, fail_on: Verdict) -> Violations | None:
    if report is None or not report.failed(fail_on):
        return None
    count = sum(
        1 for f in report.findings if f.verdict.rank >= fail_on.rank and report.counts_against(f)
    )
    return Violations(policy=report.policy, fail_on=fail_on.value, count=count)


def _display(component: Component) -> str:
    if component.namespace:
        separator = "/" if component.key.startswith(("pkg:npm/", "pkg:golang/")) else ":"
        return f"{component.namespace}{separator}{component.name}"
    return component.name


class _Maker:
    """Builds the package entries, collecting NOTICE texts and license users on the way."""

    def __init__(self, root: str, lookup: LicenseLookup, elected: Mapping[str, str]) -> None:
        self.root = root
        self.lookup = lookup
        self.elected = elected
        self.packages: list[PackageNotice] = []
        self.notices: dict[str, list[tuple[str, str]]] = {}  # text -> its sources, in order
        self.notice_index: dict[str, int] = {}  # text -> its place in ``notices``
        self.used_by: dict[str, list[str]] = defaultdict(list)

    def add_project(
        self,
        project: Package | None,
        key: str,
        name: str,
        files: list[FileRecord],
    ) -> None:
        notes: list[str] = []
        license_expression = project.concluded_license_spdx if project else None
        origin: str | None = "concluded" if license_expression else None
        if license_expression is None:
            top = [f for f in files if "/" not in f.path and _is_license_file(f.path)]
            license_expression = without_noise(combine(f.license_expression_spdx for f in top))
            origin = "detected in its license files" if license_expression else None
        if license_expression is None:
            notes.append("no license is known for the project itself")
        metadata = (project.copyright,) if project and project.copyright else ()
        self._add(
            key=key,
            name=name,
            version=project.version if project else None,
            purl=project.purl if project else None,
            is_project=True,
            in_tree=True,
            license_expression=license_expression,
            origin=origin,
            metadata_copyright=metadata,
            files=files,
            homepage=project.homepage_url if project else None,
            supplier=project.supplier if project else None,
            scopes=(),
            notes=notes,
        )

    def add_component(
        self, item: Shipped, package: Package | None, files: list[FileRecord] | None
    ) -> None:
        component = item.component
        notes: list[str] = []
        license_expression = component.concluded_license or component.declared_license
        origin = None
        if component.curation is not None:
            # Said in the document: an auditor sees that a person, not the scan, decided.
            curation = component.curation
            origin = f"curated: {curation.reason}; approved by {curation.approved_by}"
        elif component.concluded_license:
            origin = "concluded"
        elif component.declared_license:
            origin = "declared"
        else:
            notes.append("no license is known for this package")
        if not component.in_tree:
            notes.append(
                "not found in the scanned tree: its copyright notices and NOTICE files could "
                "not be read (install it, or scan its sources, and run again)"
            )
        if component.version is None:
            notes.append("no version is known (only a range is declared)")
        self._add(
            key=component.key,
            name=_display(component),
            version=component.version,
            purl=component.key,
            is_project=False,
            in_tree=component.in_tree,
            license_expression=license_expression,
            origin=origin,
            metadata_copyright=(component.copyright,) if component.copyright else (),
            files=files or [],
            homepage=component.homepage_url or (package.homepage_url if package else None),
            supplier=component.supplier,
            scopes=item.scopes,
            notes=notes,
        )

    def _add(
        self,
        *,
        key: str,
        name: str,
        version: str | None,
        purl: str | None,
        is_project: bool,
        in_tree: bool,
        license_expression: str | None,
        origin: str | None,
        metadata_copyright: tuple[str, ...],
        files: list[FileRecord],
        homepage: str | None,
        supplier: str | None,
        scopes: tuple[DependencyScope, ...],
        notes: list[str],
    ) -> None:
        ids = self.lookup.ids(license_expression) if license_expression else ()
        for license_id in ids:
            self.used_by[license_id].append(key)
        indexes = []
        for record in sorted((f for f in files if is_notice(f)), key=lambda f: f.path):
            read = read_notice(self.root, record)
            if read.remark:
                notes.append(read.remark)
            if read.text is None:
                notes.append(f"NOTICE file not copied: {read.problem}")
                continue
            if not read.text.strip():
                continue  # an empty NOTICE file asks nothing
            if read.text not in self.notices:
                self.notices[read.text] = []
                self.notice_index[read.text] = len(self.notice_index)
            self.notices[read.text].append((key, record.path))
            indexes.append(self.notice_index[read.text])
        copyrights = dict.fromkeys([*metadata_copyright, *copyright_statements(files)])
        self.packages.append(
            PackageNotice(
                key=key,
                name=name,
                version=version,
                purl=purl,
                is_project=is_project,
                in_tree=in_tree,
                license=license_expression,
                license_origin=origin,
                elected=self.elected.get(key) if purl else None,
                license_ids=ids,
                copyrights=tuple(copyrights),
                notice_files=tuple(dict.fromkeys(indexes)),
                homepage=homepage,
                supplier=supplier,
                scopes=scopes,
                notes=tuple(notes),
            )
        )


def _is_license_file(path: str) -> bool:
    return path.lower().startswith(_LICENSE_FILE_PREFIXES)
