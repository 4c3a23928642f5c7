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
- :mod:`.detect`: license and copyright detection in one file;
- :mod:`.catalog`: the license database (categories, SPDX ids, texts);
- :mod:`.datafiles`, :mod:`.fixes`, :mod:`.assembly`: package datafiles and their assembly;
- :mod:`.fast_licenses`, :mod:`.fast_copyrights`: the fast path, through :mod:`._patch`.
"""
