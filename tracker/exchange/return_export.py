"""Writing one partner's return workbook for a reporting round.

The workbook holds only that partner's commitments and indicators, never internal-only
evidence, and no text a spreadsheet would run as a formula. A very hidden sheet carries the
identifiers that bring the answers home, sealed so that an edit to them is noticed.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.styles.cell_style import StyleArray
from openpyxl.styles.numbers import BUILTIN_FORMATS_MAX_SIZE, BUILTIN_FORMATS_REVERSE
from openpyxl.utils import get_column_letter
from openpyxl.utils.indexed_list import IndexedList
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from tracker.domain.periods import PeriodError, parse_period
from tracker.domain.status import Status
from tracker.domain.text import xml_safe
from tracker.domain.wording import count_of, long_date
from tracker.exchange import layout
from tracker.exchange.cells import put_text
from tracker.exchange.errors import Cancelled, ExchangeError
from tracker.exchange.layout import seal_payload
from tracker.exchange.workbook_file import save_workbook
from tracker.store import partners as partner_store
from tracker.store import returns, rounds
from tracker.store.clock import new_uid, now
from tracker.store.database import Store
from tracker.store.errors import NotFoundError

HEADER_FILL = PatternFill("solid", fgColor="1F3864")
CONTEXT_FILL = PatternFill("solid", fgColor="EEF1F6")
ANSWER_FILL = PatternFill("solid", fgColor="FFFFFF")
ANSWER_HEADER_FILL = PatternFill("solid", fgColor="2E75B6")
THIN = Side(style="thin", color="B4BCC8")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP_TOP = Alignment(wrap_text=True, vertical="top")
FONT = "Calibri"
HEADER_FONT = Font(name=FONT, bold=True, color="FFFFFF")
HEADER_ALIGNMENT = Alignment(wrap_text=True, vertical="center")
BODY_FONT = Font(name=FONT, size=10)
TITLE_FONT = Font(name=FONT, bold=True, size=16, color="1F3864")
HEADING_FONT = Font(name=FONT, bold=True, size=12, color="1F3864")
BOLD_FONT = Font(name=FONT, bold=True)
UNLOCKED = Protection(locked=False)
LATEST_LIMIT = 280
DEFAULT_DAYS_TO_RETURN = 28


@dataclass(frozen=True)
class ExportedWorkbook:
    partner_name: str
    path: Path
    commitments: int
    indicator_rows: int
    record: returns.ReturnRecord


def canonical_round(text: str) -> str:
    """A round is a reporting period ("2021/22 Q2", "2021/22", "May 2021")."""
    try:
        return parse_period(text).label
    except PeriodError as exc:
        raise ExchangeError(f"'{text}' is not a reporting round: {exc}.") from exc


def safe_file_name(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-")


def export_round(store: Store, round_label: str, out_dir: str | Path, *,
                 partner: str | None = None, due_date: date | None = None,
                 progress: Callable[[int, int], None] | None = None,
                 cancelled: Callable[[], bool] | None = None) -> list[ExportedWorkbook]:
    """One workbook per partner with something to report (or just the named partner)."""
    round_label = canonical_round(round_label)
    rounds.ensure_open(store, round_label)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    if partner:
        try:
            chosen = [partner_store.partner_named(store, partner)]
        except NotFoundError as exc:
            raise ExchangeError(str(exc)) from None
    else:
        with_items = {s.partner_id for s in returns.round_status(store, round_label)}
        chosen = [p for p in partner_store.list_partners(store) if p.id in with_items]
    written: list[ExportedWorkbook] = []
    taken: set[str] = set()
    try:
        # All or none: a cancelled or failed round leaves neither workbooks nor records of
        # sending them (a workbook nobody recorded sending could never come home).
        with store.transaction():
            for n, p in enumerate(chosen):
                if cancelled is not None and cancelled():
                    raise Cancelled(f"Stopped after {n} of {len(chosen)} workbooks; none was "
                                    "sent.")
                result = export_partner(store, p.id, round_label, out, due_date=due_date,
                                        skip_empty=partner is None, taken=taken)
                if result is not None:
                    written.append(result)
                if progress is not None:
                    progress(n + 1, len(chosen))
    except BaseException:
        for w in written:
            w.path.unlink(missing_ok=True)
        raise
    return written


def export_partner(store: Store, partner_id: int, round_label: str, out_dir: str | Path, *,
                   due_date: date | None = None, skip_empty: bool = False,
                   taken: set[str] | None = None) -> ExportedWorkbook | None:
    """`taken`: file names (lower case) already written in this run; a partner whose name makes
    the same file name gets a numbered one instead of overwriting the other's workbook."""
    round_label = canonical_round(round_label)
    partner = partner_store.get_partner(store, partner_id)
    items = returns.partner_commitments(store, partner_id)
    rows = returns.partner_indicator_rows(store, partner_id, round_label)
    if not items and not rows:
        if skip_empty:
            return None
        raise ExchangeError(f"{partner.name} has no commitments or indicators in an open plan, "
                            "so there is nothing to send.")
    due = due_date or rounds.default_due(store, round_label, days=DEFAULT_DAYS_TO_RETURN)
    db_uid = returns.database_uid(store)
    key = returns.signing_key(store)
    export_uid = new_uid()
    Path(out_dir).mkdir(parents=True, exist_ok=True)
    stem = f"{safe_file_name(partner.name) or 'partner'}_{safe_file_name(round_label)}"
    name, n = f"{stem}.xlsx", 1
    while taken is not None and name.lower() in taken:
        n += 1
        name = f"{stem}-{n}.xlsx"
    if taken is not None:
        taken.add(name.lower())
    path = Path(out_dir) / name
    exported_at = now()
    meta = {
        "format_version": str(layout.FORMAT_VERSION),
        "database_uid": db_uid,
        "partner_uid": partner.uid,
        "partner_name": partner.name,
        "round": round_label,
        "export_uid": export_uid,
        "exported_at": exported_at,
        "exported_by": store.officer,
        "due_date": due.isoformat(),
    }
    multi_plan = len({i.plan_period for i in items} | {r.plan_period for r in rows}) > 1
    refs: list[list[str]] = []
    wb = Workbook()
    styles = _style_book(bool(items), bool(rows))
    styles.install(wb)
    instructions = wb.active
    instructions.title = layout.INSTRUCTIONS
    _write_instructions(instructions, styles, partner.name, round_label, due, store.officer,
                        len(items), len(rows))
    c_sheet = wb.create_sheet(layout.COMMITMENTS)
    _write_commitments(c_sheet, styles, items, multi_plan, refs)
    i_sheet = wb.create_sheet(layout.INDICATORS)
    _write_indicators(i_sheet, styles, rows, multi_plan, refs)
    for sheet in (c_sheet, i_sheet):
        _page_setup(sheet, f"{partner.name}: {round_label} return")
    hidden = wb.create_sheet(layout.HIDDEN)
    write_hidden(hidden, meta, refs, key)
    wb.active = 1 if items else 2
    try:
        sha256 = save_workbook(wb, path)
    except OSError as exc:
        path.unlink(missing_ok=True)
        raise ExchangeError(f"Cannot write {path}: {exc.strerror or exc}.") from exc
    try:
        record = returns.record_export(store, partner_id, round_label, due.isoformat(),
                                       export_uid=export_uid, sent_path=str(path.resolve()),
                                       sent_sha256=sha256)
    except BaseException:
        path.unlink(missing_ok=True)  # a workbook nobody recorded sending could never come home
        raise
    return ExportedWorkbook(partner.name, path, len(items), len(rows), record)


