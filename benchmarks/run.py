# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""Benchmark ospo-scan against raw ScanCode, side by side, on corpora built at run time.

Corpora come from the registries, pinned, and are never committed:

- ``small``: the sdist of requests 2.32.5 (``pip download``), unpacked;
- ``medium``: the node_modules tree of express 4.21.2 + lodash 4.17.21 + moment 2.30.1, from
  the ``medium-package.json`` / ``medium-package-lock.json`` kept beside this script
  (``npm ci --ignore-scripts``);
- ``large``: the sdist of Django 5.2.19, unpacked. ``--large-sample N`` scans a seeded sample
  of N of its files instead (raw ScanCode needs about 15 minutes on the whole tree on a quiet
  machine, much longer on a busy one); the report names the sample and its seed;
- ``dense`` (issue 19 goal 2, license-dense input): ``spdx/``, the text of every license of
  the installed scancode-toolkit's data that has an SPDX id (not ``LicenseRef-``), as plain
  text without its YAML front matter; and ``packages/<package>/``, only the license files
  (``LICENSE*``, ``LICENCE*``, ``COPYING*``, ``NOTICE*``, any case) of the pinned packages of
  ``dense-packages.txt`` (npm ``npm pack``, PyPI sdists, fetched as ``accuracy_fetch`` does).

For each corpus it measures, in this order and in one run: the walk+read+hash baseline (in a
fresh process, timed from outside like every ospo-scan run, and in-process), raw
``scancode --license --copyright --package -n J --json`` and ``ospo-scan scan --jobs J``
cold (empty cache), warm (nothing changed) and with one file changed, then the start-up of
each tool (issue 19 goal 5): a fresh command on a copy of the corpus's first license file
alone in a folder, index caches present, ospo-scan with ``--no-cache``. It prints and writes a
Markdown report: wall time, files/s, peak memory, the speed ratio, and the agreement of the
findings with every disagreement listed.

Peak memory is sampled from /proc every 0.2 s over the whole process tree: the peak of the
summed PSS (proportional set size: pages shared between forked workers are split between
them, not counted twice) and the peak RSS of the largest single process.

Usage: ``python benchmarks/run.py [--corpora small,medium,large,dense] [--large-sample 1500]``
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import json
import os
import platform
import random
import shutil
import subprocess
import sys
import tarfile
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from accuracy_fetch import _fetch_npm, _fetch_pypi, folder_name
from license_expression import Licensing

HERE = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent
LICENSING = Licensing()


# --- corpora -------------------------------------------------------------------------


def _pip_sdist(work: Path, requirement: str, folder: str) -> Path:
    target = work / folder
    if target.exists():
        return target
    downloads = work / "downloads"
    downloads.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [
            BIN / "pip",
            "download",
            "--no-binary",
            ":all:",
            "--no-deps",
            "-d",
            downloads,
            requirement,
        ],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    name = requirement.split("==", maxsplit=1)[0].lower()
    archive = next(p for p in downloads.iterdir() if p.name.lower().startswith(name))
    with tarfile.open(archive) as tar:
        tar.extractall(work, filter="data")
    return target


