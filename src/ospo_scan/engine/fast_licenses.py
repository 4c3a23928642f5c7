# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""The fast license matcher: ScanCode's own, with the approximate matcher's candidates narrowed."""

from __future__ import annotations

import gc
import heapq
import math
import sys
from collections import Counter
from collections.abc import Iterable, Iterator
from typing import Any

from ospo_scan.engine import (
    detect,
    fast_copyrights,
    fast_matched_text,
    fast_queries,
    fast_spans,
    index_cache,
    prefilter,
)
from ospo_scan.engine import index as engine_index
from ospo_scan.engine._patch import swapped, verified

# --- fast path ---
#
# ScanCode's approximate matcher is most of its cost: for every query run that holds a legal
# word it ranks *all* ~37,000 rules by token-set similarity in a Python loop
# (``licensedcode.match_set.compute_candidates``), and most files that hold a legal word hold
# no license at all. Step one of that ranking drops every rule that (a) shares no legalese
# token with the run, (b) needs more distinct legalese tokens than the run has
# (``min_high_matched_length_unique``) or (c) needs more distinct tokens than the run has
# (``min_matched_length_unique``). Those three are necessary conditions that an inverted
# index answers in a few set operations, so the fast path hands ScanCode's own ranking only
# the rules that pass them. The ranking, the alignment and everything after are ScanCode's,
# unchanged: the findings are the same, only the rules that could never be candidates are
# no longer looked at.
#
# Around that, a few of ScanCode's helpers that the matcher calls per token, rule or match
# are stood in for by ones that give the same answers for less (each function's docstring
# holds the argument; tests/engine/test_fast_candidates.py compares each with ScanCode's on
# generated translation catalogs): a query run's matchable tokens, low positions and
# digits-only test (:mod:`.fast_queries`), step two's multiset scores
# (:meth:`_ScoredRun.step_two_scores`) and span overlaps and distances (:mod:`.fast_spans`).
#
# Measured on Django's 1,272 catalogs and not done: remembering a run's candidates across
# files by its token multiset (5,812 distinct of 14,775 rankings, but the repeats are empty
# runs: 0.4 s of 18 s saved), and skipping in step two the rules whose score bound cannot
# reach the top 70 (the 70th candidate there scores a containment of 0.1, so only 4 % of
# the rules were skipped, for more than that in bounding).


_prefilter: prefilter.RulePrefilter | None = None


def prepare_fast_path(*, warm_up: bool = True) -> None:
    """Build the fast path's rule index (about a second); call before forking workers.

    With ``warm_up`` it also runs both detectors once on a small text, so that the regular
    expressions and libmagic that they set up on first use are set up once here, not in
    every worker (a scan in one process has no use for it).
    """
    global _prefilter  # noqa: PLW0603 -- one per process, shared by forked workers
    if _prefilter is not None or not verified():
        return
    from licensedcode.cache import get_index

    engine_index.load_index()
    # Loaded with ospo-scan's copy of the index, or built when that copy was written.
    _prefilter = index_cache.loaded_prefilter() or prefilter.build(get_index())
    if warm_up:
        _warm_up()
    gc.freeze()


def read_token_sets() -> None:
    """Read every rule's token set now (0.15 s), where the index copy reads each when first used.

    For a process whose forks each scan a few files (the daemon): read once there, the sets
    are shared by every fork rather than read again in each (0.1 s on a license text).
    """
    from licensedcode.cache import get_index

    engine_index.load_index()
    sets_by_rid = get_index().sets_by_rid
    _values_of(sets_by_rid, range(len(sets_by_rid)))


def fast_path_available() -> bool:
    """True when the installed scancode-toolkit is the release the fast path was verified on.

    The scan calls it in the scanning process before worker processes are forked, so that the
    one :class:`~ospo_scan.errors.EngineWarning` about an unverified release is issued there,
    where the CLI shows it as one line, rather than in each worker on its first file, where
    it would be printed raw (or, under the CLI, which records warnings, silently lost). A
    process warns once at most, and forked workers inherit that it did.
    """
    return verified()


def fast_path_ready_made() -> bool:
    """True when the rule index came ready with the loaded license index (no build needed)."""
    return index_cache.loaded_prefilter() is not None


