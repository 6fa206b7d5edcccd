"""The office's wording of the e-mail drafts: one for sending a round, one for reminders. A
"Subject:" line, a blank line, then the message, with ${placeholders} the tracker fills in.
Saving is an operation (the whole team shares the wording through the database)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from tracker import ops
from tracker.errors import TrackerError
from tracker.exchange.email_draft import PLACEHOLDERS, check_template
from tracker.store.database import Store
from tracker.ui.history import History, own_history

KINDS = (("send", "Sending a round"), ("remind", "Reminding the overdue"))


class EmailTemplateDialog(QDialog):
    def __init__(self, store: Store, parent: QWidget | None = None,
                 history: History | None = None):
        super().__init__(parent)
        self.store = store
        self.history = history if history is not None else own_history(store, self)[0]
        self.setWindowTitle("Wording of the e-mail drafts")
        self.resize(820, 600)
        self.kind = QComboBox()
        for kind, label in KINDS:
            self.kind.addItem(label, kind)
        self.kind.currentIndexChanged.connect(lambda _i: self.load())
        self.text = QPlainTextEdit()
        self.text.setAccessibleName("The template")
        self.text.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.text.textChanged.connect(self._check)
        names = "".join(f"<tr><td><code>${{{name}}}</code></td><td>{meaning}</td></tr>"
                        for name, meaning in PLACEHOLDERS.items())
        help_text = QLabel("<p>The first line is the subject (<code>Subject: …</code>), then a "
                           "blank line, then the message. These are filled in for each "
                           f"partner:</p><table>{names}</table>")
        help_text.setWordWrap(True)
        help_text.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.message = QLabel("")
        self.message.setWordWrap(True)
        self.save_button = QPushButton("&Save")
        self.save_button.clicked.connect(self.save)
        self.reset_button = QPushButton("Use the tracker's &wording")
        self.reset_button.clicked.connect(self.reset)
        close = QPushButton("Close")
        close.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        buttons.addWidget(self.reset_button)
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(close)
        form = QFormLayout()
        form.addRow("&Drafts for", self.kind)
        body = QHBoxLayout()
        body.addWidget(self.text, 3)
        body.addWidget(help_text, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(body, 1)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        self.load()

    def current_kind(self) -> str:
        return self.kind.currentData()

    def load(self) -> None:
        self.text.setPlainText(ops.email_template(self.store, self.current_kind()))
        self.message.setText("")
        self._check()

    def _check(self) -> bool:
        try:
            check_template(self.text.toPlainText())
        except TrackerError as exc:
            self.message.setText(f"⚠ {exc}")
            self.save_button.setEnabled(False)
            return False
        self.message.setText("")
        self.save_button.setEnabled(not self.store.read_only)
        return True

    def _run(self, text: str | None) -> None:
        kind = self.current_kind()
        done = self.history.perform(lambda s: ops.set_email_template(s, kind, text),
                                    "Wording of the e-mail drafts", quiet=True)
        if isinstance(done, ops.OpResult):
            self.load()
            self.message.setText(done.summary + ".")
        else:
            self.message.setText(f"Not saved: {done}")

    def save(self) -> None:
        if self._check():
            self._run(self.text.toPlainText())

    def reset(self) -> None:
        self._run(None)
