# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""The accuracy corpus: the pinned packages of ``accuracy-npm.txt`` and ``accuracy-pypi.txt``.

Each is fetched into ``WORK/downloads`` and unpacked as published into
``WORK/corpus/{npm,pypi}/NAME@VERSION``: an npm package with ``npm pack``, a PyPI sdist as
the file PyPI's simple index (the one pip reads) lists for that version, its sha256 checked.
Both stay in the work folder between runs (never in the repository); a package that cannot be
fetched is recorded in ``WORK/corpus/failed.json`` with the reason, and tried again only with
``--retry-failed``.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tarfile
import urllib.request
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

HERE = Path(__file__).resolve().parent


def pinned(ecosystem: str) -> list[str]:
    """The pinned ``name@version`` (npm) or ``name==version`` (PyPI) specs, in list order."""
    lines = (HERE / f"accuracy-{ecosystem}.txt").read_text("utf-8").splitlines()
    return [s.strip() for s in lines if s.strip() and not s.startswith("#")]


def folder_name(spec: str) -> str:
    """A file-system-safe folder name for a spec: ``@scope/name@1.0`` -> ``@scope+name@1.0``."""
    return spec.replace("==", "@").replace("/", "+")


def _last_line(text: str) -> str:
    """The client's error line."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    errors = [line for line in lines if line.startswith(("ERROR:", "npm error", "npm ERR!"))]
    return (errors or lines or [""])[-1][:300]


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


#: PyPI's simple repository API (PEP 503/691), the index pip itself reads.
PYPI_SIMPLE = os.environ.get("OSPO_ACCURACY_PYPI_SIMPLE", "https://pypi.org/simple")
#: Seconds one request to PyPI may take.
HTTP_TIMEOUT = 120
#: The archive forms of an sdist, in order of preference (old releases have several).
SDIST_SUFFIXES = (".tar.gz", ".zip", ".tar.bz2")


def _sdist_file(name: str, version: str) -> dict[str, Any] | str:
    """The index entry of the sdist of ``name`` ``version``, or why there is none."""
    url = f"{PYPI_SIMPLE}/{canonicalize_name(name)}/"
    accept = {"Accept": "application/vnd.pypi.simple.v1+json"}  # PEP 691's JSON form
    request = urllib.request.Request(url, headers=accept)  # noqa: S310 - https, or the env's
    with urllib.request.urlopen(request, timeout=HTTP_TIMEOUT) as response:  # noqa: S310
        files = json.load(response).get("files", [])
    wanted = Version(version)
    releases: list[dict[str, Any]] = []
    for entry in files:
        filename = str(entry.get("filename", ""))
        suffix = next((s for s in SDIST_SUFFIXES if filename.endswith(s)), None)
        if suffix:  # NAME-VERSION.tar.gz; an old sdist's NAME may hold dashes
            project, _, file_version = filename[: -len(suffix)].rpartition("-")
        else:  # a wheel or an egg: NAME-VERSION-TAGS..., NAME with no dash
            project, _, rest = filename.partition("-")
            file_version = rest.split("-", 1)[0]
        if canonicalize_name(project) != canonicalize_name(name):
            continue
        try:
            same = Version(file_version) == wanted
        except InvalidVersion:
            continue
        if same:
            releases.append({**entry, "suffix": suffix})
    sdists = sorted(
        (e for e in releases if e["suffix"]), key=lambda e: SDIST_SUFFIXES.index(e["suffix"])
    )
    if sdists:
        return sdists[0]
    if releases:
        return f"no sdist of {version} on PyPI (wheels only)"
    return f"no release {version} on PyPI"


def _fetch_pypi(work: Path, spec: str) -> str | None:
    """Download the pinned sdist itself, as the index lists it, checking its sha256.

    Not ``pip download``: for an sdist pip prepares its metadata first, which installs and runs
    its build backend (a Rust or C toolchain, build requirements missing from the index) and
    applies ``Requires-Python`` to this interpreter; 17 pinned sdists failed so, though
    nothing here builds or installs them. The file is the same one pip would fetch.
    """
    target = work / "corpus" / "pypi" / folder_name(spec)
    if target.exists():
        return None
    downloads = work / "downloads" / "pypi" / folder_name(spec)
    downloads.mkdir(parents=True, exist_ok=True)
    archives = [p for p in downloads.iterdir() if p.name.endswith(SDIST_SUFFIXES)]
    if not archives:
        name, _, version = spec.partition("==")
        entry = _sdist_file(name, version)
        if isinstance(entry, str):
            return entry
        with urllib.request.urlopen(entry["url"], timeout=HTTP_TIMEOUT) as response:  # noqa: S310
            content = response.read()
        expected = (entry.get("hashes") or {}).get("sha256")
        if expected and hashlib.sha256(content).hexdigest() != expected:
            return f"{entry['filename']}: sha256 differs from the index's"
        partial = downloads / (entry["filename"] + ".partial")
        partial.write_bytes(content)
        partial.rename(downloads / entry["filename"])
        archives = [downloads / entry["filename"]]
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
