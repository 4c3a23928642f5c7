# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""The accuracy corpus: the pinned packages of ``accuracy-npm.txt`` and ``accuracy-pypi.txt``.

Each is fetched with the registry's ordinary client (``npm pack``, ``pip download --no-binary NAME
--no-deps``) into ``WORK/downloads`` and unpacked as published into
``WORK/corpus/{npm,pypi}/NAME@VERSION``. Both stay in the work folder between runs (never in
the repository); a package that cannot be fetched is recorded in ``WORK/corpus/failed.json``
with the client's last line, and tried again only with ``--retry-failed``.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tarfile
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
#: Seconds one ``pip download`` may take.
PIP_TIMEOUT = 240
BIN = Path(sys.executable).parent


def pinned(ecosystem: str) -> list[str]:
    """The pinned ``name@version`` (npm) or ``name==version`` (PyPI) specs, in list order."""
    lines = (HERE / f"accuracy-{ecosystem}.txt").read_text("utf-8").splitlines()
    return [s.strip() for s in lines if s.strip() and not s.startswith("#")]


def folder_name(spec: str) -> str:
    """A file-system-safe folder name for a spec: ``@scope/name@1.0`` -> ``@scope+name@1.0``."""
    return spec.replace("==", "@").replace("/", "+")


def _last_line(text: str) -> str:
    """The client's error line; pip's hints after a failed build say nothing of their own."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    errors = [line for line in lines if line.startswith("ERROR:")]
    if errors:
        return errors[-1][:300]
    if any(line.startswith(("hint:", "note:", "WARNING:")) for line in lines[-1:]):
        return "its metadata could not be prepared (the build backend failed to build here)"
    return lines[-1][:300] if lines else ""


def _unpack(archive: Path, target: Path) -> None:
    """Unpack ``archive`` into ``target``, without its single top folder (``package/``)."""
    staging = target.with_name(target.name + ".partial")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    if archive.suffix == ".zip":
        with zipfile.ZipFile(archive) as zipped:
            zipped.extractall(staging)  # noqa: S202 - zipfile drops absolute and .. parts
    else:
        with tarfile.open(archive) as tar:
            tar.extractall(staging, filter="data")
    entries = list(staging.iterdir())
    top = entries[0] if len(entries) == 1 and entries[0].is_dir() else staging
    shutil.move(str(top), str(target))
    shutil.rmtree(staging, ignore_errors=True)


def _fetch_npm(work: Path, spec: str) -> str | None:
    target = work / "corpus" / "npm" / folder_name(spec)
    if target.exists():
        return None
    downloads = work / "downloads" / "npm" / folder_name(spec)
    downloads.mkdir(parents=True, exist_ok=True)
    if not any(downloads.glob("*.tgz")):
        done = subprocess.run(
            ["npm", "pack", spec, "--ignore-scripts", "--silent", "--pack-destination", downloads],
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            return _last_line(done.stderr) or f"npm pack exited {done.returncode}"
    (archive,) = downloads.glob("*.tgz")
    _unpack(archive, target)
    return None


def _fetch_pypi(work: Path, spec: str) -> str | None:
    target = work / "corpus" / "pypi" / folder_name(spec)
    if target.exists():
        return None
    downloads = work / "downloads" / "pypi" / folder_name(spec)
    downloads.mkdir(parents=True, exist_ok=True)
    archives = [p for p in downloads.iterdir() if p.suffix in (".gz", ".zip", ".bz2")]
    if not archives:
        done = subprocess.run(
            # ``--no-binary NAME`` (not ``:all:``): the sdist of the package itself, while its
            # build backend (needed to read the sdist's metadata) may come as a wheel;
            # ``:all:`` compiled Cython and maturin from source for that.
            [
                BIN / "pip",
                "download",
                "--no-deps",
                "--no-binary",
                spec.split("==", maxsplit=1)[0],
                "-q",
                "-d",
                downloads,
                spec,
            ],
            capture_output=True,
            text=True,
            check=False,
            # Reading an sdist's metadata may build its backend: one that compiles is given up.
            timeout=PIP_TIMEOUT,
        )
        archives = [p for p in downloads.iterdir() if p.suffix in (".gz", ".zip", ".bz2")]
        if done.returncode != 0 and not archives:
            return _last_line(done.stderr) or f"pip download exited {done.returncode}"
    _unpack(archives[0], target)
    return None


def fetch(work: Path, limit: int | None, retry_failed: bool = False) -> dict[str, dict[str, str]]:
    """Fetch and unpack every pinned package (the first ``limit`` of each list); the failures."""
    failed_file = work / "corpus" / "failed.json"
    failed: dict[str, dict[str, str]] = {"npm": {}, "pypi": {}}
    if failed_file.exists() and not retry_failed:
        failed = json.loads(failed_file.read_text("utf-8"))
    for ecosystem, fetch_one in (("npm", _fetch_npm), ("pypi", _fetch_pypi)):
        specs = [s for s in pinned(ecosystem)[:limit] if s not in failed[ecosystem]]

        def one(spec: str, fetch_one: Any = fetch_one) -> tuple[str, str | None]:
            try:
                return spec, fetch_one(work, spec)
            except subprocess.TimeoutExpired:
                return spec, f"gave up after {PIP_TIMEOUT} s (its build backend was compiling)"
            except (OSError, tarfile.TarError, zipfile.BadZipFile, ValueError) as failure:
                return spec, f"{type(failure).__name__}: {failure}"

        # Two at a time: the machine is shared, and most of the time is the registry's.
        with ThreadPoolExecutor(2) as pool:
            for spec, error in pool.map(one, specs):
                if error:
                    failed[ecosystem][spec] = error
                    print(f"fetch: {spec}: {error}", file=sys.stderr)
        failed_file.parent.mkdir(parents=True, exist_ok=True)
        failed_file.write_text(json.dumps(failed, indent=1, sort_keys=True), "utf-8")
    return failed


if __name__ == "__main__":
    fetch(Path(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else None)
