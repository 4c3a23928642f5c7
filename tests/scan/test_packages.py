# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""Packages and dependencies: real ScanCode on checked-in fixtures and a real npm tree.

The fixtures under ``tests/data/packages`` are small hand-made trees whose license texts
come from ScanCode's own license data: an npm app with an installed ``node_modules``, a
requirements.txt with a virtual environment's ``site-packages``, a Poetry project with
``*.dist-info`` copies, and broken manifests.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import jsonschema
import pytest

from ospo_scan.document import result_schema, to_json
from ospo_scan.engine import datafiles, fixes
from ospo_scan.licensing import combine, covers, without_noise
from ospo_scan.model import (
    ConclusionReason,
    Dependency,
    DependencyScope,
    FileStatus,
    IssueKind,
    Package,
    ScanResult,
    ScanSummary,
)
from ospo_scan.scan.dependencies import map_scope
from ospo_scan.scan.options import ScanOptions
from ospo_scan.scan.packages import conclude, is_license_file
from ospo_scan.scan.pipeline import scan

PACKAGES = Path(__file__).parent.parent / "data" / "packages"


def _copy(name: str, dest: Path) -> Path:
    return Path(shutil.copytree(PACKAGES / name, dest / name))


def _scan(factory: pytest.TempPathFactory, name: str, **options: object) -> tuple[Path, ScanResult]:
    root = _copy(name, factory.mktemp(name))
    return root, scan(root, ScanOptions(jobs=1, **options))  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def npm_result(tmp_path_factory: pytest.TempPathFactory) -> ScanResult:
    return _scan(tmp_path_factory, "npm_app")[1]


@pytest.fixture(scope="module")
def py_result(tmp_path_factory: pytest.TempPathFactory) -> ScanResult:
    return _scan(tmp_path_factory, "py_app")[1]


@pytest.fixture(scope="module")
def poetry_result(tmp_path_factory: pytest.TempPathFactory) -> ScanResult:
    return _scan(tmp_path_factory, "poetry_app")[1]


@pytest.fixture(scope="module")
def broken(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, ScanResult]:
    return _scan(tmp_path_factory, "broken_app")


def _package(result: ScanResult, purl: str) -> Package:
    (found,) = [p for p in result.packages if p.purl == purl]
    return found


def _deps(result: ScanResult, name: str, datafile: str | None = None) -> list[Dependency]:
    return [
        d
        for d in result.dependencies
        if d.name == name and (datafile is None or d.datafile_path == datafile)
    ]


# --- npm: package.json + package-lock.json + node_modules ----------------------------------


def test_npm_packages_are_assembled(npm_result: ScanResult) -> None:
    assert {p.purl for p in npm_result.packages} == {
        "pkg:npm/npm-app@1.0.0",
        "pkg:npm/%40scope/tiny@0.1.2",
        "pkg:npm/dual-lib@2.0.1",
        "pkg:npm/left-pad@1.3.0",
        "pkg:npm/left-pad@1.1.0",
        "pkg:npm/liar-lib@1.0.0",
        "pkg:npm/test-kit@3.1.0",
    }
    app = _package(npm_result, "pkg:npm/npm-app@1.0.0")
    assert app.root_path == ""
    assert app.datafile_paths == ("package.json",)
    assert app.declared_license == "Apache-2.0"
    assert app.declared_license_spdx == "Apache-2.0"
    assert app.supplier == "Ada Example"
    assert app.homepage_url == "https://example.org/npm-app"
    tiny = _package(npm_result, "pkg:npm/%40scope/tiny@0.1.2")
    assert (tiny.namespace, tiny.name) == ("@scope", "tiny")
    assert tiny.root_path == "node_modules/@scope/tiny"


def test_dual_license_declaration_wins_over_two_license_files(npm_result: ScanResult) -> None:
    dual = _package(npm_result, "pkg:npm/dual-lib@2.0.1")
    assert dual.declared_license_spdx == "MIT OR Apache-2.0"
    assert dual.license_files == (
        "node_modules/dual-lib/LICENSE-APACHE",
        "node_modules/dual-lib/LICENSE-MIT",
    )
    assert dual.detected_license_spdx is not None
    assert set(dual.detected_license_spdx.split(" AND ")) == {"MIT", "Apache-2.0"}
    assert dual.concluded_license_spdx == "MIT OR Apache-2.0"
    assert dual.concluded_reason is ConclusionReason.AGREE
    assert dual.conflict is None


