"""Sending workbooks to partners: the round, one partner or all, the date due back, a folder."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from tracker.exchange.errors import Cancelled, ExchangeError
from tracker.exchange.return_export import (
    DEFAULT_DAYS_TO_RETURN,
    ExportedWorkbook,
    canonical_round,
    default_round,
    export_round,
)
from tracker.store import partners
from tracker.store.database import Store
from tracker.store.errors import StoreError
from tracker.ui.returns.worker import JobThread

ALL_PARTNERS = "All partners with something to report"


class ExportReturnsDialog(QDialog):
    """Write return workbooks for a round.

    Signals:
        exported(object): the list of ExportedWorkbook of each workbook written.
    """

    exported = Signal(object)

    def __init__(self, store: Store, parent: QWidget | None = None, round_label: str | None = None,
                 folder: str | Path | None = None):
        super().__init__(parent)
        self.store = store
        self.thread: JobThread | None = None
        self.written: list[ExportedWorkbook] = []
        self.setWindowTitle("Send partner returns")
        self.resize(640, 480)

        self.round_edit = QLineEdit(round_label or default_round())
        self.round_edit.setToolTip('A financial year, quarter or month, e.g. "2021/22 Q2"')
        self.round_edit.textChanged.connect(self._check)
        self.partner_box = QComboBox()
        self.partner_box.addItem(ALL_PARTNERS, None)
        for p in partners.list_partners(store):
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
        self.progress = QProgressBar()
        self.progress.hide()
        self.results = QListWidget()
        self.export_button = QPushButton("&Write workbooks")
        self.export_button.setDefault(True)
        self.export_button.clicked.connect(self.start)
        self.cancel_button = QPushButton("&Cancel")
        self.cancel_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.export_button)
        buttons.addWidget(self.cancel_button)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.progress)
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
        except ExchangeError:
            return None

    def _check(self) -> None:
        ok = self._round() is not None
        self.export_button.setEnabled(ok and self.thread is None and not self.store.read_only)
        if not ok:
            self.message.setText(f"'{self.round_edit.text()}' is not a reporting round: use a "
                                 "financial year (2021/22), a quarter (2021/22 Q2) or a month "
                                 "(May 2021).")
        elif self.store.read_only:
            self.message.setText("This database is open read-only, so the sending cannot be "
                                 "recorded.")

    def start(self) -> None:
        round_label = self._round()
        if round_label is None or self.thread is not None:
            return
        partner = self.partner_box.currentData()
        due_q = self.due_edit.date()
        due = date(due_q.year(), due_q.month(), due_q.day())
        folder = Path(self.folder_edit.text()).expanduser()
        self.results.clear()
        self.message.setText(f"Writing the {round_label} workbooks to {folder}…")

        def job(progress, cancelled):
            with self.store.for_worker() as store:
                return export_round(store, round_label, folder, partner=partner, due_date=due,
                                    progress=progress, cancelled=cancelled)

        self.thread = JobThread(job, self)
        self.thread.progressed.connect(self._progressed)
        self.thread.finished_with.connect(self._done)
        self.thread.failed_with.connect(self._failed)
        self.progress.setRange(0, 0)
        self.progress.show()
        self.cancel_button.setText("&Stop")
        self._check()
        self.thread.start()

    def _progressed(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)

    def _release(self) -> None:
        if self.thread is not None:
            self.thread.wait()
            self.thread = None
        self.progress.hide()
        self.cancel_button.setText("&Close")
        self._check()

    def _done(self, written: list[ExportedWorkbook]) -> None:
        self._release()
        self.written = written
        for w in written:
            self.results.addItem(f"{w.partner_name}: {w.commitments} commitments, "
                                 f"{w.indicator_rows} indicator figures — {w.path.name}")
        folder = written[0].path.parent if written else self.folder_edit.text()
        self.message.setText(f"{len(written)} workbook(s) written to {folder}. Send each to its "
                             "partner; the round's status shows who has replied.")
        self.exported.emit(written)

    def _failed(self, exc: BaseException) -> None:
        self._release()
        if isinstance(exc, Cancelled | ExchangeError | StoreError | OSError):
            self.message.setText(str(exc))
        else:
            self.message.setText(f"Unexpected error ({type(exc).__name__}: {exc}).")

    def reject(self) -> None:
        if self.thread is not None:
            self.thread.cancel()
            self.message.setText("Stopping after the workbook being written…")
            return
        super().reject()

    def keyPressEvent(self, event) -> None:
        if event.key() == Qt.Key.Key_Escape and self.thread is not None:
            self.reject()
            return
        super().keyPressEvent(event)
