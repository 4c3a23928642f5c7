# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""Walk a codebase: which paths a scan looks at, and which it records as skipped.

Rules, in order: version-control folders are never entered; ``--exclude`` globs drop paths;
the tree's own ``.gitignore`` files drop paths unless ``include_ignored``; symbolic links are
recorded and never followed (so a link out of the root or a link cycle cannot lead the scan
astray); FIFOs, sockets and devices are recorded and never opened.

Each folder is opened by its name relative to the folder above (``O_NOFOLLOW``: a link put
in its place meanwhile is refused) and looked at through that descriptor, so the depth of
the tree and the length of its paths have no limit. A handful of descriptors are open at a
time, whatever the depth.
"""

from __future__ import annotations

import contextlib
import enum
import errno
import os
import re
import stat
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ospo_scan.scan import long_paths

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
    #: A path that could not even be looked at (a folder that may be listed but not
    #: searched): an error, never a silent skip.
    UNREADABLE = "unreadable"


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

    def with_lines(self, folder: str, lines: list[str]) -> _IgnoreRules:
        """Add the patterns of the ``.gitignore`` ``lines`` of ``folder`` (relative)."""
        spec = _compile(lines)
        if spec is None:
            return self
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


def glob_error(pattern: str) -> str | None:
    """Why ``pattern`` is no .gitignore-style glob git could use; ``None`` when it is one.

    Unlike a ``.gitignore`` line (skipped, as git skips it), an ``--exclude`` is the user's own
    word: one that excludes nothing because it cannot be read is refused, not ignored.
    """
    import pathspec  # noqa: PLC0415 -- see _compile

    try:
        pathspec.GitIgnoreSpec.from_lines([normalise_pattern(pattern)])
    except ValueError as error:
        return str(error) or "not a valid pattern"
    return None


def excluded(path: str, globs: Sequence[str]) -> bool:
    """Whether ``--exclude`` ``globs`` leave out ``path`` (relative, POSIX) or a folder above it."""
    spec = _exclude_spec(globs)
    if spec is None:
        return False
    parts = path.split("/")
    prefixes = ["/".join(parts[:n]) + "/" for n in range(1, len(parts))]
    return any(spec.match_file(p) for p in [*prefixes, path])


def _exclude_spec(globs: Sequence[str]) -> pathspec.GitIgnoreSpec | None:
    return _compile(globs) if globs else None


def _compile(lines: Iterable[str]) -> pathspec.GitIgnoreSpec | None:
    """The spec of the valid lines of a ``.gitignore`` (or of ``--exclude`` globs).

    A line git cannot use (a lone ``!``, a trailing ``\\``) is skipped, as git skips it,
    instead of failing the whole scan. Runs of stars are shortened first (see
    :func:`normalise_pattern`), which bounds the time a hostile pattern costs.
    """
    import pathspec  # noqa: PLC0415 -- only a tree with a .gitignore or --exclude needs it

    valid: list[str] = []
    for line in lines:
        pattern = normalise_pattern(line)
        try:
            pathspec.GitIgnoreSpec.from_lines([pattern])
        except ValueError:  # GitIgnorePatternError: git ignores such a line, so do we
            continue
        valid.append(pattern)
    return pathspec.GitIgnoreSpec.from_lines(valid) if valid else None


#: Two or more ``**`` segments in a row: as a path prefix, each matches any number of folders,
#: so a run of them matches exactly what one does.
_DOUBLE_STAR_RUN = re.compile(r"(?:(?<=/)|^)\*\*(?:/\*\*)+(?=/|$)")


def normalise_pattern(line: str) -> str:
    """``line`` with every run of unescaped stars shortened to what git reads it as.

    In git's wildmatch a run of stars is one ``*`` inside a segment and ``**`` when it is a
    whole segment; consecutive ``**`` segments match what one matches. pathspec instead turns
    each star into its own regular-expression loop, so ``**/****/****/...`` costs time
    exponential in its length on a deep path (minutes on a tree 40 folders deep).
    """
    out: list[str] = []
    i, n = 0, len(line)
    while i < n:
        char = line[i]
        if char == "\\":
            out.append(line[i : i + 2])  # an escaped character, kept as it is
            i += 2
            continue
        if char != "*":
            out.append(char)
            i += 1
            continue
        end = i
        while end < n and line[end] == "*":
            end += 1
        whole_segment = (i == 0 or line[i - 1] == "/") and (end == n or line[end] == "/")
        out.append("**" if end - i > 1 and whole_segment else "*")
        i = end
    return _DOUBLE_STAR_RUN.sub("**", "".join(out))


def walk(root: Path, options: WalkOptions = WalkOptions()) -> Iterator[Entry]:
    """Yield every path under ``root`` that a scan must account for, in sorted order.

    ``root`` may be a single file, which is then the only entry (with its name as path).
    """
    root = Path(os.path.abspath(root))  # noqa: PTH100 -- keep symlinks in the root as given
    excludes = _exclude_spec(options.excludes)
    if not root.is_dir():
        try:  # only looked things up in, never listed: no read permission needed
            descriptor = os.open(root.parent, _LOOKUP_FLAGS)
        except OSError as exc:
            yield _unreadable(root.name, str(root), exc)
            return
        first: _Folder | Entry = _Folder(
            str(root.parent), "", _IgnoreRules(), [root.name], descriptor
        )
    else:
        # The root as given: a symbolic link to a folder is followed here, and only here.
        first = _open_folder(str(root), "", _IgnoreRules(), options, opener=None)
    yield from _walk_from(first, excludes, options)


def walk_selection(
    root: Path, paths: Sequence[str], options: WalkOptions = WalkOptions()
) -> Iterator[Entry]:
    """Yield the entries of the ``paths`` under ``root`` (relative, POSIX), in sorted order.

    Each path is a file, which is then the only entry for it, or a folder, walked as
    :func:`walk` walks one, with the ``.gitignore`` files of its parents under ``root`` in
    force. A named file is taken whatever the ``.gitignore`` files say (it was named), but
    ``--exclude`` still leaves it out. No symbolic link is followed on the way down: a path
    through a link is recorded as the link itself. Paths named twice, or inside a named
    folder, are listed once.
    """
    root = Path(os.path.abspath(root))  # noqa: PTH100 -- keep symlinks in the root as given
    excludes = _exclude_spec(options.excludes)
    if "" in paths:
        yield from walk(root, options)  # the root itself is named
        return
    seen: set[str] = set()
    for rel in sorted(set(paths)):
        for entry in _selected(root, rel, excludes, options):
            if entry.path not in seen:
                seen.add(entry.path)
                yield entry


def _selected(
    root: Path, rel: str, excludes: pathspec.GitIgnoreSpec | None, options: WalkOptions
) -> Iterator[Entry]:
    """The entries of one named path: a link on its way, the file, or the folder's walk.

    Each folder on the way is opened from the one above it, never through a symbolic link,
    and its ``.gitignore`` read through that descriptor, as :func:`walk` does.
    """
    parts = rel.split("/")
    rules = _IgnoreRules()
    location, here = str(root), ""
    try:
        descriptor = os.open(location, _FOLDER_FLAGS)
    except OSError as exc:
        yield _unreadable_dir("", location, exc)
        return
    try:
        for depth, name in enumerate(parts):
            if name in VCS_DIRS:
                return
            if not options.include_ignored:
                rules = rules.with_lines(here, _read_gitignore(descriptor))
            child_rel = f"{here}/{name}" if here else name
            child = os.path.join(location, name)  # noqa: PTH118 -- a str, as stored
            try:
                st = os.stat(name, dir_fd=descriptor, follow_symlinks=False)
            except OSError as exc:
                yield _unreadable(child_rel, child, exc)
                return
            if not stat.S_ISDIR(st.st_mode):
                # The named file (taken whatever the .gitignore files say: it was named), or a
                # link or file on the way, recorded as it is: a link is never followed.
                named = _Folder(location, here, _IgnoreRules(), [], descriptor)
                found = _entry_for(named, name, excludes, options)
                if isinstance(found, Entry) and (
                    depth == len(parts) - 1 or found.kind is not EntryKind.FILE
                ):
                    yield found
                return
            if excludes is not None and excludes.match_file(child_rel + "/"):
                return
            try:
                below = os.open(name, _CHILD_FLAGS, dir_fd=descriptor)
            except OSError as exc:
                yield _unreadable_dir(child_rel, child, exc)
                return
            os.close(descriptor)
            descriptor, location, here = below, child, child_rel
    finally:
        os.close(descriptor)
    # The named folder, walked with the .gitignore files of its parents in force.
    yield from _walk_from(
        _open_folder(location, here, rules, options, opener=None), excludes, options
    )


def _walk_from(
    first: _Folder | Entry, excludes: pathspec.GitIgnoreSpec | None, options: WalkOptions
) -> Iterator[Entry]:
    """Depth first from one opened folder (see :func:`walk`); its descriptors closed at the end."""
    if isinstance(first, Entry):
        yield first
        return
    # An explicit stack of the folders being listed, not recursion: a tree thousands of
    # folders deep must not exhaust Python's call stack. Depth first, in sorted order.
    stack = [first]
    try:
        while stack:
            folder = stack[-1]
            if folder.next == len(folder.names):
                stack.pop()
                lost = _close(folder, stack[-1] if stack else None)
                if lost is not None:
                    yield lost
                continue
            name = folder.names[folder.next]
            folder.next += 1
            found = _entry_for(folder, name, excludes, options)
            if isinstance(found, _Folder):
                _set_aside(folder)
                stack.append(found)
            elif found is not None:
                yield found
    finally:
        for folder in stack:
            if folder.descriptor is not None:
                os.close(folder.descriptor)


#: Folders are opened relative to the one above, never through a symbolic link.
_FOLDER_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC
_CHILD_FLAGS = _FOLDER_FLAGS | os.O_NOFOLLOW
_LOOKUP_FLAGS = getattr(os, "O_PATH", os.O_RDONLY) | os.O_DIRECTORY | os.O_CLOEXEC
#: A ``.gitignore`` is read only when it is a regular file; opening a FIFO must not block.
_GITIGNORE_FLAGS = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC


@dataclass(slots=True)
class _Folder:
    """A folder being listed: where it is, the rules in force in it and the names left.

    Its entries are looked at through ``descriptor``, relative to the folder itself, so a
    path of any length works and no symbolic link on the way is followed. While one of its
    sub-folders is listed the descriptor is closed (a tree 10,000 folders deep would
    otherwise hold 10,000), and it is opened again through the sub-folder's ``..`` when
    names are left: ``identity`` makes sure that is still the same folder.
    """

    location: str
    rel: str
    rules: _IgnoreRules
    names: list[str]
    descriptor: int | None
    identity: tuple[int, int] = (0, 0)  # device and inode
    next: int = 0  # the index of the next name to look at


def _open_folder(
    location: str,
    rel: str,
    rules: _IgnoreRules,
    options: WalkOptions,
    *,
    opener: tuple[int, str] | None,
) -> _Folder | Entry:
    """The folder's names and rules, or the entry saying why it could not be listed.

    ``opener`` is the descriptor of the folder above and the folder's name in it, through
    which it is opened (a symbolic link put there since it was looked at is refused); None
    for the root, which is opened by its path as given.
    """
    try:
        if opener is None:
            descriptor = os.open(location, _FOLDER_FLAGS)
        else:
            descriptor = os.open(opener[1], _CHILD_FLAGS, dir_fd=opener[0])
    except OSError as exc:
        return _unreadable_dir(rel, location, exc)
    try:
        st = os.fstat(descriptor)
        names = sorted(os.listdir(descriptor))  # noqa: PTH208 -- a descriptor, not a path
    except OSError as exc:
        os.close(descriptor)
        return _unreadable_dir(rel, location, exc)
    if not options.include_ignored and ".gitignore" in names:
        rules = rules.with_lines(rel, _read_gitignore(descriptor))
    return _Folder(location, rel, rules, names, descriptor, (st.st_dev, st.st_ino))


def _read_gitignore(folder: int) -> list[str]:
    """The lines of the ``.gitignore`` in ``folder``; none unless it is a regular file.

    A ``.gitignore`` that is a link (perhaps out of the root) or a FIFO (which would block
    the walk) is left alone, like every other link or FIFO.
    """
    try:
        descriptor = os.open(".gitignore", _GITIGNORE_FLAGS, dir_fd=folder)
    except OSError:
        return []
    with os.fdopen(descriptor, "rb") as handle:
        try:
            if not stat.S_ISREG(os.fstat(descriptor).st_mode):
                return []
            data = handle.read()
        except OSError:
            return []
    return data.decode("utf-8", errors="replace").splitlines()


def _set_aside(folder: _Folder) -> None:
    """Close ``folder``'s descriptor while a sub-folder is listed (see :class:`_Folder`)."""
    if folder.descriptor is not None:
        os.close(folder.descriptor)
        folder.descriptor = None


