# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""One generic ``to_dict``/``from_dict`` for the frozen records of the result model.

A record is a frozen dataclass that derives from :class:`Record`. Its plain-data form
follows from its fields and their type hints, so that a new field needs no serialisation
code:

* keys in field declaration order, each named like its field;
* enums written as their ``.value`` and read back by value;
* tuples written as lists and read back as tuples, nested records as dicts (an optional
  record that is empty or absent reads as ``None``);
* mappings copied into dicts;
* ``int``, ``float`` and ``bool`` fields converted on reading (a document may hold ``1``
  where a float is meant), strings kept as they are;
* a field with a default may be absent (documents of older schema versions lack the
  fields added since) and then takes its default; a field without one must be there.

Where the JSON shape departs from the fields, the record says so: :func:`io` in a field's
metadata (another key, a nested object, another position, a catch-all mapping), and
:func:`derived` on a property whose value is written but never read back.

Reading damaged data raises ``KeyError``, ``TypeError`` or ``ValueError``: the caches treat
those as a miss, and ``check`` as a broken result file.

Records are written and read for every file on each warm re-scan, so the work is done once
per class, on first use: the fields and their resolved type hints give a layout, and the
layout is written out as the Python source of a ``to_dict`` and a ``from_dict`` function
(as :mod:`dataclasses` does for ``__init__``). Interpreting a layout on each call took up to
twice as long as the hand-written methods these replace; the generated functions are the
code one would write by hand, hence as fast.
"""

from __future__ import annotations

import dataclasses
import enum
import types
import typing
from collections.abc import Callable, Mapping
from typing import Any, Generic, TypeVar

R = TypeVar("R", bound="Record")
F = TypeVar("F", bound=Callable[..., Any])

#: The key of this module's options in a field's metadata.
_OPTIONS = "ospo_scan.records"
#: The attribute that :func:`derived` sets on a property's getter.
_DERIVED = "__ospo_scan_derived__"
#: Stands for "absent" where ``None`` is a value.
_MISSING = object()


@dataclasses.dataclass(frozen=True)
class _Options:
    key: str | None = None
    group: str | None = None
    before: str | None = None
    required: bool = False
    rest: bool = False


def io(
    *,
    key: str | None = None,
    group: str | None = None,
    before: str | None = None,
    required: bool = False,
    rest: bool = False,
) -> dict[str, Any]:
    """Field metadata for where the JSON shape departs from the dataclass.

    ``key``: the JSON key, when it is not the field's name. ``group``: the field is written
    inside a nested object under that key, which takes the place of the group's first
    field. ``before``: the key is written just before the named field's. ``required``: the
    key must be there on reading although the field has a default. ``rest``: the field is a
    mapping of the document's other keys, written after all others and read as every key
    that no field or derived value claims.

    Use as ``field(default=..., metadata=io(...))``.
    """
    return {_OPTIONS: _Options(key, group, before, required, rest)}


def derived(*, before: str | None = None, after: str | None = None) -> Callable[[F], F]:
    """Mark a property's getter: its value is written under its name, and not read back.

    It goes just before or after the named field, or after all fields when neither is
    given. Apply it under ``@property``; the getter's return annotation gives the
    conversion (a tuple is written as a list).
    """

    def mark(getter: F) -> F:
        setattr(getter, _DERIVED, (before, after))
        return getter

    return mark


class Record:
    """Base of the frozen result records: ``to_dict`` and ``from_dict`` for all of them."""

    __slots__ = ()

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON, keys in a stable order."""
        return _plan(type(self)).encode(self)

    @classmethod
    def from_dict(cls: type[R], data: Mapping[str, Any]) -> R:
        """Inverse of :meth:`to_dict` (derived values are not read back).

        Raises ``KeyError``, ``TypeError`` or ``ValueError`` on damaged data.
        """
        return _plan(cls).decode(data)


