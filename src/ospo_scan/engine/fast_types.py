# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""Fast file typing: one libmagic call per file where ScanCode makes two (issue 19).

typecode's ``Type`` (one per absolute path, kept in ``contenttype._registry``) asks libmagic
twice: for the description (``filetype_file``, flags 0) and for the MIME type
(``mimetype_file``, ``MAGIC_MIME_TYPE``). The bundled libmagic 5.39 compiles the regular
expressions of its magic entries on every call, so each costs about 1.3 ms even on a small
file: about a quarter of a cold scan of the npm tree went to these two calls. While a file is
detected, :func:`fast_typing` stands a function in for ``typecode.magic2.mime_type`` that
asks for the description first (the ``Type`` would ask for it next anyway) and returns the MIME
type without a second call when the description proves which MIME type libmagic would print.

It also stands in for binaryornot's ``_compute_features``, which typecode's ``is_binary``
runs on the first 512 bytes of every file: 24 statistics counted in Python loops over each
byte (about half a millisecond a file). :func:`_fast_features` counts the same integers with
bytes methods, so every feature, and so the decision tree's answer, is the same.

What of libmagic reaches a scan's findings
------------------------------------------
The scan detects only files that :mod:`ospo_scan.scan.files` took for text (no NUL in the first
8 KiB, or a UTF-16/32 byte-order mark; not empty). ScanCode 32.5.0 reads typecode there:

- ``licensedcode.query.build_query``: ``contains_text`` (no query at all when false),
  ``is_binary``; ``Query._tokenize_and_build_runs``: ``is_text_with_long_lines``
  (``"long lines"`` in the description) and ``is_binary``.
- ``textcode.analysis.numbered_text_lines`` (the license query's lines, the matched text's
  tokens in ``licensedcode.match``, the copyright detector's lines): ``contains_text``,
  ``is_pdf`` and ``is_pdf_with_text`` (text from pdfminer), a description starting with
  ``Spline Font Database`` (sfdb text), ``is_js_map``, ``is_text``, and on text
  ``is_text_with_long_lines``, ``is_compact_js`` and ``filetype_file == 'data'`` (long lines
  re-wrapped); ``unicode_text_lines_from_binary``: ``contains_text``.
- ``textcode.markup.is_markup`` (copyrights): ``size``, ``is_text``.
- Through those: ``contains_text`` reads ``is_media`` (MIME words ``image``, ``picture``,
  ``audio``, ``video``, ``graphic``, ``sound``; description words such as ``image data``,
  ``netpbm``, ``bitmap``; and ``.tga`` files described as ``data`` with MIME
  ``application/octet-stream``), ``is_text`` (binaryornot, not libmagic), ``is_pdf`` (MIME
  contains ``pdf``), ``is_compressed``, ``is_archive``, ``is_package``, ``is_office_doc`` (the
  description); ``is_compact_js`` reads ``programming_language`` when the description is
  ``data`` (``filetype_pygment``, which reads ``is_media``; ``is_script``, the description).
- Package datafile recognition (``packagedcode.models.DatafileHandler.is_datafile`` and the
  Maven and Windows PE handlers) reads the description and ``is_text`` only; it runs outside
  :func:`fast_typing`, as shipped.
- ospo-scan itself reads no typecode value: it has its own binary sniff and no file info
  output.

So the MIME type is read only through three predicates: a media word in it, ``pdf`` in it,
and its equality with ``application/octet-stream`` (for a ``.tga`` described as ``data``).
The description is read in many ways and is always libmagic's own: this module never guesses
it.

Why the MIME type is exact where it is derived
----------------------------------------------
libmagic 5.39 (``file_buffer`` in ``funcs.c``) tries, in this order and the same way with
either flag: compression (only with ``MAGIC_COMPRESS``, never set by typecode), tar, JSON,
CSV, CDF, ELF (printed only with a soft-magic match), the binary soft-magic entries, then the
text tests (``ascmagic.c``), which first run the text soft-magic entries; the first test that
answers ends the search. Hence:

- ``JSON data`` is printed only by ``is_json.c``, whose MIME form is ``application/json``;
  ``CSV text`` only by ``is_csv.c``, whose MIME form is ``application/csv``.
- A description that is the text tests' own (``ASCII text``, ``UTF-8 Unicode text, with very
  long lines``, ``ISO-8859 text, with CRLF line terminators`` ...: :data:`_PLAIN_TEXT`, with no
  soft-magic prefix) means that no soft-magic entry with a description matched. The soft-magic
  walk (``softmagic.c``, ``match``) stops at the first matched chain holding a description in
  both modes; in MIME mode it also stops at the first matched entry holding a MIME type
  (``handle_annotation``). So the MIME mode prints something else than ``ascmagic``'s
  ``text/plain`` only if an entry with a MIME type and no description matched. In 5.39's magic
  source (``magic/Magdir``) one entry has a MIME type and no description: the LHarc entry
  (``archive``, ``application/x-lzh-compressed``), under a test of byte 20 below 4, a control
  byte that makes libmagic's encoding test call the file binary, so never a text description.
