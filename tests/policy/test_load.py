# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""Loading policies: the model read from YAML, ``extends``, one clear error per bad input."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from ospo_scan.errors import PolicyError
from ospo_scan.model import DependencyScope
from ospo_scan.policy.load import load_policy, policy_from_file
from ospo_scan.policy.model import Policy, ReferenceMode, Verdict


def load(tmp_path: Path, text: str, name: str = "policy.yml") -> Policy:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return policy_from_file(path)


def test_full_policy_is_read_into_the_model(tmp_path: Path) -> None:
    policy = load(
        tmp_path,
        """\
version: 1
name: acme
licenses:
  allow: [mit, GPL-3.0-only WITH GCC-exception-3.1]
  deny: [gpl-2.0]            # a ScanCode key is accepted, stored by SPDX id
categories:
  review: [copyleft limited]
unknown: deny
references: same
contexts:
  - name: dev tools
    scopes: [dev, build]
    paths: ["tools/**"]
    categories: {allow: [Copyleft]}
waivers:
  - paths: ["vendor/**"]
    license: GPL-3.0-only
    reason: vendored build tool, never shipped
    approved_by: Legal
    ticket: LEGAL-1
    expires: 2027-01-31
  - package: pkg:npm/left-pad
    versions: ">=1.0,<2"
    reason: approved
""",
    )
    assert policy.name == "acme"
    assert set(policy.rules.licenses) == {
        "mit",
        "gpl-3.0-only with gcc-exception-3.1",
        "gpl-2.0-only",
    }
    assert policy.rules.licenses["gpl-2.0-only"].origin.line == 5
    assert policy.rules.licenses["gpl-2.0-only"].origin.key == "licenses.deny[0]"
    assert policy.rules.licenses["mit"].name == "MIT"
    assert policy.rules.categories["copyleft limited"].name == "Copyleft Limited"
    assert policy.rules.unknown is not None
    assert policy.rules.unknown.verdict is Verdict.DENY
    assert policy.rules.references is not None
    assert policy.rules.references.mode is ReferenceMode.SAME
    (context,) = policy.contexts
    assert context.scopes == (DependencyScope.DEV, DependencyScope.BUILD)
    assert context.applies("tools/x/y.py", None)
    assert context.applies(None, DependencyScope.DEV)
    assert not context.applies("src/tools.py", DependencyScope.RUNTIME)
    first, second = policy.waivers
    assert first.expires == dt.date(2027, 1, 31)
    assert first.license == "GPL-3.0-only"
    assert first.origin.line == 16
    assert first.matches(paths=["vendor/a.c"], purl=None, license_id="GPL-3.0-only")
    assert not first.matches(paths=["src/a.c"], purl=None, license_id="GPL-3.0-only")
    assert second.matches(paths=[], purl="pkg:npm/left-pad@1.3.0", license_id=None)
    assert not second.matches(paths=[], purl="pkg:npm/left-pad@2.0.0", license_id=None)
    assert not second.matches(paths=[], purl="pkg:npm/right-pad@1.3.0", license_id=None)


def test_extends_a_file_relative_to_the_policy_and_merges(tmp_path: Path) -> None:
    (tmp_path / "repo" / "org").mkdir(parents=True)
    (tmp_path / "repo" / "org" / "base.yml").write_text(
        "version: 1\nextends: permissive-only\nlicenses:\n  deny: [MIT]\n"
        "waivers:\n  - license: MIT\n    reason: base waiver\n",
        encoding="utf-8",
    )
    (tmp_path / "repo" / "sub").mkdir()
    policy = load(
        tmp_path / "repo",
        "version: 1\nextends: sub/../org/base.yml\nlicenses:\n  review: [MIT]\nunknown: deny\n"
        "waivers:\n  - paths: [x]\n    reason: repo waiver\n",
    )
    assert policy.sources == (
        "permissive-only.yml (shipped)",
        str(tmp_path / "repo" / "sub/../org/base.yml"),
        str(tmp_path / "repo" / "policy.yml"),
    )
    assert policy.rules.licenses["mit"].verdict is Verdict.REVIEW  # the extending file wins
    assert policy.rules.default is not None
    assert policy.rules.default.verdict is Verdict.DENY  # from the shipped base
    assert policy.rules.unknown is not None
    assert policy.rules.unknown.verdict is Verdict.DENY
    assert [w.reason for w in policy.waivers] == ["base waiver", "repo waiver"]


def test_dates_in_quotes_and_unquoted_are_the_same(tmp_path: Path) -> None:
    policy = load(
        tmp_path,
        'version: 1\nwaivers:\n  - {paths: [a], reason: r, expires: "2026-02-03"}\n'
        "  - {paths: [b], reason: r, expires: 2026-02-03}\n",
    )
    assert {w.expires for w in policy.waivers} == {dt.date(2026, 2, 3)}


