# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""Package datafiles: which files ScanCode parses, parsing them, and what keys their parse."""

from __future__ import annotations

import hashlib
import os
import pickle
import xml.parsers.expat
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ospo_scan.engine import fixes, index, slim

# --- packages ---
#
# Package manifests, lockfiles and installed-package metadata, through ScanCode's
# ``packagedcode``. Parsing happens per file (in the scan workers); assembly into packages and
# dependencies happens once, in the parent, over a virtual codebase of the scanned paths, with
# ScanCode's own per-ecosystem ``assemble()``. Nothing here executes code from the scanned tree:
# ScanCode reads setup.py with ``ast`` (packagedcode/pypi_setup_py.py) and every other format
# as data.


@dataclass(frozen=True, slots=True)
class PackageDataFindings:
    """What ScanCode's package parsers made of one datafile.

    ``package_data`` holds ScanCode's own ``PackageData`` mappings (plain, picklable data):
    they only travel from a worker back to :func:`assemble_packages`; nothing else reads them.
    ``errors`` says why a parser failed on the file (a malformed manifest or lockfile).
    """

    package_data: tuple[dict[str, Any], ...] = ()
    errors: tuple[str, ...] = ()


def load_package_handlers() -> None:
    """Load ScanCode's datafile parsers (about 0.2 s), once per process.

    Called before worker processes are forked, so that they share them like the index, and
    only when the scan has a datafile to parse: telling a datafile by its path needs only
    ScanCode's path patterns (:func:`_patterns`), not its parsers.
    """
    import packagedcode  # noqa: F401 -- imports every parser module

    _patterns()


#: ScanCode's datafile path patterns, loaded once per process (see :func:`_patterns`).
_PATTERNS: list[Any] = []

#: Where ``packagedcode.cache`` keeps its pickled patterns: ``PACKAGE_INDEX_DIR`` and
#: ``PACKAGE_INDEX_FILENAME`` of scancode-toolkit 32.5 (a test compares them).
_PATTERNS_FILE = ("package_patterns_index", "index_cache")


class _PatternsCache:
    """Stands in for ``packagedcode.cache.PkgManifestPatternsCache`` when its pickle is read.

    The same attributes (``handler_by_regex``, ``application_package_matcher``...), unpickled
    the same way; only the class differs, so that reading the patterns does not import
    ``packagedcode`` and with it every parser (0.2 s) for a tree that holds no datafile.
    """


class _PatternsUnpickler(pickle.Unpickler):
    """Reads ScanCode's pattern cache, and refuses any class it does not know to hold."""

    _ALLOWED = frozenset(
        {
            ("collections", "defaultdict"),
            ("builtins", "list"),
            ("multiregex", "RegexMatcher"),
            ("re", "_compile"),
            ("ahocorasick", "Automaton"),
        }
    )

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) == ("packagedcode.cache", "PkgManifestPatternsCache"):
            return _PatternsCache
        if (module, name) in self._ALLOWED:
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"unexpected {module}.{name}")


def _patterns() -> Any:
    """ScanCode's cache of datafile path patterns: ``packagedcode.cache.get_cache()``'s value.

    Read from ScanCode's own pickle without importing ``packagedcode`` when that pickle is
    there and holds only what it should (:class:`_PatternsUnpickler`); else (first run,
    another ScanCode) from ``get_cache()`` itself, which builds and writes the pickle.
    """
    if not _PATTERNS:
        _PATTERNS.append(_read_patterns() or _scancode_patterns())
    return _PATTERNS[0]


def _read_patterns() -> Any:
    from scancode_config import packagedcode_cache_dir

    path = Path(packagedcode_cache_dir).joinpath(*_PATTERNS_FILE)
    try:
        with path.open("rb") as handle:
            # ScanCode's own cache, which ScanCode itself loads with pickle; classes limited.
            loaded = _PatternsUnpickler(handle).load()
    except Exception:  # noqa: BLE001 -- missing or unreadable: ScanCode rebuilds it
        return None
    if not (
        isinstance(loaded, _PatternsCache)
        and isinstance(getattr(loaded, "handler_by_regex", None), dict)
        and getattr(loaded, "application_package_matcher", None) is not None
    ):
        return None
    return loaded


