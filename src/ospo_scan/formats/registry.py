# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""The registry of every output format: the CLI's ``--format`` choices, the ``-o`` suffixes
and the defaults all come from here.

To add a format: write a class with ``for_humans`` and ``render(data, *, width, color)`` in
a module of this package, give the module an instance of it, and add one
:class:`~ospo_scan.formats.base.FormatSpec` line below. The CLI offers it at once, and
``tests/formats/test_registry.py`` renders it.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from pathlib import Path
from typing import Any, cast

from ospo_scan.formats.base import Defaults, Format, FormatSpec, Output
from ospo_scan.sbom import SBOM_FORMATS

_SBOM_SUFFIXES = {
    "spdx-json": (".spdx.json",),
    "spdx-tv": (".spdx",),
    "spdx-yaml": (".spdx.yaml", ".spdx.yml"),
    "spdx-xml": (".spdx.xml",),
    "spdx-rdf": (".spdx.rdf.xml", ".spdx.rdf", ".rdf.xml"),
    "cyclonedx-json": (".cdx.json", ".bom.json", "bom.json"),
    "cyclonedx-xml": (".cdx.xml", ".bom.xml", "bom.xml"),
}

#: Every format, by the command output it renders.
FORMATS: tuple[FormatSpec, ...] = (
    FormatSpec(Output.SCAN, "json", "ospo_scan.formats.scan_json:FORMAT", (".json",)),
    FormatSpec(
        Output.SCAN, "table", "ospo_scan.formats.scan_table:FORMAT", (".txt", ".text"), True
    ),
    FormatSpec(
        Output.CHECK,
        "codequality",
        "ospo_scan.formats.check_codequality:FORMAT",
        (".codequality.json", "gl-code-quality-report.json"),
    ),
    FormatSpec(Output.CHECK, "html", "ospo_scan.formats.check_html:FORMAT", (".html", ".htm")),
    FormatSpec(Output.CHECK, "json", "ospo_scan.formats.check_json:FORMAT", (".json",)),
    FormatSpec(Output.CHECK, "junit", "ospo_scan.formats.check_junit:FORMAT", (".xml",)),
    FormatSpec(Output.CHECK, "markdown", "ospo_scan.formats.check_markdown:FORMAT", (".md",)),
    FormatSpec(
        Output.CHECK, "sarif", "ospo_scan.formats.check_sarif:FORMAT", (".sarif", ".sarif.json")
    ),
    FormatSpec(
        Output.CHECK, "table", "ospo_scan.formats.check_table:FORMAT", (".txt", ".text"), True
    ),
    FormatSpec(Output.POLICY, "table", "ospo_scan.formats.policy_table:FORMAT", (), True),
    FormatSpec(Output.CONFIG, "json", "ospo_scan.formats.config_show:JSON", (".json",)),
    FormatSpec(Output.CONFIG, "table", "ospo_scan.formats.config_show:TABLE", (".txt",), True),
    FormatSpec(Output.NOTICE, "html", "ospo_scan.formats.notice_html:FORMAT", (".html", ".htm")),
    FormatSpec(Output.NOTICE, "markdown", "ospo_scan.formats.notice_markdown:FORMAT", (".md",)),
    # A file called NOTICE (any case) is the plain text one, as Apache projects name it.
    FormatSpec(Output.NOTICE, "text", "ospo_scan.formats.notice_text:FORMAT", (".txt", "notice")),
    *(
        FormatSpec(Output.SBOM, name, "ospo_scan.formats.sbom:FORMATS", _SBOM_SUFFIXES[name])
        for name in SBOM_FORMATS
    ),
)

DEFAULTS: dict[Output, Defaults] = {
    Output.SCAN: Defaults(terminal="table", pipe="json", file="json"),
    # The table in a CI log too (it is compact, and fits 80 columns); JSON when asked for.
    Output.CHECK: Defaults(terminal="table", pipe="table", file="table"),
    Output.POLICY: Defaults(terminal="table", pipe="table", file="table"),
    Output.CONFIG: Defaults(terminal="table", pipe="table", file="json"),
    Output.SBOM: Defaults(terminal="spdx-json", pipe="spdx-json", file="spdx-json"),
    Output.NOTICE: Defaults(terminal="text", pipe="text", file="text"),
}


def names(output: Output) -> tuple[str, ...]:
    """The format names of ``output``, sorted (the ``--format`` choices)."""
    return tuple(sorted(spec.name for spec in FORMATS if spec.output is output))


def spec(output: Output, name: str) -> FormatSpec:
    """The registry line of format ``name`` of ``output``; ``KeyError`` if there is none."""
    for candidate in FORMATS:
        if candidate.output is output and candidate.name == name:
            return candidate
    raise KeyError(f"no {output.value} format {name!r}")


def get(output: Output, name: str) -> Format[Any]:
    """The format object, imported now."""
    module_name, _, attribute = spec(output, name).target.partition(":")
    found = getattr(importlib.import_module(module_name), attribute)
    if isinstance(found, Mapping):  # a module of several formats, by name
        found = found[name]
    return cast("Format[Any]", found)


def for_output_file(output: Output, path: Path) -> str | None:
    """The format that the name of ``path`` asks for (longest suffix first), or ``None``."""
    name = path.name.lower()
    best: tuple[int, str] | None = None
    for candidate in FORMATS:
        if candidate.output is not output:
            continue
        for suffix in candidate.suffixes:
            hit = name.endswith(suffix) if suffix.startswith(".") else name == suffix
            if hit and (best is None or len(suffix) > best[0]):
                best = (len(suffix), candidate.name)
    return best[1] if best else None


def choose(output: Output, name: str | None, path: Path | None, *, to_terminal: bool) -> str:
    """The format to write: ``--format``, else the ``-o`` name's, else the default."""
    if name:
        return name
    defaults = DEFAULTS[output]
    if path is not None:
        return for_output_file(output, path) or defaults.file
    return defaults.terminal if to_terminal else defaults.pipe
