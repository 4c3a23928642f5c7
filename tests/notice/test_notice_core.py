# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""The notice core: what ships, which files are a package's, NOTICE files read safely, and
the document built from a real scan (``tests/data/packages/notice_app``)."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import pytest

from ospo_scan.engine.catalog import license_texts
from ospo_scan.evaluate import evaluate
from ospo_scan.model import DependencyScope, FileRecord, FileStatus, ScanResult
from ospo_scan.notice import NoticeOptions, build_notice
from ospo_scan.notice.files import owners, read_notice, verbatim
from ospo_scan.notice.licenses import LicenseLookup
from ospo_scan.notice.shipping import shipped
from ospo_scan.policy.load import load_policy
from ospo_scan.policy.model import Verdict
from ospo_scan.sbom.inventory import Component, Edge, Inventory
from ospo_scan.scan.options import ScanOptions
from ospo_scan.scan.pipeline import scan

TREE = Path(__file__).parents[1] / "data" / "packages" / "notice_app"
EPOCH = {"SOURCE_DATE_EPOCH": "1700000000"}


def _component(key: str, *, in_tree: bool = True) -> Component:
    return Component(key, key, None, "1", in_tree, None, None, None, None, None, None)


def test_a_runtime_dependency_of_a_dev_tool_does_not_ship() -> None:
    edges = (
        Edge(None, "app-lib", DependencyScope.RUNTIME),
        Edge("app-lib", "deep-lib", DependencyScope.RUNTIME),
        Edge(None, "dev-tool", DependencyScope.DEV),
        Edge("dev-tool", "tool-helper", DependencyScope.RUNTIME),
        Edge(None, "plugin", DependencyScope.OPTIONAL),
        Edge("deep-lib", "app-lib", DependencyScope.RUNTIME),  # a cycle ends
    )
    keys = ("app-lib", "deep-lib", "dev-tool", "plugin", "stray", "tool-helper")
    components = tuple(_component(k) for k in keys)
    inventory = Inventory("app", "1", None, None, components, edges)
    default = {s.component.key: s.scopes for s in shipped(inventory, NoticeOptions().scopes)}
    # "stray" is in the tree and declared by nothing: it ships, as found.
    assert default == {
        "app-lib": (DependencyScope.RUNTIME,),
        "deep-lib": (DependencyScope.RUNTIME,),
        "plugin": (DependencyScope.OPTIONAL,),
        "stray": (),
    }
    with_dev = shipped(inventory, frozenset(DependencyScope))
    assert {s.component.key for s in with_dev} == set(keys)


def _record(path: str) -> FileRecord:
    return FileRecord(path=path, status=FileStatus.SCANNED, size=1)


def test_a_file_belongs_to_the_deepest_package_folder() -> None:
    records = [_record(p) for p in ("NOTICE", "a/NOTICE", "a/node_modules/b/NOTICE", "a/x/y.c")]
    owned = owners(records, {"": ["project"], "a": ["a"], "a/node_modules/b": ["b"]})
    assert {k: [r.path for r in v] for k, v in owned.items()} == {
        "project": ["NOTICE"],
        "a": ["a/NOTICE", "a/x/y.c"],
        "b": ["a/node_modules/b/NOTICE"],
    }


def test_verbatim_keeps_lines_and_escapes_control_characters() -> None:
    assert verbatim("\ufeffA\r\nB\rC\t\x1b[2J\x00\n\n") == "\ufeffA\nB\nC\t\\x1b[2J\\x00"


def test_notice_files_are_never_read_through_a_link(tmp_path: Path) -> None:
    (tmp_path / "real").mkdir()
    (tmp_path / "real" / "NOTICE").write_text("inside\n", encoding="utf-8")
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "NOTICE").write_text("secret\n", encoding="utf-8")
    root = tmp_path / "root"
    root.mkdir()
    (root / "pkg").symlink_to(tmp_path / "outside")  # a folder made a link after the scan
    (root / "ok").mkdir()
    (root / "ok" / "NOTICE").write_text("fine\r\n", encoding="utf-8")
    assert read_notice(str(root), _record("ok/NOTICE")).text == "fine"
    through = read_notice(str(root), _record("pkg/NOTICE"))
    assert through.text is None
    assert "could not be read" in (through.problem or "")
    assert read_notice(str(root), _record("../real/NOTICE")).text is None


def test_lookup_names_every_license_of_an_expression() -> None:
    lookup = LicenseLookup(license_texts())
    assert lookup.ids("mit OR GPL-2.0 WITH Classpath-exception-2.0") == (
        "MIT",
        "GPL-2.0-only",
        "Classpath-exception-2.0",
    )
    assert lookup.ids("see LICENSE in EULA.txt") == ("see LICENSE in EULA.txt",)


@pytest.fixture(scope="module")
def result(tmp_path_factory: pytest.TempPathFactory) -> ScanResult:
    root = shutil.copytree(TREE, tmp_path_factory.mktemp("core") / "app")
    return scan(Path(root), ScanOptions(jobs=1, cache_dir=None))


def test_document_from_a_real_scan(result: ScanResult) -> None:
    report = evaluate(result, load_policy("default"))
    notice = build_notice(result, license_texts(), report=report, environ=EPOCH)
    assert notice.violations is None
    assert notice.created.isoformat() == "2023-11-14T22:13:20+00:00"
    names = [p.name for p in notice.packages]
    assert names[0] == "notice-app"
    assert "dev-tool" not in names
    either = next(p for p in notice.packages if p.name == "either-lib")
    assert (either.license, either.elected) == ("MIT OR BSD-2-Clause", "MIT")
    assert [n.sources for n in notice.notice_files] == [
        (
            ("pkg:npm/%40acme/core@1.2.3", "node_modules/@acme/core/NOTICE"),
            ("pkg:npm/%40acme/util@1.2.3", "node_modules/@acme/util/NOTICE"),
        )
    ]
    ids = [lic.license_id for lic in notice.licenses]
    assert ids == sorted(ids, key=str.lower)
    assert len(ids) == len(set(ids))
    missing = [lic.license_id for lic in notice.licenses if lic.text is None]
    assert missing == ["LicenseRef-scancode-public-domain"]
    # A stricter gate: the public-domain package is "Public Domain", the rest permissive;
    # nothing is in review, so --fail-on review passes too.
    strict = NoticeOptions(fail_on=Verdict.REVIEW)
    assert build_notice(result, license_texts(), strict, report=report).violations is None


def test_a_notice_file_changed_since_the_scan_is_said(result: ScanResult) -> None:
    path = Path(result.root) / "node_modules" / "@acme" / "util" / "NOTICE"
    original = path.read_text(encoding="utf-8")
    try:
        path.write_text(original + "Added later.\n", encoding="utf-8")
        notice = build_notice(result, license_texts(), environ=EPOCH)
    finally:
        path.write_text(original, encoding="utf-8")
    util = next(p for p in notice.packages if p.name == "@acme/util")
    assert any("changed since the scan" in note for note in util.notes)
    assert len(notice.notice_files) == 2  # the texts differ now: both are kept


def test_a_result_whose_tree_is_gone_says_so(result: ScanResult) -> None:
    moved = dataclasses.replace(result, root="/nonexistent/app")
    notice = build_notice(moved, license_texts(), environ=EPOCH)
    assert notice.notice_files == ()
    core = next(p for p in notice.packages if p.name == "@acme/core")
    assert any("could not be read from /nonexistent/app" in note for note in core.notes)
    assert any("@acme/core: NOTICE file not copied" in gap for gap in notice.incomplete)