def test_declaration_and_license_file_disagree(npm_result: ScanResult) -> None:
    liar = _package(npm_result, "pkg:npm/liar-lib@1.0.0")
    assert liar.concluded_reason is ConclusionReason.CONFLICT
    assert liar.conflict is not None
    assert liar.conflict.declared == "MIT"
    assert liar.conflict.detected == "GPL-3.0-only"
    assert liar.conflict.license_files == ("node_modules/liar-lib/LICENSE",)
    # Conservative: both apply until a person decides.
    assert liar.concluded_license_spdx == "MIT AND GPL-3.0-only"
    assert npm_result.summary.license_conflicts == 1


def test_detected_only_and_declared_only(npm_result: ScanResult) -> None:
    tiny = _package(npm_result, "pkg:npm/%40scope/tiny@0.1.2")
    assert tiny.declared_license_spdx is None
    assert tiny.concluded_license_spdx == "Apache-2.0"
    assert tiny.concluded_reason is ConclusionReason.DETECTED_ONLY
    nested = _package(npm_result, "pkg:npm/left-pad@1.1.0")
    assert nested.root_path == "node_modules/liar-lib/node_modules/left-pad"
    assert nested.license_files == ()  # the parent's LICENSE is not the nested package's
    assert nested.concluded_license_spdx == "WTFPL"
    assert nested.concluded_reason is ConclusionReason.DECLARED_ONLY


def test_npm_dependencies_scopes_and_licenses(npm_result: ScanResult) -> None:
    (direct,) = _deps(npm_result, "test-kit", "package.json")
    assert direct.scope is DependencyScope.DEV
    assert direct.scope_as_written == "devDependencies"
    assert direct.is_direct
    assert direct.extracted_requirement == "^3.0.0"
    assert direct.for_package == "pkg:npm/npm-app@1.0.0"
    assert direct.license_spdx == "BSD-3-Clause"
    assert direct.license_source == "node_modules/test-kit"

    (locked,) = _deps(npm_result, "dual-lib", "package-lock.json")
    assert locked.purl == "pkg:npm/dual-lib@2.0.1"
    assert locked.resolved_version == "2.0.1"
    assert locked.is_direct  # package.json asks for it by name; the lockfile pins it
    assert locked.scope is DependencyScope.RUNTIME
    assert locked.resolved_package == "pkg:npm/dual-lib@2.0.1"
    assert locked.license_spdx == "MIT OR Apache-2.0"

    (scoped,) = _deps(npm_result, "@scope/tiny", "package.json")
    assert scoped.license_spdx == "Apache-2.0"

    (nested_lock,) = _deps(npm_result, "left-pad", "package-lock.json")[:1]
    assert nested_lock.resolved_version == "1.1.0"
    assert not nested_lock.is_direct  # node_modules/liar-lib/node_modules/left-pad
    # liar-lib's own left-pad 1.1.0 is the one in its nested node_modules, as Node finds it.
    (nested,) = _deps(npm_result, "left-pad", "node_modules/liar-lib/package.json")
    assert nested.resolved_package == "pkg:npm/left-pad@1.1.0"
    assert nested.license_source == "node_modules/liar-lib/node_modules/left-pad"
    (top,) = _deps(npm_result, "left-pad", "package.json")
    assert top.resolved_package == "pkg:npm/left-pad@1.3.0"

    # A conflicting package passes its conservative license on to whoever depends on it.
    (liar,) = _deps(npm_result, "liar-lib", "package.json")
    assert liar.license_spdx == "MIT AND GPL-3.0-only"


def test_missing_dependency_is_unresolved_never_guessed(npm_result: ScanResult) -> None:
    (ghost,) = _deps(npm_result, "ghost-lib")
    assert ghost.unresolved
    assert ghost.license_spdx is None
    assert ghost.license_source is None
    assert ghost.resolved_package is None
    assert npm_result.summary.dependencies_unresolved == 1
    assert npm_result.summary.packages == 7
    assert npm_result.summary.dependencies == len(npm_result.dependencies) == 13


# --- Python: requirements.txt + a virtual environment's site-packages ----------------------

SITE = "env/lib/python3.11/site-packages"