- A description ``X, <text tests' words>`` was printed by a text soft-magic entry during the
  text tests, after the binary soft-magic walk found nothing. In MIME mode the walks are the
  same up to that entry's chain, where the first matched entry holding a MIME type answers;
  a chain with none ends the walk and the text tests print ``text/plain``. For each prefix of
  :data:`_SOFT_MAGIC_MIME`, every entry of 5.39's source whose literal description starts
  with it holds that MIME type itself (``Python script``: all but two, which hold none, so
  ``text/plain`` there; both values give the same predicates, see the table).

Where it is only empirical: a few thousand continuation entries print only a formatted value
(``%s``, ``%c``, ``%d`` of a binary field) and could in principle be the first text printed
for a file; reading the source cannot rule out that one prints a listed prefix. And
typecode-libmagic ships a compiled ``magic.mgc``, taken to be 5.39's source as released. The
equivalence tests (``tests/engine/test_fast_types.py``) compare the derived MIME type and
every predicate with libmagic's on tricky files; the same comparison over every file of the
npm tree (2,238 files) and of Django 5.2.19's sdist (6,918) found no predicate that differs
(the MIME string differs only on 242 Python files, text/plain against x-script.python, as
said above). The stand-in is used only with libmagic 5.39 (:func:`libmagic_verified`) and
ScanCode's verified release, and never with ``--no-prefilter``; with any other libmagic,
both calls are made, as shipped.
"""

from __future__ import annotations

import contextlib
import math
import re
from collections.abc import Iterator
from typing import Any

from ospo_scan.engine._patch import swapped, verified

#: The libmagic release whose order of tests and magic data the derivations were checked on,
#: as ``magic_version()`` gives it.
VERIFIED_LIBMAGIC_VERSION = 539

#: Descriptions that only libmagic 5.39's text tests print (``file_ascmagic_with_encoding``:
#: the encoding, " text", then the optional notes in this order), after typecode has joined
#: its whitespace. Its MIME form is ``text/plain``.
_ENCODINGS = (
    r"(?:ASCII|UTF-7 Unicode|UTF-8 Unicode \(with BOM\)|UTF-8 Unicode"
    r"|(?:Little|Big)-endian UTF-(?:16|32) Unicode|ISO-8859|Non-ISO extended-ASCII"
    r"|EBCDIC|International EBCDIC) text"
)
_NOTES = (
    r"(?:, with very long lines)?"
    r"(?:, with (?:no|(?:CRLF|CR|LF|NEL)(?:, (?:CR|LF|NEL))*) line terminators)?"
    r"(?:, with escape sequences)?(?:, with overstriking)?"
)
_PLAIN_TEXT = re.compile(_ENCODINGS + _NOTES)
#: The text tests' words after a soft-magic description (" executable" when it ended in
#: "text executable").
_AFTER_SOFT_MAGIC = re.compile(_ENCODINGS + "(?: executable)?" + _NOTES)

#: Descriptions printed by one test whose MIME form is fixed (``is_json.c``, ``is_csv.c``).
_WHOLE_DESCRIPTIONS = {"JSON data": "application/json", "CSV text": "application/csv"}

#: Soft-magic descriptions (a text test's, so followed by the text tests' own words) whose
#: every magic entry in 5.39 carries this MIME type (see the module docstring).
_SOFT_MAGIC_MIME = (
    ("Java source, ", "text/x-java"),
    ("Algol 68 source, ", "text/x-Algol68"),
    ("C++ source, ", "text/x-c++"),
    ("HTML document, ", "text/html"),
    ("GNU gettext message catalogue, ", "text/x-po"),
    # Two of 5.39's "Python script" entries have no MIME type: on a file that one of them
    # describes, the MIME walk ends without one and the text tests print text/plain. Either
    # value has no media word and no "pdf", so the predicates are the same; the value given
    # is the one most entries carry (so mimetype_file may say x-script.python for text/plain).
    ("Python script, ", "text/x-script.python"),
)


def mime_from_description(description: str) -> str | None:
    """The MIME type that libmagic 5.39 prints for a file it describes as ``description``,
    when the description proves it; None when only libmagic can say."""
    if _PLAIN_TEXT.fullmatch(description):
        return "text/plain"
    whole = _WHOLE_DESCRIPTIONS.get(description)
    if whole is not None:
        return whole
    for prefix, mime in _SOFT_MAGIC_MIME:
        if description.startswith(prefix) and _AFTER_SOFT_MAGIC.fullmatch(
            description[len(prefix) :]
        ):
            return mime
    return None


def _libmagic_version() -> int | None:
    from typecode import magic2

    try:
        return int(magic2.libmagic_version())
    except Exception:  # noqa: BLE001 -- an old libmagic without magic_version(): not verified
        return None


_libmagic: list[int | None] = []


def libmagic_verified() -> bool:
    """True when typecode's libmagic is :data:`VERIFIED_LIBMAGIC_VERSION` (asked once)."""
    if not _libmagic:
        _libmagic.append(_libmagic_version())
    return _libmagic[0] == VERIFIED_LIBMAGIC_VERSION


