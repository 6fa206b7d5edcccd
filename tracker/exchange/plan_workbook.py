"""The whole-plan workbook: every table of the plan in one .xlsx, and back into an empty database.

One sheet per table, a heading row of column names, one row per record, references as uids.
Export, import into an empty database and export again gives the same cells (only the
export time on the About sheet differs).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from tracker.domain.wording import count_of
from tracker.exchange.cells import put_text
from tracker.exchange.errors import ExchangeError, WorkbookRefused
from tracker.exchange.reading import open_workbook, rows
from tracker.exchange.safety import PLAN_LIMITS, IsCancelled, check_unchanged, take_snapshot
from tracker.store import transfer
from tracker.store.attachments import count_attachments
from tracker.store.clock import now
from tracker.store.database import Store
from tracker.store.errors import ValidationError

ABOUT = "About"
# Files attached to evidence stay in the database: the workbook is text and figures, and a
# file's bytes in a spreadsheet cell would be neither readable nor safe to pass on.
FILES_LEFT_OUT = ("Files attached to evidence are not in this workbook: {files} {verb} kept in "
                  "the database only (save a copy of the database to carry them).")
KIND = "Commitment Tracker whole-plan workbook"
FORMAT_VERSION = 1
MAX_ROWS = 500_000


def sheet_name(table: str) -> str:
    return table.replace("_", " ").title()[:31]


def export_plan_workbook(store: Store, out: str | Path) -> dict[str, int]:
    """Write every table to `out`; returns the number of rows per table."""
    # Refuse an unwritable place before any sheet is built: a write-only workbook that fails
    # to save leaves its sheet writers open, and they print tracebacks when collected.
    try:
        with open(out, "ab"):
            pass
    except OSError as exc:
        raise ExchangeError(f"Cannot write {out}: {exc.strerror or exc}.") from exc
    data = transfer.dump_tables(store)
    wb = Workbook(write_only=True)
    about = wb.create_sheet(ABOUT)
    for name, value in (("kind", KIND), ("format_version", str(FORMAT_VERSION)),
                        ("exported_at", now()), ("exported_by", store.officer),
                        ("attached_files", files_left_out(store))):
        about.append([_text(wb, about, name), _text(wb, about, value)])
    bold = Font(bold=True)
    for table in transfer.TABLES:
        ws = wb.create_sheet(sheet_name(table.name))
        ws.freeze_panes = "A2"
        for n, heading in enumerate(table.headings(), start=1):
            ws.column_dimensions[get_column_letter(n)].width = 14 if len(heading) < 12 else 20
        ws.append([_text(wb, ws, h, bold) for h in table.headings()])
        for row in data[table.name]:
            ws.append([_cell(wb, ws, v) for v in row])
    try:
        wb.save(out)
    except OSError as exc:
        raise ExchangeError(f"Cannot write {out}: {exc.strerror or exc}.") from exc
    return {t.name.replace("_", " "): len(data[t.name]) for t in transfer.TABLES}


def files_left_out(store: Store) -> str:
    """What the workbook says of the files attached to evidence: that they are not in it."""
    files = count_attachments(store)
    if not files:
        return "No files are attached to evidence (a workbook never carries files)."
    return FILES_LEFT_OUT.format(files=count_of(files, "file"), verb="is" if files == 1 else "are")


def _text(wb, ws, value: str, font: Font | None = None):
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(ws)
    put_text(cell, value)
    if font is not None:
        cell.font = font
    return cell


def _cell(wb, ws, value: Any):
    if isinstance(value, str):
        return _text(wb, ws, value)
    return value


def read_plan_workbook(path: str | Path, row_numbers: dict[str, list[int]] | None = None, *,
                       cancelled: IsCancelled | None = None) -> dict[str, list[list[Any]]]:
    """The tables of a whole-plan workbook, checked like any untrusted workbook (with the
    limits of a whole plan); Cancelled as soon as `cancelled()` is true.

    `row_numbers`, when given, is filled with each data row's sheet row (blank rows are skipped).
    """
    snapshot = take_snapshot(path, PLAN_LIMITS, cancelled)
    wb = open_workbook(snapshot, cancelled=cancelled)
    try:
        if ABOUT not in wb.sheetnames:
            raise WorkbookRefused(f"{snapshot.name} is not a whole-plan workbook (no About sheet).")
        about = {str(r[0]): r[1] for r in rows(snapshot, wb[ABOUT], max_row=50, max_col=2,
                                               values_only=True) if r and r[0]}
        if about.get("kind") != KIND:
            raise WorkbookRefused(f"{snapshot.name} is not a whole-plan workbook.")
        try:
            version = int(about.get("format_version") or 0)
        except (TypeError, ValueError):
            raise WorkbookRefused(f"{snapshot.name}: the About sheet's format_version "
                                  f"'{about.get('format_version')}' is not a number.") from None
        if version > FORMAT_VERSION:
            raise WorkbookRefused(f"{snapshot.name} was written by a newer version of Commitment "
                                  "Tracker.")
        data = {}
        for table in transfer.TABLES:
            name = sheet_name(table.name)
            if name not in wb.sheetnames:
                raise WorkbookRefused(f"{snapshot.name} has no '{name}' sheet.")
            heads = table.headings()
            sheet_rows = rows(snapshot, wb[name], max_row=MAX_ROWS + 1, max_col=len(heads) + 5,
                              values_only=True)
            found = [str(v) if v is not None else "" for v in next(sheet_rows, ())][: len(heads)]
            if found != heads:
                shown = ", ".join(h or "(blank)" for h in found) or "missing"
                raise WorkbookRefused(f"{snapshot.name}: the {name} sheet's headings are "
                                      f"{shown}; expected {', '.join(heads)}.")
            values = []
            numbers = row_numbers.setdefault(table.name, []) if row_numbers is not None else []
            for number, row in enumerate(sheet_rows, start=2):
                if number > MAX_ROWS:
                    raise WorkbookRefused(f"{snapshot.name}: the {name} sheet has more than "
                                          f"{MAX_ROWS:,} rows.")
                row = list(row[: len(heads)]) + [None] * (len(heads) - len(row))
                if all(v is None for v in row):
                    continue
                values.append(row)
                numbers.append(number)
            data[table.name] = values
    finally:
        wb.close()
    check_unchanged(snapshot)
    return data


def import_plan_workbook(store: Store, path: str | Path, *,
                         cancelled: IsCancelled | None = None) -> dict[str, int]:
    """Load a whole-plan workbook into an empty database, in one transaction; reading it can
    be cancelled (Cancelled, nothing written), loading it runs to the end or rolls back."""
    numbers: dict[str, list[int]] = {}
    data = read_plan_workbook(path, numbers, cancelled=cancelled)
    try:
        counts = transfer.load_tables(store, data)
    except transfer.RowError as exc:
        table = next(t for t in transfer.TABLES if t.name == exc.table)
        where = sheet_name(exc.table) + "!"
        if exc.column and exc.column in table.headings():
            where += get_column_letter(table.headings().index(exc.column) + 1)
        else:
            where += "A"
        where += str(numbers[exc.table][exc.index])
        raise ExchangeError(f"{where}: this row {exc}; nothing was loaded.") from exc
    except ValidationError as exc:
        raise ExchangeError(str(exc)) from exc
    return {t.name.replace("_", " "): counts[t.name] for t in transfer.TABLES}

