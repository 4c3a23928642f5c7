# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""ScanCode's license index: its versions, loading it once per process, and its identity.

The license index takes seconds and about 1.4 GB to load; :func:`load_index` loads it once
per process (with the garbage collector paused, which halves the time), and worker processes
forked after that share it.
"""

from __future__ import annotations

import functools
import gc
import hashlib
import logging
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


@functools.cache
def spdx_license_list_version() -> str:
    """The SPDX license list version that ScanCode's license data follows.

    Read from ``scancode_config.py``'s text when it is not imported yet: importing it costs a
    warm re-scan 24 ms and makes a temporary folder, for one constant.
    """
    if "scancode_config" not in sys.modules:
        import contextlib
        import re
        from pathlib import Path

        source = _scancode_config_source()
        with contextlib.suppress(OSError, UnicodeDecodeError, TypeError):
            text = Path(source).read_text(encoding="utf-8") if source else ""
            found = re.search(r"^spdx_license_list_version\s*=\s*['\"]([^'\"]+)['\"]", text, re.M)
            if found:
                return found.group(1)
    import scancode_config  # heavy imports stay out of CLI start-up

    return str(getattr(scancode_config, "spdx_license_list_version", "unknown"))


_index_loaded = False


def load_index() -> None:
    """Load ScanCode's license index into this process, once.

    The garbage collector is paused meanwhile: the index is millions of small objects, and
    collecting while unpickling them doubles the load time for nothing.
    """
    global _index_loaded  # noqa: PLW0603 -- one index per process, by design
    if _index_loaded:
        return
    from licensedcode import cache

    from ospo_scan.engine import index_cache

    was_enabled = gc.isenabled()
    gc.disable()
    try:
        # ospo-scan's copy of the index (smaller, faster, see index_cache), else ScanCode's.
        # (Unless something has loaded ScanCode's already: that one stays.)
        copied = cache._LICENSE_CACHE is not None or index_cache.load_into_scancode()
        if not copied:
            cache.get_index()
            _save_index_copy()
    finally:
        if was_enabled:
            gc.enable()
    # Move the index out of the collector's young generations: later collections in this
    # process (and in workers forked from it) then skip its objects and leave their pages
    # shared instead of touching them.
    gc.freeze()
    # Beautiful Soup, which ScanCode uses to strip markup, logs a warning for every file with
    # bytes it cannot decode; with no logging set up, Python prints each one to stderr. The
    # scan records undecodable files itself (``undecodable`` issue), so the noise goes.
    logging.getLogger("bs4").setLevel(logging.ERROR)
    _index_loaded = True


def _save_index_copy() -> None:
    """Write ospo-scan's copy of the index just loaded from ScanCode's, with the prefilter.

    The fast path's prefilter is built here (on the verified release) so that it is written
    with the copy; the scan that follows uses it rather than building it again.
    """
    from licensedcode import cache

    from ospo_scan.engine import _patch, fast_licenses, index_cache

    prefilter = fast_licenses.build_prefilter() if _patch.verified() else None
    identity = _identity_of(cache.get_index())
    index_cache.save_from_scancode(prefilter, identity)
    index_cache.use_prefilter(prefilter)


def is_loaded() -> bool:
    """True once :func:`load_index` has loaded the index in this process."""
    return _index_loaded


@functools.cache
def license_index_identity() -> str:
    """A stable identity of the license data in use: ScanCode version plus a digest of rules.

    Two installs that would detect differently get different identities; it keys caches and
    tells a reader of a saved result which data produced it.
    """
    if _known_identity is not None:
        return _known_identity
    from licensedcode import cache

    from ospo_scan.engine import index_cache

    load_index()
    copied = index_cache.loaded_identity()
    if copied is not None:
        return copied
    return _identity_of(cache.get_index())


def _identity_of(index: object) -> str:
    """:func:`license_index_identity` computed from a loaded ``LicenseIndex``."""
    rules_by_rid = index.rules_by_rid  # type: ignore[attr-defined]
    digest = hashlib.sha256()
    for rule in rules_by_rid:
        digest.update(rule.identifier.encode("utf-8"))
        digest.update(b"\0")
        digest.update(str(rule.license_expression).encode("utf-8"))
        digest.update(b"\n")
    rules = len(rules_by_rid)
    return f"scancode-toolkit-{scancode_version()}:{rules}-rules:{digest.hexdigest()[:16]}"


#: An identity vouched for by :func:`index_stamp` (read from the findings cache), so that a
#: re-scan that detects nothing need not load the 1.4 GB index just to name it.
_known_identity: str | None = None


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


def use_known_index_identity(identity: str) -> None:
    """Trust ``identity`` as this process's :func:`license_index_identity`."""
    global _known_identity  # noqa: PLW0603 -- one index per process
    _known_identity = identity
