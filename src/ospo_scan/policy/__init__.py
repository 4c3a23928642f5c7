# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""License policies: YAML files loaded into a frozen model that :mod:`ospo_scan.evaluate` applies.

- :mod:`.model`: the frozen rules, contexts, waivers and the policy, and how they match;
- :mod:`.load`: a policy by path or shipped name: validation, ``extends``, the entry points;
- :mod:`.parse`: YAML with the line of every key, and errors that name file, line and key;
- :mod:`.values`: the typed values a policy is made of (verdicts, license ids, dates, ...);
- :mod:`.source`: reading a policy file safely, and confining what ``extends`` may name;
- :mod:`.shipped`: the names and texts of the policies shipped in ``ospo_scan/policies``;
- :mod:`.starter`: the commented policy that ``ospo-scan policy init`` writes.
"""
