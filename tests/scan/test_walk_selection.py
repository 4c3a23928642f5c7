# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""The walk of named paths (``check FILE...``): links never followed, rules of the parents."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ospo_scan.cli._common import UsageFailure
from ospo_scan.cli._targets import resolve
from ospo_scan.document import looks_like_result, to_json
from ospo_scan.model import ScanResult
from ospo_scan.scan.walk import EntryKind, WalkOptions, walk, walk_selection


def selected(root: Path, *names: str, **options: object) -> dict[str, EntryKind]:
    walk_options = WalkOptions(**options)  # type: ignore[arg-type]
    return {e.path: e.kind for e in walk_selection(root, names, walk_options)}


def test_named_files_only_and_as_named(fake_repo: Path) -> None:
    found = selected(fake_repo, "src/lib.py", "LICENSE-MIT")
    assert found == {"LICENSE-MIT": EntryKind.FILE, "src/lib.py": EntryKind.FILE}


def test_a_named_file_is_taken_even_when_gitignored_but_not_when_excluded(
    fake_repo: Path,
) -> None:
    found = selected(fake_repo, "debug.log", "generated/bundle.js", "src/lib.py")
    assert set(found) == {"debug.log", "generated/bundle.js", "src/lib.py"}
    found = selected(fake_repo, "debug.log", "src/lib.py", excludes=("src/",))
    assert set(found) == {"debug.log"}


def test_a_named_folder_is_walked_with_the_rules_of_its_parents(tmp_path: Path) -> None:
    (tmp_path / ".gitignore").write_text("*.log\n", encoding="utf-8")
    (tmp_path / "sub" / "deep").mkdir(parents=True)
    (tmp_path / "sub" / ".gitignore").write_text("deep/\n", encoding="utf-8")
    for name in ("sub/a.py", "sub/b.log", "sub/deep/c.py", "top.py"):
        (tmp_path / name).write_text("x", encoding="utf-8")
    assert selected(tmp_path, "sub") == {
        "sub/.gitignore": EntryKind.FILE,
        "sub/a.py": EntryKind.FILE,
    }
    # The same folder as the whole walk sees it.
    whole = {e.path: e.kind for e in walk(tmp_path) if e.path.startswith("sub/")}
    assert selected(tmp_path, "sub") == whole
    # Named twice, or a file of a named folder named again: listed once.
    assert list(selected(tmp_path, "sub", "sub/a.py", "sub/a.py")) == ["sub/.gitignore", "sub/a.py"]


def test_links_are_recorded_never_followed(fake_repo: Path) -> None:
    found = selected(fake_repo, "links/outside", "links/license", "links/loop/src/lib.py")
    assert found == {
        "links/outside": EntryKind.SYMLINK,
        "links/license": EntryKind.SYMLINK,
        # A path through a link stops at the link: the file beyond it is never reached.
        "links/loop": EntryKind.SYMLINK,
    }


def test_special_files_and_version_control_folders(fake_repo: Path) -> None:
    os.mkfifo(fake_repo / "pipe")
    found = selected(fake_repo, "pipe", ".git/config", ".git")
    assert found == {"pipe": EntryKind.SPECIAL}


def test_the_root_named_walks_it_all(fake_repo: Path) -> None:
    assert selected(fake_repo, "", "src/lib.py") == {e.path: e.kind for e in walk(fake_repo)}


def test_targets_one_folder_one_result_or_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "a.py").write_text("x", encoding="utf-8")
    (tmp_path / "LICENSE").write_text("MIT", encoding="utf-8")
    assert resolve((Path("src"),)).paths is None
    files = resolve((Path("LICENSE"),))
    assert (files.root, files.paths, files.saved_result) == (tmp_path, ("LICENSE",), False)
    files = resolve((Path("src/a.py"), Path("./LICENSE"), Path("src/../LICENSE")))
    assert (files.root, files.paths) == (tmp_path, ("src/a.py", "LICENSE"))
    # Out of the current folder: their common folder is the root.
    monkeypatch.chdir(tmp_path / "src")
    files = resolve((Path("../LICENSE"), tmp_path / "src" / "a.py"))
    assert (files.root, files.paths) == (tmp_path, ("LICENSE", "src/a.py"))
    files = resolve((tmp_path / "LICENSE",))
    assert (files.root, files.paths) == (tmp_path, ("LICENSE",))
    monkeypatch.chdir(tmp_path)
    with pytest.raises(UsageFailure, match="no such file or folder: nope"):
        resolve((Path("nope"), tmp_path / "LICENSE"))


def test_a_dangling_link_is_a_path_that_exists(tmp_path: Path) -> None:
    (tmp_path / "dangling").symlink_to(tmp_path / "gone")
    files = resolve((tmp_path / "dangling",), cwd=tmp_path)
    assert files.paths == ("dangling",)
    assert selected(tmp_path, "dangling") == {"dangling": EntryKind.SYMLINK}


def test_a_result_document_is_told_apart_by_its_first_bytes(
    tmp_path: Path, fake_repo_result: ScanResult
) -> None:
    saved = tmp_path / "scan.json"
    saved.write_text(to_json(fake_repo_result), encoding="utf-8")
    assert looks_like_result(saved)
    assert resolve((saved,)).saved_result
    others = {
        "package.json": '{"name": "x", "schema_version": "1.2.0"}',
        "composer.json": '{\n  "name": "acme/x",\n  "license": "MIT"\n}\n',
        "junk.json": "{}",
        "LICENSE": "MIT License",
    }
    for name, text in others.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
        assert not looks_like_result(tmp_path / name), name
        assert resolve((tmp_path / name,)).paths == (name,)
    # Another version, or a broken one, is still a result: loading it says what is wrong.
    (tmp_path / "old.json").write_text('\ufeff {"schema_version": "0.1"}', encoding="utf-8")
    assert looks_like_result(tmp_path / "old.json")
    os.mkfifo(tmp_path / "fifo.json")
    assert not looks_like_result(tmp_path / "fifo.json")
