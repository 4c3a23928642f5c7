# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""The sharded CI templates as shipped: GitHub reusable workflow, GitLab, Kubernetes.

Each is validated offline against its schema (check-jsonschema's vendored GitHub and GitLab
schemas; kubernetes-validate's Job schema, strict), and the shell of its shard and merge
steps runs for real on a fixture tree, with the ospo-scan of this environment in place of
the one the template installs: two shards, then the merge and the check, and the merged
result must be the one-process result.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml

PROJECT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
WORKFLOW = PROJECT / ".github" / "workflows" / "ospo-scan-sharded.yml"
GITLAB = PROJECT / "ci" / "ospo-scan-sharded.gitlab-ci.yml"
KUBERNETES = PROJECT / "ci" / "kubernetes" / "ospo-scan-sharded.yaml"
FLEET = PROJECT / "ci" / "kubernetes" / "ospo-scan-fleet.yaml"
PY_APP = PROJECT / "tests" / "data" / "packages" / "py_app"
NPM_APP = PROJECT / "tests" / "data" / "packages" / "npm_app"


def validate(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, capture_output=True, text=True, check=False, timeout=300)


def bash(script: str, cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """``script`` as the CI runs it: bash, errexit and pipefail, the job's variables."""
    done = subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script],
        cwd=cwd,
        env={**os.environ, "OSPO_SCAN_NO_DAEMON": "1", **env},
        capture_output=True,
        text=True,
        check=False,
        timeout=1200,
    )
    assert "Traceback" not in done.stderr
    return done


def comparable(path: Path) -> dict[str, Any]:
    data = json.loads(path.read_text(encoding="utf-8"))
    for key in ("started_at", "finished_at"):
        data["scan"].pop(key)
    data["summary"].pop("elapsed_seconds")
    data.pop("shards", None)
    data["scan"]["options"].pop("jobs")
    return data


def single_scan(tree: Path, out: Path, *args: str) -> Path:
    done = subprocess.run(
        [str(BIN / "ospo-scan"), "scan", "-q", *args, "-o", str(out), str(tree)],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "OSPO_SCAN_NO_DAEMON": "1"},
    )
    assert done.returncode == 0, done.stderr
    return out


def test_the_github_workflow_is_valid_and_reusable() -> None:
    done = validate(
        str(BIN / "check-jsonschema"), "--builtin-schema", "vendor.github-workflows", str(WORKFLOW)
    )
    assert done.returncode == 0, done.stdout + done.stderr
    workflow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    trigger = workflow[True]  # YAML 1.1 reads the key "on" as true
    assert set(trigger) == {"workflow_call"}
    assert trigger["workflow_call"]["inputs"]["shards"]["type"] == "number"
    jobs = workflow["jobs"]
    assert (
        jobs["scan"]["strategy"]["matrix"]["shard"] == "${{ fromJSON(needs.plan.outputs.shards) }}"
    )
    assert jobs["merge"]["needs"] == "scan"
    uses = [s.get("uses", "") for s in jobs["merge"]["steps"]]
    assert any(u.startswith("github/codeql-action/upload-sarif@") for u in uses)
    assert any(u.startswith("actions/download-artifact@") for u in uses)


def _step(job: dict[str, Any], prefix: str) -> str:
    (step,) = [s for s in job["steps"] if s.get("name", "").startswith(prefix)]
    return str(step["run"])


