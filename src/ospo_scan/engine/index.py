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
import sys

from ospo_scan.engine import index_cache, prefilter
from ospo_scan.engine.installed import (
    _scancode_config_source,
    index_stamp,
    license_cache_dir,
    scancode_version,
)

__all__ = [
    "index_stamp",
    "is_loaded",
    "license_cache_dir",
    "license_index_identity",
    "load_index",
    "scancode_version",
    "spdx_license_list_version",
    "use_known_index_identity",
]


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

    The fast path's prefilter is built here so that it is written with the copy; the scan
    that follows uses it rather than building it again. (On a scancode-toolkit release other
    than the one the fast path was verified on, it is never used; one that cannot be built
    is left out.)
    """
    from licensedcode import cache

    loaded = cache.get_index()
    try:
        rules = prefilter.build(loaded)
    except (AttributeError, TypeError, ValueError, IndexError):
        rules = None
    index_cache.save_from_scancode(rules, _identity_of(loaded))
    index_cache.use_prefilter(rules)


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


def use_known_index_identity(identity: str) -> None:
    """Trust ``identity`` as this process's :func:`license_index_identity`."""
    global _known_identity  # noqa: PLW0603 -- one index per process
    _known_identity = identity
