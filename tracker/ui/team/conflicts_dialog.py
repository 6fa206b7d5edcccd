"""Reviewing conflicts: a colleague's change that met one of yours, side by side.

Each conflict shows the value both started from, yours and the team's, with who made each and
when. The team's value is in the plan meanwhile. Keep mine, Keep theirs or Use another value
resolves it as an ordinary edit (a step of the undo history, sent with the next sync).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from tracker.ops import team as team_ops


class _Side(QGroupBox):
    """One side of a conflict: its value, and who made it when."""

    def __init__(self, title: str, parent: QWidget | None = None):
        super().__init__(title, parent)
        layout = QVBoxLayout(self)
        self.value = QPlainTextEdit()
        self.value.setReadOnly(True)
        self.value.setTabChangesFocus(True)
        self.value.setAccessibleName(title)
        self.by = QLabel()
        self.by.setWordWrap(True)
        layout.addWidget(self.value, 1)
        layout.addWidget(self.by)

    def show_value(self, text: str, by: str) -> None:
        self.value.setPlainText(text)
        self.by.setText(by)


class ConflictsDialog(QDialog):
    """Signals:
        resolved(int): a conflict was resolved (its number).
    """

    resolved = Signal(int)

    def __init__(self, window, parent: QWidget | None = None):
        super().__init__(parent or window)
        self.main = window  # the main window (not QWidget.window())
        self.setWindowTitle("Conflicts to review")
        self.resize(900, 560)
        intro = QLabel("A colleague changed something you had also changed. The team's value "
                       "is in the plan now; yours waits here until you choose.")
        intro.setWordWrap(True)
        self.table = QTableWidget(0, 2)
        self.table.setHorizontalHeaderLabels(["What", "Changed by"])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setTabKeyNavigation(False)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.horizontalHeader().setSectionResizeMode(
            1, QHeaderView.ResizeMode.ResizeToContents)
        self.table.setAccessibleName("Conflicts")
        self.table.itemSelectionChanged.connect(self._show_selected)
        self.base = _Side("Before either change")
        self.mine = _Side("Yours")
        self.theirs = _Side("Theirs (in the plan now)")
        sides = QGridLayout()
        for col, side in enumerate((self.base, self.mine, self.theirs)):
            sides.addWidget(side, 0, col)
        self.keep_mine = QPushButton("Keep &mine")
        self.keep_theirs = QPushButton("Keep &theirs")
        self.other_value = QPushButton("Use &another value…")
        self.keep_mine.clicked.connect(lambda: self._resolve(keep="mine"))
        self.keep_theirs.clicked.connect(lambda: self._resolve(keep="theirs"))
        self.other_value.clicked.connect(self._ask_value)
        actions = QHBoxLayout()
        for button in (self.keep_mine, self.keep_theirs, self.other_value):
            actions.addWidget(button)
        actions.addStretch(1)
        self.empty = QLabel("Nothing waits for review.")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 2)
        layout.addWidget(self.empty)
        layout.addLayout(sides, 3)
        layout.addLayout(actions)
        layout.addWidget(close)
        self.views: list[team_ops.ConflictView] = []
        self.reload()

    def reload(self, select: int = 0) -> None:
        store = self.main.store
        self.views = [team_ops.describe_conflict(store, c)
                      for c in team_ops.waiting_conflicts(store)]
        self.table.setRowCount(len(self.views))
        for row, view in enumerate(self.views):
            what = QTableWidgetItem(view.what[0].upper() + view.what[1:])
            what.setToolTip(view.what)
            self.table.setItem(row, 0, what)
            self.table.setItem(row, 1, QTableWidgetItem(view.theirs_by))
        self.empty.setVisible(not self.views)
        if self.views:
            self.table.selectRow(min(select, len(self.views) - 1))
        self._show_selected()

    def current(self) -> team_ops.ConflictView | None:
        rows = self.table.selectionModel().selectedRows()
        return self.views[rows[0].row()] if rows and rows[0].row() < len(self.views) else None

    def _show_selected(self) -> None:
        view = self.current()
        for button in (self.keep_mine, self.keep_theirs):
            button.setEnabled(view is not None and not self.main.store.read_only)
        self.other_value.setEnabled(view is not None and view.can_take_value
                                    and not self.main.store.read_only)
        if view is None:
            for side in (self.base, self.mine, self.theirs):
                side.show_value("", "")
            return
        self.base.show_value(view.base, "")
        self.mine.show_value(view.mine, " · ".join(p for p in (view.mine_by, view.mine_at) if p))
        self.theirs.show_value(view.theirs, " · ".join(p for p in (view.theirs_by, view.theirs_at)
                                                      if p))

    def _ask_value(self) -> None:
        view = self.current()
        if view is None:
            return
        text, ok = QInputDialog.getText(self, "Use another value", f"The value for {view.what}:",
                                        text=view.mine if view.mine != "(empty)" else "")
        if ok:
            self._resolve(value=text)

    def _resolve(self, keep: str | None = None, value: str | None = None) -> None:
        view = self.current()
        if view is None:
            return
        row = self.table.currentRow()
        number = view.number
        result = self.main.history.perform(
            lambda store: team_ops.resolve_conflict(store, number, keep=keep, value=value),
            what="The conflict was not resolved")
        if isinstance(result, Exception):
            return
        self.resolved.emit(number)
        self.reload(select=row)