def test_installed_python_metadata(py_result: ScanResult) -> None:
    attrs = _package(py_result, "pkg:pypi/attrs@23.1.0")
    # PEP 639 License-Expression (ScanCode 32.5 alone does not read it).
    assert attrs.declared_license == "MIT"
    assert attrs.declared_license_spdx == "MIT"
    assert attrs.license_files == (f"{SITE}/attrs-23.1.0.dist-info/licenses/LICENSE",)
    assert attrs.concluded_reason is ConclusionReason.AGREE
    idna = _package(py_result, "pkg:pypi/idna@3.6")
    # Only a trove classifier declares it; the LICENSE.md says which BSD.
    assert idna.declared_license_spdx == "BSD-3-Clause"
    assert idna.concluded_license_spdx == "BSD-3-Clause"
    six = _package(py_result, "pkg:pypi/six@1.16.0")
    assert six.license_files == (f"{SITE}/six-1.16.0.dist-info/LICENSE",)
    assert six.supplier == "Benjamin Peterson"
    assert six.concluded_license_spdx == "MIT"


def test_requirements_resolve_to_the_virtual_environment(py_result: ScanResult) -> None:
    (attrs,) = _deps(py_result, "attrs")
    assert attrs.extracted_requirement == "attrs==23.1.0"
    assert attrs.resolved_version == "23.1.0"
    assert attrs.license_spdx == "MIT"
    assert attrs.license_source == f"{SITE}/attrs-23.1.0.dist-info"
    (six,) = _deps(py_result, "six")
    assert six.extracted_requirement == "six>=1.16"
    assert six.resolved_version == "1.16.0"  # the range resolves to the installed copy
    assert six.purl == "pkg:pypi/six@1.16.0"
    assert six.resolved_package == "pkg:pypi/six@1.16.0"
    (ghost,) = _deps(py_result, "ghostpkg")
    assert ghost.unresolved
    (pytest_dep,) = _deps(py_result, "pytest")
    assert pytest_dep.datafile_path == "requirements-dev.txt"
    assert pytest_dep.scope is DependencyScope.DEV
    assert py_result.summary.dependencies_unresolved == 2


# --- Poetry: pyproject.toml + poetry.lock + dist-info copies -------------------------------


def test_poetry_lock_with_installed_copies(poetry_result: ScanResult) -> None:
    project = _package(poetry_result, "pkg:pypi/poetry-app@0.3.0")
    assert project.datafile_paths == ("pyproject.toml",)
    assert project.concluded_license_spdx == "Apache-2.0"
    locked = {d.name: d for d in poetry_result.dependencies if d.datafile_path == "poetry.lock"}
    assert set(locked) == {"click", "colorama", "pytest-mock"}
    assert all(d.for_package == project.purl for d in locked.values())
    # Named in pyproject.toml: direct; colorama only comes with click: transitive.
    assert locked["click"].is_direct
    assert locked["pytest-mock"].is_direct
    assert not locked["colorama"].is_direct
    assert locked["click"].license_spdx == "BSD-3-Clause"
    assert locked["colorama"].license_spdx == "BSD-3-Clause"  # PEP 639 License-Expression
    assert locked["colorama"].scope is DependencyScope.RUNTIME
    # The lockfile does not say pytest-mock is for development; the pyproject.toml does.
    assert locked["pytest-mock"].scope is DependencyScope.DEV
    assert locked["pytest-mock"].license_spdx == "MIT"
    assert poetry_result.summary.dependencies_unresolved == 0


# --- bad input -----------------------------------------------------------------------------


def test_malformed_manifests_are_file_errors_and_the_scan_goes_on(
    broken: tuple[Path, ScanResult],
) -> None:
    _root, result = broken
    package_json = result.file("package.json")
    assert package_json.status is FileStatus.ERROR
    assert [i.kind for i in package_json.issues] == [IssueKind.PACKAGE_DATA_ERROR]
    assert "JSONDecodeError" in package_json.issues[0].message
    assert package_json.license_detections  # its license scan still happened
    cargo = result.file("Cargo.toml")
    assert [i.kind for i in cargo.issues] == [IssueKind.PACKAGE_DATA_ERROR]
    assert result.summary.issue_counts["package_data_error"] == 2
    # The rest was read.
    assert [d.name for d in _deps(result, "requests")] == ["requests"]
    assert _package(result, "pkg:pypi/never-run@0.0.1").declared_license_spdx == "MIT"


