"""Starting a plan from an outline: paste it (from Word, an e-mail, the published plan) or open
a Word document, watch the preview, create. Numbered priorities, lettered "We will"s and
indented sub-points; every problem is named by its line (or paragraph)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from tracker import ops
from tracker.errors import TrackerError
from tracker.exchange.plan_sheet.draft import PlanDraft
from tracker.exchange.plan_sheet.outline import read_outline_text
from tracker.exchange.plan_sheet.outline_docx import read_outline_docx
from tracker.store import queries
from tracker.store.database import Store
from tracker.ui.jobs import run_with_progress
from tracker.ui.plan_import.draft_view import DraftView
from tracker.ui.plan_import.plan_fields import PlanFields

REBUILD_AFTER_MS = 300
EXAMPLE = ("Priority 1 - More Local, Visible and Accessible Policing\n"
           "A. Provide strong visible, preventative policing ...\n"
           "    i) in town centres\n"
           "B. Develop a series of shared spaces ...")


class PlanOutlineDialog(QDialog):
    """Signals:
        created(object): the operation's OpResult, once the plan is created (its id in
            value.plan_id).
    """

    created = Signal(object)

    def __init__(self, store: Store, parent: QWidget | None = None):
        super().__init__(parent)
        self.store = store
        self.draft: PlanDraft | None = None
        self.task = None
        self.result: ops.OpResult | None = None
        self.document_draft: PlanDraft | None = None  # read from a Word file, not the text box
        self.known = {p.name for p in queries.list_partners(store)}
        self.setWindowTitle("New plan from an outline")
        self.resize(1240, 680)
        intro = QLabel("Paste the plan's outline below, or open a Word document. Number each "
                       "priority (Priority 1 - …, or 1. …), letter each “We will” (A. …), and "
                       "indent sub-points under them.")
        intro.setWordWrap(True)
        self.text = QPlainTextEdit()
        self.text.setPlaceholderText(EXAMPLE)
        self.text.setTabChangesFocus(True)
        self.text.setAccessibleName("Outline text")
        self.text.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.open_button = QPushButton("&Open Word document…")
        self.open_button.clicked.connect(self.open_document)
        self.source = QLabel("")
        self.preview = DraftView()
        self.fields = PlanFields()
        self.buttons = QDialogButtonBox()
        self.create_button = self.buttons.addButton("&Create plan",
                                                    QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.create)
        self.buttons.rejected.connect(self.reject)

        left = QVBoxLayout()
        left.addWidget(intro)
        left.addWidget(self.text, 1)
        row = QHBoxLayout()
        row.addWidget(self.open_button)
        row.addWidget(self.source, 1)
        left.addLayout(row)
        right = QVBoxLayout()
        right.addWidget(self.preview, 1)
        right.addWidget(self.fields)
        body = QHBoxLayout()
        body.addLayout(left, 2)
        body.addLayout(right, 3)
        layout = QVBoxLayout(self)
        layout.addLayout(body, 1)
        layout.addWidget(self.buttons)

        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(REBUILD_AFTER_MS)
        self.timer.timeout.connect(self.rebuild)
        self.text.textChanged.connect(self._text_changed)
        self.fields.changed.connect(self._update_button)
        self._update_button()

    @staticmethod
    def ask_document(parent: QWidget) -> str:
        """The Word document to open, or "" (tests replace this)."""
        path, _filter = QFileDialog.getOpenFileName(parent, "Open a plan outline", "",
                                                    "Word documents (*.docx);;All files (*)")
        return path

    def open_document(self) -> None:
        path = self.ask_document(self)
        if path:
            self.load_document(Path(path))

    def load_document(self, path: Path) -> None:
        try:
            draft = read_outline_docx(path, self.known)
        except TrackerError as exc:
            QMessageBox.warning(self, "The document was not opened", str(exc))
            return
        self.document_draft = draft
        self.source.setText(f"From {path.name}. Typing in the box above uses the text instead.")
        self.text.blockSignals(True)
        self.text.clear()
        self.text.blockSignals(False)
        self.show_draft(draft)

    def _text_changed(self) -> None:
        self.document_draft = None
        self.source.setText("")
        self.timer.start()

    def rebuild(self) -> None:
        self.timer.stop()
        if self.document_draft is not None:
            self.show_draft(self.document_draft)
        elif self.text.toPlainText().strip():
            self.show_draft(read_outline_text(self.text.toPlainText(), "pasted text", self.known))
        else:
            self.show_draft(None)

    def show_draft(self, draft: PlanDraft | None) -> None:
        self.draft = draft
        self.preview.show_draft(draft)
        self._update_button()

    def _update_button(self) -> None:
        ready = self.draft is not None and self.draft.can_create \
            and self.fields.values(show_errors=False) is not None
        self.create_button.setEnabled(ready)

    def create(self) -> None:
        if self.timer.isActive():
            self.rebuild()
        values = self.fields.values()
        if values is None or self.draft is None or not self.draft.can_create:
            return
        store, draft = self.store, self.draft

        def job(_progress, _cancelled):
            with store.for_worker() as own:  # a large plan takes seconds: off the GUI thread
                return ops.import_plan(own, draft, *values)

        self.create_button.setEnabled(False)
        self.task = run_with_progress(self, "Creating the plan…", job, self._created,
                                      self._not_created, cancellable=False)
        self.task.done.connect(self._task_ended)  # the task is kept until it has ended

    def _created(self, result: ops.OpResult) -> None:
        self.result = result

    def _task_ended(self) -> None:
        # Only once the task has ended: closing deletes the dialog, and the task with it.
        self.task = None
        if self.result is not None:
            self.created.emit(self.result)
            self.accept()

    def _not_created(self, exc: BaseException) -> None:
        self._update_button()
        if not isinstance(exc, TrackerError):
            raise exc
        QMessageBox.warning(self, "The plan was not created", str(exc))