#: typecode's own ``magic2.mime_type``, kept while the stand-in replaces it.
_ORIGINAL_MIME_TYPE: list[Any] = []


def _mime_type(location: str) -> str:
    """``typecode.magic2.mime_type``, without the libmagic call when the description proves
    the answer. ``location`` is the absolute path that typecode's ``Type`` keys on."""
    from typecode import contenttype, magic2

    known = contenttype._registry.get(location)  # typecode's own cache
    # The Type reads its description right after its MIME type (``is_media``), and keeps it.
    description = known.filetype_file if known is not None else magic2.file_type(location)
    derived = mime_from_description(description)
    if derived is not None:
        return derived
    return str(_ORIGINAL_MIME_TYPE[0](location))


#: The binaryornot release whose ``_compute_features`` :func:`_fast_features` copies.
VERIFIED_BINARYORNOT_VERSION = "0.6.0"

_binaryornot: list[str | None] = []


def binaryornot_verified() -> bool:
    """True when the installed binaryornot is :data:`VERIFIED_BINARYORNOT_VERSION`."""
    if not _binaryornot:
        from importlib import metadata

        try:
            _binaryornot.append(metadata.version("binaryornot"))
        except metadata.PackageNotFoundError:
            _binaryornot.append(None)
    return _binaryornot[0] == VERIFIED_BINARYORNOT_VERSION