def test_the_github_steps_shard_merge_and_check(tmp_path: Path) -> None:
    jobs = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))["jobs"]
    plan = bash(
        jobs["plan"]["steps"][0]["run"], tmp_path, SHARDS="2", GITHUB_OUTPUT=str(tmp_path / "plan")
    )
    assert plan.returncode == 0, plan.stderr
    assert (tmp_path / "plan").read_text(encoding="utf-8") == "list=[1,2]\n"

    workspace = Path(shutil.copytree(NPM_APP, tmp_path / "workspace", symlinks=True))
    runner_temp = tmp_path / "runner-temp"
    (runner_temp / "ospo-scan-venv" / "bin").mkdir(parents=True)
    (runner_temp / "ospo-scan-venv" / "bin" / "ospo-scan").symlink_to(BIN / "ospo-scan")
    for shard in ("1", "2"):
        done = bash(
            _step(jobs["scan"], "Scan shard"),
            workspace,
            RUNNER_TEMP=str(runner_temp),
            SHARD=shard,
            SHARDS="2",
            SCAN_PATH=".",
            SCAN_ARGS="-j 1",
        )
        assert done.returncode == 0, done.stderr
    output, summary = tmp_path / "output", tmp_path / "summary.md"
    done = bash(
        _step(jobs["merge"], "Merge and check"),
        workspace,
        RUNNER_TEMP=str(runner_temp),
        SCAN_PATH=".",
        POLICY="permissive-only",
        FAIL_ON="deny",
        GITHUB_OUTPUT=str(output),
        GITHUB_STEP_SUMMARY=str(summary),
    )
    assert done.returncode == 0, done.stderr  # the failing comes last, after the uploads
    assert output.read_text(encoding="utf-8") == "exit-code=1\n"  # npm_app has a GPL package
    assert json.loads((workspace / "ospo-scan.sarif").read_text(encoding="utf-8"))["runs"]
    assert summary.read_text(encoding="utf-8").lstrip().startswith("#")
    single = single_scan(workspace, tmp_path / "single.json", "-j", "1", "--exclude", "/ospo-scan*")
    merged = comparable(workspace / "ospo-scan-result.json")
    expected = comparable(single)
    # The one-process scan ran after the merge wrote into the workspace: it leaves those out.
    expected["scan"]["options"]["excludes"] = merged["scan"]["options"]["excludes"]
    assert merged == expected


def test_the_gitlab_template_is_valid_and_its_jobs_run(tmp_path: Path) -> None:
    done = validate(
        str(BIN / "check-jsonschema"), "--builtin-schema", "vendor.gitlab-ci", str(GITLAB)
    )
    assert done.returncode == 0, done.stdout + done.stderr
    template = yaml.safe_load(GITLAB.read_text(encoding="utf-8"))
    shard_job, merge_job = template["ospo-scan-shard"], template["ospo-scan-merge"]
    (matrix,) = shard_job["parallel"]["matrix"]
    variables = template[".ospo-scan-sharded"]["variables"]
    assert len(matrix["OSPO_SCAN_SHARD"]) == int(variables["OSPO_SCAN_SHARDS"])
    assert merge_job["needs"] == [{"job": "ospo-scan-shard", "artifacts": True}]
    assert merge_job["artifacts"]["reports"]["codequality"] == "gl-code-quality-report.json"

    project = Path(shutil.copytree(NPM_APP, tmp_path / "project", symlinks=True))
    venv = tmp_path / "venv"
    (venv / "bin").mkdir(parents=True)
    (venv / "bin" / "ospo-scan").symlink_to(BIN / "ospo-scan")

    def script(job: dict[str, Any]) -> str:
        return "\n".join(job["script"]).replace("/tmp/ospo-scan-venv", str(venv))

    env = {
        "OSPO_SCAN_PATH": ".",
        "OSPO_SCAN_SHARDS": "2",
        "OSPO_SCAN_SCAN_ARGS": "-j 1",
        "OSPO_SCAN_POLICY": "permissive-only",
        "OSPO_SCAN_FAIL_ON": "deny",
        "OSPO_SCAN_CACHE_DIR": str(project / ".ospo-scan-cache"),
    }
    for shard in ("1", "2"):
        done = bash(script(shard_job), project, OSPO_SCAN_SHARD=shard, **env)
        assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in (project / ".ospo-scan-parts").iterdir()) == [
        "part-1.json",
        "part-2.json",
    ]
    done = bash(script(merge_job), project, **env)
    assert done.returncode == 1, done.stderr  # a denied license: the job fails, reports written
    assert json.loads((project / "gl-code-quality-report.json").read_text(encoding="utf-8"))
    assert (project / "ospo-scan-junit.xml").is_file()
    paths = {
        f["path"] for f in json.loads((project / "ospo-scan-result.json").read_text())["files"]
    }
    assert "package.json" in paths
    assert not any(p.startswith(".ospo-scan") for p in paths)


