# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""One shared license-expression ``Licensing`` and small helpers over SPDX expressions.

Building a ``Licensing`` is costly, so the module builds one, lazily, and everything that
parses SPDX expressions goes through it.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from license_expression import (
    AND,
    OR,
    ExpressionError,
    LicenseSymbol,
    LicenseWithExceptionSymbol,
    Licensing,
)


@functools.cache
def licensing() -> Licensing:
    """The process-wide ``Licensing`` (permissive about symbols: any id parses)."""
    return Licensing()


def license_ids(expression: str | None) -> tuple[str, ...]:
    """The distinct license ids of an SPDX expression, in order; ``A WITH E`` stays one id.

    An expression that does not parse is returned whole, so that nothing is silently lost
    from a tally.
    """
    if not expression:
        return ()
    return _license_ids(expression)


# A tree's files repeat a few expressions thousands of times: each is parsed once.
@functools.lru_cache(maxsize=8192)
def _license_ids(expression: str) -> tuple[str, ...]:
    try:
        symbols = licensing().license_symbols(expression, unique=True, decompose=False)
    except ExpressionError:
        return (expression,)
    return tuple(dict.fromkeys(str(s) for s in symbols))


#: SPDX ids ScanCode uses for "a license is mentioned here but we cannot say which": evidence
#: that something needs a look, never a license to conclude or compare.
NOISE_PREFIXES = ("LicenseRef-scancode-unknown", "LicenseRef-scancode-free-unknown")

#: Suffixes that say which versions of a license apply; a license text alone cannot tell them
#: apart, so comparisons between a declaration and license files ignore them.
_VERSION_SUFFIXES = ("-or-later", "-only", "+")


def is_noise(license_id: str) -> bool:
    """True for ScanCode's unknown-license ids (see :data:`NOISE_PREFIXES`)."""
    return license_id.startswith(NOISE_PREFIXES)


def _rebuild(expression: str, keep: Callable[[str], bool]) -> str | None:
    """``expression`` without the ids that ``keep`` rejects (``None`` when nothing is left)."""
    parsed = licensing().parse(expression)
    if parsed is None:
        return None
    return _render(_filter(parsed, keep))


def _filter(node: Any, keep: Callable[[str], bool]) -> Any:
    if isinstance(node, (LicenseSymbol, LicenseWithExceptionSymbol)):
        key = node.license_symbol.key if isinstance(node, LicenseWithExceptionSymbol) else node.key
        return node if keep(str(key)) else None
    kept = [k for k in (_filter(arg, keep) for arg in node.args) if k is not None]
    if not kept:
        return None
    if len(kept) == 1:
        return kept[0]
    return type(node)(*kept)


def _render(node: Any) -> str | None:
    if node is None:
        return None
    return str(licensing().dedup(node))


def without_noise(expression: str | None) -> str | None:
    """``expression`` without ScanCode's unknown-license ids; ``None`` when that is all it has.

    An expression that does not parse is returned as it is: better shown than lost.
    """
    if not expression:
        return None
    try:
        return _rebuild(expression, lambda key: not is_noise(key))
    except ExpressionError:
        return expression


#: The GNU Lesser GPL version 3 is the GPL version 3 with additional permissions: its text
#: "incorporates the terms and conditions of version 3 of the GNU General Public License",
#: and a package under it ships both texts (COPYING beside COPYING.LESSER).
_LGPL3 = frozenset({"LGPL-3.0-only", "LGPL-3.0-or-later", "LGPL-3.0", "LGPL-3.0+"})
_GPL3 = frozenset({"GPL-3.0-only", "GPL-3.0-or-later", "GPL-3.0", "GPL-3.0+"})


def without_incorporated(declared: str, detected: str) -> str:
    """``detected`` without the GPL-3.0 text that a declared LGPL-3.0 incorporates.

    Only when the LGPL-3.0 text is detected too, and the declaration does not name a GPL-3.0
    of its own: a GPL-3.0 text alone is still a GPL-3.0 license.
    """
    declared_ids = set(license_ids(declared))
    detected_ids = set(license_ids(detected))
    if not (declared_ids & _LGPL3 and detected_ids & _LGPL3 and detected_ids & _GPL3):
        return detected
    if declared_ids & _GPL3:
        return detected
    try:
        return _rebuild(detected, lambda key: key not in _GPL3) or detected
    except ExpressionError:
        return detected


