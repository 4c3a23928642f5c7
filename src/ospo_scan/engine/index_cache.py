# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""ospo-scan's own copy of ScanCode's license index, made to load fast and small.

ScanCode keeps its license index as one pickle of about 410 MB that takes about 1.5 s to load
and about 1.1 GB of memory. Two parts of that are not worth their cost to ospo-scan:

- the automaton for *unknown* license detection (ScanCode's ``--unknown-licenses``, about
  110 MB of the pickle, 130 MB in memory, 0.2 s of the load), which ospo-scan never asks
  for. Here it is loaded from ScanCode's own pickle on first use
  (:class:`_UnknownAutomatonOnDemand`), so a caller that does ask gets ScanCode's answer;
- the fast path's rule prefilter (:mod:`.prefilter`), which a scan used to build anew in
  every run (about a second) although it is a function of the index alone.

- the ``Rule`` objects, 37,000 of them (0.3 s of the load), of which a scan reads those of
  its candidates and matches only. The copy keeps each rule pickled until it is first read
  (:class:`_RuleValues`, :class:`_RulesById`), as it does the rules' token multisets and
  legalese positions; the fast path reads the per-rule numbers of its ranking from the
  prefilter, not from the rules.

So the first load writes a copy: ScanCode's ``LicenseCache`` without the unknown automaton,
plus the prefilter, keyed by the exact index file it came from (:func:`installed.index_stamp`),
the ospo-scan code that reads it and the Python version. Every later load reads that copy.
The objects are ScanCode's own, unpickled the same way, so matching is unchanged; the
equivalence tests compare findings from both routes.

The copy also lowers the load's peak memory. An Aho-Corasick automaton is pickled as one
bytes blob (180 MB for the rules automaton), held in memory while the automaton is rebuilt
from it: inside ScanCode's pickle that happens on top of everything loaded before it.
Here the automaton is written first, so its blob is gone before the rest is loaded.

