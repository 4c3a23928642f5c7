# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""What a configuration key is: its name, the type of its value, and its JSON Schema.

A :class:`KeySpec` describes one command-line option as a configuration key, without Click:
the CLI derives one from each option of its commands (``ospo_scan.cli._config``), so that
every option, present and future, is a key by its long name with no list kept here.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


class ValueKind(str, enum.Enum):
    """The type of a key's value, as the configuration file writes it."""

    BOOLEAN = "boolean"  # a flag: true or false
    INTEGER = "integer"
    NUMBER = "number"
    STRING = "string"
    CHOICE = "choice"  # one of a few words
    PATH = "path"  # a file or folder; relative to the configuration file's folder
    POLICY = "policy"  # a policy file (relative, as a path) or a shipped policy's name
    SIZE = "size"  # a number of bytes, or a size such as 10M


@dataclass(frozen=True, slots=True)
class KeySpec:
    """One configuration key: an option of a command, by its long name.

    ``dest`` is the option's parameter name in the command (``--exclude`` is ``excludes``);
    ``minimum``/``maximum`` bound a number (exclusive when ``*_open``); ``pattern`` is what a
    string must match (a size). ``convert`` is the command's own conversion of a value, run
    last: it raises :class:`ValueError` with a message for a value the type allows but the
    option refuses.
    """

    name: str
    dest: str
    kind: ValueKind
    multiple: bool = False
    choices: tuple[str, ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    minimum_open: bool = False
    maximum_open: bool = False
    pattern: str | None = None
    help: str = ""
    convert: Callable[[Any], Any] | None = field(default=None, compare=False, repr=False)

    @property
    def shape(self) -> tuple[Any, ...]:
        """What a value must be: two commands' keys of one name and shape take one value."""
        return (
            self.kind,
            self.multiple,
            self.choices,
            self.minimum,
            self.maximum,
            self.minimum_open,
            self.maximum_open,
            self.pattern,
        )

    def expected(self) -> str:
        """What a value must be, in the words of an error message."""
        one = self._expected_one()
        return f"{one}, or a list of them" if self.multiple else one

    def _expected_one(self) -> str:
        if self.kind is ValueKind.BOOLEAN:
            return "true or false"
        if self.kind is ValueKind.CHOICE:
            return f"one of {', '.join(self.choices)}"
        if self.kind is ValueKind.SIZE:
            return "a size (a number of bytes, or such as 512K, 10M, 1G)"
        if self.kind in (ValueKind.INTEGER, ValueKind.NUMBER):
            word = "an integer" if self.kind is ValueKind.INTEGER else "a number"
            return word + self._bounds()
        if self.kind is ValueKind.PATH:
            return "a path"
        if self.kind is ValueKind.POLICY:
            return "a policy file or a shipped policy's name"
        return "a string"

    def _bounds(self) -> str:
        bounds = []
        if self.minimum is not None:
            bounds.append(f"{'>' if self.minimum_open else '>='} {_number(self.minimum)}")
        if self.maximum is not None:
            bounds.append(f"{'<' if self.maximum_open else '<='} {_number(self.maximum)}")
        return f" {' and '.join(bounds)}" if bounds else ""

    def json_schema(self) -> dict[str, Any]:
        """The JSON Schema of this key's value."""
        one = self._json_schema_one()
        if self.multiple:
            schema: dict[str, Any] = {"anyOf": [one, {"type": "array", "items": one}]}
        else:
            schema = one
        return {"description": self.help, **schema} if self.help else schema

    def _json_schema_one(self) -> dict[str, Any]:
        if self.kind is ValueKind.BOOLEAN:
            return {"type": "boolean"}
        if self.kind is ValueKind.CHOICE:
            return {"enum": list(self.choices)}
        if self.kind is ValueKind.SIZE:
            size: dict[str, Any] = {"type": "string"}
            if self.pattern:
                size["pattern"] = self.pattern
            return {"anyOf": [{"type": "integer", "minimum": 0}, size]}
        if self.kind in (ValueKind.INTEGER, ValueKind.NUMBER):
            schema: dict[str, Any] = {"type": self.kind.value}
            if self.minimum is not None:
                schema["exclusiveMinimum" if self.minimum_open else "minimum"] = self.minimum
            if self.maximum is not None:
                schema["exclusiveMaximum" if self.maximum_open else "maximum"] = self.maximum
            return schema
        if self.kind in (ValueKind.PATH, ValueKind.POLICY):
            return {"type": "string", "minLength": 1}
        return {"type": "string"}


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)
