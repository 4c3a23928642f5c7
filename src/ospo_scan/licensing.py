# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""One shared license-expression ``Licensing`` and small helpers over SPDX expressions.

Building a ``Licensing`` is costly, so the module builds one, lazily, and everything that
parses SPDX expressions goes through it.
"""

from __future__ import annotations

import functools

from license_expression import ExpressionError, Licensing


@functools.cache
def licensing() -> Licensing:
    """The process-wide ``Licensing`` (permissive about symbols: any id parses)."""
    return Licensing()


def license_ids(expression: str | None) -> tuple[str, ...]:
    """The distinct license ids of an SPDX expression, in order; ``A WITH E`` stays one id.

    An expression that does not parse is returned whole, so that nothing is silently lost
    from a tally.
    """
    if not expression:
        return ()
    try:
        symbols = licensing().license_symbols(expression, unique=True, decompose=False)
    except ExpressionError:
        return (expression,)
    return tuple(dict.fromkeys(str(s) for s in symbols))
