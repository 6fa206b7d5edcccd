"""A plan sheet of the office's own layout, read through a column mapping into a `PlanDraft`.

What real delivery plans hold and how it is read:

- title rows above the header row are passed over; the header row is found (the first row of
  several short headings, or the row holding the headings the mapping names) or chosen;
- a heading merged across the header's columns with sub-headings under it: the sub-headings
  name the columns;
- a row with one text and nothing else (often merged across the sheet) is a priority heading
  ("Priority 1 - More Local, Visible and Accessible Policing");
- a cell merged down over several rows (a lead, a priority, a RAG) counts for each of them;
- blank separator rows and the header repeated further down are passed over, hidden rows are
  left out and said so;
- formulas count by the value the spreadsheet saved with them, and are never run.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from tracker.domain.plan_dates import PlanDateError, parse_plan_date
from tracker.domain.status import Status
from tracker.domain.wording import count_of
from tracker.exchange.cells import clean_text
from tracker.exchange.plan_sheet.colours import colour_name
from tracker.exchange.plan_sheet.draft import DraftCommitment, DraftPriority, PlanDraft
from tracker.exchange.plan_sheet.grid import SheetGrid, WorkbookGrid
from tracker.exchange.plan_sheet.headings import split_heading
from tracker.exchange.plan_sheet.mapping import (
    FIELD_LABELS,
    FIELDS,
    StatusMap,
    column_of,
    letter,
)

HEADER_SEARCH_ROWS = 40
SHORT_HEADING = 60
# Columns whose value, merged down over several rows, belongs to each of them.
_FILLED_DOWN = ("priority", "lead", "partners", "due", "status")
_WORDED_PRIORITY = re.compile(r"^(?:strategic\s+)?(?:priority|theme)\s*\d", re.I)
_PARTNER_SPLIT = re.compile(r"\s*(?:[;,\n]|\s/\s)\s*")


@dataclass
class SheetMapping:
    """What the officer chose: the columns (field -> letter or heading), status words, and
    optionally the sheet and the header row."""

    columns: dict[str, str]
    statuses: dict[str, Status] = field(default_factory=dict)
    sheet: str | None = None
    header_row: int | None = None


def _text(value: object) -> str:
    return clean_text(value) if value is not None else ""


def _row_values(sheet: SheetGrid, row: int) -> dict[int, object]:
    return {c: cell.value for c, cell in sheet.row(row).items() if cell.value is not None}


def _header_like(sheet: SheetGrid, row: int) -> bool:
    values = _row_values(sheet, row)
    texts = [v for v in values.values() if isinstance(v, str)]
    if len(texts) < min(3, max(sheet.max_column, 2)) or len(texts) < len(values):
        return False
    if any(len(t) > SHORT_HEADING for t in texts):
        return False
    # A title merged across the sheet is one cell however wide: not a row of headings.
    return len({sheet.merged_range(row, c) or (row, c, row, c) for c in values}) >= 2


def find_header_row(sheet: SheetGrid, named: list[str] | None = None) -> int | None:
    """The row of column headings: the first holding every heading named, else the first row
    of several short headings."""
    last = min(sheet.max_row, HEADER_SEARCH_ROWS)
    if named:
        for row in range(1, last + 1):
            headings = {" ".join(_text(v).split()).lower() for v in _row_values(sheet, row).values()}
            if all(" ".join(n.split()).lower() in headings for n in named):
                return row
    for row in range(1, last + 1):
        if row not in sheet.hidden_rows and _header_like(sheet, row):
            return row
    return None


def headings_of(sheet: SheetGrid, header_row: int) -> tuple[dict[int, str], int]:
    """Column headings, and the first data row (after a row of sub-headings, if any)."""
    headings = {c: _text(v) for c, v in _row_values(sheet, header_row).items() if _text(v)}
    merged = [m for m in sheet.merged if m[0] <= header_row <= m[2] and m[1] < m[3]]
    for top, first, _bottom, last in merged:
        text = _text(sheet.value(top, first))
        for column in range(first, last + 1):
            headings[column] = text
    data_start = header_row + 1
    if merged:
        below = _row_values(sheet, header_row + 1)
        spanned = {c for m in merged for c in range(m[1], m[3] + 1)}
        if below and set(below) <= spanned | set(headings) and all(
                isinstance(v, str) and len(v) <= SHORT_HEADING for v in below.values()):
            for column, value in below.items():
                headings[column] = _text(value)
            data_start = header_row + 2
    return headings, data_start


def looks_like_plan(sheet: SheetGrid) -> bool:
    """A visible sheet with a header row and rows of sentences under it."""
    if sheet.hidden:
        return False
    header = find_header_row(sheet)
    if header is None:
        return False
    sentences = {r for (r, _c), cell in sheet.cells.items()
                 if r > header and isinstance(cell.value, str) and len(cell.value.split()) >= 5}
    return len(sentences) >= 2


def plan_sheets(grid: WorkbookGrid) -> list[SheetGrid]:
    return [s for s in grid.sheets if looks_like_plan(s)]


def choose_sheet(grid: WorkbookGrid, draft: PlanDraft, wanted: str | None) -> SheetGrid | None:
    if wanted:
        sheet = grid.sheet(wanted)
        if sheet is None:
            names = ", ".join(f"'{s.name}'" for s in grid.sheets)
            draft.problem(grid.file_name, f"there is no sheet '{wanted}'; the sheets are {names}.")
        return sheet
    candidates = plan_sheets(grid)
    if len(candidates) > 1:
        names = " and ".join(f"'{s.name}'" for s in candidates[:2])
        more = f" (and {len(candidates) - 2} more)" if len(candidates) > 2 else ""
        draft.problem(grid.file_name, f"{names}{more} both look like plans; choose the sheet to "
                                      "bring in (--sheet NAME).")
        return candidates[0]
    if candidates:
        return candidates[0]
    visible = [s for s in grid.sheets if not s.hidden]
    if visible:
        return visible[0]
    draft.problem(grid.file_name, "the workbook has no visible sheet to bring in.")
    return None


class _Reader:
    def __init__(self, sheet: SheetGrid, mapping: SheetMapping, draft: PlanDraft):
        self.sheet = sheet
        self.mapping = mapping
        self.draft = draft
        self.status_map = StatusMap(dict(mapping.statuses))
        self.columns: dict[str, int] = {}
        self.by_number: dict[int, DraftPriority] = {}
        self.by_title: dict[str, DraftPriority] = {}
        self.current: DraftPriority | None = None
        self.last: DraftCommitment | None = None
        self.orphan: DraftPriority | None = None
        self.formula_cells: dict[str, list[str]] = {}

    # --- header and columns ----------------------------------------------------------------

    def resolve(self, headings: dict[int, str], header_row: int) -> None:
        sheet, draft = self.sheet, self.draft
        for name in FIELDS:
            reference = self.mapping.columns.get(name)
            if not reference:
                continue
            column = column_of(reference, headings, sheet.max_column)
            if column is None:
                same = sorted(c for c, t in headings.items() if t.lower() == reference.lower())
                if len(same) > 1:
                    area = sheet.merged_range(header_row, same[0])
                    where = (f"{sheet.name}!{letter(area[1])}{area[0]}:{letter(area[3])}{area[2]}"
                             if area else sheet.ref(header_row, same[0]))
                    options = " or ".join(f"{name}={letter(c)}" for c in same)
                    draft.problem(where, f"the heading '{reference}' is over {len(same)} columns "
                                         f"({', '.join(letter(c) for c in same)}); map {name} by "
                                         f"its letter ({options}).")
                else:
                    listed = ", ".join(f"{letter(c)} '{t}'" for c, t in sorted(headings.items()))
                    draft.problem(f"{sheet.name}!{header_row}:{header_row}",
                                  f"{FIELD_LABELS[name]}: there is no column '{reference}' in the "
                                  f"header row; the headings are {listed or 'none'}.")
                continue
            for other, taken in self.columns.items():
                if taken == column:
                    draft.problem(sheet.ref(header_row, column),
                                  f"{other} and {name} are both mapped to column {letter(column)}; "
                                  "map each to a column of its own.")
            self.columns[name] = column
            heading = headings.get(column, "")
            draft.columns[name] = f"{letter(column)} ({heading})" if heading else letter(column)
            if column in sheet.hidden_columns:
                draft.warn(sheet.ref(header_row, column),
                           f"column {letter(column)}, mapped as {FIELD_LABELS[name].lower()}, is "
                           "hidden in the spreadsheet; its cells are read all the same.")
        if "text" not in self.mapping.columns:
            suggestion = self._likely_text_column(headings, header_row)
            hint = (f" (for example text={letter(suggestion)}, the column headed "
                    f"'{headings.get(suggestion, '')}')" if suggestion else "")
            draft.problem(f"{sheet.name}!{header_row}:{header_row}",
                          f"the commitment text is not mapped: say which column holds it{hint}.")

    def _likely_text_column(self, headings: dict[int, str], header_row: int) -> int | None:
        lengths: dict[int, int] = {}
        for (r, c), cell in self.sheet.cells.items():
            if r > header_row and isinstance(cell.value, str):
                lengths[c] = lengths.get(c, 0) + len(cell.value)
        return max(lengths, key=lengths.get) if lengths else None

    # --- cells -------------------------------------------------------------------------------

    def value(self, name: str, row: int) -> object:
        column = self.columns.get(name)
        if column is None:
            return None
        sheet = self.sheet
        cell = sheet.cell(row, column)
        area = sheet.merged_range(row, column)
        if cell is None and area is not None and area[0] < row and name in _FILLED_DOWN:
            cell = sheet.cell(area[0], area[1])
        if cell is None:
            return None
        if cell.formula is not None:
            if cell.value is None:
                self.draft.problem(sheet.ref(row, column),
                                   f"this cell holds a formula ({cell.formula[:60]}) with no saved "
                                   "result, and the tracker never runs formulas: open the workbook "
                                   "in Excel and save it, or type the value.")
            else:
                self.formula_cells.setdefault(name, []).append(sheet.ref(row, column))
        return cell.value

    def fill(self, name: str, row: int) -> str | None:
        column = self.columns.get(name)
        if column is None:
            return None
        cell = self.sheet.cell(row, column)
        area = self.sheet.merged_range(row, column)
        if (cell is None or cell.fill is None) and area is not None and area[0] < row:
            cell = self.sheet.cell(area[0], area[1])
        return colour_name(cell.fill) if cell is not None and cell.fill else None

    def place(self, name: str, row: int) -> str:
        column = self.columns.get(name)
        return self.sheet.ref(row, column) if column else f"{self.sheet.name}!{row}:{row}"

    # --- rows --------------------------------------------------------------------------------

    def read_rows(self, headings: dict[int, str], data_start: int) -> None:
        sheet, draft = self.sheet, self.draft
        hidden: list[int] = []
        heading_keys = {c: t.lower() for c, t in headings.items()}
        for row in range(data_start, sheet.max_row + 1):
            if row in sheet.hidden_rows:
                if _row_values(sheet, row):
                    hidden.append(row)
                continue
            values = _row_values(sheet, row)
            if not values and not any(self.value(n, row) for n in _FILLED_DOWN if n in self.columns):
                continue  # a blank separator row
            if values and sum(_text(v).lower() == heading_keys.get(c) for c, v in values.items()) \
                    >= max(2, len(values) // 2 + 1):
                draft.warn(f"{sheet.name}!{row}:{row}", "the header row again; passed over.")
                continue
            text = _text(self.value("text", row))
            if self._is_heading(row, values, text):
                column, only = next(iter(values.items()))
                self.heading(_text(only), sheet.ref(row, column))
                continue
            self.data_row(row, text, values)
        self._report_hidden(hidden)
        for name, places in self.formula_cells.items():
            one = len(places) == 1
            draft.warn(places[0], f"{count_of(len(places), FIELD_LABELS[name].lower() + ' cell')} "
                                  f"{'is a formula' if one else 'are formulas'}; the value saved "
                                  f"with {'it' if one else 'each'} is used, never recalculated.")

    def _is_heading(self, row: int, values: dict[int, object], text: str) -> bool:
        """One text alone on its row: merged across columns, outside the commitment column,
        or in it worded as a priority ("Priority 2 - ...")."""
        if len(values) != 1:
            return False
        (column, value), = values.items()
        if not isinstance(value, str):
            return False
        area = self.sheet.merged_range(row, column)
        if area is not None and area[3] > area[1]:
            return True
        if column == self.columns.get("text"):
            return bool(_WORDED_PRIORITY.match(text))
        # In the priority column, it is the priority of the rows below, not a heading row.
        return column != self.columns.get("priority")

    def _report_hidden(self, hidden: list[int]) -> None:
        if not hidden:
            return
        runs: list[list[int]] = []
        for row in hidden:
            if runs and row == runs[-1][-1] + 1:
                runs[-1].append(row)
            else:
                runs.append([row])
        for run in runs:
            where = f"{self.sheet.name}!{run[0]}:{run[-1]}"
            rows = f"row {run[0]} is" if len(run) == 1 else f"rows {run[0]}-{run[-1]} are"
            self.draft.warn(where, f"{rows} hidden in the spreadsheet and left out; unhide "
                                   f"{'it' if len(run) == 1 else 'them'} to bring "
                                   f"{'it' if len(run) == 1 else 'them'} in.")

    def heading(self, text: str, place: str) -> DraftPriority:
        number, title = split_heading(text)
        found = self.by_number.get(number) if number is not None else None
        if found is None and title:
            found = self.by_title.get(title.lower())
        if found is not None:
            if title and not found.title_given:
                found.title, found.title_given = title, True
                self.by_title[title.lower()] = found
            elif title and found.title.lower() != title.lower() and number is not None:
                self.draft.warn(place, f"priority {number} is headed '{title}' here and "
                                       f"'{found.title}' at {found.place}; the first is kept.")
            if found is not self.current:
                self.current, self.last = found, None
            return found
        if number is None:
            number = max(self.by_number, default=0) + 1
        given = bool(title)
        priority = DraftPriority(number, title or f"Priority {number}", place, title_given=given)
        self.by_number[number] = priority
        if given:
            self.by_title[title.lower()] = priority
        self.draft.priorities.append(priority)
        self.current, self.last = priority, None
        return priority

    def data_row(self, row: int, text: str, values: dict[int, object]) -> None:
        draft = self.draft
        priority_value = _text(self.value("priority", row))
        if priority_value:
            self.heading(priority_value, self.place("priority", row))
        sub_text = _text(self.value("subpoint", row))
        if not text:
            if sub_text and self.last is not None:
                self.last.children.append(self._item(sub_text, row, "subpoint"))
                return
            if sub_text:
                draft.problem(self.place("subpoint", row), "this sub-point comes before any "
                                                           "commitment it could belong to.")
                return
            if values and not (priority_value and len(values) == 1):
                draft.warn(self.place("text", row), "this row has no commitment text and is left "
                                                    "out (it holds " + ", ".join(
                                                        f"'{_text(v)[:40]}'" for v in
                                                        list(values.values())[:3]) + ").")
            return
        if self.current is None:
            if self.orphan is None:
                self.orphan = DraftPriority(0, "(no priority)", self.place("text", row))
                draft.priorities.append(self.orphan)
                draft.problem(self.place("text", row),
                              "this commitment comes before any priority: map the priority column "
                              "(priority=A), or put a heading row such as 'Priority 1 - ...' above "
                              "it.")
            self.current = self.orphan
        item = self._item(text, row, "text")
        code = _code(self.value("code", row))
        item.code = code
        parent = self.last
        if parent is not None and code and parent.code and _is_sub_code(parent.code, code):
            parent.children.append(item)
        else:
            self.current.commitments.append(item)
            self.last = item
        if sub_text:
            item.children.append(self._item(sub_text, row, "subpoint"))

    def _item(self, text: str, row: int, where: str) -> DraftCommitment:
        item = DraftCommitment(text, self.place(where, row))
        item.lead = _text(self.value("lead", row)) or None
        partners = _text(self.value("partners", row))
        item.partners = [p for p in _PARTNER_SPLIT.split(partners) if p] if partners else []
        item.notes = _text(self.value("notes", row)) or None
        due = self.value("due", row)
        if due is not None and _text(due):
            try:
                item.due = parse_plan_date(due)
            except PlanDateError as exc:
                self.draft.warn(self.place("due", row), f"{exc}; the commitment gets no due date.")
        if "status" in self.columns:
            word = _text(self.value("status", row)) or None
            status, source = self.status_map.lookup(word, self.fill("status", row))
            if status is not None:
                item.status, item.status_from = status, source
                self.draft.statuses_used.setdefault(source, status)
            elif source is not None:
                self.draft.problem(self.place("status", row),
                                   f"the status '{source}' maps to no tracker status: add it to the "
                                   f"status mapping, for example \"{source.removesuffix(' fill')}="
                                   "At risk\".")
        return item


def _code(value: object) -> str | None:
    text = _text(value).strip()
    if not text:
        return None
    return text.strip("()").rstrip(".):") or None


def _is_sub_code(parent: str, code: str) -> bool:
    """'1.2.1' under '1.2', '3a' under '3'."""
    return code != parent and (code.startswith(parent + ".")
                               or (code[:-1] == parent and code[-1:].isalpha()
                                   and parent[-1:].isdigit()))


def build_draft(grid: WorkbookGrid, mapping: SheetMapping,
                known_partners: set[str] | None = None) -> PlanDraft:
    """The plan the mapping makes of the workbook, with every problem at its place."""
    draft = PlanDraft(grid.file_name)
    draft.known_partners = {n.lower() for n in (known_partners or set())}
    sheet = choose_sheet(grid, draft, mapping.sheet)
    if sheet is None:
        return draft
    draft.sheet = sheet.name
    named = [ref for ref in mapping.columns.values()
             if not re.fullmatch(r"[A-Za-z]{1,3}", ref.strip())]
    header_row = mapping.header_row or find_header_row(sheet, named)
    if header_row is None:
        draft.problem(sheet.name, "no header row was found (a row of column headings such as "
                                  "'Actions | Timescale | Lead officer'); choose it (--header-row N).")
        return draft
    if header_row > max(sheet.max_row, 1):
        draft.problem(sheet.name, f"row {header_row} is below the last row of the sheet "
                                  f"({sheet.max_row}).")
        return draft
    draft.header_row = header_row
    headings, data_start = headings_of(sheet, header_row)
    reader = _Reader(sheet, mapping, draft)
    reader.resolve(headings, header_row)
    if "text" not in reader.columns:
        return draft
    reader.read_rows(headings, data_start)
    for priority in draft.priorities:
        if not priority.commitments and priority.number:
            draft.warn(priority.place, f"priority {priority.number} ('{priority.title}') has no "
                                       "commitments under it.")
        if not priority.title_given:
            draft.warn(priority.place, f"priority {priority.number} has no title; it is called "
                                       f"'{priority.title}' until you rename it.")
    if not draft.commitments():
        draft.problem(sheet.name, f"no commitments were found under the header row "
                                  f"({header_row}) in column {letter(reader.columns['text'])}.")
    return draft


def status_values(grid: WorkbookGrid, mapping: SheetMapping) -> dict[str, int]:
    """The words and fills the mapped status column holds, with how many rows hold each, in
    the order first met: what the officer maps to the tracker's statuses."""
    scratch = PlanDraft(grid.file_name)
    sheet = choose_sheet(grid, scratch, mapping.sheet)
    reference = mapping.columns.get("status")
    if sheet is None or not reference:
        return {}
    header_row = mapping.header_row or find_header_row(sheet)
    if header_row is None:
        return {}
    headings, data_start = headings_of(sheet, header_row)
    column = column_of(reference, headings, sheet.max_column)
    if column is None:
        return {}
    found: dict[str, int] = {}
    for row in range(data_start, sheet.max_row + 1):
        if row in sheet.hidden_rows:
            continue
        cell = sheet.cell(row, column)
        if cell is None:
            continue
        word = _text(cell.value)
        key = word or (f"{colour_name(cell.fill)} fill" if cell.fill else "")
        if key and key != "white fill":
            found[key] = found.get(key, 0) + 1
    return found
