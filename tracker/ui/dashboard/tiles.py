"""The dashboard's building blocks: a card with a heading, a clickable figure (a tile), a thin
share bar, and a read-only sortable table whose rows open what they name.

Signals (Tile):
    clicked(): the tile was clicked, or Enter/Space pressed on it.
Signals (LinkTable):
    chosen(object): a row was activated (Enter, double-click, or a single click); its key.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QKeyEvent, QMouseEvent, QPainter, QPen
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHeaderView,
    QLabel,
    QSizePolicy,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from tracker.ui.table_export import install_table_menu
from tracker.ui.widgets.sort_item import SortItem

KeyRole = Qt.ItemDataRole.UserRole + 7
MUTED = "#4b5563"


class Card(QFrame):
    """A white panel with a heading and a body."""

    def __init__(self, title: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("dashboardCard")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setStyleSheet("#dashboardCard { background: white; border: 1px solid #d0d7de;"
                           " border-radius: 4px; }")
        self.heading = QLabel(title)
        self.heading.setTextFormat(Qt.TextFormat.RichText)
        self.heading.setWordWrap(True)
        self.heading.setStyleSheet("font-weight: bold; font-size: 11pt; color: #1f4e79;")
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.setStyleSheet(f"color: {MUTED};")
        self.note.hide()
        self.body = QVBoxLayout(self)
        self.body.setContentsMargins(12, 10, 12, 10)
        self.body.setSpacing(6)
        self.body.addWidget(self.heading)
        self.body.addWidget(self.note)

    def set_note(self, text: str) -> None:
        self.note.setText(text)
        self.note.setVisible(bool(text))


class Tile(QFrame):
    """A big figure with a caption that opens something: a button in all but looks."""

    clicked = Signal()

    def __init__(self, caption: str, tip: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setToolTip(tip)
        self.setObjectName("dashboardTile")
        self.setStyleSheet("#dashboardTile { background: #f6f8fa; border: 1px solid #d0d7de;"
                           " border-radius: 4px; }"
                           "#dashboardTile:focus { border: 2px solid #1f4e79; }")
        self.figure = QLabel("–")
        self.figure.setStyleSheet("font-size: 16pt; font-weight: bold; color: #1f2937;"
                                  " border: none; background: transparent;")
        self.caption = QLabel(caption)
        self.caption.setWordWrap(True)
        self.caption.setStyleSheet(f"color: {MUTED}; border: none; background: transparent;")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 6)
        layout.setSpacing(0)
        layout.addWidget(self.figure)
        layout.addWidget(self.caption)
        self.setAccessibleName(caption)

    def set_value(self, figure: str, caption: str | None = None, colour: str = "#1f2937") -> None:
        self.figure.setText(figure)
        self.figure.setStyleSheet(f"font-size: 16pt; font-weight: bold; color: {colour};"
                                  " border: none; background: transparent;")
        if caption is not None:
            self.caption.setText(caption)
        self.setAccessibleName(f"{self.caption.text()}: {figure}")

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self.rect().contains(
                event.position().toPoint()):
            self.clicked.emit()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            self.clicked.emit()
        else:
            super().keyPressEvent(event)


class ShareBar(QWidget):
    """A thin bar filled to a share (0..1), painted."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.share = 0.0
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def set_share(self, share: float) -> None:
        self.share = max(0.0, min(1.0, share))
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(200, 10)

    def paintEvent(self, _event) -> None:
        painter = QPainter(self)
        rect = QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5)
        painter.fillRect(rect, QColor("#e5e7eb"))
        filled = QRectF(rect)
        filled.setWidth(rect.width() * self.share)
        painter.fillRect(filled, QColor("#1f4e79"))
        painter.setPen(QPen(QColor("#9ca3af"), 1))
        painter.drawRect(rect)
        painter.end()


class LinkTable(QTableWidget):
    """Rows that open what they name; sortable by any column; Copy and Export on right-click."""

    chosen = Signal(object)

    def __init__(self, headers: list[str], stretch: int | tuple[int, ...], title: str,
                 sort_column: int = 0, wrap: bool = False, parent: QWidget | None = None):
        super().__init__(0, len(headers), parent)
        stretched = stretch if isinstance(stretch, tuple) else (stretch,)
        self.setHorizontalHeaderLabels(headers)
        self.verticalHeader().hide()
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setTabKeyNavigation(False)
        self.setWordWrap(wrap)
        self.wrap = wrap
        self.setAlternatingRowColors(True)
        self.setSortingEnabled(True)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        header = self.horizontalHeader()
        header.setHighlightSections(False)
        for col in range(len(headers)):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Stretch if col in stretched
                                        else QHeaderView.ResizeMode.ResizeToContents)
        if wrap:  # wrapped rows take their height again once the columns have their width
            self._fit = QTimer(self)
            self._fit.setSingleShot(True)
            self._fit.setInterval(0)
            self._fit.timeout.connect(self.resizeRowsToContents)
            header.sectionResized.connect(lambda *_: self._fit.start())
        header.setSortIndicator(sort_column, Qt.SortOrder.AscendingOrder)
        self.setAccessibleName(title)
        self.clicked.connect(self._activated)
        install_table_menu(self, title, self._menu_extra)

    def _menu_extra(self, menu, index) -> None:
        if index.isValid():
            action = menu.addAction("&Open")
            action.triggered.connect(lambda _c=False, i=index: self._activated(i))

    def fill(self, rows: list[tuple[object, list[tuple[str, object, str | None, str | None]]]]
             ) -> None:
        """rows: (key, [(text, sort value or None, colour or None, tooltip or None), ...])."""
        self.setSortingEnabled(False)
        self.clearContents()
        self.setRowCount(len(rows))
        for r, (key, cells) in enumerate(rows):
            for c, (text, sort, colour, tip) in enumerate(cells):
                item = SortItem(text, sort)
                item.setData(KeyRole, key)
                if colour:
                    item.setForeground(QColor(colour))
                item.setToolTip(tip or text)
                self.setItem(r, c, item)
        self.setSortingEnabled(True)
        if self.wrap:
            self._fit.start()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self._activated(self.currentIndex())
        else:
            super().keyPressEvent(event)

    def _activated(self, index) -> None:
        item = self.item(index.row(), 0)
        if item is not None:
            self.chosen.emit(item.data(KeyRole))