def test_the_kubernetes_jobs_are_valid_and_run(tmp_path: Path) -> None:
    done = validate(str(BIN / "kubernetes-validate"), "--strict", str(KUBERNETES))
    assert done.returncode == 0, done.stdout + done.stderr
    shards, merge = list(yaml.safe_load_all(KUBERNETES.read_text(encoding="utf-8")))
    assert shards["kind"] == merge["kind"] == "Job"
    assert shards["spec"]["completionMode"] == "Indexed"
    (container,) = shards["spec"]["template"]["spec"]["containers"]
    count = {e["name"]: e["value"] for e in container["env"]}["OSPO_SCAN_SHARDS"]
    assert shards["spec"]["completions"] == shards["spec"]["parallelism"] == int(count)

    # The validator is not a rubber stamp: a misspelt field fails it.
    broken = tmp_path / "broken.yaml"
    shards_typo = json.loads(json.dumps(shards))
    shards_typo["spec"]["completionsMode"] = shards_typo["spec"].pop("completionMode")
    broken.write_text(yaml.safe_dump(shards_typo), encoding="utf-8")
    assert validate(str(BIN / "kubernetes-validate"), "--strict", str(broken)).returncode != 0

    # The pods' scripts, on a volume at tmp_path/work; two shards, then the merge.
    work = tmp_path / "work"
    shutil.copytree(NPM_APP, work / "tree", symlinks=True)

    folders = {"work": work, "tmp/cache": tmp_path / "cache"}

    for index in ("0", "1"):
        done = bash(
            pod_script(shards, **folders),
            tmp_path,
            JOB_COMPLETION_INDEX=index,
            OSPO_SCAN_SHARDS="2",
        )
        assert done.returncode == 0, done.stderr
    done = bash(
        pod_script(merge, **folders), tmp_path, OSPO_SCAN_SHARDS="2", OSPO_SCAN_POLICY="default"
    )
    assert done.returncode in (0, 1), done.stderr
    assert json.loads((work / "check.json").read_text(encoding="utf-8"))["findings"]
    assert (work / "cache" / "findings.jsonl.gz").is_file()
    single = single_scan(work / "tree", tmp_path / "single.json")
    assert comparable(work / "result.json") == comparable(single)


def pod_script(job: dict[str, Any], **paths: Path) -> str:
    """The pod's script with this environment's ospo-scan and ``paths`` for its folders."""
    (pod,) = job["spec"]["template"]["spec"]["containers"]
    lines = [line for line in pod["args"][0].splitlines() if "pip install" not in line]
    text = "\n".join(line for line in lines if "python -m venv" not in line)
    text = text.replace("/tmp/venv/bin/ospo-scan", "@OSPO_SCAN@")
    for folder, place in paths.items():
        text = text.replace(f"/{folder}", str(place))
    return text.replace("@OSPO_SCAN@", str(BIN / "ospo-scan"))


def test_the_kubernetes_fleet_is_valid_and_runs(tmp_path: Path) -> None:
    done = validate(str(BIN / "kubernetes-validate"), "--strict", str(FLEET))
    assert done.returncode == 0, done.stdout + done.stderr
    config, scans, inventory = list(yaml.safe_load_all(FLEET.read_text(encoding="utf-8")))
    names = config["data"]["repositories"].split()
    assert scans["spec"]["completionMode"] == "Indexed"
    assert scans["spec"]["completions"] == scans["spec"]["parallelism"] == len(names)

    work, fleet = tmp_path / "work", tmp_path / "fleet"
    fleet.mkdir()
    (fleet / "repositories").write_text("shop\nbilling\n", encoding="utf-8")
    shutil.copytree(NPM_APP, work / "repos" / "shop", symlinks=True)
    shutil.copytree(PY_APP, work / "repos" / "billing", symlinks=True)
    folders = {"work": work, "fleet": fleet, "tmp/cache": tmp_path / "cache"}
    for index in ("0", "1"):
        done = bash(pod_script(scans, **folders), tmp_path, JOB_COMPLETION_INDEX=index)
        assert done.returncode == 0, done.stderr
    done = bash(pod_script(inventory, **folders), tmp_path, OSPO_SCAN_POLICY="default")
    assert done.returncode == 1, done.stderr  # the npm project has a denied license
    assert "Inventory of 2 repositories" in done.stdout
    document = json.loads((work / "inventory.json").read_text(encoding="utf-8"))
    assert [r["name"] for r in document["inventory"]["repositories"]] == ["shop", "billing"]
    report = json.loads((work / "check.json").read_text(encoding="utf-8"))
    assert {f["path"].split("/")[0] for f in report["findings"]} == {"shop", "billing"}
