"""A table cell that sorts by what it means (a date, a number, a rank) rather than by its text:
"9 Nov 2026" before "15 Nov 2026", "Overdue" before "Awaited"."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTableWidgetItem

SortRole = Qt.ItemDataRole.UserRole + 8


class SortItem(QTableWidgetItem):
    """Sorts by SortRole when it is set (numbers, ISO dates), else by the text."""

    def __init__(self, text: str = "", sort: object = None):
        super().__init__(text)
        if sort is not None:
            self.setData(SortRole, sort)

    def __lt__(self, other: QTableWidgetItem) -> bool:
        mine, theirs = self.data(SortRole), other.data(SortRole)
        if mine is not None and theirs is not None:
            try:
                return mine < theirs
            except TypeError:
                pass
        return super().__lt__(other)
