# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""The configuration file through the command line: found, applied, shown, refused.

``config show`` says what every command would run with and why, without scanning, so most
tests read it; the ones that matter for a gate run a real ``check`` (real ScanCode) on a
tree with an MIT license text and a policy that denies MIT.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import click
import pytest
from click.testing import CliRunner, Result

from ospo_scan.cli._config import command_keys
from ospo_scan.cli.main import main
from ospo_scan.config.keys import ValueKind
from ospo_scan.config.load import load_config
from policy_helpers import FAKE_REPO

DENY_MIT = "version: 1\nlicenses:\n  deny: [MIT]\n"


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """A folder with an MIT license text, and a policy beside it that denies MIT."""
    root = tmp_path / "tree"
    root.mkdir()
    shutil.copy(FAKE_REPO / "LICENSE-MIT", root / "LICENSE")
    write(root / "policies" / "deny-mit.yml", DENY_MIT)
    return root


def show(*args: str) -> dict[str, Any]:
    result = run("config", "show", "--format", "json", *args)
    assert result.exit_code == 0, result.stderr
    document: dict[str, Any] = json.loads(result.stdout)
    return document


def test_the_config_at_the_root_is_used_by_check(tree: Path) -> None:
    write(tree / ".ospo-scan.yml", "policy: policies/deny-mit.yml\njobs: 1\n")
    result = run("check", "--format", "json", str(tree))
    assert result.exit_code == 1, result.stderr
    assert json.loads(result.stdout)["policy"]["name"] == "deny-mit"
    # The command line wins over the file...
    assert run("check", "--format", "json", "--policy", "default", str(tree)).exit_code == 0
    # ... and --no-config reads no file.
    assert run("--no-config", "check", "-j", "1", "--format", "json", str(tree)).exit_code == 0


def test_policy_init_then_check_uses_the_policy_with_no_option(
    tree: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tree)
    result = run("policy", "init")
    assert result.exit_code == 0, result.stderr
    assert "wrote .ospo-scan.yml (policy: ospo-scan-policy.yml)" in result.stderr
    assert "policy: ospo-scan-policy.yml\n" in Path(".ospo-scan.yml").read_text(encoding="utf-8")
    policy = Path("ospo-scan-policy.yml")
    text = policy.read_text(encoding="utf-8")
    assert "  deny: []\n" in text
    policy.write_text(text.replace("  deny: []\n", "  deny: [MIT]\n"), encoding="utf-8")
    result = run("check", "-j", "1", "--format", "json", ".")
    assert result.exit_code == 1, result.stderr
    document = json.loads(result.stdout)
    assert document["policy"]["name"] == "ospo-scan-policy"
    denied = [f for f in document["findings"] if f["verdict"] == "deny"]
    assert [f["path"] for f in denied] == ["LICENSE"]


def test_policy_init_never_overwrites_a_config(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tree)
    write(tree / ".ospo-scan.yml", "jobs: 2\n")
    result = run("policy", "init")
    assert result.exit_code == 0, result.stderr
    assert ".ospo-scan.yml configures ospo-scan already and was left as it is" in result.stderr
    assert "set in it: policy: ospo-scan-policy.yml" in result.stderr
    assert (tree / ".ospo-scan.yml").read_text(encoding="utf-8") == "jobs: 2\n"
    # The policy itself: exit 2 unless --force, and the config is still never touched.
    assert run("policy", "init").exit_code == 2
    assert run("policy", "init", "--force").exit_code == 0
    assert (tree / ".ospo-scan.yml").read_text(encoding="utf-8") == "jobs: 2\n"


def test_policy_init_no_config_and_a_policy_outside_the_current_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    here = tmp_path / "here"
    here.mkdir()
    monkeypatch.chdir(here)
    assert run("policy", "init", "--no-config").exit_code == 0
    assert not (here / ".ospo-scan.yml").exists()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    result = run("policy", "init", str(elsewhere / "p.yml"))
    assert result.exit_code == 0, result.stderr
    config = (elsewhere / ".ospo-scan.yml").read_text(encoding="utf-8")
    assert "policy: p.yml\n" in config
    assert show(str(elsewhere))["commands"]["check"]["policy"]["value"] == str(elsewhere / "p.yml")


