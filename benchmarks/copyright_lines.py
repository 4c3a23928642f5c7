# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""Check the copyright candidate-line shortcut against ScanCode on every file of a tree.

    python benchmarks/copyright_lines.py TREE [TREE...]

For every regular file (links are not followed), the lines ScanCode's copyright detection
reads (``textcode.analysis.numbered_text_lines(location, demarkup=True)``) are grouped by
ScanCode's ``collect_candidate_lines`` and by ``ospo_scan.engine.copyright_lines``'s copy;
the groups must be equal. Prints the files compared, the files that differ (each named),
and how many lines each prepared (``prepare_text_line`` calls). Exit 1 when any differs.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from cluecode import copyrights
from textcode.analysis import numbered_text_lines

from ospo_scan.engine import copyright_lines


def _files(root: str) -> Iterator[str]:
    for folder, dirs, names in os.walk(root):
        dirs[:] = [d for d in dirs if not (Path(folder) / d).is_symlink()]
        for name in names:
            path = Path(folder) / name
            if path.is_file() and not path.is_symlink():
                yield str(path)


def _counting(function: Any, counter: list[int]) -> Any:
    def counted(line: str) -> Any:
        counter[0] += 1
        return function(line)

    return counted


def main(roots: list[str]) -> int:
    assert copyright_lines.shortcut_applies()
    prepare = copyrights.prepare_text_line
    shipped, fast = [0], [0]
    files = lines = 0
    differ: list[str] = []
    for root in roots:
        for path in _files(root):
            try:
                numbered = list(numbered_text_lines(path, demarkup=True))
            except Exception as exc:  # noqa: BLE001 -- report and go on
                print(f"unreadable by ScanCode: {path}: {exc}", file=sys.stderr)
                continue
            files += 1
            lines += len(numbered)
            copyrights.prepare_text_line = _counting(prepare, shipped)
            try:
                expected = list(copyrights.collect_candidate_lines(numbered))
                copyrights.prepare_text_line = _counting(prepare, fast)
                found = list(copyright_lines.collect_candidate_lines(numbered))
            finally:
                copyrights.prepare_text_line = prepare
            if found != expected:
                differ.append(path)
                print(f"DIFFERENT: {path}", file=sys.stderr)
    print(f"files compared: {files}; lines: {lines}; files with different groups: {len(differ)}")
    print(f"prepare_text_line calls: ScanCode {shipped[0]}, shortcut {fast[0]}")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
