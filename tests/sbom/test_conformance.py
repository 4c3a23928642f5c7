# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""NTIA minimum elements and CISA's baseline: ospo-scan's own check and the real checkers.

``ospo-scan sbom --check``/``--require`` is cross-checked against the SPDX project's
ntia-conformance-checker (see ``tests/conformance_support.py``): 3.0.1 in this process, and
the newest release, with its CISA mode, apart. The subjects are real scans: the npm tree of
the benchmark corpus, a requirements-only Python project, an npm project with a lockfile
and no ``node_modules``, and the fake repository with a dependency of every scope.
"""

from __future__ import annotations

import dataclasses
import json
import shutil
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from conformance_support import (
    NewestChecker,
    failing_lists,
    install_newest,
    old_checker,
)
from ospo_scan.cli.main import main
from ospo_scan.document import to_json
from ospo_scan.errors import SbomError
from ospo_scan.model import ScanResult
from ospo_scan.sbom import SbomOptions, check_conformance, render_sbom
from ospo_scan.scan.options import ScanOptions
from ospo_scan.scan.pipeline import scan
from sbom_support import FAKE_REPO, NPM_TREE_EXCLUDES

#: The newest checker's CISA row that no SPDX 2 document can meet: it reads the SBOM type
#: from SPDX 3's ``software_Sbom`` only (its SPDX 2 adapter always answers "none").
SBOM_TYPE_ROW = "SBOM generation context (SBOM type) provided?"

# spdx-tools' tag-value parser (ply) leaves its debug file open: their ResourceWarning.
pytestmark = pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")


@pytest.fixture(scope="module")
def newest(tmp_path_factory: pytest.TempPathFactory) -> NewestChecker:
    """The newest ntia-conformance-checker, installed apart for this module."""
    return install_newest(tmp_path_factory.mktemp("ntia-newest"))


@pytest.fixture(scope="module")
def authored_npm_result(
    medium_npm_tree: Path, tmp_path_factory: pytest.TempPathFactory
) -> ScanResult:
    """The npm tree, its root manifest naming an author, as any published project's does.

    The corpus's own ``package.json`` names none (it is a private list of three
    dependencies), and nothing else in the tree says who supplies it.
    """
    root = tmp_path_factory.mktemp("authored") / "app"
    shutil.copytree(medium_npm_tree, root, symlinks=True)
    manifest = json.loads((root / "package.json").read_text(encoding="utf-8"))
    manifest["author"] = "Example Corp <oss@example.com>"
    (root / "package.json").write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    return scan(root, ScanOptions(jobs=1, excludes=NPM_TREE_EXCLUDES))


def _run(*args: str) -> tuple[int, str, str]:
    outcome = CliRunner().invoke(main, list(args), env={"SOURCE_DATE_EPOCH": ""})
    return outcome.exit_code, outcome.stdout, outcome.stderr


def _sbom(result: ScanResult, tmp_path: Path, *args: str) -> tuple[Path, int, str]:
    """``ospo-scan sbom`` of ``result`` to an SPDX JSON file: the file, exit code, stderr."""
    source = tmp_path / "result.json"
    source.write_text(to_json(result), encoding="utf-8")
    out = tmp_path / "bom.spdx.json"
    code, stdout, stderr = _run("sbom", str(source), "-o", str(out), *args)
    assert stdout == ""
    assert out.exists(), stderr  # written whatever the verdict: it is a valid SBOM
    return out, code, stderr


def _gaps(result: ScanResult, standard: str, **options: Any) -> dict[str, set[str]]:
    """ospo-scan's own verdict: the names of the components missing each element."""
    (conformance,) = check_conformance(result, [standard], SbomOptions(**options))
    return {e.name: {g.name for g in e.gaps} for e in conformance.elements if not e.met}


# --- the npm tree ----------------------------------------------------------------------


def test_npm_tree_passes_ntia_and_cisa_with_no_option(
    authored_npm_result: ScanResult, newest: NewestChecker, tmp_path: Path
) -> None:
    bom, code, stderr = _sbom(
        authored_npm_result, tmp_path, "--require", "ntia", "--require", "cisa"
    )

    assert code == 0, stderr
    assert "NTIA minimum elements (2021): conformant" in stderr
    assert "CISA baseline attributes (FSCT 2024, minimum expected): conformant" in stderr
    assert old_checker(bom).ntia_minimum_elements_compliant
    report, rows = newest.run(bom, "ntia")
    assert report["isConformant"], rows
    assert report["graphValidation"]["floatingComponents"]["floatingComponentCount"] == 0
    assert report["totalNumberComponents"] > 70
    report, rows = newest.run(bom, "fsct3-min")
    assert failing_lists(report) == {key: set() for key in failing_lists(report)}
    assert report["componentsEvaluated"]
    # Every CISA row is met but the one an SPDX 2 document cannot meet for this checker.
    assert {row for row, met in rows.items() if not met} == {SBOM_TYPE_ROW}
    assert (
        "SBOM type: Source"
        in json.loads(bom.read_text(encoding="utf-8"))["creationInfo"]["comment"]
    )


