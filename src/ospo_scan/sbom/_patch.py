# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""The one place where ospo-scan replaces internals of its SBOM libraries.

spdx-tools, cyclonedx-python-lib (with py-serializable) and rdflib have steps that are
quadratic in the size of a document (minutes to hours for 100,000 dependencies), or slow per
item. The SBOM writers replace those steps with ones that give the same answers, and only
through :func:`patched`:

- it swaps module or class attributes for the length of a ``with`` block and always puts the
  originals back (:func:`ospo_scan.engine._patch.swapped`, the engine's helper);
- it swaps them only when the installed library is the release the replacement was checked
  against (:data:`VERIFIED`, by ``tests/sbom/test_sbom_patches.py``, which compares each
  replacement with the library's own code on real documents). On any other release the
  library runs as shipped, slow but correct, and one :class:`~ospo_scan.errors.SbomWarning`
  per library says so.
"""

from __future__ import annotations

import contextlib
import functools
import importlib.metadata
import warnings
from collections.abc import Iterator
from typing import Any

from ospo_scan.engine._patch import swapped
from ospo_scan.errors import SbomWarning

#: The release of each library whose internals the replacements were checked against. When
#: a pin moves, run ``tests/sbom/test_sbom_patches.py``, read what changed in the replaced
#: functions (each replacement names them), then move the version here.
VERIFIED = {
    "spdx-tools": "0.8.2",
    "cyclonedx-python-lib": "11.12.0",
    "rdflib": "7.6.0",
    "PyYAML": "6.0.4",
    "py-serializable": "2.2.0",
    "jsonschema": "4.26.0",
}

_warned: set[str] = set()


@functools.cache
def installed_version(distribution: str) -> str | None:
    """The installed release of ``distribution`` (None when it is not installed)."""
    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return None


def verified(distribution: str) -> bool:
    """True when the installed ``distribution`` is the release in :data:`VERIFIED`.

    Otherwise a :class:`~ospo_scan.errors.SbomWarning` is issued, once per library and
    process (the CLI shows it as one ``ospo-scan: warning:`` line).
    """
    installed = installed_version(distribution)
    expected = VERIFIED[distribution]
    if installed == expected:
        return True
    if distribution not in _warned:
        _warned.add(distribution)
        warnings.warn(
            f"{distribution} {installed} is installed, but ospo-scan's speed-ups of it were "
            f"verified against {expected}: writing the SBOM with {distribution} as shipped "
            "(the same document, slower on large trees)",
            SbomWarning,
            stacklevel=3,
        )
    return False


@contextlib.contextmanager
def patched(distribution: str, target: Any, **replacements: Any) -> Iterator[bool]:
    """Swap ``target``'s attributes for ``replacements`` in the block, when verified.

    ``target`` is a module, a class or an object; ``distribution`` the library it is part of.

    Yields whether the replacements are in place: a caller with more to do than the swap
    (an index to build) can skip it when they are not.
    """
    if not verified(distribution):
        yield False
        return
    with swapped(target, **replacements):
        yield True