def fast_path_prepared() -> bool:
    """True once :func:`prepare_fast_path` has built the rule index in this process.

    A scan with only a few files to detect does not build it (it costs about a second) and
    detects with :func:`detect_licenses`: the same findings.
    """
    return _prefilter is not None


def _warm_up() -> None:
    import tempfile

    sample = (
        "/* Copyright (c) 2020 Example Ltd. Written by A. Person.\n"
        " * SPDX-License-Identifier: MIT\n"
        " * Licensed under the Apache License, Version 2.0 */\n"
    )
    with tempfile.TemporaryDirectory() as folder:
        location = f"{folder}/sample.c"
        with open(location, "w", encoding="utf-8") as handle:  # noqa: PTH123
            handle.write(sample)
        detect_licenses_fast(location)
        detect.detect_copyrights(location)
        fast_copyrights.detect_copyrights_fast(location)


#: Rules passing the legalese test, by the legalese token set (runs repeat those sets), as
#: compact integer sets; forgotten when they hold _HIGH_MEMO_RULES rule ids in all.
_high_memo: dict[bytes, Any] = {}
_HIGH_MEMO_RULES = 2_000_000
_high_memo_size = [0]


def _high_survivors(
    qhigh_set: Any, idx: Any, matchable_rids: Any, pre: prefilter.RulePrefilter
) -> Any:
    """The ids of the matchable rules that share at least ``min_high_matched_length_unique``
    (and one) of the legalese tokens ``qhigh_set``: a pure function of ``qhigh_set`` for
    ScanCode's approximately matchable rules, so it is remembered for those."""
    intbitset = prefilter.intbitset_type()

    shared = matchable_rids is idx.approx_matchable_rids  # ScanCode's one long-lived set
    key = qhigh_set.fastdump()
    if shared:
        found = _high_memo.get(key)
        if found is not None:
            return found
    # at_least[n]: the rules that hold n or more of the run's distinct legalese tokens.
    at_least = [intbitset() for _ in range(prefilter.LEVELS + 1)]
    for seen, tid in enumerate(qhigh_set):
        posting = pre.rids_by_legalese[tid]
        for level in range(min(seen + 1, prefilter.LEVELS), 1, -1):
            at_least[level] |= at_least[level - 1] & posting
        at_least[1] |= posting
    possible = intbitset()
    for level in range(1, prefilter.LEVELS):
        possible |= at_least[level] & pre.rids_with_min_high[level]
    possible |= at_least[prefilter.LEVELS] & pre.rids_by_min_high[-1]  # still checked exactly below
    if shared:
        possible &= pre.approx_matchable
    else:
        possible &= intbitset(list(matchable_rids))
    # The run's legalese tokens and the rule's token set share only legalese tokens.
    needed = pre.min_high_matched
    found = intbitset(
        [
            rid
            for rid, tokens in zip(possible, _values_of(idx.sets_by_rid, possible), strict=True)
            if len(qhigh_set & tokens) >= needed[rid]
        ]
    )
    if shared:
        _high_memo_size[0] += len(found)
        if _high_memo_size[0] > _HIGH_MEMO_RULES:
            _high_memo.clear()
            _high_memo_size[0] = len(found)
        _high_memo[key] = found
    return found


def _unique_set_vectors(
    matched_length: int, resemblance: float, containment: float, threshold: float
) -> Any:
    """The scores of ``compare_token_sets(..., unique=True, filter_non_matching=True)`` for a
    rule that passed its checks (see :meth:`_ScoredRun.step_one`).

    The same arithmetic, in the same order, as scancode-toolkit 32.5.0 (Apache-2.0, (c) nexB
    Inc. and others), so that the scores and hence the ranking are identical. The vectors
    are plain tuples, which sort as ScanCode's ``ScoresVector`` named tuples do: step one's
    scores only rank, they are never returned.
    """
    amplified_resemblance = resemblance**2
    return (
        (
            round(resemblance, 1) >= threshold,
            round(containment, 1),
            round(amplified_resemblance, 1),
            round(matched_length / 20, 1),
        ),
        (resemblance >= threshold, containment, amplified_resemblance, matched_length),
    )


