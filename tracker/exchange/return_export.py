"""Writing one partner's return workbook for a reporting round.

The workbook holds only that partner's commitments and indicators, never internal-only
evidence, and no text a spreadsheet would run as a formula. A very hidden sheet carries the
identifiers that bring the answers home, sealed so that an edit to them is noticed.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from copy import copy
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
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
from tracker.exchange.safety import sha256_of
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
BODY_FONT = Font(name=FONT, size=10)
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
    instructions = wb.active
    instructions.title = layout.INSTRUCTIONS
    _write_instructions(instructions, partner.name, round_label, due, store.officer, len(items),
                        len(rows))
    c_sheet = wb.create_sheet(layout.COMMITMENTS)
    _write_commitments(c_sheet, items, multi_plan, refs)
    i_sheet = wb.create_sheet(layout.INDICATORS)
    _write_indicators(i_sheet, rows, multi_plan, refs)
    for sheet in (c_sheet, i_sheet):
        _page_setup(sheet, f"{partner.name}: {round_label} return")
    hidden = wb.create_sheet(layout.HIDDEN)
    write_hidden(hidden, meta, refs, key)
    wb.active = 1 if items else 2
    try:
        wb.save(path)
    except OSError as exc:
        raise ExchangeError(f"Cannot write {path}: {exc.strerror or exc}.") from exc
    try:
        record = returns.record_export(store, partner_id, round_label, due.isoformat(),
                                       export_uid=export_uid, sent_path=str(path.resolve()),
                                       sent_sha256=sha256_of(path))
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
        put_text(sheet.cell(row, 1), name)
        put_text(sheet.cell(row, 2), value)
        row += 1
    row += 1
    for n, heading in enumerate(("ref", "kind", "uid", "period", "fingerprint"), start=1):
        put_text(sheet.cell(row, n), heading)
    for entry in refs:
        row += 1
        for n, value in enumerate(entry, start=1):
            put_text(sheet.cell(row, n), value)
    sheet.sheet_state = "veryHidden"
    sheet.protection.sheet = True


def _priority_label(plan_period: str, number: int, title: str | None, multi_plan: bool) -> str:
    text = f"{number}. {title}" if title else f"P{number}"
    return f"{plan_period}: {text}" if multi_plan else text


def _write_header(sheet: Worksheet, columns: tuple[layout.Column, ...]) -> None:
    for n, col in enumerate(columns, start=1):
        cell = sheet.cell(1, n)
        put_text(cell, col.heading)
        cell.font = HEADER_FONT
        cell.fill = ANSWER_HEADER_FILL if col.answer else HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        cell.border = BORDER
        sheet.column_dimensions[get_column_letter(n)].width = col.width
    sheet.row_dimensions[1].height = 32
    sheet.freeze_panes = "B2"


NUMBER_FORMATS = {"evidence_date": "dd/mm/yyyy", "figure": "#,##0.##",
                  "last_value": "#,##0.##", "new_value": "#,##0.##"}
INDENTED = {"last_value": "right", "last_period": "left"}


class _RowStyler:
    """Styles every data row like the first: the first row's cells are styled through
    openpyxl's API, later rows copy their style record (styling each cell afresh costs ten
    times the writing)."""

    def __init__(self, columns: tuple[layout.Column, ...]):
        self.columns = columns
        self.templates: list | None = None

    def apply(self, sheet: Worksheet, row: int) -> None:
        if self.templates is not None:
            for n, template in enumerate(self.templates, start=1):
                sheet.cell(row, n)._style = copy(template)
            return
        self.templates = []
        for n, col in enumerate(self.columns, start=1):
            cell = sheet.cell(row, n)
            cell.alignment = (Alignment(horizontal=INDENTED[col.key], vertical="top", indent=1)
                              if col.key in INDENTED else WRAP_TOP)
            cell.border = BORDER
            cell.font = BODY_FONT
            if col.key in NUMBER_FORMATS:
                cell.number_format = NUMBER_FORMATS[col.key]
            if col.answer:
                cell.fill = ANSWER_FILL
                cell.protection = Protection(locked=False)
            else:
                cell.fill = CONTEXT_FILL
            self.templates.append(copy(cell._style))


def _row_height(texts: list[tuple[str | None, float]]) -> float:
    """Enough height for the longest wrapped text (openpyxl cannot measure, so estimate)."""
    lines = 1
    for text, width in texts:
        if text:
            per_line = max(width * 1.15, 8)
            count = sum(max(1, -(-len(part) // int(per_line))) for part in str(text).split("\n"))
            lines = max(lines, count)
    return min(max(13.0 * lines + 4, 18.0), 400.0)


def _write_commitments(sheet: Worksheet, items: list[returns.CommitmentItem], multi_plan: bool,
                       refs: list[list[str]]) -> None:
    columns = layout.COMMITMENT_COLUMNS
    _write_header(sheet, columns)
    col = {c.key: n for n, c in enumerate(columns, start=1)}
    widths = {c.key: c.width for c in columns}
    styler = _RowStyler(columns)
    for row, item in enumerate(items, start=2):
        ref = f"C{row - 1:03d}"
        refs.append([ref, "commitment", item.uid, "", item.fingerprint])
        styler.apply(sheet, row)
        priority = _priority_label(item.plan_period, item.priority_number, item.priority_title,
                                   multi_plan)
        put_text(sheet.cell(row, col["ref"]), ref)
        put_text(sheet.cell(row, col["priority"]), priority)
        put_text(sheet.cell(row, col["code"]), item.code)
        put_text(sheet.cell(row, col["text"]), item.text)
        latest = item.latest_shared_evidence
        if latest and len(latest) > LATEST_LIMIT:
            latest = latest[:LATEST_LIMIT].rsplit(" ", 1)[0] + " …"
        if latest and item.latest_shared_files:
            latest += f" [Files: {item.latest_shared_files}]"  # named, never carried
        put_text(sheet.cell(row, col["latest"]), latest)
        put_text(sheet.cell(row, col["status"]), f"{item.status.label}")
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


def _write_indicators(sheet: Worksheet, rows: list[returns.IndicatorRow], multi_plan: bool,
                      refs: list[list[str]]) -> None:
    columns = layout.INDICATOR_COLUMNS
    _write_header(sheet, columns)
    col = {c.key: n for n, c in enumerate(columns, start=1)}
    styler = _RowStyler(columns)
    for row, item in enumerate(rows, start=2):
        ref = f"I{row - 1:03d}"
        refs.append([ref, "indicator", item.uid, item.period, item.fingerprint])
        styler.apply(sheet, row)
        put_text(sheet.cell(row, col["ref"]), ref)
        put_text(sheet.cell(row, col["priority"]),
                 _priority_label(item.plan_period, item.priority_number, None, multi_plan))
        put_text(sheet.cell(row, col["indicator"]), item.name)
        put_text(sheet.cell(row, col["unit"]), layout.UNIT_LABELS.get(item.unit, item.unit))
        put_text(sheet.cell(row, col["period"]), item.period)
        last = sheet.cell(row, col["last_value"])
        last.value = item.last_value
        put_text(sheet.cell(row, col["last_period"]), item.last_period)
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


def _write_instructions(sheet: Worksheet, partner: str, round_label: str, due: date,
                        officer: str, commitments: int, indicators: int) -> None:
    sheet.column_dimensions["A"].width = 24
    sheet.column_dimensions["B"].width = 90
    title = sheet.cell(1, 1)
    put_text(title, f"{partner}: partner return for {round_label}")
    title.font = Font(name=FONT, bold=True, size=16, color="1F3864")
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
        put_text(sheet.cell(row, 1), name)
        sheet.cell(row, 1).font = Font(name=FONT, bold=True)
        put_text(sheet.cell(row, 2), value)
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
        cell = sheet.cell(row, 1 if n == 0 else 2)
        put_text(cell, text)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if n == 0:
            cell.font = Font(name=FONT, bold=True, size=12, color="1F3864")
        else:
            sheet.row_dimensions[row].height = _row_height([(text, 90)])
        row += 1
    row += 1
    head = sheet.cell(row, 1)
    put_text(head, "Status words")
    head.font = Font(name=FONT, bold=True, size=12, color="1F3864")
    row += 1
    for status, meaning in layout.STATUS_MEANINGS.items():
        put_text(sheet.cell(row, 1), status.label)
        sheet.cell(row, 1).font = Font(name=FONT, bold=True)
        put_text(sheet.cell(row, 2), meaning)
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
