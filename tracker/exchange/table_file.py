"""Any table the officer sees, written to an Excel workbook or a CSV file. No Qt: the window
reads the table's cells (tracker.ui.table_export) and hands them here.

Text is written as text, never as a formula (an evidence statement starting with "=" or "-"
stays words in Excel and in a CSV opened by it); numbers and dates stay numbers and dates so
they sort and sum.
"""

from __future__ import annotations

import csv
import os
import tempfile
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from tracker.errors import TrackerError
from tracker.exchange.cells import FORMULA_STARTS, put_text

Value = str | int | float | date | datetime | None
FORMATS = {".xlsx": "Excel workbook", ".csv": "CSV (comma-separated values)"}
SHEET_TITLE_MAX = 31  # Excel's limit
_SHEET_REFUSED = str.maketrans({c: " " for c in "[]:*?/\\"})
MAX_WIDTH = 80  # characters: longer text wraps in its cell


class TableExportError(TrackerError):
    """The table could not be written (a folder that cannot be written, an unknown type)."""


@dataclass
class Table:
    """What a table shows: its title (the sheet's name), column headings, and rows of values."""

    title: str
    headers: list[str]
    rows: list[list[Value]] = field(default_factory=list)
    levels: list[int] | None = None  # a tree's rows: how deep each is (indented in Excel)


def write_table(table: Table, path: str | Path) -> Path:
    """Write `table` to `path` (.xlsx or .csv, from its extension), all or nothing: a file that
    is there already is replaced only once the new one is complete."""
    target = Path(path)
    suffix = target.suffix.lower()
    if suffix not in FORMATS:
        raise TableExportError(f"{target.name}: a table is exported as .xlsx or .csv, not "
                               f"'{target.suffix or 'no extension'}'.")
    if not target.parent.is_dir():
        raise TableExportError(f"The folder {target.parent} does not exist.")
    handle, temporary = tempfile.mkstemp(prefix=".table-", suffix=suffix, dir=target.parent)
    os.close(handle)
    try:
        if suffix == ".xlsx":
            _write_xlsx(table, Path(temporary))
        else:
            _write_csv(table, Path(temporary))
        os.replace(temporary, target)
    except OSError as exc:
        Path(temporary).unlink(missing_ok=True)
        raise TableExportError(f"Could not write {target}: {exc.strerror or exc}.") from exc
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return target


def sheet_title(text: str) -> str:
    """A sheet name Excel accepts: no []:*?/\\, at most 31 characters, never empty."""
    name = " ".join(text.translate(_SHEET_REFUSED).split()).strip("'")
    return name[:SHEET_TITLE_MAX].rstrip() or "Table"


def _write_xlsx(table: Table, path: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    ws.title = sheet_title(table.title)
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="E8EEF5")
    widths = [len(h) for h in table.headers]
    for col, heading in enumerate(table.headers, start=1):
        cell = ws.cell(row=1, column=col)
        put_text(cell, heading)
        cell.font = bold
        cell.fill = fill
    for r, values in enumerate(table.rows, start=2):
        level = table.levels[r - 2] if table.levels else 0
        for col, value in enumerate(values, start=1):
            cell = ws.cell(row=r, column=col)
            _put(cell, value)
            text = "" if value is None else str(value)
            widths[col - 1] = max(widths[col - 1], min(len(text), MAX_WIDTH))
            wrap = len(text) > MAX_WIDTH or "\n" in text
            if wrap or (level and col == 1):
                cell.alignment = Alignment(wrap_text=wrap, vertical="top",
                                           indent=level if col == 1 else 0)
    for col, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(col)].width = max(8, width + 2)
    ws.freeze_panes = "A2"
    if table.rows:
        ws.auto_filter.ref = (f"A1:{get_column_letter(max(1, len(table.headers)))}"
                              f"{len(table.rows) + 1}")
    wb.save(path)


def _put(cell, value: Value) -> None:
    if isinstance(value, bool) or value is None:
        cell.value = None if value is None else str(value)
    elif isinstance(value, int | float):
        cell.value = value
    elif isinstance(value, datetime):
        cell.value = value.replace(tzinfo=None)
        cell.number_format = "dd/mm/yyyy hh:mm"
    elif isinstance(value, date):
        cell.value = value
        cell.number_format = "dd/mm/yyyy"
    else:
        put_text(cell, value)


def _write_csv(table: Table, path: Path) -> None:
    # UTF-8 with a byte-order mark: Excel on Windows then reads "£" and "–" as they are.
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([_csv_text(h) for h in table.headers])
        for values in table.rows:
            writer.writerow([_csv_value(v) for v in values])


def _csv_value(value: Value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float):
        return repr(value) if isinstance(value, float) else str(value)
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, date):
        return value.isoformat()
    return _csv_text(value)


def _csv_text(text: str) -> str:
    """A spreadsheet opening the CSV would run text starting with = + - @ as a formula: a
    leading apostrophe keeps it text (as Excel itself shows a quoted cell)."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text
