"""The report dialog: which plan (and which others go in the same report: a closure report
closes a plan and its extension), which periods, priorities and partner, internal evidence or
not, which format and file; a progress bar while it is written; open it when done.

The report is written by the window's one job runner (tracker.ui.jobs), on a thread with its
own read-only connection to the database, charts included (they are drawn in plain Python,
off the GUI thread). Nothing here decides what goes into a report: that is tracker.reports.
"""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
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

from tracker.errors import Cancelled
from tracker.reports.build import FORMATS, ReportFormatError, format_of, write_report
from tracker.reports.content import ReportOptions, combined_title
from tracker.store import queries
from tracker.store.database import Store, open_store
from tracker.store.errors import ValidationError
from tracker.ui.jobs import LongJobDialog, describe_failure
from tracker.ui.system_open import open_with_system

FORMAT_CHOICES = [("PDF", ".pdf"), ("Word", ".docx"), ("HTML", ".html")]


def file_stem(title: str) -> str:
    """A report's title as a file name Windows accepts too: ':' and '/' become dashes, the
    other characters Windows refuses (\\ * ? " < > | and control characters) are left out, and
    so are trailing dots and spaces."""
    name = title.replace(":", " -").replace("/", "-")
    name = " ".join(re.sub(r'[\\*?"<>|\x00-\x1f]', "", name).split())
    return name.rstrip(" .") or "report"


