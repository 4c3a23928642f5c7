# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""The command line, one module per command under a lazily loaded group (:mod:`.main`).

:mod:`._common` holds what commands share (exit codes, scan options, output, warnings) and
:mod:`._console` the consoles and the progress bar.
"""
