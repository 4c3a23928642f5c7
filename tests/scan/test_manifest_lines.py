# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""The line of a datafile that names a package: one index per file, the same answers as a
search of the lines name by name (which took minutes on a lockfile of 10,000 entries)."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from ospo_scan.scan import manifest_lines
from ospo_scan.scan.manifest_lines import _ANY_LEAD, _KEY_LEAD, _names, _scan, _Texts

WORDS = (
    "express", "Flask_Login", "flask-login", "a.b", "@types/node", "types/node", "node",
    "left-pad", "left_pad", "x", "core", "@babel/core", "github.com/pkg/errors", "errors",
)  # fmt: skip


def searched(lines: list[str], names: tuple[str, ...]) -> int | None:
    """The answer of a plain search: every lead, every name, every line in turn."""
    for lead in (_KEY_LEAD, _ANY_LEAD):
        for name in names:
            found = _scan(lines, lead, name)
            if found is not None:
                return found
    return None


@pytest.mark.parametrize("seed", range(5))
def test_the_index_answers_as_a_search_of_the_lines(tmp_path: Path, seed: int) -> None:
    rng = random.Random(seed)  # noqa: S311 -- test data, not a secret
    lines = []
    for _ in range(300):
        words = [rng.choice([*WORDS, "desc", "{", ":"]) for _ in range(rng.randint(0, 5))]
        seps = [rng.choice([" ", '"', "'", ", ", "/", "@", "==", " -> "]) for _ in words]
        start = rng.choice(["", "  ", '    "'])
        lines.append(start + "".join(s + w for s, w in zip(seps, words, strict=True)))
    (tmp_path / "f.txt").write_text("\n".join(lines), encoding="utf-8")
    texts = _Texts(tmp_path)
    for word in (*WORDS, "nothing", "EXPRESS", "FLASK.LOGIN"):
        for names in (_names(word), _names("core", "@babel"), _names("errors", "github.com/pkg")):
            assert texts.line_of("f.txt", names) == searched(lines, names), names


def test_a_large_lockfile_is_indexed_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    lines = [f'    "pkg-{n}": {{"version": "1.0.{n}"}},' for n in range(20_000)]
    (tmp_path / "lock.json").write_text("\n".join(lines), encoding="utf-8")
    scans: list[str] = []
    real_scan = manifest_lines._scan

    def counting(lines: list[str], lead: str, name: str) -> int | None:
        scans.append(name)
        return real_scan(lines, lead, name)

    monkeypatch.setattr(manifest_lines, "_scan", counting)
    texts = _Texts(tmp_path)
    assert [texts.line_of("lock.json", (f"pkg-{n}",)) for n in (0, 19_999)] == [1, 20_000]
    assert texts.line_of("lock.json", ("@scope/pkg-1",)) is None  # too long to search
    assert scans == []
