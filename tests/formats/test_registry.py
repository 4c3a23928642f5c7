# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""The format registry: every output's formats, the CLI's choices and the -o suffixes."""

from __future__ import annotations

from pathlib import Path

import click
import pytest

from ospo_scan.cli.main import main
from ospo_scan.formats import registry
from ospo_scan.formats.base import FormatSpec, Output
from ospo_scan.sbom import SBOM_FORMATS


@pytest.mark.parametrize("spec", registry.FORMATS, ids=lambda s: f"{s.output.value}-{s.name}")
def test_every_registered_format_loads_and_says_who_reads_it(spec: FormatSpec) -> None:
    formatter = registry.get(spec.output, spec.name)
    assert formatter.for_humans is spec.for_humans
    assert callable(formatter.render)


def test_names_are_unique_per_output() -> None:
    keys = [(spec.output, spec.name) for spec in registry.FORMATS]
    assert len(keys) == len(set(keys))


def test_every_output_has_defaults_among_its_own_formats() -> None:
    assert set(registry.DEFAULTS) == set(Output)
    for output, defaults in registry.DEFAULTS.items():
        names = registry.names(output)
        assert {defaults.terminal, defaults.pipe, defaults.file} <= set(names), output


def test_the_sbom_formats_are_what_the_sbom_writers_write() -> None:
    assert set(registry.names(Output.SBOM)) == set(SBOM_FORMATS)


@pytest.mark.parametrize(
    ("command", "output"),
    [
        ("scan", Output.SCAN),
        ("check", Output.CHECK),
        ("sbom", Output.SBOM),
        ("notice", Output.NOTICE),
    ],
)
def test_the_cli_choices_are_the_registry(command: str, output: Output) -> None:
    found = main.get_command(click.Context(main), command)
    assert found is not None
    option = next(p for p in found.params if p.name == "format_name")
    assert isinstance(option.type, click.Choice)
    assert tuple(option.type.choices) == registry.names(output)


@pytest.mark.parametrize(
    ("output", "file_name", "expected"),
    [
        (Output.SCAN, "result.json", "json"),
        (Output.SCAN, "result.TXT", "table"),
        (Output.SCAN, "result.text", "table"),
        (Output.SCAN, "result.out", None),
        (Output.CHECK, "report.sarif", "sarif"),
        (Output.CHECK, "report.sarif.json", "sarif"),
        (Output.CHECK, "report.json", "json"),
        (Output.CHECK, "junit.xml", "junit"),
        (Output.CHECK, "comment.md", "markdown"),
        (Output.CHECK, "report.txt", "table"),
        (Output.NOTICE, "NOTICE", "text"),
        (Output.NOTICE, "notice.txt", "text"),
        (Output.NOTICE, "attribution.html", "html"),
        (Output.NOTICE, "NOTICE.md", "markdown"),
        (Output.NOTICE, "THIRD-PARTY-NOTICE", None),
        (Output.CHECK, "report.html", "html"),
        (Output.CHECK, "report.pdf", None),
        (Output.SBOM, "x.spdx.yml", "spdx-yaml"),
        (Output.SBOM, "out.rdf.xml", "spdx-rdf"),
        (Output.SBOM, "x.spdx.rdf.xml", "spdx-rdf"),
        (Output.SBOM, "x.spdx", "spdx-tv"),
        (Output.SBOM, "bom.json", "cyclonedx-json"),
        (Output.SBOM, "app.BOM.XML", "cyclonedx-xml"),
        (Output.SBOM, "mybom.json", None),
        (Output.SBOM, "report.json", None),
    ],
)
def test_output_file_names_choose_formats_longest_suffix_first(
    output: Output, file_name: str, expected: str | None
) -> None:
    assert registry.for_output_file(output, Path("some/dir") / file_name) == expected


def test_choose_prefers_the_flag_then_the_file_name_then_the_defaults() -> None:
    out = Path("x.sarif")
    assert registry.choose(Output.CHECK, "junit", out, to_terminal=False) == "junit"
    assert registry.choose(Output.CHECK, None, out, to_terminal=True) == "sarif"
    # The table in a terminal and a CI log alike; JSON only when asked for (issue 15).
    assert registry.choose(Output.CHECK, None, Path("x.bin"), to_terminal=True) == "table"
    assert registry.choose(Output.CHECK, None, Path("x.json"), to_terminal=True) == "json"
    assert registry.choose(Output.CHECK, None, None, to_terminal=True) == "table"
    assert registry.choose(Output.CHECK, None, None, to_terminal=False) == "table"
    assert registry.choose(Output.SCAN, None, None, to_terminal=False) == "json"
    assert registry.choose(Output.SBOM, None, None, to_terminal=True) == "spdx-json"


def test_an_unknown_format_is_a_key_error() -> None:
    with pytest.raises(KeyError, match="no check format 'yaml'"):
        registry.get(Output.CHECK, "yaml")
