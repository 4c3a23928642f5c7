# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""The fast matched text is ScanCode's, string for string, on every match of real files.

Each case detects licenses in a real file with ScanCode's engine, then builds the matched
text of every match both with ScanCode's ``get_full_matched_text`` and with the fast one,
under the options ScanCode's detection uses and others, and requires equal strings; and the
whole detection through the fast path equals ScanCode's as shipped (its identifiers hash the
matched text).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from licensedcode import match as sc_match
from licensedcode.cache import get_index
from licensedcode.detection import detect_licenses

from ospo_scan.engine import detect, fast_licenses, fast_matched_text

DATA = Path(__file__).parents[1] / "data" / "fake_repo"

OPTIONS: list[dict[str, Any]] = [
    {},  # what ScanCode's detection asks for (false-positive check and identifier)
    {"highlight": False},
    {"highlight_matched": "<{}>", "highlight_not_matched": "!{}!"},
]


def _near_copy(text: str) -> str:
    """``text`` with words changed, a line dropped and one added: an approximate match with
    unmatched tokens inside it, followed by punctuation."""
    lines = text.splitlines(keepends=True)
    lines[len(lines) // 3] = "This line was added by the packager; it holds no license.\n"
    del lines[len(lines) // 2]
    changed = "".join(lines).replace(" the ", " thee ", 3).replace("Software", "Widget", 2)
    return changed + "\n;;\n"


def _cases(tmp_path: Path) -> list[Path]:
    mit = (DATA / "LICENSE-MIT").read_text(encoding="utf-8")
    apache = (DATA / "LICENSE-APACHE").read_text(encoding="utf-8")
    made = {
        "near-mit.txt": _near_copy(mit),
        "near-apache.txt": _near_copy(apache),
        # a license in the middle of code: the match starts and ends mid-file
        "embedded.py": "x = 1\n" * 40
        + "".join(f"# {line}\n" for line in mit.splitlines())
        + "y = 2\n" * 40,
        # two licenses, one after the other, and a tag
        "both.txt": mit + "\n\n" + _near_copy(apache) + "\nSPDX-License-Identifier: MIT\n",
    }
    paths = [DATA / "LICENSE-MIT", DATA / "LICENSE-APACHE", DATA / "vendor/gplthing/COPYING"]
    paths.append(DATA / "vendor/gplthing/thing.c")
    paths.append(DATA / "README.md")
    for name, text in made.items():
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def _texts(function: Any, found: Any, location: str, options: dict[str, Any]) -> str:
    return "".join(function(found, location=location, idx=get_index(), **options)).rstrip()


def test_every_match_has_scancodes_matched_text(tmp_path: Path) -> None:
    fast_licenses.prepare_fast_path()
    original = sc_match.get_full_matched_text
    fast_matched_text.ORIGINAL[:] = [original]
    compared = unmatched_words = 0
    for path in _cases(tmp_path):
        location = str(path)
        matches = [m for d in detect_licenses(location=location) for m in d.matches]
        for found in matches:
            for options in OPTIONS:
                want = _texts(original, found, location, options)
                fast_matched_text.forget()
                assert (
                    _texts(fast_matched_text.fast_get_full_matched_text, found, location, options)
                    == want
                ), (path.name, found.rule.identifier, options)
                # the second time from memory
                assert (
                    _texts(fast_matched_text.fast_get_full_matched_text, found, location, options)
                    == want
                )
                compared += 1
                unmatched_words += "[" in want and not options
        fast_matched_text.forget()
    assert compared >= 3 * 10
    # the near copies give texts with unmatched words, highlighted as such
    assert unmatched_words >= 2


def test_other_options_are_scancodes_own(tmp_path: Path) -> None:
    """whole_lines and only_matched are not what detection asks for: ScanCode builds them."""
    path = tmp_path / "near-mit.txt"
    path.write_text(_near_copy((DATA / "LICENSE-MIT").read_text(encoding="utf-8")), "utf-8")
    fast_licenses.prepare_fast_path()
    original = sc_match.get_full_matched_text
    fast_matched_text.ORIGINAL[:] = [original]
    (detection,) = detect_licenses(location=str(path))
    for options in ({"whole_lines": True}, {"only_matched": True}):
        for found in detection.matches:
            want = _texts(original, found, str(path), options)
            got = _texts(fast_matched_text.fast_get_full_matched_text, found, str(path), options)
            assert got == want
    assert not fast_matched_text._TEXTS


@pytest.mark.parametrize("name", ["near-mit.txt", "near-apache.txt", "embedded.py", "both.txt"])
def test_detections_through_the_fast_path_are_scancodes(tmp_path: Path, name: str) -> None:
    path = next(p for p in _cases(tmp_path) if p.name == name)
    fast = fast_licenses.detect_licenses_fast(str(path))
    assert fast == detect.detect_licenses(str(path))
    assert fast.detections
    # ScanCode's function is back, and nothing of the file is remembered
    assert sc_match.get_full_matched_text is fast_matched_text.ORIGINAL[0]
    assert not fast_matched_text._TEXTS