def _fast_compute_candidates(
    query_run: Any,
    idx: Any,
    matchable_rids: Any,
    top: int = 50,
    high_resemblance: bool = False,
    high_resemblance_threshold: float = 0.8,
    _use_bigrams: bool = False,
) -> list[Any]:
    """``licensedcode.match_set.compute_candidates`` of scancode-toolkit 32.5.0, narrowed.

    A copy of ScanCode's function (Apache-2.0, (c) nexB Inc. and others) whose step one
    walks only the rules from :func:`_step_one_survivors` instead of every rule, and scores
    them from the intersections computed there (only when it must rank them), and which keeps
    a run's scores for ScanCode's second ranking of the same run (:class:`_ScoredRun`); the
    rest is unchanged. With bigrams (off in ScanCode 32.5.0) it defers to the original.
    """
    from licensedcode import match_set as ms

    if _use_bigrams:
        return list(
            _ORIGINAL_COMPUTE_CANDIDATES[0](
                query_run,
                idx,
                matchable_rids,
                top=top,
                high_resemblance=high_resemblance,
                high_resemblance_threshold=high_resemblance_threshold,
                _use_bigrams=_use_bigrams,
            )
        )
    # ScanCode's high_resemblance ranking is the whole file's near-duplicate check. When the
    # file is one run, the ranking of that run follows with the same tokens and reuses all
    # the scores: score every rule then. Otherwise score only the possible near duplicates.
    runs = getattr(getattr(query_run, "query", None), "query_runs", ())
    run = _scored_run(
        fast_queries.matchable_tokens(query_run),
        idx,
        matchable_rids,
        high_resemblance_threshold,
        near_duplicates_only=high_resemblance and len(runs) > 1,
    )
    # Step one keeps the top*10 rules by its scores, and step two's result depends only on
    # which rules it is given, not on their order (``filter_dupes`` ranks by full scores and
    # rule identifier, then all is sorted again). So when no more than top*10 rules pass,
    # all of them go on, and step one's scores need not be worked out at all.
    passing = run.highly_resemblant() if high_resemblance else run.passing
    if len(passing) > top * 10:
        # heapq.nlargest(n, items) is sorted(items, reverse=True)[:n], without sorting all.
        passing = [entry for _vectors, entry in heapq.nlargest(top * 10, run.step_one(passing))]
    if not passing:
        return []
    # The Rule objects are read only here, for the rules that step two keeps: a Rule that
    # the index copy has not unpickled yet costs its unpickling (see index_cache).
    rules = idx.rules_by_rid
    sortable = []
    for rid, *_rest in passing:
        scores_vectors = run.step_two_scores(rid)
        if scores_vectors and (
            not high_resemblance
            or (scores_vectors[0].is_highly_resemblant and scores_vectors[1].is_highly_resemblant)
        ):
            # The legalese intersection is worked out below for the candidates returned:
            # neither filter_dupes nor the sort reads it (rule ids differ, so the sort never
            # compares past them).
            sortable.append((scores_vectors, rid, rules[rid], None))
    if not sortable:
        return sortable
    qhigh_set, sets_by_rid = run.qhigh_set, idx.sets_by_rid
    return [
        (scores_vectors, rid, rule, qhigh_set & sets_by_rid[rid])
        for scores_vectors, rid, rule, _none in sorted(ms.filter_dupes(sortable), reverse=True)[
            :top
        ]
    ]


