# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""What shapes a scan: its options and their defaults, the progress hook, the default jobs."""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Protocol

#: Files larger than this are recorded as skipped unless --max-file-size says otherwise.
#: Legal texts are small; files this large are data, bundles or generated code.
DEFAULT_MAX_FILE_SIZE = 10 * 1024 * 1024

#: Seconds a single file may take in detection before it is recorded as timed out.
DEFAULT_TIMEOUT = 120.0

#: Fewer contents than this to detect and the fast path's rule index is not worth building.
FAST_PATH_MIN_FILES = 50

#: Memory a ScanCode worker needs (the license index is about 1.4 GB per process).
WORKER_MEMORY = 1536 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class ScanOptions:
    """Everything that shapes a scan."""

    include_ignored: bool = False
    excludes: tuple[str, ...] = ()
    max_file_size: int = DEFAULT_MAX_FILE_SIZE
    jobs: int = 1
    timeout: float = DEFAULT_TIMEOUT
    licenses: bool = True
    copyrights: bool = True
    packages: bool = True  # parse manifests and lockfiles; conclude package licenses
    packages_only: bool = False  # only datafiles and the packages' license files
    #: The findings cache folder; None scans without a cache.
    cache_dir: str | None = None
    #: The fast path: ScanCode's matcher narrowed and its copyright detector memoised (same
    #: findings).
    prefilter: bool = True

    def record(self) -> dict[str, Any]:
        """The options as JSON data, for the result document."""
        data = asdict(self)
        data["excludes"] = list(self.excludes)
        # Where the cache lives does not change the findings.
        data.pop("cache_dir")
        return data

    def detection_key(self) -> dict[str, Any]:
        """The options that change a file's findings: part of the cache key."""
        return {
            "licenses": self.licenses,
            "copyrights": self.copyrights,
            "prefilter": self.prefilter,
        }


class Progress(Protocol):
    """Callbacks the core makes while it scans; the CLI attaches a progress bar."""

    def start(self, total: int) -> None:
        """The walk is done: ``total`` paths will be reported."""

    def advance(self, path: str) -> None:
        """One more path is done."""


class NullProgress:
    """A progress hook that does nothing: the default."""

    def start(self, total: int) -> None:
        """Ignore."""

    def advance(self, path: str) -> None:
        """Ignore."""


def default_jobs() -> int:
    """The CPUs this process may use, capped by the memory available for ScanCode workers."""
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        cpus = os.cpu_count() or 1
    available = _available_memory()
    if available is None:
        return max(1, cpus)
    return max(1, min(cpus, available // WORKER_MEMORY))


def _available_memory() -> int | None:
    try:
        with Path("/proc/meminfo").open(encoding="ascii") as meminfo:
            for line in meminfo:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        return None
    return None
