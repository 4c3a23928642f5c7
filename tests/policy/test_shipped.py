# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""The policies ospo-scan ships: the named ones, and the starter that ``policy init`` writes."""

from __future__ import annotations

from pathlib import Path

import pytest

from ospo_scan.policy.load import policy_from_file, shipped_policy
from ospo_scan.policy.model import Verdict
from ospo_scan.policy.shipped import shipped_policies
from ospo_scan.policy.starter import STARTER_POLICY


def test_shipped_policies_are_listed() -> None:
    assert {"default", "permissive-only"} <= set(shipped_policies())


@pytest.mark.parametrize("name", shipped_policies())
def test_every_shipped_policy_loads(name: str) -> None:
    policy = shipped_policy(name)
    assert policy.name == name
    assert policy.description
    assert policy.rules.categories["permissive"].verdict is Verdict.PASS
    assert policy.rules.categories["public domain"].verdict is Verdict.PASS
    assert policy.rules.unknown is not None
    assert policy.rules.unknown.verdict is Verdict.REVIEW
    # A gate must not pass on what it could not read: said explicitly, not left to defaults.
    assert policy.rules.errors is not None
    assert policy.rules.errors.verdict is Verdict.DENY


def test_default_policy_says_what_the_issue_asks() -> None:
    rules = shipped_policy("default").rules
    verdicts = {name: rule.verdict for name, rule in rules.categories.items()}
    assert verdicts["copyleft limited"] is Verdict.REVIEW
    assert verdicts["copyleft"] is Verdict.DENY
    for category in ("commercial", "proprietary free", "source-available", "free restricted"):
        assert verdicts[category] is Verdict.DENY
    assert rules.conflict is not None
    assert rules.conflict.verdict is Verdict.REVIEW
    # Deliberately broken test fixtures are reviewed, not denied (this repository has some).
    tests = next(c for c in shipped_policy("default").contexts if c.name == "tests")
    assert tests.rules.errors is not None
    assert tests.rules.errors.verdict is Verdict.REVIEW


def test_permissive_only_denies_everything_else() -> None:
    rules = shipped_policy("permissive-only").rules
    assert rules.default is not None
    assert rules.default.verdict is Verdict.DENY
    assert set(rules.categories) == {"permissive", "public domain"}


def test_starter_policy_is_valid(tmp_path: Path) -> None:
    path = tmp_path / "policy.yml"
    path.write_text(STARTER_POLICY.format(filename="policy.yml"), encoding="utf-8")
    policy = policy_from_file(path)
    assert policy.sources == ("default.yml (shipped)", str(tmp_path / "policy.yml"))
