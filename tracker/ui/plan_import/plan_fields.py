"""The new plan's title and period, checked as the officer types them."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFormLayout, QLineEdit, QWidget

from tracker.exchange.plan_sheet.create import check_plan_fields
from tracker.store.errors import ValidationError
from tracker.ui.widgets.field_error import FieldError


class PlanFields(QWidget):
    """Signals:
        changed(): the title or the period was edited.
    """

    changed = Signal()

    def __init__(self, title: str = "", parent: QWidget | None = None):
        super().__init__(parent)
        self.title = QLineEdit(title)
        self.title.setPlaceholderText("e.g. Police and Crime Plan 2021-2024")
        self.period = QLineEdit()
        self.period.setPlaceholderText("e.g. 2021-2024 or 2020/21")
        self.title_error = FieldError(self.title)
        self.period_error = FieldError(self.period)
        for field, error in ((self.title, self.title_error), (self.period, self.period_error)):
            field.textEdited.connect(error.clear)
            field.textEdited.connect(lambda _text: self.changed.emit())
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow("Plan &title", self.title)
        form.addRow("", self.title_error)
        form.addRow("&Period", self.period)
        form.addRow("", self.period_error)

    def values(self, show_errors: bool = True) -> tuple[str, str] | None:
        """(title, period) checked, or None (with the field's message shown)."""
        try:
            return check_plan_fields(self.title.text(), self.period.text())
        except ValidationError as exc:
            if show_errors:
                error = self.period_error if exc.field == "period" else self.title_error
                error.show_error(str(exc))
            return None
