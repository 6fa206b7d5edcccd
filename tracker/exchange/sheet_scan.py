"""The gate's quick pass over a worksheet as spreadsheets write it, without a Python call per
element.

The gate's exact pass (`safety._PartReader`) runs a Python handler for each of a sheet's elements,
about 200,000 in a 5,000-row return, and that was most of the time a return took to open. This
pass learns the same facts from the bytes with a handful of whole-part operations in C, for the
form every spreadsheet writes: UTF-8, no comments, CDATA or processing instructions, no '>' in
text or attribute values, every cell and row with its `r` attribute first in double quotes, no
prefix on the elements the gate reads. Expat still parses the whole part (well-formed, no DTD).

For anything else it answers None and the exact pass reads the part, so it never decides
differently from that pass: it accepts only what the exact pass accepts, with the same facts, and
leaves every refusal (and its words) to it.
"""

from __future__ import annotations

import re
from operator import itemgetter
from typing import NamedTuple
from xml.parsers import expat

from tracker.exchange.layout import column_number

# Expat itself refuses to nest deeper than the C stack allows; a sheet is a few levels deep.
MAX_DEPTH = 64
# Excel's grid: a cell beyond it is not one a spreadsheet wrote.
GRID_ROWS, GRID_COLUMNS = 1_048_576, 16_384

# Every byte but the tag marks the depth is counted from (see `_depth_within`).
_NOT_MARKS = bytes(b for b in range(256) if b not in b"<>!?\x01\x02")
# A start tag becomes "(", an end tag ")", an empty element "()".
_TO_PARENS = bytes.maketrans(b"<\x01\x02", b"())")
_DECLARATION = re.compile(rb'<\?xml\s[^>]*?\?>')
_UTF8 = re.compile(rb"""encoding\s*=\s*["']utf-8["']""", re.I)
# A cell: its reference as spreadsheets write it, or empty groups for any other form.
_CELLS = re.compile(rb'<c(?: r="([A-Z]{1,3})([1-9][0-9]{0,6})"|[\s/>])')
_ROWS = re.compile(rb'<row(?: r="([1-9][0-9]{0,6})"|[\s/>])')
_DIMENSIONS = re.compile(rb'<dimension(?:( ref="([^"&<\t\n\r]*)")|[\s/>])')
_FIRST, _SECOND = itemgetter(0), itemgetter(1)
_FORMULA = re.compile(rb"<f[\s/>]")
# A prefixed element the exact pass would read by its local name.
_PREFIXED = re.compile(rb":(?:c|row|f|dimension)[\s/>]")


class SheetFacts(NamedTuple):
    """What the exact pass learns of a worksheet it accepts."""

    formulas: bool
    dimension: str | None
    rows: int      # the largest row a row or cell names
    columns: int   # the largest column a cell names


def quick_facts(data: bytes) -> SheetFacts | None:
    """The facts of worksheet XML `data` when it has the form spreadsheets write and the exact
    pass would accept it; None otherwise (the exact pass then reads it)."""
    declaration = _DECLARATION.match(data)
    if declaration is not None:
        if b"encoding" in declaration.group(0) and not _UTF8.search(declaration.group(0)):
            return None
        body = data[declaration.end():]
    elif data[:1] == b"<" and data[1:2] != b"\x00":  # (not UTF-16 without its mark)
        body = data
    else:
        return None  # a byte-order mark or leading space: rare, and the exact pass is exact
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.StartDoctypeDeclHandler = parser.EntityDeclHandler = _refuse
    try:
        parser.Parse(data, True)
    except (expat.ExpatError, _Declared, LookupError, ValueError):  # (an unknown encoding)
        return None
    if not _depth_within(body) or _PREFIXED.search(body):
        return None
    cells = _CELLS.findall(body)
    letters = set(map(_FIRST, cells))
    if b"" in letters:
        return None
    numbers = set(_ROWS.findall(body))
    if b"" in numbers:
        return None
    numbers.update(map(_SECOND, cells))
    dimension = None
    for whole, ref in _DIMENSIONS.findall(body):
        if not whole:
            return None
        dimension = ref.decode("utf-8")  # the last one, as the exact pass keeps
    rows = int(max(numbers, key=_numeric)) if numbers else 0
    columns = column_number(max(letters, key=_numeric).decode()) if letters else 0
    if rows > GRID_ROWS or columns > GRID_COLUMNS:
        return None
    return SheetFacts(_FORMULA.search(body) is not None, dimension, rows, columns)


def _depth_within(body: bytes) -> bool:
    """Whether every '<' and '>' is a tag's and no element nests deeper than MAX_DEPTH.

    With each '/>' marked "\x01>" and each '</' "\x02/" (replacements of the same length are
    a copy and a search), deleting every other byte leaves "<>" for each start tag, "<\x01>"
    for each empty element and "\x02>" for each end tag; a '>' in text or in an attribute value
    would leave one '>' more, and a comment, CDATA section or processing instruction a "<!" or
    "<?" (as would an attribute value starting with one of them: the exact pass then reads the
    part). Turned into brackets, each pass removing "()" removes one level of nesting."""
    marks = body.replace(b"/>", b"\x01>").replace(b"</", b"\x02/").translate(None, _NOT_MARKS)
    if b"<!" in marks or b"<?" in marks:
        return False
    if marks.count(b">") != marks.count(b"<") + marks.count(b"\x02"):
        return False
    nesting = marks.translate(_TO_PARENS, b">!?")
    for _ in range(MAX_DEPTH):
        if not nesting:
            return True
        nesting = nesting.replace(b"()", b"")
    return not nesting


def _numeric(text: bytes) -> tuple[int, bytes]:
    """Order column letters or row digits (no leading zeros) as the numbers they write."""
    return len(text), text


class _Declared(Exception):
    pass


def _refuse(*_args) -> None:
    raise _Declared()