@contextlib.contextmanager
def fast_typing() -> Iterator[None]:
    """Inside the block, typecode types files with libmagic's and binaryornot's values, cheaper:
    the MIME type is asked of libmagic only when the description does not prove it, and
    binaryornot's byte statistics are counted in C (see the module docstring).

    Each part is on only when ScanCode, and libmagic or binaryornot, are the verified releases.
    """
    from binaryornot import helpers
    from typecode import magic2

    with contextlib.ExitStack() as stack:
        if verified():
            if libmagic_verified():
                if not _ORIGINAL_MIME_TYPE and magic2.mime_type is not _mime_type:
                    _ORIGINAL_MIME_TYPE.append(magic2.mime_type)
                stack.enter_context(swapped(magic2, mime_type=_mime_type))
            if binaryornot_verified():
                stack.enter_context(swapped(helpers, _compute_features=_fast_features))
        yield


# --- binaryornot's features, counted in C ---

_CONTROL_BYTES = bytes(sorted(set(range(32)) - {9, 10, 13}))
_PRINTABLE_BYTES = bytes(range(0x20, 0x7F))
_HIGH_BYTES = bytes(range(0x80, 0x100))
_PRINTABLE_RUN = re.compile(rb"[\t\n\r\x20-\x7e]+")


def _decodes(chunk: bytes, encoding: str) -> float:
    try:
        chunk.decode(encoding)
    except (UnicodeDecodeError, ValueError):
        return 0.0
    return 1.0


def _fast_features(chunk: bytes) -> list[float]:
    """``binaryornot.helpers._compute_features`` of binaryornot 0.6.0 (BSD-3-Clause, (c)
    Audrey Roy Greenfeld and contributors), with its counts made by bytes methods in C
    instead of Python loops over each byte.

    Every feature is the same integer count divided by the same length, or the same decode
    test, and the entropy adds the same terms in the same order (by byte value), so the list
    is equal, float for float; ``tests/engine/test_fast_types.py`` compares the two.
    """
    from binaryornot.helpers import _has_known_binary_signature

    n = len(chunk)
    control_count = n - len(chunk.translate(None, _CONTROL_BYTES))
    printable_count = n - len(chunk.translate(None, _PRINTABLE_BYTES))
    high_count = n - len(chunk.translate(None, _HIGH_BYTES))
    even_total = (n + 1) // 2
    odd_total = n // 2
    even_nulls = chunk[0::2].count(0)
    odd_nulls = chunk[1::2].count(0)
    entropy = 0.0
    for byte in sorted(set(chunk)):
        p = chunk.count(byte) / n
        entropy -= p * math.log2(p)
    long_enough = n >= 10
    longer = n >= 16
    max_run = max((len(run) for run in _PRINTABLE_RUN.findall(chunk)), default=0)
    return [
        chunk.count(0) / n,
        control_count / n,
        printable_count / n,
        high_count / n,
        _decodes(chunk, "utf-8"),
        even_nulls / even_total if even_total else 0,
        odd_nulls / odd_total if odd_total else 0,
        entropy,
        1.0 if chunk[:4] == b"\xff\xfe\x00\x00" else 0.0,
        1.0 if chunk[:4] == b"\x00\x00\xfe\xff" else 0.0,
        1.0 if chunk[:2] == b"\xff\xfe" and chunk[:4] != b"\xff\xfe\x00\x00" else 0.0,
        1.0 if chunk[:2] == b"\xfe\xff" else 0.0,
        1.0 if chunk[:3] == b"\xef\xbb\xbf" else 0.0,
        _decodes(chunk, "utf-16-le") if long_enough else 0.0,
        _decodes(chunk, "utf-16-be") if long_enough else 0.0,
        _decodes(chunk, "utf-32-le") if longer else 0.0,
        _decodes(chunk, "utf-32-be") if longer else 0.0,
        max_run / n,
        _decodes(chunk, "gb2312") if long_enough else 0.0,
        _decodes(chunk, "big5") if long_enough else 0.0,
        _decodes(chunk, "shift_jis") if long_enough else 0.0,
        _decodes(chunk, "euc-jp") if long_enough else 0.0,
        _decodes(chunk, "euc-kr") if long_enough else 0.0,
        1.0 if _has_known_binary_signature(chunk) else 0.0,
    ]
