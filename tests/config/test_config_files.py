# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""Finding a folder's configuration, and the key lines of TOML (which tomllib does not keep)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from ospo_scan.config.discover import find_config
from ospo_scan.config.files import toml_lines
from ospo_scan.errors import ConfigError


def test_toml_lines_follow_tables_dotted_keys_and_skip_multiline_strings() -> None:
    text = (
        '[project]\nname = "x"\ndescription = """\njobs = 3\n"""\n'  # 1-5
        "[tool.ospo-scan]\n"  # 6
        "jobs = 2\n"  # 7
        'exclude = [\n  "a",\n]\n'  # 8-10
        "[ tool . 'ospo-scan' . check ]\n"  # 11
        'fail-on = "review"  # comment\n'  # 12
        'sbom.format = "spdx-json"\n'  # 13
    )
    lines = toml_lines(text)
    assert lines["project.name"] == 2
    assert "project.jobs" not in lines  # inside a string
    assert lines["tool.ospo-scan"] == 6
    assert lines["tool.ospo-scan.jobs"] == 7
    assert lines["tool.ospo-scan.exclude"] == 8
    assert lines["tool.ospo-scan.check"] == 11
    assert lines["tool.ospo-scan.check.fail-on"] == 12
    assert lines["tool.ospo-scan.check.sbom.format"] == 13


def test_find_config(tmp_path: Path) -> None:
    assert find_config(tmp_path) is None
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n', encoding="utf-8")
    assert find_config(tmp_path) is None  # not even parsed
    (tmp_path / "pyproject.toml").write_text("[tool.ospo-scan]\n", encoding="utf-8")
    found = find_config(tmp_path)
    assert found is not None
    assert (found.yaml, found.pyproject) == (None, tmp_path / "pyproject.toml")
    (tmp_path / ".ospo-scan.yaml").write_text("", encoding="utf-8")
    found = find_config(tmp_path)
    assert found is not None
    assert found.yaml == tmp_path / ".ospo-scan.yaml"
    (tmp_path / ".ospo-scan.yml").mkdir()  # a folder of that name is one too many as well
    with pytest.raises(ConfigError, match="both configure ospo-scan"):
        find_config(tmp_path)


def test_a_scan_without_a_config_never_imports_the_loader(tmp_path: Path) -> None:
    """Every scan looks for a configuration; only one that finds it pays for the parsers."""
    probe = (
        "import sys, click; from ospo_scan.cli.main import main\n"
        f"ctx = click.Context(main, info_name='ospo-scan'); ctx.params = {{}}\n"
        f"name, command, rest = main.resolve_command(ctx, ['scan', {str(tmp_path)!r}])\n"
        "assert name == 'scan' and ctx.default_map is None\n"
        "print(sorted(m for m in sys.modules if m.startswith(('ospo_scan.config', "
        "'ospo_scan.policy', 'yaml', 'tomllib'))))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout
    assert "ospo_scan.config.load" not in out
    assert "'yaml'" not in out
    assert "tomllib" not in out
    assert "ospo_scan.config.discover" in out
