"""A scrolling grid of indicator panels that only builds the panels in sight.

A pyqtgraph plot costs tens of milliseconds to build, so 200 of them would take seconds. The
grid keeps a pool of panels just big enough for the rows on screen (plus one row either side)
and, as it scrolls, binds the panels that leave the view to the indicators that come into it.
The scroll bar works in pixels, so scrolling is smooth.

Signals:
    opened(int): a panel was opened (double-click or Enter); the indicator id.
    action(str, int): a panel's context-menu choice and the indicator id.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QKeyEvent, QPalette, QResizeEvent
from PySide6.QtWidgets import QAbstractScrollArea, QLabel, QWidget

from tracker.domain.series import ChartData

if TYPE_CHECKING:
    from tracker.ui.indicators.panel import IndicatorPanel

MIN_PANEL_WIDTH = 400
# Posted at the paint's own (low) priority, so that it comes after the paint this turn asked
# for; see _bind_after_paint.
_BIND_NEXT = QEvent.Type(QEvent.registerEventType())
ROW_HEIGHT = 300
GAP = 10


class IndicatorGrid(QAbstractScrollArea):
    opened = Signal(object)
    action = Signal(str, object)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFrameShape(QAbstractScrollArea.Shape.NoFrame)
        # An opaque viewport filled from its palette lets Qt scroll by moving pixels.
        viewport = self.viewport()
        palette = viewport.palette()
        palette.setColor(QPalette.ColorRole.Window, QColor("#eef0f3"))
        viewport.setPalette(palette)
        viewport.setBackgroundRole(QPalette.ColorRole.Window)
        viewport.setAutoFillBackground(True)
        self.items: list[ChartData] = []
        self.labels: list[str] = []
        self.current = -1
        self._bound: dict[int, IndicatorPanel] = {}
        self._free: list[IndicatorPanel] = []
        self.empty = QLabel(self.viewport())
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setStyleSheet("color: #4b5563; font-size: 11pt;")
        self.empty.hide()
        self.verticalScrollBar().setSingleStep(40)
        self._bind_later = QTimer(self)
        self._bind_later.setSingleShot(True)
        self._bind_later.setInterval(0)
        self._bind_later.timeout.connect(self._bind_one_waiting)
        self._bind_posted = False
        self._disposed = False

    # --- content -------------------------------------------------------------------------

    def set_items(self, items: list[ChartData], labels: list[str], empty_text: str = "") -> None:
        """Show these indicators; labels are the panels' priority labels, one per item."""
        self.items, self.labels = list(items), list(labels)
        for panel in self._bound.values():
            panel.hide()
            panel.data = None
            self._free.append(panel)
        self._bound.clear()
        self.current = min(self.current, len(self.items) - 1)
        self.empty.setText(empty_text)
        self.empty.setVisible(not self.items and bool(empty_text))
        self._layout()

    def replace_item(self, index: int, data: ChartData) -> None:
        self.items[index] = data
        panel = self._bound.get(index)
        if panel is not None:
            panel.bind(index, data, self.labels[index])

    # --- geometry ------------------------------------------------------------------------

    @property
    def columns(self) -> int:
        return max(1, (self.viewport().width() - GAP) // (MIN_PANEL_WIDTH + GAP))

    def _rows(self) -> int:
        return -(-len(self.items) // self.columns)

    def panel_rect(self, index: int) -> tuple[int, int, int, int]:
        """x, y (in content coordinates), width and height of the panel at index."""
        columns = self.columns
        width = (self.viewport().width() - GAP * (columns + 1)) // columns
        row, column = divmod(index, columns)
        return (GAP + column * (width + GAP), GAP + row * (ROW_HEIGHT + GAP), width, ROW_HEIGHT)

    def visible_range(self, margin_rows: int = 1) -> range:
        """The indexes of the panels in view, plus margin_rows rows above and below."""
        top = self.verticalScrollBar().value()
        height = self.viewport().height()
        step = ROW_HEIGHT + GAP
        first_row = max(0, top // step - margin_rows)
        last_row = min(self._rows() - 1, (top + height) // step + margin_rows)
        columns = self.columns
        return range(first_row * columns, min(len(self.items), (last_row + 1) * columns))

    def _layout(self) -> None:
        content = self._rows() * (ROW_HEIGHT + GAP) + GAP
        bar = self.verticalScrollBar()
        bar.setRange(0, max(0, content - self.viewport().height()))
        bar.setPageStep(self.viewport().height())
        self.empty.setGeometry(self.viewport().rect())
        self._place()

    def _place(self) -> None:
        """Position the panels bound for the rows in view and the spare row above and below;
        the others are bound one per event-loop turn by _bind_one_waiting (the current one
        first), so scrolling and keys never wait for a chart. Binding a chart takes 5-10 ms
        and painting it as long again, and Qt paints all that a turn changed in one go: binding
        the page in view here (a 15 ms budget let two or three through, painted together with
        the spare row coming into view) froze the window 40-60 ms on Page Down."""
        wanted = self.visible_range()
        for index in [i for i in self._bound if i not in wanted]:
            panel = self._bound.pop(index)
            if panel.hasFocus():
                self.setFocus()
            panel.hide()
            panel.data = None
            self._free.append(panel)
        top = self.verticalScrollBar().value()
        for index, panel in self._bound.items():
            if panel.data is not None:
                x, y, w, h = self.panel_rect(index)
                panel.setGeometry(x, y - top, w, h)
                panel.show()
        if self.current in self._bound and not self._bound[self.current].hasFocus() \
                and self.hasFocus():
            self._bound[self.current].setFocus()
        if self.waiting() or self.pool_size() < self._pool_target():
            self._bind_after_paint()

    def _take_panel(self, index: int) -> IndicatorPanel:
        panel = self._free.pop() if self._free else self._new_panel()
        self._bound[index] = panel
        panel.index = index
        return panel

    def _bind_one_waiting(self) -> None:
        top = self.verticalScrollBar().value()
        in_view = self.visible_range(margin_rows=0)
        order = sorted(self.visible_range(),
                       key=lambda i: (i not in in_view, i != self.current, i))
        for index in order:
            panel = self._bound.get(index)  # those in view first, the current one first
            if panel is None:
                if not self._free:  # a new plot is a turn's work; it is drawn the next turn
                    self._take_panel(index).hide()
                    break
                panel = self._take_panel(index)
            if panel.data is None:
                panel.bind(index, self.items[index], self.labels[index])
                x, y, w, h = self.panel_rect(index)
                panel.setGeometry(x, y - top, w, h)
                panel.show()
                if index not in in_view:  # a spare row's: drawn once now, not as it comes
                    panel.prepare_paint()
                if index == self.current and self.hasFocus():
                    panel.setFocus()
                break
        else:
            # Nothing waits: build one more spare panel while idle, up to what the largest
            # scroll position needs, so that scrolling never has to build one.
            if self.pool_size() < self._pool_target():
                panel = self._new_panel()
                panel.hide()
                self._free.append(panel)
        if self.waiting() or self.pool_size() < self._pool_target():
            self._bind_after_paint()

    def _bind_after_paint(self) -> None:
        """Bind the next panel on a timer started once Qt has painted what this turn changed.
        A timer started here and now would be due before any other timer waiting (an
        animation, the progress bar's) and take the turn after the paint before them; and Qt
        posts a paint at low priority, after a queued call posted later."""
        if not self._bind_posted:
            self._bind_posted = True
            QCoreApplication.postEvent(self, QEvent(_BIND_NEXT),
                                       Qt.EventPriority.LowEventPriority.value)

    def customEvent(self, event: QEvent) -> None:
        if event.type() == _BIND_NEXT:
            self._bind_posted = False
            if not self._disposed:
                self._bind_later.start()
            return
        super().customEvent(event)

    def _pool_target(self) -> int:
        rows_in_view = -(-self.viewport().height() // (ROW_HEIGHT + GAP)) + 1
        return min(len(self.items), (rows_in_view + 2) * self.columns)

    def waiting(self) -> int:
        """How many panels in view or in the spare rows wait to be built or bound."""
        bound = self._bound
        return sum(1 for i in self.visible_range() if i not in bound or bound[i].data is None)

    def _new_panel(self) -> IndicatorPanel:
        from tracker.ui.indicators.panel import IndicatorPanel  # pyqtgraph: with the first panel

        panel = IndicatorPanel(self.viewport())
        panel.opened.connect(self.opened)
        panel.action.connect(self.action)
        panel.focused.connect(self._panel_focused)
        return panel

    def _panel_focused(self, indicator_id: int) -> None:
        panel = self.sender()
        if panel in self._bound.values():
            self.current = panel.index

    def panels(self) -> list[IndicatorPanel]:
        """The panels drawn, on screen or just off it, in grid order."""
        return [self._bound[i] for i in sorted(self._bound) if self._bound[i].data is not None]

    def panel_for(self, indicator_id: int) -> IndicatorPanel | None:
        for panel in self._bound.values():
            if panel.indicator_id == indicator_id:
                return panel
        return None

    def pool_size(self) -> int:
        return len(self._bound) + len(self._free)

    def scroll_to(self, index: int) -> None:
        _x, y, _w, h = self.panel_rect(index)
        bar = self.verticalScrollBar()
        if y < bar.value():
            bar.setValue(y - GAP)
        elif y + h > bar.value() + self.viewport().height():
            bar.setValue(y + h + GAP - self.viewport().height())

    def set_current(self, index: int) -> None:
        if not self.items:
            return
        index = max(0, min(len(self.items) - 1, index))
        self.current = index
        before = self.verticalScrollBar().value()
        self.scroll_to(index)
        if self.verticalScrollBar().value() == before:  # (else scrolling has placed them)
            self._place()
        panel = self._bound.get(index)
        if panel is not None:
            panel.setFocus(Qt.FocusReason.OtherFocusReason)

    # --- events --------------------------------------------------------------------------

    def scrollContentsBy(self, dx: int, dy: int) -> None:
        # Move the panels and the pixels already drawn; only the strip that comes into view
        # is painted afresh.
        self.viewport().scroll(dx, dy)
        self._place()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._layout()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # Arrow keys, Page Up/Down, Home and End move between panels; Enter opens one.
        moves = {Qt.Key.Key_Left: -1, Qt.Key.Key_Right: 1, Qt.Key.Key_Up: -self.columns,
                 Qt.Key.Key_Down: self.columns,
                 Qt.Key.Key_PageUp: -self.columns * max(1, self.viewport().height() // ROW_HEIGHT),
                 Qt.Key.Key_PageDown: self.columns * max(1, self.viewport().height() // ROW_HEIGHT)}
        key = Qt.Key(event.key())
        if key in moves and self.items:
            self.set_current(self.current + moves[key] if self.current >= 0 else 0)
            return
        if key == Qt.Key.Key_Home and self.items:
            self.set_current(0)
            return
        if key == Qt.Key.Key_End and self.items:
            self.set_current(len(self.items) - 1)
            return
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and 0 <= self.current < len(self.items):
            self.opened.emit(self.items[self.current].indicator.id)
            return
        super().keyPressEvent(event)

    def dispose(self) -> None:
        """Delete every panel's plot now (pyqtgraph crashes at exit if one is left alive)."""
        self._disposed = True
        self._bind_later.stop()
        for panel in list(self._bound.values()) + self._free:
            panel.dispose()
            panel.deleteLater()
        self._bound.clear()
        self._free.clear()