def _npm_tree(work: Path) -> Path:
    target = work / "medium" / "node_modules"
    if target.exists():
        return target
    (work / "medium").mkdir(parents=True, exist_ok=True)
    shutil.copy(HERE / "medium-package.json", work / "medium" / "package.json")
    shutil.copy(HERE / "medium-package-lock.json", work / "medium" / "package-lock.json")
    subprocess.run(
        ["npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund"],
        cwd=work / "medium",
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return target


#: What the dense corpus keeps of a package: files whose name starts so (case-insensitive).
_LICENSE_NAME_PREFIXES = ("license", "licence", "copying", "notice")


def _is_license_name(name: str) -> bool:
    return name.lower().startswith(_LICENSE_NAME_PREFIXES)


def _spdx_texts(target: Path) -> int:
    """Write the text of every license of ScanCode's data that has an SPDX id (not a
    ``LicenseRef-``) as ``target/<ScanCode key>.txt``, without the YAML front matter."""
    spec = importlib.util.find_spec("licensedcode")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("scancode-toolkit's licensedcode is not installed here")
    data = Path(next(iter(spec.submodule_search_locations))) / "data" / "licenses"
    target.mkdir(parents=True)
    written = 0
    for source in sorted(data.glob("*.LICENSE")):
        content = source.read_text(encoding="utf-8")
        # A .LICENSE file is "---", its YAML front matter, "---", then the license text.
        front, _, text = content.removeprefix("---\n").partition("\n---\n")
        spdx = next(
            (
                line.split(":", 1)[1].strip()
                for line in front.splitlines()
                if line.startswith("spdx_license_key:")
            ),
            "",
        )
        if not spdx or spdx.startswith("LicenseRef-") or not text.strip():
            continue
        (target / f"{source.name.removesuffix('.LICENSE')}.txt").write_text(
            text.lstrip("\n"), encoding="utf-8"
        )
        written += 1
    return written


def _dense_tree(work: Path) -> tuple[Path, str]:
    """The license-dense corpus (issue 19 goal 2), built once in ``work/dense``; its label.

    ``spdx/``: the SPDX license texts of ScanCode's data; ``packages/<package>/``: the license
    files of the pinned packages of ``dense-packages.txt``, fetched and unpacked with
    ``accuracy_fetch`` (into ``work/dense-fetch``, kept between runs).
    """
    target = work / "dense"
    label_file = work / "dense.label"
    if target.exists() and label_file.exists():
        return target, label_file.read_text(encoding="utf-8")
    staging = work / "dense.partial"
    shutil.rmtree(staging, ignore_errors=True)
    texts = _spdx_texts(staging / "spdx")
    fetch_work = work / "dense-fetch"
    specs = [
        line.strip()
        for line in (HERE / "dense-packages.txt").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    packages = files = 0
    failed = []
    for entry in specs:
        ecosystem, spec = entry.split(":", 1)
        fetch_one = _fetch_npm if ecosystem == "npm" else _fetch_pypi
        try:
            error = fetch_one(fetch_work, spec)
        except (OSError, subprocess.SubprocessError, tarfile.TarError, ValueError) as failure:
            error = f"{type(failure).__name__}: {failure}"
        if error:
            failed.append(f"{entry} ({error})")
            print(f"[dense] {entry}: {error}", file=sys.stderr, flush=True)
            continue
        unpacked = fetch_work / "corpus" / ecosystem / folder_name(spec)
        kept = 0
        for path in sorted(unpacked.rglob("*")):
            if not _is_license_name(path.name) or path.is_symlink() or not path.is_file():
                continue
            dest = staging / "packages" / folder_name(spec) / path.relative_to(unpacked)
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, dest)
            kept += 1
        packages += bool(kept)
        files += kept
    label = (
        f"license-dense: {texts} SPDX license texts of ScanCode's data and {files} license "
        f"files of {packages} pinned packages (`dense-packages.txt`)"
        + (f"; {len(failed)} packages could not be fetched: {', '.join(failed)}" if failed else "")
    )
    staging.rename(target)
    label_file.write_text(label, encoding="utf-8")
    return target, label


def _sample(tree: Path, count: int, seed: int, target: Path) -> Path:
    """Copy a seeded sample of ``count`` files of ``tree`` into ``target``, paths kept."""
    if target.exists():
        shutil.rmtree(target)
    files = sorted(p for p in tree.rglob("*") if p.is_file() and not p.is_symlink())
    # A benchmark sample, not cryptography: a seeded PRNG makes it reproducible.
    chosen = random.Random(seed).sample(files, min(count, len(files)))  # noqa: S311
    for path in chosen:
        dest = target / path.relative_to(tree)
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, dest)
    return target


# --- measuring -----------------------------------------------------------------------


@dataclass
class Run:
    """One timed command."""

    wall: float
    peak_pss: int = 0  # bytes, summed over the process tree
    peak_rss_max: int = 0  # bytes, the largest single process
    returncode: int = 0
    stderr: str = ""