def test_setup_py_is_parsed_never_executed(broken: tuple[Path, ScanResult]) -> None:
    root, result = broken
    (six,) = _deps(result, "six")
    assert six.datafile_path == "setup.py"
    assert six.extracted_requirement == ">=1.0"
    assert not (root / "SETUP_PY_WAS_EXECUTED").exists()
    assert not (PACKAGES / "broken_app" / "SETUP_PY_WAS_EXECUTED").exists()


# --- options -------------------------------------------------------------------------------


def test_no_packages(tmp_path_factory: pytest.TempPathFactory) -> None:
    _root, result = _scan(tmp_path_factory, "npm_app", packages=False)
    assert result.packages == ()
    assert result.dependencies == ()
    assert result.summary.packages == 0
    assert result.options["packages"] is False


def test_packages_only_scans_datafiles_and_license_files(
    tmp_path_factory: pytest.TempPathFactory, npm_result: ScanResult
) -> None:
    _root, result = _scan(tmp_path_factory, "npm_app", packages_only=True)
    paths = {f.path for f in result.files}
    assert "node_modules/left-pad/index.js" not in paths  # no full-text scan of source
    assert "node_modules/liar-lib/LICENSE" in paths
    assert result.file("node_modules/liar-lib/LICENSE").license_expression_spdx == "GPL-3.0-only"
    assert [p.to_dict() for p in result.packages] == [p.to_dict() for p in npm_result.packages]
    assert [d.to_dict() for d in result.dependencies] == [
        d.to_dict() for d in npm_result.dependencies
    ]


def test_parallel_scan_gives_the_same_packages(tmp_path: Path, npm_result: ScanResult) -> None:
    root = _copy("npm_app", tmp_path)
    result = scan(root, ScanOptions(jobs=2))
    assert [p.to_dict() for p in result.packages] == [p.to_dict() for p in npm_result.packages]
    assert [d.to_dict() for d in result.dependencies] == [
        d.to_dict() for d in npm_result.dependencies
    ]


# --- the document --------------------------------------------------------------------------


def test_document_validates_and_reads_back(npm_result: ScanResult) -> None:
    document = json.loads(to_json(npm_result))
    jsonschema.Draft202012Validator(result_schema()).validate(document)
    again = ScanResult.from_dict(document)
    assert again.packages == npm_result.packages
    assert again.dependencies == npm_result.dependencies
    assert again.summary == npm_result.summary
    liar = next(p for p in document["packages"] if p["name"] == "liar-lib")
    assert liar["conflict"]["declared"] == "MIT"
    assert liar["concluded_reason"] == "conflict"


def test_summary_of_an_older_document_still_loads(npm_result: ScanResult) -> None:
    old = npm_result.summary.to_dict()
    for key in ("packages", "dependencies", "dependencies_unresolved", "license_conflicts"):
        del old[key]
    summary = ScanSummary.from_dict(old)
    assert (summary.packages, summary.dependencies_unresolved, summary.license_conflicts) == (
        0,
        0,
        0,
    )


# --- units over the real license data ------------------------------------------------------


@pytest.mark.parametrize(
    ("statement", "spdx"),
    [
        ("GPL-2.0+", "GPL-2.0-or-later"),  # deprecated id, current one out
        ("MIT OR Apache-2.0", "MIT OR Apache-2.0"),
        ("Apache License 2.0", "Apache-2.0"),  # not SPDX: license detection reads it
    ],
)
def test_declared_statements_are_normalised(statement: str, spdx: str) -> None:
    assert fixes.declared_license_to_spdx(statement)[1] == spdx


