# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""ospo-scan's copy of ScanCode's license index: written once, read after, the same findings.

Each case runs real processes with the real index. ``OSPO_SCAN_INDEX_CACHE`` points each at
its own folder (or ``off``: ScanCode's pickle only), so the copy that the test suite itself
uses is never touched.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

DATA = Path(__file__).parents[1] / "data" / "fake_repo"

#: Detects licenses and copyrights in every fixture file and reports how the index was loaded.
_DETECT = """
import json, sys
from pathlib import Path
from ospo_scan.engine import index, index_cache, fast_licenses, fast_copyrights
index.load_index()
from licensedcode import cache
idx = cache.get_index()
out = {
    "copy": index_cache.loaded_prefilter() is not None
        and type(idx.unknown_automaton).__name__ == "_UnknownAutomatonOnDemand",
    "files": {},
}
for path in sorted(Path(sys.argv[1]).rglob("*")):
    if path.is_file():
        lic = fast_licenses.detect_licenses_fast(str(path))
        cop = fast_copyrights.detect_copyrights_fast(str(path))
        out["files"][str(path)] = [repr(lic), repr(cop)]
print(json.dumps(out))
"""


def _run(code: str, *args: str, cache: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "OSPO_SCAN_INDEX_CACHE": cache}
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )


@pytest.fixture(scope="module")
def copy_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder holding a fresh copy, written by a first load."""
    folder = tmp_path_factory.mktemp("index-copy")
    first = _run(_DETECT, str(DATA), cache=str(folder))
    assert first.returncode == 0, first.stderr
    assert json.loads(first.stdout)["copy"] is False  # the first load reads ScanCode's
    return folder


def test_first_load_writes_one_readable_copy(copy_folder: Path) -> None:
    copies = list(copy_folder.glob("license-index-*.pickle"))
    assert len(copies) == 1
    assert copies[0].stat().st_mode & 0o777 == 0o644
    assert copies[0].stat().st_size > 100_000_000
    assert not list(copy_folder.glob(".tmp-*"))


def test_findings_from_the_copy_equal_scancodes(copy_folder: Path) -> None:
    from_copy = _run(_DETECT, str(DATA), cache=str(copy_folder))
    from_scancode = _run(_DETECT, str(DATA), cache="off")
    assert from_copy.returncode == 0, from_copy.stderr
    assert from_scancode.returncode == 0, from_scancode.stderr
    copied, original = json.loads(from_copy.stdout), json.loads(from_scancode.stdout)
    assert copied["copy"] is True
    assert original["copy"] is False
    assert len(copied["files"]) > 10
    assert copied["files"] == original["files"]
    assert any("mit" in found[0].lower() for found in copied["files"].values())


#: Compares every per-rule value of the copy (the Rule objects, read lazily, included) and
#: of its prefilter with ScanCode's own pickle, and unknown-license matching (whose
#: automaton the copy loads on demand) on a text that needs it.
_COMPARE = """
import json
from ospo_scan.engine import index, index_cache
index.load_index()
from licensedcode import cache
copy = cache.get_index()
source = index.license_cache_dir() + "/license_index/index_cache"
original = cache.load_cache_file(source).index
checked = 0
for name in ("sets_by_rid", "msets_by_rid", "high_postings_by_rid"):
    mine, theirs = getattr(copy, name), getattr(original, name)
    assert len(mine) == len(theirs), name
    for rid in range(len(theirs)):
        assert mine[rid] == theirs[rid], (name, rid)
        checked += 1
rules, theirs = copy.rules_by_rid, original.rules_by_rid
assert len(rules) == len(theirs)
for rid, rule in enumerate(theirs):
    mine = rules[rid]
    assert mine == rule and mine.rid == rid, rid  # attrs: every field equal
    assert copy.rules_by_id[rule.identifier] is mine, rid  # the same object both ways
    checked += 1
assert sorted(copy.rules_by_id) == sorted(original.rules_by_id)
assert rules[7] is rules[7]
pre = index_cache.loaded_prefilter()
for rid, rule in enumerate(theirs):
    assert (
        pre.min_high_matched_length[rid], pre.min_matched_length[rid], pre.length[rid],
        pre.minimum_containment[rid], pre.length_unique[rid],
        pre.min_matched_length_unique[rid],
    ) == (
        rule.min_high_matched_length, rule.min_matched_length, rule.length,
        rule._minimum_containment, rule.length_unique, rule.min_matched_length_unique,
    ), rid