class _ScoredRun:
    """One query run's step-one scores and the step-two scores computed so far.

    ScanCode ranks the same run twice for most files (the whole-file near-duplicate check,
    then each run, with other ``top`` and ``high_resemblance`` settings); the scores do not
    depend on those, so the second ranking reuses them.
    """

    def __init__(
        self,
        key: tuple[Any, ...],
        counts: Counter[int],
        idx: Any,
        threshold: float,
        qhigh_set: Any,
    ) -> None:
        self.key = key
        self.qhigh_set = qhigh_set  # the run's distinct legalese tokens
        #: (rule id, resemblance, containment, matched length) of each rule passing step
        #: one's checks, by rule id. (Not the Rule: see :func:`_fast_compute_candidates`.)
        self.passing: list[tuple[Any, ...]] = []
        self.intersections: dict[int, Any] = {}  # rule id -> step one's token set intersection
        self._counts = counts
        self._length = sum(counts.values())
        self._idx = idx
        self._threshold = threshold
        self._step_two: dict[int, Any] = {}
        #: Only rules of a length that a near duplicate can have were scored (see
        #: :func:`_scored_run`): this run answers ``high_resemblance`` rankings only.
        self.near_duplicates_only = False

    def highly_resemblant(self) -> list[tuple[Any, ...]]:
        """The passing rules that step one keeps with ``high_resemblance``: those whose
        rounded and exact resemblances both reach the threshold."""
        threshold = self._threshold
        return [
            entry
            for entry in self.passing
            if round(entry[1], 1) >= threshold and entry[1] >= threshold
        ]

    def step_one(self, entries: list[tuple[Any, ...]]) -> list[tuple[Any, tuple[Any, ...]]]:
        """(step one's scores with the rule id, entry) of ``entries``: ScanCode's order."""
        threshold = self._threshold
        return [
            ((_unique_set_vectors(entry[3], entry[1], entry[2], threshold), entry[0]), entry)
            for entry in entries
        ]

    def step_two_scores(self, rid: int) -> Any:
        """``compare_token_sets`` on the multisets, as ScanCode's step two calls it.

        The multiset intersection has the keys of the set intersection that step one
        computed, each with the smaller of its two counts; so it is built from those keys
        rather than by walking the smaller multiset whole. The checks and the arithmetic are
        ScanCode's, in its order; the rule's numbers are read from the prefilter, which
        holds the rules' own values.

        The legalese part is summed first, and the rest only when the rule passes the
        legalese check: on text with legal words but no license, most rules that reach step
        two fail it (about 57 % on translation catalogs). Every check only rejects, so the
        order in which they are tried does not change the result. Token ids are legalese
        exactly when below ``len_legalese``, and an ``intbitset`` iterates in increasing
        order, so the legalese ids come first.
        """
        try:
            return self._step_two[rid]
        except KeyError:
            pass
        counts = self._counts
        rule_counts = self._idx.msets_by_rid[rid]
        len_legalese = self._idx.len_legalese
        high_matched_length = 0
        tokens = iter(self.intersections[rid])
        first_other = -1
        for tid in tokens:
            if tid >= len_legalese:
                first_other = tid
                break
            high_matched_length += min(counts[tid], rule_counts[tid])
        scores: Any = None
        pre = _prefilter
        assert pre is not None
        if high_matched_length and high_matched_length >= pre.min_high_matched_length[rid]:
            matched_length = high_matched_length
            if first_other >= 0:
                others = [first_other, *tokens]
                # sum(min(q, r)) over the other shared tokens, the loop run in C.
                matched_length += sum(
                    map(min, map(counts.__getitem__, others), map(rule_counts.__getitem__, others))
                )
            if matched_length >= pre.min_matched_length[rid]:
                scores = self._scores(rid, matched_length)
        self._step_two[rid] = scores
        return scores

    def _scores(self, rid: int, matched_length: int) -> Any:
        """The end of ``compare_token_sets`` on multisets: the containment check and the
        score vectors, ScanCode's arithmetic in its order (None when rejected)."""
        pre = _prefilter
        assert pre is not None
        iset_len = pre.length[rid]
        union_len = self._length + iset_len - matched_length
        resemblance = matched_length / union_len
        containment = matched_length / iset_len
        amplified_resemblance = resemblance**2
        minimum_containment = pre.minimum_containment[rid]
        if minimum_containment and containment < minimum_containment:
            return None
        threshold = self._threshold
        vector = _scores_vector()
        return (
            vector(
                is_highly_resemblant=round(resemblance, 1) >= threshold,
                containment=round(containment, 1),
                resemblance=round(amplified_resemblance, 1),
                matched_length=round(matched_length / 20, 1),
            ),
            vector(
                is_highly_resemblant=resemblance >= threshold,
                containment=containment,
                resemblance=amplified_resemblance,
                matched_length=matched_length,
            ),
        )