def test_npm_tree_as_built_misses_only_the_project_supplier(
    medium_npm_result: ScanResult, newest: NewestChecker, tmp_path: Path
) -> None:
    bom, code, stderr = _sbom(medium_npm_result, tmp_path, "--require", "ntia")

    assert code == 1
    assert "NTIA minimum elements (2021): NOT conformant" in stderr
    assert (
        "corpus-medium (SPDXRef-Project): the project's manifest names no author or "
        "maintainer (give --supplier)" in stderr
    )
    assert _gaps(medium_npm_result, "ntia") == {"supplier": {"corpus-medium"}}
    assert _gaps(medium_npm_result, "cisa") == {"supplier": {"corpus-medium"}}
    checker = old_checker(bom)
    assert checker.components_without_suppliers == ["corpus-medium"]
    assert checker.components_without_versions == []
    report, _ = newest.run(bom, "fsct3-min")
    lists = failing_lists(report)
    assert lists.pop("componentSuppliers") == {"corpus-medium"}
    assert all(not names for names in lists.values()), lists


# --- a requirements-only project -------------------------------------------------------


@pytest.fixture(scope="module")
def requirements_result(tmp_path_factory: pytest.TempPathFactory) -> ScanResult:
    """A Python project with only a requirements.txt of ranges, and a LICENSE."""
    root = tmp_path_factory.mktemp("requirements") / "tool"
    root.mkdir()
    (root / "requirements.txt").write_text(
        "requests>=2.31,<3\nclick~=8.1\nPyYAML>=6.0\n", encoding="utf-8"
    )
    shutil.copy(FAKE_REPO / "LICENSE-MIT", root / "LICENSE")
    return scan(root, ScanOptions(jobs=1))


def test_requirements_only_project_says_what_is_missing(
    requirements_result: ScanResult, tmp_path: Path
) -> None:
    bom, code, stderr = _sbom(requirements_result, tmp_path, "--check", "ntia")

    assert code == 0, stderr  # --check reports, --require gates
    assert "NTIA minimum elements (2021): NOT conformant (4 components)" in stderr
    assert (
        "requests (SPDXRef-Package-pypi-requests-dbac335929): only the requirement "
        "'requests>=2.31,<3' is declared (in requirements.txt)" in stderr
    )
    assert "the project has no manifest to name its supplier (give --supplier)" in stderr
    gaps = _gaps(requirements_result, "ntia")
    assert gaps == {
        "component version": {"tool", "requests", "click", "pyyaml"},
        "supplier": {"tool", "requests", "click", "pyyaml"},
    }
    checker = old_checker(bom)
    assert set(checker.components_without_versions) == gaps["component version"]
    assert set(checker.components_without_suppliers) == gaps["supplier"]
    packages = {p["name"]: p for p in json.loads(bom.read_text(encoding="utf-8"))["packages"]}
    assert packages["click"]["comment"] == (
        "Declared as a dependency; not found in the tree. No version is known, only the "
        "requirement 'click~=8.1' in requirements.txt; no version was resolved (no installed "
        "copy, no lockfile pins one)."
    )


def test_requirements_only_project_passes_with_the_documented_options(
    requirements_result: ScanResult, newest: NewestChecker, tmp_path: Path
) -> None:
    options = ("--unversioned", "omit", "--project-version", "1.0.0", "--supplier", "Example Corp")

    bom, code, stderr = _sbom(
        requirements_result, tmp_path, *options, "--require", "ntia", "--require", "cisa"
    )

    assert code == 0, stderr
    document = json.loads(bom.read_text(encoding="utf-8"))
    (project,) = document["packages"]
    assert project["supplier"] == "Organization: Example Corp"
    assert project["licenseConcluded"] == "MIT"  # from the LICENSE at the root
    assert project["copyrightText"] == "Copyright (c) 2024 Example Corp"
    assert old_checker(bom).ntia_minimum_elements_compliant
    report, _ = newest.run(bom, "ntia")
    assert report["isConformant"]
    report, rows = newest.run(bom, "fsct3-min")
    assert all(not names for names in failing_lists(report).values())
    assert {row for row, met in rows.items() if not met} == {SBOM_TYPE_ROW}


# --- ranges and a lockfile -------------------------------------------------------------


