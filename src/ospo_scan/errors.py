# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""The one exception tree of ospo-scan.

Raising is for broken input and broken environments (a result file that is not one, an
output that cannot be written). Findings in the scanned code are never raised: they are
data. The CLI maps every :class:`OspoScanError` to exit code 2 and a one-line message.
"""

from __future__ import annotations


class OspoScanError(Exception):
    """Base class: a problem the user can fix, reported without a traceback."""


class ScanError(OspoScanError):
    """The scan could not run at all (not a per-file problem: those are recorded)."""


class ResultFileError(OspoScanError):
    """A saved result document is unreadable, not JSON, or not valid against the schema."""


class ShardError(OspoScanError):
    """A ``--shard`` that is not K/N, or parts that ``merge`` cannot put together; the message
    names the part."""


class CacheFileError(OspoScanError):
    """A file given to ``cache import`` is not a cache export this release can read."""


class OutputError(OspoScanError):
    """An output file could not be written."""


class _AllAtOnce(OspoScanError):
    """Errors of one file, all reported at once: one is the message itself, more are a count
    and then one line each, so the CLI prints each error on a line of its own."""

    what = "errors"

    def __init__(self, *errors: str) -> None:
        self.errors = errors
        if len(errors) == 1:
            message = errors[0]
        else:
            message = f"{len(errors)} {self.what}:\n  " + "\n  ".join(errors)
        super().__init__(message)


class PolicyError(_AllAtOnce):
    """A policy file is unreadable or invalid; each error names file, line and key.

    A policy may have many errors, all reported at once: one is the message itself, more
    are a count and then one line each, so the CLI prints each error on a line of its own.
    """

    what = "policy errors"


class CurationError(_AllAtOnce):
    """A curations file (``--curations``) is unreadable or invalid; each error names file, line
    and key, and all are reported at once (curations in a policy are policy errors)."""

    what = "curation errors"


class GitError(OspoScanError):
    """``--changed-since`` could not learn from git what changed (not a repository, no such
    ref, no merge base, git missing)."""


class BaselineError(OspoScanError):
    """A ``check --baseline`` file that cannot be read or is not a check report."""


class ConfigError(_AllAtOnce):
    """A configuration file (``.ospo-scan.yml``, ``[tool.ospo-scan]``) is unreadable or invalid.

    Like a policy's, every error names file, line and key, and all are reported at once: one
    is the message itself, more are a count and then one line each.
    """

    what = "configuration errors"


class SbomError(OspoScanError):
    """An SBOM could not be produced: the document failed its validator, so nothing was written.

    This is ospo-scan's failure, not the user's; the CLI still exits 2 (the one code for "no
    usable output"), and the message lists every validation finding so it can be reported.
    """


class DaemonError(OspoScanError):
    """The daemon could not be started, stopped or reached."""


class ProtocolError(Exception):
    """A daemon message was malformed or cut short (the connection is then dropped).

    Not an :class:`OspoScanError`: it never reaches the user as such; the launcher falls
    back to running the command itself.
    """


class CacheError(Exception):
    """The findings cache could not be read or written (:mod:`ospo_scan.cache` raises it).

    Not an :class:`OspoScanError`: a scan never fails for its cache, it warns with a
    :class:`CacheWarning` and goes on without it. The message is the database's own.
    """


class OspoScanWarning(UserWarning):
    """Something the user should know, that does not stop the command (one stderr line)."""


class CacheWarning(OspoScanWarning):
    """The cache could not be used as it was (it was rebuilt, or the scan went on without it)."""


class EngineWarning(OspoScanWarning):
    """The detection engine runs differently than asked (the fast path is off, for example)."""


class CurationWarning(OspoScanWarning):
    """A curation was not applied (expired, stale) or matched nothing."""


class SbomWarning(OspoScanWarning):
    """An SBOM library runs as shipped (slower) because it is not the release ospo-scan checked."""
