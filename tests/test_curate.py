# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""``apply_curations`` on real ScanCode results of the npm fixture (``--packages-only``).

The fixture's liar-lib says MIT in its manifest and ships a GPL-3.0 LICENSE (a conflict);
left-pad is installed twice (1.3.0 at the top, 1.1.0 under liar-lib).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from ospo_scan.cli.main import main
from ospo_scan.curate import apply_curations
from ospo_scan.document import load_result
from ospo_scan.evaluate import evaluate
from ospo_scan.model import ConclusionReason, ScanResult
from ospo_scan.policy.curations import curations_from_data
from ospo_scan.policy.load import shipped_policy
from ospo_scan.policy.model import Curation

NPM_APP = Path(__file__).parent / "data" / "packages" / "npm_app"
TODAY = dt.date(2026, 6, 1)
LIAR = "pkg:npm/liar-lib@1.0.0"
LIAR_LICENSE = "node_modules/liar-lib/LICENSE"


def scan_tree(root: Path, out: Path) -> ScanResult:
    """A real scan of ``root`` (packages and their license files), read back from JSON."""
    args = ["scan", "-q", "-j", "1", "--packages-only", "-f", "json", "-o", str(out), str(root)]
    outcome = CliRunner().invoke(main, args)
    assert outcome.exit_code == 0, outcome.stderr
    return load_result(out)


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return Path(shutil.copytree(NPM_APP, tmp_path_factory.mktemp("curate") / "npm_app"))


@pytest.fixture(scope="module")
def result(tree: Path, tmp_path_factory: pytest.TempPathFactory) -> ScanResult:
    return scan_tree(tree, tmp_path_factory.mktemp("result") / "result.json")


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def curations(*entries: dict[str, object]) -> tuple[Curation, ...]:
    base = {"license": "MIT", "reason": "checked upstream", "approved_by": "Jane Doe"}
    return curations_from_data({"curations": [{**base, **e} for e in entries]}, "cur.yml")


def package(result: ScanResult, purl: str):  # type: ignore[no-untyped-def]
    return next(p for p in result.packages if p.purl == purl)


def test_the_fixture_is_what_the_tests_assume(result: ScanResult) -> None:
    liar = package(result, LIAR)
    assert liar.conflict is not None
    assert "GPL-3.0-only" in (liar.concluded_license_spdx or "")
    assert liar.license_files == (LIAR_LICENSE,)
    assert result.file(LIAR_LICENSE).license_expression_spdx == "GPL-3.0-only"


def test_a_pinned_purl_curation_corrects_the_package_its_dependencies_and_license_file(
    result: ScanResult, tree: Path
) -> None:
    pin = {"path": "LICENSE", "sha256": sha256(tree / LIAR_LICENSE)}
    outcome = apply_curations(result, curations({"purl": LIAR, "license_files": [pin]}), TODAY)
    liar = package(outcome.result, LIAR)
    assert liar.concluded_license_spdx == "MIT"
    assert liar.concluded_reason is ConclusionReason.CURATED
    assert liar.conflict is None
    assert liar.curation is not None
    assert liar.curation.reason == "checked upstream"
    assert liar.curation.approved_by == "Jane Doe"
    assert "GPL-3.0-only" in (liar.curation.previous or "")
    deps = [d for d in outcome.result.dependencies if d.purl == LIAR]
    assert deps
    assert {(d.license_spdx, d.license_source) for d in deps} == {("MIT", "curation")}
    license_file = outcome.result.file(LIAR_LICENSE)
    assert license_file.license_expression_spdx == "MIT"
    assert {d.license_expression_spdx for d in license_file.license_detections} == {"MIT"}
    assert license_file.curation is not None
    assert license_file.curation.previous == "GPL-3.0-only"
    assert outcome.result.summary.license_conflicts == result.summary.license_conflicts - 1
    assert outcome.notes == ()
    assert {a.subject for a in outcome.applied} == {"package", "dependency", "file"}
    # The verdict changes: what the default policy denied now passes.
    before = evaluate(result, shipped_policy("default"), today=TODAY)
    after = evaluate(outcome.result, shipped_policy("default"), today=TODAY)
    assert before.failed()
    assert not after.failed()
    curated = [f for f in after.findings if f.curation]
    assert curated
    assert all(f.curation_reason == "checked upstream" for f in curated)
    # The input is left as it was.
    assert package(result, LIAR).curation is None


