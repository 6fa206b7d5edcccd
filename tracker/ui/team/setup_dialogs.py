"""Making a team, joining one, and the team's settings."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from tracker.domain.wording import moment

LOCATION_HELP = ("A shared folder everyone in the team can write to (a network drive, such as "
                 "\\\\server\\share\\plan-team; not a OneDrive, SharePoint or Dropbox folder), "
                 "or a PostgreSQL address such as postgresql://tracker@db.example/plan_team "
                 "(without the password: that goes in your pgpass file or the keyring).")


def _row(field: QWidget, button: QPushButton) -> QWidget:
    """A field with a button beside it, as one form field whose label focuses the field."""
    row = QWidget()
    layout = QHBoxLayout(row)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(field, 1)
    layout.addWidget(button)
    row.setFocusProxy(field)
    return row


class _LocationRow(QWidget):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.edit = QLineEdit()
        self.edit.setPlaceholderText("\\\\server\\share\\plan-team or postgresql://…")
        self.edit.setAccessibleName("Team log location")
        browse = QPushButton("&Folder…")
        browse.clicked.connect(self._browse)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.edit, 1)
        layout.addWidget(browse)
        self.setFocusProxy(self.edit)  # the form's label (its & key) moves to the text

    def _browse(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "The team's shared folder",
                                                  self.edit.text() or str(Path.home()))
        if folder:
            self.edit.setText(folder)

    def text(self) -> str:
        return self.edit.text().strip()


class CreateTeamDialog(QDialog):
    """Where to publish this database as the team's plan."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Create a team")
        intro = QLabel("This database becomes the team's plan. Colleagues join it from their "
                       "laptops with the key shown next; everyone's changes then meet through "
                       "the team's log.")
        intro.setWordWrap(True)
        self.location = _LocationRow()
        help_text = QLabel(LOCATION_HELP)
        help_text.setWordWrap(True)
        form = QFormLayout()
        form.addRow("Team log &at:", self.location)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Create team")
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(help_text)
        layout.addWidget(buttons)

    def _accept(self) -> None:
        if self.location.text():
            self.accept()

    @classmethod
    def ask(cls, parent: QWidget | None = None) -> str | None:
        dialog = cls(parent)
        return dialog.location.text() if dialog.exec() == QDialog.DialogCode.Accepted else None


class JoinTeamDialog(QDialog):
    """The team's location, its key, and the new database file to make."""

    def __init__(self, parent: QWidget | None = None, start_dir: str = ""):
        super().__init__(parent)
        self.setWindowTitle("Join a team")
        self.start_dir = start_dir
        intro = QLabel("Makes a new database on this laptop holding the team's plan, as a new "
                       "member of the team. Ask the colleague who made the team for its key.")
        intro.setWordWrap(True)
        self.location = _LocationRow()
        self.key = QLineEdit()
        self.key.setPlaceholderText("ct1-…")
        self.key.setAccessibleName("Team key")
        self.file = QLineEdit()
        self.file.setAccessibleName("New database file")
        choose = QPushButton("&Choose…")
        choose.clicked.connect(self._choose)
        file_row = _row(self.file, choose)
        form = QFormLayout()
        form.addRow("Team log &at:", self.location)
        form.addRow("Team &key:", self.key)
        form.addRow("New &database:", file_row)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Join team")
        self.buttons.accepted.connect(self._accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.buttons)

    def _choose(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "New database for the team's plan",
                                              self.start_dir, "Commitment Tracker database (*.db)")
        if path:
            self.file.setText(path)

    def _accept(self) -> None:
        if self.location.text() and self.key.text().strip() and self.file.text().strip():
            self.accept()

    @classmethod
    def ask(cls, parent: QWidget | None = None, start_dir: str = "") -> tuple[str, str, Path] | None:
        dialog = cls(parent, start_dir)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.location.text(), dialog.key.text().strip(), Path(dialog.file.text().strip())


class KeyDialog(QDialog):
    """The team's key, to give to a colleague who joins."""

    def __init__(self, key: str, location: str, parent: QWidget | None = None,
                 title: str = "The team's key"):
        super().__init__(parent)
        self.setWindowTitle(title)
        text = QLabel(f"Give this key to each colleague who joins the team at {location}. Keep "
                      "it like a password: with it, anyone who can write to the team's log can "
                      "add to it.")
        text.setWordWrap(True)
        self.key = QLineEdit(key)
        self.key.setReadOnly(True)
        self.key.setAccessibleName("Team key")
        copy = QPushButton("&Copy the key")
        copy.clicked.connect(lambda: QGuiApplication.clipboard().setText(key))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        buttons.accepted.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        layout.addWidget(self.key)
        layout.addWidget(copy, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(buttons)


class TeamSettingsDialog(QDialog):
    """Where this database syncs, its key, how often the window syncs, and moving the team's
    log to a new place (when IT moves the share)."""

    def __init__(self, status, minutes: int, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Team settings")
        form = QFormLayout()
        self.location = QLineEdit(status.location)
        self.location.setAccessibleName("Team log location")
        form.addRow("Team log &at:", self.location)
        form.addRow("Last synced:", QLabel(moment(status.synced_at) or "never"))
        if status.last_error:
            problem = QLabel(status.last_error)
            problem.setWordWrap(True)
            form.addRow("Last problem:", problem)
        form.addRow("This laptop:", QLabel(status.laptop_id[:8]))
        key = QLineEdit(status.team_key)
        key.setReadOnly(True)
        key.setAccessibleName("Team key")
        copy = QPushButton("&Copy")
        copy.clicked.connect(lambda: QGuiApplication.clipboard().setText(status.team_key))
        key_row = _row(key, copy)
        form.addRow("Team &key:", key_row)
        self.minutes = QSpinBox()
        self.minutes.setRange(1, 240)
        self.minutes.setValue(minutes)
        self.minutes.setSuffix(" minutes")
        self.minutes.setAccessibleName("Sync every")
        form.addRow("Sync &every:", self.minutes)
        note = QLabel("Change the location only when the team's log has moved (the same log, "
                      "in a new place): it is checked before it is kept.")
        note.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(buttons)
