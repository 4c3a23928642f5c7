# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""The fast path's candidate ranking pieces give ScanCode's own answers, on translation catalogs.

Translation catalogs (gettext ``.po`` files) hold legal words and no license: each of their
runs reaches the approximate matcher with hundreds of rules to rank. The catalogs here are
generated (seeded) from a small vocabulary, and every piece that the fast path stands in for
is compared with ScanCode's code on every run of them: the matchable tokens, the digits-only
test, step two's multiset scores, the ranking as a whole, and the findings of the file.
"""

from __future__ import annotations

import random
from functools import partial
from pathlib import Path
from typing import Any

import pytest

from ospo_scan.engine import detect, fast_licenses, fast_queries

# Words that catalogs of a web framework hold: legal ones (the legalese tokens that send a
# run to the approximate matcher) in some messages only, as in real catalogs, where lines
# without them break the text into runs; plus non-English words and digits.
_LEGAL = [
    "permission",
    "permissions",
    "license",
    "copy",
    "free",
    "software",
    "warranty",
    "distribute",
    "modify",
    "grant",
    "rights",
    "reserved",
    "notice",
    "terms",
    "conditions",
    "compliance",
    "express",
    "implied",
    "redistribution",
    "source",
    "binary",
    "documentation",
    "materials",
    "author",
    "contributors",
]
_PLAIN = [
    "user",
    "group",
    "delete",
    "selected",
    "change",
    "history",
    "password",
    "content",
    "type",
    "site",
    "the",
    "of",
    "and",
    "to",
    "you",
    "may",
    "not",
    "use",
    "this",
    "file",
    "except",
    "in",
    "with",
    "without",
    "any",
    "or",
    "provided",
    "that",
    "following",
    "forms",
]
_OTHER = [
    "Berechtigung",
    "löschen",
    "Änderung",
    "Benutzer",
    "Gruppe",
    "ñandú",
    "변경",
    "削除",
    "пароль",
    "историю",
]


def _catalog(seed: int, entries: int = 120) -> str:
    """A gettext catalog like a web framework's, with a header and ``entries`` messages."""
    rng = random.Random(seed)  # noqa: S311 -- seeded test data, no secret
    lines = [
        "# Translations of the example project.",
        f"# Copyright (C) {2010 + seed} Example Foundation and contributors",
        "# This file is distributed under the same terms as the example package.",
        "#",
        "# Translators:",
        *(f"# Person {rng.randrange(1000)} <p{n}@example.org>, 20{n + 10}" for n in range(4)),
        'msgid ""',
        'msgstr ""',
        '"Content-Type: text/plain; charset=UTF-8\\n"',
        "",
    ]
    for n in range(entries):
        if n % 17 == 5:  # a message of digits only
            text = " ".join(str(rng.randrange(10_000)) for _ in range(rng.randint(1, 4)))
            lines += [f'msgid "{text}"', f'msgstr "{text}"', ""]
            continue
        vocabulary = _LEGAL + _PLAIN if rng.random() < 0.3 else _PLAIN
        english = " ".join(rng.choice(vocabulary) for _ in range(rng.randint(3, 16)))
        other = [
            " ".join(rng.choice(_OTHER) for _ in range(rng.randint(2, 10)))
            for _ in range(5 if n % 7 == 3 else 1)  # long translations break runs
        ]
        translation = [f'msgstr "{other[0]}"'] if len(other) == 1 else ['msgstr ""']
        if len(other) > 1:
            translation += [f'"{line}"' for line in other]
        lines += [f"#: app/views.py:{n}", f'msgid "{english}"', *translation, ""]
    return "\n".join(lines) + "\n"


def _write(tmp_path: Path, seed: int) -> Path:
    folder = tmp_path / "locale" / "xx" / "LC_MESSAGES"  # ScanCode re-wraps under "locale"
    folder.mkdir(parents=True)
    path = folder / "django.po"
    path.write_text(_catalog(seed), encoding="utf-8")
    return path


def _query(path: Path) -> tuple[Any, Any]:
    from licensedcode import cache  # noqa: PLC0415 -- loaded where the index is
    from licensedcode.query import build_query  # noqa: PLC0415

    fast_licenses.prepare_fast_path(warm_up=False)
    idx = cache.get_index()
    return idx, build_query(location=str(path), idx=idx)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_catalog_findings_are_scancodes(tmp_path: Path, seed: int) -> None:
    path = _write(tmp_path, seed)
    assert fast_licenses.detect_licenses_fast(str(path)) == detect.detect_licenses(str(path))


@pytest.mark.parametrize("seed", [1, 4])
def test_candidates_of_every_run_are_scancodes(tmp_path: Path, seed: int) -> None:
    from licensedcode import match_set  # noqa: PLC0415

    idx, query = _query(_write(tmp_path, seed))
    runs = [query.whole_query_run(), *query.query_runs]
    assert len(runs) > 3
    ranked = 0
    for run in runs:
        for top, high_resemblance in ((70, False), (10, True), (5, False)):
            kwargs = {"top": top, "high_resemblance": high_resemblance}
            matchable = idx.approx_matchable_rids
            fast = fast_licenses._fast_compute_candidates(run, idx, matchable, **kwargs)
            exact = match_set.compute_candidates(run, idx, matchable, **kwargs)
            assert [c[1] for c in fast] == [c[1] for c in exact]
            assert [c[0] for c in fast] == [c[0] for c in exact]
            assert [c[3] for c in fast] == [c[3] for c in exact]
            ranked += len(exact)
    assert ranked > 100  # the runs had candidates to rank