@pytest.mark.parametrize(
    ("word", "is_runtime", "is_optional", "datasource", "expected"),
    [
        ("dependencies", True, False, "", DependencyScope.RUNTIME),
        ("devDependencies", False, True, "", DependencyScope.DEV),
        ("optionalDependencies", True, True, "", DependencyScope.OPTIONAL),
        ("install", True, False, "", DependencyScope.RUNTIME),
        ("development", False, True, "", DependencyScope.DEV),
        ("require-dev", False, True, "", DependencyScope.DEV),
        ("test", False, False, "", DependencyScope.TEST),
        ("build-dependencies", False, False, "", DependencyScope.BUILD),
        ("docs", False, False, "", DependencyScope.DEV),  # a Poetry group: not for users
        (None, True, True, "pypi_poetry_lock", DependencyScope.RUNTIME),
        (None, True, True, "npm_package_lock_json", DependencyScope.OPTIONAL),
    ],
)
def test_scope_mapping(
    word: str | None,
    is_runtime: bool,
    is_optional: bool,
    datasource: str,
    expected: DependencyScope,
) -> None:
    got = map_scope(word, is_runtime=is_runtime, is_optional=is_optional, datasource_id=datasource)
    assert got is expected


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("LICENSE", True),
        ("a/LICENCE.md", True),
        ("COPYING.LESSER", True),
        ("LICENSE-MIT", True),
        ("MIT-LICENSE.txt", True),
        ("NOTICE", True),
        ("UNLICENSE", True),
        ("license.js", False),
        ("README.md", False),
        ("licenses.json", False),
        ("THIRD-PARTY-LICENSES.txt", False),  # other people's licenses, not the package's
        ("ThirdPartyNotices.txt", False),
    ],
)
def test_license_file_names(path: str, expected: bool) -> None:
    assert is_license_file(path) is expected


def test_noise_is_kept_apart() -> None:
    unknown = "LicenseRef-scancode-unknown-license-reference"
    assert without_noise(unknown) is None
    assert without_noise(f"MIT AND {unknown}") == "MIT"
    # A declaration that is only "SEE LICENSE IN ..." is no declaration: the files decide.
    package = Package(purl="pkg:npm/x@1", type="npm", name="x", declared_license_spdx=unknown)
    concluded = conclude(package, f"BSD-3-Clause AND {unknown}", ("LICENSE",))
    assert concluded.concluded_reason is ConclusionReason.DETECTED_ONLY
    assert concluded.concluded_license_spdx == "BSD-3-Clause"
    assert concluded.conflict is None


def test_agreement_rules() -> None:
    assert covers("MIT OR Apache-2.0", "MIT AND Apache-2.0")
    assert covers("GPL-3.0-or-later", "GPL-3.0-only")  # a text cannot say "or later"
    assert covers("MIT AND BSD-3-Clause", "MIT")
    assert not covers("MIT", "GPL-3.0-only")
    assert not covers("MIT", "MIT AND CC0-1.0")
    assert combine(["MIT", "MIT AND BSD-3-Clause"]) == "MIT AND BSD-3-Clause"
    assert combine(["MIT OR Apache-2.0", "GPL-3.0-only"]) == "(MIT OR Apache-2.0) AND GPL-3.0-only"
    package = Package(purl="pkg:npm/x@1", type="npm", name="x")
    assert conclude(package, None, ()).concluded_reason is ConclusionReason.NONE


# --- real world: express, lodash and moment from the npm registry ---------------------------


def test_real_npm_tree(medium_npm_tree: Path) -> None:
    result = scan(medium_npm_tree, ScanOptions(jobs=2, packages_only=True))
    installed = [p for p in result.packages if p.root_path]
    assert len(installed) > 60
    by_name = {p.name: p for p in installed}
    for name in ("express", "lodash", "moment"):
        assert name in by_name
    # Every installed package gets a license, and every one says where it came from.
    assert all(p.concluded_license_spdx for p in installed), [
        p.purl for p in installed if not p.concluded_license_spdx
    ]
    assert all(p.concluded_reason is not ConclusionReason.NONE for p in installed)
    assert by_name["express"].concluded_license_spdx == "MIT"
    assert by_name["moment"].concluded_license_spdx == "MIT"
    # Conflicts list both sides and the files behind the detected one.
    conflicts = [p for p in result.packages if p.conflict is not None]
    for package in conflicts:
        assert package.conflict is not None
        assert package.conflict.declared
        assert package.conflict.detected
        assert package.conflict.license_files
        assert package.concluded_reason is ConclusionReason.CONFLICT
    assert result.summary.license_conflicts == len(conflicts)
    # The lockfile's dependencies all resolve to their installed copies.
    locked = [d for d in result.dependencies if d.datafile_path == "package-lock.json"]
    assert len(locked) == len(installed)
    assert all(not d.unresolved for d in locked)
    # npm's hidden node_modules/.package-lock.json repeats the lockfile: not counted twice.
    assert (medium_npm_tree / "node_modules" / ".package-lock.json").is_file()
    assert not [d for d in result.dependencies if d.datafile_path.endswith(".package-lock.json")]
    # Only datafiles and license files were scanned, not every source file.
    assert all(
        datafiles.is_package_datafile(str(medium_npm_tree / f.path)) or is_license_file(f.path)
        for f in result.files
    )
    assert "node_modules/express/lib/express.js" not in {f.path for f in result.files}


