"""Changing a commitment's status: the new status and the reason, which the history keeps."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from tracker.domain.status import Status
from tracker.store import overview, queries
from tracker.store.database import Store
from tracker.ui.widgets.field_error import FieldError


class StatusDialog(QDialog):
    def __init__(self, store: Store, commitment_id: int, proposed: Status | None = None,
                 parent: QWidget | None = None):
        super().__init__(parent)
        c = queries.get_commitment(store, commitment_id)
        self.setWindowTitle(f"Change status — {c.code or ''} {c.text[:50]}")
        self.resize(520, 300)
        ps = overview.status_this_and_last_period(store, commitment_id)
        info = QLabel(
            f"Now: <b style='color:{c.status.colour}'>{c.status.shape} {c.status.label}</b>"
            f" &nbsp;·&nbsp; last period ({ps.last_period}): "
            f"<b style='color:{ps.last_status.colour}'>{ps.last_status.shape} {ps.last_status.label}</b>")
        self.status = QComboBox()
        for s in Status:
            self.status.addItem(f"{s.shape} {s.label}", s.value)
        self.status.setCurrentIndex(self.status.findData((proposed or c.status).value))
        self.reason = QPlainTextEdit()
        self.reason.setTabChangesFocus(True)
        self.reason.setPlaceholderText("Why the status changes (kept in the history)")
        self.reason_error = FieldError(self.reason)
        self.status_error = FieldError(self.status)
        self.reason.textChanged.connect(self.reason_error.clear)
        self.status.currentIndexChanged.connect(self.status_error.clear)
        form = QFormLayout()
        form.addRow("New &status", self.status)
        form.addRow("", self.status_error)
        form.addRow("&Reason", self.reason)
        form.addRow("", self.reason_error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.buttons = buttons
        layout = QVBoxLayout(self)
        layout.addWidget(info)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.current = c.status
        self.chosen: tuple[Status, str] | None = None
        self.reason.setFocus()

    def accept(self) -> None:
        status = Status(self.status.currentData())
        reason = " ".join(self.reason.toPlainText().split())
        if status is self.current:
            self.status_error.show_error(f"The status is already {status.label}; choose another.")
            return
        if not reason:
            self.reason_error.show_error("Say why the status changes: a reason is required.")
            return
        self.chosen = (status, reason)
        super().accept()

    @classmethod
    def ask(cls, store: Store, commitment_id: int, proposed: Status | None = None,
            parent: QWidget | None = None) -> tuple[Status, str] | None:
        dialog = cls(store, commitment_id, proposed, parent)
        return dialog.chosen if dialog.exec() == QDialog.DialogCode.Accepted else None