def test_a_purl_without_version_matches_every_version(result: ScanResult) -> None:
    outcome = apply_curations(result, curations({"purl": "pkg:npm/left-pad"}), TODAY)
    pads = [p for p in outcome.result.packages if p.name == "left-pad"]
    assert sorted(p.version or "" for p in pads) == ["1.1.0", "1.3.0"]
    assert {p.concluded_license_spdx for p in pads} == {"MIT"}
    deps = [d for d in outcome.result.dependencies if d.name == "left-pad"]
    assert deps
    assert {d.license_spdx for d in deps} == {"MIT"}


def test_a_purl_with_version_matches_that_version_only(result: ScanResult) -> None:
    outcome = apply_curations(result, curations({"purl": "pkg:npm/left-pad@1.1.0"}), TODAY)
    by_version = {p.version: p for p in outcome.result.packages if p.name == "left-pad"}
    assert by_version["1.1.0"].concluded_license_spdx == "MIT"
    assert by_version["1.3.0"].concluded_license_spdx == "WTFPL"
    assert by_version["1.3.0"].curation is None
    deps = {d.purl: d.license_spdx for d in outcome.result.dependencies if d.name == "left-pad"}
    assert deps == {"pkg:npm/left-pad@1.1.0": "MIT", "pkg:npm/left-pad@1.3.0": "WTFPL"}


def test_a_versioned_curation_wins_over_an_unversioned_one_listed_later(
    result: ScanResult,
) -> None:
    outcome = apply_curations(
        result,
        curations(
            {"purl": "pkg:npm/left-pad@1.1.0", "license": "ISC"},
            {"purl": "pkg:npm/left-pad", "license": "0BSD"},
        ),
        TODAY,
    )
    by_version = {p.version: p.concluded_license_spdx for p in outcome.result.packages}
    assert by_version["1.1.0"] == "ISC"
    assert by_version["1.3.0"] == "0BSD"


def test_a_pinned_curation_goes_stale_when_the_license_file_changes(
    tree: Path, tmp_path: Path
) -> None:
    copy = Path(shutil.copytree(tree, tmp_path / "npm_app"))
    pin = {"path": "LICENSE", "sha256": sha256(copy / LIAR_LICENSE)}
    with (copy / LIAR_LICENSE).open("a", encoding="utf-8") as handle:
        handle.write("\nA line added upstream.\n")
    changed = scan_tree(copy, tmp_path / "changed.json")
    outcome = apply_curations(changed, curations({"purl": LIAR, "license_files": [pin]}), TODAY)
    liar = package(outcome.result, LIAR)
    assert liar.curation is None
    assert liar.conflict is not None  # not applied: the detection stands
    assert [d.license_spdx for d in outcome.result.dependencies if d.purl == LIAR] != ["MIT"]
    assert outcome.result.file(LIAR_LICENSE).curation is None
    assert [n.problem for n in outcome.notes] == ["stale"]
    message = outcome.notes[0].message
    assert "curations[0] (cur.yml:" in message
    assert f"{LIAR}: {LIAR_LICENSE} changed" in message
    assert outcome.unused == ()


def test_a_pin_of_a_missing_file_is_stale(result: ScanResult) -> None:
    pin = {"path": "NOTICE", "sha256": "0" * 64}
    outcome = apply_curations(result, curations({"purl": LIAR, "license_files": [pin]}), TODAY)
    assert package(outcome.result, LIAR).curation is None
    assert [n.problem for n in outcome.stale] == ["stale"]
    assert "node_modules/liar-lib/NOTICE is not in the scan" in outcome.stale[0].message


def test_expired_and_unused_curations_are_notes_and_not_applied(result: ScanResult) -> None:
    outcome = apply_curations(
        result,
        curations(
            {"purl": LIAR, "expires": "2026-05-31"},
            {"purl": "pkg:npm/not-installed-anywhere"},
            {"purl": "pkg:npm/left-pad@1.1.0", "expires": "2026-06-01"},  # good through today
        ),
        TODAY,
    )
    assert package(outcome.result, LIAR).curation is None
    assert package(outcome.result, "pkg:npm/left-pad@1.1.0").curation is not None
    assert [(n.problem, n.curation.origin.key) for n in outcome.notes] == [
        ("expired", "curations[0]"),
        ("unused", "curations[1]"),
    ]
    assert "expired on 2026-05-31" in outcome.expired[0].message
    assert "matched nothing" in outcome.unused[0].message