@pytest.fixture(scope="module")
def locked_result(tmp_path_factory: pytest.TempPathFactory) -> ScanResult:
    """An npm project that asks for ranges, with the corpus's lockfile and no node_modules."""
    root = tmp_path_factory.mktemp("locked") / "app"
    root.mkdir()
    benchmarks = Path(__file__).parents[2] / "benchmarks"
    shutil.copy(benchmarks / "medium-package-lock.json", root / "package-lock.json")
    manifest = {
        "name": "corpus-medium",
        "version": "1.0.0",
        "dependencies": {"express": "^4.21.0", "lodash": "^4.17.0", "moment": "~2.30.0"},
    }
    (root / "package.json").write_text(json.dumps(manifest), encoding="utf-8")
    return scan(root, ScanOptions(jobs=1))


def _packages(result: ScanResult, unversioned: str) -> dict[str, dict[str, Any]]:
    text = render_sbom(result, "spdx-json", SbomOptions(unversioned=unversioned))
    refs = {}
    for package in json.loads(text)["packages"]:
        for ref in package.get("externalRefs", ()):
            refs[ref["referenceLocator"]] = package
    return refs


def _cdx_components(result: ScanResult, unversioned: str) -> dict[str, dict[str, Any]]:
    text = render_sbom(result, "cyclonedx-json", SbomOptions(unversioned=unversioned))
    return {c["bom-ref"]: c for c in json.loads(text)["components"]}


def _properties(component: dict[str, Any]) -> dict[str, str]:
    return {p["name"]: p["value"] for p in component.get("properties", ())}


def test_resolve_takes_the_version_the_lockfile_pins(locked_result: ScanResult) -> None:
    packages = _packages(locked_result, "resolve")
    components = _cdx_components(locked_result, "resolve")

    assert "pkg:npm/express" not in packages
    express = packages["pkg:npm/express@4.21.2"]
    assert express["versionInfo"] == "4.21.2"
    assert express["comment"] == (
        "Declared as a dependency; not found in the tree. Declared as '^4.21.0' in "
        "package.json; version 4.21.2 resolved from package-lock.json."
    )
    assert _properties(components["pkg:npm/express@4.21.2"]) == {
        "ospo-scan:version-requirement": "^4.21.0",
        "ospo-scan:declared-in": "package.json",
        "ospo-scan:version-resolved-from": "package-lock.json",
    }
    assert "component version" not in _gaps(locked_result, "ntia")


def test_keep_leaves_each_range_a_component_without_version(locked_result: ScanResult) -> None:
    packages = _packages(locked_result, "keep")
    components = _cdx_components(locked_result, "keep")

    moment = packages["pkg:npm/moment"]
    assert "versionInfo" not in moment
    assert "only the requirement '~2.30.0' in package.json" in moment["comment"]
    assert _properties(components["pkg:npm/moment"]) == {
        "ospo-scan:version-requirement": "~2.30.0",
        "ospo-scan:declared-in": "package.json",
        "ospo-scan:unversioned": "true",
    }
    assert _gaps(locked_result, "ntia", unversioned="keep")["component version"] == {
        "express",
        "lodash",
        "moment",
    }


def test_omit_leaves_ranges_out(locked_result: ScanResult) -> None:
    packages = _packages(locked_result, "omit")

    assert not {"pkg:npm/express", "pkg:npm/lodash", "pkg:npm/moment"} & set(packages)
    assert "pkg:npm/moment@2.30.1" in packages  # the lockfile's own entry stays
    # The document says what it left out.
    text = render_sbom(locked_result, "spdx-json", SbomOptions(unversioned="omit"))
    assert (
        "Left out (--unversioned omit), declared without a version: pkg:npm/express, "
        "pkg:npm/lodash, pkg:npm/moment" in json.loads(text)["creationInfo"]["comment"]
    )
    text = render_sbom(locked_result, "cyclonedx-json", SbomOptions(unversioned="omit"))
    properties = json.loads(text)["metadata"]["properties"]
    assert {p["name"] for p in properties} == {"ospo-scan:omitted-unversioned"}
    assert sorted(p["value"] for p in properties) == [
        "pkg:npm/express",
        "pkg:npm/lodash",
        "pkg:npm/moment",
    ]
    assert "component version" not in _gaps(locked_result, "ntia", unversioned="omit")


# --- ospo-scan's check against the checkers --------------------------------------------