class ReportDialog(LongJobDialog):
    """Choose and write a report.

    Signals:
        report_written(str): the path of the file written.
        report_failed(str): why it could not be written.
        report_cancelled(): the officer cancelled; no file was written.
    """

    report_written = Signal(str)
    report_failed = Signal(str)
    report_cancelled = Signal()
    hide_panel_when_done = False

    def __init__(self, store: Store, plan_id: int | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.path: Path | None = None
        self.setWindowTitle("Create a report")
        self.resize(620, 560)

        self.plan_combo = QComboBox()
        for plan in queries.list_plans(store):
            self.plan_combo.addItem(f"{plan.title} ({plan.period}, {plan.state.label.lower()})",
                                    plan.id)
        chosen = plan_id if plan_id is not None else getattr(queries.default_plan(store), "id", None)
        if chosen is not None:
            self.plan_combo.setCurrentIndex(max(0, self.plan_combo.findData(chosen)))
        # Other plans the same report covers: a closure report closes a plan and its extension.
        self.also_list = QListWidget()
        self.also_list.setMaximumHeight(80)
        self.also_list.setAccessibleName("Other plans in the same report")
        self.priority_list = QListWidget()
        self.priority_list.setMaximumHeight(150)
        self.period_from = QLineEdit()
        self.period_from.setAccessibleName("Evidence and values from")
        self.period_from.setPlaceholderText("From the start, or e.g. 2019/20")
        self.period_to = QLineEdit()
        self.period_to.setAccessibleName("Evidence and values to")
        self.period_to.setPlaceholderText("To the end, or e.g. 2020/21")
        self.period_to.setToolTip("Statuses are shown as they stood at the end of this period, "
                                  "from the status history")
        period_row = QHBoxLayout()
        period_row.addWidget(self.period_from)
        period_row.addWidget(QLabel("to"))
        period_row.addWidget(self.period_to)
        self.partner_combo = QComboBox()
        self.partner_combo.addItem("All partners", None)
        for partner in queries.list_partners(store):
            self.partner_combo.addItem(partner.name, partner.id)
        self.closure_check = QCheckBox("Title it a closure report")
        self.internal_check = QCheckBox("Include evidence marked internal only "
                                        "(the report is then not for publication)")
        self.format_combo = QComboBox()
        for label, suffix in FORMAT_CHOICES:
            self.format_combo.addItem(f"{label} ({suffix})", suffix)
        self.path_edit = QLineEdit()
        self.path_edit.setAccessibleName("Save as")
        browse = QPushButton("Choose\u2026")
        browse.clicked.connect(self.choose_file)
        path_row = QHBoxLayout()
        path_row.addWidget(self.path_edit, 1)
        path_row.addWidget(browse)
        self.open_check = QCheckBox("Open the report when it is done")
        self.open_check.setChecked(True)

        form = QFormLayout()
        form.addRow("Plan", self.plan_combo)
        form.addRow("Together with", self.also_list)
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
        self.progress_bar = self.job_panel.bar
        self.progress_bar.setRange(0, 100)
        self.progress_bar.setValue(0)
        self.status_label = self.job_panel.status
        self.job_panel.cancel_button.hide()  # Close turns into Cancel while it runs
        self.job_panel.show()
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
        layout.addWidget(self.job_panel)
        layout.addLayout(buttons)

        self.plan_combo.currentIndexChanged.connect(self._plan_changed)
        self.also_list.itemChanged.connect(self._plans_changed)
        self.format_combo.currentIndexChanged.connect(self._format_changed)
        self.path_edit.textEdited.connect(self._path_edited)
        self._plan_changed()

    # --- choices ---------------------------------------------------------------------------

    def _plan_id(self) -> int | None:
        return self.plan_combo.currentData()

    def plan_ids(self) -> tuple[int, ...]:
        """The chosen plan and the other plans ticked to go in the same report."""
        plan_id = self._plan_id()
        if plan_id is None:
            return ()
        others = [self.also_list.item(i).data(Qt.ItemDataRole.UserRole)
                  for i in range(self.also_list.count())
                  if self.also_list.item(i).checkState() == Qt.CheckState.Checked]
        return (plan_id, *others)

    def _plan_changed(self) -> None:
        self.also_list.blockSignals(True)
        self.also_list.clear()
        for plan in queries.list_plans(self.store):
            if plan.id == self._plan_id():
                continue
            item = QListWidgetItem(f"{plan.title} ({plan.period}, {plan.state.label.lower()})")
            item.setData(Qt.ItemDataRole.UserRole, plan.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.also_list.addItem(item)
        self.also_list.blockSignals(False)
        self._plans_changed()

    def _plans_changed(self) -> None:
        """Priorities of every chosen plan by number (a closure report has one chapter per
        number), the closure tick and the file name follow the plans chosen."""
        self.priority_list.clear()
        chosen = [queries.get_plan(self.store, pid) for pid in self.plan_ids()]
        if not chosen:
            return
        titles: dict[int, str] = {}
        for plan in chosen:
            for priority in queries.list_priorities(self.store, plan.id):
                titles.setdefault(priority.number, priority.title)
        for number in sorted(titles):
            item = QListWidgetItem(f"{number}. {titles[number]}")
            item.setData(Qt.ItemDataRole.UserRole, number)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked)
            self.priority_list.addItem(item)
        closing = chosen[0].is_closed
        self.closure_check.setChecked(closing)
        folder = Path(self.path_edit.text()).parent if self.path_edit.text() else Path.home()
        name = file_stem(combined_title(chosen, closing))
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
        chosen = self.plan_ids()
        return ReportOptions(
            plan_id=self._plan_id(),
            plan_ids=chosen if len(chosen) > 1 else (),
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
        self.path = path
        store = self.store

        def job(progress, cancelled):
            # A connection belongs to the thread that opened it: the job opens its own.
            own = open_store(store.path, mode="read", officer=store.officer) \
                if store.path is not None else store
            try:
                return write_report(own, options, path, progress=progress, cancelled=cancelled)
            finally:
                if own is not store:
                    own.close()

        self.progress_bar.setValue(0)
        self.start_job(job, self._succeeded, self._failed, status="Starting\u2026")

    def cancel(self) -> None:
        if self.running:
            super().cancel()
            self.status_label.setText("Cancelling\u2026")

    def job_started(self) -> None:
        self._set_running(True)

    def job_ended(self) -> None:
        self._set_running(False)

    def _set_running(self, running: bool) -> None:
        self.create_button.setEnabled(not running)
        self.close_button.setText("Cancel" if running else "Close")
        for widget in (self.plan_combo, self.also_list, self.priority_list, self.period_from,
                       self.period_to,
                       self.partner_combo, self.closure_check, self.internal_check,
                       self.format_combo, self.path_edit):
            widget.setEnabled(not running)

    def _succeeded(self, report) -> None:
        path = str(self.path)
        self.progress_bar.setRange(0, 100)
        self.progress_bar.setValue(100)
        self.status_label.setText(f"Saved {path}: {report.commitment_count} commitments, "
                                  f"{report.evidence_count} evidence statements.")
        self.report_written.emit(path)
        if self.open_check.isChecked() and not self._close_when_done \
                and self.open_file(path) is False:
            self.status_label.setText(
                f"Saved {path}. No program on this computer opens {Path(path).suffix} files: "
                "open the report from its folder, or install a program for them.")

    def _failed(self, exc: BaseException) -> None:
        self.progress_bar.setRange(0, 100)
        self.progress_bar.setValue(0)
        if isinstance(exc, Cancelled):
            self.status_label.setText("Cancelled; nothing was written.")
            self.report_cancelled.emit()
            return
        message = describe_failure(exc)
        self.error_label.setText(message)
        self.status_label.setText("Nothing was written.")
        self.report_failed.emit(message)

    @classmethod
    def open_file(cls, path: str) -> bool:
        """Open the file in the program the system uses for it; False when none opened it
        (tests replace this)."""
        return open_with_system(path)