def generated_source(cls: type[Record]) -> str:
    """The Python source of the ``to_dict`` and ``from_dict`` functions made for ``cls``."""
    return _plan(cls).source


@dataclasses.dataclass(frozen=True)
class _Plan(Generic[R]):
    encode: Callable[[R], dict[str, Any]]
    decode: Callable[[Mapping[str, Any]], R]
    source: str  # for a reader who debugs the generated code


_PLANS: dict[type[Any], _Plan[Any]] = {}


def _plan(cls: type[R]) -> _Plan[R]:
    """The plan of ``cls``, made on first use.

    Not when the class is created: its type hints may name records defined after it. Two
    threads may both make it the first time; both plans are the same, and no lock is held
    that a forked worker could inherit.
    """
    try:
        return _PLANS[cls]
    except KeyError:
        plan = _PLANS[cls] = _make_plan(cls)
        return plan


class _Namespace:
    """The globals of the generated code: each object it uses gets a private name."""

    def __init__(self) -> None:
        self.values: dict[str, Any] = {"_MISSING": _MISSING}
        self._names: dict[int, str] = {}  # by id(): values are kept, so ids stay unique
        self._variables = 0

    def name(self, value: Any) -> str:
        if id(value) not in self._names:
            self._names[id(value)] = f"_o{len(self._names)}"
            self.values[self._names[id(value)]] = value
        return self._names[id(value)]

    def variable(self) -> str:
        """A fresh local variable name (comprehensions may nest)."""
        self._variables += 1
        return f"_x{self._variables}"


@dataclasses.dataclass(frozen=True)
class _Conversion:
    """How a value is written and read: expression templates over ``{0}``, the value."""

    write: str = "{0}"
    read: str = "{0}"


@dataclasses.dataclass
class _Group:
    """Fields written together in a nested object."""

    key: str
    variable: str  # holds the nested mapping while reading
    items: list[str] = dataclasses.field(default_factory=list)  # "'key': expression"
    required: bool = False  # whether a member is, hence the nested object


@dataclasses.dataclass(frozen=True)
class _Slot:
    """One top-level key as written: a field, a group of fields, or a derived value."""

    key: str
    expression: str  # unused for a group
    field: str | None = None  # the field written, a place for ``before`` and ``after``
    group: _Group | None = None
    before: str | None = None


@dataclasses.dataclass(frozen=True)
class _Read:
    """How one field is read: from which key of which mapping, converted how."""

    name: str
    key: str
    mapping: str  # "data", or a group's variable
    required: bool
    read: str  # template over {0}
    default: str | None  # expression of the default; None when there is none


@dataclasses.dataclass
class _Layout:
    """A record's keys as written and its fields as read."""

    slots: list[_Slot] = dataclasses.field(default_factory=list)  # in the written order
    reads: list[_Read | _Group] = dataclasses.field(default_factory=list)  # a group: its lookup
    rest: str | None = None  # the field that holds the other keys


def _make_plan(cls: type[R]) -> _Plan[R]:
    if not dataclasses.is_dataclass(cls):
        raise TypeError(f"{cls.__qualname__} is not a dataclass")
    ns = _Namespace()
    layout = _layout(cls, ns)
    source = _writer_source(layout) + "\n" + _reader_source(layout, cls, ns)
    # The source is made of field names (identifiers), repr()'d keys and the private names
    # of objects in the namespace: nothing from the data read or written comes into it.
    exec(compile(source, f"<records {cls.__qualname__}>", "exec"), ns.values)  # noqa: S102
    encode, decode = ns.values["to_dict"], ns.values["from_dict"]
    encode.__qualname__ = f"{cls.__qualname__}.to_dict"
    decode.__qualname__ = f"{cls.__qualname__}.from_dict"
    return _Plan(encode, decode, source)