def test_lockfile_licenses_without_installed_copies(tmp_path: Path) -> None:
    root = _copy("npm_app", tmp_path)
    shutil.rmtree(root / "node_modules")
    result = scan(root, ScanOptions(jobs=1, packages_only=True))
    assert result.packages == (_package(result, "pkg:npm/npm-app@1.0.0"),)
    (dual,) = _deps(result, "dual-lib", "package-lock.json")
    assert dual.license_spdx == "MIT OR Apache-2.0"
    assert dual.license_source == "lockfile"
    assert dual.resolved_package is None
    # The requirement in package.json is resolved by the lockfile beside it.
    (direct,) = _deps(result, "liar-lib", "package.json")
    assert direct.license_spdx == "MIT"  # what the lockfile says; no LICENSE file to contradict
    assert direct.license_source == "lockfile"
    # No license in the lockfile entry and no installed copy: unresolved.
    assert all(d.unresolved for d in _deps(result, "@scope/tiny"))
    assert all(d.unresolved for d in _deps(result, "ghost-lib"))
    assert result.summary.dependencies_unresolved == 3


def test_nested_projects_are_all_assembled(tmp_path: Path) -> None:
    """A Python project at the root does not hide the npm app and venv inside it.

    ScanCode's own assembly takes the root pyproject.toml first and claims every file below
    it; ospo-scan assembles the deepest datafiles first.
    """
    root = tmp_path / "mono"
    root.mkdir()
    (root / "pyproject.toml").write_text(
        '[project]\nname = "mono"\nversion = "2.0"\nlicense = "MIT"\ndependencies = ["six"]\n',
        encoding="utf-8",
    )
    (root / "LICENSES").mkdir()
    shutil.copy(
        PACKAGES / "npm_app" / "node_modules" / "dual-lib" / "LICENSE-MIT",
        root / "LICENSES" / "MIT.txt",
    )
    _copy("npm_app", root / "web")
    _copy("py_app", root)
    result = scan(root, ScanOptions(jobs=1, packages_only=True))
    mono = _package(result, "pkg:pypi/mono@2.0")
    assert mono.license_files == ("LICENSES/MIT.txt",)  # REUSE: every file there is a license
    assert mono.concluded_reason is ConclusionReason.AGREE
    assert _package(result, "pkg:npm/liar-lib@1.0.0").conflict is not None
    assert len([p for p in result.packages if p.type == "npm"]) == 7
    (six,) = _deps(result, "six", "pyproject.toml")
    assert six.resolved_package == "pkg:pypi/six@1.16.0"


def test_composer_vendor_folder_and_lockfile_licenses(tmp_path: Path) -> None:
    root = _copy("composer_app", tmp_path)
    result = scan(root, ScanOptions(jobs=1))
    monolog = _package(result, "pkg:composer/monolog/monolog@3.5.0")
    assert monolog.root_path == "vendor/monolog/monolog"
    assert monolog.supplier == "Jordi Boggiano"
    assert monolog.concluded_reason is ConclusionReason.AGREE
    # Installed in vendor/: the copy's license, from the copy's folder.
    (vendored,) = _deps(result, "monolog/monolog", "composer.lock")
    assert vendored.license_source == "vendor/monolog/monolog"
    assert vendored.license_spdx == "MIT"
    # Not installed (a dev dependency): the license its composer.lock entry states.
    (locked,) = _deps(result, "phpunit/phpunit", "composer.lock")
    assert locked.scope is DependencyScope.DEV
    assert locked.scope_as_written == "require-dev"
    assert locked.license_spdx == "BSD-3-Clause"
    assert locked.license_source == "lockfile"
    assert result.summary.dependencies_unresolved == 0


