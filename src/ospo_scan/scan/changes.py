# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""What a change touched: the files changed since the merge base with a git ref.

``check --changed-since REF`` judges only what a change touched: the files that differ from
the merge base of ``REF`` and ``HEAD`` (committed, staged, unstaged, and new untracked files
that are not ignored), the packages whose manifests, lockfiles or license files are among
them, and the dependencies those declare. The tree is still scanned whole (the findings cache
makes unchanged files free), so packages are assembled as in any scan; only the judging is
restricted.

git is only read, and run so that a repository cannot make it run anything: no optional
locks (``git diff`` would otherwise refresh the index), no external diff or textconv
drivers, no fsmonitor hook, no pager, no prompt.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from ospo_scan.errors import GitError
from ospo_scan.model import ScanResult

#: Options that keep a repository's own configuration from running a program.
_SAFE = ("-c", "core.fsmonitor=false", "-c", "core.hooksPath=/dev/null", "--no-pager")


@dataclass(frozen=True, slots=True)
class ChangeSet:
    """The files a change touched, relative to the scanned folder."""

    ref: str
    base: str  # the merge base's commit id
    changed: frozenset[str]  # added or modified: they are in the tree
    deleted: frozenset[str]  # gone from the tree since the merge base

    @property
    def touched(self) -> frozenset[str]:
        """Changed or deleted."""
        return self.changed | self.deleted

    def describe(self) -> str:
        """A few words for the report: what was judged."""
        count = len(self.touched)
        return (
            f"changes since {self.ref} (merge base {self.base[:12]}): "
            f"{count} file{'s' * (count != 1)}"
        )


def changed_since(tree: Path, ref: str) -> ChangeSet:
    """The files under ``tree`` that differ from the merge base of ``ref`` and ``HEAD``."""
    if shutil.which("git") is None:
        raise GitError("--changed-since needs git, which is not installed")
    top = Path(_git(tree, "rev-parse", "--show-toplevel").rstrip("\n"))
    prefix = _git(tree, "rev-parse", "--show-prefix").rstrip("\n")
    commit = _git(top, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}")
    if not commit.strip():
        raise GitError(f"--changed-since {ref}: no such commit, branch or tag in {top}")
    base = _git(top, "merge-base", commit.strip(), "HEAD").strip()
    if not base:
        raise GitError(f"--changed-since {ref}: it has no merge base with HEAD")
    status = _git(
        top, "diff", "--name-status", "-z", "--no-renames", "--no-ext-diff", "--no-textconv",
        base, "--",
    )  # fmt: skip
    changed: set[str] = set()
    deleted: set[str] = set()
    fields = status.split("\0")
    for kind, path in zip(fields[::2], fields[1::2], strict=False):
        (deleted if kind.startswith("D") else changed).add(path)
    untracked = _git(top, "ls-files", "--others", "--exclude-standard", "-z", "--", ".")
    changed.update(p for p in untracked.split("\0") if p)
    return ChangeSet(ref, base, _under(changed, prefix), _under(deleted, prefix))


def _under(paths: set[str], prefix: str) -> frozenset[str]:
    """``paths`` (relative to the repository) that lie under ``prefix``, relative to it."""
    return frozenset(p[len(prefix) :] for p in paths if p.startswith(prefix) and p != prefix)


def _git(cwd: Path, *args: str) -> str:
    env = {
        **os.environ,
        "GIT_OPTIONAL_LOCKS": "0",
        "GIT_TERMINAL_PROMPT": "0",
        "LC_ALL": "C",
    }
    try:
        done = subprocess.run(
            ["git", *_SAFE, *args],
            cwd=cwd,
            env=env,
            capture_output=True,
            check=False,
            timeout=120,
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        raise GitError(f"--changed-since: git {args[0]} failed in {cwd}: {error}") from None
    if done.returncode != 0 and args[:2] != ("rev-parse", "--verify"):
        message = os.fsdecode(done.stderr).strip().splitlines()
        reason = message[-1] if message else f"exit {done.returncode}"
        raise GitError(f"--changed-since: git {args[0]} failed in {cwd}: {reason}")
    return os.fsdecode(done.stdout)


def touched_part(result: ScanResult, changes: ChangeSet) -> ScanResult:
    """The part of ``result`` that ``changes`` touched, for ``check`` to judge.

    Files: those changed. Packages: those with a manifest, lockfile or license file among the
    changed or deleted files. Dependencies: those declared in a changed file, or by a touched
    package.
    """
    touched = changes.touched
    files = tuple(f for f in result.files if f.path in changes.changed)
    packages = tuple(
        p for p in result.packages if _any_in((*p.datafile_paths, *p.license_files), touched)
    )
    purls = {p.purl for p in packages}
    dependencies = tuple(
        d
        for d in result.dependencies
        if d.datafile_path in touched
        or (d.license_source is not None and d.license_source in touched)
        or (d.for_package is not None and d.for_package in purls)
    )
    return replace(result, files=files, packages=packages, dependencies=dependencies)


def _any_in(paths: Sequence[str], touched: frozenset[str]) -> bool:
    return any(p in touched for p in paths)