def write_hidden(sheet: Worksheet, meta: dict[str, str], refs: list[list[str]], key: bytes) -> None:
    """Identifiers for the way home: meta as name/value rows, then one row per reference.

    Sealed as written: text the workbook cannot hold is dropped before sealing, not after.
    """
    meta = {name: xml_safe(value) for name, value in meta.items()}
    refs = [[xml_safe(value) for value in entry] for entry in refs]
    meta = {**meta, "seal": returns.seal(key, seal_payload(meta, refs))}
    row = 1
    for name, value in meta.items():
        _put_row(sheet, row, (name, value))
        row += 1
    row += 1
    _put_row(sheet, row, ("ref", "kind", "uid", "period", "fingerprint"))
    for entry in refs:
        row += 1
        _put_row(sheet, row, entry)
    sheet.sheet_state = "veryHidden"
    sheet.protection.sheet = True


def _put_row(sheet: Worksheet, row: int, values: Sequence[object],
             records: Sequence[StyleArray | None] | None = None) -> None:
    """One row's cells from column 1: text as text (never a formula), numbers as numbers, each
    cell with a copy of its column's style record when `records` gives one (a cell with neither
    is not made). The sheet is being written afresh, so every cell is new."""
    for column, value in enumerate(values, start=1):
        record = records[column - 1] if records is not None else None
        if value is None and record is None:
            continue
        cell = Cell(sheet, row=row, column=column, style_array=record)  # (copied: its own)
        sheet._add_cell(cell)
        if value is None:
            continue
        if isinstance(value, str):
            put_text(cell, value)
        else:
            cell.value = value


