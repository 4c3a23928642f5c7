# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""minidom's pretty XML text, without minidom's DOM: for cyclonedx-python-lib's XML outputter.

cyclonedx-python-lib writes an indented XML BOM by parsing its own compact text into a
``xml.dom.minidom`` document and calling ``toprettyxml`` (a tenth of a 100,000-dependency
BOM's time: a DOM node with its links for every element and text). :func:`pretty_xml` parses
the same text with the same parser (expat) and writes it by the rules of minidom's
``writexml`` as CPython 3.11 ships it (:data:`VERIFIED_PYTHON`): an element with no child is
``<a/>``, with one text child ``<a>text</a>``, else each child on its own line, one indent
deeper; text and attribute values escaped for ``&``, ``<``, ``"`` and ``>``; attributes in
document order; adjacent character data as one text.

Only documents made of elements, attributes and text, without namespace prefixes (the
outputter declares one default namespace), are written here; a comment, a processing
instruction, a CDATA section, a document type declaration or a prefixed name (none of which
the outputter writes) raises :class:`NotPlain`, and the caller lets minidom do it. minidom
lists an element's namespace declarations before its other attributes; so does this.
``tests/sbom/test_cyclonedx_fast.py`` compares the text with minidom's.
"""

from __future__ import annotations

import sys
from typing import Any
from xml.parsers import expat

#: The CPython releases whose minidom ``writexml`` these rules were checked against.
VERIFIED_PYTHON = ((3, 11),)


class NotPlain(ValueError):
    """The document holds something besides elements, attributes and text."""


def verified_python() -> bool:
    """True on a CPython release whose minidom :func:`pretty_xml` was checked against."""
    return sys.implementation.name == "cpython" and sys.version_info[:2] in VERIFIED_PYTHON


def _escape(data: str) -> str:
    # minidom's _write_data.
    return (
        data.replace("&", "&amp;").replace("<", "&lt;").replace('"', "&quot;").replace(">", "&gt;")
    )


def pretty_xml(text: str, indent: str = "\t", newl: str = "\n") -> str:
    """``xml.dom.minidom.parseString(text).toprettyxml(indent=indent, newl=newl)``."""
    # An element is [start tag text, children]; a child is an element or a str (text).
    root: list[Any] = ["", []]
    stack: list[list[Any]] = [root]

    def start(name: str, attributes: list[str]) -> None:
        names = attributes[::2]
        if ":" in name or any(":" in n and not n.startswith("xmlns:") for n in names):
            raise NotPlain("a prefixed name")  # minidom checks its namespace: let it
        pairs = list(zip(names, attributes[1::2], strict=True))
        # minidom lists the namespace declarations first, then the other attributes.
        declared = [p for p in pairs if p[0] == "xmlns" or p[0].startswith("xmlns:")]
        if declared:
            pairs = declared + [p for p in pairs if p not in declared]
        tag = "<" + name
        for key, value in pairs:
            tag += f' {key}="{_escape(value)}"'
        element: list[Any] = [tag, [], name]
        stack[-1][1].append(element)
        stack.append(element)

    def end(name: str) -> None:
        stack.pop()

    def characters(data: str) -> None:
        children = stack[-1][1]
        if children and isinstance(children[-1], str):
            children[-1] += data
        else:
            children.append(data)

    def refuse(*_: Any) -> None:
        raise NotPlain("not only elements, attributes and text")

    parser = expat.ParserCreate()
    parser.buffer_text = True
    parser.ordered_attributes = True
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = characters
    parser.CommentHandler = refuse
    parser.ProcessingInstructionHandler = refuse
    parser.StartCdataSectionHandler = refuse
    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    parser.Parse(text, True)

    return _write(root, indent, newl)


def _write(root: list[Any], indent: str, newl: str) -> str:
    """The parsed document ``root`` as minidom's ``writexml`` writes it."""
    out: list[str] = ['<?xml version="1.0" ?>', newl]
    # Document children: minidom keeps no text outside the root element.
    todo: list[tuple[Any, str]] = [
        (child, "") for child in reversed(root[1]) if not isinstance(child, str)
    ]
    while todo:
        node, depth = todo.pop()
        if isinstance(node, str):  # a text among other children
            out.append(_escape(depth + node + newl))
            continue
        if isinstance(node, tuple):  # the end of an element whose children came before
            out.append(f"{node[0]}</{node[1]}>{newl}")
            continue
        tag, children, name = node
        out.append(depth + tag)
        if not children:
            out.append("/>" + newl)
        elif len(children) == 1 and isinstance(children[0], str):
            out.append(f">{_escape(children[0])}</{name}>{newl}")
        else:
            out.append(">" + newl)
            todo.append(((depth, name), ""))
            deeper = depth + indent
            todo.extend((child, deeper) for child in reversed(children))
    return "".join(out)