def _layout(cls: type, ns: _Namespace) -> _Layout:
    """The fields in declaration order, then moved, grouped and joined as declared."""
    layout = _Layout()
    hints = typing.get_type_hints(cls)
    groups: dict[str, _Group] = {}
    for f in dataclasses.fields(cls):
        where = f"{cls.__qualname__}.{f.name}"
        _add_field(layout, groups, f, _conversion(hints[f.name], where, ns), ns, where)
    slots = layout.slots
    for slot, before in [(s, s.before) for s in slots if s.before is not None]:
        slots.remove(slot)
        slots.insert(_index(slots, before, cls), slot)
    _add_derived(layout, cls, ns)
    keys = [slot.key for slot in slots]
    if len(set(keys)) != len(keys):
        raise TypeError(f"{cls.__qualname__}: a key is written twice: {keys}")
    return layout


def _add_field(
    layout: _Layout,
    groups: dict[str, _Group],
    f: dataclasses.Field[Any],
    conversion: _Conversion,
    ns: _Namespace,
    where: str,
) -> None:
    """Write and read field ``f``: under its own key, in its group, or as the other keys."""
    options: _Options = f.metadata.get(_OPTIONS, _Options())
    if options.rest:
        if conversion.write != "dict({0})":
            raise TypeError(f"{where}: the rest of the keys must be a mapping")
        layout.rest = f.name
        return
    key = options.key or f.name
    written = conversion.write.format(f"self.{f.name}")
    if f.default is not dataclasses.MISSING:
        default: str | None = ns.name(f.default)
    elif f.default_factory is not dataclasses.MISSING:
        default = f"{ns.name(f.default_factory)}()"
    else:
        default = None
    required = options.required or default is None
    if options.group is None:
        layout.slots.append(_Slot(key, written, f.name, before=options.before))
        layout.reads.append(_Read(f.name, key, "data", required, conversion.read, default))
        return
    group = groups.get(options.group)
    if group is None:
        group = groups[options.group] = _Group(options.group, ns.variable())
        layout.slots.append(_Slot(group.key, "", group=group, before=options.before))
        layout.reads.append(group)
    group.items.append(f"{key!r}: {written}")
    group.required |= required
    layout.reads.append(_Read(f.name, key, group.variable, required, conversion.read, default))


def _add_derived(layout: _Layout, cls: type, ns: _Namespace) -> None:
    """Write the ``@derived`` properties of ``cls`` where they are declared to go."""
    slots = layout.slots
    for name, value in vars(cls).items():
        if not (isinstance(value, property) and hasattr(value.fget, _DERIVED)):
            continue
        before, after = getattr(value.fget, _DERIVED)
        returns = typing.get_type_hints(value.fget)["return"]
        conversion = _conversion(returns, f"{cls.__qualname__}.{name}", ns)
        slot = _Slot(name, conversion.write.format(f"self.{name}"))
        if before is not None:
            slots.insert(_index(slots, before, cls), slot)
        elif after is not None:
            slots.insert(_index(slots, after, cls) + 1, slot)
        else:
            slots.append(slot)


def _writer_source(layout: _Layout) -> str:
    """``to_dict``: one dict display, as a hand-written one would be."""
    lines = ["def to_dict(self):", "    return {"]
    for slot in layout.slots:
        expression = slot.expression
        if slot.group is not None:
            expression = "{" + ", ".join(slot.group.items) + "}"
        lines.append(f"        {slot.key!r}: {expression},")
    if layout.rest is not None:
        lines.append(f"        **dict(self.{layout.rest}),")
    lines.append("    }")
    return "\n".join(lines) + "\n"