def _close(done: _Folder, parent: _Folder | None) -> Entry | None:
    """Close the listed folder ``done`` and open its ``parent`` again, to go on there.

    Through ``done``'s ``..`` (a single step, whatever the depth), else by the parent's path;
    either way it must be the very folder that was listed. Returns the entry saying why the
    rest of ``parent`` cannot be listed, when it was moved or replaced meanwhile.
    """
    below = done.descriptor
    done.descriptor = None
    try:
        if parent is None or parent.descriptor is not None:
            return None
        if below is not None:
            with contextlib.suppress(OSError):
                parent.descriptor = _same_folder(
                    os.open("..", _CHILD_FLAGS, dir_fd=below), parent.identity
                )
        if parent.descriptor is None:
            try:
                parent.descriptor = _same_folder(
                    long_paths.open_folder(parent.location), parent.identity
                )
            except OSError as exc:
                if parent.next == len(parent.names):
                    return None  # nothing lost: its own parent is opened by path in turn
                parent.next = len(parent.names)  # nothing more can be looked at there
                return _unreadable_dir(parent.rel, parent.location, exc)
        return None
    finally:
        if below is not None:
            os.close(below)


def _same_folder(descriptor: int, identity: tuple[int, int]) -> int:
    """``descriptor``, when it is the folder of that device and inode; else it is closed."""
    try:
        st = os.fstat(descriptor)
        if (st.st_dev, st.st_ino) != identity:
            raise OSError(errno.ESTALE, "moved or replaced while the walk was in it")
    except OSError:
        os.close(descriptor)
        raise
    return descriptor


