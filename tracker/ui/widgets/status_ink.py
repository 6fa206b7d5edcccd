"""The tree's status column: a commitment's status word in bold, in its status's colour."""

from __future__ import annotations

from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QStyledItemDelegate

from tracker.domain.status import Status
from tracker.ui.models.tree_cells import StatusRole

_INK = {s.value: QColor(s.colour) for s in Status}


class StatusInk(QStyledItemDelegate):
    """Reads the status from the cell (tree_cells.StatusRole) as the cell is drawn: only the
    cells on the screen are asked, where a font and a colour stored in every cell were made
    for thousands as a filter opened."""

    def initStyleOption(self, option, index) -> None:
        super().initStyleOption(option, index)
        ink = _INK.get(index.data(StatusRole))
        if ink is None:
            return
        font = QFont(option.font)
        font.setBold(True)
        option.font = font
        palette = QPalette(option.palette)
        palette.setColor(QPalette.ColorRole.Text, ink)
        option.palette = palette
