# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""The policy model: frozen, validated rules and where each was written.

A :class:`Policy` is what :mod:`.load` builds from YAML once ``extends`` is resolved: its
top-level :class:`RuleSet`, its :class:`Context` rules for some paths or dependency scopes,
and its :class:`Waiver` exceptions, each with the :class:`Origin` (file, line, key) that
reports cite. Contexts and waivers match paths and purls themselves; which rule wins for a
finding is :mod:`ospo_scan.evaluate`'s business.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import pathspec
from packageurl import PackageURL
from packaging.specifiers import SpecifierSet
from packaging.version import InvalidVersion, Version

from ospo_scan.model import DependencyScope

#: The only policy format version this ospo-scan reads.
POLICY_VERSION = 1


class Verdict(str, enum.Enum):
    """What a policy says about a license: pass, review (a warning) or deny (an error)."""

    PASS = "pass"  # noqa: S105 -- a verdict, not a password
    REVIEW = "review"
    DENY = "deny"

    @property
    def rank(self) -> int:
        """Higher is worse."""
        return _RANK[self]


_RANK = {Verdict.PASS: 0, Verdict.REVIEW: 1, Verdict.DENY: 2}


class ReferenceMode(str, enum.Enum):
    """How a detection that is a mere reference to a license (not its text, notice or tag) counts.

    ``review``: it is judged like any other, but never worse than review (the default: a
    README that says "see the GPL" deserves a look, not a failed build). ``same``: it counts
    like a notice. ``ignore``: it is listed, and always passes.
    """

    REVIEW = "review"
    SAME = "same"
    IGNORE = "ignore"


@dataclass(frozen=True, slots=True)
class Origin:
    """Where a rule was written: file, line and YAML key path."""

    file: str
    line: int
    key: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line} ({self.key})"


@dataclass(frozen=True, slots=True)
class Rule:
    """One verdict and where the policy says it."""

    verdict: Verdict
    origin: Origin
    name: str = ""  # the license or category as spelt canonically, for display


@dataclass(frozen=True, slots=True)
class ReferenceRule:
    """A ``references:`` setting and where the policy says it."""

    mode: ReferenceMode
    origin: Origin


@dataclass(frozen=True, slots=True)
class RuleSet:
    """The rules of a policy's top level or of one context.

    ``licenses`` is keyed by the lower-cased canonical id (``gpl-2.0-only with
    classpath-exception-2.0`` for a pair), ``categories`` by the lower-cased category.
    """

    licenses: Mapping[str, Rule] = field(default_factory=dict)
    categories: Mapping[str, Rule] = field(default_factory=dict)
    unknown: Rule | None = None
    conflict: Rule | None = None
    default: Rule | None = None
    references: ReferenceRule | None = None
    errors: Rule | None = None  # a file the scan could not read or judge (a scan error)

    def merged_over(self, base: RuleSet) -> RuleSet:
        """These rules on top of ``base`` (an ``extends`` chain): ours win, key by key."""
        return RuleSet(
            licenses={**base.licenses, **self.licenses},
            categories={**base.categories, **self.categories},
            unknown=self.unknown or base.unknown,
            conflict=self.conflict or base.conflict,
            default=self.default or base.default,
            references=self.references or base.references,
            errors=self.errors or base.errors,
        )


@dataclass(frozen=True, slots=True)
class Context:
    """Other rules for some paths (globs, .gitignore syntax) and/or dependency scopes."""

    name: str
    paths: tuple[str, ...]
    scopes: tuple[DependencyScope, ...]
    rules: RuleSet
    origin: Origin

    def applies(self, path: str | None, scope: DependencyScope | None) -> bool:
        """True when ``path`` matches one of the globs or ``scope`` is one of the scopes."""
        if scope is not None and scope in self.scopes:
            return True
        return bool(path and self.paths and path_spec(self.paths).match_file(path))


@dataclass(frozen=True, slots=True)
class Waiver:
    """An approved exception: it turns review or deny into pass for what it matches."""

    origin: Origin  # the waiver's own entry: file, line, ``waivers[2]``
    reason: str
    paths: tuple[str, ...] = ()
    package: str | None = None  # a purl; without a version it matches every version
    versions: str | None = None  # PEP 440-style range such as ">=1.0,<2"
    license: str | None = None  # canonical id, or "X WITH Y"
    approved_by: str | None = None
    ticket: str | None = None
    expires: dt.date | None = None
    #: A waiver for scan errors (files that could not be read or judged) covers those only;
    #: any other waiver never covers one, so that no license waiver hides what was never read.
    errors: bool = False

    @property
    def label(self) -> str:
        """How reports name this waiver."""
        return f"{self.origin.key} ({self.origin.file}:{self.origin.line})"

    def expired(self, today: dt.date) -> bool:
        """True after the ``expires`` day (a waiver is good through that day)."""
        return self.expires is not None and today > self.expires

    def matches(
        self,
        *,
        paths: Sequence[str],
        purl: str | None,
        license_id: str | None,
        scan_error: bool = False,
    ) -> bool:
        """True when every selector the waiver has matches the subject."""
        if self.errors is not scan_error:
            return False
        if self.paths and not any(path_spec(self.paths).match_file(p) for p in paths if p):
            return False
        if self.package is not None and not (purl and _purl_matches(self, purl)):
            return False
        if self.license is None:
            return True
        if license_id is None:
            return False
        # A waiver for a license also covers it with an exception; a pair only the pair.
        wanted = self.license.lower()
        return wanted in (license_id.lower(), license_id.split(" WITH ")[0].lower())


