# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""Show that ospo-scan's dependencies resolve to wheels for linux/aarch64 (run on any machine).

    python tools/aarch64_resolution.py [--glibc 2.17] [--python 3.11] [--also-full]

pip's ``--platform`` picks wheels for another platform, but evaluates environment markers for
the machine it runs on. So the markers of ospo-scan's own requirements (pyproject.toml) are
evaluated here for linux/aarch64 first, and the requirements they select go to
``pip download --only-binary=:all: --platform manylinux_2_17_aarch64 ...``: every package must
come as a wheel for that platform (or a pure-Python one), as pip on an arm64 runner or in
Docker on Apple Silicon would need them. Markers further down that name a machine would be
evaluated for this one, so any are listed. ``--also-full`` shows that scancode-toolkit itself
(not -mini) does not resolve on manylinux2014 aarch64.

Exit code 0 when the set resolves, 1 when it does not, 2 when PyPI cannot be reached.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import tomllib
from packaging.requirements import Requirement

PROJECT = Path(__file__).resolve().parents[1]


def aarch64_environment(python: str) -> dict[str, str]:
    """The marker environment of CPython ``python`` on linux/aarch64."""
    return {
        "implementation_name": "cpython",
        "implementation_version": f"{python}.0",
        "os_name": "posix",
        "platform_machine": "aarch64",
        "platform_python_implementation": "CPython",
        "platform_release": "",
        "platform_system": "Linux",
        "platform_version": "",
        "python_full_version": f"{python}.0",
        "python_version": python,
        "sys_platform": "linux",
    }


def requirements_for(environment: dict[str, str]) -> list[str]:
    """ospo-scan's requirements (without markers) that apply in ``environment``."""
    project = tomllib.loads((PROJECT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    selected = []
    for line in project["dependencies"]:
        requirement = Requirement(line)
        if requirement.marker is None or requirement.marker.evaluate(environment):
            requirement.marker = None
            selected.append(str(requirement))
    return selected


def download(requirements: list[str], glibc: str, python: str, dest: Path) -> tuple[int, str]:
    """``pip download`` of ``requirements`` as wheels for manylinux ``glibc`` aarch64."""
    major, minor = glibc.split(".")
    platforms = [f"manylinux_{major}_{minor}_aarch64"]
    if glibc == "2.17":
        platforms.append("manylinux2014_aarch64")
    command = [sys.executable, "-m", "pip", "download", "--disable-pip-version-check"]
    command += ["--only-binary=:all:", "--python-version", python, "--implementation", "cp"]
    for platform in platforms:
        command += ["--platform", platform]
    command += ["-d", str(dest), *requirements]
    done = subprocess.run(command, capture_output=True, text=True, check=False, timeout=1800)
    return done.returncode, done.stdout + done.stderr


_MACHINE_MARKER = re.compile(r"^Requires-Dist:.*platform_machine.*$", re.MULTILINE)


def machine_markers(folder: Path) -> list[str]:
    """Requirements of the downloaded wheels whose markers name a machine."""
    found = []
    for wheel in sorted(folder.glob("*.whl")):
        with zipfile.ZipFile(wheel) as archive:
            names = archive.namelist()
            # The wheel's own metadata (a vendored package may bring its own, deeper down).
            metadata = [n for n in names if n.endswith(".dist-info/METADATA") and n.count("/") == 1]
            text = "".join(archive.read(n).decode("utf-8", "replace") for n in metadata)
        found += [f"{wheel.name}: {m}" for m in _MACHINE_MARKER.findall(text)]
    return found


def main() -> int:
    """Resolve, report, and exit 0 (resolves), 1 (does not) or 2 (no index)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--glibc", default="2.17", help="oldest glibc to target (2.17, 2.28)")
    parser.add_argument("--python", default="3.11")
    parser.add_argument("--also-full", action="store_true")
    args = parser.parse_args()
    requirements = requirements_for(aarch64_environment(args.python))
    print("requirements on linux/aarch64:", ", ".join(requirements))
    with tempfile.TemporaryDirectory() as tmp:
        code, log = download(requirements, args.glibc, args.python, Path(tmp))
        if code != 0:
            unreachable = "Could not fetch URL" in log or "NewConnectionError" in log
            print(log[-3000:], file=sys.stderr)
            return 2 if unreachable else 1
        wheels = sorted(p.name for p in Path(tmp).glob("*.whl"))
        native = [w for w in wheels if "aarch64" in w]
        print(f"resolved: {len(wheels)} wheels, {len(native)} of them aarch64 binaries:")
        for name in native:
            print(f"  {name}")
        for line in machine_markers(Path(tmp)):
            print(f"note: a marker naming a machine, evaluated for this one: {line}")
    if args.also_full:
        with tempfile.TemporaryDirectory() as tmp:
            code, log = download(["scancode-toolkit==32.5.0"], args.glibc, args.python, Path(tmp))
            blocked = sorted(set(re.findall(r"depends on ([\w.-]+)[^;\n]*; extra", log)))
            print(
                "scancode-toolkit==32.5.0 (full) "
                + ("resolves too" if code == 0 else f"does not resolve: {', '.join(blocked)}")
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
