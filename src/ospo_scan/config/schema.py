# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""The JSON Schemas of the configuration file and of the policy file, built from the code.

Editors complete and check a YAML or TOML file against a JSON Schema. Both schemas are
generated, never written by hand: the configuration's from the key specs of the configured
commands (the same ones :mod:`.load` validates with), the policy's from the policy loader's
key lists (:data:`ospo_scan.policy.load.TOP_KEYS` and the others), its verdict words and
reference modes, the dependency scopes and ScanCode's license categories. A key added to the
loader without a schema here fails the generation. The schemas ship in the package
(``ospo_scan/schemas/``); ``ospo-scan config schema`` prints them, and a test keeps the
shipped files equal to what this module generates.

The schemas are for editors and are, if anything, stricter than the loaders: a license
category must be spelt as ScanCode spells it (the loader ignores case), and they cannot check
license ids, globs, purls or version ranges, which the loaders do.
"""

from __future__ import annotations

import json
from typing import Any

from ospo_scan.config.load import Commands, shared_keys
from ospo_scan.model import DependencyScope
from ospo_scan.policy.curations import CURATION_KEYS, LICENSE_FILE_KEYS
from ospo_scan.policy.load import CONTEXT_KEYS, RULE_KEYS, TOP_KEYS, WAIVER_KEYS
from ospo_scan.policy.model import POLICY_VERSION, ReferenceMode
from ospo_scan.policy.values import VERDICT_WORDS

DRAFT = "https://json-schema.org/draft/2020-12/schema"

#: The file names of the schemas shipped in ``ospo_scan/schemas/``, by what they describe.
SCHEMA_FILES = {
    "config": "ospo-scan-config.schema.json",
    "policy": "ospo-scan-policy.schema.json",
    "curations": "ospo-scan-curations.schema.json",
}


#: A policy's (and a waiver's) date: YYYY-MM-DD, as :mod:`ospo_scan.policy.values` reads it.
_DATE = {"type": "string", "pattern": r"^\s*\d{4}-\d{2}-\d{2}\s*$"}


def to_text(schema: dict[str, Any]) -> str:
    """A schema as the shipped file holds it: indented JSON and a final newline."""
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


def config_schema(commands: Commands) -> dict[str, Any]:
    """The JSON Schema of ``.ospo-scan.yml`` (and of ``[tool.ospo-scan]``)."""
    shared, _ = shared_keys(commands)
    properties: dict[str, Any] = {name: spec.json_schema() for name, spec in shared.items()}
    for command, keys in commands.items():
        properties[command] = {
            "description": f"Settings of `ospo-scan {command}` only, over the top-level ones.",
            **_object({spec.name: spec.json_schema() for spec in keys}),
        }
    return {
        "$schema": DRAFT,
        "title": "ospo-scan configuration",
        "description": "The settings of ospo-scan for a tree: .ospo-scan.yml at its root, or the "
        "[tool.ospo-scan] table of its pyproject.toml. Every option of "
        f"{', '.join(commands)} by its long name; a top-level key applies to every command "
        "that has the option, a command's section to that command. The command line wins "
        "over the file. Relative paths are relative to the file's folder.",
        **_object(properties),
    }


def _object(properties: dict[str, Any]) -> dict[str, Any]:
    return {"type": "object", "properties": properties, "additionalProperties": False}


def _strings(item: dict[str, Any] | None = None) -> dict[str, Any]:
    """One string or a list of them, as the policy loader's ``strings`` takes."""
    one = item or {"type": "string", "minLength": 1}
    return {"anyOf": [one, {"type": "array", "items": one}]}


def _verdict_lists(item: dict[str, Any] | None = None) -> dict[str, Any]:
    return _object({word: _strings(item) for word in VERDICT_WORDS})


