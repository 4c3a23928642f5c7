# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""``ospo-scan scan`` and ``--version`` through the command line."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner, Result
from rich.console import Console

from ospo_scan import __version__
from ospo_scan.cli import _common
from ospo_scan.cli._console import ProgressBar, show_progress
from ospo_scan.cli.main import main
from ospo_scan.document import result_schema
from ospo_scan.formats import registry
from ospo_scan.formats.base import Output
from scan_support import deep_tree


def run(*args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(main, list(args), env=env)


def test_version() -> None:
    result = run("--version")
    assert result.exit_code == 0
    assert result.stdout == f"ospo-scan {__version__} (scancode-toolkit 32.5.0)\n"


def test_json_to_stdout_and_summary_to_stderr(fake_repo: Path) -> None:
    result = run("scan", "-j", "1", "--format", "json", str(fake_repo))
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    jsonschema.Draft202012Validator(result_schema()).validate(document)
    by_path = {f["path"]: f for f in document["files"]}
    assert by_path["LICENSE-APACHE"]["license_expression_spdx"] == "Apache-2.0"
    assert by_path["src/lib.py"]["license_detections"][0]["kind"] == "tag"
    assert result.stderr.startswith("ospo-scan: ")
    assert "with licenses" in result.stderr


def test_not_a_terminal_defaults_to_json(fake_repo: Path) -> None:
    result = run("scan", "-j", "1", "-q", str(fake_repo))
    assert result.exit_code == 0
    assert json.loads(result.stdout)["summary"]["files"] > 0
    assert result.stderr == ""  # --quiet: nothing but the result


def test_table_escapes_markup_and_lists_findings(fake_repo: Path) -> None:
    result = run("scan", "-j", "1", "-q", "--format", "table", str(fake_repo))
    assert result.exit_code == 0
    out = result.stdout
    assert "src/[id]/page.py" in out  # a path that looks like markup stays as it is
    assert "Bracket Works Inc." in out
    assert "MIT OR Apache-2.0" in out
    assert "GPL-3.0-only" in out
    assert "data/logo.png" in out
    assert "binary" in out
    assert "\x1b[" not in out  # no colour codes when not at a terminal


def test_output_file_is_written_atomically(fake_repo: Path, tmp_path: Path) -> None:
    target = tmp_path / "result.json"
    result = run("scan", "-j", "1", "-q", "-o", str(target), str(fake_repo))
    assert result.exit_code == 0
    assert result.stdout == ""
    assert json.loads(target.read_text())["scan"]["root"] == str(fake_repo)
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != "fake_repo") == ["result.json"]