def combine(expressions: Iterable[str | None]) -> str | None:
    """All of ``expressions`` AND-ed, duplicates removed; ``None`` when there are none."""
    terms: dict[str, None] = {}
    for expression in expressions:
        if not expression:
            continue
        try:
            parsed = licensing().dedup(expression)
        except ExpressionError:
            terms[expression] = None
            continue
        # Flatten top-level ANDs so that "MIT AND BSD-3-Clause" and "MIT" give each id once.
        args = parsed.args if isinstance(parsed, AND) else (parsed,)
        for arg in args:
            text = str(arg)
            terms[f"({text})" if isinstance(arg, OR) else text] = None
    if not terms:
        return None
    if len(terms) == 1:
        only = next(iter(terms))
        return only[1:-1] if only.startswith("(") and only.endswith(")") else only
    return " AND ".join(terms)


def _family(license_id: str) -> str:
    """``GPL-3.0-or-later`` and ``GPL-3.0-only`` both become ``GPL-3.0``."""
    for suffix in _VERSION_SUFFIXES:
        if license_id.endswith(suffix):
            return license_id[: -len(suffix)]
    return license_id


#: Whether two license ids name the same license (or one a variant of the other).
SameLicense = Callable[[str, str], bool]

#: ``<name>-<version>`` with an optional version suffix: ``LGPL-2.1-only``, ``GPL-2.0+``.
_VERSIONED = re.compile(
    r"^(?P<name>.+?)-(?P<version>\d+(?:\.\d+)*)(?P<suffix>-or-later|-only|\+)?$"
)


def _version(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.split("."))


def _admits(declared_id: str, detected_id: str, same: SameLicense | None) -> bool:
    """True when license files showing ``detected_id`` agree with a declared ``declared_id``.

    The same license agrees, whatever its version suffix (a text cannot say "only" or "or
    later"); so does any later version of a license declared "or later": a declared
    ``LGPL-2.0-or-later`` ships the LGPL 2.1 text as often as the 2.0 one. ``same``, when
    given, says whether two different ids name the same license (ScanCode's own data).
    """
    if declared_id == detected_id or _family(declared_id) == _family(detected_id):
        return True
    declared = _VERSIONED.match(declared_id)
    detected = _VERSIONED.match(detected_id)
    if (
        declared
        and detected
        and declared["suffix"] in ("-or-later", "+")
        and declared["name"] == detected["name"]
        and _version(detected["version"]) >= _version(declared["version"])
    ):
        return True
    return same is not None and same(declared_id, detected_id)


def _symbols(expression: str) -> set[str]:
    symbols = licensing().license_symbols(expression, unique=True, decompose=True)
    return {str(s.key) for s in symbols}


def _and_terms(expression: str) -> list[Any]:
    parsed = licensing().dedup(expression)
    return list(parsed.args) if isinstance(parsed, AND) else [parsed]


def _term_covered(term: Any, declared: str, same: SameLicense | None) -> bool:
    """True when the declaration names every license of one AND term of the files."""
    if licensing().is_equivalent(term, declared):
        return True
    declared_ids = _symbols(declared)
    return all(any(_admits(d, s, same) for d in declared_ids) for s in _symbols(str(term)))


def covers(declared: str, detected: str, same: SameLicense | None = None) -> bool:
    """True when license files that show ``detected`` agree with a ``declared`` expression.

    Compared as license expressions, not as strings. They agree when the expressions are
    equivalent, or when every license of the files is one the declaration names: a
    declared ``MIT OR Apache-2.0`` with the two texts (``MIT AND Apache-2.0``, or only one of
    them) agrees, as does a declared "or later" id with the plain text of that version or a
    later one (a text cannot say "or later"). A file license the declaration does not name
    (a copyleft text behind a declared MIT) disagrees. ``same`` says whether two different
    ids name the same license (ScanCode's ``LicenseRef-scancode-*`` ids for SPDX licenses).
    """
    return uncovered(declared, detected, same) is None


