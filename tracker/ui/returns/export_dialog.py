"""Sending workbooks to partners: the round (from the rounds sent so far, or a new one), one
partner or all, the date due back, a folder, and an e-mail draft beside each workbook addressed
to the partner's contacts. Writing them is one operation (ops.send_round, or ops.send_returns
without drafts), all or none, off the GUI thread. Nothing is sent by the tracker: the officer
opens each draft in their own mail program."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from tracker import ops
from tracker.domain.wording import count_of
from tracker.errors import TrackerError
from tracker.ops.returns import DEFAULT_DAYS_TO_RETURN, canonical_round
from tracker.store import queries
from tracker.store.database import Store
from tracker.ui import system_open
from tracker.ui.jobs import LongJobDialog
from tracker.ui.widgets.round_box import RoundBox

ALL_PARTNERS = "All partners with something to report"


class ExportReturnsDialog(LongJobDialog):
    """Write return workbooks for a round.

    Signals:
        exported(object): the list of ExportedWorkbook of each workbook written.
    """

    exported = Signal(object)

    def __init__(self, store: Store, parent: QWidget | None = None, round_label: str | None = None,
                 folder: str | Path | None = None):
        super().__init__(parent)
        self.store = store
        self.written: list = []
        self.setWindowTitle("Send partner returns")
        self.resize(640, 480)

        self.round_box = RoundBox(store, round_label)
        self.round_edit = self.round_box.lineEdit()
        self.round_edit.textChanged.connect(self._check)
        self.round_edit.textChanged.connect(lambda _text: self._round_due())
        self.drafts_box = QCheckBox("Write an e-mail &draft for each partner, addressed to its "
                                    "contacts, with its workbook attached")
        self.drafts_box.setChecked(True)
        self.drafts_box.setToolTip("The drafts open in your own mail program; the tracker "
                                   "sends nothing")
        self.drafts: list = []
        self.partner_box = QComboBox()
        self.partner_box.addItem(ALL_PARTNERS, None)
        for p in queries.list_partners(store):
            self.partner_box.addItem(p.name, p.name)
        self.due_edit = QDateEdit()
        self.due_edit.setCalendarPopup(True)
        self.due_edit.setDisplayFormat("d MMMM yyyy")
        due = date.today() + timedelta(days=DEFAULT_DAYS_TO_RETURN)
        self.due_edit.setDate(QDate(due.year, due.month, due.day))
        self.folder_edit = QLineEdit(str(folder) if folder else str(Path.home()))
        self.folder_edit.setAccessibleName("Save in folder")
        browse = QPushButton("&Browse…")
        browse.clicked.connect(self.choose_folder)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder_edit, 1)
        folder_row.addWidget(browse)
        form = QFormLayout()
        form.addRow("Reporting &round:", self.round_box)
        form.addRow("&Partner:", self.partner_box)
        form.addRow("&Due back by:", self.due_edit)
        folder_label = QLabel("Save in &folder:")  # beside a row, not a widget: its own buddy
        folder_label.setBuddy(self.folder_edit)
        form.addRow(folder_label, folder_row)
        form.addRow("", self.drafts_box)

        self.message = QLabel("Each workbook holds only that partner's commitments and "
                              "indicators, and no internal-only evidence.")
        self.message.setWordWrap(True)
        self.results = QListWidget()
        self.results.setAccessibleName("Workbooks written")
        self.results.setToolTip("Double-click a draft to open it in your mail program")
        self.results.itemActivated.connect(self._open_item)
        self.open_folder_button = QPushButton("&Open folder")
        self.open_folder_button.setEnabled(False)
        self.open_folder_button.clicked.connect(
            lambda: system_open.open_with_system(Path(self.folder_edit.text()).expanduser()))
        self.export_button = QPushButton("&Write workbooks")
        self.export_button.setDefault(True)
        self.export_button.clicked.connect(self.start)
        self.cancel_button = QPushButton("&Cancel")
        self.cancel_button.clicked.connect(self._stop_or_close)
        buttons = QHBoxLayout()
        buttons.addWidget(self.open_folder_button)
        buttons.addStretch(1)
        buttons.addWidget(self.export_button)
        buttons.addWidget(self.cancel_button)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.job_panel)
        layout.addWidget(self.results, 1)
        layout.addLayout(buttons)
        self._round_due()
        self._check()

    def _round_due(self) -> None:
        """A round sent before is due back when it said; a new one in 28 days."""
        round_label = self._round()
        found = queries.find_round(self.store, round_label) if round_label else None
        if found is not None and found.due_date:
            due = date.fromisoformat(found.due_date)
        else:
            due = date.today() + timedelta(days=DEFAULT_DAYS_TO_RETURN)
        self.due_edit.setDate(QDate(due.year, due.month, due.day))

    def choose_folder(self) -> None:
        name = QFileDialog.getExistingDirectory(self, "Folder for the workbooks",
                                                self.folder_edit.text())
        if name:
            self.folder_edit.setText(name)

    def _round(self) -> str | None:
        try:
            return canonical_round(self.round_edit.text())
        except TrackerError:
            return None

    def _check(self) -> None:
        ok = self._round() is not None
        self.export_button.setEnabled(ok and not self.running and not self.store.read_only)
        if not ok:
            self.message.setText(f"'{self.round_edit.text()}' is not a reporting round: use a "
                                 "financial year (2021/22), a quarter (2021/22 Q2) or a month "
                                 "(May 2021).")
        elif self.store.read_only:
            self.message.setText("This database is open read-only, so the sending cannot be "
                                 "recorded.")

    def start(self) -> None:
        round_label = self._round()
        if round_label is None or self.running:
            return
        partner = self.partner_box.currentData()
        due_q = self.due_edit.date()
        due = date(due_q.year(), due_q.month(), due_q.day())
        folder = Path(self.folder_edit.text()).expanduser()
        self.results.clear()
        self.message.setText(f"Writing the {round_label} workbooks to {folder}…")
        store = self.store

        send = ops.send_round if self.drafts_box.isChecked() else ops.send_returns

        def job(progress, cancelled):
            with store.for_worker() as own:
                return send(own, round_label, folder, partner=partner, due_date=due,
                            progress=progress, cancelled=cancelled)

        self.start_job(job, self._done, self._failed)

    def job_started(self) -> None:
        self.cancel_button.setText("&Stop")
        self._check()

    def job_ended(self) -> None:
        self.cancel_button.setText("&Close")
        self._check()

    def _done(self, result: ops.OpResult) -> None:
        sent = result.value
        written = sent.workbooks if isinstance(sent, ops.SentRound) else sent
        self.drafts = sent.drafts if isinstance(sent, ops.SentRound) else []
        self.written = written
        drafts = {d.partner: d for d in self.drafts}
        for w in written:
            item = QListWidgetItem(f"{w.partner_name}: {count_of(w.commitments, 'commitment')}, "
                                   f"{count_of(w.indicator_rows, 'indicator figure')} — "
                                   f"{w.path.name}")
            draft = drafts.get(w.partner_name)
            if draft is not None:
                to = ", ".join(draft.to) if draft.to else "no contacts: address it yourself"
                item.setText(item.text() + f"; draft to {to}")
                item.setData(Qt.ItemDataRole.UserRole, str(draft.path))
            self.results.addItem(item)
        folder = written[0].path.parent if written else self.folder_edit.text()
        text = f"{count_of(len(written), 'workbook')} written to {folder}."
        if self.drafts:
            text += (f" {count_of(len(self.drafts), 'e-mail draft')} beside them: double-click "
                     "one to open it in your mail program, check it and send it.")
        else:
            text += " Send each to its partner; the round's status shows who has replied."
        self.message.setText(text)
        self.open_folder_button.setEnabled(bool(written))
        self.exported.emit(written)

    def _open_item(self, item: QListWidgetItem) -> None:
        path = item.data(Qt.ItemDataRole.UserRole)
        if path and not system_open.open_with_system(path):
            self.message.setText(f"Your system has no program to open {Path(path).name}; open "
                                 "it from the folder in your mail program.")

    def _failed(self, exc: BaseException) -> None:
        self.job_failed(exc)
        self.message.setText(self.job_panel.status.text())

    def _stop_or_close(self) -> None:
        """While writing, Stop cancels and the dialog stays to say so; otherwise Close."""
        if self.running:
            self.cancel()
            self.message.setText("Stopping after the workbook being written…")
        else:
            self.reject()
