"""Starting the next plan from an existing one: its title and period, its priorities, where each
old priority goes, and which commitments are carried forward (each keeps a link to its origin)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from tracker import ops
from tracker.store import queries
from tracker.store.database import Store
from tracker.store.errors import ValidationError
from tracker.ui.widgets.field_error import FieldError


class NewPlanDialog(QDialog):
    def __init__(self, store: Store, source_plan_id: int, parent: QWidget | None = None):
        super().__init__(parent)
        self.store = store
        source = queries.get_plan(store, source_plan_id)
        self.source = source
        self.old_priorities = queries.list_priorities(store, source_plan_id)
        self.setWindowTitle(f"New plan from {source.title}")
        self.resize(1000, 700)

        self.title = QLineEdit(f"{source.title} (next)")
        self.title.setToolTip("The new plan's title")
        self.period = QLineEdit()
        self.period.setPlaceholderText("e.g. 2024-2028")
        self.title_error = FieldError(self.title)
        self.period_error = FieldError(self.period)
        self.title.textEdited.connect(self.title_error.clear)
        self.period.textEdited.connect(self.period_error.clear)
        form = QFormLayout()
        form.addRow("&Title", self.title)
        form.addRow("", self.title_error)
        form.addRow("&Period", self.period)
        form.addRow("", self.period_error)

        self.combos: list[QComboBox] = []
        self.new_table = QTableWidget(0, 2)
        self.new_table.setAccessibleName("Priorities of the new plan")
        self.new_table.setHorizontalHeaderLabels(["Number", "Title of the new priority"])
        self.new_table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.new_table.verticalHeader().hide()
        self.new_table.setToolTip("The new plan's priorities; double-click to rename")
        for p in self.old_priorities:
            self._add_new_row(p.number, p.title)
        add = QPushButton("Add priority")
        add.clicked.connect(lambda: self._add_new_row(self._next_number(), "New priority"))
        remove = QPushButton("Remove priority")
        remove.clicked.connect(self._remove_new_row)
        self.priorities_error = QLabel()
        self.priorities_error.setStyleSheet("color:#b00020;")
        self.priorities_error.hide()
        new_box = QGroupBox("Priorities of the new plan")
        new_layout = QVBoxLayout(new_box)
        new_layout.addWidget(self.new_table)
        row = QHBoxLayout()
        row.addWidget(add)
        row.addWidget(remove)
        row.addStretch(1)
        new_layout.addLayout(row)
        new_layout.addWidget(self.priorities_error)

        self.map_table = QTableWidget(len(self.old_priorities), 2)
        self.map_table.setAccessibleName("Where each old priority goes")
        self.map_table.setHorizontalHeaderLabels([f"Priority of {source.period}", "Continues in"])
        self.map_table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.map_table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.map_table.verticalHeader().hide()
        self.map_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        for i, p in enumerate(self.old_priorities):
            self.map_table.setItem(i, 0, QTableWidgetItem(f"P{p.number} {p.title}"))
            combo = QComboBox()
            combo.setToolTip("The new priority this one continues in (linked in both plans)")
            combo.setAccessibleName(f"New priority for P{p.number} {p.title}")
            self.map_table.setCellWidget(i, 1, combo)
            self.combos.append(combo)
        self._fill_combos(identity=True)
        self.new_table.itemChanged.connect(lambda _i: self._fill_combos())
        map_box = QGroupBox("Where each old priority goes")
        QVBoxLayout(map_box).addWidget(self.map_table)

        self.carry = QTreeWidget()
        self.carry.setAccessibleName("Commitments to carry forward")
        self.carry.setHeaderLabels(["Commitment", "Status"])
        self.carry.header().setStretchLastSection(False)
        self.carry.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.carry.header().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.carry.setToolTip("Tick the commitments to carry forward into the new plan")
        for p in self.old_priorities:
            top = QTreeWidgetItem([f"P{p.number} {p.title}", ""])
            top.setFlags(top.flags() | Qt.ItemFlag.ItemIsAutoTristate | Qt.ItemFlag.ItemIsUserCheckable)
            self.carry.addTopLevelItem(top)
            for c in queries.list_commitments(store, p.id):
                item = QTreeWidgetItem([f"{c.code or ''} {c.text}", f"{c.status.shape} {c.status.label}"])
                item.setData(0, Qt.ItemDataRole.UserRole, c.id)
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                item.setToolTip(0, c.text)
                item.setCheckState(0, Qt.CheckState.Checked if ops.carried_by_default(c)
                                   else Qt.CheckState.Unchecked)
                top.addChild(item)
            if top.childCount() == 0:
                top.setCheckState(0, Qt.CheckState.Unchecked)
        self.carry.expandAll()
        all_button = QPushButton("Tick all")
        none_button = QPushButton("Tick none")
        all_button.clicked.connect(lambda: self._tick_all(Qt.CheckState.Checked))
        none_button.clicked.connect(lambda: self._tick_all(Qt.CheckState.Unchecked))
        carry_box = QGroupBox("Commitments to carry forward (unfinished ones are ticked)")
        carry_layout = QVBoxLayout(carry_box)
        carry_layout.addWidget(self.carry)
        row = QHBoxLayout()
        row.addWidget(all_button)
        row.addWidget(none_button)
        row.addStretch(1)
        carry_layout.addLayout(row)
        note = QLabel("Carried commitments start as Not assessed in the new plan, with their "
                      "sub-points, lead and partners; in the old plan (if it is still open) they "
                      "are marked Carried forward.")
        note.setWordWrap(True)
        note.setStyleSheet("color:#555;")

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Make the new plan")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.buttons = buttons
        left = QVBoxLayout()
        left.addLayout(form)
        left.addWidget(new_box, 1)
        left.addWidget(map_box, 1)
        body = QHBoxLayout()
        body.addLayout(left, 1)
        body.addWidget(carry_box, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(body, 1)
        layout.addWidget(note)
        layout.addWidget(buttons)
        self.period.setFocus()

    def _add_new_row(self, number: int, title: str) -> None:
        row = self.new_table.rowCount()
        self.new_table.blockSignals(True)
        self.new_table.insertRow(row)
        self.new_table.setItem(row, 0, QTableWidgetItem(str(number)))
        self.new_table.setItem(row, 1, QTableWidgetItem(title))
        self.new_table.blockSignals(False)
        if self.combos:
            self._fill_combos()

    def _remove_new_row(self) -> None:
        row = self.new_table.currentRow()
        if row >= 0 and self.new_table.rowCount() > 1:
            self.new_table.removeRow(row)
            self._fill_combos()

    def _next_number(self) -> int:
        return max([n for n, _t in self.new_priorities_raw() if n is not None] + [0]) + 1

    def new_priorities_raw(self) -> list[tuple[int | None, str]]:
        found = []
        for row in range(self.new_table.rowCount()):
            number_item, title_item = self.new_table.item(row, 0), self.new_table.item(row, 1)
            text = number_item.text().strip() if number_item else ""
            found.append((int(text) if text.isdigit() else None,
                          title_item.text().strip() if title_item else ""))
        return found

    def _fill_combos(self, identity: bool = False) -> None:
        choices = [(n, t) for n, t in self.new_priorities_raw() if n is not None]
        for i, combo in enumerate(self.combos):
            keep = combo.currentData()
            combo.blockSignals(True)
            combo.clear()
            for n, t in choices:
                combo.addItem(f"P{n} {t}", n)
            if identity:
                keep = self.old_priorities[i].number
            index = combo.findData(keep)
            combo.setCurrentIndex(index if index >= 0 else 0)
            combo.blockSignals(False)

    def _tick_all(self, state: Qt.CheckState) -> None:
        for i in range(self.carry.topLevelItemCount()):
            self.carry.topLevelItem(i).setCheckState(0, state)

    def carried_ids(self) -> list[int]:
        ids = []
        for i in range(self.carry.topLevelItemCount()):
            top = self.carry.topLevelItem(i)
            for j in range(top.childCount()):
                item = top.child(j)
                if item.checkState(0) == Qt.CheckState.Checked:
                    ids.append(item.data(0, Qt.ItemDataRole.UserRole))
        return ids

    def request(self) -> ops.NewPlanRequest:
        """What the officer asked for; the rules (a title, a period, numbered priorities) are
        the operation's (ops.next_plan_priorities)."""
        mapping = {p.id: self.combos[i].currentData() for i, p in enumerate(self.old_priorities)
                   if self.combos[i].currentData() is not None}
        raw = []
        for row in range(self.new_table.rowCount()):
            number_item, title_item = self.new_table.item(row, 0), self.new_table.item(row, 1)
            raw.append((number_item.text() if number_item else "",
                        title_item.text() if title_item else ""))
        return ops.NewPlanRequest(self.title.text(), self.period.text(), raw, mapping,
                                  self.carried_ids())

    def accept(self) -> None:
        try:
            ops.next_plan_priorities(self.store, self.request(), self.source.id)
        except ValidationError as exc:
            shown = {"title": self.title_error, "period": self.period_error}.get(exc.field)
            if shown is not None:
                shown.show_error(str(exc))
            else:
                self.priorities_error.setText(str(exc))
                self.priorities_error.show()
            return
        super().accept()
