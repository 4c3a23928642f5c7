# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""Benchmark ``scan --shard K/N`` + ``merge`` against one scan, on Django's sdist.

Four single-core runners are played one after another on this machine: a cold ``scan -j 1``
of the whole tree, then each shard ``scan -j 1 --shard K/N`` (cold, no cache), then
``merge``. Reported: each run's wall time, the critical path (the slowest shard plus the
merge, what N parallel runners would wait for) against the single scan, the imbalance
between the fastest and the slowest shard, and whether the merged result equals the single
one (times and the ``shards`` section aside). ``--counts 1,2,3,7`` checks the equality for
more shard counts too (each costs about one more whole scan).

``--simulate N`` adds a simulated tree of N files, made by repeating Django's files with a
one-line edit each (so that every content differs), and reports for each shard count the
split the shards compute (the heaviest share against an even one) and the critical path it
predicts from the measured throughput: the walk and hash of the whole tree every shard
pays, plus its share of detection at the single scan's bytes per second. A model, labelled
as one: scanning the simulated tree itself takes hours on this machine.

Usage: ``python benchmarks/shards.py [--work DIR] [--shards 4] [--counts 4] [--simulate 0]``
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path
from typing import Any

from ospo_scan.engine import datafiles
from ospo_scan.scan.options import ScanOptions
from ospo_scan.scan.pipeline import plan_files
from ospo_scan.scan.shards import split, units_of
from ospo_scan.scan.walk import EntryKind, walk

BIN = Path(sys.executable).parent
DJANGO = "Django==5.2.19"


def django(work: Path) -> Path:
    """Django's sdist, unpacked under ``work`` (downloaded once)."""
    target = work / "django-5.2.19"
    if target.exists():
        return target
    downloads = work / "downloads"
    downloads.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [BIN / "pip", "download", "--no-binary", ":all:", "--no-deps", "-d", downloads, DJANGO],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    archive = next(p for p in downloads.iterdir() if p.name.lower().startswith("django"))
    with tarfile.open(archive) as tar:
        tar.extractall(work, filter="data")
    return target


#: CPU seconds (user + system) of each command run by :func:`timed`, in order: on a machine
#: shared with other jobs the wall time depends on their load, the CPU time much less.
CPU: list[float] = []


def timed(*args: str | Path) -> float:
    """Wall seconds of one ospo-scan command (no daemon, no cache), which must succeed."""
    env = {**os.environ, "OSPO_SCAN_NO_DAEMON": "1"}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.monotonic()
    subprocess.run([BIN / "ospo-scan", *map(str, args)], check=True, env=env)
    wall = time.monotonic() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    CPU.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return wall