BAD = [
    pytest.param(
        "version: 1\nlicenses:\n  allow:\n    - MIT\n    - ISC\n    - 0BSD\n    - Apache2\n",
        "unknown license 'Apache2' at line 7 (licenses.allow[3]); did you mean Apache-2.0",
        id="unknown-license-suggests",
    ),
    pytest.param(
        "version: 1\nlicenses: {allow: [MIT}\n",
        "YAML syntax error at line 2",
        id="yaml-syntax",
    ),
    pytest.param(
        "version: 1\nlicences:\n  allow: [MIT]\n",
        "unknown key 'licences' at line 2 (licences); did you mean licenses?",
        id="unknown-key",
    ),
    pytest.param(
        "version: 1\ncontexts:\n  - paths: [a]\n    categoris: {}\n",
        "unknown key 'categoris' at line 4 (contexts[0].categoris); did you mean categories?",
        id="unknown-nested-key",
    ),
    pytest.param(
        "version: 1\nlicenses:\n  allow: 3\n",
        "expected a list of strings, got a number at line 3 (licenses.allow)",
        id="wrong-type",
    ),
    pytest.param(
        "version: 1\nunknown: maybe\n",
        "expected one of allow, review, deny, got 'maybe' at line 2 (unknown)",
        id="bad-verdict",
    ),
    pytest.param(
        "version: 1\nlicenses:\n  deny: [MIT AND GPL-3.0-only]\n",
        "is an expression; list single licenses",
        id="expression-in-list",
    ),
    pytest.param(
        "version: 1\nlicenses:\n  deny: ['MIT (']\n",
        "invalid license id 'MIT (': ",
        id="invalid-expression",
    ),
    pytest.param(
        "version: 1\nlicenses:\n  allow: [MIT WITH GPL-3.0-only]\n",
        "'GPL-3.0-only' is not a license exception",
        id="not-an-exception",
    ),
    pytest.param(
        "version: 1\ncategories:\n  deny: [Copyleft Strong]\n",
        "unknown license category 'Copyleft Strong' at line 3 (categories.deny[0]); "
        "did you mean Copyleft",
        id="unknown-category",
    ),
    pytest.param(
        "version: 1\nwaivers:\n  - paths: [a]\n    reason: r\n    expires: 2026-13-01\n",
        "invalid date '2026-13-01'; write it as YYYY-MM-DD at line 5 (waivers[0].expires)",
        id="bad-date",
    ),
    pytest.param(
        "version: 1\nwaivers:\n  - paths: [a]\n    ticket: X-1\n",
        "a waiver needs a 'reason' (why the exception is acceptable) at line 3 (waivers[0])",
        id="waiver-without-reason",
    ),
    pytest.param(
        "version: 1\nwaivers:\n  - reason: because\n",
        "a waiver needs 'paths', 'package' or 'license' to match at line 3 (waivers[0])",
        id="waiver-matching-nothing",
    ),
    pytest.param(
        "version: 1\nwaivers:\n  - {package: 'npm/left-pad', reason: r}\n",
        "invalid purl 'npm/left-pad'",
        id="bad-purl",
    ),
    pytest.param(
        "version: 1\ncontexts:\n  - name: x\n    scopes: [devel]\n",
        "unknown scope 'devel' at line 4 (contexts[0].scopes[0])",
        id="bad-scope",
    ),
    pytest.param(
        "version: 1\ncontexts:\n  - name: x\n",
        "a context needs 'paths' or 'scopes' (or both) at line 3 (contexts[0])",
        id="context-without-selector",
    ),
    pytest.param(
        "version: 1\nlicenses:\n  allow: [MIT]\n  deny: [mit]\n",
        "'mit' is listed twice at line 4 (licenses.deny[0]); first at line 3",
        id="listed-twice",
    ),
    pytest.param(
        "version: 1\nunknown: deny\nunknown: allow\n",
        "duplicate key 'unknown' at line 3",
        id="duplicate-key",
    ),
    pytest.param(
        "version: 1\nerrors: ignore\n",
        "expected one of allow, review, deny, got 'ignore' at line 2 (errors)",
        id="errors-verdict",
    ),
    pytest.param(
        "version: 1\ncontexts:\n  - paths: [a/**]\n    errors: maybe\n",
        "got 'maybe' at line 4 (contexts[0].errors)",
        id="context-errors-verdict",
    ),
    pytest.param(
        "version: 1\nerorrs: deny\n",
        "unknown key 'erorrs' at line 2 (erorrs); did you mean errors?",
        id="errors-typo",
    ),
    pytest.param("version: 2\n", "unsupported policy version 2", id="version"),
    pytest.param("name: x\n", "missing key 'version'", id="no-version"),
    pytest.param("", "the policy is empty", id="empty"),
    pytest.param("- a\n- b\n", "expected a mapping, got a list", id="not-a-mapping"),
    pytest.param(
        "version: 1\nextends: nonesuch\n",
        "no shipped policy named 'nonesuch' at line 2 (extends)",
        id="extends-unknown-name",
    ),
    pytest.param(
        "version: 1\nextends: missing.yml\n",
        "the extended policy 'missing.yml' does not exist",
        id="extends-missing-file",
    ),
    pytest.param(
        "version: 1\nextends: policy.yml\n",
        "extends cycle",
        id="extends-itself",
    ),
    pytest.param(
        "version: 1\nname: !!python/object/apply:os.system ['true']\n",
        "YAML syntax error at line 2",
        id="unsafe-tag",
    ),
    pytest.param(
        "version: 1\nlicenses: &a\n  allow: [*a]\n",
        "YAML aliases are not supported in policy files; at line 2",
        id="recursive-alias",
    ),
    pytest.param(
        "version: 1\nlicenses:\n  allow: &x [MIT]\n  review: *x\n",
        "YAML aliases are not supported in policy files; at line 3 (licenses.review)",
        id="alias",
    ),
]


