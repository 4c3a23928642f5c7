# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""The generic to_dict/from_dict of the result records: shape, order, old documents, damage."""

from __future__ import annotations

import copy
import dataclasses
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import pytest

from ospo_scan.model import (
    SCHEMA_VERSION,
    AppliedCuration,
    AuthorStatement,
    ConclusionReason,
    CopyrightStatement,
    Dependency,
    DependencyScope,
    FileIssue,
    FileRecord,
    FileStatus,
    IssueKind,
    LicenseConflict,
    LicenseDetection,
    LicenseMatch,
    MatchKind,
    Package,
    ScanResult,
    ScanSummary,
    SetAsideMatch,
    SetAsideReason,
    ToolInfo,
)
from ospo_scan.records import Record, derived, generated_source, io

MATCH = LicenseMatch(
    license_expression="mit",
    license_expression_spdx="MIT",
    kind=MatchKind.TAG,
    score=98.5,
    start_line=3,
    end_line=4,
    matched_length=12,
    match_coverage=99.0,
    matcher="1-spdx-id",
    rule_identifier="spdx-license-identifier-mit.RULE",
    rule_relevance=90,
    referenced_filenames=("COPYING", "LICENSE"),
    is_license_intro=True,
)
DETECTION = LicenseDetection(
    license_expression="mit",
    license_expression_spdx="MIT",
    kind=MatchKind.NOTICE,
    score=97.0,
    start_line=1,
    end_line=20,
    rule_identifier="mit_5.RULE",
    identifier="mit-0123",
    matches=(MATCH, dataclasses.replace(MATCH, kind=MatchKind.TEXT, start_line=5)),
    detection_log=("imperfect-match-coverage",),
    followed_files=("LICENSE",),
)
COPYRIGHT = CopyrightStatement("Copyright 2020 Acme and Foo", ("Acme", "Foo"), 1, 2)
AUTHOR = AuthorStatement("Jane Doe", 5, 6)
ISSUE = FileIssue(IssueKind.UNDECODABLE, "not UTF-8: read as latin-1")
CURATION = AppliedCuration(
    curation="curations[0] (policy.yml:12)",
    license="MIT",
    previous="GPL-3.0-only",
    reason="the upstream relicensed",
    approved_by="Jane Doe",
    expires="2027-06-30",
)
FILE = FileRecord(
    path="src/app.py",
    status=FileStatus.ERROR,
    size=123,
    sha1="a" * 40,
    sha256="b" * 64,
    is_text=True,
    license_expression="mit",
    license_expression_spdx="MIT",
    license_detections=(DETECTION,),
    license_clues=(MATCH,),
    percentage_of_license_text=12.5,
    copyrights=(COPYRIGHT, CopyrightStatement("(c) Bar and Acme", ("Bar", "Acme"), 3, 3)),
    authors=(AUTHOR,),
    issues=(ISSUE,),
    curation=CURATION,
)
CONFLICT = LicenseConflict("MIT", "Apache-2.0", ("LICENSE", "COPYING"))
SET_ASIDE = SetAsideMatch(
    path="node_modules/@scope/app/LICENSE",
    license_expression_spdx="BSD-3-Clause",
    start_line=22,
    end_line=22,
    rule_identifier="bsd-new_965.RULE",
    match_coverage=100.0,
    rule_relevance=99,
    reason=SetAsideReason.REFERENCE,
)
PACKAGE = Package(
    purl="pkg:npm/%40scope/app@1.0.0",
    type="npm",
    name="app",
    namespace="@scope",
    version="1.0.0",
    root_path="node_modules/@scope/app",
    datafile_paths=("node_modules/@scope/app/package.json",),
    declared_license="MIT",
    declared_license_spdx="MIT",
    detected_license_spdx="Apache-2.0",
    license_files=("node_modules/@scope/app/LICENSE",),
    concluded_license_spdx="MIT AND Apache-2.0",
    concluded_reason=ConclusionReason.CONFLICT,
    conflict=CONFLICT,
    homepage_url="https://example.invalid/app",
    download_url="https://example.invalid/app.tgz",
    supplier="Jane Doe",
    copyright="Copyright Jane Doe",
    datafile_line=2,
    curation=CURATION,
    set_aside=(SET_ASIDE,),
)
DEPENDENCY = Dependency(
    purl="pkg:npm/left-pad@1.1.0",
    name="left-pad",
    datafile_path="package.json",
    scope=DependencyScope.DEV,
    scope_as_written="devDependencies",
    is_direct=False,
    extracted_requirement="^1.1.0",
    resolved_version="1.1.0",
    for_package="pkg:npm/%40scope/app@1.0.0",
    resolved_package="pkg:npm/left-pad@1.1.0",
    license_spdx="WTFPL",
    license_source="lockfile",
    datafile_line=7,
    curation=CURATION,
)
TOOL = ToolInfo("0.1.0", "32.5.0", "3.26", "index-1")
SUMMARY = ScanSummary(
    files=10,
    files_scanned=8,
    files_skipped=1,
    files_with_errors=1,
    files_with_licenses=5,
    files_with_copyrights=4,
    license_counts={"MIT": 3, "Apache-2.0": 1},
    holder_counts={"Acme": 2},
    issue_counts={"binary": 1},
    elapsed_seconds=1.25,
    packages=2,
    dependencies=3,
    dependencies_unresolved=1,
    license_conflicts=1,
)
RESULT = ScanResult(
    tool=TOOL,
    root="/work/project",
    root_name="project",
    started_at="2026-01-01T00:00:00Z",
    finished_at="2026-01-01T00:00:01Z",
    options={"jobs": 2, "timeout": 120.0},
    summary=SUMMARY,
    files=(FILE, FileRecord("bin/tool", FileStatus.SKIPPED, 9)),
    packages=(PACKAGE,),
    dependencies=(DEPENDENCY,),
    schema_version="1.1.9",
    extra={"policy": {"verdict": "pass"}, "notes": [1, 2]},
)
#: One record of each class, every field away from its default.
RECORDS: list[Record] = [
    MATCH,
    DETECTION,
    COPYRIGHT,
    AUTHOR,
    ISSUE,
    CURATION,
    FILE,
    CONFLICT,
    SET_ASIDE,
    PACKAGE,
    DEPENDENCY,
    TOOL,
    SUMMARY,
    RESULT,
]


