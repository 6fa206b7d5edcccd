"""The files attached to the selected evidence: attach, open, share or keep internal, remove.

A file opens in the program the computer uses for its type: the tracker writes the bytes it
keeps (checked against their SHA-256) to a private temporary folder, read-only, and asks the
system to open that copy. Every change is an operation on the window's undo history.
"""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from tracker import ops
from tracker.domain.attachments import LIMIT_WORDS, Attachment
from tracker.domain.model import Evidence, Visibility
from tracker.errors import TrackerError
from tracker.store import queries
from tracker.store.database import Store
from tracker.ui import system_open
from tracker.ui.history import History

SHARING = (f"Files are kept inside the database, {LIMIT_WORDS} each at most, internal only "
           "unless shared. A partner's workbook names a shared file of shareable evidence (by "
           "its name), never carries it; the whole-plan workbook carries no files.")


def write_for_viewing(item: Attachment, content: bytes) -> Path:
    """The file written, read-only, in a temporary folder only this user can read."""
    folder = Path(tempfile.mkdtemp(prefix="tracker-file-"))
    path = folder / item.file_name
    path.write_bytes(content)
    os.chmod(path, stat.S_IRUSR)  # a copy to read: changes to it are not the tracker's
    return path


class AttachmentsPanel(QWidget):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.store: Store | None = None
        self.history: History | None = None
        self.evidence: Evidence | None = None
        self.editable = False
        self.files: list[Attachment] = []
        self.opened: list[Path] = []  # copies written for viewing, newest last

        self.title = QLabel()
        self.list = QListWidget()
        self.list.setAccessibleName("Files of the selected evidence")
        self.list.setMaximumHeight(self.list.fontMetrics().lineSpacing() * 2 + 12)
        self.list.itemActivated.connect(lambda _item: self.open_selected())
        self.list.itemDoubleClicked.connect(lambda _item: self.open_selected())
        self.list.currentRowChanged.connect(lambda _row: self._update_buttons())
        self.list.setToolTip("Enter or double-click opens the file")
        self.attach_button = QPushButton("A&ttach file…")
        self.attach_button.setToolTip(f"Attach a file to the selected evidence ({LIMIT_WORDS} "
                                      "at most); it is internal only until you share it")
        self.open_button = QPushButton("&Open")
        self.share_button = QPushButton("S&hare")
        self.remove_button = QPushButton("Re&move")
        self.remove_button.setToolTip("Take the file off this evidence (Ctrl+Z brings it back)")
        self.attach_button.clicked.connect(lambda: self.attach())
        self.open_button.clicked.connect(self.open_selected)
        self.share_button.clicked.connect(self.toggle_sharing)
        self.remove_button.clicked.connect(self.remove_selected)
        self.note = QLabel(f"Kept in the database, {LIMIT_WORDS} a file at most; internal "
                           "unless shared (point here for more).")
        self.note.setToolTip(SHARING)
        self.note.setWordWrap(True)
        self.note.setStyleSheet("color:#555;")
        self.title.setToolTip(SHARING)
        self.note.hide()  # shown once evidence is selected
        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.title, 1)
        for b in (self.attach_button, self.open_button, self.share_button, self.remove_button):
            top.addWidget(b)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(top)
        layout.addWidget(self.list)
        layout.addWidget(self.note)
        self.show_for(None, None, None, False)

    def show_for(self, store: Store | None, history: History | None, item: Evidence | None,
                 editable: bool) -> None:
        self.store, self.history, self.evidence, self.editable = store, history, item, editable
        keep = self.selected()
        self.files = (queries.list_attachments(store, item.id)
                      if store is not None and item is not None else [])
        self.list.clear()
        for f in self.files:
            words = "shareable" if f.visibility is Visibility.SHAREABLE else "internal only"
            entry = QListWidgetItem(f"{f.described}, {words}")
            entry.setData(Qt.ItemDataRole.UserRole, f.id)
            entry.setToolTip(f"{f.file_name}\n{f.described}, {words}\nSHA-256 {f.sha256}\n"
                             f"Attached by {f.added_by or '—'}")
            self.list.addItem(entry)
        if self.files:
            ids = [f.id for f in self.files]
            self.list.setCurrentRow(ids.index(keep.id) if keep and keep.id in ids else 0)
        self.list.setVisible(bool(self.files))
        self.note.setVisible(item is not None)  # the limit, said wherever a file can be attached
        if item is None:
            self.title.setText("Files: select evidence to see or attach its files")
        elif not self.files:
            self.title.setText("Files: none on this evidence")
        else:
            self.title.setText(f"Files on this evidence ({len(self.files)}):")
        self._update_buttons()

    def selected(self) -> Attachment | None:
        row = self.list.currentRow()
        return self.files[row] if 0 <= row < len(self.files) else None

    def _update_buttons(self) -> None:
        chosen = self.selected()
        self.attach_button.setEnabled(self.editable and self.evidence is not None)
        self.open_button.setEnabled(chosen is not None)
        self.share_button.setEnabled(self.editable and chosen is not None)
        self.remove_button.setEnabled(self.editable and chosen is not None)
        shared = chosen is not None and chosen.visibility is Visibility.SHAREABLE
        self.share_button.setText("Keep &internal" if shared else "S&hare")
        self.share_button.setToolTip(
            "Internal only: partners are never told of the file" if shared else
            "Partners' workbooks name a shareable file of shareable evidence; the file itself "
            "is never sent")

    # --- what the officer asks for -----------------------------------------------------------

    @staticmethod
    def ask_file(parent: QWidget) -> str:
        """The file to attach, or "" (tests replace this)."""
        path, _ = QFileDialog.getOpenFileName(parent, "Attach a file to the evidence",
                                              str(Path.home()), "All files (*)")
        return path

    def attach(self, path: str | Path | None = None) -> ops.OpResult | None:
        if not self.editable or self.evidence is None:
            return None
        chosen = str(path) if path else self.ask_file(self)
        if not chosen:
            return None
        item = self.evidence
        done = self.history.perform(lambda s: ops.attach_file(s, item.id, chosen),
                                    f"Attach {Path(chosen).name}", "The file was not attached")
        return done if isinstance(done, ops.OpResult) else None

    def open_selected(self) -> Path | None:
        chosen = self.selected()
        if chosen is None:
            return None
        try:
            path = write_for_viewing(chosen, queries.attachment_content(self.store, chosen.id))
        except (TrackerError, OSError) as exc:
            QMessageBox.warning(self, "Open file", f"{chosen.file_name} could not be opened.\n\n"
                                f"{exc}")
            return None
        self.opened.append(path)
        if not system_open.open_with_system(path):
            QMessageBox.information(
                self, "Open file", f"No program on this computer opens {chosen.file_name}. "
                f"A copy is in {path.parent}: open it from there.")
        return path

    def toggle_sharing(self) -> None:
        chosen = self.selected()
        if chosen is None or not self.editable:
            return
        target = (Visibility.INTERNAL if chosen.visibility is Visibility.SHAREABLE
                  else Visibility.SHAREABLE)
        self.history.perform(
            lambda s: ops.set_attachment_visibility(s, chosen.id, target),
            f"Make {chosen.file_name} {'shareable' if target is Visibility.SHAREABLE else 'internal'}",
            "The file's sharing was not changed")

    def remove_selected(self) -> None:
        chosen = self.selected()
        if chosen is None or not self.editable:
            return
        answer = QMessageBox.question(
            self, "Remove file", f"Take {chosen.described} off this evidence?\n\n"
            "Edit ▸ Undo (Ctrl+Z) brings it back.")
        if answer == QMessageBox.StandardButton.Yes:
            self.history.perform(lambda s: ops.remove_attachment(s, chosen.id),
                                 f"Remove {chosen.file_name}", "The file was not removed")
