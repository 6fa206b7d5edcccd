"""The officer's name (and e-mail address, for the From line of e-mail drafts), asked for on
the window's first run and from File ▸ Officer name. Saved in the settings file the command
line reads too (`tracker.store.user_settings`)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from tracker.store import user_settings
from tracker.store.errors import ValidationError
from tracker.ui.widgets.field_error import FieldError


class OfficerDialog(QDialog):
    def __init__(self, current: str = "", email: str = "", first_run: bool = False,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Your name" if first_run else "Officer name")
        intro = QLabel(
            ("Welcome. " if first_run else "")
            + "Your name is recorded with every change you make, in the activity log, and as "
              "“Sent by” on the workbooks partners receive. The command line uses it too.")
        intro.setWordWrap(True)
        self.name = QLineEdit(current)
        self.name.setPlaceholderText("e.g. Sam Taylor")
        self.email = QLineEdit(email)
        self.email.setPlaceholderText("optional: the From address of e-mail drafts")
        self.name_error = FieldError(self.name)
        self.email_error = FieldError(self.email)
        self.name.textChanged.connect(self.name_error.clear)
        self.email.textChanged.connect(self.email_error.clear)
        form = QFormLayout()
        form.addRow("&Name", self.name)
        form.addRow("", self.name_error)
        form.addRow("&E-mail", self.email)
        form.addRow("", self.email_error)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        # A wrapped label's height depends on its width, which a top-level window's size hint
        # does not follow: ask the layout how tall the dialog must be at this width.
        self.resize(460, max(self.sizeHint().height(), layout.totalHeightForWidth(460)))
        self.saved: str | None = None

    def accept(self) -> None:
        """Save both to the settings file; a field that is refused says why and stays open."""
        try:
            name = user_settings.set_officer_name(self.name.text())
        except ValidationError as exc:
            self.name_error.show_error(str(exc))
            return
        try:
            user_settings.set_officer_email(self.email.text())
        except ValidationError as exc:
            self.email_error.show_error(str(exc))
            return
        self.saved = name
        super().accept()

    @classmethod
    def ask(cls, parent: QWidget | None, current: str = "", first_run: bool = False) -> str | None:
        """The name saved, or None when the officer cancels (tests replace this)."""
        dialog = cls(current, user_settings.officer_email() or "", first_run, parent)
        dialog.exec()
        return dialog.saved