def _name(record: object) -> str:
    return type(record).__name__


def test_every_record_class_is_covered() -> None:
    from ospo_scan import model  # noqa: PLC0415

    classes = {
        c
        for c in vars(model).values()
        if isinstance(c, type) and issubclass(c, Record) and c is not Record
    }
    assert classes == {type(r) for r in RECORDS}


@pytest.mark.parametrize("record", RECORDS, ids=_name)
def test_samples_set_every_field_away_from_its_default(record: Record) -> None:
    assert dataclasses.is_dataclass(record)
    for f in dataclasses.fields(record):
        if f.default is not dataclasses.MISSING:
            assert getattr(record, f.name) != f.default, f.name
        elif f.default_factory is not dataclasses.MISSING:
            assert getattr(record, f.name) != f.default_factory(), f.name


@pytest.mark.parametrize("record", RECORDS, ids=_name)
def test_round_trip(record: Record) -> None:
    data = record.to_dict()
    again = type(record).from_dict(json.loads(json.dumps(data)))
    assert again == record
    assert json.dumps(again.to_dict()) == json.dumps(data)


@pytest.mark.parametrize(
    ("record", "keys"),
    [
        (MATCH, None),
        (DETECTION, None),
        (COPYRIGHT, None),
        (AUTHOR, None),
        (ISSUE, None),
        (FILE, {"holders": "authors"}),  # a derived key, and the key it comes before
        (CONFLICT, None),
        (SUMMARY, None),
        (DEPENDENCY, {"unresolved": None}),  # a derived key, last
    ],
    ids=_name,
)
def test_keys_follow_the_declaration(record: Record, keys: dict[str, str | None] | None) -> None:
    expected = [f.name for f in dataclasses.fields(record)]  # type: ignore[arg-type]
    for key, before in (keys or {}).items():
        expected.insert(expected.index(before) if before else len(expected), key)
    assert list(record.to_dict()) == expected


def test_keys_where_the_document_departs_from_the_declaration() -> None:
    assert list(PACKAGE.to_dict()) == [
        "purl",
        "type",
        "namespace",
        "name",
        *[f.name for f in dataclasses.fields(Package)][4:],
    ]
    assert TOOL.to_dict() == {
        "name": "ospo-scan",
        "version": "0.1.0",
        "scancode_toolkit_version": "32.5.0",
        "spdx_license_list_version": "3.26",
        "license_index": "index-1",
    }
    assert list(TOOL.to_dict()) == [
        "name",
        "version",
        "scancode_toolkit_version",
        "spdx_license_list_version",
        "license_index",
    ]
    document = RESULT.to_dict()
    assert list(document) == [
        "schema_version",
        "tool",
        "scan",
        "summary",
        "files",
        "packages",
        "dependencies",
        "policy",
        "notes",
    ]
    assert document["scan"] == {
        "root": "/work/project",
        "root_name": "project",
        "started_at": "2026-01-01T00:00:00Z",
        "finished_at": "2026-01-01T00:00:01Z",
        "options": {"jobs": 2, "timeout": 120.0},
    }
    assert list(document["scan"]) == ["root", "root_name", "started_at", "finished_at", "options"]


