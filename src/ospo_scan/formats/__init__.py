# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""Every output of ospo-scan: small classes behind one interface, chosen by name.

- :mod:`.base`: the :class:`~.base.Format` protocol and how a format is declared;
- :mod:`.registry`: the one list of formats, their ``-o`` suffixes and defaults (the CLI's
  choices come from it);
- ``scan_*``: ``ospo-scan scan`` (JSON document, terminal table with :mod:`.packages_view`);
- ``check_*``: ``ospo-scan check`` (JSON, table, Markdown, SARIF, JUnit);
- :mod:`.policy_table`: ``ospo-scan policy show``;
- :mod:`.sbom`: the SPDX and CycloneDX serialisations of :mod:`ospo_scan.sbom`;
- :mod:`._rich`: rich text helpers that never read user text as markup.
"""
