# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""Policies from a branch under review: ``extends`` confined, no file text in errors, and
every hostile or malformed policy ending in one :class:`PolicyError` that lists all errors."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from ospo_scan.cli.main import main
from ospo_scan.errors import PolicyError
from ospo_scan.policy.load import load_policy, policy_from_file

SECRET = "hunter2-s3cr3t-token"  # noqa: S105 -- a marker to look for, not a password


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def error_of(path: Path) -> str:
    with pytest.raises(PolicyError) as info:
        policy_from_file(path)
    return str(info.value)


# item 4: extends is confined, and never quotes a file that is not a policy


@pytest.mark.parametrize(
    "target", ["../secret.txt", "../outside.yml", "{tmp}/outside.yml", "/etc/passwd"]
)
def test_extends_out_of_the_policy_folder_is_refused(tmp_path: Path, target: str) -> None:
    write(tmp_path / "secret.txt", f"{SECRET}\n")
    write(tmp_path / "outside.yml", "version: 1\n")
    policy = write(
        tmp_path / "repo" / "policy.yml",
        f"version: 1\nextends: {target.format(tmp=tmp_path)}\n",
    )
    error = error_of(policy)
    assert error.startswith(f"{policy}: extends ")
    assert "is refused: it leads outside" in error
    assert "at line 2 (extends)" in error
    assert SECRET not in error
    assert "root:" not in error
    assert "\n" not in error


def test_extends_through_a_link_out_of_the_folder_is_refused(tmp_path: Path) -> None:
    write(tmp_path / "secret.yml", f"{SECRET}\n")
    (tmp_path / "repo").mkdir()
    (tmp_path / "repo" / "base.yml").symlink_to(tmp_path / "secret.yml")
    policy = write(tmp_path / "repo" / "policy.yml", "version: 1\nextends: base.yml\n")
    error = error_of(policy)
    assert "is refused: it leads outside" in error
    assert SECRET not in error


def test_a_chain_stays_under_the_folder_of_the_named_policy(tmp_path: Path) -> None:
    write(tmp_path / "repo" / "common.yml", "version: 1\nunknown: deny\n")
    write(tmp_path / "repo" / "org" / "base.yml", "version: 1\nextends: ../common.yml\n")
    write(tmp_path / "repo" / "org" / "evil.yml", "version: 1\nextends: ../../outside.yml\n")
    write(tmp_path / "outside.yml", "version: 1\n")
    good = write(tmp_path / "repo" / "good.yml", "version: 1\nextends: org/base.yml\n")
    assert len(policy_from_file(good).sources) == 3
    bad = write(tmp_path / "repo" / "bad.yml", "version: 1\nextends: org/evil.yml\n")
    assert "is refused: it leads outside" in error_of(bad)


@pytest.mark.parametrize(
    "text",
    [
        f"{SECRET}\n",
        f"password: {SECRET}\n{SECRET}_KEY: x\n",
        f"- {SECRET}\n",
        f"version: {SECRET}\n",
        f"key: [{SECRET}\n",
        f"a: 1\na: {SECRET}\n{SECRET}: 2\n{SECRET}: 3\n",
        f"{SECRET}: !!python/name:os.system\n",
        f"\t{SECRET}\n",
    ],
)
def test_an_extended_file_that_is_not_a_policy_is_never_quoted(tmp_path: Path, text: str) -> None:
    write(tmp_path / "secret.yml", text)
    policy = write(tmp_path / "policy.yml", "version: 1\nextends: ./secret.yml\n")
    error = error_of(policy)
    assert error.startswith(f"{tmp_path / 'secret.yml'}: ")
    assert SECRET not in error
    assert "hunter2" not in error


def test_refused_extends_exits_2_with_one_line(tmp_path: Path) -> None:
    write(tmp_path / "secret.txt", f"{SECRET}\n")
    policy = write(tmp_path / "repo" / "p.yml", "version: 1\nextends: ../secret.txt\n")
    result = CliRunner().invoke(main, ["policy", "validate", str(policy)])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"ospo-scan: error: {policy}: extends '../secret.txt' is ")
    assert result.stderr.count("\n") == 1
    assert SECRET not in result.stderr


def test_the_named_policy_may_be_anywhere(tmp_path: Path) -> None:
    policy = write(tmp_path / "elsewhere" / "p.yml", "version: 1\nextends: default\n")
    assert load_policy(str(policy)).name == "p"


# item 11: every malformed policy ends in a PolicyError naming the file


