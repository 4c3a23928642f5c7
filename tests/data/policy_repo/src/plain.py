# SPDX-License-Identifier: MIT
"""Plain MIT."""

VALUE = 3
