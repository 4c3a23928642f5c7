# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""Accuracy of package license conclusions on real packages, ospo-scan and raw ScanCode.

The corpus is built at run time (:mod:`accuracy_fetch`): the pinned packages of
``accuracy-npm.txt`` and ``accuracy-pypi.txt``, fetched with ``npm pack`` and from PyPI's simple
index, and unpacked as published into the work folder, which keeps them between runs.

**Truth** is the license the package declares, where the declaration is unambiguous:

- npm: the ``license`` string of the top ``package.json`` when it is a valid SPDX expression.
  The legacy ``licenses`` array, ``SEE LICENSE IN ...``, ``UNLICENSED`` and names that are not
  SPDX ids are ambiguous.
- PyPI: the sdist's top ``PKG-INFO``: its ``License-Expression`` (PEP 639) when valid; else a
  ``License`` field that is a valid SPDX expression; else exactly one ``License ::``
  classifier that names exactly one SPDX license (``MIT License``, ``Apache Software
  License``...; ``BSD License`` or ``GPL`` without a version name none). Anything else
  (a License field that is a name or a whole text with no such classifier, several
  classifiers, nothing) is ambiguous.

Deprecated SPDX ids are read as SPDX says (``GPL-2.0+`` is ``GPL-2.0-or-later``). Ambiguous
packages are kept apart and listed, never counted.

**Answers.** ospo-scan's is the ``concluded_license_spdx`` of the package at the top of the
tree, scanned with ``--packages-only --jobs 1`` (the manifests and every package's license
files: all a conclusion reads) through the findings cache; the conclusions are made again from
the cached findings by the current code on every run. Raw ScanCode's "best answer" is what its
own summary would say of the package: the top package's ``declared_license_expression_spdx``,
else the AND of the detections of the top-level legal files (``--classify``'s ``is_legal``).
To keep it tractable raw ScanCode (``scancode --license --package --classify -n 1``) runs once
over a copy of each package's top-level manifests (``package.json``, ``PKG-INFO``,
``setup.py``, ``setup.cfg``, ``pyproject.toml``), top-level legal files (by ScanCode's own
``is_legal`` name test) and license folders: all that answer reads. On a shared 2-core
machine, the package's other top-level files (lodash has 600 modules there) took it past an
hour. An answer agrees when it is the truth or equivalent to it (``license-expression``'s
``is_equivalent``).

**Conflict recall.** Every package whose conclusion agreed from its license files (reason
``declared_and_detected_agree``) is copied twice: once with each license file's text
replaced by another license's text from ScanCode's license data (GPL-3.0-only; MIT,
Apache-2.0 or MPL-2.0 where the truth names that family) while the manifest keeps its
declaration -- it must be flagged; and once, as a control, with each license file replaced
by ScanCode's text of the declared license itself -- it must not.

Usage::

    python benchmarks/accuracy.py [--work DIR] [--limit N] [--no-fetch] [--retry-failed]
                                  [--skip-raw] [--skip-inject] [--write benchmarks/ACCURACY.md]