def policy_schema(categories: tuple[str, ...] | None = None) -> dict[str, Any]:
    """The JSON Schema of a policy file; ``categories`` default to ScanCode's."""
    if categories is None:
        from ospo_scan.engine.catalog import license_catalog  # noqa: PLC0415 -- loads data

        categories = license_catalog().categories
    verdict = {"$ref": "#/$defs/verdict"}
    rule_schemas: dict[str, Any] = {
        "licenses": {
            "description": "SPDX ids, ScanCode LicenseRef-scancode-* keys or 'X WITH E' pairs, "
            "by verdict.",
            **_verdict_lists(),
        },
        "categories": {
            "description": "ScanCode license categories, by verdict.",
            **_verdict_lists({"enum": list(categories)}),
        },
        "unknown": verdict,
        "conflict": verdict,
        "default": verdict,
        "references": {"enum": [mode.value for mode in ReferenceMode]},
        "errors": verdict,
    }
    scopes = {"enum": [scope.value for scope in DependencyScope]}
    context_schemas = {
        "name": {"type": "string", "minLength": 1},
        "paths": _strings(),
        "scopes": _strings(scopes),
        **rule_schemas,
    }
    date = _DATE
    waiver_schemas = {
        "reason": {"type": "string", "minLength": 1},
        "paths": _strings(),
        "package": {"type": "string", "pattern": "^pkg:"},
        "versions": {"type": "string", "minLength": 1},
        "license": {"type": "string", "minLength": 1},
        "approved_by": {"type": "string", "minLength": 1},
        "ticket": {"type": ["string", "integer"]},
        "expires": date,
        "errors": {
            "description": "A waiver for scan errors (with paths or package, no license).",
            "type": "boolean",
        },
    }
    top_schemas = {
        "version": {"const": POLICY_VERSION},
        "name": {"type": "string", "minLength": 1},
        "description": {"type": "string", "minLength": 1},
        "extends": {
            "description": "A shipped policy by name, or a file relative to this one (or a "
            "list of them).",
            **_strings(),
        },
        **rule_schemas,
        "contexts": {"type": "array", "items": {"$ref": "#/$defs/context"}},
        "waivers": {"type": "array", "items": {"$ref": "#/$defs/waiver"}},
        "curations": {
            "description": "Corrections of detected licenses (also a --curations file).",
            "type": "array",
            "items": {"$ref": "#/$defs/curation"},
        },
    }
    context = _object(_keyed(CONTEXT_KEYS, context_schemas))
    context["anyOf"] = [{"required": ["paths"]}, {"required": ["scopes"]}]
    waiver = _object(_keyed(WAIVER_KEYS, waiver_schemas))
    waiver["required"] = ["reason"]
    waiver["anyOf"] = [{"required": [key]} for key in ("paths", "package", "license")]
    curation = _curation_schema(date)
    _keyed(RULE_KEYS, rule_schemas)  # every rule key has a schema
    return {
        "$schema": DRAFT,
        "title": "ospo-scan license policy",
        "description": "A license policy for `ospo-scan check` (see `ospo-scan policy init`).",
        **_object(_keyed(TOP_KEYS, top_schemas)),
        "required": ["version"],
        "$defs": {
            "verdict": {"enum": list(VERDICT_WORDS)},
            "context": context,
            "waiver": waiver,
            "curation": curation,
        },
    }


def curations_schema() -> dict[str, Any]:
    """The JSON Schema of a curations file (``--curations FILE``)."""
    return {
        "$schema": DRAFT,
        "title": "ospo-scan curations",
        "description": "Corrections of detected licenses for `ospo-scan check` and `sbom` "
        "(--curations FILE); a policy's curations: key takes the same list.",
        **_object({"curations": {"type": "array", "items": {"$ref": "#/$defs/curation"}}}),
        "required": ["curations"],
        "$defs": {"curation": _curation_schema(_DATE)},
    }


def _curation_schema(date: dict[str, Any]) -> dict[str, Any]:
    """One curation of a policy's ``curations:`` (and of a ``--curations`` file)."""
    text = {"type": "string", "minLength": 1}
    pin = _object(
        _keyed(
            LICENSE_FILE_KEYS,
            {
                "path": text,
                "sha256": {"type": "string", "pattern": "^\\s*[0-9a-fA-F]{64}\\s*$"},
            },
        )
    )
    pin["required"] = list(LICENSE_FILE_KEYS)
    schemas = {
        "purl": {
            "description": "A package: with a version, that version only; without, every one.",
            "type": "string",
            "pattern": "^pkg:",
        },
        "path": {"description": "Or files: a glob relative to the scanned root.", **text},
        "detected": {
            "description": "Only where this SPDX expression was concluded (purl) or detected "
            "(path; then only those detections are corrected).",
            **text,
        },
        "license": {"description": "The SPDX expression to use instead.", **text},
        "reason": text,
        "approved_by": text,
        "expires": date,
        "license_files": {
            "description": "The license files it overrides, pinned by SHA-256: when one "
            "changes, the curation is stale and no longer applied.",
            "type": "array",
            "minItems": 1,
            "items": pin,
        },
    }
    curation = _object(_keyed(CURATION_KEYS, schemas))
    curation["required"] = ["license", "reason", "approved_by"]
    curation["oneOf"] = [{"required": ["purl"]}, {"required": ["path"]}]
    return curation


def _keyed(keys: tuple[str, ...], schemas: dict[str, Any]) -> dict[str, Any]:
    """The schemas of ``keys``, in their order: exactly the keys the loader reads."""
    if set(keys) != set(schemas):  # pragma: no cover - caught by the tests of the schema
        raise KeyError(f"the policy keys {sorted(set(keys) ^ set(schemas))} differ")
    return {key: schemas[key] for key in keys}
