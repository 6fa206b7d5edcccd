"""A day, typed as an officer types it or picked from a calendar.

15/11/2026, 15/11/26, 2026-11-15, 15 Nov 2026 and 15th November 2026 are all read as
15 November 2026 (day first, as in the UK: tracker.domain.dates reads them, the same reader as
workbooks and the command line), and the field then shows the day as the tracker shows every
day: "15 Nov 2026". The button beside it (or Alt+Down, F4) opens a calendar. Text that names no
day is left as typed, for the form to refuse with its message.

It answers like a QLineEdit where the forms need it to (`text()` is the ISO day, or the text as
typed when it names none; `setText` takes an ISO day), so FieldForm and the dialogs treat it as
one more line field.

Signals:
    editingFinished(): the officer left the field, pressed Enter or picked a day.
    textEdited(str): the officer typed in it.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QCalendarWidget,
    QHBoxLayout,
    QLineEdit,
    QMenu,
    QToolButton,
    QWidget,
    QWidgetAction,
)

from tracker.domain.dates import read_day, show_day

PLACEHOLDER = "e.g. 15/11/2026"
HOW = ("Type the day as 15/11/2026, 2026-11-15 or 15 Nov 2026 (day first), or choose it from "
       "the calendar (Alt+Down)")


class _DayLine(QLineEdit):
    """The text part: Alt+Down and F4 open the calendar, as in a date box."""

    open_calendar = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if (event.key() == Qt.Key.Key_F4 or (event.key() == Qt.Key.Key_Down and
                                            event.modifiers() & Qt.KeyboardModifier.AltModifier)):
            self.open_calendar.emit()
            return
        super().keyPressEvent(event)


class DateField(QWidget):
    editingFinished = Signal()
    textEdited = Signal(str)

    def __init__(self, parent: QWidget | None = None, placeholder: str = PLACEHOLDER):
        super().__init__(parent)
        self.line = _DayLine()
        self.line.setPlaceholderText(placeholder)
        self.line.setToolTip(HOW)
        self.button = QToolButton()
        self.button.setText("Calendar")
        self.button.setToolTip("Choose the day from a calendar (Alt+Down)")
        self.button.setAccessibleName("Choose the day from a calendar")
        self.button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes field to field
        self.button.clicked.connect(self.show_calendar)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.line, 1)
        layout.addWidget(self.button)
        self.setFocusProxy(self.line)
        self.calendar: QCalendarWidget | None = None
        self._forwarding = False
        self._menu: QMenu | None = None
        self.line.open_calendar.connect(self.show_calendar)
        self.line.editingFinished.connect(self._finished)
        self.line.textEdited.connect(self.textEdited.emit)
        shortcut = QShortcut(QKeySequence("Alt+Down"), self.button)
        shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
        shortcut.activated.connect(self.show_calendar)

    # --- the value ---------------------------------------------------------------------------

    def day(self) -> date | None:
        """The day typed or chosen; None when the field is empty or names no day."""
        return read_day(self.line.text())

    def set_day(self, day: date | None) -> None:
        self.line.setText(show_day(day) if day is not None else "")
        self.line.setCursorPosition(0)

    def text(self) -> str:
        """The ISO day ("2026-11-15"), or what was typed when it names no day."""
        found = self.day()
        return found.isoformat() if found is not None else self.line.text().strip()

    def setText(self, text: str | None) -> None:
        """Show an ISO day (or any text a day can be read from) as "15 Nov 2026"."""
        found = read_day(text or "")
        if found is not None:
            self.set_day(found)
        else:
            self.line.setText(text or "")

    def clear(self) -> None:
        self.line.clear()

    def setReadOnly(self, read_only: bool) -> None:
        self.line.setReadOnly(read_only)
        self.button.setEnabled(not read_only)

    def isReadOnly(self) -> bool:
        return self.line.isReadOnly()

    def setPlaceholderText(self, text: str) -> None:
        self.line.setPlaceholderText(text)

    def setAccessibleName(self, name: str) -> None:
        super().setAccessibleName(name)
        self.line.setAccessibleName(name)

    def setToolTip(self, tip: str) -> None:
        """The field's own words, then how to type a day."""
        self.line.setToolTip(f"{tip}. {HOW}" if tip else HOW)

    def setStyleSheet(self, sheet: str) -> None:  # FieldError marks the field itself
        self.line.setStyleSheet(sheet)

    # --- editing -----------------------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Keys sent to the field itself go to its text (the text is what has the focus); a
        key the text passes back up goes on to the form."""
        if self._forwarding:
            super().keyPressEvent(event)
            return
        self._forwarding = True
        try:
            QApplication.sendEvent(self.line, event)
        finally:
            self._forwarding = False

    def _finished(self) -> None:
        found = self.day()
        if found is not None and self.line.text() != show_day(found):
            self.set_day(found)  # typed 15/11/2026: shown as 15 Nov 2026
        self.editingFinished.emit()

    def show_calendar(self) -> QCalendarWidget | None:
        """Open the calendar under the field, on the day shown (today when there is none)."""
        if self.line.isReadOnly():
            return None
        if self._menu is None:
            self._menu = QMenu(self)
            self.calendar = QCalendarWidget()
            self.calendar.setGridVisible(True)
            self.calendar.setFirstDayOfWeek(Qt.DayOfWeek.Monday)
            self.calendar.setAccessibleName("Calendar")
            self.calendar.clicked.connect(self._picked)
            self.calendar.activated.connect(self._picked)
            holder = QWidgetAction(self._menu)
            holder.setDefaultWidget(self.calendar)
            self._menu.addAction(holder)
        shown = self.day() or date.today()
        self.calendar.setSelectedDate(QDate(shown.year, shown.month, shown.day))
        self._menu.popup(self.line.mapToGlobal(self.line.rect().bottomLeft()))
        self.calendar.setFocus()
        return self.calendar

    def _picked(self, chosen: QDate) -> None:
        if self._menu is not None:
            self._menu.hide()
        self.set_day(date(chosen.year(), chosen.month(), chosen.day()))
        self.line.setFocus()
        self.editingFinished.emit()
