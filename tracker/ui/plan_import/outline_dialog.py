"""Starting a plan from an outline: paste it (from Word, an e-mail, the published plan) or open
a Word document, watch the preview, create. Numbered priorities, lettered "We will"s and
indented sub-points; every problem is named by its line (or paragraph)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from tracker.errors import TrackerError
from tracker.exchange.plan_sheet.draft import PlanDraft
from tracker.exchange.plan_sheet.outline import read_outline_text
from tracker.exchange.plan_sheet.outline_docx import read_outline_docx
from tracker.store.database import Store
from tracker.ui.plan_import.draft_dialog import PlanDraftDialog

EXAMPLE = ("Priority 1 - More Local, Visible and Accessible Policing\n"
           "A. Provide strong visible, preventative policing ...\n"
           "    i) in town centres\n"
           "B. Develop a series of shared spaces ...")


class PlanOutlineDialog(PlanDraftDialog):
    """Signals:
        created(object): the operation's OpResult, once the plan is created (its id in
            value.plan_id).
    """

    REBUILD_AFTER_MS = 300

    def __init__(self, store: Store, parent: QWidget | None = None):
        super().__init__(store, parent)
        self.document_draft: PlanDraft | None = None  # read from a Word file, not the text box
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

        self.text.textChanged.connect(self._text_changed)
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
