# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""The fast span overlap and distance are ScanCode's: on every pair of many spans, and in
whole detections."""

from __future__ import annotations

import random
from pathlib import Path

from ospo_scan.engine import detect, fast_licenses, fast_spans

DATA = Path(__file__).parents[1] / "data" / "fake_repo"


def _spans() -> list[object]:
    from licensedcode.spans import Span  # noqa: PLC0415 -- ScanCode, imported where used

    rng = random.Random(19)  # noqa: S311 -- seeded test data, no secret
    spans = [Span(), Span(0), Span(5), Span(0, 9), Span(10, 20), Span(3, 4), Span([1, 3, 5, 7])]
    for _ in range(150):
        start = rng.randrange(60)
        if rng.random() < 0.5:
            spans.append(Span(start, start + rng.randrange(12)))
        else:
            spans.append(Span(rng.sample(range(start, start + 30), rng.randint(1, 12))))
    return spans


def test_overlap_and_distances_are_scancodes() -> None:
    from licensedcode.spans import Span  # noqa: PLC0415

    spans = _spans()
    pairs = [(a, b) for a in spans for b in spans]
    exact = [Span.overlap(a, b) for a, b in pairs]
    resemblances = [a.resemblance(b) for a, b in pairs]
    distances = []
    for a, b in pairs:
        try:
            distances.append(Span.distance_to(a, b))
        except TypeError as error:  # an empty span has no start: ScanCode raises
            distances.append(repr(error))
    with fast_spans.fast_spans():
        assert Span.overlap is fast_spans.overlap
        assert Span.distance_to is fast_spans.distance_to
        assert [a.overlap(b) for a, b in pairs] == exact
        fast_distances = []
        for a, b in pairs:
            try:
                fast_distances.append(a.distance_to(b))
            except TypeError as error:
                fast_distances.append(repr(error))
        assert fast_distances == distances
        assert [a.resemblance(b) for a, b in pairs] == resemblances
    assert Span.overlap is not fast_spans.overlap  # put back
    assert Span.distance_to is not fast_spans.distance_to
    assert {0, 1, 2, 3} <= {d for d in distances if isinstance(d, int)}
    assert 0 in exact
    assert max(exact) > 5


def test_detections_with_merged_matches_are_scancodes(tmp_path: Path) -> None:
    """Texts whose matches ScanCode merges and refines (a license split by other text, and
    repeated notices) get the same findings with and without the fast path."""
    text = (DATA / "LICENSE-MIT").read_text(encoding="utf-8").splitlines(keepends=True)
    half = len(text) // 2
    filler = "".join(f"value_{n} = compute({n})\n" for n in range(12))
    path = tmp_path / "mixed.py"
    path.write_text("".join(text[:half]) + filler + "".join(text[half:]) * 2, encoding="utf-8")
    for location in (path, DATA / "LICENSE-APACHE", DATA / "vendor/gplthing/COPYING"):
        fast = fast_licenses.detect_licenses_fast(str(location))
        assert fast == detect.detect_licenses(str(location))
        assert fast.detections
