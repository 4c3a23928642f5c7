# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""The policies shipped with ospo-scan: their names and their YAML text.

They are package data (``ospo_scan/policies/*.yml``, listed in pyproject's package-data), read
through :mod:`importlib.resources` so that they are found in a wheel or a zip as well as in a
source tree. Loading one into a :class:`~.model.Policy` is :func:`.load.shipped_policy`: this
module stays below the loader, which asks it for names when ``extends:`` names a policy.
"""

from __future__ import annotations

from importlib import resources

from ospo_scan.errors import PolicyError

#: Where the shipped policies live inside the package.
_SHIPPED = "policies"


def shipped_policies() -> tuple[str, ...]:
    """The names of the policies shipped with ospo-scan, sorted."""
    folder = resources.files("ospo_scan").joinpath(_SHIPPED)
    return tuple(
        sorted(e.name[: -len(".yml")] for e in folder.iterdir() if e.name.endswith(".yml"))
    )


def shipped_policy_text(name: str) -> str:
    """The YAML text of a shipped policy."""
    if name not in shipped_policies():
        raise PolicyError(f"no shipped policy named {name!r}")
    return resources.files("ospo_scan").joinpath(f"{_SHIPPED}/{name}.yml").read_text("utf-8")