def _scancode_patterns() -> Any:
    from packagedcode.cache import get_cache

    return get_cache()


def _package_matcher() -> Any:
    return _patterns().application_package_matcher


def is_package_datafile(location: str) -> bool:
    """True when ``location``'s path looks like a datafile some ScanCode parser handles.

    This is ScanCode's fast path-pattern pre-match, without opening the file.
    """
    return bool(_package_matcher().match(location.replace("\\", "/")))


def parse_package_data(location: str) -> PackageDataFindings:
    """Parse the datafile at ``location`` with every ScanCode handler that recognises it.

    Unlike ``scancode.api.get_package_data`` (which swallows every exception), a parser that
    fails is reported in ``errors``, so that a broken package.json is an error on that file
    rather than silence. Declared license statements are run through ScanCode's license
    detection, as ScanCode does, which gives SPDX expressions.
    """
    index.load_index()
    found: list[dict[str, Any]] = []
    errors: list[str] = []
    for handler_id, handler in _datafile_handlers(location):
        try:
            parsed = [_to_dict(pd) for pd in handler.parse(location=location, package_only=False)]
        except NotImplementedError:
            continue  # a format ScanCode recognises but cannot read yet: not the file's fault
        except Exception as exc:  # noqa: BLE001 -- a bad manifest must never abort a scan
            if _names_the_file(handler, location):
                errors.append(f"{handler.description or handler_id}: {type(exc).__name__}: {exc}")
            continue
        if not parsed and (refused := _entity_declaration(location)):
            # The parser dropped what it could not read without a word (pymaven cuts the
            # DOCTYPE off a pom.xml, so an entity "bomb" is never expanded but leaves the
            # coordinates empty): a package lost is an error on its file, not silence.
            errors.append(f"{handler.description or handler_id}: {refused}")
        for data in parsed:
            fixes.fix_package_data(location, data)
            slim.slim_dependencies(data)
            found.append(data)
    return PackageDataFindings(package_data=tuple(found), errors=tuple(errors))


def _to_dict(package_data: Any) -> dict[str, Any]:
    """ScanCode's ``PackageData`` object as a mapping, without what nothing reads of it."""
    slim.trim_parsed(package_data)
    mapping: dict[str, Any] = package_data.to_dict()
    return mapping


class _EntityDeclared(Exception):
    """Raised from expat's handler at the first entity declaration."""


def _entity_declaration(location: str) -> str | None:
    """Why the XML file at ``location`` is refused, if it declares entities; else None.

    Entity declarations are what expansion bombs ("billion laughs") and external entities are
    made of, and what defusedxml refuses; a package manifest has no use for them. Only asked
    of a datafile that a parser recognised but that yielded nothing, so the cost is no one's.
    """
    parser = xml.parsers.expat.ParserCreate()

    def on_entity(name: str, *_: object) -> None:
        raise _EntityDeclared(name)

    parser.EntityDeclHandler = on_entity
    try:
        with open(location, "rb") as handle:  # noqa: PTH123 -- one read, as expat wants it
            if not handle.read(1024).lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
                return None  # not XML: nothing to say here
            handle.seek(0)
            parser.ParseFile(handle)
    except _EntityDeclared as declared:
        return (
            f"the XML declares the entity {str(declared)!r}; entity declarations are refused "
            "(an entity expansion attack?) and no package could be read"
        )
    except (xml.parsers.expat.ExpatError, OSError, ValueError):
        return None  # malformed XML the parser chose to recover from: its call
    return None


def _datafile_handlers(location: str) -> list[tuple[str, Any]]:
    """The ScanCode handlers (datasource id, handler) that take ``location`` as a datafile."""
    cache = _patterns()
    handler_ids: list[str] = []
    for regex, _match in cache.application_package_matcher.match(location.replace("\\", "/")):
        for handler_id in cache.handler_by_regex.get(regex.pattern, ()):
            if handler_id not in handler_ids:
                handler_ids.append(handler_id)
    if not handler_ids:
        return []
    from packagedcode import HANDLER_BY_DATASOURCE_ID

    handlers: list[tuple[str, Any]] = []
    for handler_id in handler_ids:
        handler = HANDLER_BY_DATASOURCE_ID.get(handler_id)
        if handler is not None and handler.is_datafile(location):
            handlers.append((handler_id, handler))
    return handlers


