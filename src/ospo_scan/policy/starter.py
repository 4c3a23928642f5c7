# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""The commented starter policy that ``ospo-scan policy init`` writes, and the configuration
file that names it."""

from __future__ import annotations

#: A valid policy (tests load it) that extends the shipped default and shows every key.
STARTER_POLICY = """\
# ospo-scan license policy for this repository.
# Check it with:  ospo-scan policy validate {filename}
# Use it with:    ospo-scan check --policy {filename} .
#                 (or with no option, where .ospo-scan.yml says policy: {filename})
# Verdicts: allow (fine), review (a warning; fails only with --fail-on review),
#           deny (an error: `ospo-scan check` exits with code 1).
version: 1

# Start from a shipped policy (`ospo-scan policy list`) or from your organisation's base
# policy file (a path relative to this file). What you write below wins over it.
extends: default

# Licenses by SPDX id (or ScanCode LicenseRef-scancode-* key). A license named here beats
# its category. "license WITH exception" pairs are allowed too.
licenses:
  allow: []
  #   - MPL-2.0
  review: []
  deny: []
  #   - WTFPL          # e.g. if your lawyers want no joke licenses

# Whole ScanCode categories: Permissive, Public Domain, Copyleft Limited, Copyleft,
# Commercial, Proprietary Free, Free Restricted, Source-available, Patent License, CLA,
# Unstated License.
# categories:
#   review: [Copyleft Limited]

# unknown: review      # licenses ScanCode cannot name, dependencies with no license found
# conflict: review     # a package whose manifest and license files disagree
# default: review      # a known license whose category is listed nowhere
# references: review   # a mere mention of a license: review (never worse), same, or ignore
# errors: deny         # a file the scan could not read or judge (a manifest that does not
#                      # parse, an unreadable file, a time-out): deny, review or allow

# Other rules for some paths (.gitignore-style globs) or dependency scopes
# (runtime, dev, test, optional, build).
# contexts:
#   - name: examples
#     paths: ["examples/**"]
#     categories:
#       review: [Copyleft]
#   - name: broken on purpose
#     paths: ["fixtures/**"]
#     errors: review       # test fixtures that must not parse

# Approved exceptions. Each needs a reason; it matches by paths, package (a purl, with an
# optional version range) and/or license. An expired waiver no longer applies; a waiver
# that matches nothing is reported as unused. Scan errors (files that could not be read or
# judged) are waived only by a waiver that says `errors: true`, and such a waiver waives
# nothing else.
waivers: []
#   - paths: ["third_party/build-tool/**"]
#     license: MPL-2.0
#     reason: build tool only, never shipped
#     approved_by: Legal (J. Doe)
#     ticket: LEGAL-123
#     expires: 2027-06-30
#   - paths: ["vendor/generated/**"]
#     errors: true         # accepts scan errors there (and nothing else)
#     reason: generated manifests, checked upstream
#   - package: pkg:pypi/chardet
#     versions: "<6"
#     reason: used unmodified as a separate library
"""


#: The ``.ospo-scan.yml`` that ``policy init`` writes beside a new policy (``policy`` is
#: written as a YAML string).
STARTER_CONFIG = """\
# ospo-scan settings for this folder: `ospo-scan scan`, `check` and `sbom` of it read them.
# Every option of those commands can be set here by its long name; a section `scan:`,
# `check:` or `sbom:` holds settings of that command only. The command line wins over this
# file; relative paths are relative to it. See them all with: ospo-scan config show
policy: {policy}
# exclude: ["build/**", "dist/**"]
# check:
#   fail-on: review
"""
