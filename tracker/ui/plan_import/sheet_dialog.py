"""Starting a plan from the office's own spreadsheet: choose the sheet and the header row, say
which column holds what and what each status word or fill means, watch the preview, create.

The workbook has been read (off the GUI thread) before the dialog opens; each change of the
mapping rebuilds the preview from that reading, which takes milliseconds. Nothing is written
until Create, and Create is enabled only when the preview has no problems.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from tracker.domain.status import Status
from tracker.domain.wording import count_of
from tracker.exchange.plan_sheet import build
from tracker.exchange.plan_sheet.grid import SheetGrid, WorkbookGrid
from tracker.exchange.plan_sheet.mapping import FIELD_LABELS, FIELDS, StatusMap, guess_columns, letter
from tracker.store.database import Store
from tracker.ui.plan_import.draft_dialog import PlanDraftDialog

NOT_USED = "(not in this sheet)"
CHOOSE = "(choose a status)"


class PlanSheetDialog(PlanDraftDialog):
    """Signals:
        created(object): the operation's OpResult, once the plan is created (its id in
            value.plan_id).
    """

    def __init__(self, store: Store, grid: WorkbookGrid, parent: QWidget | None = None):
        super().__init__(store, parent)
        self.grid = grid
        self.setWindowTitle(f"New plan from a spreadsheet — {grid.file_name}")
        self.resize(1240, 680)

        self.sheet = QComboBox()
        self.sheet.setAccessibleName("Sheet")
        likely = build.plan_sheets(grid)
        for sheet in grid.sheets:
            label = sheet.name + (" (hidden)" if sheet.hidden else "")
            if sheet in likely:
                label += "  — looks like a plan"
            self.sheet.addItem(label, sheet.name)
        first = likely[0] if likely else next((s for s in grid.sheets if not s.hidden), grid.sheets[0])
        self.sheet.setCurrentIndex(self.sheet.findData(first.name))
        self.header_row = QSpinBox()
        self.header_row.setAccessibleName("Header row")
        self.header_row.setToolTip("The row that holds the column headings")
        self.columns: dict[str, QComboBox] = {}
        mapping_form = QFormLayout()
        mapping_form.addRow("&Sheet", self.sheet)
        mapping_form.addRow("&Header row", self.header_row)
        for name in FIELDS:
            combo = QComboBox()
            combo.setAccessibleName(FIELD_LABELS[name])
            self.columns[name] = combo
            mapping_form.addRow(FIELD_LABELS[name] + ("  *" if name == "text" else ""), combo)
        required = QLabel("* required. Every other column may be left out.")
        required.setWordWrap(True)
        mapping_box = QGroupBox("Which column holds what")
        mapping_layout = QVBoxLayout(mapping_box)
        mapping_layout.addLayout(mapping_form)
        mapping_layout.addWidget(required)

        self.statuses = QTableWidget(0, 2)
        self.statuses.setHorizontalHeaderLabels(["In the status column", "Tracker status"])
        self.statuses.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.statuses.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.statuses.verticalHeader().hide()
        self.statuses.setAccessibleName("Status words and fills")
        status_box = QGroupBox("What the status words and fills mean")
        QVBoxLayout(status_box).addWidget(self.statuses)

        left = QVBoxLayout()
        left.addWidget(mapping_box)
        left.addWidget(status_box, 1)
        right = QVBoxLayout()
        right.addWidget(self.preview, 1)
        right.addWidget(self.fields)
        body = QHBoxLayout()
        body.addLayout(left, 2)
        body.addLayout(right, 5)
        layout = QVBoxLayout(self)
        layout.addLayout(body, 1)
        layout.addWidget(self.buttons)

        self._filling = False
        self._sheet_changed()
        self.sheet.currentIndexChanged.connect(lambda _i: self._sheet_changed())
        self.header_row.valueChanged.connect(lambda _v: self._header_changed())
        for name, combo in self.columns.items():
            combo.currentIndexChanged.connect(
                lambda _i, n=name: self._column_changed(n))

    # --- what the officer chose ----------------------------------------------------------------

    def current_sheet(self) -> SheetGrid:
        return self.grid.sheet(self.sheet.currentData()) or self.grid.sheets[0]

    def mapping(self) -> build.SheetMapping:
        columns = {n: c.currentData() for n, c in self.columns.items() if c.currentData()}
        statuses = {}
        for row in range(self.statuses.rowCount()):
            key = self.statuses.item(row, 0).data(Qt.ItemDataRole.UserRole)
            chosen = self.statuses.cellWidget(row, 1).currentData()
            if chosen:
                statuses[key.lower()] = Status(chosen)
        return build.SheetMapping(columns, statuses, self.current_sheet().name,
                                  self.header_row.value())

    def set_column(self, name: str, column_letter: str | None) -> None:
        combo = self.columns[name]
        combo.setCurrentIndex(max(combo.findData(column_letter), 0) if column_letter else 0)

    def set_status(self, key: str, status: Status | None) -> None:
        for row in range(self.statuses.rowCount()):
            if self.statuses.item(row, 0).data(Qt.ItemDataRole.UserRole) == key:
                combo = self.statuses.cellWidget(row, 1)
                combo.setCurrentIndex(max(combo.findData(status.value if status else None), 0))
                return
        raise KeyError(key)

    # --- keeping the form in step ------------------------------------------------------------------

    def _sheet_changed(self) -> None:
        sheet = self.current_sheet()
        self._filling = True
        self.header_row.setRange(1, max(sheet.max_row, 1))
        self.header_row.setValue(build.find_header_row(sheet) or 1)
        self._filling = False
        self._header_changed()

    def _header_changed(self) -> None:
        if self._filling:
            return
        sheet = self.current_sheet()
        headings, _start = build.headings_of(sheet, self.header_row.value())
        guessed = guess_columns(headings)
        self._filling = True
        for name, combo in self.columns.items():
            combo.clear()
            combo.addItem(NOT_USED, None)
            for column in range(1, max(sheet.max_column, max(headings, default=0)) + 1):
                heading = headings.get(column, "")
                combo.addItem(f"{letter(column)}: {heading}" if heading else letter(column),
                              letter(column))
            combo.setCurrentIndex(max(combo.findData(guessed.get(name)), 0))
        self._filling = False
        self._refill_statuses()
        self.timer.start()

    def _column_changed(self, name: str) -> None:
        if self._filling:
            return
        if name == "status":
            self._refill_statuses()
        self.timer.start()

    def _refill_statuses(self) -> None:
        chosen = {}
        for row in range(self.statuses.rowCount()):
            key = self.statuses.item(row, 0).data(Qt.ItemDataRole.UserRole)
            chosen[key] = self.statuses.cellWidget(row, 1).currentData()
        mapping = self.mapping()
        values = build.status_values(self.grid, mapping)
        suggest = StatusMap()
        self.statuses.setRowCount(0)
        for key, count in values.items():
            row = self.statuses.rowCount()
            self.statuses.insertRow(row)
            item = QTableWidgetItem(f"{key}  ({count_of(count, 'row')})")
            item.setData(Qt.ItemDataRole.UserRole, key)
            item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
            self.statuses.setItem(row, 0, item)
            combo = QComboBox()
            combo.setAccessibleName(f"Tracker status for {key}")
            combo.addItem(CHOOSE, None)
            for status in Status:
                combo.addItem(f"{status.shape} {status.label}", status.value)
            if key in chosen:
                default = chosen[key]
            else:
                word, fill = (None, key.removesuffix(" fill")) if key.endswith(" fill") else (key, None)
                found, _source = suggest.lookup(word, fill)
                default = found.value if found else None
            combo.setCurrentIndex(max(combo.findData(default), 0))
            combo.currentIndexChanged.connect(lambda _i: self.timer.start())
            self.statuses.setCellWidget(row, 1, combo)

    # --- preview and create ------------------------------------------------------------------

    def rebuild(self) -> None:
        self.timer.stop()
        self.show_draft(build.build_draft(self.grid, self.mapping(), self.known))
