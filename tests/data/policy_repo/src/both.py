# SPDX-License-Identifier: GPL-3.0-only AND MIT
"""Both apply at once."""

VALUE = 2
