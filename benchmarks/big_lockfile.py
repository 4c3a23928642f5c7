# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""Write a generated package-lock.json (lockfileVersion 3) with N entries, for timing scans.

Each entry ``node_modules/pkg-i`` has a version, a resolved URL, an integrity hash and a
license ("MIT", "ISC", "Apache-2.0", "BSD-3-Clause" in turn). Time a scan of it with::

    python benchmarks/big_lockfile.py 100000 /tmp/biglock
    /usr/bin/time -v ospo-scan scan -q -j 1 --no-cache --format json /tmp/biglock > /dev/null

Usage: ``python benchmarks/big_lockfile.py N DIR``
"""

from __future__ import annotations

import base64
import hashlib
import json
import sys
from pathlib import Path

_LICENSES = ("MIT", "ISC", "Apache-2.0", "BSD-3-Clause")


def lockfile(entries: int) -> dict[str, object]:
    """The lockfile's JSON data with ``entries`` packages under node_modules."""
    packages: dict[str, object] = {
        "": {"name": "big-app", "version": "1.0.0", "license": "MIT"},
    }
    for i in range(entries):
        digest = base64.b64encode(hashlib.sha512(str(i).encode()).digest()).decode()
        packages[f"node_modules/pkg-{i}"] = {
            "version": f"1.{i % 100}.{i % 7}",
            "resolved": f"https://registry.npmjs.org/pkg-{i}/-/pkg-{i}-1.{i % 100}.{i % 7}.tgz",
            "integrity": f"sha512-{digest}",
            "license": _LICENSES[i % len(_LICENSES)],
        }
    return {
        "name": "big-app",
        "version": "1.0.0",
        "lockfileVersion": 3,
        "requires": True,
        "packages": packages,
    }


def main(argv: list[str]) -> int:
    """Write DIR/package-lock.json with N entries."""
    entries, folder = int(argv[0]), Path(argv[1])
    folder.mkdir(parents=True, exist_ok=True)
    text = json.dumps(lockfile(entries), indent=2)
    (folder / "package-lock.json").write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