def test_step_two_scores_are_scancodes(tmp_path: Path) -> None:
    """Every rule that passes step one gets ScanCode's own multiset scores, or None where
    ScanCode's checks reject it (both kinds occur)."""
    from licensedcode import match_set  # noqa: PLC0415

    idx, query = _query(_write(tmp_path, 5))
    outcomes = {True: 0, False: 0}
    high_filter = partial(match_set.high_multiset_subset, _use_bigrams=False)
    for run in query.query_runs:
        tokens = fast_queries.matchable_tokens(run)
        scored = fast_licenses._scored_run(tokens, idx, idx.approx_matchable_rids, 0.8)
        _qset, qmset = match_set.build_set_and_mset(list(tokens))
        for rid, *_rest in scored.passing:
            rule = idx.rules_by_rid[rid]
            exact, _intersection = match_set.compare_token_sets(
                qset=qmset,
                iset=idx.msets_by_rid[rid],
                intersector=match_set.multisets_intersector,
                counter=match_set.multiset_counter,
                high_intersection_filter=high_filter,
                len_legalese=idx.len_legalese,
                unique=False,
                rule=rule,
                filter_non_matching=True,
                high_resemblance_threshold=0.8,
            )
            assert scored.step_two_scores(rid) == exact
            outcomes[exact is None] += 1
    assert outcomes[True] > 10
    assert outcomes[False] > 10


def test_matchable_tokens_are_scancodes(tmp_path: Path) -> None:
    from licensedcode.query import QueryRun  # noqa: PLC0415
    from licensedcode.spans import Span  # noqa: PLC0415

    _idx, query = _query(_write(tmp_path, 6))
    tokens = list(query.tokens)
    runs = [query.whole_query_run(), *query.query_runs]
    assert len(runs) > 3
    for run in runs:
        assert fast_queries.matchable_tokens(run) == list(run.matchable_tokens())
    # After matches took positions away (-1 for them): through a run, as ScanCode's
    # matcher subtracts, and in new runs over the query, as its refined runs are.
    first = query.query_runs[0]
    first.subtract(Span(first.start + 2, first.start + (first.end - first.start) // 2))
    fresh = [QueryRun(query=query, start=run.start, end=run.end) for run in runs]
    assert any(-1 in fast_queries.matchable_tokens(run) for run in [first, *fresh])
    for run in [*runs, *fresh]:
        assert fast_queries.matchable_tokens(run) == list(run.matchable_tokens())
    assert query.tokens == tokens  # the query's own tokens are left alone
    # With no position left at all.
    query.subtract(Span(0, len(query.tokens) - 1))
    whole = QueryRun(query=query, start=0, end=len(query.tokens) - 1)
    assert fast_queries.matchable_tokens(whole) == list(whole.matchable_tokens()) == []


def test_digits_only_is_scancodes(tmp_path: Path) -> None:
    from licensedcode.query import QueryRun  # noqa: PLC0415

    path = tmp_path / "numbers.txt"
    path.write_text("2020 1999\n\n\n\n\nfree software copy\n\n\n\n\n42 7\n", encoding="utf-8")
    _idx, query = _query(path)
    catalog_idx, catalog = _query(_write(tmp_path, 7))
    assert catalog_idx is _idx
    # The builder drops runs of digits only, but runs over any span can be made (ScanCode's
    # refined runs are): the first two tokens are digits, the first five are not.
    spans = [(0, 1), (0, 4), (1, 1), (2, 4), (0, None)]
    made = [QueryRun(query=query, start=start, end=end) for start, end in spans]
    runs = [*made, *query.query_runs, query.whole_query_run(), *catalog.query_runs]
    try:
        answers = [fast_queries.remembered_is_digits_only(run) for run in runs]
        assert answers == [QueryRun.is_digits_only(run) for run in runs]
        # Asked again: the remembered answers, still ScanCode's.
        assert answers == [fast_queries.remembered_is_digits_only(run) for run in runs]
    finally:
        fast_queries.DIGITS_ONLY.clear()
    assert True in answers
    assert False in answers


def test_low_matchables_are_scancodes(tmp_path: Path) -> None:
    """A run's low positions, remembered when empty, are ScanCode's, before and after
    matches take positions away."""
    from licensedcode.query import QueryRun  # noqa: PLC0415
    from licensedcode.spans import Span  # noqa: PLC0415

    _idx, query = _query(_write(tmp_path, 8))
    spans = [(run.start, run.end) for run in query.query_runs]

    def fresh() -> list[Any]:
        return [QueryRun(query=query, start=start, end=end) for start, end in spans]

    ours, theirs = fresh(), fresh()
    scancodes = QueryRun.low_matchables.fget
    for step in range(3):
        for mine, exact in zip(ours, theirs, strict=True):
            assert fast_queries.low_matchables(mine) == scancodes(exact)
            assert fast_queries.low_matchables(mine) == scancodes(exact)  # asked again
        # Matches take positions away, as ScanCode's matcher does: all of a run's low
        # positions (an empty set from then on) or a part.
        start, end = spans[step + 1]
        taken = Span(start, end if step == 0 else start + 5)
        query.subtract(taken)
        ours[step + 1].subtract(taken)
        theirs[step + 1].subtract(taken)
    assert any(not scancodes(run) for run in theirs)  # empty sets were compared
    assert any(scancodes(run) for run in theirs)