@pytest.mark.parametrize(
    "options",
    [{}, {"unversioned": "omit"}, {"supplier": "ACME Corp", "project_version": "2.0"}],
    ids=["default", "omit", "supplier"],
)
@pytest.mark.parametrize("subject", ["fake", "rich"])
def test_the_own_check_agrees_with_the_checkers(
    fake_result: ScanResult,
    rich_result: ScanResult,
    newest: NewestChecker,
    tmp_path: Path,
    subject: str,
    options: dict[str, str],
) -> None:
    result = rich_result if subject == "rich" else fake_result
    bom = tmp_path / "bom.spdx.json"
    bom.write_text(render_sbom(result, "spdx-json", SbomOptions(**options)), encoding="utf-8")
    ntia, cisa = check_conformance(result, ["ntia", "cisa"], SbomOptions(**options))
    ntia_gaps = {e.name: {g.name for g in e.gaps} for e in ntia.elements}
    cisa_gaps = {e.name: {g.name for g in e.gaps} for e in cisa.elements}

    checker = old_checker(bom)
    assert checker.ntia_minimum_elements_compliant == ntia.conformant
    assert set(checker.components_without_versions) == ntia_gaps["component version"]
    assert set(checker.components_without_suppliers) == ntia_gaps["supplier"]
    report, _ = newest.run(bom, "ntia")
    assert report["isConformant"] == ntia.conformant
    report, rows = newest.run(bom, "fsct3-min")
    lists = failing_lists(report)
    assert lists["componentVersions"] == cisa_gaps["component version"]
    assert lists["componentSuppliers"] == cisa_gaps["supplier"]
    assert lists["componentConcludedLicenses"] == cisa_gaps["concluded license"]
    assert lists["componentCopyrightTexts"] == cisa_gaps["copyright notice"]
    assert rows["Dependency relationships provided?"] == (not cisa_gaps["dependency relationships"])
    assert report["graphValidation"]["floatingComponents"]["floatingComponentCount"] == 0


def test_a_floating_package_is_a_gap_in_the_dependency_relationships(
    rich_result: ScanResult,
) -> None:
    """A package that no relationship reaches (built by hand: ospo-scan links them all)."""
    from ospo_scan.engine.catalog import license_texts  # noqa: PLC0415
    from ospo_scan.sbom.conformance import check_document  # noqa: PLC0415
    from ospo_scan.sbom.inventory import inventory  # noqa: PLC0415
    from ospo_scan.sbom.licenses import LicenseNormalizer  # noqa: PLC0415
    from ospo_scan.sbom.spdx import PROJECT_ID, SBOM_TYPE_NOTE, to_spdx_document  # noqa: PLC0415

    document = to_spdx_document(
        rich_result,
        created=datetime(2026, 1, 1, tzinfo=timezone.utc),
        namespace="https://example.com/doc",
        normalizer=LicenseNormalizer(license_texts()),
    )
    mocha = next(p.spdx_id for p in document.packages if p.name == "mocha")
    document.relationships = [
        r for r in document.relationships if mocha not in (r.related_spdx_element_id,)
    ]

    result = check_document(
        document, inventory(rich_result), {}, PROJECT_ID, "ntia", SBOM_TYPE_NOTE
    )

    (element,) = [e for e in result.elements if e.name == "dependency relationships"]
    assert not element.met
    assert [(g.name, g.reason) for g in element.gaps] == [
        ("mocha", "no relationship path leads to it from the document")
    ]


def test_an_unknown_unversioned_choice_is_an_sbom_error(rich_result: ScanResult) -> None:
    with pytest.raises(SbomError, match="choose from resolve, keep, omit"):
        render_sbom(rich_result, "spdx-json", SbomOptions(unversioned="guess"))


def test_a_bad_creator_contact_exits_2(tmp_path: Path, fake_result: ScanResult) -> None:
    source = tmp_path / "result.json"
    source.write_text(to_json(fake_result), encoding="utf-8")

    code, stdout, stderr = _run("sbom", str(source), "--creator-contact", "call me")

    assert code == 2
    assert stdout == ""
    assert stderr.strip() == (
        "ospo-scan: error: --creator-contact must be an e-mail address or an http(s) URL, "
        "not 'call me'"
    )


def test_creator_options_are_configuration_keys(tmp_path: Path, fake_result: ScanResult) -> None:
    source = tmp_path / "result.json"
    source.write_text(to_json(fake_result), encoding="utf-8")
    config = tmp_path / ".ospo-scan.yml"
    config.write_text(
        "sbom:\n  creator-organization: ACME Corp\n  creator-contact: sbom@acme.example\n"
        "  unversioned: omit\n",
        encoding="utf-8",
    )

    code, stdout, stderr = _run("--config", str(config), "sbom", str(source), "-q")

    assert code == 0, stderr
    creators = json.loads(stdout)["creationInfo"]["creators"]
    assert creators[0] == "Organization: ACME Corp (sbom@acme.example)"


def test_a_folder_without_manifest_misses_a_version_and_a_supplier(
    rich_result: ScanResult,
) -> None:
    bare = dataclasses.replace(rich_result, packages=(), dependencies=())
    (ntia,) = check_conformance(bare, ["ntia"])

    assert ntia.components == 1
    assert {e.name for e in ntia.elements if not e.met} == {"component version", "supplier"}
