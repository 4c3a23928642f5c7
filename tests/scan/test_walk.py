# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""The walker: .gitignore, excludes, version-control folders and symbolic links."""

from __future__ import annotations

import os
from pathlib import Path

from ospo_scan.scan.walk import EntryKind, WalkOptions, walk


def paths(root: Path, **options: object) -> dict[str, EntryKind]:
    return {e.path: e.kind for e in walk(root, WalkOptions(**options))}  # type: ignore[arg-type]


def test_gitignore_is_honoured_by_default(fake_repo: Path) -> None:
    found = paths(fake_repo)
    assert "src/lib.py" in found
    assert "generated/bundle.js" not in found
    assert "debug.log" not in found


def test_include_ignored_scans_everything(fake_repo: Path) -> None:
    found = paths(fake_repo, include_ignored=True)
    assert found["generated/bundle.js"] is EntryKind.FILE
    assert found["debug.log"] is EntryKind.FILE


def test_nested_gitignore_and_negation(tmp_path: Path) -> None:
    (tmp_path / ".gitignore").write_text("*.txt\n")
    sub = tmp_path / "sub"
    sub.mkdir()
    (sub / ".gitignore").write_text("!keep.txt\nlocal/\n")
    for name in ("a.txt", "sub/keep.txt", "sub/drop.txt", "sub/local/x.py", "other/local/y.py"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x")
    found = paths(tmp_path)
    assert "a.txt" not in found
    assert "sub/drop.txt" not in found
    assert "sub/keep.txt" in found  # the deeper file re-includes it
    assert "sub/local/x.py" not in found
    assert "other/local/y.py" in found  # sub/.gitignore applies only below sub/


def test_excludes_use_gitignore_globs(fake_repo: Path) -> None:
    found = paths(fake_repo, excludes=("vendor/", "*.png", "src/**/page.py"))
    assert not any(p.startswith("vendor/") for p in found)
    assert "data/logo.png" not in found
    assert "src/[id]/page.py" not in found
    assert "src/lib.py" in found


def test_vcs_folders_are_never_entered(fake_repo: Path) -> None:
    assert not any(p.startswith(".git/") for p in paths(fake_repo, include_ignored=True))


def test_symlinks_are_recorded_not_followed(fake_repo: Path) -> None:
    found = paths(fake_repo)
    assert found["links/loop"] is EntryKind.SYMLINK
    assert found["links/outside"] is EntryKind.SYMLINK
    assert found["links/license"] is EntryKind.SYMLINK
    # nothing from /etc, and the cycle was not entered
    assert not any(p.startswith(("links/outside/", "links/loop/")) for p in found)


def test_walk_is_sorted_and_relative(fake_repo: Path) -> None:
    entries = list(walk(fake_repo))
    rels = [e.path for e in entries]
    assert all(not Path(p).is_absolute() and "\\" not in p for p in rels)
    assert entries[0].path == ".gitignore"


def test_single_file_root(fake_repo: Path) -> None:
    entries = list(walk(fake_repo / "src" / "lib.py"))
    assert [(e.path, e.kind) for e in entries] == [("lib.py", EntryKind.FILE)]


def test_special_files_are_recorded(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe")
    found = list(walk(tmp_path))
    assert [(e.path, e.kind, e.detail) for e in found] == [
        ("pipe", EntryKind.SPECIAL, "named pipe")
    ]


def test_a_gitignore_that_is_a_link_or_a_fifo_is_not_read(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.write_text("secret.txt\n")
    linked = tmp_path / "linked"
    linked.mkdir()
    (linked / ".gitignore").symlink_to(outside)  # patterns from out of the root
    (linked / "secret.txt").write_text("x")
    piped = tmp_path / "piped"
    piped.mkdir()
    os.mkfifo(piped / ".gitignore")  # opening it would block the walk
    (piped / "kept.txt").write_text("x")
    found = paths(tmp_path)
    assert "linked/secret.txt" in found
    assert found["linked/.gitignore"] is EntryKind.SYMLINK
    assert "piped/kept.txt" in found
