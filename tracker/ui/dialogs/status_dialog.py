"""Changing the status of one commitment, or of many at once with one reason: the new status
and the reason, which the history keeps. Enter adds a line to the reason; Ctrl+Enter (or OK)
sets the status."""

from __future__ import annotations

from PySide6.QtCore import Qt
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
from tracker.domain.wording import count_of
from tracker.store import overview, queries
from tracker.store.database import Store
from tracker.ui.dialog_keys import accept_on_ctrl_enter
from tracker.ui.widgets.field_error import FieldError

SHOWN = 8  # commitments named in the dialog when many are chosen


def _start(text: str, length: int) -> str:
    """The start of a commitment's text, cut at a word with "…" when it is longer."""
    if len(text) <= length:
        return text
    return text[:length].rsplit(" ", 1)[0] + "…"



class StatusDialog(QDialog):
    def __init__(self, store: Store, commitment_ids: int | list[int],
                 proposed: Status | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        ids = [commitment_ids] if isinstance(commitment_ids, int) else list(commitment_ids)
        chosen = [queries.get_commitment(store, i) for i in ids]
        self.commitment_ids = ids
        self.currents = {c.id: c.status for c in chosen}
        if len(chosen) == 1:
            c = chosen[0]
            self.setWindowTitle(f"Change status — {c.code or ''} {c.text[:50]}")
            ps = overview.status_this_and_last_period(store, c.id)
            info = QLabel(
                f"Now: <b style='color:{c.status.colour}'>{c.status.shape} {c.status.label}</b>"
                f" &nbsp;·&nbsp; last period ({ps.last_period}): "
                f"<b style='color:{ps.last_status.colour}'>{ps.last_status.shape} "
                f"{ps.last_status.label}</b>")
        else:
            self.setWindowTitle(f"Change status — {count_of(len(chosen), 'commitment')}")
            lines = [f"{c.status.shape} {c.code or '—'} {_start(c.text, 70)}" for c in chosen[:SHOWN]]
            if len(chosen) > SHOWN:
                lines.append(f"… and {count_of(len(chosen) - SHOWN, 'other')}")
            info = QLabel(f"Set the status of these {len(chosen)} commitments, with one reason "
                          "(one step of Edit ▸ Undo):\n" + "\n".join(lines))
            info.setTextFormat(Qt.TextFormat.PlainText)
        info.setWordWrap(True)
        self.resize(560, 320 if len(chosen) == 1 else 420)
        self.status = QComboBox()
        for s in Status:
            self.status.addItem(f"{s.shape} {s.label}", s.value)
        self.status.setCurrentIndex(max(0, self.status.findData((proposed or chosen[0].status)
                                                                 .value)))
        self.reason = QPlainTextEdit()
        self.reason.setTabChangesFocus(True)
        self.reason.setPlaceholderText("Why the status changes (kept in the history); "
                                       "Ctrl+Enter sets it")
        self.reason.setAccessibleName("Reason")
        self.status.setAccessibleName("New status")
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
        buttons.button(QDialogButtonBox.StandardButton.Ok).setToolTip(
            "Set the status")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.buttons = buttons
        layout = QVBoxLayout(self)
        layout.addWidget(info)
        layout.addLayout(form)
        layout.addWidget(buttons)
        accept_on_ctrl_enter(self)
        self.chosen: tuple[Status, str] | None = None
        self.reason.setFocus()

    def accept(self) -> None:
        status = Status(self.status.currentData())
        reason = " ".join(self.reason.toPlainText().split())
        if all(s is status for s in self.currents.values()):
            what = ("The status is" if len(self.currents) == 1
                    else f"All {len(self.currents)} are")
            self.status_error.show_error(f"{what} already {status.label}; choose another.")
            return
        if not reason:
            self.reason_error.show_error("Say why the status changes: a reason is required.")
            return
        self.chosen = (status, reason)
        super().accept()

    @classmethod
    def ask(cls, store: Store, commitment_ids: int | list[int], proposed: Status | None = None,
            parent: QWidget | None = None) -> tuple[Status, str] | None:
        dialog = cls(store, commitment_ids, proposed, parent)
        return dialog.chosen if dialog.exec() == QDialog.DialogCode.Accepted else None


def set_many_statuses(window, commitment_ids: list[int]):
    """Ask for one status and reason for all these commitments and set them as one operation
    (ops.set_statuses) on the window's undo history; the OpResult, or None."""
    from tracker import ops

    chosen = StatusDialog.ask(window.store, commitment_ids, parent=window)
    if chosen is None:
        return None
    status, reason = chosen
    done = window.history.perform(
        lambda s: ops.set_statuses(s, commitment_ids, status, reason),
        f"Set {count_of(len(commitment_ids), 'commitment')} to {status.label}",
        "The statuses were not changed")
    return done if isinstance(done, ops.OpResult) else None
