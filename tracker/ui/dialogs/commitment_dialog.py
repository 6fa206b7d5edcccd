"""Adding a commitment whole, in one form: its code, the "We will" text, the lead, the partners,
the due date and its sub-points (one a line); or a sub-point of a commitment (no sub-points of
its own). What the form cannot check itself the operation checks; a refusal is said under the
field it names and nothing is written (`add_commitment_from_dialog`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from tracker.domain.dates import HOW_TO_TYPE, read_day
from tracker.domain.text import TextError, check_text
from tracker.store import filters, queries
from tracker.store.database import Store
from tracker.ui.dialog_keys import accept_on_ctrl_enter
from tracker.ui.widgets.date_field import DateField
from tracker.ui.widgets.field_error import FieldError, add_checked_row


@dataclass
class NewCommitment:
    """What the officer asked for; ops.add_commitment takes it as keyword arguments."""

    text: str
    code: str | None = None
    lead: str | None = None
    due_date: str | None = None
    partner_ids: list[int] = field(default_factory=list)
    sub_points: list[str] = field(default_factory=list)

    def as_arguments(self) -> dict:
        return {"code": self.code, "lead": self.lead, "due_date": self.due_date,
                "partner_ids": self.partner_ids, "sub_points": self.sub_points}


def next_code(codes: list[str | None]) -> str:
    """The letter after the last one the priority uses ("K" -> "L"); "" when its codes are not
    single letters (the 2016-2020 plan has none)."""
    letters = [c for c in codes if c and re.fullmatch(r"[A-Y]", c)]
    return chr(ord(max(letters)) + 1) if letters and len(letters) == len(
        [c for c in codes if c]) else ""


class CommitmentDialog(QDialog):
    def __init__(self, store: Store, priority_id: int, parent_id: int | None = None,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.store = store
        self.request: NewCommitment | None = None
        priority = queries.get_priority(store, priority_id)
        plan = queries.get_plan(store, priority.plan_id)
        self.parent_commitment = (queries.get_commitment(store, parent_id)
                                  if parent_id is not None else None)
        if self.parent_commitment is not None:
            c = self.parent_commitment
            self.setWindowTitle(f"Add a sub-point to {c.code or 'the commitment'}")
            where = f"A sub-point of {c.code or ''} “{c.text[:80]}”"
            siblings = [s.code for s in queries.children(store, c.id)]
            suggested = f"{c.code}.{len(siblings) + 1}" if c.code else ""
        else:
            self.setWindowTitle(f"Add a commitment to priority {priority.number}")
            where = f"{plan.title} › Priority {priority.number}: {priority.title}"
            suggested = next_code([c.code for c in queries.list_commitments(store, priority_id)])
        self.resize(640, 620 if self.parent_commitment is None else 480)
        heading = QLabel(where)
        heading.setWordWrap(True)
        heading.setStyleSheet("color:#444;")

        self.code = QLineEdit(suggested)
        self.code.setAccessibleName("Code")
        self.code.setToolTip("The letter or number of the commitment in the plan (may be empty)")
        self.text = QPlainTextEdit()
        self.text.setTabChangesFocus(True)
        self.text.setAccessibleName("We will")
        self.text.setPlaceholderText("What the plan promises: “We will …”")
        self.lead = QLineEdit()
        self.lead.setAccessibleName("Lead")
        self.lead.setToolTip("The officer who leads it")
        leads = filters.distinct_leads(store)
        if leads:
            completer = QCompleter(leads, self.lead)
            completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
            self.lead.setCompleter(completer)
        self.due = DateField()
        self.due.setAccessibleName("Due or review date")
        self.due.setToolTip("The day it is due, or due for review")
        self.partners = QListWidget()
        self.partners.setAccessibleName("Partners")
        self.partners.setToolTip("Tick the partners who deliver or report on it (Space ticks)")
        chosen = (set(queries.commitment_partner_ids(store, self.parent_commitment.id))
                  if self.parent_commitment is not None else set())
        for p in queries.list_partners(store):
            item = QListWidgetItem(p.name)
            item.setData(Qt.ItemDataRole.UserRole, p.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if p.id in chosen else Qt.CheckState.Unchecked)
            self.partners.addItem(item)
        self.sub_points = QPlainTextEdit(self)  # the dialog's even when a sub-point has none
        self.sub_points.setTabChangesFocus(True)
        self.sub_points.setAccessibleName("Sub-points")
        self.sub_points.setPlaceholderText("One sub-point a line (optional)")
        self.sub_points.setFixedHeight(self.sub_points.fontMetrics().lineSpacing() * 4 + 12)

        self.errors: dict[str, FieldError] = {}
        form = QFormLayout()
        rows = [("code", "&Code", self.code), ("text", "&We will", self.text),
                ("lead", "&Lead", self.lead), ("due_date", "D&ue / review", self.due),
                ("partners", "&Partners", self.partners)]
        if self.parent_commitment is None:
            rows.append(("sub_points", "&Sub-points", self.sub_points))
        else:
            self.sub_points.hide()
        for name, label, widget in rows:
            self.errors[name] = add_checked_row(form, label, widget)
        self.text.textChanged.connect(self.errors["text"].clear)
        self.due.textEdited.connect(lambda _t: self.errors["due_date"].clear())
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("&Add")
        self.ok_button.setToolTip("Add it; Edit ▸ Undo takes it back")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.buttons = buttons
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addLayout(form, 1)
        layout.addWidget(buttons)
        accept_on_ctrl_enter(self)
        self.text.setFocus()

    def entered(self) -> NewCommitment:
        ticked = [self.partners.item(i).data(Qt.ItemDataRole.UserRole)
                  for i in range(self.partners.count())
                  if self.partners.item(i).checkState() == Qt.CheckState.Checked]
        points = [line.strip() for line in self.sub_points.toPlainText().splitlines()]
        return NewCommitment(self.text.toPlainText().strip(), self.code.text().strip() or None,
                             self.lead.text().strip() or None, self.due.text() or None, ticked,
                             [p for p in points if p] if self.parent_commitment is None else [])

    def show_refusal(self, message: str, field_name: str | None) -> None:
        self.errors.get(field_name or "text", self.errors["text"]).show_error(message)

    def accept(self) -> None:
        for error in self.errors.values():
            error.clear()
        request = self.entered()
        if not request.text:
            self.show_refusal("Write what the plan promises: the text is required.", "text")
            return
        for name, value in (("text", request.text), ("code", request.code),
                            ("lead", request.lead)):
            try:
                check_text(value, {"text": "The text", "code": "The code",
                                   "lead": "The lead"}[name], name)
            except TextError as exc:
                self.show_refusal(str(exc), name)
                return
        if request.due_date and read_day(request.due_date) is None:
            self.show_refusal(f"'{request.due_date}' is not a date; {HOW_TO_TYPE}.", "due_date")
            return
        self.request = request
        super().accept()


def add_commitment_from_dialog(window, priority_id: int, parent_id: int | None = None):
    """Ask (CommitmentDialog) and add it through the window's undo history; the OpResult,
    or None. A refusal naming a field asks again with the message under that field."""
    from tracker import ops
    from tracker.errors import TrackerError
    from tracker.store.errors import ValidationError

    dialog = CommitmentDialog(window.store, priority_id, parent_id, window)
    what = "The sub-point was not added" if parent_id else "The commitment was not added"
    while dialog.exec() == QDialog.DialogCode.Accepted and dialog.request is not None:
        request = dialog.request
        done = window.history.perform(
            lambda s, r=request: ops.add_commitment(s, priority_id, r.text, parent_id=parent_id,
                                                    **r.as_arguments()),
            "Add sub-point" if parent_id else "Add commitment", quiet=True)
        if isinstance(done, ops.OpResult):
            dialog.deleteLater()
            return done
        if isinstance(done, ValidationError) and done.field in dialog.errors:
            dialog.show_refusal(str(done), done.field)
            continue
        if isinstance(done, TrackerError):
            window.show_error(what, done)
        break
    dialog.deleteLater()
    return None