def test_installed_package_dependencies(py_result: ScanResult) -> None:
    metadata = f"{SITE}/attrs-23.1.0.dist-info/METADATA"
    declared = [d for d in py_result.dependencies if d.datafile_path == metadata]
    # idna is a runtime requirement of the installed attrs, and installed; the extras
    # (pysocks for "socks", pytest for "tests") are not installed: no part of the tree.
    assert [d.name for d in declared] == ["idna"]
    assert declared[0].for_package == "pkg:pypi/attrs@23.1.0"
    assert declared[0].resolved_package == "pkg:pypi/idna@3.6"


def test_an_sdist_is_one_package(tmp_path: Path) -> None:
    """An sdist describes itself twice (PKG-INFO and src/*.egg-info/PKG-INFO): one package."""
    root = tmp_path / "tiny-1.0"
    (root / "src" / "tiny.egg-info").mkdir(parents=True)
    pkg_info = (
        "Metadata-Version: 2.1\nName: tiny\nVersion: 1.0\nLicense: MIT\n"
        "Requires-Dist: six>=1.0\n\nA tiny sdist.\n"
    )
    (root / "PKG-INFO").write_text(pkg_info, encoding="utf-8")
    (root / "src" / "tiny.egg-info" / "PKG-INFO").write_text(pkg_info, encoding="utf-8")
    shutil.copy(
        PACKAGES / "npm_app" / "node_modules" / "dual-lib" / "LICENSE-MIT", root / "LICENSE"
    )
    result = scan(root, ScanOptions(jobs=1, packages_only=True))
    (tiny,) = result.packages
    assert tiny.purl == "pkg:pypi/tiny@1.0"
    assert tiny.root_path == ""
    assert tiny.datafile_paths == ("PKG-INFO", "src/tiny.egg-info/PKG-INFO")
    assert tiny.license_files == ("LICENSE",)
    assert tiny.concluded_reason is ConclusionReason.AGREE


def test_supplier_falls_back_to_the_repository_owner(tmp_path: Path) -> None:
    """No author, maintainer or publisher: the owner of the source repository supplies it."""
    for name, repository in (
        ("plain", "https://github.com/pillarjs/path-to-regexp"),
        ("gitplus", "git+https://github.com/acme-corp/widget.git"),
        ("shorthand", "zeit/ms"),
        ("elsewhere", "https://git.example.org/team/thing.git"),
    ):
        folder = tmp_path / name
        folder.mkdir()
        (folder / "package.json").write_text(
            json.dumps({"name": name, "version": "1.0.0", "repository": repository}),
            encoding="utf-8",
        )
    result = scan(tmp_path, ScanOptions(jobs=1, cache_dir=None))
    suppliers = {p.name: p.supplier for p in result.packages}
    assert suppliers == {
        "plain": "pillarjs",
        "gitplus": "acme-corp",
        "shorthand": "zeit",
        "elsewhere": None,  # not a forge whose URLs name the owner: nothing is invented
    }


_LAUGHS = "".join(f' <!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">\n' for n in range(2, 10))
_BOMB_POM = f"""<?xml version="1.0"?>
<!DOCTYPE project [
 <!ENTITY lol "lol">
{_LAUGHS}]>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>&lol9;</groupId>
  <artifactId>&lol9;</artifactId>
  <version>1.0</version>
</project>
"""


def test_an_entity_bomb_pom_is_a_package_data_error(tmp_path: Path) -> None:
    root = tmp_path / "tree"
    (root / "bomb").mkdir(parents=True)
    (root / "bomb" / "pom.xml").write_text(_BOMB_POM, encoding="utf-8")
    good = root / "good"
    good.mkdir()
    (good / "pom.xml").write_text(
        '<?xml version="1.0"?>\n<project>\n  <modelVersion>4.0.0</modelVersion>\n'
        "  <groupId>org.example</groupId>\n  <artifactId>good</artifactId>\n"
        "  <version>1.0</version>\n</project>\n",
        encoding="utf-8",
    )
    result = scan(root, ScanOptions(jobs=1))
    bomb = result.file("bomb/pom.xml")
    assert bomb.status is FileStatus.ERROR
    (issue,) = [i for i in bomb.issues if i.kind is IssueKind.PACKAGE_DATA_ERROR]
    assert "declares the entity" in issue.message
    assert "lol" * 100 not in issue.message  # never expanded, never echoed
    # A plain pom beside it is unaffected: its package is found, without an error.
    assert [p.name for p in result.packages] == ["good"]
    assert result.file("good/pom.xml").issues == ()