@pytest.mark.parametrize(("text", "message"), BAD)
def test_bad_policy_gets_one_clear_error(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(PolicyError) as info:
        load(tmp_path, text)
    error = str(info.value)
    assert error.startswith(f"{tmp_path / 'policy.yml'}: ")
    assert message in error
    assert "\n" not in error


def test_extends_cycle_names_the_chain(tmp_path: Path) -> None:
    (tmp_path / "a.yml").write_text("version: 1\nextends: b.yml\n", encoding="utf-8")
    (tmp_path / "b.yml").write_text("version: 1\nlicenses: {}\nextends: a.yml\n", encoding="utf-8")
    with pytest.raises(PolicyError) as info:
        policy_from_file(tmp_path / "a.yml")
    a, b = (str((tmp_path / n).resolve()) for n in ("a.yml", "b.yml"))
    assert str(info.value) == (
        f"{tmp_path / 'b.yml'}: extends cycle: {a} -> {b} -> {a} at line 3 (extends)"
    )


def test_error_in_extended_file_names_that_file(tmp_path: Path) -> None:
    (tmp_path / "base.yml").write_text("version: 1\nunknown: nope\n", encoding="utf-8")
    with pytest.raises(PolicyError) as info:
        load(tmp_path, "version: 1\nextends: base.yml\n")
    assert str(info.value).startswith(f"{tmp_path / 'base.yml'}: expected one of allow")


def test_load_by_name_or_path(tmp_path: Path) -> None:
    assert load_policy("default").name == "default"
    path = tmp_path / "mine.yml"
    path.write_text("version: 1\n", encoding="utf-8")
    assert load_policy(str(path)).name == "mine"
    with pytest.raises(PolicyError, match="no policy file 'nope' and no shipped policy"):
        load_policy("nope")


def test_unreadable_policy(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yml"
    path.write_bytes(b"version: 1\nname: caf\xe9\n")
    with pytest.raises(PolicyError, match="not UTF-8"):
        policy_from_file(path)


def test_extends_a_list_later_wins(tmp_path: Path) -> None:
    (tmp_path / "a.yml").write_text("version: 1\nunknown: deny\nconflict: deny\n", encoding="utf-8")
    (tmp_path / "b.yml").write_text("version: 1\nunknown: allow\n", encoding="utf-8")
    policy = load(tmp_path, "version: 1\nextends: [./a.yml, ./b.yml]\n")
    assert policy.rules.unknown is not None
    assert policy.rules.unknown.verdict is Verdict.PASS
    assert policy.rules.conflict is not None
    assert policy.rules.conflict.verdict is Verdict.DENY
    assert len(policy.sources) == 3


def test_a_diamond_of_extends_merges_the_shared_base_once(tmp_path: Path) -> None:
    # b and c both extend base; top extends [b, c]. base's context must appear once, and
    # base's rules must not come back over b's through c (c says nothing about unknown).
    (tmp_path / "base.yml").write_text(
        "version: 1\nunknown: deny\ncontexts:\n  - name: tests\n    paths: [tests/]\n"
        "    default: allow\n",
        encoding="utf-8",
    )
    (tmp_path / "b.yml").write_text(
        "version: 1\nextends: ./base.yml\nunknown: allow\n", encoding="utf-8"
    )
    (tmp_path / "c.yml").write_text(
        "version: 1\nextends: ./base.yml\nconflict: deny\n", encoding="utf-8"
    )
    policy = load(tmp_path, "version: 1\nextends: [./b.yml, ./c.yml]\n")
    assert [c.name for c in policy.contexts] == ["tests"]
    assert policy.rules.unknown is not None
    assert policy.rules.unknown.verdict is Verdict.PASS  # b's, not base's again
    assert policy.rules.conflict is not None
    assert policy.rules.conflict.verdict is Verdict.DENY
    assert [Path(s).name for s in policy.sources] == ["base.yml", "b.yml", "c.yml", "policy.yml"]


def test_a_shipped_base_reached_twice_counts_once(tmp_path: Path) -> None:
    (tmp_path / "b.yml").write_text("version: 1\nextends: default\n", encoding="utf-8")
    (tmp_path / "c.yml").write_text("version: 1\nextends: default\n", encoding="utf-8")
    policy = load(tmp_path, "version: 1\nextends: [./b.yml, ./c.yml]\n")
    default = load_policy("default")
    assert [c.name for c in policy.contexts] == [c.name for c in default.contexts]
    assert len(policy.waivers) == len(default.waivers)
