"""One indicator's panel in the grid: name, headline, and a small chart.

Panels are reused as the grid scrolls: `bind` puts another indicator in the same widget.

Signals:
    opened(int): the panel was double-clicked or Enter was pressed; the indicator id.
    focused(int): the panel took the keyboard focus; the indicator id.
    action(str, int): a context-menu choice ("open", "copy", "png" or "svg") and the
        indicator id.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QContextMenuEvent, QFocusEvent, QKeyEvent, QMouseEvent
from PySide6.QtWidgets import QFrame, QLabel, QMenu, QVBoxLayout

from tracker.domain.model import Polarity, Unit
from tracker.domain.series import ChartData
from tracker.domain.text import html_escape
from tracker.reports.charts import (
    configure_plot,
    direction_colour,
    dispose_plot_widget,
    make_plot_widget,
)

UNIT_WORDS = {Unit.COUNT: "count", Unit.PERCENT: "per cent", Unit.RATE: "rate",
              Unit.SCORE: "score", Unit.POUNDS: "pounds"}


def headline_html(data: ChartData) -> str:
    """The headline as rich text: the verdict word in bold, all of it in the verdict's colour."""
    colour = direction_colour(data.headline.direction)
    verdict = data.headline.verdict
    lead = f"<b>{html_escape(verdict)}:</b> " if verdict else ""
    return f"<span style='color:{colour}'>{lead}{html_escape(data.headline.text)}</span>"


def meta_text(data: ChartData, priority_label: str) -> str:
    ind = data.indicator
    parts = [priority_label] if priority_label else []
    parts.append(UNIT_WORDS[ind.unit])
    parts.append(ind.polarity.label.lower() if ind.polarity is not Polarity.NEITHER
                 else "no better direction")
    if data.latest is not None and data.latest.state.value != "final":
        parts.append(f"latest {data.latest.state.value}")
    return " · ".join(parts)


def release_lines(lines: list) -> None:
    """Let reference counting free the baseline and target lines a chart no longer shows.
    A line and its label refer to each other, so they were left to the cycle collector: the
    grid rebinding panels as it scrolled left 35 objects a line for it, and its passes over
    them took 20-55 ms of the GUI thread at random moments."""
    for line in lines:  # pyqtgraph InfiniteLines, and any other item with a label
        label = getattr(line, "label", None)
        if label is not None and getattr(label, "line", None) is line \
                and line.scene() is None:  # (removed from the chart)
            label.line = None


class IndicatorPanel(QFrame):
    opened = Signal(object)
    focused = Signal(object)
    action = Signal(str, object)

    MENU = (("open", "&Open values and definition…"), ("copy", "&Copy chart"),
            ("png", "Export &PNG…"), ("svg", "Export &SVG…"))

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("indicatorPanel")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setStyleSheet(
            "#indicatorPanel { background: white; border: 1px solid #d1d5db; border-radius: 6px; }"
            "#indicatorPanel:focus { border: 2px solid #1f4e79; }")
        self.data: ChartData | None = None
        self.index = -1
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 6)
        layout.setSpacing(2)
        self.title = QLabel()
        self.title.setTextFormat(Qt.TextFormat.PlainText)  # a name as typed, never read as HTML
        self.title.setWordWrap(True)
        self.title.setStyleSheet("font-weight: 600; font-size: 10.5pt; color: #111827;")
        self.meta = QLabel()
        self.meta.setStyleSheet("color: #4b5563; font-size: 8.5pt;")
        self.headline = QLabel()
        self.headline.setWordWrap(True)
        self.headline.setTextFormat(Qt.TextFormat.RichText)
        self.headline.setStyleSheet("font-size: 9pt;")
        self.plot = make_plot_widget(self)
        self.plot.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.plot.viewport().installEventFilter(self)  # the chart takes its own mouse events
        self.empty = QLabel("Double-click or press Enter to add values.")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setStyleSheet("color: #6b7280; font-size: 9pt;")
        layout.addWidget(self.title)
        layout.addWidget(self.meta)
        layout.addWidget(self.headline)
        layout.addWidget(self.plot, 1)
        layout.addWidget(self.empty, 1)

    def bind(self, index: int, data: ChartData, priority_label: str = "") -> None:
        self.index = index
        if data is self.data:
            return
        self.data = data
        self.title.setText(data.indicator.name)
        self.title.setToolTip(data.indicator.name)
        self.meta.setText(meta_text(data, priority_label))
        self.headline.setText(headline_html(data))
        plot_item = self.plot.getPlotItem()
        dropped = [item for item in plot_item.items if hasattr(item, "label")]
        configure_plot(plot_item, data, legend=False, compact=True)
        release_lines(dropped)
        self.plot.setVisible(data.has_values)
        self.empty.setVisible(not data.has_values)
        self.setAccessibleName(f"{data.indicator.name}. {data.headline.verdict} "
                               f"{data.headline.text}")

    def prepare_paint(self) -> None:
        """Draw the panel once, off screen, for a spare row about to scroll into view: its first
        paint lays out the labels' text and builds the chart's axes (tick texts, grid lines,
        label positions), and a page of panels coming into view at once painted all that in
        one go (Page Down froze the window 25-50 ms); drawn again they only replay it."""
        self.layout().activate()  # the title's height, and so the chart's, as it will be shown
        self.grab()

    @property
    def indicator_id(self) -> int | None:
        return self.data.indicator.id if self.data else None

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        if self.data is not None:
            self.opened.emit(self.data.indicator.id)
        event.accept()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.MouseButtonDblClick and self.data is not None:
            self.opened.emit(self.data.indicator.id)
            return True
        if event.type() == QEvent.Type.MouseButtonPress:
            self.setFocus(Qt.FocusReason.MouseFocusReason)
        if event.type() == QEvent.Type.ContextMenu:
            self.contextMenuEvent(event)
            return True
        return False

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        if self.data is None:
            return
        indicator_id = self.data.indicator.id
        menu = QMenu(self)
        for key, text in self.MENU:
            menu.addAction(text).setData(key)
        chosen = menu.exec(event.globalPos())
        if chosen is not None:
            self.action.emit(chosen.data(), indicator_id)
        event.accept()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self.setFocus(Qt.FocusReason.MouseFocusReason)
        super().mousePressEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.data is not None:
            self.opened.emit(self.data.indicator.id)
            return
        super().keyPressEvent(event)

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        if self.data is not None:
            self.focused.emit(self.data.indicator.id)

    def dispose(self) -> None:
        dispose_plot_widget(self.plot)
