# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""The copyright detector built with lazily compiled expressions: ScanCode's findings."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ospo_scan.engine.lazy_patterns import LazyPattern

DATA = Path(__file__).parents[1] / "data"

_PATTERNS = [r"^[Cc]opyright", r"(?P<group>(?:<(?:NN)>)+)", r"^\d{4}(-\d{4})?,?$", r"[a-c]+"]


@settings(max_examples=500, deadline=None)
@given(st.sampled_from(_PATTERNS), st.text(alphabet="Copyright<>NN0123-,abc ", max_size=20))
def test_a_lazy_pattern_matches_and_substitutes_as_the_compiled_one(
    pattern: str, text: str
) -> None:
    lazy, compiled = LazyPattern(pattern), re.compile(pattern)
    found, expected = lazy.match(text), compiled.match(text)
    assert (found and found.group(0)) == (expected and expected.group(0))
    assert lazy.sub("{\\g<0>}", text) == compiled.sub("{\\g<0>}", text)
    assert lazy.compiled() is lazy.compiled()


def test_an_invalid_pattern_fails_when_used_as_re_compile_fails() -> None:
    lazy = LazyPattern("(unclosed")
    with pytest.raises(re.error):
        lazy.match("x")


#: In a fresh process (ScanCode's own detector not built yet, so the fast one is built with
#: lazy expressions): the fast detector's findings on every test data file, then ScanCode's.
_BOTH = """
import json, sys
from pathlib import Path
from cluecode import copyrights
from ospo_scan.engine import detect, fast_copyrights
from ospo_scan.engine.lazy_patterns import LazyPattern
paths = [p for p in sorted(Path(sys.argv[1]).rglob("*")) if p.is_file()]
fast = [repr(fast_copyrights.detect_copyrights_fast(str(p))) for p in paths]
assert copyrights.DETECTOR is None
lexer = fast_copyrights._fast_detector[0].lexer
lazy = [getattr(m, "__self__", None) for m, _label in lexer._matchers]
lazy = [pattern for pattern in lazy if isinstance(pattern, LazyPattern)]
compiled = sum(1 for pattern in lazy if pattern._compiled is not None)
# What the lexer tries is the compiled patterns' own match, without the lazy wrapper.
tried = [match for found in lexer._compiled.values() for match, _label in found]
assert tried and all(isinstance(m.__self__, __import__("re").Pattern) for m in tried)
own = [repr(detect.detect_copyrights(str(p))) for p in paths]
print(json.dumps({"fast": fast, "own": own, "lazy": len(lazy), "compiled": compiled}))
"""


def test_the_lazily_built_detector_finds_what_scancodes_finds() -> None:
    result = subprocess.run(
        [sys.executable, "-c", _BOTH, str(DATA)],
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout)
    assert found["lazy"] > 1000  # every lexer expression was lazy
    assert 0 < found["compiled"] <= found["lazy"]
    assert len(found["fast"]) > 50
    assert found["fast"] == found["own"]
    assert any(
        "holder" in detections.lower() or "copyright" in detections.lower()
        for detections in found["fast"]
    )