def _tree_pids(root: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(entry.name))
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo.extend(children.get(pid, ()))
    return out


def _memory(pid: int) -> tuple[int, int]:
    pss = rss = 0
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                pss = int(line.split()[1]) * 1024
            elif line.startswith("Rss:"):
                rss = int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    return pss, rss


#: ospo-scan runs alone unless a measurement asks for the daemon: one the user left running
#: must not serve the cold, warm and one-file runs.
ALONE = {**os.environ, "OSPO_SCAN_NO_DAEMON": "1"}


def run_measured(
    argv: list[str | Path], cwd: Path | None = None, env: dict[str, str] | None = None
) -> Run:
    """Run ``argv``, sampling the memory of its process tree."""
    started = time.monotonic()
    proc = subprocess.Popen(
        [str(a) for a in argv],
        cwd=cwd,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=ALONE if env is None else env,
    )
    result = Run(wall=0.0)
    stop = threading.Event()

    def sample() -> None:
        while not stop.is_set():
            total, largest = 0, 0
            for pid in _tree_pids(proc.pid):
                pss, rss = _memory(pid)
                total += pss
                largest = max(largest, rss)
            result.peak_pss = max(result.peak_pss, total)
            result.peak_rss_max = max(result.peak_rss_max, largest)
            stop.wait(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, err = proc.communicate()
    result.wall = time.monotonic() - started
    stop.set()
    sampler.join()
    result.returncode = proc.returncode
    result.stderr = err.decode("utf-8", "replace")[-2000:]
    return result


def walk_read_hash(tree: Path) -> tuple[float, int]:
    """The floor of any scan: list the tree, read every file and hash it (SHA-1 and SHA-256)."""
    started = time.monotonic()
    count = 0
    for folder, _dirs, names in os.walk(tree):
        for name in names:
            path = Path(folder) / name
            if path.is_symlink() or not path.is_file():
                continue
            data = path.read_bytes()
            hashlib.sha1(data).hexdigest()  # noqa: S324 -- as the scan does, for SPDX
            hashlib.sha256(data).hexdigest()
            count += 1
    return time.monotonic() - started, count


#: :func:`walk_read_hash` as a script, for a fresh interpreter: every ospo-scan run is a
#: fresh process, so the fair floor pays the interpreter's start-up too.
_BASELINE_SCRIPT = """
import hashlib, os, sys
from pathlib import Path
for folder, _dirs, names in os.walk(sys.argv[1]):
    for name in names:
        path = Path(folder) / name
        if path.is_symlink() or not path.is_file():
            continue
        data = path.read_bytes()
        hashlib.sha1(data).hexdigest()
        hashlib.sha256(data).hexdigest()
"""


def walk_read_hash_process(tree: Path) -> float:
    """The floor of any scan run as a command: a fresh Python that walks, reads and hashes.

    Timed from outside with :func:`run_measured`, exactly as the ospo-scan runs are (its
    memory sampler included). Goal 3 (warm re-scan within 3x) is judged against this figure;
    the in-process :func:`walk_read_hash` leaves out start-up.
    """
    run = run_measured([sys.executable, "-c", _BASELINE_SCRIPT, tree])
    if run.returncode != 0:
        raise RuntimeError(f"the walk+read+hash baseline failed: {run.stderr}")
    return run.wall


def _compile_bytecode() -> None:
    """Compile ospo-scan's modules once, as a wheel install does.

    With ``PYTHONDONTWRITEBYTECODE`` set, an editable install compiles every module on every
    run, and the warm timings would measure the compiler (about 0.1 s).
    """
    found = subprocess.run(
        [sys.executable, "-c", "import ospo_scan, os; print(os.path.dirname(ospo_scan.__file__))"],
        capture_output=True,
        text=True,
        check=True,
    )
    subprocess.run([sys.executable, "-m", "compileall", "-q", found.stdout.strip()], check=True)


#: Runs of the cheap measurements (baselines, warm re-scan); the best is reported.
_REPEATS = 3


# --- comparing -----------------------------------------------------------------------


@dataclass
class FileFindings:
    """What one tool found in one file."""

    keys: frozenset[str] = frozenset()
    holders: frozenset[str] = frozenset()
    skipped: str = ""


@dataclass
class Agreement:
    """Raw ScanCode versus ospo-scan, file by file."""

    files: int = 0
    license_equal: int = 0
    holders_equal: int = 0
    raw_license_files: int = 0
    ospo_license_files: int = 0
    lost: list[tuple[str, FileFindings, FileFindings]] = field(default_factory=list)
    license_diffs: list[tuple[str, FileFindings, FileFindings]] = field(default_factory=list)
    holder_diffs: list[tuple[str, FileFindings, FileFindings]] = field(default_factory=list)


def _keys(expression: str | None) -> set[str]:
    if not expression:
        return set()
    return set(LICENSING.license_keys(expression))


def raw_findings(path: Path) -> dict[str, FileFindings]:
    """Per-file findings of a raw ScanCode JSON result, paths relative to the scanned root."""
    data = json.loads(path.read_text(encoding="utf-8"))
    out = {}
    for entry in data["files"]:
        if entry.get("type") != "file":
            continue
        relative = entry["path"].split("/", 1)[1] if "/" in entry["path"] else entry["path"]
        keys: set[str] = set()
        for detection in entry.get("license_detections", []):
            keys |= _keys(detection.get("license_expression"))
        holders = frozenset(h["holder"] for h in entry.get("holders", []))
        out[relative] = FileFindings(frozenset(keys), holders)
    return out


def ospo_findings(path: Path) -> dict[str, FileFindings]:
    """Per-file findings of an ospo-scan JSON result."""
    data = json.loads(path.read_text(encoding="utf-8"))
    out = {}
    for entry in data["files"]:
        keys: set[str] = set()
        for detection in entry.get("license_detections", []):
            keys |= _keys(detection.get("license_expression"))
        skipped = ",".join(i["kind"] for i in entry.get("issues", []))
        if entry["status"] == "scanned":
            skipped = ""
        out[entry["path"]] = FileFindings(frozenset(keys), frozenset(entry["holders"]), skipped)
    return out


def compare(raw: dict[str, FileFindings], ospo: dict[str, FileFindings]) -> Agreement:
    """File-by-file agreement over the files raw ScanCode reports."""
    agreement = Agreement()
    for path in sorted(raw):
        theirs = raw[path]
        ours = ospo.get(path, FileFindings(skipped="missing"))
        agreement.files += 1
        agreement.raw_license_files += bool(theirs.keys)
        agreement.ospo_license_files += bool(ours.keys)
        if theirs.keys == ours.keys:
            agreement.license_equal += 1
        else:
            agreement.license_diffs.append((path, theirs, ours))
            if theirs.keys and not ours.keys:
                agreement.lost.append((path, theirs, ours))
        if theirs.holders == ours.holders:
            agreement.holders_equal += 1
        else:
            agreement.holder_diffs.append((path, theirs, ours))
    return agreement


# --- the report ----------------------------------------------------------------------


def _mb(value: int) -> str:
    return f"{value / 1024 / 1024:,.0f} MB"


def _fmt_keys(found: FileFindings, what: str) -> str:
    values = sorted(found.keys if what == "keys" else found.holders)
    text = ", ".join(values) if values else "(none)"
    return text + (f" [skipped: {found.skipped}]" if found.skipped else "")


def machine() -> str:
    """A one-paragraph description of the machine and its load right now."""
    with Path("/proc/loadavg").open() as handle:
        load = " ".join(handle.read().split()[:3])
    mem = next(
        line.split()[1]
        for line in Path("/proc/meminfo").read_text().splitlines()
        if line.startswith("MemTotal:")
    )
    model = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    return (
        f"{os.cpu_count()} CPUs ({model}), {int(mem) / 1024 / 1024:.1f} GiB RAM, "
        f"{platform.system()} {platform.release()}, Python {platform.python_version()}; "
        f"load average {load} at {time.strftime('%Y-%m-%d %H:%M:%S UTC', time.gmtime())}"
    )


def bench_corpus(name: str, label: str, tree: Path, jobs: int, out: Path) -> list[str]:
    """Measure one corpus; return its Markdown section."""
    lines = [f"## {name}: {label}", "", f"Machine before: {machine()}", ""]
    print(f"[{name}] walk+read+hash ...", file=sys.stderr, flush=True)
    walk_read_hash(tree)  # once to warm the page cache for everyone
    baseline_in_process, count = min(walk_read_hash(tree) for _ in range(_REPEATS))
    baseline = min(walk_read_hash_process(tree) for _ in range(_REPEATS))

    raw_json = out / f"{name}-scancode.json"
    print(f"[{name}] raw scancode on {count} files ...", file=sys.stderr, flush=True)
    raw = run_measured(
        [
            BIN / "scancode",
            "--license",
            "--copyright",
            "--package",
            "-n",
            str(jobs),
            "--json",
            raw_json,
            "--quiet",
            tree,
        ]
    )
    if raw.returncode != 0:
        lines.append(f"raw scancode failed ({raw.returncode}): {raw.stderr}")
        return lines

    cache = Path(tempfile.mkdtemp(prefix="ospo-bench-cache-"))
    ospo_json = out / f"{name}-ospo-scan.json"
    argv: list[str | Path] = [
        BIN / "ospo-scan",
        "scan",
        "--jobs",
        str(jobs),
        "--include-ignored",
        "--cache-dir",
        cache,
        "-q",
        "-f",
        "json",
        "-o",
        ospo_json,
        tree,
    ]
    print(f"[{name}] ospo-scan cold ...", file=sys.stderr, flush=True)
    cold = run_measured(argv)
    shutil.copy(ospo_json, out / f"{name}-ospo-scan-cold.json")
    print(f"[{name}] ospo-scan warm ...", file=sys.stderr, flush=True)
    warm = min((run_measured(argv) for _ in range(_REPEATS)), key=_wall)
    changed_file = _pick_changed_file(tree)
    original = changed_file.read_bytes()
    try:
        changed_file.write_bytes(original + b"\n// ospo-scan benchmark: one changed line\n")
        print(f"[{name}] ospo-scan one file changed ...", file=sys.stderr, flush=True)
        changed = run_measured(argv)
    finally:
        changed_file.write_bytes(original)
    daemon = bench_daemon(name, argv, changed_file, out)
    shutil.rmtree(cache, ignore_errors=True)
    startup = bench_startup(name, tree, jobs, out)

    agreement = compare(raw_findings(raw_json), ospo_findings(out / f"{name}-ospo-scan-cold.json"))
    ratio = raw.wall / cold.wall if cold.wall else 0.0
    lines += [
        f"{count} files. Jobs: {jobs} for both tools.",
        "",
        "| run | wall s | files/s | peak PSS (tree sum) | peak RSS (largest process) |",
        "|---|---:|---:|---:|---:|",
        f"| walk+read+hash baseline, fresh process (goal 3's yardstick; best of {_REPEATS}) "
        f"| {baseline:.2f} | {count / baseline:,.0f} | | |",
        f"| walk+read+hash baseline, in-process (no start-up; best of {_REPEATS}) "
        f"| {baseline_in_process:.2f} | {count / baseline_in_process:,.0f} | | |",
        _row("raw `scancode --license --copyright --package`", raw, count),
        _row("ospo-scan cold (empty cache)", cold, count),
        _row(f"ospo-scan warm (nothing changed; best of {_REPEATS})", warm, count),
        _row(f"ospo-scan one file changed (`{changed_file.relative_to(tree)}`)", changed, count),
        "",
        *daemon.rows(count),
        "",
        *startup.rows(),
        "",
        f"- Cold speed-up over raw ScanCode: **{ratio:.1f}x**.",
        f"- Warm re-scan: {warm.wall / baseline:.1f}x the fresh-process walk+read+hash "
        f"baseline (goal: at most 3x; {warm.wall / baseline_in_process:.1f}x the in-process "
        f"one); one file changed: {changed.wall / baseline:.1f}x "
        f"({changed.wall - warm.wall:.2f} s over the warm re-scan).",
        *daemon.summary(baseline),
        *startup.summary(),
        f"- Files with a license: raw ScanCode {agreement.raw_license_files}, "
        f"ospo-scan {agreement.ospo_license_files}.",
        f"- Equal license-key sets: {agreement.license_equal}/{agreement.files} "
        f"({100 * agreement.license_equal / max(agreement.files, 1):.2f} %).",
        "- Files where raw ScanCode finds a license and ospo-scan none: "
        f"**{len(agreement.lost)}**.",
        f"- Equal copyright-holder sets: {agreement.holders_equal}/{agreement.files} "
        f"({100 * agreement.holders_equal / max(agreement.files, 1):.2f} %).",
        "",
    ]
    for title, diffs, what in (
        ("License-key disagreements", agreement.license_diffs, "keys"),
        ("Copyright-holder disagreements", agreement.holder_diffs, "holders"),
    ):
        lines.append(f"### {title} ({len(diffs)})")
        lines.append("")
        if diffs:
            lines += ["| file | raw ScanCode | ospo-scan |", "|---|---|---|"]
            lines += [
                f"| `{p}` | {_fmt_keys(t, what)} | {_fmt_keys(o, what)} |" for p, t, o in diffs
            ]
        else:
            lines.append("None.")
        lines.append("")
    for label_, run in (("cold", cold), ("warm", warm), ("changed", changed)):
        if run.returncode != 0:
            lines.append(f"ospo-scan {label_} exited {run.returncode}: {run.stderr}")
    return lines


@dataclass
class DaemonRuns:
    """The same warm and one-file-changed scans, served by ``ospo-scan daemon``."""

    warm: Run | None = None
    changed: Run | None = None
    alone: Run | None = None  # the changed file by itself, uncached
    resident_bytes: int | None = None
    error: str = ""

    def rows(self, count: int) -> list[str]:
        """Table rows (memory is the daemon's: the caller's process tree only relays)."""
        if self.warm is None or self.changed is None or self.alone is None:
            return []
        rss = _mb(self.resident_bytes or 0)
        return [
            _row(f"daemon: warm (best of {_REPEATS})", self.warm, count, rss),
            _row(
                "daemon: one file changed (a new edit of the same file)", self.changed, count, rss
            ),
            _row("daemon: that file alone, uncached", self.alone, 1, rss),
        ]

    def summary(self, baseline: float) -> list[str]:
        """The goal-3 lines for the daemon."""
        if self.error:
            return [f"- Daemon runs failed: {self.error}"]
        if self.warm is None or self.changed is None or self.alone is None:
            return []
        return [
            f"- Through `ospo-scan daemon` (ScanCode loaded once, each command forked): warm "
            f"{self.warm.wall:.2f} s ({self.warm.wall / baseline:.1f}x the baseline); one file "
            f"changed {self.changed.wall:.2f} s, which is {self.changed.wall - self.warm.wall:.2f} "
            f"s over its warm re-scan, against {self.alone.wall:.2f} s for scanning that file "
            "alone (a fresh command, through the daemon)."
        ]


def bench_daemon(name: str, argv: list[str | Path], changed_file: Path, out: Path) -> DaemonRuns:
    """Start a daemon in a private folder, time the warm and changed runs through it, stop it."""
    runs = DaemonRuns()
    runtime = Path(tempfile.mkdtemp(prefix="ospo-bench-run-"))
    env = {k: v for k, v in os.environ.items() if k != "OSPO_SCAN_NO_DAEMON"}
    env["OSPO_SCAN_RUNTIME_DIR"] = str(runtime)
    ospo = str(BIN / "ospo-scan")
    print(f"[{name}] ospo-scan daemon ...", file=sys.stderr, flush=True)
    started = subprocess.run(
        [ospo, "daemon", "start"], env=env, capture_output=True, text=True, check=False
    )
    if started.returncode != 0:
        runs.error = started.stderr.strip()
        return runs
    original = changed_file.read_bytes()
    try:
        runs.warm = min((run_measured(argv, env=env) for _ in range(_REPEATS)), key=_wall)
        # Content no scan has seen: the edit of the runs without the daemon is cached.
        changed_file.write_bytes(original + b"\n// ospo-scan benchmark: an edit for the daemon\n")
        runs.changed = run_measured(argv, env=env)
        alone = [ospo, "scan", "--no-cache", "-q", "-f", "json", "-o", out / "alone.json"]
        runs.alone = run_measured([*alone, changed_file], env=env)
        status = subprocess.run(
            [ospo, "daemon", "status", "--json"], env=env, capture_output=True, check=False
        )
        figures = json.loads(status.stdout)
        runs.resident_bytes = figures.get("rss_bytes")
        if figures.get("commands_served") != _REPEATS + 2:
            # A command the daemon refused ran alone: its time is not the daemon's.
            runs.error = f"the daemon served {figures.get('commands_served')} of {_REPEATS + 2}"
    finally:
        changed_file.write_bytes(original)
        subprocess.run([ospo, "daemon", "stop"], env=env, capture_output=True, check=False)
        shutil.rmtree(runtime, ignore_errors=True)
    for label, run in (("warm", runs.warm), ("changed", runs.changed), ("alone", runs.alone)):
        if run is not None and run.returncode != 0:
            runs.error += f" {label} exited {run.returncode}: {run.stderr}"
    return runs


@dataclass
class StartupRuns:
    """Issue 19 goal 5: a fresh command scanning one small file, timed from outside."""

    file: str
    raw: Run
    ospo: Run

    def rows(self) -> list[str]:
        """Table rows, in the main table's columns."""
        return [
            "| start-up: one file (the whole command) | wall s | files/s | peak PSS | peak RSS |",
            "|---|---:|---:|---:|---:|",
            _row(
                f"raw `scancode -clp -n J --json` on `{self.file}` (best of {_REPEATS})",
                self.raw,
                1,
            ),
            _row(
                f"ospo-scan `scan --no-cache` on `{self.file}` (best of {_REPEATS})", self.ospo, 1
            ),
        ]

    def summary(self) -> list[str]:
        """The goal-5 line."""
        failed = [
            f"{label} exited {run.returncode}: {run.stderr}"
            for label, run in (("raw scancode", self.raw), ("ospo-scan", self.ospo))
            if run.returncode != 0
        ]
        if failed:
            return [f"- Start-up runs failed: {'; '.join(failed)}"]
        return [
            f"- Start-up (goal 5: the first file scanned less than 1.5 s after the command "
            f"starts, index cache present): a whole one-file ospo-scan command takes "
            f"{self.ospo.wall:.2f} s, raw ScanCode {self.raw.wall:.2f} s "
            f"({self.raw.wall / self.ospo.wall:.1f}x)."
        ]


def _first_license_file(tree: Path) -> Path:
    files = sorted(p for p in tree.rglob("*") if p.is_file() and not p.is_symlink())
    return next((p for p in files if _is_license_name(p.name)), files[0])


def bench_startup(name: str, tree: Path, jobs: int, out: Path) -> StartupRuns:
    """Time a fresh command on a copy of the corpus's first license file, alone in a folder.

    Both tools' license index caches exist by now (the cold runs built them); ospo-scan runs
    with ``--no-cache`` so that its findings cache does not answer.
    """
    source = _first_license_file(tree)
    print(f"[{name}] start-up on {source.name} ...", file=sys.stderr, flush=True)
    folder = Path(tempfile.mkdtemp(prefix="ospo-bench-startup-"))
    try:
        single = folder / source.name
        shutil.copyfile(source, single)
        raw = min(
            (
                run_measured(
                    [
                        BIN / "scancode",
                        "-clp",
                        "-n",
                        str(jobs),
                        "--json",
                        out / f"{name}-startup-scancode.json",
                        "--quiet",
                        single,
                    ]
                )
                for _ in range(_REPEATS)
            ),
            key=_wall,
        )
        argv: list[str | Path] = [BIN / "ospo-scan", "scan", "--jobs", str(jobs), "--no-cache"]
        argv += ["-q", "-f", "json", "-o", out / f"{name}-startup-ospo-scan.json", single]
        ospo = min((run_measured(argv) for _ in range(_REPEATS)), key=_wall)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return StartupRuns(str(source.relative_to(tree)), raw, ospo)


def _wall(run: Run) -> float:
    return run.wall


def _row(label: str, run: Run, count: int, memory: str | None = None) -> str:
    return (
        f"| {label} | {run.wall:.2f} | {count / run.wall:,.1f} "
        f"| {_mb(run.peak_pss) if memory is None else f'{memory} (daemon RSS)'} "
        f"| {_mb(run.peak_rss_max) if memory is None else ''} |"
    )


def _pick_changed_file(tree: Path) -> Path:
    candidates = (
        sorted(p for p in tree.rglob("*.js") if p.is_file())
        or sorted(p for p in tree.rglob("*.py") if p.is_file())
        or sorted(p for p in tree.rglob("*") if p.is_file())  # the dense corpus: texts only
    )
    return candidates[len(candidates) // 2]


def _corpora(
    work: Path, wanted: list[str], sample: int, seed: int
) -> Iterator[tuple[str, str, Path]]:
    if "small" in wanted:
        yield (
            "small",
            "requests 2.32.5 sdist",
            _pip_sdist(work, "requests==2.32.5", "requests-2.32.5"),
        )
    if "medium" in wanted:
        yield (
            "medium",
            "node_modules of express 4.21.2 + lodash 4.17.21 + moment 2.30.1",
            _npm_tree(work),
        )
    if "large" in wanted:
        tree = _pip_sdist(work, "Django==5.2.19", "django-5.2.19")
        if sample:
            label = f"Django 5.2.19 sdist, seeded sample of {sample} files (seed {seed})"
            yield (
                "large",
                label,
                _sample(tree, sample, seed, work / f"django-sample-{sample}-{seed}"),
            )
        else:
            yield "large", "Django 5.2.19 sdist", tree
    if "dense" in wanted:
        tree, label = _dense_tree(work)
        yield "dense", label, tree


def main() -> int:
    """Build the corpora, run the tools side by side, print and write the report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpora", default="small,medium,large,dense")
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "ospo-bench")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--large-sample", type=int, default=0, help="files; 0 = whole tree")
    parser.add_argument("--seed", type=int, default=20260101)
    parser.add_argument("--output", type=Path, default=HERE / "RESULTS.md")
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    _compile_bytecode()
    out = args.work / "results"
    out.mkdir(exist_ok=True)
    version = subprocess.run(
        [BIN / "ospo-scan", "--version"], capture_output=True, text=True, check=True
    ).stdout.strip()
    report = [
        "# Benchmark: ospo-scan versus raw ScanCode",
        "",
        f"Produced by `python benchmarks/run.py {' '.join(sys.argv[1:])}` with {version}.",
        "",
        f"Machine at the start: {machine()}.",
        "",
        "Peak memory is sampled every 0.2 s from /proc over the whole process tree: PSS summed "
        "over the tree (shared pages split between the processes that share them) and the RSS "
        "of the largest single process.",
        "",
    ]
    for name, label, tree in _corpora(
        args.work, args.corpora.split(","), args.large_sample, args.seed
    ):
        section = bench_corpus(name, label, tree, args.jobs, out)
        print("\n".join(section), flush=True)
        report += section
        args.output.write_text("\n".join(report) + "\n", encoding="utf-8")
    report += [f"Machine at the end: {machine()}.", ""]
    args.output.write_text("\n".join(report) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
