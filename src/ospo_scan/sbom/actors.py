# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""Who supplies a component and who made the document: people and organisations.

Package metadata names a supplier as text (an npm ``author``, a PyPI ``Author``, a Maven
``developer``, a repository owner) and rarely says whether it is a person. SPDX 2.3 has to
say (``Person:`` or ``Organization:``), and so does CycloneDX (a contact or an entity), so
:func:`parse_actor` decides, by this rule, in this order:

1. a name with a word that names a legal entity or a collective (``Inc``, ``Corp``,
   ``LLC``, ``Ltd``, ``GmbH``, ``Foundation``, ``Project``, ``Team``, ``Contributors``,
   ``Authors``, ``Community``, ``University`` ...) is an **organisation**, e-mail or not;
2. ``Name <email>`` is a **person** (how npm, PyPI and Cargo write an author);
3. a bare name of two to four words, each starting with a letter and none with a digit
   (``Jane Doe``, ``John-David Dalton``, ``Iskren Ivov Chernev``) is a **person**;
4. anything else (one word such as ``Pallets`` or a forge handle, five words or more) is an
   **organisation**: the safer reading, as a supplier that is a person is named in full.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass


class ActorKind(str, enum.Enum):
    """Whether an actor is a person or an organisation."""

    PERSON = "person"
    ORGANIZATION = "organization"


@dataclass(frozen=True, slots=True)
class Actor:
    """A supplier or creator: its kind, its name and an e-mail address when known."""

    kind: ActorKind
    name: str
    email: str | None = None


_NAME_EMAIL = re.compile(r"^\s*(?P<name>[^<>]+?)\s*<(?P<email>[^<>@\s]+@[^<>\s]+)>\s*$")

# Words that only an organisation (or a group of people) is named with. Compared without
# case and without a trailing period, word by word.
_ORGANIZATION_WORDS = frozenset(
    {
        "ab",
        "ag",
        "association",
        "authors",
        "bv",
        "co",
        "collective",
        "committee",
        "community",
        "company",
        "consortium",
        "contributors",
        "corp",
        "corporation",
        "developers",
        "foundation",
        "gmbh",
        "group",
        "inc",
        "incorporated",
        "institute",
        "kg",
        "labs",
        "limited",
        "llc",
        "llp",
        "ltd",
        "maintainers",
        "nv",
        "oy",
        "plc",
        "project",
        "pty",
        "sa",
        "sarl",
        "sas",
        "software",
        "srl",
        "systems",
        "team",
        "technologies",
        "university",
    }
)
_WORD = re.compile(r"[^\W\d_][\w'.-]*", re.UNICODE)


def _is_organization_name(name: str) -> bool:
    words = re.split(r"[\s,()]+", name)
    return any(w.lower().rstrip(".") in _ORGANIZATION_WORDS for w in words if w)


def _is_person_name(name: str) -> bool:
    words = name.split()
    return 2 <= len(words) <= 4 and all(_WORD.fullmatch(w) for w in words)


def parse_actor(text: str | None) -> Actor | None:
    """The actor ``text`` names, typed by the rule of this module; ``None`` if blank."""
    if not text or not text.strip():
        return None
    match = _NAME_EMAIL.match(text)
    name = " ".join((match["name"] if match else text).split())
    email = match["email"] if match else None
    if _is_organization_name(name):
        return Actor(ActorKind.ORGANIZATION, name, email)
    if email or _is_person_name(name):
        return Actor(ActorKind.PERSON, name, email)
    return Actor(ActorKind.ORGANIZATION, name)


def is_email(text: str) -> bool:
    """Whether ``text`` is an e-mail address (``--creator-contact`` is one, or a URL)."""
    return re.fullmatch(r"[^<>@\s]+@[^<>@\s]+\.[^<>@\s]+", text.strip()) is not None


def is_url(text: str) -> bool:
    """Whether ``text`` is an http(s) URL."""
    return re.fullmatch(r"https?://[^\s<>]+", text.strip()) is not None
