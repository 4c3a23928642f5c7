# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""Which file issues of a scan result are scan errors, the things ``check`` must judge.

A scan error is content the scan could not read or judge: its licenses, or the dependencies
a manifest declares, are unknown, so a gate that ignored it would pass on what it never saw.
:mod:`ospo_scan.evaluate` turns each one into a finding judged by the policy's ``errors``
key (``deny`` when no policy says anything).

What counts, by :class:`~ospo_scan.model.IssueKind`:

- ``unreadable`` (a file that could not be opened, a folder that could not be listed),
  ``timeout`` (detection ran over ``--timeout``), ``scan_failed`` (the engine raised, a
  worker died) and ``package_data_error`` (a manifest or lockfile that does not parse):
  errors, whatever the file's status says.
- A file whose status is ``error`` with none of those issues (a hand-edited or older result):
  an error too, as ``scan_failed``, so that no failed file is ever dropped.
- Not errors: ``undecodable`` (not UTF-8, but scanned with a fallback decoding, so its
  licenses were judged) and the deliberate skips: ``binary``, ``symlink`` (never followed),
  ``special`` (FIFOs, sockets, devices) and ``too_large`` (over the user's own
  ``--max-file-size``; its license text is not read, but a manifest is still parsed for its
  packages, and raising the limit is the way to have it read).
"""

from __future__ import annotations

from collections.abc import Iterator

from ospo_scan.model import FileIssue, FileStatus, IssueKind, ScanResult

#: The issue kinds that mean "could not read or judge this file".
ERROR_KINDS = frozenset(
    {
        IssueKind.UNREADABLE,
        IssueKind.TIMEOUT,
        IssueKind.SCAN_FAILED,
        IssueKind.PACKAGE_DATA_ERROR,
    }
)

#: The issue of a failed file that names no reason (never written by this scanner).
UNEXPLAINED = FileIssue(IssueKind.SCAN_FAILED, "the scan of this file failed (no reason given)")


def scan_errors(result: ScanResult) -> Iterator[tuple[str, FileIssue]]:
    """Every scan error of ``result`` as (path, issue), one per issue, in file order."""
    for record in result.files:
        errors = [issue for issue in record.issues if issue.kind in ERROR_KINDS]
        if not errors and record.status is FileStatus.ERROR:
            errors = [UNEXPLAINED]
        for issue in errors:
            yield record.path, issue
