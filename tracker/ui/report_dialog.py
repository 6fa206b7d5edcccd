"""The report dialog: which plan, which periods, priorities and partner, internal evidence or
not, which format and file; a progress bar while it is written; open it when done.

The report is written on a QThread with its own read-only connection to the database, charts
included (they are drawn in plain Python, off the GUI thread). Nothing here decides what goes
into a report: that is tracker.reports.
"""

from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtCore import QObject, Qt, QThread, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from tracker.reports.build import FORMATS, ReportFormatError, format_of, write_report
from tracker.reports.content import ReportCancelled, ReportOptions, report_title
from tracker.store import partners, plans
from tracker.store.database import Store, open_store
from tracker.store.errors import StoreError, ValidationError

FORMAT_CHOICES = [("PDF", ".pdf"), ("Word", ".docx"), ("HTML", ".html")]


class _ReportThread(QThread):
    """Signals: progress(int, str) percent and what is being done; succeeded(object) the
    Report; failed(str) a message; cancelled()."""

    progress = Signal(int, str)
    succeeded = Signal(object)
    failed = Signal(str)
    cancelled = Signal()

    def __init__(self, store: Store, options: ReportOptions, path: Path,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.store, self.options, self.path = store, options, path
        self.stop = threading.Event()

    def run(self) -> None:
        own = self.store.path is not None
        try:
            # A connection belongs to the thread that opened it: the worker opens its own.
            store = open_store(self.store.path, mode="read", officer=self.store.officer) \
                if own else self.store
            try:
                report = write_report(
                    store, self.options, self.path,
                    progress=lambda done, total, what: self.progress.emit(
                        done * 100 // max(total, 1), what),
                    cancelled=self.stop.is_set)
            finally:
                if own:
                    store.close()
        except ReportCancelled:
            self.cancelled.emit()
        except (StoreError, ReportFormatError, OSError) as exc:
            self.failed.emit(str(exc))
        except Exception as exc:  # a bug: say what it was rather than fail silently
            self.failed.emit(f"The report could not be written: {type(exc).__name__}: {exc}")
        else:
            self.succeeded.emit(report)


class ReportDialog(QDialog):
    """Choose and write a report.

    Signals:
        report_written(str): the path of the file written.
        report_failed(str): why it could not be written.
        report_cancelled(): the officer cancelled; no file was written.
    """

    report_written = Signal(str)
    report_failed = Signal(str)
    report_cancelled = Signal()

    def __init__(self, store: Store, plan_id: int | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.thread: _ReportThread | None = None
        self._close_when_done = False
        self.setWindowTitle("Create a report")
        self.resize(620, 560)

        self.plan_combo = QComboBox()
        for plan in plans.list_plans(store):
            self.plan_combo.addItem(f"{plan.title} ({plan.period}, {plan.state.label.lower()})",
                                    plan.id)
        chosen = plan_id if plan_id is not None else getattr(plans.default_plan(store), "id", None)
        if chosen is not None:
            self.plan_combo.setCurrentIndex(max(0, self.plan_combo.findData(chosen)))
        self.priority_list = QListWidget()
        self.priority_list.setMaximumHeight(150)
        self.period_from = QLineEdit()
        self.period_from.setPlaceholderText("From the start, or e.g. 2019/20")
        self.period_to = QLineEdit()
        self.period_to.setPlaceholderText("To the end, or e.g. 2020/21")
        period_row = QHBoxLayout()
        period_row.addWidget(self.period_from)
        period_row.addWidget(QLabel("to"))
        period_row.addWidget(self.period_to)
        self.partner_combo = QComboBox()
        self.partner_combo.addItem("All partners", None)
        for partner in partners.list_partners(store):
            self.partner_combo.addItem(partner.name, partner.id)
        self.closure_check = QCheckBox("Title it a closure report")
        self.internal_check = QCheckBox("Include evidence marked internal only "
                                        "(the report is then not for publication)")
        self.format_combo = QComboBox()
        for label, suffix in FORMAT_CHOICES:
            self.format_combo.addItem(f"{label} ({suffix})", suffix)
        self.path_edit = QLineEdit()
        browse = QPushButton("Choose\u2026")
        browse.clicked.connect(self.choose_file)
        path_row = QHBoxLayout()
        path_row.addWidget(self.path_edit, 1)
        path_row.addWidget(browse)
        self.open_check = QCheckBox("Open the report when it is done")
        self.open_check.setChecked(True)

        form = QFormLayout()
        form.addRow("Plan", self.plan_combo)
        form.addRow("Priorities", self.priority_list)
        form.addRow("Evidence and values", period_row)
        form.addRow("Partner", self.partner_combo)
        form.addRow("", self.closure_check)
        form.addRow("", self.internal_check)
        form.addRow("Format", self.format_combo)
        form.addRow("Save as", path_row)
        form.addRow("", self.open_check)

        self.error_label = QLabel()
        self.error_label.setStyleSheet("color: #b42318")
        self.error_label.setWordWrap(True)
        self.progress_bar = QProgressBar()
        self.progress_bar.setRange(0, 100)
        self.progress_bar.setValue(0)
        self.status_label = QLabel("")
        self.create_button = QPushButton("Create report")
        self.create_button.setDefault(True)
        self.create_button.clicked.connect(self.start)
        self.close_button = QPushButton("Close")
        self.close_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.create_button)
        buttons.addWidget(self.close_button)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(self.progress_bar)
        layout.addWidget(self.status_label)
        layout.addLayout(buttons)

        self.plan_combo.currentIndexChanged.connect(self._plan_changed)
        self.format_combo.currentIndexChanged.connect(self._format_changed)
        self.path_edit.textEdited.connect(self._path_edited)
        self._plan_changed()

    # --- choices ---------------------------------------------------------------------------

    def _plan_id(self) -> int | None:
        return self.plan_combo.currentData()

    def _plan_changed(self) -> None:
        self.priority_list.clear()
        plan_id = self._plan_id()
        if plan_id is None:
            return
        plan = plans.get_plan(self.store, plan_id)
        for priority in plans.list_priorities(self.store, plan_id):
            item = QListWidgetItem(f"{priority.number}. {priority.title}")
            item.setData(Qt.ItemDataRole.UserRole, priority.number)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked)
            self.priority_list.addItem(item)
        self.closure_check.setChecked(plan.is_closed)
        folder = Path(self.path_edit.text()).parent if self.path_edit.text() else Path.home()
        name = report_title(plan, plan.is_closed).replace(":", " -").replace("/", "-")
        self.path_edit.setText(str(folder / (name + self.format_combo.currentData())))

    def _format_changed(self) -> None:
        text = self.path_edit.text().strip()
        if text:
            self.path_edit.setText(str(Path(text).with_suffix(self.format_combo.currentData())))

    def _path_edited(self, text: str) -> None:
        suffix = Path(text).suffix.lower()
        index = self.format_combo.findData(".html" if suffix == ".htm" else suffix)
        if suffix in FORMATS and index >= 0 and index != self.format_combo.currentIndex():
            self.format_combo.blockSignals(True)
            self.format_combo.setCurrentIndex(index)
            self.format_combo.blockSignals(False)

    def choose_file(self) -> None:
        suffix = self.format_combo.currentData()
        label = self.format_combo.currentText()
        path, _ = QFileDialog.getSaveFileName(self, "Save the report as", self.path_edit.text(),
                                              f"{label};;All files (*)")
        if path:
            if not Path(path).suffix:
                path += suffix
            self.path_edit.setText(path)
            self._path_edited(path)

    def options(self) -> ReportOptions:
        numbers = [self.priority_list.item(i).data(Qt.ItemDataRole.UserRole)
                   for i in range(self.priority_list.count())
                   if self.priority_list.item(i).checkState() == Qt.CheckState.Checked]
        every = len(numbers) == self.priority_list.count()
        return ReportOptions(
            plan_id=self._plan_id(),
            period_from=self.period_from.text().strip() or None,
            period_to=self.period_to.text().strip() or None,
            priority_numbers=() if every else tuple(numbers),
            partner_id=self.partner_combo.currentData(),
            include_internal=self.internal_check.isChecked(),
            closure=self.closure_check.isChecked(),
        )

    # --- running -----------------------------------------------------------------------------

    def start(self) -> None:
        """Check the choices and start writing; problems are shown, nothing is started."""
        self.error_label.clear()
        path = Path(self.path_edit.text().strip()).expanduser()
        options = self.options()
        try:
            if self._plan_id() is None:
                raise ValidationError("Choose a plan.", "plan")
            if self.priority_list.count() and not options.priority_numbers and not any(
                    self.priority_list.item(i).checkState() == Qt.CheckState.Checked
                    for i in range(self.priority_list.count())):
                raise ValidationError("Choose at least one priority.", "priority")
            format_of(path)
            options.period_bounds()
            if not path.parent.is_dir():
                raise ValidationError(f"The folder {path.parent} does not exist.", "path")
        except (ValidationError, ReportFormatError) as exc:
            self.error_label.setText(str(exc))
            return
        self.thread = _ReportThread(self.store, options, path)
        self.thread.progress.connect(self._progress)
        self.thread.succeeded.connect(self._succeeded)
        self.thread.failed.connect(self._failed)
        self.thread.cancelled.connect(self._cancelled)
        self.thread.finished.connect(self._thread_finished)
        self._set_running(True)
        self.progress_bar.setValue(0)
        self.status_label.setText("Starting\u2026")
        self.thread.start()

    def cancel(self) -> None:
        if self.thread is not None:
            self.thread.stop.set()
            self.status_label.setText("Cancelling\u2026")

    @property
    def running(self) -> bool:
        return self.thread is not None

    def _set_running(self, running: bool) -> None:
        self.create_button.setEnabled(not running)
        self.close_button.setText("Cancel" if running else "Close")
        for widget in (self.plan_combo, self.priority_list, self.period_from, self.period_to,
                       self.partner_combo, self.closure_check, self.internal_check,
                       self.format_combo, self.path_edit):
            widget.setEnabled(not running)

    def _progress(self, percent: int, what: str) -> None:
        self.progress_bar.setValue(percent)
        self.status_label.setText(what)

    def _succeeded(self, report) -> None:
        path = str(self.thread.path)
        self.progress_bar.setValue(100)
        self.status_label.setText(f"Saved {path}: {report.commitment_count} commitments, "
                                  f"{report.evidence_count} evidence statements.")
        self.report_written.emit(path)
        if self.open_check.isChecked() and not self._close_when_done:
            self.open_file(path)

    def _failed(self, message: str) -> None:
        self.error_label.setText(message)
        self.status_label.setText("Nothing was written.")
        self.report_failed.emit(message)

    def _cancelled(self) -> None:
        self.progress_bar.setValue(0)
        self.status_label.setText("Cancelled; nothing was written.")
        self.report_cancelled.emit()

    def _thread_finished(self) -> None:
        if self.thread is not None:
            self.thread.deleteLater()
            self.thread = None
        self._set_running(False)
        if self._close_when_done:
            super().reject()

    def reject(self) -> None:
        """Close, or while a report is being written, cancel it first (and close after)."""
        if self.running:
            self._close_when_done = True
            self.cancel()
            return
        super().reject()

    def closeEvent(self, event) -> None:
        if self.running:
            self._close_when_done = True
            self.cancel()
            event.ignore()
            return
        super().closeEvent(event)

    @classmethod
    def open_file(cls, path: str) -> None:
        """Open the file in the program the system uses for it (tests replace this)."""
        QDesktopServices.openUrl(QUrl.fromLocalFile(path))