@dataclass(frozen=True, slots=True)
class PinnedFile:
    """A license file a curation overrides, and the SHA-256 it had when the curation was made."""

    path: str  # relative to the package's root (purl) or to the scanned root (path)
    sha256: str  # lowercase hex


@dataclass(frozen=True, slots=True)
class Curation:
    """One correction: what it matches, the license to use instead, why, and its guards."""

    origin: Origin  # the entry itself: file, line, ``curations[2]``
    license: str  # the SPDX expression to use, ids spelt canonically
    reason: str
    approved_by: str
    purl: str | None = None  # a package; without a version it matches every version
    path: str | None = None  # or files: a .gitignore-style glob relative to the scanned root
    expires: dt.date | None = None
    license_files: tuple[PinnedFile, ...] = ()
    #: Only where this expression was concluded or detected (ORT's ``detected_license``): a
    #: guard that the curation corrects what it was written for, and, for a path, which of a
    #: file's detections it corrects.
    detected: str | None = None

    @property
    def label(self) -> str:
        """How warnings and reports name this curation."""
        return f"{self.origin.key} ({self.origin.file}:{self.origin.line})"

    @property
    def target(self) -> str:
        """What it matches, as written: the purl or the path glob."""
        return self.purl or self.path or ""

    @property
    def versioned(self) -> bool:
        """True for a purl with a version: it is more specific than one without."""
        return self.purl is not None and PackageURL.from_string(self.purl).version is not None

    def expired(self, today: dt.date) -> bool:
        """True after the ``expires`` day (a curation is good through that day)."""
        return self.expires is not None and today > self.expires

    def matches_purl(self, purl: str | None) -> bool:
        """True when ``purl`` is this curation's package (any version unless one is named)."""
        if self.purl is None or not purl:
            return False
        want = PackageURL.from_string(self.purl)
        try:
            have = PackageURL.from_string(purl)
        except ValueError:
            return False
        if (want.type, want.namespace or "", want.name) != (
            have.type,
            have.namespace or "",
            have.name,
        ):
            return False
        return want.version is None or want.version == have.version

    def matches_path(self, path: str) -> bool:
        """True when ``path`` (relative to the scanned root) matches this curation's glob."""
        return self.path is not None and path_spec((self.path,)).match_file(path)


@dataclass(frozen=True, slots=True)
class Policy:
    """A whole policy, after ``extends`` is resolved (:mod:`.load` builds it from YAML)."""

    name: str
    description: str
    sources: tuple[str, ...]  # the files it was built from, base first
    rules: RuleSet
    contexts: tuple[Context, ...] = ()
    waivers: tuple[Waiver, ...] = ()
    #: Corrections of detected licenses (``curations:``; :mod:`.curations`), base first.
    curations: tuple[Curation, ...] = ()
    #: The files' own policies it was merged from, each once, base first and itself last
    #: (what ``extends`` reaches, linearised): a base two of its bases share counts once.
    parts: tuple[Policy, ...] = field(default=(), compare=False, repr=False)


_SPECS: dict[tuple[str, ...], pathspec.GitIgnoreSpec] = {}


def path_spec(globs: tuple[str, ...]) -> pathspec.GitIgnoreSpec:
    """The .gitignore-style matcher of ``globs``; a bad glob raises ValueError or TypeError."""
    # Compiled once per glob list: a check matches every file against every context.
    spec = _SPECS.get(globs)
    if spec is None:
        spec = _SPECS[globs] = pathspec.GitIgnoreSpec.from_lines(globs)
    return spec


def _purl_matches(waiver: Waiver, purl: str) -> bool:
    try:
        want = PackageURL.from_string(waiver.package or "")
        have = PackageURL.from_string(purl)
    except ValueError:
        return False
    if (want.type, want.namespace or "", want.name) != (have.type, have.namespace or "", have.name):
        return False
    if want.version and want.version != have.version:
        return False
    if waiver.versions:
        try:
            return Version(have.version or "") in SpecifierSet(waiver.versions)
        except InvalidVersion:
            return False
    return True
