"""Fields edited in place: each is written when the officer leaves it (or presses Enter), through
a callback that returns the store's refusal, shown under the field; nothing is written then."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFocusEvent, QKeyEvent
from PySide6.QtWidgets import QFormLayout, QLabel, QLineEdit, QPlainTextEdit, QVBoxLayout, QWidget

from tracker.errors import TrackerError
from tracker.store.errors import ValidationError
from tracker.ui.widgets.date_field import DateField
from tracker.ui.widgets.field_error import FieldError

Commit = Callable[[str, str], TrackerError | None]


class PlainTextField(QPlainTextEdit):
    """A multi-line field that reports when the officer is done with it (focus out, Ctrl+Enter)."""

    editing_finished = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setTabChangesFocus(True)
        self.setFixedHeight(72)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self.editing_finished.emit()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if (event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
                and event.modifiers() & Qt.KeyboardModifier.ControlModifier):
            self.editing_finished.emit()
            return
        super().keyPressEvent(event)

    def text(self) -> str:
        return self.toPlainText()

    def setText(self, text: str) -> None:
        self.setPlainText(text)


class FieldForm(QWidget):
    """Specs: (name, label, "line" | "text" | "date", tooltip). A "date" field is a DateField:
    it is loaded with an ISO day and commits one, whichever way the officer typed it."""

    def __init__(self, specs: list[tuple[str, str, str, str]], on_commit: Commit,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.on_commit = on_commit
        self.fields: dict[str, QLineEdit | PlainTextField | DateField] = {}
        self.errors: dict[str, FieldError] = {}
        self.loaded: dict[str, str] = {}
        self._loading = False
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for name, label, kind, tip in specs:
            widget: QLineEdit | PlainTextField | DateField
            if kind == "text":
                widget = PlainTextField()
                widget.editing_finished.connect(lambda n=name: self._commit(n))
                widget.textChanged.connect(lambda n=name: self._edited(n))
            else:
                widget = DateField() if kind == "date" else QLineEdit()
                widget.editingFinished.connect(lambda n=name: self._commit(n))
                widget.textEdited.connect(lambda _t, n=name: self._edited(n))
            widget.setToolTip(tip)
            widget.setObjectName(f"field_{name}")
            holder = QWidget()
            box = QVBoxLayout(holder)
            box.setContentsMargins(0, 0, 0, 0)
            box.setSpacing(1)
            box.addWidget(widget)
            error = FieldError(widget)
            box.addWidget(error)
            # The label names the field itself (not its holder) for a screen reader, and its
            # mnemonic moves to it.
            caption = QLabel(label)
            caption.setBuddy(widget)
            widget.setAccessibleName(label.replace("&", ""))
            form.addRow(caption, holder)
            self.fields[name] = widget
            self.errors[name] = error

    def load(self, values: dict[str, str | None], editable: bool) -> None:
        self._loading = True
        try:
            for name, widget in self.fields.items():
                text = values.get(name) or ""
                self.loaded[name] = text
                widget.setText(text)
                if isinstance(widget, QLineEdit):
                    widget.setCursorPosition(0)  # a long line shows its start, not its end
                widget.setReadOnly(not editable)
                self.errors[name].clear()
        finally:
            self._loading = False

    def _edited(self, name: str) -> None:
        if not self._loading:
            self.errors[name].clear()

    def _commit(self, name: str) -> None:
        if self._loading or self.fields[name].isReadOnly():
            return
        text = self.fields[name].text()
        if text == self.loaded.get(name, ""):
            return
        refusal = self.on_commit(name, text)
        if refusal is None:
            self.loaded[name] = text
            return
        target = self.errors.get(getattr(refusal, "field", None) or name, self.errors[name])
        if not isinstance(refusal, ValidationError):
            target = self.errors[name]
        target.show_error(str(refusal))
