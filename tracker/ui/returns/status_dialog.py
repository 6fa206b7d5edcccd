"""Where each partner stands in a round: not sent, sent, overdue or back, and taking a whole
return back."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from tracker import ops
from tracker.domain.text import html_escape
from tracker.domain.wording import count_of, day
from tracker.errors import TrackerError
from tracker.ops.returns import canonical_round
from tracker.store import queries
from tracker.store.database import Store
from tracker.ui.history import History, own_history
from tracker.ui.jobs import LongJobDialog, describe_failure
from tracker.ui.table_export import install_table_menu
from tracker.ui.widgets.round_box import RoundBox
from tracker.ui.widgets.sort_item import SortItem

# The word carries the meaning; the shape and the colour repeat it. Sorted by State, the
# partners to chase come first.
STATE_RANK = {"overdue": 0, "sent": 1, "not sent": 2, "back": 3}
STATE_LOOK = {
    "back": ("✔ Back", "#dff0e6"),
    "sent": ("✉ Awaited", "#eef3fb"),
    "overdue": ("▲ Overdue", "#fde2e4"),
    "not sent": ("○ Not sent", "#f2f2f2"),
}


class RoundStatusDialog(LongJobDialog):
    """Per partner: sent, back or overdue, for one round.

    Reverting is an operation on the window's history (ops.revert_return: a backup first, one
    transaction), so Ctrl+Z can take the revert back. It runs off the GUI thread: on a large
    database the backup and a 5,000-row return's changes take seconds.

    Signals:
        reverted(object): a return was reverted (the operation's OpResult).
        import_requested(): the officer wants to import a workbook.
    """

    reverted = Signal(object)
    import_requested = Signal()

    def __init__(self, store: Store, parent: QWidget | None = None, round_label: str | None = None,
                 history: History | None = None):
        super().__init__(parent)
        self.store = store
        self.history = history if history is not None else own_history(store, self)[0]
        self.rows: list[queries.PartnerRoundStatus] = []
        self.setWindowTitle("Partner returns: who has replied")
        self.resize(820, 560)
        self.round_box = RoundBox(store, round_label)
        self.round_box.activated.connect(lambda _i: self.reload())
        self.round_edit = self.round_box.lineEdit()
        self.round_edit.returnPressed.connect(self.reload)
        show = QPushButton("&Show")
        show.clicked.connect(self.reload)
        top = QHBoxLayout()
        label = QLabel("Reporting &round:")
        label.setBuddy(self.round_box)
        top.addWidget(label)
        top.addWidget(self.round_box)
        top.addWidget(show)
        top.addStretch(1)
        self.summary = QLabel("")
        self.summary.setTextFormat(Qt.TextFormat.RichText)  # every text given it is escaped
        self.summary.setWordWrap(True)
        self.table = QTableWidget(0, 6)
        self.table.setAccessibleName("Partners in this round")
        install_table_menu(self.table, lambda: f"Returns {self.round_edit.text()}")
        self.table.setHorizontalHeaderLabels(["Partner", "State", "Sent", "Due back", "Came back",
                                              "Return"])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in range(1, 6):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.revert_button = QPushButton("&Revert this return…")
        self.revert_button.setToolTip("Take back every change the selected partner's return made")
        self.revert_button.clicked.connect(self.revert_selected)
        self.import_button = QPushButton("&Import a return…")
        self.import_button.clicked.connect(self.import_requested.emit)
        close = QPushButton("&Close")
        close.clicked.connect(self.reject)  # (while a revert runs: once it has finished)
        buttons = QHBoxLayout()
        buttons.addWidget(self.revert_button)
        buttons.addStretch(1)
        buttons.addWidget(self.import_button)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.job_panel)
        layout.addLayout(buttons)
        self.reload()

    def reload(self) -> None:
        try:
            round_label = canonical_round(self.round_edit.text())
        except TrackerError as exc:
            self.summary.setText(html_escape(exc))
            return
        self.round_edit.setText(round_label)
        self.rows = queries.round_status(self.store, round_label)
        self.table.setSortingEnabled(False)  # rows go in where they are put, then sort
        self.table.clearContents()
        self.table.setRowCount(len(self.rows))
        for n, r in enumerate(self.rows):
            word, colour = STATE_LOOK[r.state]
            returned = r.state == "back"
            cells = [(r.partner_name, r.partner_name.casefold()), (word, STATE_RANK[r.state]),
                     (day(r.exported_at), r.exported_at or ""), (day(r.due_date), r.due_date or ""),
                     (day(r.imported_at), r.imported_at or ""),
                     (str(r.return_id) if returned else "", r.return_id if returned else 0)]
            for column, (text, sort) in enumerate(cells):
                item = SortItem(text, sort)
                item.setData(Qt.ItemDataRole.UserRole, n)  # its place in self.rows
                if column == 1:
                    item.setBackground(QBrush(QColor(colour)))
                self.table.setItem(n, column, item)
        self.table.setSortingEnabled(True)
        back = sum(r.state == "back" for r in self.rows)
        overdue = [r.partner_name for r in self.rows if r.state == "overdue"]
        waiting = sum(r.state == "sent" for r in self.rows)
        text = (f"<b>{html_escape(round_label)}</b>: {back} back, {waiting} awaited, {len(overdue)} overdue, "
                f"{sum(r.state == 'not sent' for r in self.rows)} not sent.")
        if overdue:
            names = html_escape(", ".join(overdue[:5]))
            more = f" and {len(overdue) - 5} more" if len(overdue) > 5 else ""
            text += f" To chase: {names}{more}."
        self.summary.setText(text)
        self._update_buttons()

    def selected(self) -> queries.PartnerRoundStatus | None:
        rows = {self.table.item(i.row(), 0).data(Qt.ItemDataRole.UserRole)
                for i in self.table.selectedIndexes()}
        return self.rows[rows.pop()] if len(rows) == 1 else None

    def _update_buttons(self) -> None:
        chosen = self.selected()
        self.revert_button.setEnabled(bool(chosen and chosen.state == "back"
                                           and not self.store.read_only and not self.running))

    def confirm_revert(self, record: queries.ReturnRecord) -> bool:
        """Ask before reverting (tests replace this)."""
        answer = QMessageBox.question(
            self, "Revert a return",
            f"Take back everything {record.label} ({record.file_name}, imported "
            f"{record.imported_at[:10]}) changed?\n\n"
            "Its evidence is removed, statuses and values are put back. A backup is taken first.")
        return answer == QMessageBox.StandardButton.Yes

    def revert_selected(self) -> None:
        chosen = self.selected()
        if chosen is None or chosen.return_id is None or self.running:
            return
        record = queries.get_return(self.store, chosen.return_id)
        if not self.confirm_revert(record):
            return
        store = self.store

        def job(_progress, _cancelled):
            with store.for_worker() as own:
                return ops.revert_return(own, record.id).warm()

        # One transaction: it finishes or rolls back, so it is not cancelled half-way.
        self.start_job(job, lambda done: self._reverted(record, done), self._not_reverted,
                       status=f"Reverting {record.label} (a backup first)…", cancellable=False)

    def _reverted(self, record: queries.ReturnRecord, done: ops.OpResult) -> None:
        self.history.push(done, f"Revert {record.label}")
        result = done.value
        self.reload()
        self.summary.setText(self.summary.text() + f"<br>Reverted {html_escape(record.label)}: "
                             f"{result.evidence_removed} evidence removed, "
                             f"{count_of(result.statuses_restored, 'status', 'statuses')} and "
                             f"{count_of(result.values_restored, 'value')} put back.")
        self.reverted.emit(done)

    def _not_reverted(self, exc: BaseException) -> None:
        self.summary.setText(f"Not reverted: {html_escape(describe_failure(exc))}")

    def job_started(self) -> None:
        for widget in (self.revert_button, self.import_button, self.round_box):
            widget.setEnabled(False)

    def job_ended(self) -> None:
        self.import_button.setEnabled(True)
        self.round_box.setEnabled(True)
        self._update_buttons()
