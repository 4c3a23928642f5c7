# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""The only package that imports scancode-toolkit and its companions.

``licensedcode``, ``cluecode``, ``packagedcode``, ``typecode``, ``commoncode`` and ``pygmars``
are imported here and nowhere else (an import-linter contract keeps it so). The modules turn
ScanCode's objects and dicts into the frozen records of :mod:`ospo_scan.model` at the
boundary, so that everything above is typed and testable without knowing ScanCode. Each
imports ScanCode lazily, inside the functions that need it: importing this package costs
nothing.

- :mod:`.index`: versions, loading the license index, its identity;
- :mod:`.installed`: ScanCode's version and where its index is, without importing it;
- :mod:`.index_cache`: ospo-scan's smaller, faster copy of ScanCode's index pickle;
- :mod:`.prefilter`: the fast path's rule index, kept with that copy;
- :mod:`.detect`: license and copyright detection in one file;
- :mod:`.catalog`: the license database (categories, SPDX ids, texts);
- :mod:`.datafiles`, :mod:`.fixes`, :mod:`.assembly`: package datafiles and their assembly;
- :mod:`.fast_licenses`, :mod:`.fast_copyrights`: the fast path, through :mod:`._patch`.
"""

from __future__ import annotations

import glob
import os

#: Where distributions keep the system's libmagic and its compiled magic database.
_SYSTEM_LIBMAGIC = (
    "/usr/lib/*-linux-gnu/libmagic.so.1",  # Debian, Ubuntu
    "/lib/*-linux-gnu/libmagic.so.1",
    "/usr/lib64/libmagic.so.1",  # Fedora, openSUSE
    "/usr/lib/libmagic.so.1",  # Alpine, Arch
)
_SYSTEM_MAGIC_DATABASE = (
    "/usr/share/misc/magic.mgc",  # Debian, Ubuntu, Alpine
    "/usr/share/file/magic.mgc",  # Fedora, openSUSE
    "/usr/lib/file/magic.mgc",
)


def _use_the_system_libmagic() -> None:
    """Point typecode at the system's libmagic when no typecode-libmagic plugin is installed.

    scancode-toolkit-mini (installed on linux/aarch64, see pyproject.toml) has no
    typecode-libmagic plugin. typecode then finds the system's libmagic and database itself,
    but warns that it did on every file it types, uncached: a scan of 27 files recorded
    enough warnings to exhaust 17 GB. Named in its environment variables, they are used
    without a warning. With the plugin installed (x86_64), or the variables set, nothing
    changes.
    """
    names = ("TYPECODE_LIBMAGIC_PATH", "TYPECODE_LIBMAGIC_DB_PATH")
    if any(os.environ.get(name) for name in names):
        return
    import importlib.util

    if importlib.util.find_spec("typecode_libmagic") is not None:
        return
    found = [
        next((p for pattern in patterns for p in sorted(glob.glob(pattern))), None)  # noqa: PTH207
        for patterns in (_SYSTEM_LIBMAGIC, _SYSTEM_MAGIC_DATABASE)
    ]
    for name, path in zip(names, found, strict=True):
        if path is not None:
            os.environ[name] = path


_use_the_system_libmagic()
