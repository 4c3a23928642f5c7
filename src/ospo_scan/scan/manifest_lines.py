# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""The line of a manifest or lockfile that names each package and dependency.

ScanCode's package data carries no line numbers, and a report (SARIF, GitLab Code Quality)
that points a reviewer at ``package.json`` should point at the line of ``"left-pad"``. So
after assembly each datafile is read once more and the first line that names the package
or dependency as a whole word is taken: ``"left-pad": "^1.0"`` in package.json,
``left-pad@^1.0:`` in yarn.lock, ``requests>=2`` in requirements.txt, ``name = "requests"``
in poetry.lock. It is a pointer for a person, not a parse: a name found nowhere (a
dependency that a lockfile lists only under another spelling) gets no line, never a guess.

The files are the scanned tree's own datafiles, read as the walk found them: regular files
only (a symbolic link or a FIFO swapped in since is not opened, never blocks), at most
:data:`MAX_BYTES` each, as text with undecodable bytes replaced.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

from ospo_scan.model import Dependency, Package
from ospo_scan.scan import long_paths

#: Datafiles larger than this are not searched (their findings keep no line).
MAX_BYTES = 64 * 1024 * 1024

#: What may not stand right before or after a name: it would make it part of a longer one.
_NAME_CHARS = r"A-Za-z0-9_.\-/"


def with_lines(
    root: Path, packages: Iterable[Package], dependencies: Iterable[Dependency]
) -> tuple[tuple[Package, ...], tuple[Dependency, ...]]:
    """``packages`` and ``dependencies`` with ``datafile_line`` set where a line names them."""
    texts = _Texts(root)
    found_packages = tuple(
        replace(p, datafile_line=texts.line_of(p.datafile_paths[0], _names(p.name, p.namespace)))
        if p.datafile_paths
        else p
        for p in packages
    )
    found_dependencies = tuple(
        replace(d, datafile_line=texts.line_of(d.datafile_path, _names(d.name)))
        for d in dependencies
    )
    return found_packages, found_dependencies


def _names(name: str, namespace: str | None = None) -> tuple[str, ...]:
    """The spellings to look for, most specific first."""
    spellings: list[str] = []
    if namespace:
        spellings.append(f"{namespace}/{name}")  # @types/node
    spellings.append(name)
    if "/" in name:
        spellings.append(name.rsplit("/", 1)[1])  # a Maven artifact or Go module's last part
    return tuple(dict.fromkeys(s for s in spellings if s))


class _Texts:
    """The datafiles' lines, each file read at most once and indexed once.

    A lockfile names 100,000 packages on as many lines: each name is looked up in an index
    of the file's words (its maximal runs of name characters, compared as :func:`_spelling`
    compares them), never by searching the lines once per name.
    """

    def __init__(self, root: Path) -> None:
        self._root = root
        self._files: dict[str, _Index | None] = {}

    def line_of(self, path: str, names: tuple[str, ...]) -> int | None:
        """The first line (1-based) of ``path`` that names one of ``names`` as a whole word."""
        if not path:
            return None
        if path not in self._files:
            lines = _read_lines(self._root / path)
            self._files[path] = _Index(lines) if lines else None
        index = self._files[path]
        return index.line_of(names) if index is not None else None


class _Index:
    """Where each word of one file first stands: as a key (quoted, or first on its line),
    and anywhere."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        self.as_key: dict[str, int] = {}
        self.anywhere: dict[str, int] = {}
        for number, line in enumerate(lines, start=1):
            for match in _WORD.finditer(line):
                word = _normal(match.group())
                self.anywhere.setdefault(word, number)
                start = match.start()
                if line[start - 1 : start] in ('"', "'") or not line[:start].strip():
                    self.as_key.setdefault(word, number)

    def line_of(self, names: tuple[str, ...]) -> int | None:
        # First as a key or a requirement (quoted, or first on its line), then anywhere: a
        # description that mentions "express" must not win over the "express" dependency.
        for lead, table in ((_KEY_LEAD, self.as_key), (_ANY_LEAD, self.anywhere)):
            for name in names:
                if _WORD.fullmatch(name):
                    found = table.get(_normal(name))
                    if found is not None:
                        return found
                elif len(self.lines) <= _MAX_SCANNED_LINES:
                    found = _scan(self.lines, lead, name)
                    if found is not None:
                        return found
        return None


#: A word: a maximal run of the characters a name is made of (see ``_NAME_CHARS``).
_WORD = re.compile(rf"[{_NAME_CHARS}]+")
_KEY_LEAD = r"(?:^\s*|[\"'])"
_ANY_LEAD = rf"(?<![{_NAME_CHARS}])"
#: A name with other characters (an npm scope's "@") is searched line by line, in files up
#: to this long only: in a lockfile of 100,000 lines that would cost minutes.
_MAX_SCANNED_LINES = 5_000


def _normal(word: str) -> str:
    """``word`` as :func:`_spelling` compares it: any case, "-", "_" and "." alike."""
    return re.sub(r"[-_.]", "-", word.lower())


def _scan(lines: list[str], lead: str, name: str) -> int | None:
    pattern = re.compile(rf"{lead}{_spelling(name)}(?![{_NAME_CHARS}])", re.IGNORECASE)
    for number, line in enumerate(lines, start=1):
        if pattern.search(line):
            return number
    return None


def _spelling(name: str) -> str:
    # Python names compare with "-", "_" and "." alike (PEP 503): Flask_Login is flask-login.
    return "[-_.]".join(re.escape(part) for part in re.split(r"[-_.]", name))


def _read_lines(location: Path) -> list[str] | None:
    """The text of a regular file as lines, or ``None`` when it cannot or should not be read."""
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        # A datafile past PATH_MAX is reached by a short way (see long_paths).
        with long_paths.short_location(str(location)) as short:
            fd = os.open(short, flags)
    except OSError:
        return None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_BYTES:
            return None
        with os.fdopen(fd, "rb", closefd=False) as handle:
            data = handle.read(MAX_BYTES + 1)
    except OSError:
        return None
    finally:
        os.close(fd)
    return data.decode("utf-8", "replace").splitlines()
