# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""License references to other files ("see LICENSE", "the same license as the package").

Raw ScanCode follows these after the scan, so an ospo-scan result must too: a translation
catalog that says it is "distributed under the same license as the PACKAGE package" is under
the package's license, not under an unknown one. These tests run the real engine on small
trees; the rules for following (when a reference is used, what the expression becomes) are
checked on records built by hand.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from ospo_scan.model import FileRecord, FileStatus, LicenseDetection, LicenseMatch, MatchKind
from ospo_scan.scan import references
from ospo_scan.scan.options import ScanOptions
from ospo_scan.scan.pipeline import scan

MIT_TEXT = (Path(__file__).parent.parent / "data" / "fake_repo" / "LICENSE-MIT").read_text("utf-8")

CATALOG = (
    "# French translations for widget.\n"
    "# This file is distributed under the same license as the PACKAGE package.\n"
    'msgid ""\nmsgstr ""\n'
)
SEE_LICENSE = "/* For license information, please see LICENSE. */\nint answer = 42;\n"


def _tree(root: Path, files: dict[str, str]) -> Path:
    for path, text in files.items():
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    return root


def _detection(result_file: FileRecord) -> LicenseDetection:
    assert len(result_file.license_detections) == 1, result_file.license_detections
    return result_file.license_detections[0]


def test_catalog_takes_the_declared_license_of_its_package(tmp_path: Path) -> None:
    manifest = {"name": "widget", "version": "1.0.0", "license": "Apache-2.0"}
    root = _tree(
        tmp_path / "widget",
        {"package.json": json.dumps(manifest), "locale/fr/widget.po": CATALOG},
    )
    result = scan(root, ScanOptions(jobs=1))
    detection = _detection(result.file("locale/fr/widget.po"))
    assert detection.license_expression == "apache-2.0"
    assert detection.license_expression_spdx == "Apache-2.0"
    assert detection.detection_log == (references.LOG_PACKAGE,)
    [own] = detection.matches  # the referenced matches stay in their own records
    assert own.referenced_filenames == (references.PACKAGE_REFERENCE,)
    assert detection.followed_files == ("package.json",)
    # The file's own statement is still what it is: a reference, on its own line.
    assert detection.kind is MatchKind.REFERENCE
    assert (detection.start_line, detection.end_line) == (2, 2)
    assert result.file("locale/fr/widget.po").license_expression == "apache-2.0"


def test_catalog_takes_the_license_files_when_nothing_is_declared(tmp_path: Path) -> None:
    manifest = {"name": "widget", "version": "1.0.0"}
    root = _tree(
        tmp_path / "widget",
        {"package.json": json.dumps(manifest), "LICENSE": MIT_TEXT, "locale/fr/widget.po": CATALOG},
    )
    result = scan(root, ScanOptions(jobs=1))
    detection = _detection(result.file("locale/fr/widget.po"))
    assert detection.license_expression == "mit"
    assert detection.followed_files == ("LICENSE",)
    [package] = result.packages
    assert package.license_files == ("LICENSE",)


def test_a_reference_follows_scancodes_reading_not_the_corrected_declaration(
    tmp_path: Path,
) -> None:
    """Django's shape: PKG-INFO declares only a PEP 639 expression, which ScanCode 32.5 does
    not read. ospo-scan's package conclusion takes the expression, but a catalog's "same
    license as the package" is followed as raw ScanCode follows it, to the license files."""
    pkg_info = (
        "Metadata-Version: 2.4\nName: widget\nVersion: 1.0\n"
        "License-Expression: BSD-3-Clause\nLicense-File: LICENSE\n"
    )
    root = _tree(
        tmp_path / "widget",
        {"PKG-INFO": pkg_info, "LICENSE": MIT_TEXT, "widget/locale/fr/widget.po": CATALOG},
    )
    result = scan(root, ScanOptions(jobs=1))
    [package] = result.packages
    assert package.declared_license_spdx == "BSD-3-Clause"  # the package: the expression
    detection = _detection(result.file("widget/locale/fr/widget.po"))
    assert detection.license_expression == "mit"  # the file: what raw ScanCode follows to
    assert detection.followed_files == ("LICENSE",)


def test_without_any_package_the_root_license_stands_in(tmp_path: Path) -> None:
    root = _tree(tmp_path / "plain", {"LICENSE": MIT_TEXT, "locale/fr/widget.po": CATALOG})
    result = scan(root, ScanOptions(jobs=1))
    detection = _detection(result.file("locale/fr/widget.po"))
    assert detection.license_expression == "mit"
    assert detection.detection_log == (references.LOG_NO_PACKAGE,)


def test_see_license_is_followed_beside_the_file_then_at_the_root(tmp_path: Path) -> None:
    apache = "Licensed under the Apache License, Version 2.0\n"
    root = _tree(
        tmp_path / "project",
        {
            "LICENSE": MIT_TEXT,
            "src/near/LICENSE": apache,
            "src/near/util.c": SEE_LICENSE,
            "src/far/util.c": SEE_LICENSE,
        },
    )
    result = scan(root, ScanOptions(jobs=1, packages=False))
    near = _detection(result.file("src/near/util.c"))
    far = _detection(result.file("src/far/util.c"))
    assert near.license_expression == "apache-2.0"
    assert near.followed_files == ("src/near/LICENSE",)
    assert far.license_expression == "mit"
    assert far.followed_files == ("LICENSE",)
    assert far.detection_log == (references.LOG_LOCAL_FILE,)
    # The license files themselves are untouched.
    assert _detection(result.file("LICENSE")).followed_files == ()


