# SPDX-License-Identifier: MIT OR Apache-2.0
# Copyright (c) 2024 Jane Doe <jane@example.com>
"""A tiny library."""


def answer() -> int:
    return 42
