"""Starting a plan from the office's own spreadsheet: choose the sheet and the header row, say
which column holds what and what each status word or fill means, watch the preview, create.

The workbook has been read (off the GUI thread) before the dialog opens; each change of the
mapping rebuilds the preview from that reading, which takes milliseconds. Nothing is written
until Create, and Create is enabled only when the preview has no problems.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from tracker import ops
from tracker.domain.status import Status
from tracker.domain.wording import count_of
from tracker.errors import TrackerError
from tracker.exchange.plan_sheet import build
from tracker.exchange.plan_sheet.draft import PlanDraft
from tracker.exchange.plan_sheet.grid import SheetGrid, WorkbookGrid
from tracker.exchange.plan_sheet.mapping import FIELD_LABELS, FIELDS, StatusMap, guess_columns, letter
from tracker.store import queries
from tracker.store.database import Store
from tracker.ui.jobs import run_with_progress
from tracker.ui.plan_import.draft_view import DraftView
from tracker.ui.plan_import.plan_fields import PlanFields

REBUILD_AFTER_MS = 200
NOT_USED = "(not in this sheet)"
CHOOSE = "(choose a status)"


class PlanSheetDialog(QDialog):
    """Signals:
        created(object): the operation's OpResult, once the plan is created (its id in
            value.plan_id).
    """

    created = Signal(object)

    def __init__(self, store: Store, grid: WorkbookGrid, parent: QWidget | None = None):
        super().__init__(parent)
        self.store = store
        self.grid = grid
        self.draft: PlanDraft | None = None
        self.task = None
        self.result: ops.OpResult | None = None
        self.known = {p.name for p in queries.list_partners(store)}
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

        self.preview = DraftView()
        self.fields = PlanFields()
        self.buttons = QDialogButtonBox()
        self.create_button = self.buttons.addButton("&Create plan",
                                                    QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.create)
        self.buttons.rejected.connect(self.reject)

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

        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(REBUILD_AFTER_MS)
        self.timer.timeout.connect(self.rebuild)
        self._filling = False
        self._sheet_changed()
        self.sheet.currentIndexChanged.connect(lambda _i: self._sheet_changed())
        self.header_row.valueChanged.connect(lambda _v: self._header_changed())
        for name, combo in self.columns.items():
            combo.currentIndexChanged.connect(
                lambda _i, n=name: self._column_changed(n))
        self.fields.changed.connect(self._update_button)

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
        self.draft = build.build_draft(self.grid, self.mapping(), self.known)
        self.preview.show_draft(self.draft)
        self._update_button()

    def _update_button(self) -> None:
        ready = self.draft is not None and self.draft.can_create \
            and self.fields.values(show_errors=False) is not None
        self.create_button.setEnabled(ready)
        if self.draft is not None and not self.draft.can_create:
            self.create_button.setToolTip("Fix the problems in the preview first.")
        elif not ready:
            self.create_button.setToolTip("Give the plan a title and a period.")
        else:
            self.create_button.setToolTip("Create the plan as the preview shows it.")

    def create(self) -> None:
        if self.timer.isActive():
            self.rebuild()
        values = self.fields.values()
        if values is None or self.draft is None or not self.draft.can_create:
            return
        store, draft = self.store, self.draft

        def job(_progress, _cancelled):
            with store.for_worker() as own:  # a large plan takes seconds: off the GUI thread
                return ops.import_plan(own, draft, *values)

        self.create_button.setEnabled(False)
        self.task = run_with_progress(self, "Creating the plan…", job, self._created,
                                      self._not_created, cancellable=False)
        self.task.done.connect(self._task_ended)  # the task is kept until it has ended

    def _created(self, result: ops.OpResult) -> None:
        self.result = result

    def _task_ended(self) -> None:
        # Only once the task has ended: closing deletes the dialog, and the task with it.
        self.task = None
        if self.result is not None:
            self.created.emit(self.result)
            self.accept()

    def _not_created(self, exc: BaseException) -> None:
        self._update_button()
        if not isinstance(exc, TrackerError):
            raise exc
        QMessageBox.warning(self, "The plan was not created", str(exc))
