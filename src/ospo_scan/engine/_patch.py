# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""The one place where ospo-scan replaces scancode-toolkit internals.

The fast path (:mod:`.fast_licenses`, :mod:`.fast_matched_text`, :mod:`.fast_copyrights`)
stands in for a few ScanCode functions while a file is detected. Two rules keep that safe:

- :func:`swapped` swaps module attributes for the length of a ``with`` block and always puts
  the originals back, whatever is raised (a ``--timeout`` alarm included);
- :func:`verified` says whether the installed scancode-toolkit is the release the fast path's
  copies were checked against (the equivalence tests in ``tests/engine/test_fast_path.py``).
  On any other release the fast path is not used: ScanCode runs as shipped, and one warning
  says so.
"""

from __future__ import annotations

import contextlib
import warnings
from collections.abc import Iterator
from typing import Any

from ospo_scan.engine import index
from ospo_scan.errors import EngineWarning

#: The scancode-toolkit release whose internals the fast path copies and narrows. When the
#: pin in pyproject.toml moves, re-run the equivalence tests and the benchmark's agreement
#: columns, then move this with it.
VERIFIED_SCANCODE_VERSION = "32.5.0"

_warned: list[str] = []


def verified() -> bool:
    """True when the installed scancode-toolkit is :data:`VERIFIED_SCANCODE_VERSION`.

    Otherwise the fast path stays off, and a :class:`~ospo_scan.errors.EngineWarning` is
    issued once per process (the CLI shows it as one ``ospo-scan: warning:`` line).
    """
    installed = index.scancode_version()
    if installed == VERIFIED_SCANCODE_VERSION:
        return True
    if installed not in _warned:
        _warned.append(installed)
        warnings.warn(
            f"scancode-toolkit {installed} is installed, but the fast path was verified "
            f"against {VERIFIED_SCANCODE_VERSION}: scanning with ScanCode as shipped "
            "(same findings, slower)",
            EngineWarning,
            stacklevel=2,
        )
    return False


@contextlib.contextmanager
def swapped(module: Any, **replacements: Any) -> Iterator[None]:
    """Set ``module``'s attributes to ``replacements`` inside the block, then restore them.

    The originals come back on every exit (``BaseException`` included), in the reverse order
    of setting, so that nested swaps of the same attribute unwind correctly.
    """
    saved = [(name, getattr(module, name)) for name in replacements]
    try:
        for name, value in replacements.items():
            setattr(module, name, value)
        yield
    finally:
        for name, value in reversed(saved):
            setattr(module, name, value)