"""

from __future__ import annotations

import argparse
import email.parser
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from accuracy_fetch import fetch, folder_name, pinned
from license_expression import ExpressionError, get_spdx_licensing

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
BIN = Path(sys.executable).parent
SPDX = get_spdx_licensing()

# --- truth ---------------------------------------------------------------------------------

#: Trove classifiers that name exactly one SPDX license.
CLASSIFIERS = {
    "MIT License": "MIT",
    "MIT No Attribution License (MIT-0)": "MIT-0",
    "Apache Software License": "Apache-2.0",
    "ISC License (ISCL)": "ISC",
    "Mozilla Public License 2.0 (MPL 2.0)": "MPL-2.0",
    "Python Software Foundation License": "PSF-2.0",
    "The Unlicense (Unlicense)": "Unlicense",
    "Zope Public License": "ZPL-2.1",
    "GNU General Public License v2 (GPLv2)": "GPL-2.0-only",
    "GNU General Public License v2 or later (GPLv2+)": "GPL-2.0-or-later",
    "GNU General Public License v3 (GPLv3)": "GPL-3.0-only",
    "GNU General Public License v3 or later (GPLv3+)": "GPL-3.0-or-later",
    "GNU Lesser General Public License v2 (LGPLv2)": "LGPL-2.0-only",
    "GNU Lesser General Public License v2 or later (LGPLv2+)": "LGPL-2.0-or-later",
    "GNU Lesser General Public License v3 (LGPLv3)": "LGPL-3.0-only",
    "GNU Lesser General Public License v3 or later (LGPLv3+)": "LGPL-3.0-or-later",
    "GNU Affero General Public License v3": "AGPL-3.0-only",
    "GNU Affero General Public License v3 or later (AGPLv3+)": "AGPL-3.0-or-later",
    "Eclipse Public License 2.0 (EPL-2.0)": "EPL-2.0",
    "Boost Software License 1.0 (BSL-1.0)": "BSL-1.0",
    "Academic Free License (AFL)": "AFL-3.0",
}

#: SPDX's deprecated ids and what they mean now.
DEPRECATED = {
    "GPL-1.0": "GPL-1.0-only",
    "GPL-2.0": "GPL-2.0-only",
    "GPL-3.0": "GPL-3.0-only",
    "LGPL-2.0": "LGPL-2.0-only",
    "LGPL-2.1": "LGPL-2.1-only",
    "LGPL-3.0": "LGPL-3.0-only",
    "AGPL-3.0": "AGPL-3.0-only",
    "GFDL-1.3": "GFDL-1.3-only",
}


def spdx_expression(text: str | None) -> str | None:
    """``text`` as a normalised SPDX expression, or ``None`` when it is not a valid one."""
    if not text or "\n" in text.strip():
        return None
    try:
        info = SPDX.validate(text.strip())
    except (ExpressionError, AttributeError):  # license-expression 30.4 raises the latter
        return None
    if info.errors or not info.normalized_expression:
        return None
    expression = info.normalized_expression
    for old, new in DEPRECATED.items():
        expression = re.sub(rf"(?<![\w.-]){re.escape(old)}\+", f"{new[:-5]}-or-later", expression)
        expression = re.sub(rf"(?<![\w.-]){re.escape(old)}(?![\w.+-])", new, expression)
    return re.sub(r"(?<![\w.-])([A-Za-z0-9.-]+)\+", r"\1-or-later", expression)


@dataclass
class Truth:
    """The declared license of one package, or why it is ambiguous."""

    expression: str | None
    source: str  # where it was read, or why it is ambiguous


def npm_truth(root: Path) -> Truth:
    """The truth of an npm package from its ``package.json``."""
    try:
        manifest = json.loads((root / "package.json").read_text("utf-8"))
    except (OSError, ValueError) as error:
        return Truth(None, f"no readable package.json ({type(error).__name__})")
    declared = manifest.get("license")
    if not isinstance(declared, str):
        if manifest.get("licenses"):
            return Truth(None, "legacy licenses array")
        return Truth(None, "no license field" if declared is None else "license is not a string")
    expression = spdx_expression(declared)
    if expression is None:
        return Truth(None, f"license is not an SPDX expression: {declared[:60]!r}")
    return Truth(expression, "package.json license")


def pypi_truth(root: Path) -> Truth:
    """The truth of a PyPI sdist from its top ``PKG-INFO``."""
    try:
        text = (root / "PKG-INFO").read_text("utf-8", errors="replace")
    except OSError:
        return Truth(None, "no PKG-INFO at the top")
    headers = email.parser.HeaderParser().parsestr(text)
    expression = spdx_expression(headers.get("License-Expression"))
    if expression:
        return Truth(expression, "PKG-INFO License-Expression")
    if headers.get("License-Expression"):
        return Truth(None, "License-Expression is not an SPDX expression")
    field_value = (headers.get("License") or "").strip()
    expression = spdx_expression(field_value)
    if expression:
        return Truth(expression, "PKG-INFO License")
    classifiers = [
        c.split("::")[-1].strip()
        for c in headers.get_all("Classifier") or []
        if c.startswith("License ::")
    ]
    if len(classifiers) == 1 and classifiers[0] in CLASSIFIERS:
        return Truth(CLASSIFIERS[classifiers[0]], "PKG-INFO classifier")
    if classifiers:
        return Truth(None, f"classifiers not one SPDX license: {classifiers}")
    if field_value:
        return Truth(None, f"License field is not an SPDX expression: {field_value[:60]!r}")
    return Truth(None, "no license in PKG-INFO")


def agrees(answer: str | None, truth: str) -> bool:
    """True when ``answer`` is ``truth`` or an equivalent expression."""
    if not answer:
        return False
    normal = spdx_expression(answer) or answer
    if normal == truth:
        return True
    try:
        return bool(SPDX.is_equivalent(normal, truth))
    except ExpressionError:
        return False


# --- ospo-scan -----------------------------------------------------------------------------


def _code_digest() -> str:
    digest = hashlib.sha256()
    for path in sorted((REPO / "src" / "ospo_scan").rglob("*.py")):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _main_package(result: Any, ecosystem: str, name: str) -> Any:
    """The package at the top of the tree: the one the manifest there describes."""
    wanted = re.sub(r"[-_.]+", "-", name.lower())
    candidates = [p for p in result.packages if p.type == ecosystem and not p.root_path]
    for package in candidates:
        full = f"{package.namespace}/{package.name}" if package.namespace else package.name
        if re.sub(r"[-_.]+", "-", full.lower().lstrip("@")) == wanted.lstrip("@"):
            return package
    return candidates[0] if candidates else None


def ospo_answer(root: Path, ecosystem: str, name: str, cache: Path) -> dict[str, Any]:
    """ospo-scan's conclusion for the package at ``root``, from its cached findings."""
    # Imported here: the report alone (and --help) need not load the scanner.
    from ospo_scan.scan.options import ScanOptions  # noqa: PLC0415
    from ospo_scan.scan.packages import conclude, detected_license  # noqa: PLC0415
    from ospo_scan.scan.pipeline import scan  # noqa: PLC0415

    result = scan(root, ScanOptions(jobs=1, packages_only=True, cache_dir=str(cache)))
    package = _main_package(result, ecosystem, name)
    if package is None:
        return {"concluded": None, "reason": "no package found at the top", "files": []}
    # The whole-tree cache may hold a result concluded by older code: conclude again.
    records = {r.path: r for r in result.files}
    detected, set_aside = detected_license(package.license_files, records)
    package = conclude(package, detected, package.license_files, set_aside)
    return {
        "concluded": package.concluded_license_spdx,
        "reason": package.concluded_reason.value,
        "declared": package.declared_license_spdx,
        "detected": package.detected_license_spdx,
        "files": list(package.license_files),
        "set_aside": [
            f"{s.path}: {s.license_expression_spdx} ({s.reason.value})" for s in package.set_aside
        ],
    }