text = (
    "Permission is hereby granted to use, copy and distribute this software for any "
    "purpose, provided that the above notice appears in all copies and the name of the "
    "Frobnitz Institute is not used in advertising. THE SOFTWARE IS PROVIDED AS IS WITHOUT "
    "WARRANTY. Redistribution in binary form must reproduce the frobnitz notice and the "
    "zorblax terms in the documentation."
)
def keys(idx):
    return [(m.rule.identifier, m.matcher, m.qspan.start, m.qspan.end)
            for m in idx.match(query_string=text, unknown_licenses=True)]
unknown_before = type(copy.unknown_automaton).__name__
print(json.dumps({"checked": checked, "copy": keys(copy), "original": keys(original),
                  "unknown_before": unknown_before}))
"""


def test_per_rule_values_and_unknown_matching_equal_scancodes(copy_folder: Path) -> None:
    result = _run(_COMPARE, cache=str(copy_folder))
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout)
    assert found["unknown_before"] == "_UnknownAutomatonOnDemand"
    assert found["checked"] > 4 * 30_000
    assert found["copy"] == found["original"]
    assert [matcher for _rule, matcher, _s, _e in found["copy"]] == ["6-unknown"]


#: The copy's token sets: read when first used, all read by the daemon's warm-up (which
#: forks share), each equal to ScanCode's.
_SETS_READ = """
import json, sys
from ospo_scan.engine import index, index_cache
from ospo_scan.daemon import server
index.load_index()
from licensedcode import cache
sets = cache.get_index().sets_by_rid
unread_before = sum(value is index_cache._UNREAD for value in sets._values)
server._warm_up(())
unread_after = sum(value is index_cache._UNREAD for value in sets._values)
source = index.license_cache_dir() + "/license_index/index_cache"
original = cache.load_cache_file(source).index.sets_by_rid
print(json.dumps({
    "type": type(sets).__name__, "count": len(sets), "unread_before": unread_before,
    "unread_after": unread_after, "equal": list(sets) == list(original),
}))
"""


def test_token_sets_are_read_when_first_used_and_all_by_the_daemon(copy_folder: Path) -> None:
    result = _run(_SETS_READ, cache=str(copy_folder))
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout)
    assert found["type"] == "_RuleValues"
    assert found["unread_before"] == found["count"] > 30_000
    assert found["unread_after"] == 0
    assert found["equal"] is True


def test_a_damaged_copy_is_ignored_and_replaced(tmp_path: Path, copy_folder: Path) -> None:
    (good,) = copy_folder.glob("license-index-*.pickle")
    damaged = tmp_path / good.name
    damaged.write_bytes(good.read_bytes()[:1_000_000])  # cut short
    result = _run(_DETECT, str(DATA / "src"), cache=str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["copy"] is False
    assert damaged.stat().st_size == good.stat().st_size  # written again, whole


def test_a_folder_that_cannot_be_written_is_no_error(tmp_path: Path) -> None:
    blocked = tmp_path / "file-in-the-way"
    blocked.write_text("not a folder")
    result = _run(_DETECT, str(DATA / "src"), cache=str(blocked / "below"))
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["copy"] is False
    assert result.stderr == ""


#: Interrupts the first load while it writes the copy (at its third pickle).
_INTERRUPTED = """
import pickle
real_dump, calls = pickle.dump, []
def dump(*args, **kwargs):
    calls.append(None)
    if len(calls) == 3:
        raise KeyboardInterrupt
    return real_dump(*args, **kwargs)
pickle.dump = dump
from ospo_scan.engine import index
try:
    index.load_index()
except KeyboardInterrupt:
    print("interrupted")
"""


def test_an_interrupted_write_leaves_no_half_file(tmp_path: Path) -> None:
    result = _run(_INTERRUPTED, cache=str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "interrupted"
    assert list(tmp_path.iterdir()) == []
