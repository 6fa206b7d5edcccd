"""Edit ▸ Activity: every operation made to this database, newest first, filtered by plan,
person, kind and date; the selected one's changes below. It follows the store: an edit, an
import or an undo made while it is open shows at once."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from tracker.domain.changes import Activity
from tracker.domain.dates import parse_day
from tracker.domain.wording import count_of, moment
from tracker.ops.wording import change_line, origin_label, origin_words
from tracker.store import queries
from tracker.store.database import Store
from tracker.store.errors import StoreError
from tracker.ui.history import OpsBridge
from tracker.ui.table_export import install_table_menu

Index = QModelIndex | QPersistentModelIndex
LIMIT = 2000
COLUMNS = ("When", "Who", "From", "Kind", "What")


def kind_label(kind: str) -> str:
    return kind.replace("_", " ").capitalize()


class ActivityModel(QAbstractTableModel):
    """The entries of the activity log, one a row."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.entries: list[Activity] = []
        self.origins: dict[str, str] = {}  # "return 12" -> "Essex Police's 2021/22 Q2 return"

    def set_entries(self, entries: list[Activity], origins: dict[str, str] | None = None) -> None:
        self.beginResetModel()
        self.entries = list(entries)
        self.origins = dict(origins or {})
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.entries)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        e = self.entries[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            column = index.column()
            if column == 0:
                return moment(e.at) if role == Qt.ItemDataRole.DisplayRole else e.at
            if column == 1:
                return e.who
            if column == 2:
                return self.origins.get(e.origin, e.origin)
            if column == 3:
                return kind_label(e.kind)
            return e.summary
        return None


class ActivityDialog(QDialog):
    def __init__(self, store: Store, bridge: OpsBridge, plan_id: int | None = None,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.store = store
        self.bridge = bridge
        self.setWindowTitle("Activity")
        self.resize(1000, 620)

        self.plan_box = QComboBox()
        self.plan_box.setAccessibleName("Plan")
        self.plan_box.addItem("All plans", None)
        for plan in queries.list_plans(store):
            self.plan_box.addItem(f"{plan.title} ({plan.period})", plan.id)
        if plan_id is not None:
            self.plan_box.setCurrentIndex(max(0, self.plan_box.findData(plan_id)))
        self.person_box = QComboBox()
        self.person_box.setAccessibleName("Person")
        self.kind_box = QComboBox()
        self.kind_box.setAccessibleName("Kind")
        self.since = QLineEdit()
        self.since.setPlaceholderText("from, e.g. 01/04/2021")
        self.since.setAccessibleName("From date")
        self.until = QLineEdit()
        self.until.setPlaceholderText("to, e.g. 31/03/2022")
        self.until.setAccessibleName("To date")
        bar = QHBoxLayout()
        for text, widget in (("&Plan", self.plan_box), ("P&erson", self.person_box),
                             ("&Kind", self.kind_box), ("&Dates", self.since)):
            label = QLabel(text)
            label.setBuddy(widget)
            bar.addWidget(label)
            bar.addWidget(widget, 1 if widget is self.plan_box else 0)
        bar.addWidget(QLabel("–"))
        bar.addWidget(self.until)

        self.model = ActivityModel(self)
        self.table = QTableView()
        self.table.setAccessibleName("Operations")
        install_table_menu(self.table, "Activity")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        for column in range(4):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._show_changes())
        self.details = QPlainTextEdit()
        self.details.setReadOnly(True)
        self.details.setAccessibleName("What the selected operation changed")
        self.count_label = QLabel()
        self.count_label.setStyleSheet("color:#555;")
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.table)
        split.addWidget(self.details)
        split.setSizes([420, 160])
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(split, 1)
        layout.addWidget(self.count_label)
        layout.addWidget(buttons)

        self._fill_choices()
        for box in (self.plan_box, self.person_box, self.kind_box):
            box.currentIndexChanged.connect(self.reload)
        self.since.editingFinished.connect(self.reload)
        self.until.editingFinished.connect(self.reload)
        bridge.performed.connect(self._operation_done)
        self.finished.connect(self._detach)
        self.reload()

    def _fill_choices(self) -> None:
        for box, first, values, label in (
                (self.person_box, "Everyone", queries.people(self.store), str),
                (self.kind_box, "Every kind", queries.kinds(self.store), kind_label)):
            keep = box.currentData()
            box.blockSignals(True)
            box.clear()
            box.addItem(first, None)
            for value in values:
                box.addItem(label(value), value)
            box.setCurrentIndex(max(0, box.findData(keep)))
            box.blockSignals(False)

    def _date(self, field: QLineEdit) -> str | None:
        text = field.text().strip()
        if not text:
            return None
        return parse_day(text).isoformat()

    def filter(self) -> queries.LogFilter:
        """The filter the controls describe; ValueError naming a date that is not one."""
        return queries.LogFilter(plan_id=self.plan_box.currentData(),
                                 who=self.person_box.currentData(),
                                 kind=self.kind_box.currentData(),
                                 since=self._date(self.since), until=self._date(self.until))

    def reload(self) -> None:
        try:
            flt = self.filter()
        except ValueError as exc:
            self.count_label.setText(str(exc))
            return
        try:
            found = queries.entries(self.store, LIMIT, flt)
        except StoreError as exc:
            self.count_label.setText(str(exc))
            return
        self.model.set_entries(found, {o: origin_label(self.store, o)
                                       for o in {e.origin for e in found}})
        shown = count_of(len(found), "operation")
        self.count_label.setText(f"{shown} shown, newest first" if len(found) < LIMIT
                                 else f"The latest {shown}; narrow the filters to see older ones")
        if found:
            self.table.selectRow(0)
        else:
            self.details.setPlainText("")

    def selected(self) -> Activity | None:
        index = self.table.currentIndex()
        return self.model.entries[index.row()] if index.isValid() else None

    def _show_changes(self) -> None:
        entry = self.selected()
        if entry is None:
            self.details.setPlainText("")
            return
        lines = [f"{entry.summary}", f"{entry.who}, {moment(entry.at)}, "
                 f"{origin_words(self.store, entry.origin)}; operation {entry.short_id}", ""]
        lines.extend(f"• {change_line(self.store, c)}" for c in entry.changes
                     if not c.is_bookkeeping)
        self.details.setPlainText("\n".join(lines))

    def _operation_done(self, _result) -> None:
        self._fill_choices()
        self.reload()

    def _detach(self) -> None:
        try:
            self.bridge.performed.disconnect(self._operation_done)
        except (RuntimeError, TypeError):
            pass
