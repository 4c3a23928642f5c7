# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""Walk a codebase: which paths a scan looks at, and which it records as skipped.

Rules, in order: version-control folders are never entered; ``--exclude`` globs drop paths;
the tree's own ``.gitignore`` files drop paths unless ``include_ignored``; symbolic links are
recorded and never followed (so a link out of the root or a link cycle cannot lead the scan
astray); FIFOs, sockets and devices are recorded and never opened.
"""

from __future__ import annotations

import enum
import os
import stat
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pathspec

#: Folders of version-control systems: metadata, never part of the code's licensing.
VCS_DIRS = frozenset({".git", ".hg", ".svn", ".bzr", "_darcs", "CVS", ".jj", ".pijul", ".fslckout"})


class EntryKind(str, enum.Enum):
    """What the walker found at a path."""

    FILE = "file"
    SYMLINK = "symlink"
    SPECIAL = "special"
    UNREADABLE_DIR = "unreadable_dir"


@dataclass(frozen=True, slots=True)
class Entry:
    """A path the scan must account for."""

    path: str  # relative to the root, POSIX separators
    location: str  # absolute file-system path
    kind: EntryKind
    size: int = 0
    detail: str = ""  # the link target, or the reason a folder could not be listed
    #: A regular file's device, inode, size, modification and change times: while these
    #: stay the same, so do its bytes (see ``tree_cache.tree_lookup``).
    stamp: str = ""
    changed_ns: int = 0  # the later of its modification and change times, in nanoseconds


@dataclass(frozen=True, slots=True)
class WalkOptions:
    """What to leave out of a walk."""

    include_ignored: bool = False
    excludes: tuple[str, ...] = ()


class _IgnoreRules:
    """The ``.gitignore`` files in force for one folder: its own and its ancestors'."""

    def __init__(self, layers: tuple[tuple[str, pathspec.GitIgnoreSpec], ...] = ()) -> None:
        self._layers = layers

    def with_file(self, folder: str, gitignore: Path) -> _IgnoreRules:
        """Add the patterns of ``gitignore``, which lives in ``folder`` (relative).

        Only a regular file is read: a ``.gitignore`` that is a link (perhaps out of the root)
        or a FIFO (which would block the walk) is left alone, like every other link or FIFO.
        """
        try:
            if not stat.S_ISREG(gitignore.lstat().st_mode):
                return self
            lines = gitignore.read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError:
            return self
        import pathspec  # noqa: PLC0415 -- only a tree with a .gitignore needs it

        spec = pathspec.GitIgnoreSpec.from_lines(lines)
        return _IgnoreRules((*self._layers, (folder, spec)))

    def ignores(self, path: str, *, is_dir: bool) -> bool:
        """True when git would ignore ``path``: the deepest file with a matching line decides."""
        decision: bool | None = None
        for folder, spec in self._layers:
            sub = path[len(folder) + 1 :] if folder else path
            result = spec.check_file(sub + "/" if is_dir else sub)
            if result.include is not None:
                decision = result.include
        return bool(decision)


def _exclude_spec(globs: Sequence[str]) -> pathspec.GitIgnoreSpec | None:
    if not globs:
        return None
    import pathspec  # noqa: PLC0415 -- only --exclude needs it

    return pathspec.GitIgnoreSpec.from_lines(globs)


def walk(root: Path, options: WalkOptions = WalkOptions()) -> Iterator[Entry]:
    """Yield every path under ``root`` that a scan must account for, in sorted order.

    ``root`` may be a single file, which is then the only entry (with its name as path).
    """
    root = Path(os.path.abspath(root))  # noqa: PTH100 -- keep symlinks in the root as given
    excludes = _exclude_spec(options.excludes)
    if not root.is_dir():
        yield from _entries_for(root.parent, [root.name], "", _IgnoreRules(), excludes, options)
        return
    yield from _walk_dir(root, "", _IgnoreRules(), excludes, options)


def _walk_dir(
    location: Path,
    rel: str,
    rules: _IgnoreRules,
    excludes: pathspec.GitIgnoreSpec | None,
    options: WalkOptions,
) -> Iterator[Entry]:
    try:
        names = sorted(os.listdir(location))  # noqa: PTH208 -- names only, no stat per entry
    except OSError as exc:
        yield Entry(
            path=rel or ".",
            location=str(location),
            kind=EntryKind.UNREADABLE_DIR,
            detail=exc.strerror or str(exc),
        )
        return
    if not options.include_ignored and ".gitignore" in names:
        rules = rules.with_file(rel, location / ".gitignore")
    yield from _entries_for(location, names, rel, rules, excludes, options)


def _entries_for(
    location: Path,
    names: list[str],
    rel: str,
    rules: _IgnoreRules,
    excludes: pathspec.GitIgnoreSpec | None,
    options: WalkOptions,
) -> Iterator[Entry]:
    for name in names:
        child = location / name
        child_rel = f"{rel}/{name}" if rel else name
        try:
            st = child.lstat()
        except OSError as exc:
            yield Entry(child_rel, str(child), EntryKind.SPECIAL, detail=exc.strerror or str(exc))
            continue
        is_dir = stat.S_ISDIR(st.st_mode)
        if is_dir and name in VCS_DIRS:
            continue
        probe = child_rel + "/" if is_dir else child_rel
        if excludes is not None and excludes.match_file(probe):
            continue
        if not options.include_ignored and rules.ignores(child_rel, is_dir=is_dir):
            continue
        if stat.S_ISLNK(st.st_mode):
            try:
                target = os.readlink(child)  # noqa: PTH115 -- a str, as stored
            except OSError as exc:
                target = f"<unreadable link: {exc.strerror or exc}>"
            yield Entry(child_rel, str(child), EntryKind.SYMLINK, detail=target)
        elif is_dir:
            yield from _walk_dir(child, child_rel, rules, excludes, options)
        elif stat.S_ISREG(st.st_mode):
            yield Entry(
                child_rel,
                str(child),
                EntryKind.FILE,
                size=st.st_size,
                stamp=f"{st.st_dev}:{st.st_ino}:{st.st_size}:{st.st_mtime_ns}:{st.st_ctime_ns}",
                changed_ns=max(st.st_mtime_ns, st.st_ctime_ns),
            )
        else:
            yield Entry(child_rel, str(child), EntryKind.SPECIAL, detail=_special_kind(st.st_mode))


def _special_kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "named pipe"
    if stat.S_ISSOCK(mode):
        return "socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "device"
    return "special file"
