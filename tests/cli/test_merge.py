# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""``ospo-scan scan --shard K/N`` and ``ospo-scan merge`` on the command line.

The merged result is the one-process result; ``check`` and ``sbom`` take it; parts that do
not make one scan (another tree, other options, another version, a shard missing or twice,
a truncated part) exit 2 with one line naming the part, and write nothing.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from click.testing import CliRunner, Result

from ospo_scan.cli.main import main
from ospo_scan.document import result_schema

PACKAGES = Path(__file__).parents[1] / "data" / "packages"


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def comparable(path: Path) -> dict[str, Any]:
    data = json.loads(path.read_text(encoding="utf-8"))
    for key in ("started_at", "finished_at"):
        data["scan"].pop(key)
    data["summary"].pop("elapsed_seconds")
    data.pop("shards", None)
    return data


@pytest.fixture(scope="module")
def work(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A tree of the npm and Python fixtures, its one-process result and its 3 parts."""
    work = tmp_path_factory.mktemp("merge")
    tree = work / "tree"
    shutil.copytree(PACKAGES / "npm_app", tree / "npm_app", symlinks=True)
    shutil.copytree(PACKAGES / "py_app", tree / "py_app", symlinks=True)
    done = run("scan", "-q", "-j", "1", "-o", str(work / "single.json"), str(tree))
    assert done.exit_code == 0, done.stderr
    for k in (1, 2, 3):
        part = work / f"part-{k}.json"
        done = run("scan", "-j", "1", "--shard", f"{k}/3", "-o", str(part), str(tree))
        assert done.exit_code == 0, done.stderr
        assert f"shard {k}/3:" in done.stderr
    return work


def parts(work: Path, *numbers: int) -> list[str]:
    return [str(work / f"part-{k}.json") for k in numbers]


def test_merge_gives_the_single_result(work: Path, tmp_path: Path) -> None:
    merged = tmp_path / "merged.json"
    done = run("merge", *parts(work, 3, 1, 2), "-o", str(merged))
    assert done.exit_code == 0, done.stderr
    assert "merged 3 parts" in done.stderr
    document = json.loads(merged.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(result_schema()).validate(document)
    assert [s["shard"] for s in document["shards"]] == ["1/3", "2/3", "3/3"]
    assert comparable(merged) == comparable(work / "single.json")
    assert document["summary"]["packages"] > 3


def test_check_and_sbom_take_the_merged_result(work: Path, tmp_path: Path) -> None:
    merged = tmp_path / "merged.json"
    assert run("merge", "-q", *parts(work, 1, 2, 3), "-o", str(merged)).exit_code == 0
    single = run("check", "--format", "json", str(work / "single.json"))
    checked = run("check", "--format", "json", str(merged))
    assert checked.exit_code == single.exit_code
    assert checked.exit_code in (0, 1), checked.stderr
    assert json.loads(checked.stdout)["findings"] == json.loads(single.stdout)["findings"]
    sbom = tmp_path / "merged.cdx.json"
    done = run("sbom", "--format", "cyclonedx-json", "-o", str(sbom), str(merged))
    assert done.exit_code == 0, done.stderr
    components = json.loads(sbom.read_text(encoding="utf-8"))["components"]
    assert any(c["name"] == "left-pad" for c in components)


def failure(done: Result, *named: str) -> str:
    """The one error line of a command that must exit 2, checked to name ``named``."""
    assert done.exit_code == 2, done.stderr
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("ospo-scan: error: ")
    assert "Traceback" not in done.stderr
    for name in named:
        assert name in lines[0]
    return lines[0]


@pytest.fixture
def untouched(tmp_path: Path) -> Path:
    """An output file that a failed merge must leave as it was."""
    out = tmp_path / "out.json"
    out.write_text("yesterday\n", encoding="utf-8")
    return out


def test_a_part_of_another_tree(work: Path, tmp_path: Path, untouched: Path) -> None:
    other = tmp_path / "tree"
    shutil.copytree(work / "tree", other, symlinks=True)
    (other / "npm_app" / "index.js").write_text("// changed\n", encoding="utf-8")
    stray = tmp_path / "stray-2.json"
    assert (
        run("scan", "-q", "-j", "1", "--shard", "2/3", "-o", str(stray), str(other)).exit_code == 0
    )
    line = failure(run("merge", *parts(work, 1, 3), str(stray), "-o", str(untouched)), str(stray))
    assert "another tree" in line
    assert untouched.read_text(encoding="utf-8") == "yesterday\n"


def test_a_part_with_other_options(work: Path, tmp_path: Path, untouched: Path) -> None:
    stray = tmp_path / "stray-2.json"
    done = run(
        "scan", "-q", "-j", "1", "--timeout", "60", "--shard", "2/3", "-o", str(stray),
        str(work / "tree"),
    )  # fmt: skip
    assert done.exit_code == 0, done.stderr
    line = failure(run("merge", *parts(work, 1, 3), str(stray), "-o", str(untouched)), str(stray))
    assert "other options" in line
    assert "timeout=60.0" in line
    assert untouched.read_text(encoding="utf-8") == "yesterday\n"


def edited(source: Path, dest: Path, change: Any) -> Path:
    data = json.loads(source.read_text(encoding="utf-8"))
    change(data)
    dest.write_text(json.dumps(data), encoding="utf-8")
    return dest


def test_a_part_of_another_version(work: Path, tmp_path: Path) -> None:
    def older(data: dict[str, Any]) -> None:
        data["tool"]["version"] = "0.0.1"

    stray = edited(work / "part-2.json", tmp_path / "old-2.json", older)
    line = failure(run("merge", *parts(work, 1, 3), str(stray)), str(stray))
    assert "version='0.0.1'" in line


def test_a_part_of_another_license_index(work: Path, tmp_path: Path) -> None:
    def other_data(data: dict[str, Any]) -> None:
        data["tool"]["license_index"] = "scancode-toolkit-32.5.0:1-rules:0000"

    stray = edited(work / "part-1.json", tmp_path / "odd-1.json", other_data)
    line = failure(run("merge", str(stray), *parts(work, 2, 3)), str(stray))
    assert "another engine" in line
    assert "1-rules" in line


def test_a_missing_shard(work: Path, untouched: Path) -> None:
    line = failure(run("merge", *parts(work, 1, 3), "-o", str(untouched)), "2/3")
    assert "missing" in line
    assert untouched.read_text(encoding="utf-8") == "yesterday\n"


def test_a_doubled_shard(work: Path, tmp_path: Path) -> None:
    again = tmp_path / "again-2.json"
    shutil.copy(work / "part-2.json", again)
    line = failure(run("merge", *parts(work, 1, 2, 3), str(again)), str(again))
    assert "twice" in line


def test_a_truncated_part(work: Path, tmp_path: Path, untouched: Path) -> None:
    text = (work / "part-3.json").read_text(encoding="utf-8")
    cut = tmp_path / "cut-3.json"
    cut.write_text(text[: len(text) // 2], encoding="utf-8")
    line = failure(run("merge", *parts(work, 1, 2), str(cut), "-o", str(untouched)), str(cut))
    assert "truncated" in line
    assert untouched.read_text(encoding="utf-8") == "yesterday\n"


def test_a_part_with_records_removed(work: Path, tmp_path: Path) -> None:
    def fewer(data: dict[str, Any]) -> None:
        data["files"] = data["files"][1:]
        data["package_data"] = {}

    thin = edited(work / "part-2.json", tmp_path / "thin-2.json", fewer)
    line = failure(run("merge", *parts(work, 1, 3), str(thin)))
    assert "incomplete" in line


def test_a_result_is_not_a_part(work: Path) -> None:
    single = str(work / "single.json")
    line = failure(run("merge", single, *parts(work, 2, 3)), single)
    assert "not a part" in line


@pytest.mark.parametrize("spec", ["4/3", "0/3", "two"])
def test_bad_shard_option(work: Path, spec: str) -> None:
    line = failure(run("scan", "--shard", spec, str(work / "tree")))
    assert "--shard" in line


def test_shard_refuses_a_part_inside_the_tree_and_packages_only(work: Path) -> None:
    tree = work / "tree"
    line = failure(run("scan", "--shard", "1/2", "-o", str(tree / "part.json"), str(tree)))
    assert "outside the scanned tree" in line
    assert not (tree / "part.json").exists()
    line = failure(run("scan", "--shard", "1/2", "--packages-only", str(tree)))
    assert "--packages-only" in line


def test_parts_of_another_release_are_merged_by_that_release(work: Path, tmp_path: Path) -> None:
    def older(data: dict[str, Any]) -> None:
        data["tool"]["version"] = "0.0.1"

    old = [
        str(edited(work / f"part-{k}.json", tmp_path / f"old-{k}.json", older)) for k in (1, 2, 3)
    ]
    line = failure(run("merge", *old), old[0])
    assert "written by ospo-scan 0.0.1" in line


def test_a_part_may_go_into_an_excluded_folder_of_the_tree(work: Path, tmp_path: Path) -> None:
    tree = tmp_path / "tree"
    shutil.copytree(work / "tree", tree, symlinks=True)
    (tree / ".parts").mkdir()  # as in GitLab, where artifacts must be inside the project
    outputs = []
    for k in (1, 2):
        outputs.append(str(tree / ".parts" / f"part-{k}.json"))
        done = run(
            "scan", "-q", "-j", "1", "--exclude", "/.parts/", "--shard", f"{k}/2",
            "-o", outputs[-1], str(tree),
        )  # fmt: skip
        assert done.exit_code == 0, done.stderr
    merged = tmp_path / "merged.json"
    assert run("merge", "-q", *outputs, "-o", str(merged)).exit_code == 0
    paths = {f["path"] for f in json.loads(merged.read_text(encoding="utf-8"))["files"]}
    assert paths
    assert not any(p.startswith(".parts") for p in paths)
