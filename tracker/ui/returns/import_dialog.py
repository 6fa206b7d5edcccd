"""Importing a partner's returned workbook: read it off the GUI thread, show the preview, let
the officer accept or reject each change, then apply them as one operation (ops.apply_return:
one transaction, after a backup), which the window's history can undo as one step.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from tracker import ops
from tracker.domain.text import html_escape
from tracker.domain.wording import count_of, day
from tracker.errors import Cancelled, TrackerError
from tracker.store.database import Store
from tracker.ui.jobs import LongJobDialog, describe_failure
from tracker.ui.returns.change_details import ChangeDetails
from tracker.ui.returns.preview_models import ChangesModel, ProblemsModel

if TYPE_CHECKING:
    from tracker.exchange.return_preview import ReturnPreview


class ImportReturnDialog(LongJobDialog):
    """Preview and apply one returned workbook.

    Signals:
        applied(object): the operation's OpResult (its `value` the ApplyResult), after the
            changes were written: the window puts it on its undo history.
    """

    applied = Signal(object)

    def __init__(self, store: Store, path: str | Path | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.store = store
        self.path: Path | None = None
        self.preview: ReturnPreview | None = None
        self.result: ops.OpResult | None = None
        # The backup the import needs, begun as the preview is shown so that it is made
        # while the officer reads it; given to the apply, or deleted unused.
        self.backup = None
        self.setWindowTitle("Import a partner return")
        self.resize(1100, 680)

        self.file_label = QLabel("Choose the workbook a partner sent back.")
        self.file_label.setWordWrap(True)
        self.choose_button = QPushButton("Choose &file…")
        self.choose_button.clicked.connect(self.choose_file)
        top = QHBoxLayout()
        top.addWidget(self.file_label, 1)
        top.addWidget(self.choose_button)

        self.summary = QLabel("")
        # Always read as rich text (every text given it is escaped): left to guess, a sentence
        # without a tag was shown as plain text, its "&#x27;" and "&amp;" as they are written.
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.busy = self.job_panel
        self.cancel_button = self.job_panel.cancel_button

        self.changes = ChangesModel(self)
        self.changes.acceptance_changed.connect(self._update_buttons)
        self.changes_view = _table(self.changes, stretch=4)
        self._fitted: set[int] = set()
        self.changes.modelReset.connect(self._fitted.clear)
        self.changes_view.verticalScrollBar().valueChanged.connect(
            lambda _value: self._fit_rows_in_view())
        self.problems = ProblemsModel(self)
        self.problems_view = _table(self.problems, stretch=2)
        self.problems_label = QLabel("Problems (rows with a problem are not applied)")
        problems_box = QWidget()
        box = QVBoxLayout(problems_box)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(self.problems_label)
        box.addWidget(self.problems_view)
        self.split = QSplitter(Qt.Orientation.Vertical)
        changes_box = QWidget()
        box = QVBoxLayout(changes_box)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(QLabel("Changes this return would make (untick any you do not want)"))
        box.addWidget(self.changes_view, 3)
        self.details = ChangeDetails()
        box.addWidget(self.details, 1)
        self.changes_view.selectionModel().currentRowChanged.connect(
            lambda current, _previous: self.details.show_change(
                self.changes.change(current.row()) if current.isValid() else None))
        self.changes.modelReset.connect(lambda: self.details.show_change(None))
        self.split.addWidget(changes_box)
        self.split.addWidget(problems_box)
        self.split.setSizes([420, 160])

        self.accept_all = QPushButton("Tick &all")
        self.accept_all.clicked.connect(lambda: self.changes.set_all(True))
        self.reject_all = QPushButton("&Untick all")
        self.reject_all.clicked.connect(lambda: self.changes.set_all(False))
        self.valid_only = QCheckBox("Apply the rows without problems")
        self.valid_only.toggled.connect(self._update_buttons)
        self.marked_button = QPushButton("Save &marked copy…")
        self.marked_button.setToolTip("A copy of the workbook with each problem marked at its "
                                      "cell, to send back to the partner")
        self.marked_button.clicked.connect(self.save_marked_copy)
        self.apply_button = QPushButton("&Apply")
        self.apply_button.setDefault(True)
        self.apply_button.clicked.connect(self.apply)
        self.close_button = QPushButton("&Close")
        self.close_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        for w in (self.accept_all, self.reject_all, self.valid_only):
            buttons.addWidget(w)
        buttons.addStretch(1)
        for w in (self.marked_button, self.apply_button, self.close_button):
            buttons.addWidget(w)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.summary)
        layout.addWidget(self.job_panel)
        layout.addWidget(self.split, 1)
        layout.addLayout(buttons)
        self._update_buttons()
        if path is not None:
            self.load(path)

    # --- reading -------------------------------------------------------------------------------

    def choose_file(self) -> None:
        start = str(self.path.parent) if self.path else ""
        name, _ = QFileDialog.getOpenFileName(self, "Partner return", start,
                                              "Excel workbooks (*.xlsx)")
        if name:
            self.load(name)

    def load(self, path: str | Path) -> None:
        """Read and check the workbook on a worker thread, then build the preview."""
        if self.running:
            return
        self.path = Path(path)
        self.preview = None
        self.changes.set_preview(None)
        self.problems.set_problems([])
        self.file_label.setText(f"<b>{self.path.name}</b><br>{self.path.parent}")
        self.summary.setText("Reading the workbook…")
        self.cancel_button.setText("Cancel reading")
        path, store = self.path, self.store
        self._discard_backup()

        def job(progress, cancelled):
            # The readers (and openpyxl under them) load here, on the worker, not on the GUI
            # thread as the dialog opens (a fifth of a second the window could not repaint).
            from tracker.exchange.return_preview import build_preview
            from tracker.exchange.return_read import read_return_file

            raw = read_return_file(path, progress, cancelled)
            with store.for_worker() as own:  # the preview reads the store off the GUI thread too
                return build_preview(own, raw)

        self.start_job(job, self._read_done, self._failed)

    def _read_done(self, preview: ReturnPreview) -> None:
        self.preview = preview
        self._show_preview()
        if preview.duplicate_of is None and not preview.blocked:
            self._start_backup()

    def _start_backup(self) -> None:
        # Begun once the preview is shown, not beside its reading: on two cores, copying a
        # large database took turns with the reading and made the officer wait a quarter
        # longer for the preview, while the copy needs only be made before Apply commits.
        if self.backup is None:
            self.backup = ops.start_backup(self.store)

    def _discard_backup(self) -> None:
        if self.backup is not None:
            self.backup.discard()
            self.backup = None

    def _show_preview(self) -> None:
        p = self.preview
        self.changes.set_preview(p)
        self.problems.set_problems(p.problems)
        self._fit_rows_in_view()
        counts = p.counts()
        lines = [f"<b>{html_escape(p.partner_name)}</b>, {p.round} return, sent "
                 f"{day(p.exported_at, '(date unknown)')}. "
                 f"{count_of(p.rows_read, 'row')} read."]
        if p.duplicate_of is not None:
            d = p.duplicate_of
            lines.append(f"This very file was already imported on {d.imported_at[:10]} by "
                         f"{html_escape(d.imported_by or '')}. Importing it again changes "
                         "nothing.")
        elif p.blocked:
            lines.append(html_escape(p.blocked))
        else:
            lines.append(f"{count_of(counts['statuses'], 'status change')}, "
                         f"{counts['evidence']} new evidence, "
                         f"{count_of(counts['values'], 'indicator value')}; "
                         f"{count_of(counts['conflicts'], 'conflict')} (changed in the tracker "
                         f"since the export, unticked), {count_of(counts['problems'], 'problem')}.")
            if not p.changes and not p.problems:
                lines.append("The workbook came back without new answers; applying records "
                             "it as returned.")
        self.summary.setText("<br>".join(lines))
        self.problems_label.setText(f"Problems: {len(p.problems)} (rows with a problem are not "
                                    "applied)" if p.problems else "No problems found.")
        self._update_buttons()

    def _fit_rows_in_view(self) -> None:
        """Rows as tall as their wrapped text, for the rows in view (and as they scroll in):
        measuring every row of a 5,000-row return took seconds on the GUI thread."""
        view = self.changes_view
        if self.changes.rowCount() == 0:
            return
        first = max(view.rowAt(0), 0)
        last = view.rowAt(view.viewport().height() - 1)
        last = self.changes.rowCount() - 1 if last < 0 else last
        for row in range(first, min(last + 2, self.changes.rowCount())):
            if row not in self._fitted:
                self._fitted.add(row)
                view.resizeRowToContents(row)

    def _show_refusal(self, exc: BaseException) -> None:
        self._discard_backup()
        self.preview = None
        self.summary.setText(f"<b>This workbook cannot be imported.</b><br>{html_escape(str(exc))}"
                             "<br>Nothing was written.")
        self._update_buttons()

    # --- applying ------------------------------------------------------------------------------

    def apply(self) -> None:
        p = self.preview
        if p is None or self.running:
            return
        accept_valid = self.valid_only.isChecked()
        self.summary.setText(self.summary.text() + "<br>Applying…")
        store = self.store

        backup, self.backup = self.backup, None  # the apply owns it now

        def job(progress, _cancelled):
            total = max(len(p.changes), 1)
            with store.for_worker() as own:
                return ops.apply_return(own, p, accept_valid=accept_valid,
                                        step=lambda n: progress(n, total),
                                        backup=backup, defer_checkpoint=True).warm()

        # One transaction: it finishes or rolls back, so it is not cancelled half-way.
        self.start_job(job, self._applied, self._failed, cancellable=False)

    def _applied(self, result: ops.OpResult) -> None:
        # The return's log pages go into the database file on a thread of their own while
        # the officer reads the result (the store waits for it before it closes).
        ops.start_checkpoint(self.store)
        self.result = result
        self.summary.setText(html_escape(result.summary))
        self.preview = None
        self._update_buttons()
        if result.value.applied:
            self.applied.emit(result)

    def save_marked_copy(self) -> None:
        if self.preview is None or not self.preview.problems or self.path is None:
            return
        suggested = self.path.with_name(self.path.stem + " - to correct.xlsx")
        name, _ = QFileDialog.getSaveFileName(self, "Save a marked copy", str(suggested),
                                              "Excel workbooks (*.xlsx)")
        if name:
            self.write_marked_copy(Path(name))

    def write_marked_copy(self, out: Path) -> Path | None:
        from tracker.exchange.marked_copy import save_marked_copy

        try:
            saved = save_marked_copy(self.path, self.preview.problems, out)
        except (TrackerError, OSError) as exc:
            self.summary.setText(f"The marked copy was not saved: {html_escape(str(exc))}")
            return None
        self.summary.setText(self.summary.text()
                             + f"<br>Marked copy saved: {html_escape(str(saved))}")
        return saved

    # --- the job -------------------------------------------------------------------------

    def job_started(self) -> None:
        self._update_buttons()

    def job_ended(self) -> None:
        self.cancel_button.setText("Cancel")
        self._update_buttons()

    def done(self, result: int) -> None:
        self._discard_backup()  # closed without applying: no import, no backup "before" it
        super().done(result)

    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, Cancelled):
            self._discard_backup()
            self.preview = None
            self.summary.setText("Stopped. Nothing was written.")
            self._update_buttons()
        else:  # a refusal in words; a bug says what happened rather than leave it half-way
            self._show_refusal(RuntimeError(describe_failure(exc)))

    def cancel(self) -> None:
        if self.running:
            super().cancel()
            self.summary.setText("Stopping…")

    def _update_buttons(self) -> None:
        p = self.preview
        idle = not self.running
        self.choose_button.setEnabled(idle)
        has_changes = bool(p and p.changes and not p.duplicate_of)
        for w in (self.accept_all, self.reject_all):
            w.setEnabled(idle and has_changes)
        self.valid_only.setVisible(bool(p and p.problems))
        self.marked_button.setEnabled(idle and bool(p and p.problems))
        can_apply = bool(idle and p and not p.blocked and not p.duplicate_of
                         and not self.store.read_only
                         and (not p.problems or self.valid_only.isChecked()))
        self.apply_button.setEnabled(can_apply)
        n = sum(c.accepted for c in p.changes) if p else 0
        self.apply_button.setText(f"&Apply {count_of(n, 'change')}")
        self.close_button.setEnabled(idle)

def _table(model, stretch: int) -> QTableView:
    view = QTableView()
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setAlternatingRowColors(True)
    view.setWordWrap(True)
    view.verticalHeader().hide()
    header = view.horizontalHeader()
    header.setStretchLastSection(True)
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    widths = {4: (44, 110, 50, 125, 300, 95, 230, 160), 2: (125, 50, 600)}[stretch]
    for column, width in enumerate(widths):
        view.setColumnWidth(column, width)
    return view