# --- raw ScanCode --------------------------------------------------------------------------

_LICENSE_FOLDERS = {"licenses", "license", "licences", "LICENSES"}

#: The manifests raw ScanCode's answer reads at the top of an npm package or an sdist.
_MANIFESTS = {"package.json", "PKG-INFO", "setup.py", "setup.cfg", "pyproject.toml"}


def _is_legal(name: str) -> bool:
    """ScanCode's own test for a legal file (``--classify``'s ``is_legal``), by name."""
    from summarycode.classify import LEGAL_STARTS_ENDS  # noqa: PLC0415

    lower = name.lower()
    base = lower.rsplit(".", 1)[0]
    return any(
        text.startswith(LEGAL_STARTS_ENDS) or text.endswith(LEGAL_STARTS_ENDS)
        for text in (lower, base)
    )


def _raw_tree(entries: list[tuple[str, Path]], target: Path) -> None:
    """Copies of each package's top-level files and license folders under ``target``."""
    shutil.rmtree(target, ignore_errors=True)
    for key, root in entries:
        out = target / key
        out.mkdir(parents=True)
        for item in root.iterdir():
            if item.is_symlink():
                continue
            if item.is_file() and (item.name in _MANIFESTS or _is_legal(item.name)):
                shutil.copy2(item, out / item.name)
            elif item.is_dir() and item.name in _LICENSE_FOLDERS:
                shutil.copytree(item, out / item.name, symlinks=True)


