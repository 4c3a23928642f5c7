# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""``ospo-scan sbom``: formats, output, reproducibility, failures, golden files, real trees.

Golden files live in ``tests/data/golden/``; set ``OSPO_SCAN_REGEN_GOLDEN=1`` to rewrite them
from the current output (then review the diff before committing).
"""

from __future__ import annotations

import dataclasses
import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from cyclonedx.schema import OutputFormat, SchemaVersion
from cyclonedx.validation import make_schemabased_validator
from spdx_tools.spdx.parser.parse_anything import parse_file
from spdx_tools.spdx.validation.document_validator import validate_full_spdx_document

from ospo_scan.cli.main import main
from ospo_scan.document import load_result, to_json
from ospo_scan.formats import registry
from ospo_scan.formats.base import Output
from ospo_scan.model import Package, ScanResult
from ospo_scan.sbom import SBOM_FORMATS, _patch
from sbom_support import GOLDEN, PREFER_MIT, with_packages

#: The file name each format is written to (and its golden file's suffix).
FILE_NAMES = {
    "spdx-json": "bom.spdx.json",
    "spdx-tv": "bom.spdx",
    "spdx-yaml": "bom.spdx.yaml",
    "spdx-xml": "bom.spdx.xml",
    "spdx-rdf": "bom.spdx.rdf.xml",
    "cyclonedx-json": "bom.cdx.json",
    "cyclonedx-xml": "bom.cdx.xml",
}

#: Something each format's text must contain.
SIGNATURES = {
    "spdx-json": '"spdxVersion": "SPDX-2.3"',
    "spdx-tv": "SPDXVersion: SPDX-2.3",
    "spdx-yaml": "spdxVersion: SPDX-2.3",
    "spdx-xml": "<spdxVersion>SPDX-2.3</spdxVersion>",
    "spdx-rdf": "<spdx:SpdxDocument",
    "cyclonedx-json": '"specVersion": "1.6"',
    "cyclonedx-xml": 'xmlns="http://cyclonedx.org/schema/bom/1.6"',
}

# spdx-tools' tag-value parser (ply) leaves its debug file open: their ResourceWarning.
_PLY = pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")


@pytest.fixture(scope="module")
def result_file(tmp_path_factory: pytest.TempPathFactory, fake_repo_result: ScanResult) -> Path:
    """The session's real scan of the fake repository, saved as a result file."""
    path = tmp_path_factory.mktemp("cli-sbom") / "result.json"
    path.write_text(to_json(fake_repo_result), encoding="utf-8")
    return path