BAD = [
    pytest.param("version: 1\nname: a\x00b\n", "control character U+0000 at line 2", id="nul"),
    pytest.param("version: 1\n\x1b[31m: x\n", "control character U+001B at line 2", id="escape"),
    pytest.param(
        "version: 1\nlicenses:\n  allow: ['()']\n",
        "invalid license id '()': an empty expression at line 3 (licenses.allow[0])",
        id="empty-parentheses",
    ),
    pytest.param(
        "version: 1\nextends: []\n",
        "extends is an empty list; name a policy or drop it at line 2 (extends)",
        id="extends-empty",
    ),
    pytest.param(
        "version: 1\nlicenses: " + "[" * 5000 + "]" * 5000 + "\n",
        "YAML syntax error at line 2: nested more than 64 levels deep",
        id="deep-flow",
    ),
    pytest.param(
        "version: 1\n" + "".join(f"{' ' * i}k{i}:\n" for i in range(300)),
        "nested more than 64 levels deep",
        id="deep-block",
    ),
    pytest.param(
        "version: 1\nextends: [default, default]\n",
        "'default' is extended twice at line 2 (extends[1]); first at line 2 (extends[0])",
        id="extends-twice",
    ),
    pytest.param(
        "version: 1\nwaivers:\n  - {paths: [a], reason: r, expires: 20270101}\n",
        "invalid date 20270101; write it as YYYY-MM-DD at line 3 (waivers[0].expires)",
        id="date-as-number",
    ),
    pytest.param(
        "version: 1\nwaivers:\n  - {paths: [a], reason: r, expires: '20270101'}\n",
        "invalid date '20270101'; write it as YYYY-MM-DD",
        id="date-without-dashes",
    ),
    pytest.param("version: 1.0\n", "unsupported policy version 1.0", id="version-float"),
    pytest.param("version: true\n", "unsupported policy version True", id="version-bool"),
]


@pytest.mark.parametrize(("text", "message"), BAD)
def test_malformed_policy_is_a_policy_error(tmp_path: Path, text: str, message: str) -> None:
    path = write(tmp_path / "policy.yml", text)
    error = error_of(path)
    assert error.startswith(f"{path}: ")
    assert message in error


def _chain(tmp_path: Path, length: int) -> Path:
    for i in range(length):
        target = f"extends: p{i + 1}.yml\n" if i + 1 < length else ""
        write(tmp_path / f"p{i}.yml", f"version: 1\n{target}")
    return tmp_path / "p0.yml"


def test_a_long_extends_chain_is_refused(tmp_path: Path) -> None:
    error = error_of(_chain(tmp_path, 200))
    assert "extends is nested more than 50 levels deep at line 2 (extends)" in error


def test_an_extends_chain_of_fifty_loads(tmp_path: Path) -> None:
    assert len(policy_from_file(_chain(tmp_path, 50)).sources) == 50


def test_a_folder_or_fifo_as_policy_says_what_it_is(tmp_path: Path) -> None:
    with pytest.raises(PolicyError, match=r": is a folder, not a policy file$"):
        load_policy(str(tmp_path))
    fifo = tmp_path / "fifo.yml"
    os.mkfifo(fifo)  # nobody writes to it: reading it would block the test forever
    with pytest.raises(PolicyError, match=r"fifo.yml: is not a regular file"):
        load_policy(str(fifo))
    with pytest.raises(PolicyError, match=r"fifo.yml: is not a regular file"):
        policy_from_file(fifo)
    policy = write(tmp_path / "policy.yml", "version: 1\nextends: fifo.yml\n")
    assert "the extended policy 'fifo.yml' is not a regular file" in error_of(policy)


def test_every_error_is_reported_at_once(tmp_path: Path) -> None:
    (tmp_path / "base.yml").write_text("version: 1\nunknown: nope\n", encoding="utf-8")
    path = write(
        tmp_path / "policy.yml",
        "version: 1\n"  # 1
        "licences: {}\n"  # 2: unknown key
        "licenses:\n"  # 3
        "  allow: [Apache2, MIT]\n"  # 4: unknown license
        "  deny: [mit]\n"  # 5: listed twice
        "unknown: maybe\n"  # 6: bad verdict
        "extends: [base.yml, nonesuch]\n"  # 7: base.yml's error, no such shipped policy
        "contexts:\n"  # 8
        "  - name: x\n"  # 9: no selector
        "    default: never\n"  # 10: bad verdict in a context
        "waivers:\n"  # 11
        "  - {reason: r, expires: 20270101}\n",  # 12: matches nothing, bad date
    )
    with pytest.raises(PolicyError) as info:
        policy_from_file(path)
    errors = info.value.errors
    expected = [
        f"{path}: unknown key 'licences' at line 2",
        f"{path}: unknown license 'Apache2' at line 4 (licenses.allow[0])",
        f"{path}: 'mit' is listed twice at line 5 (licenses.deny[0])",
        f"{path}: expected one of allow, review, deny, got 'maybe' at line 6 (unknown)",
        f"{path}: a context needs 'paths' or 'scopes' (or both) at line 9 (contexts[0])",
        f"{path}: expected one of allow, review, deny, got 'never' at line 10",
        f"{path}: a waiver needs 'paths', 'package' or 'license' to match at line 12",
        f"{path}: invalid date 20270101; write it as YYYY-MM-DD at line 12",
        f"{tmp_path / 'base.yml'}: expected one of allow, review, deny, got 'nope' at line 2",
        f"{path}: no shipped policy named 'nonesuch' at line 7 (extends[1])",
    ]
    assert len(errors) == len(expected)
    for start in expected:
        assert any(e.startswith(start) for e in errors), start
    result = CliRunner().invoke(main, ["policy", "validate", str(path)])
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert lines[0] == f"ospo-scan: error: {len(expected)} policy errors:"
    assert [line.strip() for line in lines[1:]] == list(errors)
