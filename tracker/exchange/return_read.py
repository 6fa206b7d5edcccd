"""Reading a returned workbook in full, without the database: the slow part, safe on a thread.

The file is read once into memory (its SHA-256 is what the return records), checked before
openpyxl sees it, then read in read-only mode with bounded rows and columns. A formula counts
by the value the spreadsheet saved with it; to tell a formula with no saved value from an empty
cell, sheets holding formulas are read a second time without cached values.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from tracker.domain.text import xml_safe
from tracker.exchange import fast_read, layout
from tracker.exchange.cells import is_blank
from tracker.exchange.errors import Cancelled, WorkbookRefused
from tracker.exchange.safety import Snapshot, check_unchanged, take_snapshot

Progress = Callable[[int, int], None]
IsCancelled = Callable[[], bool]


@dataclass(frozen=True)
class Problem:
    """Something wrong at one cell; the row it is on is not applied."""

    sheet: str
    cell: str
    message: str
    ref: str | None = None

    def __post_init__(self) -> None:
        # A message may quote the cell ("'Done\x9b' is not a status"); printed to a terminal
        # or written to a marked copy, it holds no control characters.
        object.__setattr__(self, "message", xml_safe(self.message))

    def __str__(self) -> str:
        where = f"{self.sheet}!{self.cell}" if self.cell else self.sheet
        return f"{where}: {self.message}"


# Slots: a return holds some 50,000 cells, and each without a __dict__ is one object, not two,
# for every pass of the cycle collector to walk while the preview is held.
@dataclass(frozen=True, slots=True)
class RawCell:
    value: object
    coordinate: str
    number_format: str | None = None


@dataclass(slots=True)
class RawRow:
    """One row's values by column key; its cells (value, coordinate, number format) are made
    when asked for. A row is three objects, not a dozen: the 50,000 cells of a return held as
    objects were each walked by every pass of the cycle collector while the preview was made."""

    number: int
    values: dict[str, object]
    letters: dict[str, str]  # column letters by key (the sheet's, shared by its rows)
    formats: dict[str, str] | None = None  # number formats by key, where a number has one

    def value(self, key: str) -> object:
        return self.values[key]

    def coordinate(self, key: str) -> str:
        return f"{self.letters[key]}{self.number}"

    def cell(self, key: str) -> RawCell:
        formats = self.formats
        return RawCell(self.values[key], f"{self.letters[key]}{self.number}",
                       formats.get(key) if formats else None)

    def is_blank(self) -> bool:
        return all(is_blank(v) for v in self.values.values())


@dataclass
class RawSheet:
    name: str
    rows: list[RawRow] = field(default_factory=list)


@dataclass
class RawReturn:
    snapshot: Snapshot
    meta: dict[str, str]
    refs: list[list[str]]
    commitments: RawSheet
    indicators: RawSheet
    problems: list[Problem] = field(default_factory=list)

    @property
    def rows_read(self) -> int:
        return len(self.commitments.rows) + len(self.indicators.rows)


def read_return_file(path: str | Path, progress: Progress | None = None,
                     cancelled: IsCancelled | None = None) -> RawReturn:
    """Check, snapshot and read a returned workbook. Raises WorkbookRefused or Cancelled."""
    snapshot = take_snapshot(path, cancelled=cancelled)
    raw = read_snapshot(snapshot, progress, cancelled)
    check_unchanged(snapshot)
    return raw


def read_snapshot(snapshot: Snapshot, progress: Progress | None = None,
                  cancelled: IsCancelled | None = None) -> RawReturn:
    """The workbook's answers: read by calamine when it can tell everything openpyxl would
    (tracker.exchange.fast_read), else by openpyxl."""
    raw = _read_fast(snapshot, progress, cancelled)
    if raw is not None:
        return raw
    # openpyxl (a tenth of a second to import, and tens of thousands of objects for the cycle
    # collector to walk) loads only for the workbooks calamine does not read.
    from tracker.exchange.reading import open_workbook, rows

    wb = open_workbook(snapshot, cancelled=cancelled)
    try:
        names = wb.sheetnames
        if layout.HIDDEN not in names:
            raise WorkbookRefused(
                f"{snapshot.name} is not a Commitment Tracker return: it has no identifiers "
                "sheet. (Was it copied into a new workbook? Use the workbook as it was sent.)")
        for needed in (layout.COMMITMENTS, layout.INDICATORS):
            if needed not in names:
                raise WorkbookRefused(f"{snapshot.name} has no '{needed}' sheet; it may have "
                                      "been deleted or renamed. Use the workbook as it was sent.")
        hidden = wb[layout.HIDDEN]
        meta, refs = _read_hidden(snapshot, lambda max_row, max_col: rows(
            snapshot, hidden, max_row=max_row, max_col=max_col, values_only=True))
        c_ws, i_ws = wb[layout.COMMITMENTS], wb[layout.INDICATORS]
        # The gate counted the rows each sheet holds; a declared dimension is never trusted.
        total = sum(min(_rows_held(snapshot, ws.title), layout.MAX_ROWS)
                    for ws in (c_ws, i_ws)) or 1
        counter = _Counter(total, progress, cancelled)
        commitments = _read_sheet(snapshot, c_ws.title, _cells_of(snapshot, c_ws),
                                  layout.COMMITMENT_COLUMNS, counter)
        indicators = _read_sheet(snapshot, i_ws.title, _cells_of(snapshot, i_ws),
                                 layout.INDICATOR_COLUMNS, counter)
    finally:
        wb.close()
    raw = RawReturn(snapshot, meta, refs, commitments, indicators)
    if snapshot.has_formulas:
        _check_formulas(raw, cancelled)
    if progress is not None:
        progress(total, total)
    return raw


class _Counter:
    def __init__(self, total: int, progress: Progress | None, cancelled: IsCancelled | None):
        self.total, self.done = total, 0
        self.progress, self.cancelled = progress, cancelled

    def tick(self) -> None:
        self.done += 1
        if self.done % 200 == 1:
            if self.cancelled is not None and self.cancelled():
                raise Cancelled()
            if self.progress is not None:
                self.progress(min(self.done, self.total), self.total)


def _rows_held(snapshot: Snapshot, sheet: str) -> int:
    extent = snapshot.extents.get(sheet)
    return extent.rows if extent is not None else layout.MAX_ROWS


def _read_fast(snapshot: Snapshot, progress: Progress | None,
               cancelled: IsCancelled | None) -> RawReturn | None:
    if not fast_read.usable(snapshot):
        return None
    try:
        grids = fast_read.read_grids(snapshot, (layout.HIDDEN, layout.COMMITMENTS,
                                                layout.INDICATORS), cancelled)
    except Cancelled:
        raise
    except Exception:  # damaged in a way calamine trips on: openpyxl reads it and says how
        return None
    if grids is None:
        return None
    hidden = grids[layout.HIDDEN]
    meta, refs = _read_hidden(snapshot, lambda max_row, max_col: (
        hidden.row(n, max_col) for n in range(1, min(max_row, hidden.height) + 1)))
    total = sum(min(grids[n].height, layout.MAX_ROWS)
                for n in (layout.COMMITMENTS, layout.INDICATORS)) or 1
    counter = _Counter(total, progress, cancelled)
    sheets = [_read_grid(snapshot, name, grids[name], columns, counter)
              for name, columns in ((layout.COMMITMENTS, layout.COMMITMENT_COLUMNS),
                                    (layout.INDICATORS, layout.INDICATOR_COLUMNS))]
    raw = RawReturn(snapshot, meta, refs, *sheets)
    if progress is not None:
        progress(total, total)
    return raw


def _read_grid(snapshot: Snapshot, title: str, grid: fast_read.Grid,
               columns: tuple[layout.Column, ...], counter: _Counter) -> RawSheet:
    """_read_sheet over the values calamine read: the same rows, cells, limits and refusals,
    without a cell object made for each value first."""
    positions = _positions(snapshot, title, grid.row(1, layout.MAX_COLUMNS), columns)
    keyed = list(positions.items())
    letters = {key: layout.column_letter(n + 1) for key, n in keyed}
    width = max(positions.values()) + 1
    value = fast_read.value
    sheet = RawSheet(title)
    for number, values in enumerate(grid.rows(2, layout.MAX_ROWS + 1, width), start=2):
        counter.tick()
        if number > layout.MAX_ROWS:
            if any(not is_blank(value(v)) for v in values):
                raise WorkbookRefused(f"{snapshot.name}: the {title} sheet has more than "
                                      f"{layout.MAX_ROWS:,} rows, more than any return holds.")
            continue
        found = {}
        empty = True
        held = len(values)
        for key, n in keyed:
            v = value(values[n]) if n < held else None
            if v is not None:
                if isinstance(v, str):
                    if len(v) > layout.MAX_TEXT:
                        v = v[: layout.MAX_TEXT + 1]
                    if empty and v.strip():
                        empty = False
                else:
                    empty = False
            found[key] = v
        if not empty:
            sheet.rows.append(RawRow(number, found, letters))
    return sheet


def _cells_of(snapshot: Snapshot, ws):
    from tracker.exchange.reading import rows

    return lambda min_row, max_row, max_col: rows(snapshot, ws, min_row=min_row,
                                                  max_row=max_row, max_col=max_col)


def _read_hidden(snapshot: Snapshot, value_rows) -> tuple[dict[str, str], list[list[str]]]:
    name = snapshot.name
    meta: dict[str, str] = {}
    refs: list[list[str]] = []
    in_refs = False
    for row in value_rows(layout.MAX_ROWS * 2 + 40, 5):
        values = ["" if v is None else str(v) for v in row] + [""] * (5 - len(row))
        if not any(values):
            continue
        if not in_refs:
            if values[0] == "ref" and values[1] == "kind":
                in_refs = True
            else:
                meta[values[0]] = values[1]
            continue
        refs.append(values[:5])
    if "seal" not in meta or "export_uid" not in meta:
        raise WorkbookRefused(f"{name}: the identifiers sheet is damaged or has been edited; "
                              "the workbook cannot be matched to the plan. Export it again.")
    return meta, refs


def _positions(snapshot: Snapshot, title: str, header: list | tuple,
               columns: tuple[layout.Column, ...]) -> dict[str, int]:
    """Where each column is, by its heading in row 1 (`header`, its values)."""
    found = {layout.heading_key(v): n for n, v in enumerate(header) if not is_blank(v)}
    positions: dict[str, int] = {}
    for col in columns:
        n = found.get(layout.heading_key(col.heading))
        if n is None:
            raise WorkbookRefused(
                f"{snapshot.name}: the {title} sheet has no '{col.heading}' column (headings "
                "are in row 1); it may have been deleted or renamed. Use the workbook as it was "
                "sent.")
        positions[col.key] = n
    return positions


def _read_sheet(snapshot: Snapshot, title: str, cell_rows, columns: tuple[layout.Column, ...],
                counter: _Counter) -> RawSheet:
    """`cell_rows(min_row, max_row, max_col)` gives the sheet's rows of cells."""
    name = snapshot.name
    header = next(iter(cell_rows(1, 1, layout.MAX_COLUMNS)), ())
    positions = _positions(snapshot, title, [getattr(c, "value", None) for c in header], columns)
    letters = {key: layout.column_letter(n + 1) for key, n in positions.items()}
    # Only the columns we know are read: a sheet may declare 16,384 of them.
    width = max(positions.values()) + 1
    sheet = RawSheet(title)
    for number, row in enumerate(cell_rows(2, layout.MAX_ROWS + 1, width), start=2):
        counter.tick()
        if number > layout.MAX_ROWS:
            if any(not is_blank(getattr(c, "value", None)) for c in row):
                raise WorkbookRefused(f"{name}: the {title} sheet has more than "
                                      f"{layout.MAX_ROWS:,} rows, more than any return holds.")
            continue
        found = {}
        formats = {}
        blank = True
        for key, n in positions.items():
            cell = row[n] if n < len(row) else None
            value = getattr(cell, "value", None)
            if isinstance(value, str) and len(value) > layout.MAX_TEXT:
                value = value[: layout.MAX_TEXT + 1]
            if blank and not is_blank(value):
                blank = False
            # The number format matters only for numbers (a % format on a fraction).
            if isinstance(value, (int, float)):
                fmt = _number_format(cell)
                if fmt is not None:
                    formats[key] = fmt
            found[key] = value
        if not blank:
            sheet.rows.append(RawRow(number, found, letters, formats or None))
    return sheet


