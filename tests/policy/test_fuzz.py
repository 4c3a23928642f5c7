# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""Property-based tests: any policy ends in a loaded policy or a PolicyError naming the file.

Random YAML shapes built from the real keys, license expressions (junk included), ids and
``extends`` graphs among a few files (cycles and missing files included). A loaded policy
then judges a small fixed scan result without raising. The default (``ci``) profile runs a
few examples; ``--hypothesis-profile=long`` runs many more.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ospo_scan.errors import PolicyError
from ospo_scan.evaluate import evaluate
from ospo_scan.model import DependencyScope
from ospo_scan.policy.load import policy_from_file
from ospo_scan.policy.model import Policy
from policy_helpers import dependency, detection, file_record, make_result, package

KEYS = [
    "version", "name", "description", "extends", "licenses", "categories", "unknown",
    "conflict", "default", "references", "contexts", "waivers", "allow", "review", "deny",
    "paths", "scopes", "reason", "package", "versions", "license", "approved_by", "ticket",
    "expires", "licences", "",
]  # fmt: skip
EXPRESSIONS = [
    "MIT", "mit", "GPL-3.0-only", "Apache-2.0", "GPL-2.0-only WITH Classpath-exception-2.0",
    "MIT AND Apache-2.0", "()", "( )", "AND", "MIT OR", "WITH", "MIT WITH", "(", ")",
    "LicenseRef-x", "Apache2", "Permissive", "Copyleft", "allow", "deny", "review", "same",
    "ignore", "dev", "runtime", "pkg:npm/a@1", "npm/left-pad", ">=1,<2", "2027-01-31",
    "20270101", "2026-13-01", "**/x", "[", "default", "permissive-only", "a.yml", "b.yml",
    "../c.yml", "missing.yml", "/etc/hostname", "\x00", "\x1b", "é",
]  # fmt: skip

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-2, 20270101),
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from(EXPRESSIONS),
    st.text(max_size=8),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.sampled_from(KEYS), inner, max_size=4),
    ),
    max_leaves=20,
)
policies = st.dictionaries(st.sampled_from(KEYS), values, max_size=8).map(
    lambda d: {"version": 1, **d} if "version" not in d else d
)
extends = st.lists(
    st.sampled_from(["a.yml", "b.yml", "c.yml", "missing.yml", "../out.yml", "default"]),
    max_size=3,
)

RESULT = make_result(
    files=[
        file_record("src/a.py", detection("MIT")),
        file_record("src/b.c", detection("GPL-3.0-only OR Apache-2.0")),
        file_record("tools/c.sh", detection("LicenseRef-scancode-unknown")),
    ],
    packages=[package("pkg:npm/left-pad@1.3.0", "MIT", conflict=("MIT", "GPL-2.0-only"))],
    dependencies=[
        dependency("pkg:npm/x@1.0.0", "GPL-2.0-only", DependencyScope.DEV),
        dependency("pkg:npm/y@2.0.0", None),
    ],
)


def dump(data: Any) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def check(entry: Path, names: list[Path]) -> None:
    """Loading ``entry`` gives a policy that evaluates, or a PolicyError naming a file."""
    errors: tuple[str, ...] = ()
    try:
        policy = policy_from_file(entry)
    except PolicyError as exc:
        errors = exc.errors
    else:
        assert isinstance(policy, Policy)
        assert evaluate(RESULT, policy) is not None
        return
    # Any other exception fails the test; a policy error names a file of the graph each line.
    assert errors
    for error in errors:
        assert any(error.startswith(f"{name}: ") for name in names), error


FUZZ = settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@FUZZ
@given(policies)
def test_any_policy_shape_loads_or_is_a_policy_error(data: dict[str, Any]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "policy.yml"
        path.write_text(dump(data), encoding="utf-8")
        check(path, [path])


@FUZZ
@given(st.text(max_size=200))
def test_any_text_loads_or_is_a_policy_error(text: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "policy.yml"
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
        check(path, [path])


@FUZZ
@given(st.lists(st.sampled_from(EXPRESSIONS), max_size=4), st.sampled_from(KEYS[12:15]))
def test_any_license_entries_load_or_are_a_policy_error(entries: list[str], word: str) -> None:
    data = {
        "version": 1,
        "licenses": {word: entries},
        "waivers": [{"license": e, "reason": "r"} for e in entries[:1]],
    }
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "policy.yml"
        path.write_text(dump(data), encoding="utf-8")
        check(path, [path])


@FUZZ
@given(
    st.fixed_dictionaries(dict.fromkeys(("policy.yml", "a.yml", "b.yml", "c.yml"), extends)),
    st.sampled_from([None, "text", "missing"]),
)
def test_any_extends_graph_loads_or_is_a_policy_error(
    graph: dict[str, list[str]], odd: str | None
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "repo"
        root.mkdir()
        (Path(folder) / "out.yml").write_text("version: 1\n", encoding="utf-8")
        names = []
        for name, targets in graph.items():
            data: dict[str, Any] = {"version": 1, "licenses": {"allow": ["MIT"]}}
            if targets:
                data["extends"] = targets
            (root / name).write_text(dump(data), encoding="utf-8")
            names.append(root / name)
        if odd == "text":
            (root / "c.yml").write_text("not a policy\n", encoding="utf-8")
        elif odd == "missing":
            (root / "c.yml").unlink()
        check(root / "policy.yml", names)
