# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""The fast path finds what ScanCode's full engine finds, where narrowing could go wrong.

Every case runs both the fast path and the unnarrowed engine on the same real file and
requires identical findings, plus the license and line that a reader expects.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from license_expression import Licensing

from ospo_scan.engine import detect, fast_copyrights, fast_licenses
from ospo_scan.engine.detect import LicenseFindings

_LICENSING = Licensing()
DATA = Path(__file__).parents[1] / "data" / "fake_repo"

APACHE_NOTICE = """\
# Licensed under the Apache License, Version 2.0 (the "License");
# you may not use this file except in compliance with the License.
# You may obtain a copy of the License at
#
#     http://www.apache.org/licenses/LICENSE-2.0
#
# Unless required by applicable law or agreed to in writing, software
# distributed under the License is distributed on an "AS IS" BASIS,
# WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
# See the License for the specific language governing permissions and
# limitations under the License.
"""


def _code(lines: int) -> str:
    """Plausible code that mentions a few legal words without stating a license."""
    body = []
    for n in range(lines):
        if n % 50 == 0:
            body.append(f"# free the buffer and use the software copy {n}")
        body.append(f"def handler_{n}(value):\n    return value * {n} + len(str(value))")
    return "\n".join(body) + "\n"


def _both(path: Path) -> LicenseFindings:
    fast = fast_licenses.detect_licenses_fast(str(path))
    exact = detect.detect_licenses(str(path))
    assert fast == exact
    return fast


def _keys(found: LicenseFindings) -> set[str]:
    return {k for d in found.detections for k in _LICENSING.license_keys(d.license_expression)}


def test_notice_at_the_end_of_a_long_file(tmp_path: Path) -> None:
    code = _code(3000)
    path = tmp_path / "long.py"
    path.write_text(code + APACHE_NOTICE, encoding="utf-8")
    found = _both(path)
    assert _keys(found) == {"apache-2.0"}
    first_notice_line = code.count("\n") + 1
    assert found.detections[0].start_line == first_notice_line
    assert found.detections[0].end_line == first_notice_line + APACHE_NOTICE.count("\n") - 1


def test_license_text_split_by_code(tmp_path: Path) -> None:
    text = (DATA / "LICENSE-MIT").read_text(encoding="utf-8").splitlines(keepends=True)
    half = len(text) // 2
    path = tmp_path / "split.py"
    path.write_text("".join(text[:half]) + _code(200) + "".join(text[half:]), encoding="utf-8")
    found = _both(path)
    assert "mit" in _keys(found)


def test_spdx_tag_on_the_last_line_without_newline(tmp_path: Path) -> None:
    code = _code(400)
    path = tmp_path / "tagged.c"
    path.write_text(code + "/* SPDX-License-Identifier: BSD-3-Clause */", encoding="utf-8")
    found = _both(path)
    assert _keys(found) == {"bsd-new"}
    assert found.detections[0].start_line == code.count("\n") + 1


def test_minified_single_line_file_with_a_header(tmp_path: Path) -> None:
    header = "/*! lib v1.0 | (c) Example Ltd | MIT License */"
    body = ";".join(f"var a{n}=function(b){{return b+{n}}}" for n in range(20000))
    path = tmp_path / "lib.min.js"
    path.write_text(header + body + "\n", encoding="utf-8")
    found = _both(path)
    assert "mit" in _keys(found)


@pytest.mark.parametrize(
    "name",
    [
        "LICENSE-MIT",
        "LICENSE-APACHE",
        "vendor/gplthing/COPYING",
        "vendor/gplthing/thing.c",
        "src/lib.py",
        "README.md",
        "data/latin1.txt",
    ],
)
def test_fake_repo_files_agree(name: str) -> None:
    _both(DATA / name)