class _StyleBook:
    """Every style a return workbook uses, registered with the workbook once, by role.

    Setting a cell's font, fill, border, alignment, number format or protection through
    openpyxl hashes the style object to find its number in the workbook's lists; a header cell
    takes four of those, the first row's cells six each. The book registers them once (in the
    order the cells first use them, so the style table written is the one styling each cell
    would give), and then gives each new workbook the same lists and each cell a copy of its
    role's record.
    """

    COLLECTIONS = ("_fonts", "_fills", "_borders", "_alignments", "_number_formats",
                   "_protections")

    def __init__(self) -> None:
        self._scratch: Workbook | None = Workbook()
        self.records: dict[object, StyleArray] = {}
        self.collections: dict[str, list] = {}

    def add(self, role: object, *, font: Font | None = None, fill: PatternFill | None = None,
            border: Border | None = None, alignment: Alignment | None = None,
            number_format: str | None = None, protection: Protection | None = None) -> None:
        wb = self._scratch
        record = StyleArray()
        if font is not None:
            record.fontId = wb._fonts.add(font)
        if fill is not None:
            record.fillId = wb._fills.add(fill)
        if border is not None:
            record.borderId = wb._borders.add(border)
        if alignment is not None:
            record.alignmentId = wb._alignments.add(alignment)
        if number_format is not None:
            record.numFmtId = (BUILTIN_FORMATS_REVERSE[number_format]
                               if number_format in BUILTIN_FORMATS_REVERSE
                               else wb._number_formats.add(number_format)
                               + BUILTIN_FORMATS_MAX_SIZE)
        if protection is not None:
            record.protectionId = wb._protections.add(protection)
        self.records[role] = record

    def close(self) -> _StyleBook:
        self.collections = {name: list(getattr(self._scratch, name))
                            for name in self.COLLECTIONS}
        self._scratch = None
        return self

    def install(self, wb: Workbook) -> None:
        """Give a new workbook the book's style lists (a new workbook's are a prefix of them:
        the book began as a new workbook)."""
        for name, items in self.collections.items():
            setattr(wb, name, IndexedList(items))

    def row(self, prefix: str, columns: tuple[layout.Column, ...]) -> list[StyleArray]:
        return [self.records[(prefix, col.key)] for col in columns]


NUMBER_FORMATS = {"evidence_date": "dd/mm/yyyy", "figure": "#,##0.##",
                  "last_value": "#,##0.##", "new_value": "#,##0.##"}
INDENTED = {"last_value": "right", "last_period": "left"}


@cache
def _style_book(with_commitments: bool, with_indicators: bool) -> _StyleBook:
    """The styles of a workbook with commitment rows or indicator rows (or both), registered in
    the order the sheets are written: a workbook lists only the styles its cells use."""
    book = _StyleBook()
    book.add("title", font=TITLE_FONT)
    book.add("fact", font=BOLD_FONT)
    book.add("step heading", alignment=WRAP_TOP, font=HEADING_FONT)
    book.add("step", alignment=WRAP_TOP)
    book.add("words heading", font=HEADING_FONT)
    book.add("word", font=BOLD_FONT)
    for prefix, columns, with_rows in (
            ("commitments", layout.COMMITMENT_COLUMNS, with_commitments),
            ("indicators", layout.INDICATOR_COLUMNS, with_indicators)):
        for col in columns:
            book.add((prefix + " header", col.key), font=HEADER_FONT,
                     fill=ANSWER_HEADER_FILL if col.answer else HEADER_FILL,
                     alignment=HEADER_ALIGNMENT, border=BORDER)
        for col in columns if with_rows else ():
            book.add((prefix, col.key),
                     alignment=(Alignment(horizontal=INDENTED[col.key], vertical="top", indent=1)
                                if col.key in INDENTED else WRAP_TOP),
                     border=BORDER, font=BODY_FONT, number_format=NUMBER_FORMATS.get(col.key),
                     fill=ANSWER_FILL if col.answer else CONTEXT_FILL,
                     protection=UNLOCKED if col.answer else None)
    return book.close()