def uncovered(declared: str, detected: str, same: SameLicense | None = None) -> str | None:
    """The part of ``detected`` (its AND terms) that the ``declared`` expression does not cover.

    ``None`` when the declaration covers all of it (see :func:`covers`). A conflict concludes
    the declaration AND this remainder, so a declared choice (``A OR B``) keeps its choice,
    and a declared ``X-or-later`` its "or later", beside a third license in the files.
    """
    try:
        if licensing().is_equivalent(declared, detected):
            return None
        left = [t for t in _and_terms(detected) if not _term_covered(t, declared, same)]
    except ExpressionError:
        return None if declared == detected else detected
    return combine(str(t) for t in left)


# --- ScanCode's license data, as plain values (filled by ospo_scan.engine.catalog) ---


@dataclass(frozen=True, slots=True)
class LicenseInfo:
    """What a policy needs to know about one ScanCode license."""

    key: str  # ScanCode key, e.g. ``gpl-3.0``
    spdx_id: str  # SPDX id, or ``LicenseRef-scancode-<key>`` for licenses SPDX does not list
    category: str  # ScanCode category: Permissive, Copyleft, ...
    is_exception: bool  # a license exception (the right-hand side of ``WITH``)
    is_unknown: bool  # one of ScanCode's "a license is here but we cannot say which" keys
    aliases: tuple[str, ...] = ()  # other SPDX ids that mean the same (deprecated ids)


@dataclass(frozen=True, slots=True)
class LicenseCatalog:
    """ScanCode's licenses, found by SPDX id, alias or ScanCode key, case-insensitively."""

    licenses: tuple[LicenseInfo, ...]
    _by_name: dict[str, LicenseInfo]

    @classmethod
    def build(cls, licenses: Iterable[LicenseInfo]) -> LicenseCatalog:
        """A catalog over ``licenses``; SPDX ids win over aliases and keys on a clash."""
        infos = tuple(sorted(licenses, key=lambda i: i.spdx_id.lower()))
        by_name: dict[str, LicenseInfo] = {}
        for info in infos:
            by_name.setdefault(info.key.lower(), info)
        for info in infos:
            for alias in info.aliases:
                by_name[alias.lower()] = info
        for info in infos:
            by_name[info.spdx_id.lower()] = info
        return cls(licenses=infos, _by_name=by_name)

    def lookup(self, name: str) -> LicenseInfo | None:
        """The license called ``name`` (SPDX id, deprecated SPDX id or ScanCode key)."""
        return self._by_name.get(name.lower())

    @property
    def categories(self) -> tuple[str, ...]:
        """The distinct categories, sorted."""
        return tuple(sorted({i.category for i in self.licenses if i.category}))

    @property
    def names(self) -> tuple[str, ...]:
        """Every SPDX id (canonical spelling), for suggestions."""
        return tuple(i.spdx_id for i in self.licenses)


@dataclass(frozen=True, slots=True)
class LicenseText:
    """What an SBOM needs to know about one license or exception in ScanCode's data."""

    key: str  # ScanCode's key, e.g. ``gpl-2.0`` or ``proguard-exception-2.0``
    spdx_id: str  # the current SPDX id, or ``LicenseRef-scancode-<key>``
    name: str
    text: str  # may be empty: ScanCode has no text for "unknown" and a few generic keys
    is_exception: bool
    urls: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class LicenseTexts:
    """ScanCode's license data, indexed for SBOM writers.

    ``by_id`` maps every current SPDX id and every ``LicenseRef-scancode-*`` id to its
    license; ``current`` maps deprecated SPDX ids (``GPL-2.0``) and ids ScanCode has since
    moved to the SPDX list (``LicenseRef-scancode-x11-opengroup``) to the current id.
    """

    by_id: dict[str, LicenseText]
    current: dict[str, str]
