"""Choosing one of the automatic backups to put back."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from tracker.domain.wording import file_size
from tracker.store.queries import Backup, describe_backups


class BackupsDialog(QDialog):
    def __init__(self, backups: list[Backup], parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Restore from a backup")
        self.resize(560, 380)
        self.list = QListWidget()
        for b in backups:
            item = QListWidgetItem(f"{b.label}  ({file_size(b.bytes)})")
            item.setData(Qt.ItemDataRole.UserRole, b)
            item.setToolTip(str(b.path))
            self.list.addItem(item)
        self.list.setCurrentRow(0)
        self.list.itemDoubleClicked.connect(lambda _i: self.accept())
        note = QLabel("The database goes back to the chosen copy. What it holds now is backed up "
                      "first, so you can come back to it the same way. Undo history is cleared.")
        note.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Restore")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Automatic backups, newest first:"))
        layout.addWidget(self.list)
        self.disk_label = QLabel(describe_backups(backups))
        self.disk_label.setWordWrap(True)
        layout.addWidget(self.disk_label)
        layout.addWidget(note)
        layout.addWidget(buttons)

    def chosen(self) -> Backup | None:
        item = self.list.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item else None

    @classmethod
    def choose(cls, backups: list[Backup], parent: QWidget | None = None) -> Backup | None:
        dialog = cls(backups, parent)
        return dialog.chosen() if dialog.exec() == QDialog.DialogCode.Accepted else None
