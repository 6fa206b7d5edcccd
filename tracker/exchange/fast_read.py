"""Reading a returned workbook's cells with python-calamine, behind the same gate.

calamine (Rust) reads a 5,000-row return 10 to 20 times faster than openpyxl's read-only mode.
It does not go through defusedxml and gives no number formats, so it is used only for bytes the
gate (`safety.take_snapshot`) has already passed (no DTD or entities, bounded sizes, the rows and
columns each sheet reaches counted), and only when nothing it cannot tell would change what is
read: no formulas (their saved values are checked with openpyxl), no percentage number formats
(45% typed into Excel is stored as 0.45, and only the format says so), and sheets within the
rows and columns a return may hold. Otherwise `read` returns None and openpyxl reads the file.

Values are made the ones openpyxl gives: an empty cell is None, a whole number an int, a date
cell a datetime.
"""

from __future__ import annotations

import re
import zipfile
from datetime import date, datetime

from tracker.exchange import layout
from tracker.exchange.errors import Cancelled
from tracker.exchange.safety import IsCancelled, Snapshot

try:  # the reader is optional: without it openpyxl reads every workbook
    from python_calamine import CalamineWorkbook
except ImportError:  # pragma: no cover - installed with the tracker
    CalamineWorkbook = None

# Number formats Excel builds in whose code holds a %: 0% and 0.00%.
_PERCENT_IDS = {9, 10}
_NUMFMT = re.compile(rb"<(?:\w+:)?numFmt\b[^>]*>", re.S)
_XF_BLOCK = re.compile(rb"<(?:\w+:)?cellXfs\b.*?</(?:\w+:)?cellXfs>", re.S)
_XF = re.compile(rb"<(?:\w+:)?xf\b[^>]*>", re.S)
_ATTR = re.compile(rb"""(\w+)\s*=\s*("[^"]*"|'[^']*')""")


def _attrs(tag: bytes) -> dict[bytes, bytes]:
    return {k: v[1:-1] for k, v in _ATTR.findall(tag)}


def has_percent_formats(snapshot: Snapshot) -> bool:
    """Whether any cell style of the workbook formats numbers as percentages."""
    with zipfile.ZipFile(snapshot.stream()) as archive:
        try:
            styles = archive.read("xl/styles.xml")
        except KeyError:
            return False
    percent = set(_PERCENT_IDS)
    for tag in _NUMFMT.findall(styles):
        attrs = _attrs(tag)
        if b"%" in attrs.get(b"formatCode", b"") and attrs.get(b"numFmtId", b"").isdigit():
            percent.add(int(attrs[b"numFmtId"]))
    block = _XF_BLOCK.search(styles)
    for tag in _XF.findall(block.group(0) if block else b""):
        number = _attrs(tag).get(b"numFmtId", b"0")
        if number.isdigit() and int(number) in percent:
            return True
    return False


def usable(snapshot: Snapshot) -> bool:
    """Whether calamine may read this workbook (see the module's docstring)."""
    if CalamineWorkbook is None or snapshot.has_formulas:
        return False
    for sheet, limit in ((layout.COMMITMENTS, layout.MAX_ROWS + 1),
                         (layout.INDICATORS, layout.MAX_ROWS + 1),
                         (layout.HIDDEN, layout.MAX_ROWS * 2 + 40)):
        extent = snapshot.extents.get(sheet)
        # A sheet the gate did not measure (its part outside xl/worksheets/, or not named
        # through the workbook's relationships as calamine finds it) is read by openpyxl.
        if extent is None or extent.rows > limit or extent.columns > layout.MAX_COLUMNS:
            return False  # openpyxl reads what is allowed and refuses the rest in words
    # The gate refuses a DTD or entity declaration; calamine would read on regardless, so it
    # never sees a part whose bytes hold one even should the gate miss it (openpyxl, through
    # defusedxml, then refuses it a second time).
    return not has_percent_formats(snapshot) and not snapshot.declares_entities


def value(v: object) -> object:
    """A value calamine read, as openpyxl gives it."""
    if v.__class__ is str:
        return v or None
    if isinstance(v, float) and v.is_integer() and abs(v) < 2**53:
        return int(v)
    if isinstance(v, date) and not isinstance(v, datetime):
        return datetime(v.year, v.month, v.day)
    return v


class Grid:
    """One sheet's values, rows from 1 and columns from 0, as openpyxl would give them."""

    def __init__(self, rows: list[list[object]]):
        self._rows = rows

    def row(self, number: int, width: int) -> tuple[object, ...]:
        if number > len(self._rows):
            return ()
        return tuple(value(v) for v in self._rows[number - 1][:width])

    def rows(self, first: int, last: int, width: int):
        """Rows `first` to `last` as calamine read them (not yet as openpyxl gives them: see
        `value`), none longer than `width`."""
        for values in self._rows[first - 1:last]:
            yield values if len(values) <= width else values[:width]

    @property
    def height(self) -> int:
        return len(self._rows)


def read_grids(snapshot: Snapshot, names: tuple[str, ...],
               cancelled: IsCancelled | None = None) -> dict[str, Grid] | None:
    """The named sheets' values; None when a sheet is missing (openpyxl then says which)."""
    book = CalamineWorkbook.from_filelike(snapshot.stream(cancelled))
    present = set(book.sheet_names)
    if any(name not in present for name in names):
        return None
    grids = {}
    for name in names:
        if cancelled is not None and cancelled():
            raise Cancelled()
        grids[name] = Grid(book.get_sheet_by_name(name).to_python(skip_empty_area=False))
    return grids