def raw_answers(entries: list[tuple[str, Path]], work: Path) -> dict[str, str | None]:
    """Raw ScanCode's best answer per package key, from one run over the top-level files.

    Answers are kept in the work folder: a later run scans only the packages not yet there.
    """
    known_file = work / "raw" / "answers.json"
    known: dict[str, str | None] = (
        json.loads(known_file.read_text("utf-8")) if known_file.exists() else {}
    )
    missing = [(k, root) for k, root in entries if k not in known]
    if missing:
        known.update(_raw_run(missing, work))
        known_file.write_text(json.dumps(known, indent=1, sort_keys=True), "utf-8")
    return {k: known.get(k) for k, _ in entries}


def _raw_run(entries: list[tuple[str, Path]], work: Path) -> dict[str, str | None]:
    """One raw ScanCode run over the top-level files of ``entries``: the answer of each."""
    keys = sorted(k for k, _ in entries)
    out = work / "raw" / f"scancode-{len(keys)}-{int(time.time())}.json"
    tree = work / "raw" / "tree"
    _raw_tree(entries, tree)
    command = [str(BIN / "scancode"), "--license", "--package", "--classify", "-n", "1"]
    command += ["--timeout", "300", "--quiet", "--json", str(out), str(tree)]
    print(f"raw ScanCode on {len(keys)} packages' top-level files", file=sys.stderr)
    subprocess.run(command, check=True)
    data = json.loads(out.read_text("utf-8"))
    files = data.get("files", [])
    prefix = files[0]["path"].split("/", 1)[0] + "/" if files else ""
    by_key: dict[str, dict[str, Any]] = {k: {"declared": [], "legal": []} for k in keys}
    for package in data.get("packages", []):
        for path in package.get("datafile_paths") or []:
            rel = path.removeprefix(prefix)
            key, _, rest = rel.rpartition("/")
            if key in by_key and "/" not in rest:
                expression = package.get("declared_license_expression_spdx")
                if expression:
                    by_key[key]["declared"].append(expression)
                break
    for item in files:
        rel = item["path"].removeprefix(prefix)
        key, _, _rest = rel.rpartition("/")
        if key in by_key and item.get("type") == "file" and item.get("is_legal"):
            expression = item.get("detected_license_expression_spdx")
            if expression:
                by_key[key]["legal"].append(expression)
    answers: dict[str, str | None] = {}
    for key, found in by_key.items():
        chosen = found["declared"] or found["legal"]
        answers[key] = (
            " AND ".join(f"({e})" if " " in e else e for e in dict.fromkeys(chosen))
            if chosen
            else None
        )
        if answers[key] and len(set(chosen)) == 1:
            answers[key] = chosen[0]
    return answers


# --- conflicts -----------------------------------------------------------------------------


def _license_text(spdx_id: str) -> str | None:
    from ospo_scan.engine import catalog  # noqa: PLC0415

    found = catalog.license_texts().by_id.get(spdx_id)
    return found.text if found and found.text.strip() else None


def _copy_with(root: Path, target: Path, files: list[str], text: str) -> None:
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(root, target, symlinks=True)
    for path in files:
        (target / path).write_text(text, encoding="utf-8")


#: The texts injected, in order of preference: the first whose family the truth does not name
#: (a GPL text into a declared "MIT OR GPL-3.0-or-later" package would not be a conflict).
_INJECTED = ("GPL-3.0-only", "MIT", "Apache-2.0", "MPL-2.0")


@dataclass
class Injected:
    """One injected conflict and its control."""

    key: str
    truth: str
    injected: str
    flagged: bool
    control: str | None = None
    control_conflict: bool | None = None