def _unreadable_dir(rel: str, location: str, exc: OSError) -> Entry:
    return Entry(
        path=rel or ".",
        location=location,
        kind=EntryKind.UNREADABLE_DIR,
        detail=exc.strerror or str(exc),
    )


def _unreadable(rel: str, location: str, exc: OSError) -> Entry:
    return Entry(rel, location, EntryKind.UNREADABLE, detail=exc.strerror or str(exc))


def _entry_for(
    folder: _Folder,
    name: str,
    excludes: pathspec.GitIgnoreSpec | None,
    options: WalkOptions,
) -> Entry | _Folder | None:
    """What ``name`` in ``folder`` is: an entry, a folder to list next, or None when left out."""
    child = os.path.join(folder.location, name)  # noqa: PTH118 -- a str, as stored
    child_rel = f"{folder.rel}/{name}" if folder.rel else name
    if folder.descriptor is None:  # the walk's own invariant: open while names are left
        raise AssertionError(f"{folder.rel or '.'} is listed without its descriptor")
    try:
        st = os.stat(name, dir_fd=folder.descriptor, follow_symlinks=False)
    except OSError as exc:
        return _unreadable(child_rel, child, exc)
    is_dir = stat.S_ISDIR(st.st_mode)
    if is_dir and name in VCS_DIRS:
        return None
    probe = child_rel + "/" if is_dir else child_rel
    if excludes is not None and excludes.match_file(probe):
        return None
    if not options.include_ignored and folder.rules.ignores(child_rel, is_dir=is_dir):
        return None
    if stat.S_ISLNK(st.st_mode):
        try:
            target = os.readlink(name, dir_fd=folder.descriptor)
        except OSError as exc:
            target = f"<unreadable link: {exc.strerror or exc}>"
        return Entry(child_rel, child, EntryKind.SYMLINK, detail=target)
    if is_dir:
        return _open_folder(
            child, child_rel, folder.rules, options, opener=(folder.descriptor, name)
        )
    if stat.S_ISREG(st.st_mode):
        return Entry(
            child_rel,
            child,
            EntryKind.FILE,
            size=st.st_size,
            stamp=f"{st.st_dev}:{st.st_ino}:{st.st_size}:{st.st_mtime_ns}:{st.st_ctime_ns}",
            changed_ns=max(st.st_mtime_ns, st.st_ctime_ns),
        )
    return Entry(child_rel, child, EntryKind.SPECIAL, detail=_special_kind(st.st_mode))


def _special_kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "named pipe"
    if stat.S_ISSOCK(mode):
        return "socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "device"
    return "special file"