def _reader_source(layout: _Layout, cls: type, ns: _Namespace) -> str:
    """``from_dict``: each field read into a local, then the record built by keyword."""
    lines = ["def from_dict(data):"]
    arguments = []
    for n, read in enumerate(layout.reads):
        if isinstance(read, _Group):
            key = read.key
            lookup = f"data[{key!r}]" if read.required else f"data.get({key!r}, {{}})"
            lines.append(f"    {read.variable} = {lookup}")
        else:
            lines += _read_lines(read, f"_{n}")
            arguments.append(f"{read.name}=_{n}")
    if layout.rest is not None:
        known = ns.name(frozenset(slot.key for slot in layout.slots))
        lines.append(f"    _rest = {{k: v for k, v in data.items() if k not in {known}}}")
        arguments.append(f"{layout.rest}=_rest")
    lines.append(f"    return {ns.name(cls)}({', '.join(arguments)})")
    return "\n".join(lines) + "\n"


def _index(slots: list[_Slot], name: str, cls: type) -> int:
    for i, slot in enumerate(slots):
        if slot.field == name:
            return i
    raise TypeError(f"{cls.__qualname__}: no top-level field {name!r} to place a key by")


def _read_lines(read: _Read, target: str) -> list[str]:
    """Statements that leave the value of a field, read and converted, in ``target``."""
    if read.required:
        lookup = f"{read.mapping}[{read.key!r}]"
        if read.read.count("{0}") == 1:
            return [f"    {target} = {read.read.format(lookup)}"]
        return [f"    {target} = {lookup}", f"    {target} = {read.read.format(target)}"]
    if read.read == "{0}":
        return [f"    {target} = {read.mapping}.get({read.key!r}, {read.default})"]
    # An absent key gives the default itself, which is no document value to convert.
    return [
        f"    {target} = {read.mapping}.get({read.key!r}, _MISSING)",
        f"    {target} = {read.default} if {target} is _MISSING else {read.read.format(target)}",
    ]


def _conversion(hint: Any, where: str, ns: _Namespace) -> _Conversion:
    """How a value of type ``hint`` is written and read."""
    if hint is str or hint is Any or hint is type(None):
        return _Conversion()
    if hint is int or hint is float or hint is bool:
        return _Conversion(read=f"{ns.name(hint)}({{0}})")
    if isinstance(hint, type) and issubclass(hint, enum.Enum):
        return _Conversion("{0}.value", f"{ns.name(hint)}({{0}})")
    if isinstance(hint, type) and issubclass(hint, Record):
        plan = _plan(hint)  # a record that holds its own type would recurse here
        return _Conversion(f"{ns.name(plan.encode)}({{0}})", f"{ns.name(plan.decode)}({{0}})")
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in {typing.Union, types.UnionType} and len(args) == 2 and type(None) in args:
        return _optional(args[0] if args[1] is type(None) else args[1], where, ns)
    if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
        return _sequence(args[0], where, ns)
    if origin is Mapping or origin is dict:
        return _Conversion("dict({0})", "dict({0})")
    raise TypeError(f"{where}: no conversion for {hint!r}")


def _optional(inner_hint: Any, where: str, ns: _Namespace) -> _Conversion:
    """``X | None``: ``None`` kept as it is, anything else converted as an ``X``."""
    inner = _conversion(inner_hint, where, ns)
    write, read = inner.write, inner.read
    if write != "{0}":
        write = f"(None if {{0}} is None else {write})"
    if read != "{0}" and isinstance(inner_hint, type) and issubclass(inner_hint, Record):
        # A record is never written empty: an empty one is a damaged or hand-made none.
        read = f"({read} if {{0}} else None)"
    elif read != "{0}":
        read = f"(None if {{0}} is None else {read})"
    return _Conversion(write, read)


def _sequence(item_hint: Any, where: str, ns: _Namespace) -> _Conversion:
    """``tuple[X, ...]``: a JSON list, each item converted as an ``X``."""
    inner = _conversion(item_hint, where, ns)
    item = ns.variable()
    write, read = "list({0})", "tuple({0})"
    if inner.write != "{0}":
        write = f"[{inner.write.format(item)} for {item} in {{0}}]"
    if inner.read != "{0}":
        read = f"tuple([{inner.read.format(item)} for {item} in {{0}}])"
    return _Conversion(write, read)