def _number_format(cell) -> str | None:
    # A cell may point at a style the workbook does not have; its number is read without one.
    try:
        return cell.number_format
    except (IndexError, KeyError, AttributeError, TypeError):
        return None


def _check_formulas(raw: RawReturn, cancelled: IsCancelled | None) -> None:
    """A formula with no saved value is an error at its cell (we never calculate)."""
    from tracker.exchange.reading import open_workbook, rows

    wb = open_workbook(raw.snapshot, data_only=False, cancelled=cancelled)
    try:
        for sheet in (raw.commitments, raw.indicators):
            formulas: set[str] = set()
            ws = wb[sheet.name]
            for number, row in enumerate(rows(raw.snapshot, ws, max_row=layout.MAX_ROWS,
                                              max_col=layout.MAX_COLUMNS), start=1):
                if number % 500 == 0 and cancelled is not None and cancelled():
                    raise Cancelled()
                for n, cell in enumerate(row):
                    if getattr(cell, "data_type", None) == "f":
                        formulas.add(f"{layout.column_letter(n + 1)}{number}")
            by_coordinate = {r.coordinate(key): value for r in sheet.rows
                             for key, value in r.values.items()}
            for coordinate in sorted(formulas):
                if coordinate in by_coordinate and by_coordinate[coordinate] is None:
                    raw.problems.append(Problem(
                        sheet.name, coordinate,
                        "This cell holds a formula with no saved result; type the value itself "
                        "(formulas are never calculated on import)."))
    finally:
        wb.close()

