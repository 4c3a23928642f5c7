# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""Slim resolved packages: what the assembly makes of them is what it made of ScanCode's."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from ospo_scan.engine import assembly, datafiles, slim
from ospo_scan.engine.fixes import LOCKFILE_LICENSE_KEY

_PACKAGES = Path(__file__).parent.parent / "data" / "packages"


def _parsed(folder: Path) -> dict[str, tuple[dict[str, Any], ...]]:
    datafiles.load_package_handlers()
    found: dict[str, tuple[dict[str, Any], ...]] = {}
    for path in sorted(folder.iterdir()):
        if datafiles.is_package_datafile(str(path)):
            result = datafiles.parse_package_data(str(path))
            assert result.errors == ()
            found[path.name] = result.package_data
    return found


@pytest.mark.parametrize("app", ["npm_app", "composer_app", "poetry_app"])
def test_the_assembly_of_slim_package_data_is_the_assembly_of_scancodes(
    app: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _PACKAGES / app
    paths = sorted(p.name for p in folder.iterdir())
    slimmed = _parsed(folder)
    with monkeypatch.context() as unslimmed:
        unslimmed.setattr(slim, "trim_parsed", lambda package_data: None)
        unslimmed.setattr(slim, "slim_dependencies", lambda data: None)
        full = _parsed(folder)
    kept = {"version", "file_references", LOCKFILE_LICENSE_KEY}
    assert all(set(r) <= kept for r in _resolved(slimmed))
    assert any(set(r) - kept for r in _resolved(full))  # ScanCode's own, which is cut
    assert _comparable(assembly.assemble_packages(paths, slimmed)) == _comparable(
        assembly.assemble_packages(paths, full)
    )


def _resolved(parsed: dict[str, tuple[dict[str, Any], ...]]) -> list[dict[str, Any]]:
    return [
        d["resolved_package"]
        for data in parsed.values()
        for item in data
        for d in item.get("dependencies") or ()
        if d.get("resolved_package")
    ]


def _comparable(assembled: assembly.Assembled) -> assembly.Assembled:
    """``assembled`` with ScanCode's package uids (a fresh UUID per assembly) numbered."""
    uids: dict[str | None, str] = {}

    def number(uid: str | None) -> str | None:
        return uids.setdefault(uid, f"uid-{len(uids)}") if uid else uid

    return replace(
        assembled,
        packages=tuple(replace(p, uid=str(number(p.uid))) for p in assembled.packages),
        dependencies=tuple(
            replace(d, for_package_uid=number(d.for_package_uid)) for d in assembled.dependencies
        ),
    )