def injections(rows: list[Row], work: Path, cache: Path) -> list[Injected]:
    """Inject a conflict into a copy of each package concluded right from its files."""
    out: list[Injected] = []
    base = work / "injected" / str(os.getpid())  # two runs at once must not share copies
    for row in rows:
        if not (row.ospo_agrees and row.ospo["reason"] == "declared_and_detected_agree"):
            continue
        files = [f for f in row.ospo["files"] if (row.root / f).is_file()]
        if not files:
            continue
        other = next(o for o in _INJECTED if o.split("-")[0] not in (row.truth or ""))
        text = _license_text(other)
        assert text is not None
        copy = base / "conflict" / row.key
        _copy_with(row.root, copy, files, text)
        answer = ospo_answer(copy, row.ecosystem, row.name, cache)
        item = Injected(row.key, row.truth, other, answer["reason"] == "conflict")
        own = re.sub(r"[()]", "", row.truth).split(" ")[0]
        own_text = _license_text(own)
        if own_text:
            control = base / "control" / row.key
            _copy_with(row.root, control, files, own_text)
            answer = ospo_answer(control, row.ecosystem, row.name, cache)
            item.control = own
            item.control_conflict = answer["reason"] == "conflict"
        shutil.rmtree(base / "conflict" / row.key, ignore_errors=True)
        shutil.rmtree(base / "control" / row.key, ignore_errors=True)
        out.append(item)
    shutil.rmtree(base, ignore_errors=True)
    return out


# --- the run -------------------------------------------------------------------------------


@dataclass
class Row:
    """One package of the corpus: its truth and both answers."""

    ecosystem: str
    key: str  # ecosystem/folder
    name: str
    root: Path
    truth: str | None
    truth_source: str
    ospo: dict[str, Any] = field(default_factory=dict)
    raw: str | None = None
    ospo_agrees: bool = False
    raw_agrees: bool = False


def _name(spec: str) -> str:
    return spec.split("==", maxsplit=1)[0] if "==" in spec else spec.rsplit("@", 1)[0]


def corpus(work: Path, limit: int | None) -> list[Row]:
    """The fetched packages of the pinned lists, with their truth."""
    rows: list[Row] = []
    for ecosystem, truth_of in (("npm", npm_truth), ("pypi", pypi_truth)):
        for spec in pinned(ecosystem)[:limit]:
            root = work / "corpus" / ecosystem / folder_name(spec)
            if not root.is_dir():
                continue
            truth = truth_of(root)
            key = f"{ecosystem}/{folder_name(spec)}"
            rows.append(Row(ecosystem, key, _name(spec), root, truth.expression, truth.source))
    return rows


def run(args: argparse.Namespace) -> dict[str, Any]:
    """Fetch, scan, compare, inject: the whole benchmark, as plain data."""
    work: Path = args.work
    started = time.time()
    if args.no_fetch:
        failed_file = work / "corpus" / "failed.json"
        failed = (
            json.loads(failed_file.read_text("utf-8"))
            if failed_file.exists()
            else {"npm": {}, "pypi": {}}
        )
    else:
        failed = fetch(work, args.limit, args.retry_failed)
    rows = corpus(work, args.limit)
    digest = _code_digest()
    cache = work / "ospo-cache"
    answers_file = work / "results" / f"ospo-{digest}.json"
    answers: dict[str, Any] = (
        json.loads(answers_file.read_text("utf-8")) if answers_file.exists() else {}
    )
    for number, row in enumerate(rows, 1):
        if row.key not in answers:
            print(f"[{number}/{len(rows)}] ospo-scan {row.key}", file=sys.stderr)
            try:
                answers[row.key] = ospo_answer(row.root, row.ecosystem, row.name, cache)
            except Exception as error:  # noqa: BLE001 - one package must not stop the run
                answers[row.key] = {"concluded": None, "reason": f"scan failed: {error}"}
            if number % 20 == 0:
                answers_file.parent.mkdir(parents=True, exist_ok=True)
                answers_file.write_text(json.dumps(answers), "utf-8")
        row.ospo = answers[row.key]
        if row.truth:
            row.ospo_agrees = agrees(row.ospo.get("concluded"), row.truth)
    answers_file.parent.mkdir(parents=True, exist_ok=True)
    answers_file.write_text(json.dumps(answers), "utf-8")
    if not args.skip_raw:
        raw = raw_answers([(r.key, r.root) for r in rows], work)
        for row in rows:
            row.raw = raw.get(row.key)
            if row.truth:
                row.raw_agrees = agrees(row.raw, row.truth)
    injected = [] if args.skip_inject else injections(rows, work, cache)
    return {
        "rows": rows,
        "failed": failed,
        "injected": injected,
        "elapsed": time.time() - started,
        "raw": not args.skip_raw,
        "limit": args.limit,
    }