def _scores_vector() -> Any:
    """ScanCode's ``ScoresVector`` named tuple (imported once, on first use)."""
    if not _SCORES_VECTOR:
        from licensedcode.match_set import ScoresVector

        _SCORES_VECTOR.append(ScoresVector)
    return _SCORES_VECTOR[0]


_SCORES_VECTOR: list[Any] = []


#: The last query run scored, in this process.
_last_run: list[_ScoredRun] = []


def _scored_run(
    matchable_tokens: Iterable[int],
    idx: Any,
    matchable_rids: Any,
    threshold: float,
    *,
    near_duplicates_only: bool = False,
) -> _ScoredRun:
    """The step-one scores of every rule that passes step one for this run's tokens.

    Only the rules from :func:`_high_survivors` are looked at. For each, the checks of
    ``compare_token_sets(..., unique=True, filter_non_matching=True)`` that can reject it
    are necessary conditions, tested cheapest first: a legalese intersection at least
    ``min_high_matched_length_unique`` long (in :func:`_high_survivors`), an intersection at
    least ``min_matched_length_unique`` long, and the rule's minimum containment. The
    intersection is ScanCode's own (``qset & iset``), kept for step two.

    With ``near_duplicates_only`` (ScanCode's ``high_resemblance`` ranking, which keeps only
    rules whose resemblance reaches ``threshold``) only rules of a length that can reach it
    are scored. The resemblance of the token sets is ``m / (q + r - m)`` for ``m`` shared
    tokens of ``q`` in the run and ``r`` in the rule; as ``m <= min(q, r)`` it is at most
    ``min(q, r) / max(q, r)``, so a rule with ``r < threshold * q`` or
    ``r > q / threshold`` never reaches it. The window is widened by a token on both sides,
    against any rounding. Such a run is not reused for a ranking of all rules.
    """
    tokens = tuple(matchable_tokens)  # ScanCode hands over a generator
    key = (idx, matchable_rids, threshold, tokens)
    if _last_run and _last_run[0].key == key:
        last = _last_run[0]
        if near_duplicates_only or not last.near_duplicates_only:
            return last
    pre = _prefilter
    assert pre is not None
    # ScanCode's build_set_and_mset, counted in C; the multiset only if step two runs.
    counts = Counter(tokens)
    counts.pop(-1, None)  # already matched
    qset = prefilter.intbitset_type()(counts.keys())
    qhigh_set = qset & pre.legalese
    run = _ScoredRun(key, counts, idx, threshold, qhigh_set)
    if not qhigh_set:
        _last_run[:] = [run]
        return run
    qset_len = len(qset)
    sets_by_rid = idx.sets_by_rid
    min_lengths = pre.min_matched_length_unique
    lengths = pre.length_unique
    containments = pre.minimum_containment
    passing = run.passing
    intersections = run.intersections
    shortest = longest = 0
    if near_duplicates_only and threshold > 0:
        run.near_duplicates_only = True
        shortest = math.floor(threshold * qset_len) - 1
        longest = math.ceil(qset_len / threshold) + 1
    survivors = _high_survivors(qhigh_set, idx, matchable_rids, pre)
    if run.near_duplicates_only:  # the length window filters first, in one comprehension
        survivors = [rid for rid in survivors if shortest <= lengths[rid] <= longest]
    for rid, tokens in zip(survivors, _values_of(sets_by_rid, survivors), strict=True):
        intersection = qset & tokens
        matched_length = len(intersection)
        if matched_length < min_lengths[rid]:
            continue
        # compare_token_sets(..., unique=True, filter_non_matching=True) of scancode-toolkit
        # 32.5.0 (Apache-2.0, (c) nexB Inc. and others): its arithmetic, in its order.
        iset_len = lengths[rid]
        resemblance = matched_length / (qset_len + iset_len - matched_length)
        containment = matched_length / iset_len
        minimum_containment = containments[rid]
        if minimum_containment and containment < minimum_containment:
            continue
        passing.append((rid, resemblance, containment, matched_length))
        intersections[rid] = intersection
    _last_run[:] = [run]
    return run