def test_a_path_curation_changes_the_files_it_matches_and_not_the_package(
    result: ScanResult,
) -> None:
    outcome = apply_curations(result, curations({"path": "node_modules/liar-lib/**"}), TODAY)
    license_file = outcome.result.file(LIAR_LICENSE)
    assert license_file.license_expression_spdx == "MIT"
    assert license_file.curation is not None
    assert license_file.curation.curation.startswith("curations[0]")
    # The evidence stays: ScanCode's own key expression and the matches are as detected.
    assert license_file.license_expression == result.file(LIAR_LICENSE).license_expression
    assert license_file.license_detections[0].matches == (
        result.file(LIAR_LICENSE).license_detections[0].matches
    )
    # Files without a detection, and the package, are left alone.
    manifest = outcome.result.file("node_modules/liar-lib/package.json")
    assert manifest.curation is None
    assert package(outcome.result, LIAR).curation is None
    assert outcome.result.summary.license_counts.get("GPL-3.0-only") is None
    assert [a.name for a in outcome.applied] == [LIAR_LICENSE]


def test_a_pinned_path_curation_is_stale_when_its_file_changed(result: ScanResult) -> None:
    pin = {"path": LIAR_LICENSE, "sha256": "f" * 64}
    outcome = apply_curations(
        result, curations({"path": "node_modules/liar-lib/**", "license_files": [pin]}), TODAY
    )
    assert outcome.result.file(LIAR_LICENSE).curation is None
    assert [n.problem for n in outcome.notes] == ["stale"]
    assert f"{LIAR_LICENSE} changed" in outcome.notes[0].message


def test_no_curations_give_the_result_itself(result: ScanResult) -> None:
    outcome = apply_curations(result, (), TODAY)
    assert outcome.result is result
    assert outcome.notes == ()


def test_a_pinned_curation_of_a_dependency_not_in_the_tree_is_stale(result: ScanResult) -> None:
    pin = {"path": "LICENSE", "sha256": "0" * 64}
    ghost = "pkg:npm/ghost-lib"
    outcome = apply_curations(result, curations({"purl": ghost, "license_files": [pin]}), TODAY)
    assert all(d.curation is None for d in outcome.result.dependencies)
    [note] = outcome.notes
    assert note.problem == "stale"
    assert f"{ghost}: not in the tree, so its license files cannot be checked" in note.message
    # Without pins it applies: nothing needs checking.
    unpinned = apply_curations(result, curations({"purl": ghost}), TODAY)
    [dep] = [d for d in unpinned.result.dependencies if d.purl == ghost]
    assert (dep.license_spdx, dep.license_source) == ("MIT", "curation")
    assert unpinned.notes == ()


def test_detected_narrows_a_path_curation_to_those_detections(result: ScanResult) -> None:
    entry = {"path": "node_modules/dual-lib/**", "detected": "apache-2.0", "license": "0BSD"}
    outcome = apply_curations(result, curations(entry), TODAY)
    apache = outcome.result.file("node_modules/dual-lib/LICENSE-APACHE")
    assert apache.license_expression_spdx == "0BSD"
    assert apache.curation is not None
    mit = outcome.result.file("node_modules/dual-lib/LICENSE-MIT")
    assert mit == result.file("node_modules/dual-lib/LICENSE-MIT")
    assert [a.name for a in outcome.applied] == ["node_modules/dual-lib/LICENSE-APACHE"]


def test_detected_guards_a_purl_curation(result: ScanResult) -> None:
    concluded = package(result, LIAR).concluded_license_spdx
    guarded = apply_curations(result, curations({"purl": LIAR, "detected": concluded or ""}), TODAY)
    assert package(guarded.result, LIAR).concluded_license_spdx == "MIT"
    # Written for another conclusion: it does not apply, and says it matched nothing.
    other = apply_curations(result, curations({"purl": LIAR, "detected": "ISC"}), TODAY)
    assert package(other.result, LIAR).curation is None
    assert [n.problem for n in other.notes] == ["unused"]