def test_without_packages_a_package_reference_stays_unknown(tmp_path: Path) -> None:
    root = _tree(tmp_path / "plain", {"LICENSE": MIT_TEXT, "widget.po": CATALOG})
    result = scan(root, ScanOptions(jobs=1, packages=False))
    detection = _detection(result.file("widget.po"))
    assert detection.license_expression == "free-unknown"
    assert detection.followed_files == ()


def test_a_reference_to_a_missing_file_is_left_as_found(tmp_path: Path) -> None:
    root = _tree(tmp_path / "project", {"src/util.c": SEE_LICENSE})
    result = scan(root, ScanOptions(jobs=1))
    detection = _detection(result.file("src/util.c"))
    assert detection.license_expression == "unknown-license-reference"
    assert detection.followed_files == ()


def test_followed_references_survive_the_caches(tmp_path: Path) -> None:
    """Records come back from the findings and whole-tree caches unfollowed or followed."""
    manifest = {"name": "widget", "version": "1.0.0"}
    root = _tree(
        tmp_path / "widget",
        {
            "package.json": json.dumps(manifest),
            "LICENSE": MIT_TEXT,
            "locale/fr/widget.po": CATALOG,
            "src/util.c": SEE_LICENSE,
        },
    )
    options = ScanOptions(jobs=1, cache_dir=str(tmp_path / "cache"))
    cold = scan(root, options)
    warm = scan(root, options)  # the whole-tree cache
    (root / "src" / "other.c").write_text("int x;\n", encoding="utf-8")
    partly = scan(root, options)  # per-file findings from the cache, references again
    for result in (warm, partly):
        for path in ("locale/fr/widget.po", "src/util.c"):
            assert result.file(path).to_dict() == cold.file(path).to_dict()
    assert _detection(partly.file("locale/fr/widget.po")).license_expression == "mit"
    assert _detection(partly.file("src/util.c")).license_expression == "mit"
    shutil.rmtree(tmp_path / "cache")


# --- the rules for following, on records built by hand ---


def _where(expression: str) -> dict[str, Any]:
    """What every hand-built match and detection here shares: a reference on line 1."""
    return {
        "license_expression": expression,
        "license_expression_spdx": expression.upper(),
        "kind": MatchKind.REFERENCE,
        "score": 100.0,
        "start_line": 1,
        "end_line": 1,
    }


def _match(expression: str, *, refs: tuple[str, ...] = (), intro: bool = False) -> LicenseMatch:
    return LicenseMatch(
        **_where(expression),
        matched_length=5,
        match_coverage=100.0,
        matcher="2-aho",
        rule_identifier=f"{expression}_1.RULE",
        rule_relevance=100,
        referenced_filenames=refs,
        is_license_intro=intro,
    )


def _record(path: str, *matches: LicenseMatch, expression: str | None = None) -> FileRecord:
    expression = expression or " AND ".join(dict.fromkeys(m.license_expression for m in matches))
    detection = LicenseDetection(
        **_where(expression),
        rule_identifier=matches[0].rule_identifier,
        identifier=f"{path}-id",
        matches=matches,
    )
    return FileRecord(
        path=path,
        status=FileStatus.SCANNED,
        size=1,
        license_expression=expression,
        license_expression_spdx=expression.upper(),
        license_detections=(detection,),
    )


@pytest.mark.parametrize(
    ("own", "referenced", "followed"),
    [
        ("unknown-license-reference", "mit", True),  # unknown: always resolved
        ("mit", "mit", True),  # the same expression: the matches are added
        ("mit AND bsd-new", "bsd-new AND mit", False),  # same keys otherwise arranged: notices
        ("gpl-2.0", "mit", True),
        ("gpl-2.0", "mit AND isc AND bsd-new AND apache-2.0 AND zlib AND bsl-1.0", False),
    ],
)
def test_when_a_reference_is_used(own: str, referenced: str, followed: bool) -> None:
    source = _record("src/a.c", _match(own, refs=("COPYING",)), expression=own)
    target = _record("src/COPYING", *(_match(k) for k in referenced.split(" AND ")))
    [result, _] = references.follow_local_references([source, target])
    assert bool(result.license_detections[0].followed_files) is followed
    if followed:
        assert result.license_detections[0].license_expression == referenced


def test_intros_and_the_reference_itself_drop_out_of_the_expression() -> None:
    source = _record(
        "a.c",
        _match("unknown-license-reference", intro=True),
        _match("unknown-license-reference", refs=("LICENSE",)),
    )
    target = _record("LICENSE", _match("bsd-new"))
    [result, _] = references.follow_local_references([source, target])
    detection = result.license_detections[0]
    assert detection.license_expression == "bsd-new"
    assert detection.license_expression_spdx == "BSD-NEW"
    assert result.license_expression == "bsd-new"
    assert detection.followed_files == ("LICENSE",)
    assert len(detection.matches) == 2


def test_a_followed_reference_is_not_followed_twice() -> None:
    source = _record("a.c", _match("unknown-license-reference", refs=("LICENSE",)))
    target = _record("LICENSE", _match("mit"))
    once = references.follow_local_references([source, target])
    assert references.follow_local_references(once) == once


@pytest.mark.parametrize("name", ["../LICENSE", "/", "..", "."])
def test_a_reference_out_of_the_tree_is_not_followed(name: str) -> None:
    source = _record("sub/a.c", _match("unknown-license-reference", refs=(name,)))
    target = _record("LICENSE", _match("mit"))
    [result, _] = references.follow_local_references([source, target])
    assert result.license_detections[0].followed_files == ()
