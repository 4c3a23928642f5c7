# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""The walker: .gitignore, excludes, version-control folders and symbolic links."""

from __future__ import annotations

import os
import time
from pathlib import Path

from ospo_scan.scan import long_paths
from ospo_scan.scan.walk import EntryKind, WalkOptions, normalise_pattern, walk
from scan_support import deep_tree, open_descriptors


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


def test_invalid_gitignore_lines_are_skipped_as_git_skips_them(tmp_path: Path) -> None:
    # A lone "!" and a trailing backslash are lines git cannot use: it ignores them, and the
    # valid lines around them still apply. pathspec raises on them, which aborted the scan.
    (tmp_path / ".gitignore").write_text("!\n\\\nfoo\\\n*.log\n")
    (tmp_path / "debug.log").write_text("x")
    (tmp_path / "main.py").write_text("x")
    assert paths(tmp_path) == {".gitignore": EntryKind.FILE, "main.py": EntryKind.FILE}
    assert paths(tmp_path, excludes=("!", "*.py")) == {".gitignore": EntryKind.FILE}


def test_runs_of_stars_mean_what_git_reads(tmp_path: Path) -> None:
    assert normalise_pattern("**/****/****/x") == "**/x"
    assert normalise_pattern("a/**/**/**") == "a/**"
    assert normalise_pattern("***.py") == "*.py"
    assert normalise_pattern("\\**x") == "\\**x"  # an escaped star stays a literal star
    (tmp_path / ".gitignore").write_text("****/****/gen\nsrc/a***b.py\n")
    for name in ("gen/1.js", "a/b/gen/2.js", "src/aXb.py", "src/a/b.py", "keep.py"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x")
    found = paths(tmp_path)
    assert "gen/1.js" not in found
    assert "a/b/gen/2.js" not in found
    assert "src/aXb.py" not in found
    assert "src/a/b.py" in found  # one star inside a segment never crosses a slash
    assert "keep.py" in found


def test_a_pathological_gitignore_pattern_costs_no_time(tmp_path: Path) -> None:
    # Before star runs were shortened, this pattern took 21 s on this 40-folder path (and
    # two more "****/" segments, over five minutes): pathspec backtracks once per star.
    (tmp_path / ".gitignore").write_text("**/" + "****/" * 10 + "x\n")
    deep = tmp_path.joinpath(*["d"] * 40)
    deep.mkdir(parents=True)
    (deep / "y.py").write_text("x")
    started = time.perf_counter()
    found = paths(tmp_path)
    assert time.perf_counter() - started < 2.0
    assert found["/".join(["d"] * 40) + "/y.py"] is EntryKind.FILE


def test_a_tree_ten_thousand_folders_deep_is_walked_to_the_bottom(tmp_path: Path) -> None:
    descriptors: list[int] = []
    with deep_tree(tmp_path, 10_000):
        before = open_descriptors()
        entries = []
        for entry in walk(tmp_path):
            descriptors.append(open_descriptors() - before)
            entries.append(entry)
        after = open_descriptors()
    # The bottom lies far beyond what the system can open by path (RecursionError at about
    # 500 levels before the walk used a stack, an unreadable error past PATH_MAX before it
    # went folder by folder through descriptors).
    (entry,) = entries
    assert entry.kind is EntryKind.FILE
    assert entry.path == "d/" * 10_000 + "bottom.py"
    assert entry.location == str(tmp_path) + "/d" * 10_000 + "/bottom.py"
    assert len(entry.location.encode()) >= 4096  # PATH_MAX counts the closing NUL
    assert descriptors == [1]  # the bottom folder's, not one per level
    assert after == before


def test_a_link_far_past_the_path_limit_is_recorded_not_followed(tmp_path: Path) -> None:
    with deep_tree(tmp_path, 3_000, files={"up": b""}):
        bottom = long_paths.open_folder(str(tmp_path) + "/d" * 3_000)
        try:
            os.unlink("up", dir_fd=bottom)
            os.symlink("/etc", "up", dir_fd=bottom)
        finally:
            os.close(bottom)
        found = list(walk(tmp_path))
    assert [(e.path, e.kind, e.detail) for e in found] == [
        ("d/" * 3_000 + "up", EntryKind.SYMLINK, "/etc")
    ]


def test_a_folder_moved_while_the_walk_is_below_it_is_an_error_not_a_detour(
    tmp_path: Path,
) -> None:
    # x/a is listed first; while the walk is in it, a is moved up to the root. Going on in
    # x through a's "..", which is now the root, would list the root's names as x's.
    for name in ("x/a/f.txt", "x/b.txt", "y.txt"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x")
    found = []
    for entry in walk(tmp_path):
        found.append((entry.path, entry.kind))
        if entry.path == "x/a/f.txt":
            (tmp_path / "x" / "a").rename(tmp_path / "moved")
            (tmp_path / "x").rename(tmp_path / "gone")
    assert found == [
        ("x/a/f.txt", EntryKind.FILE),
        ("x", EntryKind.UNREADABLE_DIR),
        ("y.txt", EntryKind.FILE),
    ]


def test_a_deep_tree_within_the_path_limit_is_walked_to_the_bottom(tmp_path: Path) -> None:
    bottom = "/".join(["d"] * 1_500) + "/bottom.py"
    with deep_tree(tmp_path, 1_500):  # deeper than Python's recursion limit, 3,001 bytes
        assert paths(tmp_path) == {bottom: EntryKind.FILE}
