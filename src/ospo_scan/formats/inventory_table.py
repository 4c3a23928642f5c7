# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""The fleet inventory of ``merge --inventory`` as a plain-text table.

One row per repository (files, packages, its verdict counts, its most frequent concluded
licenses), then the packages that more than one repository uses, with the licenses seen.
Plain text, not rich: an inventory of a thousand repositories is read in a CI log or piped.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ospo_scan.model import ScanResult, printable

#: Packages shared by repositories listed at most (the JSON has them all).
_SHARED_SHOWN = 50


class InventoryTable:
    """``merge --inventory --format table``."""

    for_humans = True

    def render(self, data: ScanResult, /, *, width: int | None = None, color: bool = False) -> str:
        """The inventory section of ``data`` as text."""
        inventory: dict[str, Any] = dict(data.extra.get("inventory") or {})
        repositories: list[dict[str, Any]] = list(inventory.get("repositories", []))
        rows = [("repository", "files", "packages", "deny", "review", "pass", "licenses")]
        for repo in repositories:
            verdicts = repo.get("verdicts", {})
            licenses = ", ".join(list(repo.get("concluded_licenses", {}))[:3])
            rows.append(
                (
                    printable(str(repo["name"])),
                    str(repo.get("files", 0)),
                    str(len(repo.get("packages", []))),
                    str(verdicts.get("deny", 0)),
                    str(verdicts.get("review", 0)),
                    str(verdicts.get("pass", 0)),
                    printable(licenses),
                )
            )
        lines = [
            f"Inventory of {len(repositories)} repositories (policy {inventory.get('policy')})"
        ]
        lines.extend(_table(rows, width))
        shared = [p for p in inventory.get("packages", []) if len(p["repositories"]) > 1]
        if shared:
            lines.append("")
            lines.append(f"Packages used by more than one repository: {len(shared)}")
            shared.sort(key=lambda p: (-len(p["repositories"]), p["purl"]))
            for package in shared[:_SHARED_SHOWN]:
                seen = ", ".join(package["licenses"]) or "no license found"
                line = (
                    f"  {printable(package['purl'])}: {len(package['repositories'])} "
                    f"repositories; {printable(seen)}"
                )
                lines.append(line if width is None else line[:width])
            if len(shared) > _SHARED_SHOWN:
                lines.append(f"  ... and {len(shared) - _SHARED_SHOWN} more (see the JSON)")
        return "\n".join(lines) + "\n"


def _table(rows: Sequence[tuple[str, ...]], width: int | None) -> list[str]:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    out = []
    for row in rows:
        cells = [
            cell.ljust(widths[i]) if i == 0 else cell.rjust(widths[i])
            for i, cell in enumerate(row[:-1])
        ]
        line = "  ".join([*cells, row[-1]]).rstrip()
        out.append(line if width is None else line[:width])
    return out
