"""The reporting rounds: each round's due date and who has replied, and from here sending a
round (workbooks with e-mail drafts), reminding the overdue partners, changing the due date and
closing a round. Every change is an operation on the window's history (Ctrl+Z takes it back);
drafts open in the officer's own mail program, and nothing is sent by the tracker."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from tracker import ops
from tracker.domain.wording import count_of, day
from tracker.store import queries
from tracker.store.database import Store
from tracker.ui import system_open
from tracker.ui.history import History, own_history
from tracker.ui.table_export import install_table_menu

ROUND_COLUMNS = ("Round", "Due back", "Sent", "Back", "Awaited", "Overdue", "Reminded", "State")
PARTNER_COLUMNS = ("Partner", "Where it stands", "Contacts")
# The word carries the meaning; the shape and the colour repeat it.
STATE_LOOK = {
    "back": ("✔", "#dff0e6"),
    "sent": ("✉", "#eef3fb"),
    "overdue": ("▲", "#fde2e4"),
    "not sent": ("○", "#f2f2f2"),
}
ROUND_STATE = {"open": "Open", "overdue": "▲ Overdue", "all back": "✔ All back",
               "closed": "Closed"}


class RoundsDialog(QDialog):
    """Signals:
        send_requested(str): the officer wants to send this round (the window opens the Send
            dialog on it).
    """

    send_requested = Signal(str)

    def __init__(self, store: Store, parent: QWidget | None = None,
                 history: History | None = None):
        super().__init__(parent)
        self.store = store
        self.history = history if history is not None else own_history(store, self)[0]
        self.summaries: list = []
        self.setWindowTitle("Reporting rounds")
        self.resize(1100, 640)

        self.rounds = QTableWidget(0, len(ROUND_COLUMNS))
        self.rounds.setHorizontalHeaderLabels(list(ROUND_COLUMNS))
        self.rounds.setAccessibleName("Reporting rounds")
        self.partners = QTableWidget(0, len(PARTNER_COLUMNS))
        self.partners.setHorizontalHeaderLabels(list(PARTNER_COLUMNS))
        self.partners.setAccessibleName("Partners in the round")
        install_table_menu(self.rounds, "Reporting rounds")
        install_table_menu(self.partners, "Partners in the round")
        for table, stretch in ((self.rounds, 7), (self.partners, 1)):
            table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
            table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
            table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
            table.verticalHeader().hide()
            header = table.horizontalHeader()
            header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
            header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
        self.partners.horizontalHeader().setSectionResizeMode(
            0, QHeaderView.ResizeMode.ResizeToContents)
        self.rounds.itemSelectionChanged.connect(self._round_chosen)

        self.message = QLabel("")
        self.message.setWordWrap(True)
        self.drafts = QListWidget()
        self.drafts.setAccessibleName("E-mail drafts written")
        self.drafts.setToolTip("Double-click a draft to open it in your mail program")
        self.drafts.itemActivated.connect(self._open_draft)
        self.drafts.hide()

        self.send_button = QPushButton("&Send round…")
        self.send_button.setToolTip("Write the round's workbooks with an e-mail draft for each "
                                    "partner")
        self.send_button.clicked.connect(self.send)
        self.remind_button = QPushButton("&Remind overdue…")
        self.remind_button.setToolTip("A reminder draft, with its workbook again, for every "
                                      "partner that is overdue")
        self.remind_button.clicked.connect(self.remind)
        self.due_button = QPushButton("Change &due date…")
        self.due_button.clicked.connect(self.change_due)
        self.close_round_button = QPushButton("C&lose round")
        self.close_round_button.clicked.connect(self.close_or_reopen)
        self.new_button = QPushButton("&New round…")
        self.new_button.setToolTip("Send the workbooks of a round not sent before")
        self.new_button.clicked.connect(lambda: self.send_requested.emit(""))
        close = QPushButton("Close")
        close.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        for button in (self.new_button, self.send_button, self.remind_button, self.due_button,
                       self.close_round_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(close)

        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.rounds)
        lower = QWidget()
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        lower_layout.addWidget(self.partners, 3)
        lower_layout.addWidget(self.drafts, 1)
        split.addWidget(lower)
        split.setSizes([220, 360])
        layout = QVBoxLayout(self)
        layout.addWidget(split, 1)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        self.reload()

    # --- reading -------------------------------------------------------------------------------

    def reload(self, keep: str | None = None) -> None:
        keep = keep or self.selected_label()
        self.summaries = [queries.round_summary(self.store, r.label)
                          for r in queries.list_rounds(self.store)]
        self.rounds.setRowCount(len(self.summaries))
        for n, s in enumerate(self.summaries):
            awaited = s.in_state("sent", "overdue")
            cells = [s.round.label, day(s.round.due_date, "not set"),
                     str(s.count("sent", "overdue", "back")), str(s.count("back")),
                     str(len(awaited)), str(s.count("overdue")),
                     str(sum(p.reminded_at is not None for p in awaited)),
                     ROUND_STATE[s.state]]
            for column, text in enumerate(cells):
                self.rounds.setItem(n, column, QTableWidgetItem(text))
        if not self.summaries:
            self.message.setText("No rounds yet: a round is made when its workbooks are sent "
                                 "(New round…).")
        row = next((n for n, s in enumerate(self.summaries) if s.round.label == keep), None)
        if row is None:
            default = queries.default_round_label(self.store)
            row = next((n for n, s in enumerate(self.summaries) if s.round.label == default), 0)
        if self.summaries:
            self.rounds.selectRow(row)
        self._round_chosen()

    def selected(self):
        rows = {i.row() for i in self.rounds.selectedIndexes()}
        return self.summaries[rows.pop()] if len(rows) == 1 else None

    def selected_label(self) -> str | None:
        chosen = self.selected()
        return chosen.round.label if chosen is not None else None

    def select_round(self, label: str) -> None:
        for n, s in enumerate(self.summaries):
            if s.round.label == label:
                self.rounds.selectRow(n)
                return
        raise KeyError(label)

    def _round_chosen(self) -> None:
        chosen = self.selected()
        people = queries.contacts_by_partner(self.store)
        rows = chosen.partners if chosen is not None else []
        self.partners.setRowCount(len(rows))
        for n, p in enumerate(rows):
            shape, colour = STATE_LOOK[p.state]
            contacts = ", ".join(f"{c.name} <{c.email}>" for c in people.get(p.partner_id, []))
            cells = [p.partner_name, f"{shape} {p.label}", contacts or "no contacts"]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column == 1:
                    item.setBackground(QBrush(QColor(colour)))
                self.partners.setItem(n, column, item)
        writable = not self.store.read_only
        is_open = chosen is not None and not chosen.round.is_closed
        self.send_button.setEnabled(writable and is_open)
        self.remind_button.setEnabled(writable and is_open and chosen.count("overdue") > 0)
        self.due_button.setEnabled(writable and is_open)
        self.close_round_button.setEnabled(writable and chosen is not None)
        self.new_button.setEnabled(writable)
        self.close_round_button.setText("Re&open round" if chosen is not None
                                        and chosen.round.is_closed else "C&lose round")
        if chosen is not None:
            r = chosen.round
            closed = f" Closed {day(r.closed_at)} by {r.closed_by}." if r.is_closed else ""
            self.message.setText(f"<b>{r.label}</b>, due back by {day(r.due_date, 'no date set')}: "
                                 f"{chosen.line}; {chosen.count('not sent')} not sent.{closed}")

    # --- what the officer asks for -------------------------------------------------------------

    @staticmethod
    def ask_folder(parent: QWidget, title: str) -> str:
        """The folder for drafts, or "" (tests replace this)."""
        return QFileDialog.getExistingDirectory(parent, title, str(Path.home()))

    @staticmethod
    def ask_date(parent: QWidget, label: str, current: date) -> date | None:
        """The new due date, or None (tests replace this)."""
        dialog = QDialog(parent)
        dialog.setWindowTitle(f"Due date of {label}")
        edit = QDateEdit(QDate(current.year, current.month, current.day))
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("d MMMM yyyy")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(dialog.accept)
        buttons.rejected.connect(dialog.reject)
        layout = QVBoxLayout(dialog)
        layout.addWidget(QLabel(f"Partners' workbooks for {label} are due back by:"))
        layout.addWidget(edit)
        layout.addWidget(buttons)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        chosen = edit.date()
        return date(chosen.year(), chosen.month(), chosen.day())

    def _perform(self, operation, text: str, what: str):
        done = self.history.perform(operation, text, quiet=True)
        if not isinstance(done, ops.OpResult):
            self.message.setText(f"{what}: {done}")
            return None
        return done

    def send(self) -> None:
        label = self.selected_label()
        if label:
            self.send_requested.emit(label)

    def remind(self) -> None:
        label = self.selected_label()
        if not label:
            return
        folder = self.ask_folder(self, f"Folder for the {label} reminders")
        if not folder:
            return
        done = self._perform(lambda s: ops.remind(s, label, folder), f"Reminders for {label}",
                             "No reminders were written")
        if done is None:
            return
        self.reload(label)
        reminders = done.value
        self._show_drafts(reminders.drafts)
        again = (f" Written anew (the workbook sent had moved or changed): "
                 f"{', '.join(reminders.sent_again)}." if reminders.sent_again else "")
        self.message.setText(f"{count_of(len(reminders.drafts), 'reminder')} for {label} in "
                             f"{folder}: double-click one to open it in your mail program, check "
                             f"it and send it.{again}")

    def change_due(self) -> None:
        chosen = self.selected()
        if chosen is None:
            return
        current = (date.fromisoformat(chosen.round.due_date) if chosen.round.due_date
                   else date.today())
        new = self.ask_date(self, chosen.round.label, current)
        if new is None or new == current:
            return
        label = chosen.round.label
        if self._perform(lambda s: ops.set_round_due(s, label, new), f"Due date of {label}",
                         "The due date was not changed") is not None:
            self.reload(label)

    def close_or_reopen(self) -> None:
        chosen = self.selected()
        if chosen is None:
            return
        label = chosen.round.label
        if chosen.round.is_closed:
            done = self._perform(lambda s: ops.reopen_round(s, label), f"Reopen {label}",
                                 "The round was not reopened")
        else:
            done = self._perform(lambda s: ops.close_round(s, label), f"Close {label}",
                                 "The round was not closed")
        if done is not None:
            self.reload(label)

    def _show_drafts(self, drafts) -> None:
        self.drafts.clear()
        for d in drafts:
            to = ", ".join(d.to) if d.to else "no contacts: address it yourself"
            item = QListWidgetItem(f"{d.partner}: {d.path.name} — to {to}")
            item.setData(Qt.ItemDataRole.UserRole, str(d.path))
            self.drafts.addItem(item)
        self.drafts.setVisible(bool(drafts))

    def _open_draft(self, item: QListWidgetItem) -> None:
        path = item.data(Qt.ItemDataRole.UserRole)
        if path and not system_open.open_with_system(path):
            self.message.setText(f"Your system has no program to open {Path(path).name}; open it "
                                 "from its folder in your mail program.")
