# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""Torture ospo-scan with a hostile tree, hostile policies and interruptions; count failures.

Every run is a real ``python -m ospo_scan`` process (no daemon, a private cache) and is judged
on two things only: no traceback on stderr, and the exit code the contract promises (0
compliant, 1 violations, 2 usage or configuration error, 130 or the signal when interrupted).
An interrupted run must also leave no output file, no temporary file and no process behind
(SIGINT to the process group as a terminal sends it, SIGTERM and SIGKILL to the process alone
as a supervisor sends them).

The tree comes from ``tests/hostile.py``: a symlink cycle, a link out of the root, a FIFO, a
socket, an unreadable file (the scans run without CAP_DAC_OVERRIDE), names that are not UTF-8
or hold a newline, 10,000 nested folders, a 1 GB sparse file, a minified bundle, a binary with
a license inside, broken and hostile manifests and .gitignore lines git ignores.

Usage: ``python benchmarks/torture.py [--interruptions 20] [--seed 1]``
"""

from __future__ import annotations

import argparse
import contextlib
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from hostile import DROP_DAC, hostile_tree
from ospo_scan.formats import registry
from ospo_scan.formats.base import Output

# The formats as the registry lists them, so that a new format is tortured too.
CHECK_FORMATS = registry.names(Output.CHECK)
SBOM_FORMATS = registry.names(Output.SBOM)
HOSTILE_POLICIES = {
    "extends-secret": "version: 1\nextends: ./secret.txt\n",
    "extends-passwd": "version: 1\nextends: /etc/passwd\n",
    "nul": "version: 1\nlicenses:\n  allow: [MIT\x00]\n",
    "empty-expression": 'version: 1\nlicenses:\n  allow: ["()"]\n',
    "extends-empty": "version: 1\nextends: []\n",
    "extends-twice": "version: 1\nextends: [default, default]\n",
    "expires-int": (
        "version: 1\nwaivers:\n  - id: w\n    paths: [x]\n    reason: r\n"
        "    approved_by: me\n    expires: 20270101\n"
    ),
    "version-float": "version: 1.0\n",
    "deep": "version: 1\nx: " + "[" * 5000 + "]" * 5000 + "\n",
    "not-yaml": "version: 1\nlicenses: {allow: [MIT\n",
}


@dataclass
class Tally:
    """What the runs did."""

    runs: int = 0
    tracebacks: list[str] = field(default_factory=list)
    wrong_codes: list[str] = field(default_factory=list)
    leftovers: list[str] = field(default_factory=list)
    secrets_leaked: list[str] = field(default_factory=list)
    late: list[str] = field(default_factory=list)  # signals after the output was complete
    orphans: list[str] = field(default_factory=list)  # processes that outlived their scan

    def judge(self, label: str, done: subprocess.CompletedProcess[str], allowed: set[int]) -> None:
        """Count one run."""
        self.runs += 1
        if "Traceback" in done.stderr:
            # The traceback's last lines, to say where it came from.
            tail = done.stderr[done.stderr.index("Traceback") :].strip().splitlines()[-4:]
            self.tracebacks.append(f"{label}: {' | '.join(tail)}")
        if done.returncode not in allowed:
            self.wrong_codes.append(f"{label}: exit {done.returncode}, expected {sorted(allowed)}")


def _env(work: Path) -> dict[str, str]:
    return {
        **os.environ,
        "OSPO_SCAN_NO_DAEMON": "1",
        "OSPO_SCAN_CACHE_DIR": str(work / "cache"),
        "NO_COLOR": "1",
        "CI": "true",
    }


def _run(
    args: Sequence[str], work: Path, timeout: float = 1800
) -> subprocess.CompletedProcess[str]:
    command = [*DROP_DAC, sys.executable, "-m", "ospo_scan", *args]
    return subprocess.run(
        command, env=_env(work), capture_output=True, text=True, timeout=timeout, check=False
    )


def _commands(tally: Tally, tree: Path, work: Path) -> Path:
    """scan (cold and warm, one and two jobs), check and sbom in every format."""
    result = work / "result.json"
    for jobs, label in (("2", "scan cold -j 2"), ("2", "scan warm -j 2"), ("1", "scan -j 1")):
        done = _run(["scan", "-q", "-j", jobs, "-o", str(result), str(tree)], work)
        tally.judge(label, done, {0})
    for name in CHECK_FORMATS:
        done = _run(["check", "-q", "-f", name, "-o", str(work / f"r.{name}"), str(result)], work)
        tally.judge(f"check -f {name}", done, {1})
    done = _run(["check", "-q", "-j", "2", "-f", "sarif", str(tree)], work)
    tally.judge("check the tree itself", done, {1})
    for name in SBOM_FORMATS:
        args = ["sbom", "-q", "--files", "-f", name, "-o", str(work / f"bom.{name}"), str(result)]
        tally.judge(f"sbom -f {name}", _run(args, work), {0})
    return result


def _policies(tally: Tally, result: Path, work: Path) -> None:
    """Hostile policies: exit 2, one clear error, and never a secret in the output."""
    folder = work / "policies"
    folder.mkdir()
    secret = "TOP-SECRET-TOKEN-1234"  # noqa: S105 -- bait that must never be printed
    (folder / "secret.txt").write_text(secret)
    for name, text in HOSTILE_POLICIES.items():
        path = folder / f"{name}.yml"
        path.write_text(text)
        done = _run(["check", "-q", "-p", str(path), str(result)], work)
        tally.judge(f"policy {name}", done, {2})
        if secret in done.stderr + done.stdout or "root:x:0:0" in done.stderr + done.stdout:
            tally.secrets_leaked.append(name)
    for label, path in (("folder", folder), ("fifo", work / "policy.fifo")):
        if label == "fifo":
            os.mkfifo(path)
        done = _run(["check", "-q", "-p", str(path), str(result)], work, timeout=120)
        tally.judge(f"policy is a {label}", done, {2})


#: How each interruption is sent: Ctrl-C at a terminal signals the whole process group; a
#: supervisor's SIGTERM or SIGKILL (a CI time-out, an OOM killer) only the process it started.
_INTERRUPTIONS = (
    (signal.SIGINT, True),
    (signal.SIGTERM, False),
    (signal.SIGINT, False),
    (signal.SIGTERM, True),
    (signal.SIGKILL, False),
)


def _session_processes(session: int) -> list[int]:
    """The live processes of ``session`` (zombies, already ended, aside)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[3]) == session and fields[0] != "Z":
            found.append(int(stat.parent.name))
    return found


