# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""The shipped JSON Schemas: generated from the code, and what check-jsonschema makes of files.

Regenerate after changing an option or a policy key:
``ospo-scan config schema config > src/ospo_scan/schemas/ospo-scan-config.schema.json``,
``ospo-scan config schema policy > src/ospo_scan/schemas/ospo-scan-policy.schema.json`` and
``ospo-scan config schema curations > src/ospo_scan/schemas/ospo-scan-curations.schema.json``.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from importlib import resources
from pathlib import Path

import pytest
from click.testing import CliRunner

from ospo_scan.cli.main import main
from ospo_scan.config.schema import SCHEMA_FILES
from ospo_scan.formats import registry
from ospo_scan.formats.base import Output
from ospo_scan.policy.curations import curations_from_file
from ospo_scan.policy.load import policy_from_file
from ospo_scan.policy.shipped import shipped_policies
from ospo_scan.policy.starter import STARTER_CONFIG, STARTER_POLICY

README = Path(__file__).parents[2] / "README.md"
CHECK_JSONSCHEMA = Path(sys.executable).parent / "check-jsonschema"


def shipped_schema(which: str) -> Path:
    return Path(str(resources.files("ospo_scan").joinpath(f"schemas/{SCHEMA_FILES[which]}")))


def check_jsonschema(which: str, *files: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(CHECK_JSONSCHEMA), "--schemafile", str(shipped_schema(which)), *map(str, files)],
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.parametrize("which", ["config", "policy", "curations"])
def test_the_shipped_schema_is_the_generated_one(which: str) -> None:
    result = CliRunner().invoke(main, ["config", "schema", which])
    assert result.exit_code == 0, result.stderr
    assert shipped_schema(which).read_text(encoding="utf-8") == result.stdout, (
        f"regenerate: ospo-scan config schema {which} > src/ospo_scan/schemas/{SCHEMA_FILES[which]}"
    )
    schema = json.loads(result.stdout)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_the_config_schema_knows_every_option_and_the_sections() -> None:
    schema = json.loads(shipped_schema("config").read_text(encoding="utf-8"))
    top = schema["properties"]
    assert {"policy", "exclude", "jobs", "fail-on", "max-file-size", "quiet"} <= set(top)
    assert "format" not in top  # other choices in each command: sections only
    assert top["jobs"]["minimum"] == 1
    assert top["fail-on"]["enum"] == ["deny", "review"]
    check_formats = set(schema["properties"]["check"]["properties"]["format"]["enum"])
    assert check_formats == set(registry.names(Output.CHECK))
    assert {"json", "junit", "markdown", "sarif", "table", "codequality"} <= check_formats
    assert schema["additionalProperties"] is False


def readme_config_example() -> str:
    text = README.read_text(encoding="utf-8")
    section = text[text.index("## Configuration") :]
    match = re.search(r"```yaml\n(.*?)```", section, re.DOTALL)
    assert match is not None
    return match.group(1)


def test_shipped_policies_and_the_starter_validate(tmp_path: Path) -> None:
    shipped = [
        shipped_schema("policy").parent.parent / "policies" / f"{n}.yml" for n in shipped_policies()
    ]
    starter = tmp_path / "starter.yml"
    starter.write_text(STARTER_POLICY.format(filename="starter.yml"), encoding="utf-8")
    policy_from_file(starter)
    result = check_jsonschema("policy", *shipped, starter)
    assert result.returncode == 0, result.stdout + result.stderr


def test_example_configs_validate_with_the_schema_and_the_loader(tmp_path: Path) -> None:
    readme = tmp_path / "readme" / ".ospo-scan.yml"
    readme.parent.mkdir()
    readme.write_text(readme_config_example(), encoding="utf-8")
    (readme.parent / "ospo-scan-policy.yml").write_text("version: 1\n", encoding="utf-8")
    starter = tmp_path / "starter" / ".ospo-scan.yml"
    starter.parent.mkdir()
    starter.write_text(STARTER_CONFIG.format(policy="p.yml"), encoding="utf-8")
    result = check_jsonschema("config", readme, starter)
    assert result.returncode == 0, result.stdout + result.stderr
    for config in (readme, starter):
        shown = CliRunner().invoke(main, ["config", "show", "-f", "json", str(config.parent)])
        assert shown.exit_code == 0, shown.stderr
        assert json.loads(shown.stdout)["config_file"] == str(config)


def test_the_pyproject_table_validates_as_json(tmp_path: Path) -> None:
    table = {"policy": "ospo-scan-policy.yml", "exclude": ["vendor/**"], "check": {"jobs": 2}}
    document = tmp_path / "table.json"
    document.write_text(json.dumps(table), encoding="utf-8")
    assert check_jsonschema("config", document).returncode == 0


def test_invalid_files_fail(tmp_path: Path) -> None:
    config = tmp_path / ".ospo-scan.yml"
    config.write_text("exlude: [x]\njobs: two\ncheck:\n  format: spdx-json\n", encoding="utf-8")
    result = check_jsonschema("config", config)
    assert result.returncode == 1
    assert "'exlude' was unexpected" in result.stdout
    assert "'two' is not of type 'integer'" in result.stdout
    assert "'spdx-json' is not one of" in result.stdout
    policy = tmp_path / "policy.yml"
    policy.write_text(
        "version: 2\ncategories:\n  allow: [Permisive]\nwaivers:\n  - paths: [a/**]\n"
        "    expires: someday\nunknown: maybe\n",
        encoding="utf-8",
    )
    result = check_jsonschema("policy", policy)
    assert result.returncode == 1
    for expected in (
        "$.version: 1 was expected",
        "'reason' is a required property",
        "'maybe' is not one of ['allow', 'review', 'deny']",
        "'someday' does not match",
    ):
        assert expected in result.stdout, result.stdout


CURATIONS = """\
  - purl: pkg:npm/left-pad@1.3.0
    license: MIT OR Apache-2.0
    reason: relicensed upstream
    approved_by: Jane Doe <jane@example.org>
    expires: 2027-06-30
    license_files:
      - path: LICENSE
        sha256: 3b1f0000000000000000000000000000000000000000000000000000000000e9
  - path: vendor/foo/**
    license: MIT
    reason: the vendored copy carries no header
    approved_by: Jane Doe
"""


def test_curations_validate_with_the_schemas_and_the_loaders(tmp_path: Path) -> None:
    policy = tmp_path / "policy.yml"
    policy.write_text(f"version: 1\ncurations:\n{CURATIONS}", encoding="utf-8")
    curations = tmp_path / "curations.yml"
    curations.write_text(f"curations:\n{CURATIONS}", encoding="utf-8")
    assert len(policy_from_file(policy).curations) == 2
    assert len(curations_from_file(curations)) == 2
    assert check_jsonschema("policy", policy).returncode == 0
    result = check_jsonschema("curations", curations)
    assert result.returncode == 0, result.stdout + result.stderr


def test_invalid_curations_fail_the_schema(tmp_path: Path) -> None:
    curations = tmp_path / "curations.yml"
    curations.write_text(
        "curations:\n  - purl: pkg:npm/x\n    path: a/**\n    license: MIT\n"
        "    license_files:\n      - path: LICENSE\n        sha256: abc\n",
        encoding="utf-8",
    )
    result = check_jsonschema("curations", curations)
    assert result.returncode == 1
    for expected in ("'reason' is a required property", "'abc' does not match"):
        assert expected in result.stdout, result.stdout
