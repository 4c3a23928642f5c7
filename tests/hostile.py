# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""A hostile tree, built at run time: everything a real checkout can throw at a scanner.

Used by ``tests/cli/test_hostile_tree.py`` and by ``benchmarks/torture.py``. Nothing in it is
committed: links, FIFOs, sockets, undecodable names and a 10,000-level folder chain do not
travel well through git, and the point is to build them where the scan runs.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

#: Capabilities dropped so that root, which reads any file, meets an unreadable one.
DROP_DAC = ["setpriv", "--bounding-set=-dac_override,-dac_read_search"]

MIT_HEADER = "// SPDX-License-Identifier: MIT\n// Copyright (c) 2024 Example Corp.\n"
NEWLINE_NAME = "a\nLicenseConcluded: MIT\nb.c"
BOMB = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<project><modelVersion>4.0.0</modelVersion><groupId>&lol9;</groupId>
<artifactId>bomb</artifactId><version>1.0</version></project>
"""


@dataclass(frozen=True)
class HostileTree:
    """The tree and the paths (relative, as the scan names them) that a test looks for."""

    root: Path
    deep_file: str  # the file at the bottom of the deep chain
    unreadable: str
    special: tuple[str, ...]  # FIFO and socket
    links: tuple[str, ...]  # a cycle and a link out of the root
    undecodable_name: str  # as the scan records it (surrogate-escaped)
    newline_name: str
    sparse: str
    bundle: str
    binary: str
    broken_manifests: tuple[str, ...]
    socket: socket.socket  # kept open while the tree is in use


def build(root: Path, *, depth: int = 10_000, sparse_bytes: int = 1 << 30) -> HostileTree:
    """Build the hostile tree under ``root`` (which must not exist yet)."""
    root.mkdir(parents=True)
    (root / "LICENSE").write_text("MIT License\n\nCopyright (c) 2024 Example Corp.\n")
    (root / "src").mkdir()
    (root / "src" / "ok.c").write_text(MIT_HEADER + "int main(void) { return 0; }\n")
    # Links: a cycle, and a way out of the root. Neither may be followed.
    (root / "cycle").mkdir()
    (root / "cycle" / "up").symlink_to("..")
    (root / "outside").symlink_to("/etc")
    # Special files: a FIFO (reading it would block forever) and a socket.
    os.mkfifo(root / "pipe")
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.bind(str(root / "sock"))
    # A file that a process without CAP_DAC_OVERRIDE cannot open (see DROP_DAC).
    (root / "locked.c").write_text(MIT_HEADER)
    (root / "locked.c").chmod(0)
    # Names: not UTF-8, and one that tries to inject an SPDX tag-value line.
    undecodable = os.fsdecode(b"caf\xe9.c")
    (root / undecodable).write_text(MIT_HEADER)
    (root / NEWLINE_NAME).write_text(MIT_HEADER)
    # A sparse file far over --max-file-size: skipped, still hashed.
    with (root / "sparse.img").open("wb") as handle:
        handle.truncate(sparse_bytes)
    # A minified one-line bundle whose notice is at the very end.
    body = "var a=function(b){return b*2};" * 20_000
    (root / "bundle.min.js").write_text(body + "/*! Licensed under the MIT License */\n")
    # A binary with a license text inside.
    (root / "blob.bin").write_bytes(
        b"\x00\x01\x02ELF\x00" * 200
        + b"Licensed under the Apache License, Version 2.0"
        + b"\x00" * 64
    )
    # Broken and hostile manifests.
    (root / "package.json").write_text('{"name": "hostile", "version": ')
    (root / "pyproject.toml").write_text("[project\nname = ")
    (root / "pom.xml").write_text(BOMB)
    # .gitignore lines that git ignores, and a pathological pattern.
    (root / ".gitignore").write_text("!\n\\\n" + "**/" * 40 + "*.nothing\n")
    deep = _deep_chain(root / "deep", depth)
    return HostileTree(
        root=root,
        deep_file=deep,
        unreadable="locked.c",
        special=("pipe", "sock"),
        links=("cycle/up", "outside"),
        undecodable_name=undecodable,
        newline_name=NEWLINE_NAME,
        sparse="sparse.img",
        bundle="bundle.min.js",
        binary="blob.bin",
        broken_manifests=("package.json", "pyproject.toml", "pom.xml"),
        socket=sock,
    )


def _deep_chain(top: Path, depth: int) -> str:
    """``depth`` nested folders with a licensed file at the bottom; its relative path.

    The whole path is far over PATH_MAX, so each level is made relative to the one above
    through a directory descriptor.
    """
    top.mkdir()
    fd = os.open(top, os.O_RDONLY | os.O_DIRECTORY)
    try:
        for _ in range(depth):
            os.mkdir("d", dir_fd=fd)
            below = os.open("d", os.O_RDONLY | os.O_DIRECTORY, dir_fd=fd)
            os.close(fd)
            fd = below
        leaf = os.open("bottom.c", os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=fd)
        with os.fdopen(leaf, "w") as handle:
            handle.write(MIT_HEADER)
    finally:
        os.close(fd)
    return "deep/" + "d/" * depth + "bottom.c"


def remove(tree: HostileTree) -> None:
    """Delete the tree; ``rm`` walks the deep chain without recursing (shutil would not)."""
    with contextlib.suppress(OSError):
        tree.socket.close()
    (tree.root / tree.unreadable).chmod(0o644)
    subprocess.run(["rm", "-rf", str(tree.root)], check=False)


@contextlib.contextmanager
def hostile_tree(root: Path, **kwargs: int) -> Iterator[HostileTree]:
    """The tree for the length of the block."""
    tree = build(root, **kwargs)
    try:
        yield tree
    finally:
        remove(tree)
