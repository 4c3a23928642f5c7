# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""The scan: a file or folder in, a :class:`~ospo_scan.model.ScanResult` out.

Import from the modules; this package re-exports nothing.

- :mod:`.pipeline`: ``scan()``, the one core call: walk, per-content detection, assembly,
  references, summary.
- :mod:`.options`: ``ScanOptions``, the defaults, the progress hook, the default job count.
- :mod:`.files`: one file read, hashed and detected within a time limit, or parsed as
  package data.
- :mod:`.interrupts`: Ctrl-C recorded during a scan, raised again if ScanCode swallowed it.
- :mod:`.parallel`: the pool of forked workers that share this process's license index.
- :mod:`.cached`: the findings cache as one scan uses it (one session), per-content entries.
- :mod:`.tree_cache`: what the cache keeps per tree: its last result and its last assembly.
- :mod:`.walk`: which paths a scan looks at, and which it records as skipped.
- :mod:`.packages`: a concluded license for each package and dependency.
- :mod:`.references`: license references to other files ("see LICENSE"), followed.
- :mod:`.shards`: one shard of a scan (``scan --shard K/N``) and the part it writes.
- :mod:`.merge`: the parts checked and put together into the one-process result.
"""