def _priority_label(plan_period: str, number: int, title: str | None, multi_plan: bool) -> str:
    text = f"{number}. {title}" if title else f"P{number}"
    return f"{plan_period}: {text}" if multi_plan else text


def _write_header(sheet: Worksheet, styles: _StyleBook, prefix: str,
                  columns: tuple[layout.Column, ...]) -> None:
    _put_row(sheet, 1, [col.heading for col in columns], styles.row(prefix + " header", columns))
    for n, col in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(n)].width = col.width
    sheet.row_dimensions[1].height = 32
    sheet.freeze_panes = "B2"


def _row_height(texts: list[tuple[str | None, float]]) -> float:
    """Enough height for the longest wrapped text (openpyxl cannot measure, so estimate)."""
    lines = 1
    for text, width in texts:
        if text:
            per_line = max(width * 1.15, 8)
            count = sum(max(1, -(-len(part) // int(per_line))) for part in str(text).split("\n"))
            lines = max(lines, count)
    return min(max(13.0 * lines + 4, 18.0), 400.0)


def _write_commitments(sheet: Worksheet, styles: _StyleBook,
                       items: list[returns.CommitmentItem], multi_plan: bool,
                       refs: list[list[str]]) -> None:
    columns = layout.COMMITMENT_COLUMNS
    _write_header(sheet, styles, "commitments", columns)
    col = {c.key: n for n, c in enumerate(columns, start=1)}
    widths = {c.key: c.width for c in columns}
    records = styles.row("commitments", columns) if items else []
    keys = [c.key for c in columns]
    for row, item in enumerate(items, start=2):
        ref = f"C{row - 1:03d}"
        refs.append([ref, "commitment", item.uid, "", item.fingerprint])
        priority = _priority_label(item.plan_period, item.priority_number, item.priority_title,
                                   multi_plan)
        latest = item.latest_shared_evidence
        if latest and len(latest) > LATEST_LIMIT:
            latest = latest[:LATEST_LIMIT].rsplit(" ", 1)[0] + " …"
        if latest and item.latest_shared_files:
            latest += f" [Files: {item.latest_shared_files}]"  # named, never carried
        shown = {"ref": ref, "priority": priority, "code": item.code, "text": item.text,
                 "latest": latest, "status": item.status.label}
        _put_row(sheet, row, [shown.get(key) for key in keys], records)
        sheet.row_dimensions[row].height = _row_height([
            (priority, widths["priority"]), (item.text, widths["text"]),
            (latest, widths["latest"])])
    last = max(len(items) + 1, 2)
    words = ",".join(s.label for s in Status)
    status_list = DataValidation(type="list", formula1=f'"{words}"', allow_blank=True,
                                 showErrorMessage=True, errorTitle="Status",
                                 error="Choose a status from the list.",
                                 promptTitle="New status", prompt="Leave empty if unchanged.",
                                 showInputMessage=True)
    status_list.add(f"{get_column_letter(col['new_status'])}2:"
                    f"{get_column_letter(col['new_status'])}{last}")
    figure = DataValidation(type="decimal", operator="between", formula1="-1000000000000",
                            formula2="1000000000000", allow_blank=True, showErrorMessage=True,
                            errorTitle="Figure", error="Type a number (digits only).")
    figure.add(f"{get_column_letter(col['figure'])}2:{get_column_letter(col['figure'])}{last}")
    sheet.add_data_validation(status_list)
    sheet.add_data_validation(figure)
    sheet.auto_filter.ref = None
    _protect(sheet)


def _write_indicators(sheet: Worksheet, styles: _StyleBook, rows: list[returns.IndicatorRow],
                      multi_plan: bool, refs: list[list[str]]) -> None:
    columns = layout.INDICATOR_COLUMNS
    _write_header(sheet, styles, "indicators", columns)
    col = {c.key: n for n, c in enumerate(columns, start=1)}
    records = styles.row("indicators", columns) if rows else []
    keys = [c.key for c in columns]
    for row, item in enumerate(rows, start=2):
        ref = f"I{row - 1:03d}"
        refs.append([ref, "indicator", item.uid, item.period, item.fingerprint])
        shown = {"ref": ref, "indicator": item.name, "period": item.period,
                 "priority": _priority_label(item.plan_period, item.priority_number, None,
                                             multi_plan),
                 "unit": layout.UNIT_LABELS.get(item.unit, item.unit),
                 "last_value": item.last_value, "last_period": item.last_period}
        _put_row(sheet, row, [shown.get(key) for key in keys], records)
        sheet.row_dimensions[row].height = _row_height([(item.name, 48)])
    last_row = max(len(rows) + 1, 2)
    numbers = DataValidation(type="decimal", operator="between", formula1="-1000000000000",
                             formula2="1000000000000", allow_blank=True, showErrorMessage=True,
                             errorTitle="New value", error="Type a number (digits only).",
                             promptTitle="New value", prompt="Numbers only.",
                             showInputMessage=True)
    letter = get_column_letter(col["new_value"])
    numbers.add(f"{letter}2:{letter}{last_row}")
    sheet.add_data_validation(numbers)
    _protect(sheet)


def _protect(sheet: Worksheet) -> None:
    # No password: this stops accidental edits of the context, it is not a secret. Column
    # widths and row heights stay adjustable so partners can read long text.
    protection = sheet.protection
    protection.sheet = True
    protection.formatColumns = False
    protection.formatRows = False
    protection.formatCells = False


def _page_setup(sheet: Worksheet, title: str) -> None:
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = "1:1"
    sheet.page_margins.left = sheet.page_margins.right = 0.4
    sheet.page_margins.top = sheet.page_margins.bottom = 0.75
    sheet.page_margins.header = sheet.page_margins.footer = 0.3
    sheet.oddHeader.center.text = xml_safe(title).replace("&", "&&")
    sheet.oddFooter.center.text = "Page &P of &N"


def _write_instructions(sheet: Worksheet, styles: _StyleBook, partner: str, round_label: str,
                        due: date, officer: str, commitments: int, indicators: int) -> None:
    sheet.column_dimensions["A"].width = 24
    sheet.column_dimensions["B"].width = 90
    style = styles.records
    _put_row(sheet, 1, [f"{partner}: partner return for {round_label}"], [style["title"]])
    sheet.row_dimensions[1].height = 28
    facts = [
        ("Partner", partner),
        ("Reporting round", round_label),
        ("Please return by", long_date(due)),
        ("Sent by", f"{officer}, Police, Fire and Crime Commissioner's office"),
        ("To report", f"{count_of(commitments, 'commitment')} and "
                       f"{count_of(indicators, 'indicator figure')}"),
    ]
    row = 3
    for name, value in facts:
        _put_row(sheet, row, [name, value], [style["fact"], None])
        row += 1
    row += 1
    steps = [
        "How to fill in this workbook",
        "1. On the Commitments sheet, each row is a commitment your organisation reports on. "
        "The grey columns are for reference and cannot be changed.",
        "2. If the status has changed, choose the new one under New status, and say why under "
        "Progress update. If the status has not changed, leave New status empty; a progress "
        "update is then recorded as evidence.",
        "3. Under Evidence, write what was delivered, with its date and a figure if there is "
        "one. One piece of evidence per row.",
        "4. On the Indicators sheet, type the figure for each period under New value (numbers "
        "only, no words) and add a note if the figure needs explaining.",
        "5. Do not add, delete or rename columns or sheets, and keep the Ref column as it is: "
        "it is how your answers are matched to the plan.",
        "6. Save the workbook as an Excel Workbook (.xlsx) and send it back by the date above.",
    ]
    for n, text in enumerate(steps):
        if n == 0:
            _put_row(sheet, row, [text], [style["step heading"]])
        else:
            _put_row(sheet, row, [None, text], [None, style["step"]])
            sheet.row_dimensions[row].height = _row_height([(text, 90)])
        row += 1
    row += 1
    _put_row(sheet, row, ["Status words"], [style["words heading"]])
    row += 1
    for status, meaning in layout.STATUS_MEANINGS.items():
        _put_row(sheet, row, [status.label, meaning], [style["word"], None])
        row += 1
    sheet.protection.sheet = True
    sheet.sheet_view.showGridLines = False
    sheet.page_setup.orientation = "portrait"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True


def default_round(today: date | None = None) -> str:
    """The financial-year quarter that has just ended (the one partners report on)."""
    return rounds.quarter_just_ended(today)