def _run(*args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    runner = CliRunner()
    outcome = runner.invoke(main, list(args), env=env or {"SOURCE_DATE_EPOCH": ""})
    return outcome.exit_code, outcome.stdout, outcome.stderr


def test_every_format_has_a_file_name_and_a_signature() -> None:
    assert set(FILE_NAMES) == set(SBOM_FORMATS) == set(SIGNATURES)


@pytest.mark.parametrize("format_name", SBOM_FORMATS)
def test_golden_file_per_format(result_file: Path, tmp_path: Path, format_name: str) -> None:
    out = tmp_path / FILE_NAMES[format_name]

    code, _, stderr = _run(
        "sbom",
        str(result_file),
        "--format",
        format_name,
        "--files",
        "--reproducible",
        "-o",
        str(out),
    )

    assert code == 0, stderr
    text = out.read_text(encoding="utf-8")
    golden = GOLDEN / f"fake_repo.{FILE_NAMES[format_name]}"
    if os.environ.get("OSPO_SCAN_REGEN_GOLDEN"):
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(text, encoding="utf-8")
    assert golden.exists(), f"no golden file {golden}: run with OSPO_SCAN_REGEN_GOLDEN=1"
    assert text == golden.read_text(encoding="utf-8")


def test_a_library_release_not_verified_is_used_as_shipped_with_a_warning(
    result_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(_patch.VERIFIED, "rdflib", "0.0.0")
    monkeypatch.setattr(_patch, "_warned", set())
    out = tmp_path / FILE_NAMES["spdx-rdf"]

    code, _, stderr = _run(
        "sbom", str(result_file), "-f", "spdx-rdf", "--files", "--reproducible", "-o", str(out)
    )

    assert code == 0, stderr
    assert "ospo-scan: warning: rdflib 7.6.0 is installed, but" in stderr
    assert "as shipped" in stderr
    golden = GOLDEN / f"fake_repo.{FILE_NAMES['spdx-rdf']}"
    assert out.read_text(encoding="utf-8") == golden.read_text(encoding="utf-8")


@pytest.mark.parametrize("format_name", ["spdx-tv", "cyclonedx-json"])
def test_golden_file_with_packages_and_dependencies(
    result_file: Path, tmp_path: Path, format_name: str
) -> None:
    """The mapping of packages, dependencies and awkward licenses, reviewed as a whole."""
    source = tmp_path / "with-packages.json"
    source.write_text(to_json(with_packages(load_result(result_file))), encoding="utf-8")
    out = tmp_path / FILE_NAMES[format_name]

    code, _, stderr = _run("sbom", str(source), "-f", format_name, "--reproducible", "-o", str(out))

    assert code == 0, stderr
    text = out.read_text(encoding="utf-8")
    golden = GOLDEN / f"with_packages.{FILE_NAMES[format_name]}"
    if os.environ.get("OSPO_SCAN_REGEN_GOLDEN"):
        golden.write_text(text, encoding="utf-8")
    assert golden.exists(), f"no golden file {golden}: run with OSPO_SCAN_REGEN_GOLDEN=1"
    assert text == golden.read_text(encoding="utf-8")


@pytest.mark.parametrize(("format_name", "file_name"), sorted(FILE_NAMES.items()))
def test_format_follows_the_output_name(
    result_file: Path, tmp_path: Path, format_name: str, file_name: str
) -> None:
    out = tmp_path / file_name

    code, stdout, stderr = _run("sbom", str(result_file), "-o", str(out))

    assert code == 0, stderr
    assert stdout == ""
    assert SIGNATURES[format_name] in out.read_text(encoding="utf-8")
    assert f"valid {format_name} SBOM" in stderr


def test_sbom_file_names_choose_the_conventional_formats() -> None:
    assert registry.for_output_file(Output.SBOM, Path("x.spdx.yml")) == "spdx-yaml"
    assert registry.for_output_file(Output.SBOM, Path("out/x.rdf.xml")) == "spdx-rdf"
    assert registry.for_output_file(Output.SBOM, Path("bom.json")) == "cyclonedx-json"
    assert registry.for_output_file(Output.SBOM, Path("app.BOM.XML")) == "cyclonedx-xml"
    assert registry.for_output_file(Output.SBOM, Path("report.json")) is None


def test_default_is_spdx_json_on_stdout(result_file: Path) -> None:
    code, stdout, _ = _run("sbom", str(result_file), "-q")

    assert code == 0
    assert json.loads(stdout)["spdxVersion"] == "SPDX-2.3"


def test_a_folder_is_scanned_with_the_scan_options(fake_repo: Path, tmp_path: Path) -> None:
    out = tmp_path / "bom.cdx.json"

    code, _, stderr = _run(
        "sbom", str(fake_repo), "--exclude", "vendor/", "--files", "-o", str(out)
    )

    assert code == 0, stderr
    bom = json.loads(out.read_text(encoding="utf-8"))
    names = {c["name"] for c in bom["components"]}
    assert "src/lib.py" in names
    assert not any(n.startswith("vendor/") for n in names)


def test_source_date_epoch_gives_identical_bytes(result_file: Path) -> None:
    env = {"SOURCE_DATE_EPOCH": "1767225600"}

    first = _run("sbom", str(result_file), "-f", "spdx-tv", env=env)
    second = _run("sbom", str(result_file), "-f", "spdx-tv", env=env)

    assert first[0] == second[0] == 0
    assert first[1] == second[1]
    assert "Created: 2026-01-01T00:00:00Z" in first[1]


def test_an_invalid_sbom_is_not_written_and_exits_2(result_file: Path, tmp_path: Path) -> None:
    broken = dataclasses.replace(
        load_result(result_file),
        packages=(Package(purl="not a purl", type="npm", name="broken", root_path="lib"),),
    )
    source = tmp_path / "broken.json"
    source.write_text(to_json(broken), encoding="utf-8")
    out = tmp_path / "bom.spdx.json"
    out.write_text("yesterday's SBOM", encoding="utf-8")

    code, stdout, stderr = _run("sbom", str(source), "-o", str(out))

    assert code == 2
    assert stdout == ""
    assert "failed validation" in stderr
    assert "not a purl" in stderr
    assert out.read_text(encoding="utf-8") == "yesterday's SBOM"
    assert set(tmp_path.iterdir()) == {source, out}  # no temporary file left behind


def test_an_unwritable_output_exits_2(result_file: Path, tmp_path: Path) -> None:
    code, _, stderr = _run("sbom", str(result_file), "-o", str(tmp_path / "no" / "bom.spdx"))

    assert code == 2
    assert "cannot write" in stderr


def test_a_file_that_is_not_a_result_exits_2(tmp_path: Path) -> None:
    bogus = tmp_path / "notes.json"
    bogus.write_text("[1, 2]", encoding="utf-8")

    code, _, stderr = _run("sbom", str(bogus))

    assert code == 2
    assert "not an ospo-scan result" in stderr


# --- real trees from the registries ----------------------------------------------------


def _validate_outputs(result: Path, tmp_path: Path) -> dict[str, str]:
    """Every format written from ``result``; the SPDX JSON and CycloneDX JSON validated."""
    texts = {}
    for format_name, file_name in FILE_NAMES.items():
        out = tmp_path / file_name
        code, _, stderr = _run("sbom", str(result), "--files", "-f", format_name, "-o", str(out))
        assert code == 0, f"{format_name}: {stderr}"
        texts[format_name] = out.read_text(encoding="utf-8")
        assert SIGNATURES[format_name] in texts[format_name]
    document = parse_file(str(tmp_path / FILE_NAMES["spdx-json"]))
    assert validate_full_spdx_document(document) == []
    validator = make_schemabased_validator(OutputFormat.JSON, SchemaVersion.V1_6)
    assert validator.validate_str(texts["cyclonedx-json"], all_errors=True) is None
    return texts


def _scan_to_file(root: Path, out: Path, *excludes: str) -> None:
    args = ["scan", str(root), "-f", "json", "-o", str(out), "-q", "-j", "1"]
    for glob in excludes:
        args += ["--exclude", glob]
    code, _, stderr = _run(*args)
    assert code == 0, stderr


@_PLY
def test_requests_sdist(requests_sdist: Path, tmp_path: Path) -> None:
    root = requests_sdist
    result = tmp_path / "result.json"
    _scan_to_file(root, result)

    texts = _validate_outputs(result, tmp_path)

    spdx = json.loads(texts["spdx-json"])
    project = spdx["packages"][0]
    assert "Apache-2.0" in project["licenseInfoFromFiles"]
    files = {f["fileName"]: f for f in spdx["files"]}
    assert "Apache-2.0" in files["./LICENSE"]["licenseInfoInFiles"]
    assert len(files) == sum(1 for p in root.rglob("*") if p.is_file())


@_PLY
def test_npm_tree(medium_npm_result: ScanResult, tmp_path: Path) -> None:
    """The node_modules tree of express 4.21.2, lodash 4.17.21 and moment 2.30.1.

    Every format is produced and valid, and each package and dependency found becomes a
    component with its purl. JavaScript, TypeScript and Markdown files are left out of the
    session's scan to keep it short (``NPM_TREE_EXCLUDES``); the manifests and license files
    that SBOMs are made from all stay in.
    """
    result = tmp_path / "result.json"
    result.write_text(to_json(medium_npm_result), encoding="utf-8")

    texts = _validate_outputs(result, tmp_path)

    scanned = load_result(result)
    spdx = json.loads(texts["spdx-json"])
    bom = json.loads(texts["cyclonedx-json"])
    purls = {ref["referenceLocator"] for p in spdx["packages"] for ref in p.get("externalRefs", [])}
    components = {c.get("purl") for c in bom.get("components", []) if c["type"] != "file"}
    found = {p.purl for p in scanned.packages}
    expected = found | {
        d.resolved_package if d.resolved_package in found else d.purl for d in scanned.dependencies
    }
    assert expected <= purls | {bom["metadata"]["component"].get("purl")}
    assert components <= purls
    assert any(f["fileName"] == "./node_modules/express/LICENSE" for f in spdx["files"])


def test_policy_elects_the_concluded_license(result_file: Path, tmp_path: Path) -> None:
    source = tmp_path / "with-packages.json"
    source.write_text(to_json(with_packages(load_result(result_file))), encoding="utf-8")
    policy = tmp_path / "prefer-mit.yml"
    policy.write_text(PREFER_MIT, encoding="utf-8")

    code, stdout, stderr = _run("sbom", str(source), "--policy", str(policy), "-q")

    assert code == 0, stderr
    project = json.loads(stdout)["packages"][0]
    assert (project["licenseDeclared"], project["licenseConcluded"]) == (
        "MIT OR Apache-2.0",
        "MIT",
    )


def test_an_unknown_policy_exits_2_before_scanning(result_file: Path) -> None:
    code, stdout, stderr = _run("sbom", str(result_file), "--policy", "no-such-policy")

    assert code == 2
    assert stdout == ""
    assert "no-such-policy" in stderr


def test_supplier_and_version_complete_the_project(result_file: Path) -> None:
    """A folder without a manifest has no supplier or version: the user can state them."""
    args = ("--supplier", "ACME Corp", "--project-version", "2.0", "-q")

    code, stdout, stderr = _run("sbom", str(result_file), *args)
    cdx_code, cdx_out, _ = _run("sbom", str(result_file), "-f", "cyclonedx-json", *args)

    assert code == cdx_code == 0, stderr
    project = json.loads(stdout)["packages"][0]
    assert (project["supplier"], project["versionInfo"]) == ("Organization: ACME Corp", "2.0")
    root = json.loads(cdx_out)["metadata"]["component"]
    assert (root["supplier"], root["version"]) == ({"name": "ACME Corp"}, "2.0")


def _synthetic_result(path: Path, files: int, deps: int) -> None:
    """A result of ``files`` files and ``deps`` dependencies, by ``benchmarks/sbom_scale.py``."""
    script = Path(__file__).parents[2] / "benchmarks" / "sbom_scale.py"
    spec = importlib.util.spec_from_file_location("sbom_scale", script)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    path.write_text(to_json(module.build_result(files, deps)), encoding="utf-8")


@pytest.mark.parametrize("format_name", SBOM_FORMATS)
def test_reproducible_bytes_do_not_depend_on_the_hash_seed(
    tmp_path: Path, format_name: str
) -> None:
    # 60 files and 300 dependencies: enough subjects that nothing refers to for rdflib's
    # pretty-xml serializer to write them in set order, which it did before (PYTHONHASHSEED 1
    # and 2 gave other spdx-rdf bytes).
    result = tmp_path / "result.json"
    _synthetic_result(result, 60, 300)
    outputs = []
    for seed in ("1", "2"):
        out = tmp_path / f"sbom-{seed}"
        env = {**os.environ, "PYTHONHASHSEED": seed, "SOURCE_DATE_EPOCH": ""}
        command = [sys.executable, "-m", "ospo_scan", "sbom", str(result), "-f", format_name]
        completed = subprocess.run(
            [*command, "--reproducible", "--files", "-o", str(out)],
            env=env,
            capture_output=True,
            check=False,
        )
        assert completed.returncode == 0, completed.stderr.decode()
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]
