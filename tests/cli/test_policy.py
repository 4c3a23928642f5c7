# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""``ospo-scan policy validate | show | init | list`` through the command line."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner, Result

from ospo_scan.cli.main import main
from ospo_scan.policy.load import policy_from_file
from ospo_scan.policy.shipped import shipped_policies


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def test_list_names_every_shipped_policy() -> None:
    result = run("policy", "list")
    assert result.exit_code == 0
    names = [line.split("\t")[0] for line in result.stdout.splitlines()]
    assert names == list(shipped_policies())
    assert "default\tDistributed software" in result.stdout


def test_validate_good_and_bad(tmp_path: Path) -> None:
    good = tmp_path / "good.yml"
    good.write_text("version: 1\nextends: permissive-only\n", encoding="utf-8")
    result = run("policy", "validate", str(good))
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith(f"{good}: valid policy 'good' (")
    assert "permissive-only.yml (shipped) <- " in result.stdout
    bad = tmp_path / "bad.yml"
    bad.write_text("version: 1\ncategories:\n  allow: [Permisive]\n", encoding="utf-8")
    result = run("policy", "validate", str(bad))
    assert result.exit_code == 2
    assert result.stderr == (
        f"ospo-scan: error: {bad}: unknown license category 'Permisive' at line 3 "
        "(categories.allow[0]); did you mean Permissive?\n"
    )


def test_validate_a_shipped_policy_by_name() -> None:
    result = run("policy", "validate", "default")
    assert result.exit_code == 0
    assert "valid policy 'default'" in result.stdout


def test_show_resolves_extends(tmp_path: Path) -> None:
    path = tmp_path / "repo.yml"
    path.write_text(
        "version: 1\nextends: default\nlicenses:\n  allow: [MPL-2.0]\nwaivers:\n"
        "  - paths: ['third_party/**']\n    reason: not shipped\n    expires: 2001-01-01\n",
        encoding="utf-8",
    )
    result = run("policy", "show", str(path))
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert "built from: default.yml (shipped) <- " in out
    assert "MPL-2.0 (repo.yml:4)" in out  # this file's rule
    assert "Copyleft (default.yml (shipped):42)" in out  # the base's rule
    assert "Context tests: paths **/tests/**" in out
    rows = [line.replace("│", " ").split()[:2] for line in out.splitlines()]
    assert rows.count(["errors", "deny"]) == 1  # top level
    assert rows.count(["errors", "review"]) == 1  # the tests context
    assert "not shipped" in out
    assert "2001-01-01 (expired)" in out


def test_init_writes_a_valid_starter_and_refuses_to_overwrite(tmp_path: Path) -> None:
    target = tmp_path / "policy.yml"
    result = run("policy", "init", str(target))
    assert result.exit_code == 0, result.stderr
    text = target.read_text(encoding="utf-8")
    assert "ospo-scan policy validate policy.yml" in text
    assert policy_from_file(target).sources[-1] == str(target)
    target.write_text("version: 1\n# mine\n", encoding="utf-8")
    result = run("policy", "init", str(target))
    assert result.exit_code == 2
    assert "exists; use --force" in result.stderr
    assert target.read_text(encoding="utf-8") == "version: 1\n# mine\n"
    assert run("policy", "init", "--force", str(target)).exit_code == 0
    assert target.read_text(encoding="utf-8") == text


def test_init_default_file_name(tmp_path: Path) -> None:
    runner = CliRunner()
    with runner.isolated_filesystem(temp_dir=tmp_path):
        result = runner.invoke(main, ["policy", "init"])
        assert result.exit_code == 0, result.stderr
        assert Path("ospo-scan-policy.yml").is_file()


def test_a_built_wheel_ships_the_policies(tmp_path: Path) -> None:
    """``pip install .`` (not editable) must carry the shipped policies as package data."""
    repo = Path(__file__).parents[2]
    wheels = tmp_path / "wheels"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(wheels), str(repo)],
        check=True,
        capture_output=True,
    )
    (wheel,) = wheels.glob("ospo_scan-*.whl")
    target = tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "-q",
            "--no-deps",
            "--target",
            str(target),
            str(wheel),
        ],
        check=True,
        capture_output=True,
    )
    probe = (
        "import ospo_scan; from ospo_scan.policy import load, shipped; "
        "print(ospo_scan.__file__); print(','.join(shipped.shipped_policies())); "
        "print(load.shipped_policy('default').name); "
        "from importlib import resources; from ospo_scan.config.schema import SCHEMA_FILES; "
        "print(all(resources.files('ospo_scan').joinpath('schemas', name).is_file() "
        "for name in SCHEMA_FILES.values()))"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe],
        check=True,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(target)},
        cwd=tmp_path,
    ).stdout.splitlines()
    assert out[0].startswith(str(target))
    assert out[1:] == ["default,permissive-only", "default", "True"]