#: Bump when :func:`parse_package_data` changes what it makes of the same datafile.
PACKAGE_PARSE_FORMAT = "7"  # 3: large lockfiles get no text detection; 4: slim resolved
# packages; 5: Python license precedence, License-Expression in egg-info; 6: the PSF's
# license by name is PSF-2.0; 7: a corrected declared license keeps ScanCode's own

#: Datasources whose ScanCode parser (and our additions to it) reads nothing but the
#: datafile's own bytes, and its name. Checked in scancode-toolkit 32.5: every other parser
#: was not checked, and some read more: Python metadata (``PKG-INFO``, ``METADATA``) goes
#: through ``importlib.metadata`` over its whole folder and a sibling ``DESCRIPTION.rst``;
#: ``setup.py`` looks for ``__version__`` in the source files beside it; BUILD files, Chef
#: metadata and Debian copyright files take the package name from a parent folder's name.
#: Those not listed here or in :data:`_FOLDER_READING_DATASOURCES` are not cached.
_CONTENT_ONLY_DATASOURCES = frozenset(
    {
        "npm_package_json",
        "npm_package_lock_json",
        "npm_shrinkwrap_json",
        "yarn_lock_v1",
        "yarn_lock_v2",
        "pnpm_lock_yaml",
        "pnpm_shrinkwrap_yaml",
        "pnpm_workspace_yaml",
        "pypi_pyproject_toml",
        "pypi_poetry_pyproject_toml",
        "pypi_poetry_lock",
        "pip_requirements",  # nested ``-r`` files are not followed (include_nested=False)
        "pipfile_lock",
        "pypi_setup_cfg",
        "php_composer_json",
        "php_composer_lock",
        "cargo_toml",
        "cargo_lock",
        "gemfile_lock",
        "go_mod",
        "go_sum",
        "pypi_egg",  # reads only the PKG-INFO inside its own zip
    }
)

#: Lockfiles: machine-written lists of resolved packages whose license fields, when they
#: have any, ScanCode's parsers read as package data (with ``fixes._add_lock_licenses``).
_LOCKFILE_DATASOURCES = frozenset(
    {
        "npm_package_lock_json",
        "npm_shrinkwrap_json",
        "yarn_lock_v1",
        "yarn_lock_v2",
        "pnpm_lock_yaml",
        "pnpm_shrinkwrap_yaml",
        "pypi_poetry_lock",
        "pipfile_lock",
        "php_composer_lock",
        "cargo_lock",
        "gemfile_lock",
        "go_sum",
    }
)


def is_lockfile(location: str) -> bool:
    """True when a ScanCode lockfile parser takes ``location`` (package-lock.json, yarn.lock...)."""
    return any(hid in _LOCKFILE_DATASOURCES for hid, _ in _datafile_handlers(location))


#: Parsers that read, besides their datafile, only files in its folder and below it
#: (setup.py looks for ``__version__`` in the sources beside it).
_SUBTREE_READING_DATASOURCES = frozenset({"pypi_setup_py"})


#: Python metadata: ScanCode's ``parse_metadata`` reads the datafile's folder through
#: ``importlib.metadata`` (``RECORD``, ``requires.txt``, ``SOURCES.txt``...) when that folder's
#: name ends in ``.dist-info`` or ``.egg-info``, and a ``DESCRIPTION.rst`` beside the file:
#: files directly in that folder, nothing deeper or above. Their key covers the folder's name
#: and the name and content of every entry directly in it.
_FOLDER_READING_DATASOURCES = frozenset(
    {"pypi_wheel_metadata", "pypi_sdist_pkginfo", "pypi_egg_pkginfo", "pypi_editable_egg_pkginfo"}
)


