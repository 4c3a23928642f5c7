# SPDX-License-Identifier: MIT OR GPL-3.0-only
"""A user may elect either of the two."""

VALUE = 1