Where: ``$OSPO_SCAN_INDEX_CACHE`` if set (``off``: no copy, ScanCode's pickle only), else
an ``ospo-scan`` folder beside ScanCode's index cache if that is writable, else
``$XDG_CACHE_HOME/ospo-scan/license-index``. A copy that cannot be read or does not match
is ignored (and replaced); one that cannot be written is not an error: the scan goes on with
ScanCode's pickle. A pickle runs code when it loads, so a copy is only loaded when it and
its folder belong to this user (or root) and nobody else may write them (:func:`_trusted`).
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib
import os
import pickle
import sys
import tempfile
import threading
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from ospo_scan.engine import installed

#: Bump when what the copy holds, or how, changes.
_FORMAT = 4
_HEADER = "ospo-scan license index copy"
#: Modules whose code shapes what the copy holds: the copy is keyed by their source.
_SHAPING_MODULES = ("index_cache.py", "prefilter.py")

#: The fast path's prefilter that came with the loaded copy (None: build it).
_prefilter: list[Any] = []
#: The index identity written with the loaded copy (its rules' digest takes 0.1 s).
_identity: list[str] = []


def folder() -> Path | None:
    """Where the copy lives (see the module docstring), or None when there is nowhere."""
    explicit = os.environ.get("OSPO_SCAN_INDEX_CACHE")
    if explicit == "off":
        return None
    if explicit:
        return Path(explicit)
    scancode_folder = installed.license_cache_dir()
    if scancode_folder and os.access(scancode_folder, os.W_OK):
        return Path(scancode_folder) / "ospo-scan"
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "ospo-scan" / "license-index"


def _key() -> str | None:
    from ospo_scan import __version__

    stamp = installed.index_stamp()
    if stamp is None:
        return None
    digest = hashlib.sha256()
    here = Path(__file__).parent
    for name in _SHAPING_MODULES:
        digest.update((here / name).read_bytes())
    python = ".".join(map(str, sys.version_info[:3]))
    return f"{_FORMAT}:{__version__}:{python}:{stamp}:{digest.hexdigest()[:16]}"


def _path(key: str) -> Path | None:
    where = folder()
    if where is None:
        return None
    name = hashlib.sha256(key.encode("utf-8")).hexdigest()[:20]
    return where / f"license-index-{name}.pickle"


def load_into_scancode() -> bool:
    """Load the copy and make it ScanCode's loaded index; False when there is no good copy.

    The caller pauses the garbage collector (see :func:`index.load_index`).
    """
    key = _key()
    path = _path(key) if key else None
    if path is None:
        return False
    importer = _importing_scancode()
    try:
        with path.open("rb") as handle:
            if not (_trusted(path.parent) and _trusted(path, handle.fileno())):
                return False
            # Loaded only from a file that this user (or root) alone can write (see above).
            header = pickle.load(handle)  # noqa: S301
            if header != (_HEADER, key):
                return False
            automaton = pickle.load(handle)  # noqa: S301
            importer.join()
            license_cache = pickle.load(handle)  # noqa: S301
            rules = pickle.load(handle)  # noqa: S301
            identity = pickle.load(handle)  # noqa: S301
    except Exception:  # noqa: BLE001 -- a damaged copy, however it fails, is ignored and rewritten
        return False
    finally:
        importer.join()
    from licensedcode import cache

    license_cache.index.rules_automaton = automaton
    license_cache.index.unknown_automaton = _UnknownAutomatonOnDemand()
    cache._LICENSE_CACHE = license_cache
    _prefilter[:] = [rules]
    _identity[:] = [identity]
    return True


def _importing_scancode() -> threading.Thread:
    """Import the ScanCode modules that the index's objects belong to, in a thread, started.

    The automaton (read first, about 0.3 s) needs none of them, and rebuilding it lets a
    thread import them meanwhile (about 0.2 s, which the rest of the copy would otherwise
    pay first): 0.08 s sooner in all. Joined before the rest is read, so no thread is left
    when workers fork. A module that fails to import fails again, and is reported, where
    the copy's pickle names it.
    """

    def run() -> None:
        with contextlib.suppress(Exception):
            for name in ("licensedcode.index", "licensedcode.detection"):
                importlib.import_module(name)

    thread = threading.Thread(target=run, name="ospo-scan-imports", daemon=True)
    thread.start()
    return thread


def _trusted(path: Path, descriptor: int | None = None) -> bool:
    """True when ``path`` belongs to this user or root and no one else may write it."""
    status = os.fstat(descriptor) if descriptor is not None else path.stat()
    return status.st_uid in (0, os.getuid()) and not status.st_mode & 0o022


def loaded_prefilter() -> Any:
    """The fast path's prefilter loaded with the copy (or built with it), or None."""
    return _prefilter[0] if _prefilter else None


def loaded_identity() -> str | None:
    """:func:`index.license_index_identity` of the loaded copy, as written with it, or None."""
    return _identity[0] if _identity else None


def use_prefilter(rules: Any) -> None:
    """Remember the prefilter ``rules`` as the ones that go with the loaded index."""
    _prefilter[:] = [rules]


def save_from_scancode(rules: Any, identity: str) -> Path | None:
    """Write the copy of ScanCode's loaded index, with the prefilter ``rules`` and its ``identity``.

    Returns its path, or None.

    Best effort: a folder that cannot be written leaves the scan on ScanCode's pickle. The
    file appears whole or not at all (written aside, then renamed).
    """
    key = _key()
    path = _path(key) if key else None
    if path is None:
        return None
    from licensedcode import cache

    license_cache = cache.get_cache()
    idx = license_cache.index
    automaton, unknown = idx.rules_automaton, idx.unknown_automaton
    if isinstance(unknown, _UnknownAutomatonOnDemand):
        return None  # already a copy: nothing to write from
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle = tempfile.NamedTemporaryFile(  # noqa: SIM115 -- closed below, renamed after
            dir=path.parent, prefix=".tmp-", suffix=".pickle", delete=False
        )
    except OSError:
        return None
    try:
        with handle:
            pickle.dump((_HEADER, key), handle, protocol=pickle.HIGHEST_PROTOCOL)
            pickle.dump(automaton, handle, protocol=pickle.HIGHEST_PROTOCOL)
            per_rule = {name: getattr(idx, name) for name in (*_PER_RULE, "rules_by_id")}
            idx.rules_automaton = None
            idx.unknown_automaton = None
            for name in _PER_RULE:
                setattr(idx, name, _RuleValues.of(per_rule[name]))
            idx.rules_by_id = _RulesById(
                {rule.identifier: rid for rid, rule in enumerate(per_rule["rules_by_rid"])},
                idx.rules_by_rid,
            )
            try:
                pickle.dump(license_cache, handle, protocol=pickle.HIGHEST_PROTOCOL)
            finally:
                idx.rules_automaton, idx.unknown_automaton = automaton, unknown
                for name, values in per_rule.items():
                    setattr(idx, name, values)
            pickle.dump(rules, handle, protocol=pickle.HIGHEST_PROTOCOL)
            pickle.dump(identity, handle, protocol=pickle.HIGHEST_PROTOCOL)
        Path(handle.name).chmod(0o644)  # readable like ScanCode's own index cache
        Path(handle.name).replace(path)
        _remove_stale_copies(path)
    except (OSError, pickle.PicklingError):
        with contextlib.suppress(OSError):
            Path(handle.name).unlink()
        return None
    except BaseException:
        # Interrupted (Ctrl-C, --timeout's alarm) while writing: no 300 MB half-file is left.
        with contextlib.suppress(OSError):
            Path(handle.name).unlink()
        raise
    return path


#: The index's per-rule lists that the copy keeps packed, each rule's value unpacked when
#: first read: token multisets and the positions of legalese tokens. A scan reads them for
#: the few thousand rules that are candidates somewhere, out of ~37,000; unpacked they are
#: about 170 MB of small Python objects and 0.4 s of the load. The token sets too (0.15 s of
#: the load, each set being a compressed bitmap): the fast path reads those of the rules its
#: prefilter lets through (:mod:`.fast_licenses`), none on a file without legalese and about
#: half of them on a first full license text; a forked worker reads those its own files
#: need. The ``Rule`` objects themselves too (0.3 s of the load): a scan reads those of its
#: matches and candidates, and the fast path's prefilter holds the per-rule numbers that
#: its ranking reads for every rule. ``rules_by_id`` then maps each identifier to the same
#: lazily read objects (:class:`_RulesById`).
_PER_RULE = ("sets_by_rid", "msets_by_rid", "high_postings_by_rid", "rules_by_rid")


class _RuleValues:
    """A read-only list of per-rule values, kept pickled, each unpickled on first read.

    ScanCode and the fast path index these lists by rule id (``idx.msets_by_rid[rid]``),
    which is all this offers besides ``len`` and iteration (ScanCode's own candidate ranking,
    used off the fast path, iterates the rules: that reads them all, once). A value, once
    read, is the same object on every later read, as in ScanCode's list. The values read are
    equal to ScanCode's (the same objects, pickled and unpickled once more); a rule's license
    symbol is its own copy rather than shared with the other rules of its license, which
    only ``is`` could tell apart (license-expression compares symbols by key).
    """

    __slots__ = ("_packed", "_values")

    def __init__(self, packed: list[bytes | None]) -> None:
        self._packed = packed
        self._values: list[Any] = [_UNREAD] * len(packed)

    @classmethod
    def of(cls, values: list[Any]) -> _RuleValues:
        """Pack ``values`` (None stays None)."""
        dumps = pickle.dumps
        protocol = pickle.HIGHEST_PROTOCOL
        return cls([None if v is None else dumps(v, protocol=protocol) for v in values])

    def __getstate__(self) -> list[bytes | None]:
        return self._packed

    def __setstate__(self, packed: list[bytes | None]) -> None:
        self._packed = packed
        self._values = [_UNREAD] * len(packed)

    def __len__(self) -> int:
        return len(self._packed)

    def __getitem__(self, rid: int) -> Any:
        value = self._values[rid]
        if value is _UNREAD:
            packed = self._packed[rid]
            value = None if packed is None else pickle.loads(packed)  # noqa: S301 -- our own copy
            self._values[rid] = value
        return value

    def values_of(self, rids: Iterable[int]) -> list[Any]:
        """``[self[rid] for rid in rids]`` in one call: the fast path reads thousands at once.

        ``rids`` is read twice (an integer set or a list).
        """
        values = self._values
        for rid in [rid for rid in rids if values[rid] is _UNREAD]:
            self[rid]
        return [values[rid] for rid in rids]

    def __iter__(self) -> Any:
        return (self[rid] for rid in range(len(self._packed)))


#: A per-rule value not unpickled yet.
_UNREAD: Any = object()


class _RulesById(Mapping[str, Any]):
    """ScanCode's ``rules_by_id`` over lazily read rules: identifier to the rule object."""

    __slots__ = ("_rid_by_id", "_rules")

    def __init__(self, rid_by_id: dict[str, int], rules: _RuleValues) -> None:
        self._rid_by_id = rid_by_id
        self._rules = rules

    def __getitem__(self, identifier: str) -> Any:
        return self._rules[self._rid_by_id[identifier]]

    def __iter__(self) -> Iterator[str]:
        return iter(self._rid_by_id)

    def __len__(self) -> int:
        return len(self._rid_by_id)


def _remove_stale_copies(kept: Path) -> None:
    """Remove the copies of other keys (an older index, ospo-scan or Python): 300 MB each."""
    for other in kept.parent.glob("license-index-*.pickle"):
        if other != kept:
            with contextlib.suppress(OSError):
                other.unlink()


class _UnknownAutomatonOnDemand:
    """Stands in for ScanCode's unknown-license automaton until something uses it.

    Then it loads ScanCode's own pickle once and hands every attribute to that automaton.
    ospo-scan never detects unknown licenses, so in practice this is never loaded.
    """

    def __init__(self) -> None:
        self._automaton: Any = None

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        automaton = self.__dict__.get("_automaton")
        if automaton is None:
            from licensedcode import cache

            source = Path(str(installed.license_cache_dir())) / "license_index" / "index_cache"
            automaton = cache.load_cache_file(str(source)).index.unknown_automaton
            self.__dict__["_automaton"] = automaton
        return getattr(automaton, name)
