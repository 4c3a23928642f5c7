# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""What is installed of ScanCode: its version and where its license index is, read without
importing it (:mod:`.index` and :mod:`.index_cache` build on these)."""

from __future__ import annotations

import functools
import os
import sys

#: The engine's distributions: scancode-toolkit, or on linux/aarch64 scancode-toolkit-mini
#: (the same code and license data, without the bundled native helpers; see pyproject.toml).
_DISTRIBUTION_PREFIXES = ("scancode_toolkit-", "scancode_toolkit_mini-")


@functools.cache
def scancode_version() -> str:
    """The installed scancode-toolkit version, read without importing it.

    The name of its ``.dist-info`` folder says it; ``importlib.metadata`` (which reads the
    same folder, but takes longer to import than a warm re-scan takes to look its tree up)
    is the fallback.
    """
    for folder in sys.path:
        try:
            names = os.listdir(folder or ".")  # noqa: PTH208
        except OSError:
            continue
        for name in names:
            for prefix in _DISTRIBUTION_PREFIXES:
                if name.startswith(prefix) and name.endswith(".dist-info"):
                    return name[len(prefix) : -len(".dist-info")]
    import importlib.metadata

    for distribution in ("scancode-toolkit", "scancode-toolkit-mini"):
        try:
            return importlib.metadata.version(distribution)
        except importlib.metadata.PackageNotFoundError:  # pragma: no cover - broken install
            continue
    return "unknown"  # pragma: no cover - broken install


def index_stamp() -> str | None:
    """A cheap fingerprint of the license index file on disk (None if it is not built yet).

    The same stamp means the same index file, hence the same :func:`license_index_identity`.
    """
    from pathlib import Path

    folder = license_cache_dir()
    if folder is None:
        return None
    path = Path(folder) / "license_index" / "index_cache"
    try:
        stat = path.stat()
    except OSError:
        return None
    return f"{scancode_version()}:{path}:{stat.st_size}:{stat.st_mtime_ns}"


def license_cache_dir() -> str | None:
    """``scancode_config.licensedcode_cache_dir``, found without importing ``scancode_config``.

    Importing it costs a warm re-scan 36 ms and a new temporary folder (it makes one on
    import). Its rule: ``$SCANCODE_LICENSE_INDEX_CACHE``, else ``licensedcode/data/cache``
    beside ``scancode_config.py``.
    """
    loaded = sys.modules.get("scancode_config")
    if loaded is not None:
        return str(loaded.licensedcode_cache_dir)
    explicit = os.environ.get("SCANCODE_LICENSE_INDEX_CACHE")
    if explicit:
        return explicit
    source = _scancode_config_source()
    if source is None:
        return None
    return os.path.join(os.path.dirname(source), "licensedcode", "data", "cache")  # noqa: PTH118, PTH120


def _scancode_config_source() -> str | None:
    """Where ``scancode_config.py`` is, found without importing it."""
    import importlib.util

    spec = importlib.util.find_spec("scancode_config")
    return spec.origin if spec is not None and spec.origin else None
