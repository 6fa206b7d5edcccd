"""Writing an update: the evidence form, with the previous updates and the status this period
and last period beside it. Bad input is refused at the field with a message."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from tracker.domain.model import Evidence, Visibility
from tracker.domain.plan_periods import reporting_periods
from tracker.domain.wording import day
from tracker.ops import EvidenceInput
from tracker.store import overview, queries
from tracker.store.database import Store
from tracker.store.errors import ValidationError
from tracker.ui.dialog_keys import accept_on_ctrl_enter
from tracker.ui.widgets.date_field import DateField
from tracker.ui.widgets.field_error import FieldError, add_checked_row, fmt_figure


def describe_evidence(item: Evidence) -> str:
    when = day(item.evidence_date) if item.evidence_date else (item.period or "undated")
    extra = []
    if item.partner_name:
        extra.append(item.partner_name)
    if item.figure is not None:
        extra.append(f"{fmt_figure(item.figure)} {item.unit or ''}".strip())
    tail = f" ({'; '.join(extra)})" if extra else ""
    return f"{when}: {item.text}{tail}"


class EvidenceDialog(QDialog):
    def __init__(self, store: Store, commitment_id: int, existing: Evidence | None = None,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.store = store
        self.value: EvidenceInput | None = None
        c = queries.get_commitment(store, commitment_id)
        self.setWindowTitle(("Edit evidence" if existing else "Add evidence")
                            + f" — {c.code or ''} {c.text[:60]}")
        self.resize(900, 520)

        form_box = QGroupBox("Evidence")
        form = QFormLayout(form_box)
        self.text = QPlainTextEdit()
        self.text.setTabChangesFocus(True)
        self.text.setPlaceholderText("What was delivered, in a sentence or two")
        self.date = DateField()
        self.date.setToolTip("The day the evidence refers to; leave empty if a period fits better")
        self.date.setAccessibleName("Date")
        # The plan's own reporting periods to choose from (the whole plan, its years and their
        # quarters); any other period or span can still be typed.
        plan = queries.get_plan(store, queries.plan_id_of_priority(store, c.priority_id))
        self.period = QComboBox()
        self.period.setEditable(True)
        self.period.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.period.addItem("")
        self.period.addItems(reporting_periods(plan.period))
        self.period.setMaxVisibleItems(12)
        self.period.setAccessibleName("Period")
        self.period.lineEdit().setPlaceholderText(
            "one of the plan's periods, or type one: 2021/22, 2021/22 Q3, May 2021")
        self.period.setToolTip(f"The reporting period the evidence speaks for: {plan.title}'s "
                               "years and quarters, or another period or span typed in")
        self.partner = QComboBox()
        self.partner.addItem("— none —", None)
        for p in queries.list_partners(store):
            self.partner.addItem(p.name, p.id)
        self.figure = QLineEdit()
        self.figure.setPlaceholderText("a number, e.g. 1,250 or 42.5")
        self.unit = QLineEdit()
        self.unit.setPlaceholderText("e.g. officers, per cent, £")
        self.link = QLineEdit()
        self.link.setPlaceholderText("https://…")
        self.visibility = QComboBox()
        for v in Visibility:
            self.visibility.addItem(v.label, v.value)
        self.visibility.setToolTip("Internal evidence never leaves the office; shareable evidence "
                                   "may go into partner workbooks and reports")
        self.errors: dict[str, FieldError] = {}
        for name, label, widget in (
            ("text", "&Statement", self.text), ("evidence_date", "&Date", self.date),
            ("period", "&Period", self.period), ("partner", "Source &partner", self.partner),
            ("figure", "&Figure", self.figure), ("unit", "&Unit", self.unit),
            ("link", "&Link", self.link), ("visibility", "&Visibility", self.visibility),
        ):
            self.errors[name] = add_checked_row(form, label, widget)
            if isinstance(widget, QLineEdit | DateField):
                widget.textEdited.connect(self.errors[name].clear)
        self.period.editTextChanged.connect(lambda _t: self.errors["period"].clear())
        self.text.textChanged.connect(self.errors["text"].clear)

        side = QGroupBox("Previous updates")
        side_layout = QVBoxLayout(side)
        ps = overview.status_this_and_last_period(store, commitment_id)
        self.period_status = QLabel(
            f"Status this period ({ps.this_period}): <b style='color:{ps.this_status.colour}'>"
            f"{ps.this_status.shape} {ps.this_status.label}</b><br>"
            f"Status last period ({ps.last_period}): <b style='color:{ps.last_status.colour}'>"
            f"{ps.last_status.shape} {ps.last_status.label}</b>")
        self.previous = QListWidget()
        self.previous.setAccessibleName("Earlier evidence and status changes")
        self.previous.setWordWrap(True)
        self.previous.setAlternatingRowColors(True)
        self.previous.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        for item in reversed(queries.list_evidence(store, commitment_id)):
            self.previous.addItem(describe_evidence(item))
        for change in queries.status_history(store, commitment_id):
            self.previous.addItem(
                f"{day(change.changed_at)} {change.changed_by}: status "
                f"{change.from_status.label if change.from_status else '—'} → {change.to_status.label}"
                f" — {change.reason}")
        if self.previous.count() == 0:
            self.previous.addItem("No updates yet.")
        side_layout.addWidget(self.period_status)
        side_layout.addWidget(self.previous)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.buttons = buttons
        body = QHBoxLayout()
        body.addWidget(form_box, 3)
        body.addWidget(side, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(body)
        layout.addWidget(buttons)

        accept_on_ctrl_enter(self)
        if existing is not None:
            self.text.setPlainText(existing.text)
            self.date.setText(existing.evidence_date or "")
            self.period.setEditText(existing.period or "")
            self.partner.setCurrentIndex(max(0, self.partner.findData(existing.partner_id)))
            self.figure.setText(fmt_figure(existing.figure) if existing.figure is not None else "")
            self.unit.setText(existing.unit or "")
            self.link.setText(existing.link or "")
            self.visibility.setCurrentIndex(self.visibility.findData(existing.visibility.value))
        self.text.setFocus()

    def entered(self) -> EvidenceInput:
        return EvidenceInput(self.text.toPlainText(), self.date.text(), self.period.currentText(),
                             self.partner.currentData(), self.figure.text(), self.unit.text(),
                             self.link.text(), Visibility(self.visibility.currentData()))

    def accept(self) -> None:
        for error in self.errors.values():
            error.clear()
        try:
            self.value = self.entered().validated()
        except ValidationError as exc:
            target = self.errors.get(exc.field or "text", self.errors["text"])
            target.show_error(str(exc))
            return
        super().accept()

    @classmethod
    def ask(cls, store: Store, commitment_id: int, existing: Evidence | None = None,
            parent: QWidget | None = None) -> EvidenceInput | None:
        dialog = cls(store, commitment_id, existing, parent)
        return dialog.value if dialog.exec() == QDialog.DialogCode.Accepted else None