def test_interrupted_run_keeps_the_old_output(
    fake_repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "result.json"
    target.write_text('{"old": "and good"}\n')

    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(_common, "scan", interrupted)
    result = run("scan", "-q", "-o", str(target), str(fake_repo))
    assert result.exit_code == 130
    assert "nothing was written" in result.stderr
    assert target.read_text() == '{"old": "and good"}\n'


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["scan", "/no/such/path"], "does not exist"),
        (["scan", "--jobs", "0", "."], "--jobs"),
        (["scan", "--max-file-size", "huge", "."], "is not a size"),
        (["scan", "--format", "yaml", "."], "--format"),
        (["scan", "--timeout", "-1", "."], "--timeout"),
        (["frobnicate"], "No such command"),
    ],
)
def test_usage_errors_exit_2_without_traceback(args: list[str], message: str) -> None:
    result = run(*args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""


def test_unwritable_output_exits_2(fake_repo: Path, tmp_path: Path) -> None:
    result = run("scan", "-j", "1", "-q", "-o", str(tmp_path / "no" / "x.json"), str(fake_repo))
    assert result.exit_code == 2
    assert result.stderr.startswith("ospo-scan: error: cannot write")


def test_unwritable_output_is_found_before_the_scan(
    fake_repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_scan(*args: object, **kwargs: object) -> None:
        raise AssertionError("the scan ran before the output was checked")

    monkeypatch.setattr(_common, "scan", no_scan)
    out = tmp_path / "out"
    out.mkdir()
    for command in (["scan"], ["check"], ["sbom"]):
        folder_as_output = run(*command, "-q", "-o", str(out), str(fake_repo))
        assert folder_as_output.exit_code == 2, folder_as_output.stderr
        assert "is a directory" in folder_as_output.stderr  # Click's own check
        missing = run(*command, "-q", "-o", str(out / "no" / "x.json"), str(fake_repo))
        assert missing.exit_code == 2
        assert "cannot write" in missing.stderr
    out.chmod(0o500)  # read-only folder: the probe write fails
    try:
        if not os.access(out, os.W_OK):  # root may write anyway
            read_only = run("scan", "-q", "-o", str(out / "x.json"), str(fake_repo))
            assert read_only.exit_code == 2
            assert "cannot write" in read_only.stderr
    finally:
        out.chmod(0o700)
    assert list(out.iterdir()) == []  # the probe left nothing behind


def test_bad_source_date_epoch_is_found_before_the_scan(
    fake_repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_scan(*args: object, **kwargs: object) -> None:
        raise AssertionError("the scan ran before SOURCE_DATE_EPOCH was checked")

    monkeypatch.setattr(_common, "scan", no_scan)
    result = run("sbom", "-q", str(fake_repo), env={"SOURCE_DATE_EPOCH": "yesterday"})
    assert result.exit_code == 2
    assert "SOURCE_DATE_EPOCH must be a whole number" in result.stderr


def test_max_file_size_option(fake_repo: Path) -> None:
    result = run("scan", "-j", "1", "-q", "--max-file-size", "1K", str(fake_repo))
    assert result.exit_code == 0
    files = {f["path"]: f for f in json.loads(result.stdout)["files"]}
    assert [i["kind"] for i in files["LICENSE-APACHE"]["issues"]] == ["too_large"]
    assert files["src/lib.py"]["status"] == "scanned"


def test_parallel_jobs_through_the_cli(fake_repo: Path) -> None:
    one = json.loads(run("scan", "-j", "1", "-q", str(fake_repo)).stdout)
    two = json.loads(run("scan", "-j", "2", "-q", str(fake_repo)).stdout)
    assert one["files"] == two["files"]


def test_every_format_renders(fake_repo: Path) -> None:
    for name in registry.names(Output.SCAN):
        result = run("scan", "-j", "1", "-q", "--format", name, str(fake_repo))
        assert result.exit_code == 0, name
        assert result.stdout.strip(), name


@pytest.mark.parametrize(
    ("env", "quiet", "terminal", "shown"),
    [
        ({}, False, True, True),
        ({}, True, True, False),
        ({}, False, False, False),
        ({"NO_COLOR": "1"}, False, True, False),
        ({"CI": "true"}, False, True, False),
    ],
)
def test_progress_bar_only_for_people(
    monkeypatch: pytest.MonkeyPatch, env: dict[str, str], quiet: bool, terminal: bool, shown: bool
) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("CI", raising=False)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    console = Console(force_terminal=terminal)
    assert show_progress(quiet, console) is shown


def test_quiet_scan_of_text_that_beautiful_soup_cannot_decode(tmp_path: Path) -> None:
    """ScanCode's markup stripping warns through Beautiful Soup's logger; --quiet stays quiet.

    In a real process: under pytest a logging handler would swallow the warning anyway.
    """
    (tmp_path / "table.json").write_text('["' + "가각간갈" * 300 + '"]\n', encoding="utf-8")
    command = [sys.executable, "-m", "ospo_scan", "scan", "--quiet", "--no-cache", str(tmp_path)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    assert json.loads(done.stdout)["files"][0]["status"] == "scanned"


def test_progress_bar_draws_on_stderr() -> None:
    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=True, width=100)
    with ProgressBar(console) as bar:
        bar.start(2)
        bar.advance("a")
        bar.advance("b")
    assert "scanning" in buffer.getvalue()


def test_a_warm_quiet_json_scan_imports_neither_rich_nor_scancode(tmp_path: Path) -> None:
    """A warm re-scan takes a fraction of a second, and imports were a third of it."""
    tree = tmp_path / "tree"
    tree.mkdir()
    (tree / "a.c").write_text("// SPDX-License-Identifier: MIT\n", encoding="utf-8")
    code = (
        "import sys\n"
        "from ospo_scan.cli.main import main\n"
        "try:\n"
        f"    main(['scan', '-q', '-f', 'json', '-o', {str(tmp_path / 'out.json')!r}, "
        f"{str(tree)!r}])\n"
        "except SystemExit as exit:\n"
        "    assert exit.code == 0, exit.code\n"
        "heavy = ('rich', 'multiprocessing', 'pathspec', 'importlib.metadata', 'licensedcode')\n"
        "print(sorted(m for m in heavy if m in sys.modules))\n"
    )
    runs = [
        subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        ).stdout.strip()
        for _ in range(2)
    ]
    assert "licensedcode" in runs[0]  # cold: the engine ran
    assert runs[1] == "[]"
    document = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))
    assert document["files"][0]["license_expression_spdx"] == "MIT"


def test_scan_of_a_tree_ten_thousand_folders_deep_reaches_the_bottom(tmp_path: Path) -> None:
    with deep_tree(tmp_path, 10_000):  # the full path outgrows PATH_MAX a fifth of the way
        result = run("scan", "-j", "1", "--no-cache", "--format", "json", str(tmp_path))
    assert result.exit_code == 0, result.stderr
    (record,) = json.loads(result.stdout)["files"]
    assert record["path"] == "d/" * 10_000 + "bottom.py"
    assert record["status"] == "scanned"
    assert record["issues"] == []
    assert record["license_expression_spdx"] == "MIT"
    assert "Traceback" not in result.stderr
