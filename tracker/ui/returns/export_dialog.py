"""Sending workbooks to partners: the round, one partner or all, the date due back, a folder.
Writing them is one operation (ops.send_returns), all or none, off the GUI thread."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from tracker import ops
from tracker.domain.wording import count_of
from tracker.errors import TrackerError
from tracker.ops.returns import DEFAULT_DAYS_TO_RETURN, canonical_round, default_round
from tracker.store import queries
from tracker.store.database import Store
from tracker.ui.jobs import LongJobDialog

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

        self.round_edit = QLineEdit(round_label or default_round())
        self.round_edit.setToolTip('A financial year, quarter or month, e.g. "2021/22 Q2"')
        self.round_edit.textChanged.connect(self._check)
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
        browse = QPushButton("&Browse…")
        browse.clicked.connect(self.choose_folder)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder_edit, 1)
        folder_row.addWidget(browse)
        form = QFormLayout()
        form.addRow("Reporting &round:", self.round_edit)
        form.addRow("&Partner:", self.partner_box)
        form.addRow("&Due back by:", self.due_edit)
        form.addRow("Save in &folder:", folder_row)

        self.message = QLabel("Each workbook holds only that partner's commitments and "
                              "indicators, and no internal-only evidence.")
        self.message.setWordWrap(True)
        self.results = QListWidget()
        self.export_button = QPushButton("&Write workbooks")
        self.export_button.setDefault(True)
        self.export_button.clicked.connect(self.start)
        self.cancel_button = QPushButton("&Cancel")
        self.cancel_button.clicked.connect(self._stop_or_close)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.export_button)
        buttons.addWidget(self.cancel_button)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.job_panel)
        layout.addWidget(self.results, 1)
        layout.addLayout(buttons)
        self._check()

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

        def job(progress, cancelled):
            with store.for_worker() as own:
                return ops.send_returns(own, round_label, folder, partner=partner, due_date=due,
                                        progress=progress, cancelled=cancelled)

        self.start_job(job, self._done, self._failed)

    def job_started(self) -> None:
        self.cancel_button.setText("&Stop")
        self._check()

    def job_ended(self) -> None:
        self.cancel_button.setText("&Close")
        self._check()

    def _done(self, result: ops.OpResult) -> None:
        written = result.value
        self.written = written
        for w in written:
            self.results.addItem(f"{w.partner_name}: {count_of(w.commitments, 'commitment')}, "
                                 f"{count_of(w.indicator_rows, 'indicator figure')} — "
                                 f"{w.path.name}")
        folder = written[0].path.parent if written else self.folder_edit.text()
        self.message.setText(f"{count_of(len(written), 'workbook')} written to {folder}. Send "
                             "each to its partner; the round's status shows who has replied.")
        self.exported.emit(written)

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
