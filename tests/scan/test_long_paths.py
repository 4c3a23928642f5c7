# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""Short locations for files whose path is longer than the system opens."""

from __future__ import annotations

import errno
import hashlib
import os
from pathlib import Path

import pytest

from ospo_scan.scan import long_paths
from ospo_scan.scan.files import content_digest
from scan_support import deep_tree, open_descriptors

_DEPTH = 3_000  # 6,000 bytes of "d/": past PATH_MAX wherever the test runs


def test_a_path_the_system_opens_is_left_as_it_is(tmp_path: Path) -> None:
    location = str(tmp_path / "x.txt")
    with long_paths.short_location(location) as short:
        assert short == location


def test_a_path_past_the_limit_gets_a_short_one_that_keeps_its_tail(tmp_path: Path) -> None:
    with deep_tree(tmp_path, _DEPTH, files={"LICENSE": b"MIT License\n"}):
        location = str(tmp_path) + "/d" * _DEPTH + "/LICENSE"
        with pytest.raises(OSError, match="File name too long") as refused:
            Path(location).read_bytes()
        assert refused.value.errno == errno.ENAMETOOLONG
        before = open_descriptors()
        with long_paths.short_location(location) as short:
            assert len(short.encode()) < long_paths.PATH_MAX
            assert short.startswith("/proc/self/fd/")
            # The real names at the end, as far as TAIL_BYTES goes: what a ScanCode path
            # pattern looks at is the same as for a shallow copy of the file.
            tail = short.split("/", 5)[5]
            assert location.endswith("/" + tail)
            assert len(tail.encode()) > long_paths.TAIL_BYTES - 2
            assert Path(short).read_bytes() == b"MIT License\n"
            assert open_descriptors() == before + 1
        assert open_descriptors() == before
        assert content_digest(location) == hashlib.sha256(b"MIT License\n").hexdigest()


def test_without_proc_a_long_path_is_an_error_that_says_why(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(long_paths, "PROC_FD", str(tmp_path / "no-proc"))
    location = str(tmp_path) + "/d" * _DEPTH + "/LICENSE"
    with (
        pytest.raises(OSError, match="path longer than the system's limit") as refused,
        long_paths.short_location(location),
    ):
        pass
    assert refused.value.errno == errno.ENAMETOOLONG
    assert refused.value.strerror == (
        "path longer than the system's limit (4096 bytes), and no "
        f"{tmp_path}/no-proc to reach it by a shorter one"
    )


def test_a_folder_on_the_way_that_became_a_link_is_not_followed(tmp_path: Path) -> None:
    with deep_tree(tmp_path, _DEPTH, files={"LICENSE": b"MIT License\n"}):
        location = str(tmp_path) + "/d" * _DEPTH + "/LICENSE"
        with long_paths.short_location(location) as short:
            tail = short.split("/", 5)[5]
        # The folder the short location starts from is put aside, and a link to it takes its
        # place: the same bytes lie behind it, but a link inside the tree is never followed.
        opened = location[: -len(tail) - 1]
        above = long_paths.open_folder(opened.rpartition("/")[0])
        try:
            os.rename("d", "aside", src_dir_fd=above, dst_dir_fd=above)
            os.symlink("aside", "d", dir_fd=above)
        finally:
            os.close(above)
        before = open_descriptors()
        with (
            pytest.raises(OSError, match=r"symbolic links|Not a directory") as refused,
            long_paths.short_location(location),
        ):
            pass
        assert refused.value.errno in {errno.ELOOP, errno.ENOTDIR}
        assert open_descriptors() == before