def test_values_are_plain_data() -> None:
    data = FILE.to_dict()
    assert data["status"] == "error"
    assert type(data["status"]) is str
    assert data["license_detections"][0]["kind"] == "notice"
    assert data["license_detections"][0]["matches"][1]["kind"] == "text"
    assert data["license_detections"][0]["detection_log"] == ["imperfect-match-coverage"]
    assert data["copyrights"][0]["holders"] == ["Acme", "Foo"]
    assert data["holders"] == ["Acme", "Foo", "Bar"]
    assert data["issues"] == [{"kind": "undecodable", "message": "not UTF-8: read as latin-1"}]
    bare = FileRecord("x", FileStatus.SKIPPED, 0).to_dict()
    assert bare["sha1"] is None
    assert bare["license_detections"] == []
    assert DEPENDENCY.to_dict()["unresolved"] is False
    assert Dependency("p", "n", "f").to_dict()["unresolved"] is True
    assert PACKAGE.to_dict()["conflict"] == {
        "declared": "MIT",
        "detected": "Apache-2.0",
        "license_files": ["LICENSE", "COPYING"],
    }
    assert Package("p", "npm", "n").to_dict()["conflict"] is None
    summary = SUMMARY.to_dict()
    assert type(summary["license_counts"]) is dict
    assert summary["license_counts"] is not SUMMARY.license_counts


def test_derived_values_are_not_read_back() -> None:
    data = FILE.to_dict() | {"holders": ["Someone else"]}
    assert FileRecord.from_dict(data).holders == ("Acme", "Foo", "Bar")
    assert Dependency.from_dict(DEPENDENCY.to_dict() | {"unresolved": True}) == DEPENDENCY
    assert ToolInfo.from_dict(TOOL.to_dict() | {"name": "other"}) == TOOL


def test_reading_converts_numbers_and_flags() -> None:
    data = MATCH.to_dict() | {"score": 98, "start_line": "3", "is_license_intro": 1}
    match = LicenseMatch.from_dict(data)
    assert type(match.score) is float
    assert match.start_line == 3
    assert match.is_license_intro is True
    assert isinstance(match.referenced_filenames, tuple)


def test_documents_before_1_2_0_load_with_the_defaults() -> None:
    match = MATCH.to_dict()
    del match["referenced_filenames"], match["is_license_intro"]
    detection = DETECTION.to_dict()
    del detection["detection_log"], detection["followed_files"]
    detection["matches"] = [match]
    file = {"path": "a.py", "status": "scanned", "size": 1, "license_detections": [detection]}
    summary = SUMMARY.to_dict()
    for key in ("packages", "dependencies", "dependencies_unresolved", "license_conflicts"):
        del summary[key]  # added in 1.1.0
    document = RESULT.to_dict() | {"schema_version": "1.0.0", "summary": summary, "files": [file]}
    del document["packages"], document["dependencies"], document["policy"], document["notes"]

    result = ScanResult.from_dict(document)
    loaded = result.files[0].license_detections[0]
    assert loaded.detection_log == ()
    assert loaded.followed_files == ()
    assert loaded.matches[0].referenced_filenames == ()
    assert loaded.matches[0].is_license_intro is False
    assert loaded.matches[0] == dataclasses.replace(
        MATCH, referenced_filenames=(), is_license_intro=False
    )
    assert result.files[0] == FileRecord(
        "a.py", FileStatus.SCANNED, 1, license_detections=(loaded,)
    )
    assert result.summary == dataclasses.replace(
        SUMMARY, packages=0, dependencies=0, dependencies_unresolved=0, license_conflicts=0
    )
    assert (result.packages, result.dependencies, result.extra) == ((), (), {})
    assert result.schema_version == "1.0.0"
    assert Package.from_dict({"purl": "p", "type": "npm", "name": "n"}) == Package("p", "npm", "n")
    assert Dependency.from_dict({"purl": "p", "name": "n", "datafile_path": "f"}) == Dependency(
        "p", "n", "f"
    )


def test_an_empty_conflict_reads_as_none() -> None:
    for empty in (None, {}):
        assert Package.from_dict(PACKAGE.to_dict() | {"conflict": empty}).conflict is None


def _without(*path: str | int) -> Callable[[dict[str, Any]], None]:
    def damage(data: dict[str, Any]) -> None:
        target: Any = data
        for step in path[:-1]:
            target = target[step]
        del target[path[-1]]

    return damage


def _setting(value: Any, *path: str | int) -> Callable[[dict[str, Any]], None]:
    def damage(data: dict[str, Any]) -> None:
        target: Any = data
        for step in path[:-1]:
            target = target[step]
        target[path[-1]] = value

    return damage


