# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""Time ``ospo-scan sbom`` on a large synthetic result, in every SBOM format.

The result is built, not scanned: a schema-valid document of ``--files`` files (each with one
license detection and one copyright), a project package, a share of installed packages, and
``--deps`` dependencies (``pkg:npm/pkg-i@1.0.i``) with licenses and scopes, one in ten
resolved to an installed package. Each format then runs as a real ``python -m ospo_scan``
process, without and with ``--files``; the table gives seconds and the peak RSS of the child.

Usage: ``python benchmarks/sbom_scale.py [--files 20000] [--deps 100000] [--formats ...]``
"""

from __future__ import annotations

import argparse
import hashlib
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from ospo_scan.document import to_json
from ospo_scan.model import (
    CopyrightStatement,
    Dependency,
    DependencyScope,
    FileRecord,
    FileStatus,
    LicenseDetection,
    LicenseMatch,
    MatchKind,
    Package,
    ScanResult,
    ScanSummary,
    ToolInfo,
)
from ospo_scan.sbom import SBOM_FORMATS

# A mix of the expressions ScanCode writes: listed ids, an OR, a WITH, a ScanCode-only key.
LICENSES = (
    ("mit", "MIT"),
    ("apache-2.0", "Apache-2.0"),
    ("bsd-new", "BSD-3-Clause"),
    ("gpl-2.0 WITH classpath-exception-2.0", "GPL-2.0-only WITH Classpath-exception-2.0"),
    ("mit OR apache-2.0", "MIT OR Apache-2.0"),
    ("isc", "ISC"),
    ("unknown-license-reference", "LicenseRef-scancode-unknown-license-reference"),
)
SCOPES = tuple(DependencyScope)
INSTALLED_EVERY = 10  # one dependency in ten resolves to an installed package


def _file(i: int) -> FileRecord:
    key, spdx = LICENSES[i % len(LICENSES)]
    match = LicenseMatch(
        license_expression=key,
        license_expression_spdx=spdx,
        kind=MatchKind.NOTICE,
        score=100.0,
        start_line=1,
        end_line=3,
        matched_length=20,
        match_coverage=100.0,
        matcher="2-aho",
        rule_identifier=f"{key}_1.RULE",
        rule_relevance=100,
    )
    detection = LicenseDetection(
        license_expression=key,
        license_expression_spdx=spdx,
        kind=MatchKind.NOTICE,
        score=100.0,
        start_line=1,
        end_line=3,
        rule_identifier=match.rule_identifier,
        identifier=f"{key}-{i}",
        matches=(match,),
    )
    content = f"file {i}".encode()
    return FileRecord(
        path=f"src/d{i // 100}/f{i}.js",
        status=FileStatus.SCANNED,
        size=len(content),
        sha1=hashlib.sha1(content, usedforsecurity=False).hexdigest(),
        sha256=hashlib.sha256(content).hexdigest(),
        is_text=True,
        license_expression=key,
        license_expression_spdx=spdx,
        license_detections=(detection,),
        copyrights=(
            CopyrightStatement(
                statement=f"Copyright (c) 2026 Author {i % 500}",
                holders=(f"Author {i % 500}",),
                start_line=1,
                end_line=1,
            ),
        ),
    )


def _installed(i: int) -> Package:
    return Package(
        purl=f"pkg:npm/pkg-{i}@1.0.{i}",
        type="npm",
        name=f"pkg-{i}",
        version=f"1.0.{i}",
        root_path=f"node_modules/pkg-{i}",
        datafile_paths=(f"node_modules/pkg-{i}/package.json",),
        declared_license="MIT",
        declared_license_spdx="MIT",
        concluded_license_spdx="MIT",
    )


def _dependency(i: int, project: str) -> Dependency:
    purl = f"pkg:npm/pkg-{i}@1.0.{i}"
    installed = i % INSTALLED_EVERY == 0
    return Dependency(
        purl=purl,
        name=f"pkg-{i}",
        datafile_path="package-lock.json",
        scope=SCOPES[i % len(SCOPES)],
        is_direct=i % 7 == 0,
        extracted_requirement=f"^1.0.{i}",
        resolved_version=f"1.0.{i}",
        for_package=project,
        resolved_package=purl if installed else None,
        license_spdx=None if i % 13 == 0 else LICENSES[i % len(LICENSES)][1],
        license_source="lockfile",
    )


def build_result(files: int, deps: int) -> ScanResult:
    """A schema-valid result of ``files`` files and ``deps`` dependencies."""
    project = Package(
        purl="pkg:npm/scale-project@1.0.0",
        type="npm",
        name="scale-project",
        version="1.0.0",
        root_path="",
        datafile_paths=("package.json",),
        declared_license="MIT",
        declared_license_spdx="MIT",
        concluded_license_spdx="MIT",
        supplier="Scale Authors",
    )
    installed = [_installed(i) for i in range(0, deps, INSTALLED_EVERY)]
    records = tuple(_file(i) for i in range(files))
    summary = ScanSummary(
        files=files,
        files_scanned=files,
        files_skipped=0,
        files_with_errors=0,
        files_with_licenses=files,
        files_with_copyrights=files,
        license_counts={},
        holder_counts={},
        issue_counts={},
        elapsed_seconds=0.0,
        packages=1 + len(installed),
        dependencies=deps,
    )
    return ScanResult(
        tool=ToolInfo(
            ospo_scan_version="0",
            scancode_toolkit_version="32.5.0",
            spdx_license_list_version="3.25",
            license_index="synthetic",
        ),
        root="/scale",
        root_name="scale",
        started_at="2026-01-01T00:00:00Z",
        finished_at="2026-01-01T00:00:00Z",
        options={},
        summary=summary,
        files=records,
        packages=(project, *installed),
        dependencies=tuple(_dependency(i, project.purl) for i in range(deps)),
    )


def _run(
    result: Path,
    fmt: str,
    files: bool,
    out: Path,
    timeout: float,
    source: Path | None = None,
    extra: list[str] | None = None,
) -> tuple[str, int]:
    """Seconds (or why there are none) and peak RSS in MB of one ``sbom`` run (of the
    ospo-scan in the ``source`` folder when given, else of the installed one)."""
    cmd = [sys.executable, "-m", "ospo_scan", "sbom", str(result), "-f", fmt, "-o", str(out)]
    if files:
        cmd.append("--files")
    cmd.extend(extra or ())
    env = dict(os.environ)
    if source is not None:
        env["PYTHONPATH"] = str(source)
    start = time.perf_counter()
    with tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=err, env=env)
        # wait4 gives this child's own peak RSS (RUSAGE_CHILDREN would be the largest so far).
        timer = threading.Timer(timeout, proc.kill)
        timer.start()
        _, status, usage = os.wait4(proc.pid, 0)
        timer.cancel()
        proc.returncode = os.waitstatus_to_exitcode(status)
        elapsed = time.perf_counter() - start
        if proc.returncode != 0:
            err.seek(0)
            print(err.read()[-2000:].decode(errors="replace"), file=sys.stderr)
    if elapsed >= timeout:
        return f">{timeout:.0f}", usage.ru_maxrss // 1024
    if proc.returncode != 0:
        return f"exit {proc.returncode}", usage.ru_maxrss // 1024
    # The child's CPU seconds too: on a shared machine the wall time mostly measures the load.
    cpu = usage.ru_utime + usage.ru_stime
    return f"{elapsed:.1f}, CPU {cpu:.1f}", usage.ru_maxrss // 1024


def main() -> None:
    """Build the result, run every format and print the table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--files", type=int, default=20_000)
    parser.add_argument("--deps", type=int, default=100_000)
    parser.add_argument("--formats", nargs="*", default=list(SBOM_FORMATS))
    parser.add_argument("--timeout", type=float, default=900.0)
    parser.add_argument(
        "--without-files-only", action="store_true", help="skip the runs with --files"
    )
    parser.add_argument("--keep", type=Path, help="write the result document here and keep it")
    parser.add_argument(
        "--baseline",
        type=Path,
        help="an earlier ospo-scan's src folder (git archive): each cell runs it first, then "
        "this one, and the table gets a before column and whether the bytes are the same",
    )
    args = parser.parse_args()
    if args.baseline:
        _compare(args)
        return
    with tempfile.TemporaryDirectory() as tmp:
        result = args.keep or Path(tmp, "result.json")
        start = time.perf_counter()
        result.write_text(to_json(build_result(args.files, args.deps)), encoding="utf-8")
        print(
            f"result: {args.files} files, {args.deps} dependencies, "
            f"{result.stat().st_size / 1e6:.0f} MB, built in {time.perf_counter() - start:.1f} s"
        )
        print("| format | s (peak RSS) | s with --files (peak RSS) | output MB, --files |")
        print("|---|---:|---:|---:|")
        for fmt in args.formats:
            row = [fmt]
            size = 0.0
            for with_files in (False,) if args.without_files_only else (False, True):
                out = Path(tmp, f"out-{fmt}-{with_files}")
                status, rss = _run(result, fmt, with_files, out, args.timeout)
                row.append(f"{status} ({rss} MB)")
                size = out.stat().st_size / 1e6 if out.exists() else 0.0
            if args.without_files_only:
                row.append("-")
            row.append(f"{size:.0f}")
            print("| " + " | ".join(row) + " |", flush=True)


def _compare(args: argparse.Namespace) -> None:
    """Each format without ``--files``, the baseline's ospo-scan then this one, in turn."""
    with tempfile.TemporaryDirectory() as tmp:
        result = args.keep or Path(tmp, "result.json")
        result.write_text(to_json(build_result(args.files, args.deps)), encoding="utf-8")
        print(f"result: {args.files} files, {args.deps} dependencies (`--reproducible`)")
        print("| format | before: wall s, CPU s (peak RSS) | after | same bytes | load |")
        print("|---|---:|---:|---|---:|")
        for fmt in args.formats:
            cells = []
            outs = []
            for source in (args.baseline, None):
                out = Path(tmp, f"out-{fmt}-{'before' if source else 'after'}")
                status, rss = _run(
                    result, fmt, False, out, args.timeout, source, ["--reproducible"]
                )
                cells.append(f"{status} ({rss} MB)")
                outs.append(out.read_bytes() if out.exists() else None)
            same = "yes" if outs[0] is not None and outs[0] == outs[1] else "no"
            load = os.getloadavg()[0]
            print(f"| {fmt} | {cells[0]} | {cells[1]} | {same} | {load:.1f} |", flush=True)


if __name__ == "__main__":
    main()