def test_config_show_names_the_source_of_every_setting(tree: Path) -> None:
    write(
        tree / ".ospo-scan.yml",
        "jobs: 2\nexclude: [build/**, dist]\ncheck:\n  jobs: 1\n  fail-on: review\n",
    )
    document = show(str(tree))
    assert document["config_file"] == str(tree / ".ospo-scan.yml")
    scan, check = document["commands"]["scan"], document["commands"]["check"]
    # The top level applies to every command; a command's section wins over it.
    assert scan["jobs"] == {
        "value": 2,
        "source": "config",
        "file": str(tree / ".ospo-scan.yml"),
        "line": 1,
        "key": "jobs",
    }
    assert (check["jobs"]["value"], check["jobs"]["line"], check["jobs"]["key"]) == (
        1,
        4,
        "check.jobs",
    )
    assert check["fail-on"]["value"] == "review"
    assert "fail-on" not in scan
    assert scan["exclude"]["value"] == ["build/**", "dist"]
    assert check["timeout"] == {"value": 120.0, "source": "default"}
    # The test suite's private cache folder comes from the environment (conftest.py).
    assert check["cache-dir"]["source"] == "environment"
    assert check["cache-dir"]["envvar"] == "OSPO_SCAN_CACHE_DIR"
    assert set(document["commands"]) == {"scan", "check", "sbom", "notice"}


def test_config_show_of_a_command_line_shows_what_it_overrides(tree: Path) -> None:
    write(tree / ".ospo-scan.yml", "jobs: 2\ntimeout: 30\n")
    document = show("check", "-j", "3", "--fail-on", "review", str(tree))
    check = document["commands"]["check"]
    assert list(document["commands"]) == ["check"]
    assert check["jobs"] == {"value": 3, "source": "command line"}
    assert check["fail-on"] == {"value": "review", "source": "command line"}
    assert (check["timeout"]["value"], check["timeout"]["source"]) == (30, "config")


def test_config_show_as_a_table(tree: Path) -> None:
    write(tree / ".ospo-scan.yml", "check:\n  fail-on: review\n")
    result = run("config", "show", str(tree))
    assert result.exit_code == 0, result.stderr
    assert f"Configuration file: {tree / '.ospo-scan.yml'}" in result.stdout
    row = next(line for line in result.stdout.splitlines() if "fail-on" in line)
    assert "review" in row
    assert ".ospo-scan.yml:2" in row
    result = run("--no-config", "config", "show", str(tree))
    assert "No configuration file" in result.stdout


def test_the_pyproject_table(tree: Path) -> None:
    write(
        tree / "pyproject.toml",
        '[project]\nname = "x"\n\n[tool.ospo-scan]\npolicy = "policies/deny-mit.yml"\n'
        'exclude = ["vendor/**"]\n\n[tool.ospo-scan.check]\nfail-on = "review"\n',
    )
    document = show(str(tree))
    check = document["commands"]["check"]
    assert document["config_file"] == str(tree / "pyproject.toml")
    assert check["policy"]["value"] == str(tree / "policies" / "deny-mit.yml")
    assert (check["policy"]["line"], check["policy"]["key"]) == (5, "tool.ospo-scan.policy")
    assert (check["fail-on"]["line"], check["fail-on"]["key"]) == (
        9,
        "tool.ospo-scan.check.fail-on",
    )
    write(tree / "pyproject.toml", '[tool.ospo-scan]\njobs = "two"\n')
    result = run("config", "show", str(tree))
    assert result.exit_code == 2
    assert result.stderr == (
        f"ospo-scan: error: {tree / 'pyproject.toml'}: expected an integer >= 1, got the string "
        "'two' at line 2 (tool.ospo-scan.jobs)\n"
    )


def test_a_pyproject_without_the_table_configures_nothing(tree: Path) -> None:
    # A dependency on ospo-scan is not a configuration; nor is a broken pyproject.toml that
    # never mentions the table (the scan reports it as a package_data_error).
    write(tree / "pyproject.toml", '[tool.poetry.dev-dependencies]\nospo-scan = "^0.1"\n')
    assert show(str(tree))["config_file"] is None
    write(tree / "pyproject.toml", "[project\nname = ")
    assert show(str(tree))["config_file"] is None
    # One that mentions it and does not parse may hold the settings: an error.
    write(tree / "pyproject.toml", "[tool.ospo-scan]\njobs = = 2\n")
    result = run("config", "show", str(tree))
    assert result.exit_code == 2
    assert result.stderr.startswith(
        f"ospo-scan: error: {tree / 'pyproject.toml'}: TOML syntax error: "
    )
    assert "line 2" in result.stderr