def comparable(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    for key in ("started_at", "finished_at"):
        data["scan"].pop(key)
    data["summary"].pop("elapsed_seconds")
    data.pop("shards", None)
    return data


def sharded(tree: Path, count: int, folder: Path) -> tuple[list[float], float, Path]:
    """Each shard's wall time, the merge's, and the merged result."""
    folder.mkdir(parents=True, exist_ok=True)
    walls = [
        timed(
            "scan",
            "-q",
            "-j",
            "1",
            "--no-cache",
            "--shard",
            f"{k}/{count}",
            "-o",
            folder / f"part-{k}.json",
            tree,
        )
        for k in range(1, count + 1)
    ]
    merged = folder / "merged.json"
    parts = [folder / f"part-{k}.json" for k in range(1, count + 1)]
    merge = timed("merge", "-q", *parts, "-o", merged, "--root", tree)
    return walls, merge, merged


def simulate(tree: Path, files: int, target: Path) -> Path:
    """``files`` files made from ``tree``'s text files, each copy with an edit of its own."""
    if target.exists():
        shutil.rmtree(target)
    sources = [
        p
        for p in sorted(tree.rglob("*"))
        if p.is_file() and p.suffix in {".py", ".txt", ".js", ".html"}
    ]
    made = 0
    copy = 0
    while made < files:
        for source in sources:
            if made >= files:
                break
            dest = target / f"copy{copy:03}" / source.relative_to(tree)
            dest.parent.mkdir(parents=True, exist_ok=True)
            data = source.read_bytes()
            dest.write_bytes(data + f"\n# edit {copy}\n".encode())
            made += 1
        copy += 1
    return target


def split_model(tree: Path, counts: list[int]) -> dict[int, tuple[int, int]]:
    """For each count, (heaviest share, total weight) as the shards would split ``tree``."""
    entries = list(walk(tree))
    datafiles.load_package_handlers()
    files = [e for e in entries if e.kind is EntryKind.FILE]
    plan = plan_files(files, ScanOptions(jobs=1), None)
    units = units_of(plan, [e for e in entries if e.kind is not EntryKind.FILE])
    total = sum(u.weight for u in units)
    return {n: (max(sum(u.weight for u in s) for s in split(units, n)), total) for n in counts}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument(
        "--work", type=Path, default=Path(tempfile.gettempdir()) / "ospo-scan-shards-bench"
    )
    parser.add_argument("--shards", type=int, default=4)
    parser.add_argument("--counts", default="", help="more shard counts to check for equality")
    parser.add_argument("--simulate", type=int, default=0, help="files of the simulated tree")
    args = parser.parse_args()
    work: Path = args.work
    work.mkdir(parents=True, exist_ok=True)
    tree = django(work)
    load = os.getloadavg()
    print(
        f"load average before: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} on {os.cpu_count()} CPUs"
    )

    single = work / "single.json"
    single_wall = timed("scan", "-q", "-j", "1", "--no-cache", "-o", single, tree)
    single_cpu = CPU[-1]
    files = json.loads(single.read_text(encoding="utf-8"))["summary"]["files"]
    print(f"single scan -j 1: {single_wall:.1f} s wall, {single_cpu:.1f} s CPU ({files} files)")

    walls, merge_wall, merged = sharded(tree, args.shards, work / f"n{args.shards}")
    cpus, merge_cpu = CPU[-args.shards - 1 : -1], CPU[-1]
    critical = max(walls) + merge_wall
    for k, (wall, cpu) in enumerate(zip(walls, cpus, strict=True), start=1):
        print(f"shard {k}/{args.shards} -j 1: {wall:.1f} s wall, {cpu:.1f} s CPU")
    print(f"merge: {merge_wall:.1f} s wall, {merge_cpu:.1f} s CPU")
    critical_cpu = max(cpus) + merge_cpu
    print(
        f"critical path in CPU time: {critical_cpu:.1f} s; "
        f"{single_cpu / critical_cpu:.2f}x shorter than the single scan's {single_cpu:.1f} s; "
        f"imbalance {min(cpus):.1f} to {max(cpus):.1f} s"
    )
    print(
        f"critical path (slowest shard + merge): {critical:.1f} s; "
        f"{single_wall / critical:.2f}x shorter than the single scan"
    )
    print(
        f"imbalance: fastest {min(walls):.1f} s, slowest {max(walls):.1f} s "
        f"({(max(walls) - min(walls)) / max(walls):.0%} of the slowest)"
    )
    equal = comparable(merged) == comparable(single)
    print(f"merged result equals the single scan: {equal}")
    failures = 0 if equal else 1

    for count in [int(c) for c in args.counts.split(",") if c]:
        if count == args.shards:
            continue
        _, _, other = sharded(tree, count, work / f"n{count}")
        same = comparable(other) == comparable(single)
        failures += not same
        print(f"N = {count}: merged result equals the single scan: {same}")

    if args.simulate:
        big = simulate(tree, args.simulate, work / f"simulated-{args.simulate}")
        start = time.monotonic()
        counts = [1, 2, 4, 8, 16, 32]
        model = split_model(big, counts)
        overhead = time.monotonic() - start  # walk, hash and split: what every shard pays
        total_bytes = model[1][1]
        rate = sum(p.stat().st_size for p in tree.rglob("*") if p.is_file()) / single_wall
        print(f"simulated tree: {args.simulate} files; walk+hash+split {overhead:.1f} s")
        for count, (heaviest, total) in model.items():
            predicted = overhead + heaviest / rate
            print(
                f"  N = {count}: heaviest share {heaviest / total:.3f} of the work "
                f"(even: {1 / count:.3f}); predicted critical path {predicted:.0f} s "
                f"(model, {total_bytes / rate:.0f} s of detection in one process)"
            )
    load = os.getloadavg()
    print(f"load average after: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    return failures


if __name__ == "__main__":
    sys.exit(main())