def _folder_identity(folder: str) -> dict[str, Any]:
    """The name of ``folder`` and the name and SHA-256 of every entry directly in it.

    A symbolic link in the folder raises :class:`ValueError`: what the parser would read
    through it is not ours to hash (it may lead out of the scanned tree), so no key.
    """
    entries: list[list[str]] = []
    with os.scandir(folder) as listing:
        for item in listing:
            if item.is_symlink():
                raise ValueError(f"symbolic link in {folder}")
            if item.is_file():
                digest = hashlib.sha256()
                with open(item.path, "rb") as handle:  # noqa: PTH123
                    while chunk := handle.read(1 << 20):
                        digest.update(chunk)
                entries.append([item.name, digest.hexdigest()])
            else:
                entries.append([item.name, "not a file"])
    entries.sort()
    return {"name": os.path.basename(folder), "entries": entries}  # noqa: PTH119


def folder_identity(folder: str) -> dict[str, Any]:
    """What :func:`package_parse_key` records of a Python metadata datafile's ``folder``.

    The same value means the parse would read the same folder; raises :class:`OSError` or
    :class:`ValueError` when the folder cannot be identified. Needs no ScanCode import.
    """
    return _folder_identity(folder)


def _parse_is_keyable(handler_id: str, handler: Any) -> bool:
    """True when what ``handler`` reads is covered by :func:`package_parse_key`'s key."""
    from packagedcode.models import DatafileHandler

    if handler_id in _CONTENT_ONLY_DATASOURCES or handler_id in _FOLDER_READING_DATASOURCES:
        return True
    # Formats ScanCode recognises but cannot read yet (Meteor's package.js...) keep the base
    # parse, which raises NotImplementedError and reads nothing.
    return getattr(handler.parse, "__func__", None) is DatafileHandler.parse.__func__


def reads_only_its_subtree(location: str) -> bool:
    """True when every parser of the datafile ``location`` reads nothing but files in its
    folder or below (the datafile included): what the whole-tree cache can vouch for when
    that subtree was walked in full."""
    handlers = _datafile_handlers(location)
    return bool(handlers) and all(
        handler_id in _SUBTREE_READING_DATASOURCES or _parse_is_keyable(handler_id, handler)
        for handler_id, handler in handlers
    )


def package_parse_key(location: str) -> dict[str, Any] | None:
    """What, besides its bytes, decides what :func:`parse_package_data` makes of ``location``.

    That is the file's name (``pip_requirements`` reads it; our error reporting does too) and
    the handlers that take it (chosen by path patterns over the whole path, and by content).
    None when some handler may read more than the file (other files, folder names): such a
    datafile's parse cannot be cached by content. Python metadata also reads its folder: the
    key then covers that folder's name and files. Needs no license index.
    """
    try:
        handlers = _datafile_handlers(location)
        if not all(_parse_is_keyable(i, handler) for i, handler in handlers):
            return None
        ids = [handler_id for handler_id, _handler in handlers]
        name = location.replace("\\", "/").rpartition("/")[2]
        key: dict[str, Any] = {"format": PACKAGE_PARSE_FORMAT, "name": name, "handlers": ids}
        if any(i in _FOLDER_READING_DATASOURCES for i in ids):
            folder = os.path.dirname(os.path.abspath(location))  # noqa: PTH100, PTH120
            key["folder"] = _folder_identity(folder)
    except Exception:  # noqa: BLE001 -- the parse reports it; the cache just stays out of it
        return None
    return key


def _names_the_file(handler: Any, location: str) -> bool:
    """True when one of ``handler``'s patterns matches the file's own name.

    ScanCode matches patterns such as ``*env*.yaml`` (Conda) against the whole path, so
    ``venv/lib/.../port.yaml`` "matches": a parser failing on such a file says nothing about
    a broken manifest, and is no error of the file.
    """
    import fnmatch

    name = location.replace("\\", "/").rpartition("/")[2]
    return any(
        fnmatch.fnmatchcase(name, pattern.rpartition("/")[2]) for pattern in handler.path_patterns
    )