@pytest.mark.parametrize(
    ("record", "damage", "error"),
    [
        (MATCH, _without("kind"), KeyError),
        (MATCH, _setting("vibes", "kind"), ValueError),
        (MATCH, _setting("many", "start_line"), ValueError),
        (MATCH, _setting(None, "score"), TypeError),
        (MATCH, _setting(None, "referenced_filenames"), TypeError),
        (DETECTION, _setting("x", "matches", 0), TypeError),
        (DETECTION, _without("matches", 0, "rule_identifier"), KeyError),
        (FILE, _without("path"), KeyError),
        (FILE, _setting("lost", "status"), ValueError),
        (FILE, _setting(None, "license_detections"), TypeError),
        (FILE, _setting([["a"]], "copyrights"), TypeError),
        (FILE, _setting(["x"], "issues"), TypeError),
        (FILE, _setting("nan%", "percentage_of_license_text"), ValueError),
        (PACKAGE, _setting(5, "conflict"), TypeError),
        (PACKAGE, _setting({"declared": "MIT"}, "conflict"), KeyError),
        (PACKAGE, _setting("maybe", "concluded_reason"), ValueError),
        (DEPENDENCY, _setting("later", "scope"), ValueError),
        (TOOL, _without("version"), KeyError),
        (SUMMARY, _setting([1], "license_counts"), TypeError),
        (RESULT, _without("schema_version"), KeyError),
        (RESULT, _without("scan", "root"), KeyError),
        (RESULT, _setting(None, "scan"), TypeError),
        (RESULT, _setting("x", "packages", 0), TypeError),
        (RESULT, _setting([1], "files"), TypeError),
    ],
)
def test_damaged_data_raises_what_the_callers_catch(
    record: Record, damage: Callable[[dict[str, Any]], None], error: type[Exception]
) -> None:
    data = copy.deepcopy(record.to_dict())
    damage(data)
    with pytest.raises(error):
        type(record).from_dict(data)


@pytest.mark.parametrize("data", [None, [], "text", 5, ["path"]])
def test_something_else_than_a_mapping_is_a_type_error(data: Any) -> None:
    for cls in {type(r) for r in RECORDS}:
        with pytest.raises(TypeError):
            cls.from_dict(data)


# Records of this module's own, for what the model does not use yet.


@dataclass(frozen=True, slots=True)
class _Extras(Record):
    counts: tuple[int, ...]
    maybe_count: float | None = None
    maybe_issue: FileIssue | None = field(default=None, metadata=io(key="issue"))
    tags: Mapping[str, Any] = field(default_factory=dict)
    nested: tuple[tuple[MatchKind, ...], ...] = ()

    @property
    @derived(before="counts")
    def total(self) -> float:
        return sum(self.counts) + (self.maybe_count or 0)


def test_conversions_the_model_does_not_use_yet() -> None:
    record = _Extras(
        (1, 2),
        0.5,
        ISSUE,
        {"a": 1},
        ((MatchKind.TAG,), (MatchKind.TEXT, MatchKind.NOTICE)),
    )
    data = record.to_dict()
    assert data == {
        "total": 3.5,
        "counts": [1, 2],
        "maybe_count": 0.5,
        "issue": {"kind": "undecodable", "message": "not UTF-8: read as latin-1"},
        "tags": {"a": 1},
        "nested": [["tag"], ["text", "notice"]],
    }
    assert _Extras.from_dict(data) == record
    assert _Extras.from_dict({"counts": ["1"], "maybe_count": None}) == _Extras((1,))
    assert _Extras.from_dict({"counts": [], "tags": {"b": 2}}).tags == {"b": 2}


def test_default_factories_give_a_fresh_value_each_time() -> None:
    first, second = _Extras.from_dict({"counts": []}), _Extras.from_dict({"counts": []})
    assert first.tags == second.tags == {}
    assert first.tags is not second.tags


@dataclass(frozen=True, slots=True)
class _Unsupported(Record):
    when: set[str]


@dataclass(frozen=True, slots=True)
class _Misplaced(Record):
    a: int = field(metadata=io(before="nowhere"))


@dataclass(frozen=True, slots=True)
class _Twice(Record):
    a: int = field(metadata=io(key="b"))
    b: int = 0


@pytest.mark.parametrize(
    ("cls", "message"),
    [
        (_Unsupported, "no conversion for"),
        (_Misplaced, "no top-level field 'nowhere'"),
        (_Twice, "written twice"),
    ],
)
def test_a_record_that_cannot_be_planned_says_why(cls: type[Record], message: str) -> None:
    with pytest.raises(TypeError, match=message):
        generated_source(cls)


def test_the_generated_code_reads_like_the_hand_written_one() -> None:
    source = generated_source(ToolInfo)
    assert "'name': self.name," in source
    assert "'version': self.ospo_scan_version," in source
    assert "= data['version']" in source


def test_a_result_written_today_says_so() -> None:
    document = dataclasses.replace(RESULT, schema_version=SCHEMA_VERSION).to_dict()
    assert document["schema_version"] == SCHEMA_VERSION
