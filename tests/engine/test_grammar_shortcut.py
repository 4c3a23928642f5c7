# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""Grammar rules skipped when a label they require is absent: the same regroupings."""

from __future__ import annotations

import re
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ospo_scan.engine import fast_copyrights
from ospo_scan.engine.fast_copyrights import required_labels


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        ("<YR>+ <CC>+ <YR>", ({"YR"}, {"CC"}, {"YR"})),
        ("<CD|CDS|BARE-YR>? <YR> <BARE-YR>?", ({"YR"},)),
        ("<YR> <DASH|TO>* <YR|BARE-YR>+", ({"YR"}, {"YR", "BARE-YR"})),
        ("<NN>{2,3} <NNP>{0,1}", ({"NN"},)),
        ("<NAME*> <COPY>", ({"COPY"},)),  # a label pattern, not a label: no requirement
        ("<NNP>? <COPY>+ (<YR-RANGE>+ <NN>?)+", None),  # a group: always tried
        ("<A> | <B>", None),  # an alternative at the top: always tried
    ],
)
def test_required_labels(pattern: str, expected: tuple[set[str], ...] | None) -> None:
    found = required_labels(pattern)
    assert found == (None if expected is None else tuple(frozenset(e) for e in expected))


def _parsers() -> tuple[Any, Any, list[str]]:
    from cluecode import copyrights  # noqa: PLC0415 -- ScanCode's grammar, to compare with

    parser = copyrights.CopyrightDetector().parser
    shortcut = fast_copyrights._LabelStringParser(parser)
    every_rule = fast_copyrights._LabelStringParser(parser)
    every_rule._rules = [(transform, label, None) for transform, label, _n in every_rule._rules]
    labels = sorted(
        {label for rule in parser.rules for label in re.findall(r"[A-Z][A-Z0-9_-]*", rule.pattern)}
    )
    return shortcut, every_rule, labels


SHORTCUT, EVERY_RULE, LABELS = _parsers()


def test_most_rules_have_a_requirement() -> None:
    assert len(LABELS) > 40
    assert sum(needs is None for _t, _l, needs in SHORTCUT._rules) <= 5


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.sampled_from(LABELS), min_size=1, max_size=14))
def test_any_label_string_is_regrouped_as_by_every_rule(labels: list[str]) -> None:
    text = "".join(f"<{label}>" for label in labels)
    assert SHORTCUT._regroupings(text) == EVERY_RULE._regroupings(text)


@pytest.mark.parametrize(
    "labels",
    [
        "<COPY><YR><NNP><NNP>",
        "<COPY><YR><DASH><YR><NNP><COMP>",
        "<COPY><NNP><NNP><EMAIL>",
        "<AUTH><NNP><NNP><EMAIL>",
        "<COPY><COPY><YR><CC><YR><NN><NNP>",
    ],
)
def test_copyright_shaped_label_strings(labels: str) -> None:
    assert SHORTCUT._regroupings(labels) == EVERY_RULE._regroupings(labels)
    assert EVERY_RULE._regroupings(labels)  # they do regroup: the comparison is not empty
