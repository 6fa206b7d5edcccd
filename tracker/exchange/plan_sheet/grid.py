"""An office's plan workbook read into plain grids: values, fills, merged cells, hidden rows.

The file goes through the same gate as a partner's return (`exchange.safety`: size, zip bomb,
macros, encryption, XML entities). A plan's own layout needs what read-only openpyxl cannot
give (merged cells, fills, hidden rows), so the sheets are loaded in full, which is why their
size is bounded more tightly than a return's. Formulas are never run: a formula counts by the
value the spreadsheet saved with it, and a second read without saved values tells which cells
were formulas.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl.utils import get_column_letter

from tracker.exchange.errors import WorkbookRefused
from tracker.exchange.plan_sheet.colours import fill_rgb, theme_colours
from tracker.exchange.reading import open_workbook
from tracker.exchange.safety import check_unchanged, take_snapshot

MAX_SHEET_XML_BYTES = 25 * 1024 * 1024
MAX_ROWS = 5000
MAX_COLUMNS = 60


@dataclass(frozen=True)
class Cell:
    value: object
    fill: str | None = None  # RRGGBB of a solid fill
    formula: str | None = None  # the formula's text, when the cell is one


@dataclass
class SheetGrid:
    """One sheet: cells by (row, column), both from 1, as the spreadsheet numbers them."""

    name: str
    cells: dict[tuple[int, int], Cell]
    max_row: int
    max_column: int
    hidden: bool = False
    hidden_rows: set[int] = field(default_factory=set)
    hidden_columns: set[int] = field(default_factory=set)
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)  # rows and columns, inclusive

    def __post_init__(self) -> None:
        self._rows: dict[int, dict[int, Cell]] | None = None
        self._merged_at: dict[tuple[int, int], tuple[int, int, int, int]] | None = None

    def cell(self, row: int, column: int) -> Cell | None:
        return self.cells.get((row, column))

    def row(self, row: int) -> dict[int, Cell]:
        """The cells of one row by column."""
        if self._rows is None:
            self._rows = {}
            for (r, c), cell in sorted(self.cells.items()):
                self._rows.setdefault(r, {})[c] = cell
        return self._rows.get(row, {})

    def value(self, row: int, column: int) -> object:
        found = self.cells.get((row, column))
        return None if found is None else found.value

    def merged_range(self, row: int, column: int) -> tuple[int, int, int, int] | None:
        if self._merged_at is None:
            self._merged_at = {}
            for area in self.merged:
                for r in range(area[0], area[2] + 1):
                    for c in range(area[1], area[3] + 1):
                        self._merged_at[(r, c)] = area
        return self._merged_at.get((row, column))

    def ref(self, row: int, column: int) -> str:
        return f"{self.name}!{get_column_letter(column)}{row}"


@dataclass
class WorkbookGrid:
    file_name: str
    sheets: list[SheetGrid]
    sha256: str = ""

    def sheet(self, name: str) -> SheetGrid | None:
        key = " ".join(name.split()).lower()
        for sheet in self.sheets:
            if sheet.name.lower() == key or " ".join(sheet.name.split()).lower() == key:
                return sheet
        return None


def read_plan_workbook(path: str | Path) -> WorkbookGrid:
    """Every sheet of an office's plan workbook, checked first; WorkbookRefused says why not."""
    snapshot = take_snapshot(path)
    name = snapshot.name
    _check_sheet_sizes(name, snapshot.data)
    values = _load(snapshot, data_only=True)
    try:
        formulas = _load(snapshot, data_only=False) if snapshot.has_formulas else None
        theme = theme_colours(values.loaded_theme)
        sheets = [_grid(name, ws, formulas[ws.title] if formulas else None, theme)
                  for ws in values.worksheets]
    finally:
        values.close()
        if snapshot.has_formulas and formulas is not None:
            formulas.close()
    check_unchanged(snapshot)
    return WorkbookGrid(name, sheets, snapshot.sha256)


def _check_sheet_sizes(name: str, data: bytes) -> None:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        total = sum(m.file_size for m in archive.infolist()
                    if m.filename.startswith(("xl/worksheets/", "xl/sharedStrings")))
    if total > MAX_SHEET_XML_BYTES:
        raise WorkbookRefused(
            f"{name} holds {total / 1048576:.0f} MB of sheets, far more than a plan; save the "
            "plan's own sheet as a workbook of its own and open that.")


def _load(snapshot, data_only: bool):
    # The one way an untrusted workbook is opened: from the snapshot, every error worded.
    return open_workbook(snapshot, read_only=False, data_only=data_only)


def _grid(name: str, ws, formula_ws, theme: list[str]) -> SheetGrid:
    if ws.max_row > MAX_ROWS or ws.max_column > MAX_COLUMNS:
        # A plan's content sits in its first rows and columns; beyond the bounds is refused
        # rather than read, so that a sheet claiming a million rows costs nothing.
        used = _used_extent(ws)
        if used[0] > MAX_ROWS or used[1] > MAX_COLUMNS:
            raise WorkbookRefused(
                f"{name}: the sheet '{ws.title}' has content in {used[0]:,} rows and {used[1]} "
                f"columns; a plan sheet may have at most {MAX_ROWS:,} rows and {MAX_COLUMNS} "
                "columns.")
    cells: dict[tuple[int, int], Cell] = {}
    max_row = max_column = 0
    formula_cells = formula_ws._cells if formula_ws is not None else {}
    # The cells the file holds, not the rectangle up to max_row x max_column (iter_rows would
    # make an empty cell for every place in it).
    for (row, column), c in sorted(ws._cells.items()):
        value = c.value
        fill = fill_rgb(c.fill, theme) if c.has_style else None
        formula = None
        raw = getattr(formula_cells.get((row, column)), "value", None)
        if isinstance(raw, str) and raw.startswith("="):
            formula = raw
        elif raw is not None and type(raw).__name__ in ("ArrayFormula", "DataTableFormula"):
            formula = str(getattr(raw, "text", "") or "=")
        if isinstance(value, str) and not value.strip():
            value = None
        if value is None and fill is None and formula is None:
            continue
        cells[(row, column)] = Cell(value, fill, formula)
        max_row, max_column = max(max_row, row), max(max_column, column)
    hidden_rows = {n for n, dim in ws.row_dimensions.items() if dim.hidden}
    hidden_columns = set()
    for key, dim in ws.column_dimensions.items():
        if dim.hidden:
            first, last = dim.min or 0, dim.max or 0
            if not first:
                from openpyxl.utils import column_index_from_string

                first = last = column_index_from_string(key)
            hidden_columns.update(range(first, min(last, MAX_COLUMNS) + 1))
    merged = [(r.min_row, r.min_col, min(r.max_row, MAX_ROWS), min(r.max_col, MAX_COLUMNS))
              for r in ws.merged_cells.ranges if r.min_row <= MAX_ROWS and r.min_col <= MAX_COLUMNS]
    if sum((a[2] - a[0] + 1) * (a[3] - a[1] + 1) for a in merged) > MAX_ROWS * MAX_COLUMNS:
        raise WorkbookRefused(f"{name}: the sheet '{ws.title}' has more merged cells than a plan "
                              "could hold; it was not read.")
    return SheetGrid(ws.title, cells, max_row, max_column, ws.sheet_state != "visible",
                     hidden_rows, hidden_columns, merged)


def _used_extent(ws) -> tuple[int, int]:
    rows = columns = 0
    for (row, column), cell in ws._cells.items():
        if cell.value is not None:
            rows, columns = max(rows, row), max(columns, column)
    return rows, columns
