"""A message under a field that refused its input, and the field marked red until it is fixed."""

from __future__ import annotations

from PySide6.QtWidgets import QFormLayout, QLabel, QVBoxLayout, QWidget


def fmt_figure(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,}"


class FieldError(QLabel):
    def __init__(self, field: QWidget, parent: QWidget | None = None):
        super().__init__(parent)
        self.field = field
        self.setObjectName("fieldError")
        self.setStyleSheet("color: #b00020;")
        self.setWordWrap(True)
        self.hide()

    def show_error(self, message: str) -> None:
        self.setText(f"⚠ {message}")
        self.show()
        self.field.setProperty("invalid", True)
        self.field.setStyleSheet("border: 1px solid #b00020;")
        self.field.setToolTip(message)
        self.field.setFocus()

    def clear(self) -> None:
        if self.isHidden():
            return
        self.hide()
        self.setText("")
        self.field.setProperty("invalid", False)
        self.field.setStyleSheet("")


def add_checked_row(form: QFormLayout, label: str, widget: QWidget) -> FieldError:
    """A row of `form`: `label` (its mnemonic goes to `widget`), the widget, and under it the
    FieldError that says what the widget refused (a date field's text box is the one marked)."""
    from tracker.ui.widgets.date_field import DateField

    holder = QVBoxLayout()
    holder.setSpacing(1)
    holder.addWidget(widget)
    error = FieldError(widget.line if isinstance(widget, DateField) else widget)
    holder.addWidget(error)
    caption = QLabel(label)
    caption.setBuddy(widget)
    form.addRow(caption, holder)
    return error