# --- the report ----------------------------------------------------------------------------


def _pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f} % ({part}/{whole})" if whole else "n/a"


def _cell(text: str | None) -> str:
    return (text or "—").replace("|", "\\|")


def _git(*command: str) -> str:
    done = subprocess.run(["git", *command], cwd=REPO, capture_output=True, text=True, check=False)
    return done.stdout.strip()


def _disagreement(row: Row) -> str:
    ospo = row.ospo
    reason = ospo.get("reason", "")
    if reason == "conflict":
        return f"conflict: the license files say {ospo.get('detected')}"
    if reason == "detected_only":
        return "no declaration read; the license files decide"
    if reason == "none":
        return "neither a declaration nor a license file"
    if ospo.get("declared") and not agrees(ospo.get("declared"), row.truth):
        return f"declaration read as {ospo.get('declared')}"
    return reason


def report(data: dict[str, Any]) -> str:
    """The Markdown summary of a run."""
    rows: list[Row] = data["rows"]
    clean = [r for r in rows if r.truth]
    lines = [
        "# Accuracy of package license conclusions",
        "",
        "Produced by `benchmarks/accuracy.py` (see its docstring for the truth rule and the",
        "method). Commit "
        f"`{_git('rev-parse', '--short', 'HEAD')}`"
        f"{' (with uncommitted changes)' if _git('status', '--porcelain', 'src') else ''}, "
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; run took "
        f"{data['elapsed'] / 60:.0f} min, load average at the end "
        f"{os.getloadavg()[0]:.1f} on 2 cores (shared machine).",
        "",
    ]
    if data["limit"]:
        lines += [f"**Partial run: the first {data['limit']} packages of each list.**", ""]
    fetched = Counter(r.ecosystem for r in rows)
    failed = data["failed"]
    lines += [
        "| | npm | PyPI |",
        "| --- | --- | --- |",
        f"| pinned | {len(pinned('npm'))} | {len(pinned('pypi'))} |",
        f"| fetched and unpacked | {fetched['npm']} | {fetched['pypi']} |",
        f"| could not be fetched | {len(failed['npm'])} | {len(failed['pypi'])} |",
        f"| clean declaration (counted) | {sum(r.ecosystem == 'npm' for r in clean)} | "
        f"{sum(r.ecosystem == 'pypi' for r in clean)} |",
        f"| ambiguous declaration (kept apart) | "
        f"{sum(r.ecosystem == 'npm' and not r.truth for r in rows)} | "
        f"{sum(r.ecosystem == 'pypi' and not r.truth for r in rows)} |",
        "",
        "## Agreement with the declaration",
        "",
        "| subset | packages | ospo-scan | raw ScanCode |",
        "| --- | --- | --- | --- |",
    ]
    subsets: list[tuple[str, list[Row]]] = [
        ("all", clean),
        ("npm", [r for r in clean if r.ecosystem == "npm"]),
        ("PyPI", [r for r in clean if r.ecosystem == "pypi"]),
        ("declared dual licence (OR)", [r for r in clean if " OR " in (r.truth or "")]),
        ("declared -or-later", [r for r in clean if "-or-later" in (r.truth or "")]),
    ]
    for title, subset in subsets:
        raw = _pct(sum(r.raw_agrees for r in subset), len(subset)) if data["raw"] else "not run"
        lines.append(
            f"| {title} | {len(subset)} | "
            f"{_pct(sum(r.ospo_agrees for r in subset), len(subset))} | {raw} |"
        )
    lines += ["", "### Per declared license", ""]
    lines += ["| license | packages | ospo-scan | raw ScanCode |", "| --- | --- | --- | --- |"]
    by_license: dict[str, list[Row]] = defaultdict(list)
    for row in clean:
        by_license[row.truth or ""].append(row)
    for license_id, subset in sorted(by_license.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        raw = _pct(sum(r.raw_agrees for r in subset), len(subset)) if data["raw"] else "not run"
        lines.append(
            f"| {_cell(license_id)} | {len(subset)} | "
            f"{_pct(sum(r.ospo_agrees for r in subset), len(subset))} | {raw} |"
        )
    injected: list[Injected] = data["injected"]
    controls = [i for i in injected if i.control]
    lines += [
        "",
        "## Conflict recall",
        "",
        "Copies of the packages concluded right from their license files, each license file",
        "replaced by another license's text (GPL-3.0-only; else MIT, Apache-2.0 or MPL-2.0, the",
        "first whose family the truth does not name); the",
        "controls replace it by ScanCode's text of the declared license itself.",
        "",
        f"- injected conflicts flagged: {_pct(sum(i.flagged for i in injected), len(injected))}",
        f"- false conflicts on the controls: {sum(bool(i.control_conflict) for i in controls)}"
        f" of {len(controls)}",
        f"- false conflicts on the clean packages as published: "
        f"{sum(r.ospo.get('reason') == 'conflict' and r.ospo_agrees for r in clean)}",
        "",
    ]
    missed = [i for i in injected if not i.flagged] + [i for i in controls if i.control_conflict]
    if missed:
        lines += ["| package | truth | injected | flagged | control | control conflict |"]
        lines += ["| --- | --- | --- | --- | --- | --- |"]
        lines += [
            f"| {i.key} | {_cell(i.truth)} | {i.injected} | {i.flagged} | {_cell(i.control)} "
            f"| {i.control_conflict} |"
            for i in missed
        ]
        lines.append("")
    notes = HERE / "accuracy-notes.md"
    if notes.exists():
        lines += [notes.read_text("utf-8").rstrip(), ""]
    lines += [
        "## Every disagreement of ospo-scan",
        "",
        "| package | declared (truth) | concluded | why | set aside |",
        "| --- | --- | --- | --- | --- |",
    ]
    for row in clean:
        if not row.ospo_agrees:
            lines.append(
                f"| {row.key} | {_cell(row.truth)} | {_cell(row.ospo.get('concluded'))} | "
                f"{_cell(_disagreement(row))} | {_cell('; '.join(row.ospo.get('set_aside', [])))} |"
            )
    if data["raw"]:
        lines += [
            "",
            "## Every disagreement of raw ScanCode",
            "",
            "| package | declared (truth) | raw ScanCode's answer |",
            "| --- | --- | --- |",
        ]
        lines += [
            f"| {r.key} | {_cell(r.truth)} | {_cell(r.raw)} |" for r in clean if not r.raw_agrees
        ]
    set_aside = [r for r in clean if r.ospo.get("set_aside")]
    lines += [
        "",
        "## Matches set aside as clues (clean packages)",
        "",
        f"{len(set_aside)} packages; each line: package, the match and ScanCode's reason.",
        "",
    ]
    lines += [f"- {r.key}: {'; '.join(r.ospo['set_aside'])}" for r in set_aside]
    lines += ["", "## Ambiguous declarations (kept apart)", ""]
    lines += [f"- {r.key}: {r.truth_source}" for r in rows if not r.truth]
    lines += ["", "## Could not be fetched", ""]
    lines += [f"- {spec}: {why}" for eco in ("npm", "pypi") for spec, why in failed[eco].items()]
    return "\n".join(lines) + "\n"


def main() -> int:
    """Run the benchmark, print the report, and write it when asked."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", maxsplit=1)[0])
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "ospo-accuracy")
    parser.add_argument("--limit", type=int, default=None, help="the first N of each list")
    parser.add_argument("--no-fetch", action="store_true", help="use what is already fetched")
    parser.add_argument(
        "--retry-failed", action="store_true", help="fetch again what could not be fetched"
    )
    parser.add_argument("--skip-raw", action="store_true", help="do not run raw ScanCode")
    parser.add_argument("--skip-inject", action="store_true", help="no conflict injection")
    parser.add_argument("--write", type=Path, help="write the Markdown report there too")
    parser.add_argument("--dump", type=Path, help="write every row as JSON there")
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    data = run(args)
    text = report(data)
    print(text)
    if args.write:
        args.write.write_text(text, "utf-8")
    if args.dump:
        rows = [{**asdict(r), "root": str(r.root)} for r in data["rows"]]
        args.dump.write_text(json.dumps(rows, indent=1), "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