def test_relative_paths_resolve_against_the_config_folder(
    tree: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(
        tree / ".ospo-scan.yml",
        "policy: policies/deny-mit.yml\ncache-dir: .cache\ncheck:\n  output: out/report.json\n"
        "sbom:\n  policy: default\n",
    )
    monkeypatch.chdir(tmp_path)  # not the tree's folder
    check = show(str(tree))["commands"]["check"]
    assert check["policy"]["value"] == str(tree / "policies" / "deny-mit.yml")
    assert check["output"]["value"] == str(tree / "out" / "report.json")
    # A shipped policy's name stays a name.
    assert show(str(tree))["commands"]["sbom"]["policy"]["value"] == "default"
    # The environment wins over the file, the file over the default.
    monkeypatch.delenv("OSPO_SCAN_CACHE_DIR")
    assert show(str(tree))["commands"]["scan"]["cache-dir"]["value"] == str(tree / ".cache")


def test_a_result_file_takes_the_config_of_its_folder(tree: Path) -> None:
    write(tree / ".ospo-scan.yml", "check:\n  fail-on: review\n")
    saved = write(tree / "scan.json", "{}")
    assert show("check", str(saved))["commands"]["check"]["fail-on"]["source"] == "config"


def test_unknown_keys_and_wrong_types_are_all_reported_with_file_line_and_key(tree: Path) -> None:
    config = write(
        tree / ".ospo-scan.yml",
        "exlude: [x]\njobs: two\ncheck:\n  fail-on: sometimes\n  quiet: 1\nsbom:\n"
        "  reproducable: true\nformat: json\nmax-file-size: 5Q\nexclude: [ok, 3]\n",
    )
    result = run("check", str(tree))
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == (
        "ospo-scan: error: 8 configuration errors:\n"
        f"  {config}: unknown key 'exlude' at line 1 (exlude); did you mean exclude?\n"
        f"  {config}: expected an integer >= 1, got the string 'two' at line 2 (jobs)\n"
        f"  {config}: expected one of deny, review, got the string 'sometimes' at line 4 "
        "(check.fail-on)\n"
        f"  {config}: expected true or false, got a number at line 5 (check.quiet)\n"
        f"  {config}: unknown key 'reproducable' at line 7 (sbom.reproducable); "
        "did you mean reproducible?\n"
        f"  {config}: key 'format' takes other values in each command at line 8 (format); "
        "write it in a command's section (scan:, check:, sbom:, notice:)\n"
        f"  {config}: '5Q' is not a size (examples: 500000, 512K, 10M, 1G) at line 9 "
        "(max-file-size)\n"
        f"  {config}: expected a string, or a list of them, got a number at line 10 "
        "(exclude[1])\n"
    )
    assert "Traceback" not in result.output


def test_a_value_the_option_refuses(tree: Path) -> None:
    config = write(
        tree / ".ospo-scan.yml",
        "jobs: 0\ntimeout: 0\nscan:\n  format: sarif\nexclude: [ok, '!']\n",
    )
    result = run("scan", str(tree))
    assert result.exit_code == 2
    assert f"{config}: expected an integer >= 1, got a number at line 1 (jobs)" in result.stderr
    assert f"{config}: expected a number > 0, got a number at line 2 (timeout)" in result.stderr
    assert (
        f"{config}: expected one of json, table, got the string 'sarif' at line 4 (scan.format)"
        in result.stderr
    )
    # The option's own check (a glob git cannot use), at the item's line.
    assert f"{config}: '!' is not a usable .gitignore-style pattern" in result.stderr
    assert "at line 5 (exclude[1])" in result.stderr


def test_broken_or_odd_config_files(tree: Path) -> None:
    config = write(tree / ".ospo-scan.yml", "jobs: [1\n")
    result = run("config", "show", str(tree))
    assert result.exit_code == 2
    assert result.stderr.startswith(f"ospo-scan: error: {config}: YAML syntax error")
    # A file of that name that is not settings is never quoted (it could be anything).
    write(config, "hunter2-the-secret\n")
    result = run("config", "show", str(tree))
    assert result.exit_code == 2
    assert result.stderr == (
        f"ospo-scan: error: {config}: expected a mapping of settings, got a string\n"
    )
    # An empty file configures nothing, and that is fine.
    write(config, "# nothing yet\n")
    assert show(str(tree))["config_file"] == str(config)


def test_both_files_present_is_an_error(tree: Path) -> None:
    write(tree / ".ospo-scan.yml", "jobs: 1\n")
    write(tree / "pyproject.toml", "[tool.ospo-scan]\njobs = 2\n")
    result = run("check", str(tree))
    assert result.exit_code == 2
    assert result.stderr == (
        f"ospo-scan: error: {tree / '.ospo-scan.yml'} and the [tool.ospo-scan] table of "
        f"{tree / 'pyproject.toml'} both configure ospo-scan; keep one (or name one with "
        "--config)\n"
    )
    (tree / "pyproject.toml").unlink()
    write(tree / ".ospo-scan.yaml", "jobs: 1\n")
    result = run("check", str(tree))
    assert result.exit_code == 2
    assert "both configure ospo-scan" in result.stderr
    # --config names the one to use; --no-config neither.
    assert run("config", "show", str(tree)).exit_code == 2
    chosen = json.loads(
        run(
            "--config", str(tree / ".ospo-scan.yaml"), "config", "show", "-f", "json", str(tree)
        ).stdout
    )
    assert chosen["config_file"] == str(tree / ".ospo-scan.yaml")
    assert run("--no-config", "config", "show", str(tree)).exit_code == 0


def test_config_and_no_config_together(tree: Path) -> None:
    config = write(tree / "elsewhere.yml", "jobs: 1\n")
    result = run("--config", str(config), "--no-config", "check", str(tree))
    assert result.exit_code == 2
    assert "--config and --no-config cannot be used together" in result.stderr
    result = run("--config", str(tree / "missing.yml"), "check", str(tree))
    assert result.exit_code == 2


def test_an_explicit_pyproject_without_the_table_is_an_error(tree: Path) -> None:
    pyproject = write(tree / "pyproject.toml", '[project]\nname = "x"\n')
    result = run("--config", str(pyproject), "config", "show", str(tree))
    assert result.exit_code == 2
    assert result.stderr == f"ospo-scan: error: {pyproject}: no [tool.ospo-scan] table\n"


def test_help_works_whatever_the_config_says(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tree / ".ospo-scan.yml", "nonsense: true\n")
    monkeypatch.chdir(tree)
    result = run("check", "--help")
    assert result.exit_code == 0
    assert "--fail-on" in result.stdout


def test_every_option_is_a_key_and_a_new_one_needs_no_config_code(tmp_path: Path) -> None:
    """A future option (say --baseline FILE on check) is a key the moment it exists."""

    @click.command()
    @click.argument("path")
    @click.option("--baseline", type=click.Path(dir_okay=False, path_type=Path))
    @click.option("--max-age", type=click.IntRange(0, 90), default=30)
    @click.option("--strict/--lenient", default=False)
    @click.option("--label", "labels", multiple=True)
    def future(path: str, baseline: Path | None, max_age: int, strict: bool, labels: str) -> None:
        """A command from the future."""

    keys = {spec.name: spec for spec in command_keys(future)}
    assert set(keys) == {"baseline", "max-age", "strict", "label"}
    assert keys["baseline"].kind is ValueKind.PATH
    assert (keys["max-age"].kind, keys["max-age"].minimum, keys["max-age"].maximum) == (
        ValueKind.INTEGER,
        0,
        90,
    )
    assert keys["strict"].kind is ValueKind.BOOLEAN
    assert (keys["label"].dest, keys["label"].multiple) == ("labels", True)
    config = write(tmp_path / ".ospo-scan.yml", "baseline: b.json\nmax-age: 7\nlabel: a\n")
    loaded = load_config(config, {"future": command_keys(future)})
    settings = loaded.settings_for("future", command_keys(future))
    assert settings["baseline"].value == str(tmp_path / "b.json")
    assert settings["max_age"].value == 7
    assert settings["labels"].value == ("a",)


def test_the_check_command_options_are_all_keys() -> None:
    check = main.get_command(click.Context(main), "check")
    assert check is not None
    names = {spec.name for spec in command_keys(check)}
    long_options = {
        opt[2:]
        for param in check.params
        if isinstance(param, click.Option)
        for opt in param.opts
        if opt.startswith("--")
    }
    assert names == long_options
    assert {"policy", "format", "output", "fail-on", "exclude", "jobs", "max-file-size"} <= names