def test_near_duplicate_of_a_long_license_in_a_file_of_several_runs(tmp_path: Path) -> None:
    """The whole file's near-duplicate ranking, scored over rules of a near duplicate's length
    only (a file of several runs), finds what ScanCode's full ranking finds."""
    # ScanCode's own candidate ranking, to compare with (imported where the index is loaded).
    from licensedcode import cache, match_set  # noqa: PLC0415
    from licensedcode.query import build_query  # noqa: PLC0415

    text = (DATA / "LICENSE-APACHE").read_text(encoding="utf-8")
    edited = text.replace("Licensor", "Licenser").replace("granted", "given", 3)
    middle = edited.index("\n", len(edited) // 2)
    junk = "".join(f"x{n} = {n}\n" for n in range(40))  # breaks the text into two runs
    edited = edited[:middle] + "\n\n" + junk + edited[middle:]
    path = tmp_path / "LICENSE.txt"
    path.write_text(edited, encoding="utf-8")
    idx = cache.get_index()
    query = build_query(location=str(path), idx=idx)
    assert len(query.query_runs) > 1
    fast_licenses.prepare_fast_path()
    kwargs = {"top": 10, "high_resemblance": True}
    whole = query.whole_query_run()
    fast = fast_licenses._fast_compute_candidates(whole, idx, idx.approx_matchable_rids, **kwargs)
    fast_licenses._last_run.clear()
    exact = match_set.compute_candidates(whole, idx, idx.approx_matchable_rids, **kwargs)
    assert [c[1] for c in fast] == [c[1] for c in exact]
    assert [c[0] for c in fast] == [c[0] for c in exact]
    assert [c[3] for c in fast] == [c[3] for c in exact]
    assert fast  # a near duplicate was found
    found = _both(path)
    assert "apache-2.0" in _keys(found)


def test_no_legal_words_means_no_findings(tmp_path: Path) -> None:
    path = tmp_path / "plain.txt"
    path.write_text("alpha beta gamma\n" * 100, encoding="utf-8")
    assert _both(path) == LicenseFindings()


# --- copyright detection ---------------------------------------------------------------

COPYRIGHT_CASES = {
    "c_header.c": (
        "/*\n * Copyright (c) 2009-2014 TJ Holowaychuk <tj@vision-media.ca>\n"
        " * Copyright (c) 2015 Douglas Christopher Wilson\n * All rights reserved.\n */\n"
        "int main(void) { return 0; }\n"
    ),
    "NOTICE": (
        "Portions Copyright © 2001, 2002 Jane Doe and\n"
        "  the Example Foundation, Inc.\n\nWritten by John Q. Public <jqp@example.org>\n"
    ),
    "page.html": (
        "<html><body><p>&copy; 2019 Acme Widgets GmbH. All rights reserved.</p>\n"
        "<footer>(C) 2020-2021 Second Holder LLC</footer></body></html>\n"
    ),
    "debian-copyright": (
        "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n\n"
        "Files: *\nCopyright: 2004-2010 First Person <first@example.com>\n"
        "           2011 Second Person\nLicense: BSD-3-Clause\n"
    ),
    "CHANGELOG.md": "".join(
        f"{n}.0.0 / 20{10 + n % 10}-0{1 + n % 9}-1{n % 10}\n==================\n\n"
        f"  * deps: thing@{n}.1.0\n  * Fix bug reported by user{n}\n\n"
        for n in range(60)
    )
    + "Copyright (c) 2014 Last Holder\n",
    "AUTHORS": "Authors:\n  Ada Lovelace <ada@example.org>\n  Alan Turing\n",
}


def _both_copyrights(path: Path) -> detect.CopyrightFindings:
    fast = fast_copyrights.detect_copyrights_fast(str(path))
    exact = detect.detect_copyrights(str(path))
    assert fast == exact
    return fast


@pytest.mark.parametrize("name", sorted(COPYRIGHT_CASES))
def test_fast_copyright_detection_is_scancodes(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_text(COPYRIGHT_CASES[name], encoding="utf-8")
    _both_copyrights(path)


def test_fast_copyright_detection_finds_the_holders(tmp_path: Path) -> None:
    path = tmp_path / "c_header.c"
    path.write_text(COPYRIGHT_CASES["c_header.c"], encoding="utf-8")
    found = _both_copyrights(path)
    holders = {h for c in found.copyrights for h in c.holders}
    assert holders == {"TJ Holowaychuk", "Douglas Christopher Wilson"}
    assert [c.start_line for c in found.copyrights] == [2, 3]


def test_fast_copyright_detection_after_its_memory_is_cleared(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The remembered labels and parses are dropped when full, and long texts are never
    remembered; the findings do not change."""
    monkeypatch.setattr(fast_copyrights, "_LEXER_MEMO_LIMIT", 3)
    monkeypatch.setattr(fast_copyrights, "_PARSE_MEMO_CHARS", 2_000)
    monkeypatch.setattr(fast_copyrights, "_MEMO_TEXT_LIMIT", 12)
    monkeypatch.setattr(fast_copyrights, "_fast_detector", [])
    for name in sorted(COPYRIGHT_CASES):
        path = tmp_path / name
        path.write_text(COPYRIGHT_CASES[name], encoding="utf-8")
        _both_copyrights(path)
        _both_copyrights(path)  # the second time from memory


@pytest.mark.parametrize(
    "name", ["LICENSE-MIT", "LICENSE-APACHE", "vendor/gplthing/COPYING", "vendor/gplthing/thing.c"]
)
def test_fake_repo_copyrights_agree(name: str) -> None:
    _both_copyrights(DATA / name)