def _orphans(session: int) -> list[int]:
    """The processes left of an ended scan's session, killed once counted."""
    deadline = time.monotonic() + 5
    while (left := _session_processes(session)) and time.monotonic() < deadline:
        time.sleep(0.1)
    for pid in left:
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)
    return left


def _interruptions(tally: Tally, tree: Path, work: Path, count: int, rng: random.Random) -> None:
    """SIGINT, SIGTERM and SIGKILL at random points of a cold scan with two jobs."""
    for n in range(count):
        sig, whole_group = _INTERRUPTIONS[n % len(_INTERRUPTIONS)]
        cache = work / f"cache-int-{n}"
        out = work / f"int-{n}.json"
        env = {**_env(work), "OSPO_SCAN_CACHE_DIR": str(cache)}
        command = [*DROP_DAC, sys.executable, "-m", "ospo_scan", "scan", "-q", "-j", "2"]
        # Output to files, not pipes: a process that outlived the scan would hold a pipe open.
        with (work / "int.stdout").open("w+") as stdout, (work / "int.stderr").open("w+") as err:
            process = subprocess.Popen(
                [*command, "-o", str(out), str(tree)],
                env=env,
                stdout=stdout,
                stderr=err,
                text=True,
                start_new_session=True,
            )
            time.sleep(rng.uniform(0.3, 6.0))
            if process.poll() is None:
                (os.killpg if whole_group else os.kill)(process.pid, sig)
            process.wait(timeout=300)
            err.seek(0)
            stderr = err.read()
        left = _orphans(process.pid)
        if left:
            tally.orphans.append(f"{sig.name} run {n}: {len(left)} process(es) left running")
        done = subprocess.CompletedProcess(process.args, process.returncode, "", stderr)
        finished = process.returncode == 0
        allowed = {0} if finished else {130, -sig, 128 + sig}
        tally.judge(f"{sig.name} at run {n}", done, allowed)
        if not finished and out.exists():
            # A signal after the output was complete (the process was ending) stops nothing;
            # a run that says it wrote nothing while it did is a lie.
            if "nothing was written" in stderr:
                tally.leftovers.append(f"{sig.name} run {n}: says nothing was written, but did")
            else:
                tally.late.append(f"{sig.name} run {n}: exit {process.returncode}")
        temporaries = [p.name for p in work.iterdir() if p.name.startswith(f".int-{n}.json.")]
        if temporaries and sig is signal.SIGKILL:
            # Nothing can clean up after a SIGKILL during the final write: the old output is
            # intact, but a hidden temporary file may remain.
            tally.late.append(f"SIGKILL run {n} during the write: {temporaries}")
        elif temporaries:
            tally.leftovers.append(f"{sig.name} run {n}: {temporaries}")


def main() -> int:
    """Build the tree, run everything, print the figures; exit 1 on any failure."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--interruptions", type=int, default=20)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)  # noqa: S311 -- when to interrupt, not a secret
    tally = Tally()
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="ospo-torture-") as folder:
        work = Path(folder)
        with hostile_tree(work / "tree") as tree:
            result = _commands(tally, tree.root, work)
            _policies(tally, result, work)
            _interruptions(tally, tree.root, work, args.interruptions, rng)
    print(f"runs: {tally.runs} in {time.monotonic() - started:.0f} s")
    print(f"tracebacks: {len(tally.tracebacks)} {tally.tracebacks or ''}")
    print(f"wrong exit codes: {len(tally.wrong_codes)} {tally.wrong_codes or ''}")
    print(f"interrupted runs that left files: {len(tally.leftovers)} {tally.leftovers or ''}")
    print(f"secrets in the output: {len(tally.secrets_leaked)} {tally.secrets_leaked or ''}")
    print(f"signals that came once the output was complete: {len(tally.late)} {tally.late or ''}")
    print(f"processes that outlived their scan: {len(tally.orphans)} {tally.orphans or ''}")
    failed = (
        tally.tracebacks
        or tally.wrong_codes
        or tally.leftovers
        or tally.secrets_leaked
        or tally.orphans
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