def _values_of(per_rule: Any, rids: Iterable[int]) -> list[Any]:
    """``[per_rule[rid] for rid in rids]``, for one of the index's per-rule lists: ScanCode's
    own, or the index copy's, whose values are read on first use (``values_of``)."""
    many = getattr(per_rule, "values_of", None)
    return many(rids) if many is not None else [per_rule[rid] for rid in rids]


#: ScanCode's own compute_candidates, kept while the fast one stands in for it.
_ORIGINAL_COMPUTE_CANDIDATES: list[Any] = []


def detect_licenses_fast(location: str, *, deadline: float = sys.maxsize) -> detect.LicenseFindings:
    """:func:`detect_licenses`, with the approximate matcher's candidates narrowed first.

    The result is ScanCode's (see the section comment above); only the time differs.
    """
    from licensedcode import match, match_set

    if not verified():
        return detect.detect_licenses(location, deadline=deadline)
    prepare_fast_path()
    _ORIGINAL_COMPUTE_CANDIDATES[:] = [match_set.compute_candidates]
    if match.get_full_matched_text is not fast_matched_text.fast_get_full_matched_text:
        fast_matched_text.ORIGINAL[:] = [match.get_full_matched_text]
    try:
        with (
            swapped(match_set, compute_candidates=_fast_compute_candidates),
            fast_queries.fast_queries(),
            fast_spans.fast_spans(),
            swapped(
                match,
                tokenize_matched_text=_lazy_tokenize_matched_text,
                get_full_matched_text=fast_matched_text.fast_get_full_matched_text,
            ),
        ):
            return detect.detect_licenses(location, deadline=deadline)
    finally:
        fast_matched_text.forget()
        # Never another file's, nor an earlier content's, tokens. The file is closed here,
        # in this call, not by the garbage collector later: an exception raised while a
        # generator is collected is lost, and --timeout's is raised from a signal handler.
        _close_lazy_tokens(_LAZY_TOKENS)


class _LazyTokens:
    """ScanCode's matched-text tokens of a file, produced only as far as they are read.

    ScanCode names each detection by its matched text, and finds that text by tokenizing
    the whole file again, then reading the tokens up to the match's last line
    (``reportable_tokens`` stops there). A one-line notice at the top of a long file paid
    for the whole file; this pays for the lines up to the last match. The tokens, and so
    the text, are the same: they are produced in the same order and kept for re-reading.
    """

    __slots__ = ("_seen", "_source")

    def __init__(self, source: Iterable[Any]) -> None:
        self._source: Any = iter(source)
        self._seen: list[Any] = []

    def close(self) -> None:
        """Stop reading the file (its remaining tokens are never produced)."""
        source, self._source = self._source, None
        close = getattr(source, "close", None)
        if close is not None:
            close()

    def __iter__(self) -> Iterator[Any]:
        seen = self._seen
        position = 0
        while True:
            if position == len(seen):
                if self._source is None:
                    return
                token = next(self._source, None)
                if token is None:
                    self._source = None
                    return
                seen.append(token)
            yield seen[position]
            position += 1


def _lazy_tokenize_matched_text(
    location: str | None,
    query_string: str | None,
    dictionary: Any,
    start_line: int = 1,
    _cache: dict[Any, Any] | None = None,
) -> Iterable[Any]:
    """``licensedcode.match.tokenize_matched_text``, lazy (see :class:`_LazyTokens`).

    Like ScanCode's, it remembers the last file's tokens, unless given its own ``_cache``.
    """
    from licensedcode.match import _tokenize_matched_text

    cache = _LAZY_TOKENS if _cache is None else _cache
    key = (location, query_string, start_line)
    cached = cache.get(key)
    if cached is not None:
        return cached
    _close_lazy_tokens(cache)
    tokens = _LazyTokens(
        _tokenize_matched_text(
            location=location,
            query_string=query_string,
            dictionary=dictionary,
            start_line=start_line,
        )
    )
    cache[key] = tokens
    return tokens


_LAZY_TOKENS: dict[Any, _LazyTokens] = {}


def _close_lazy_tokens(cache: dict[Any, Any]) -> None:
    while cache:
        _key, tokens = cache.popitem()
        if isinstance(tokens, _LazyTokens):
            tokens.close()
