"""Indicator charts drawn with pyqtgraph: the same drawing for the window and the reports.

`chart_data` (from tracker.domain.series) works out what a chart shows; `configure_plot` draws it
into a pyqtgraph PlotItem; `render_chart` makes a PNG or SVG without a window.

How a chart reads:
- the actual series is a solid line with filled circles; a provisional value is a hollow
  circle and the line into or out of it is dashed; a period with no value breaks the line;
- the comparison group (e.g. the Most Similar Group of forces) is an orange line with squares;
- target values by period are a purple dashed line with diamonds, a single target value is a
  purple dotted horizontal line (with a star at its period, if that is on the axis);
- the baseline is a grey dashed horizontal line labelled with its period and value;
- withheld values (in the tracker only, never exported) are grey crosses off the line.
"""

from __future__ import annotations

import os
from pathlib import Path

os.environ.setdefault("PYQTGRAPH_QT_LIB", "PySide6")  # pyqtgraph would pick PyQt6 if present

import numpy as np
import pyqtgraph as pg
import pyqtgraph.exporters
from PySide6.QtCore import (
    QBuffer,
    QByteArray,
    QCoreApplication,
    QEvent,
    QIODevice,
    QRectF,
    QSize,
    Qt,
)
from PySide6.QtGui import QColor, QFont, QImage, QPainter
from PySide6.QtSvg import QSvgGenerator
from PySide6.QtWidgets import QApplication

from tracker.domain.model import Indicator, IndicatorValue, Series, Unit, ValueState
from tracker.domain.series import ChartData, ChartLine, ChartPoint, chart_data
from tracker.domain.text import html_escape
from tracker.domain.wording import Direction, format_value

__all__ = [
    "DIRECTION_COLOURS",
    "ChartData",
    "chart_data",
    "configure_plot",
    "direction_colour",
    "render_chart",
]

ACTUAL_COLOUR = "#1f4e79"
COMPARISON_COLOUR = "#c05621"
TARGET_COLOUR = "#6b46c1"
BASELINE_COLOUR = "#4b5563"
WITHHELD_COLOUR = "#9ca3af"
AXIS_COLOUR = "#374151"
BACKGROUND = "#ffffff"

# Improvement and worsening are also written as a word beside the colour (colour-blind readers).
DIRECTION_COLOURS: dict[Direction | None, str] = {
    Direction.IMPROVED: "#1a7f37",
    Direction.WORSENED: "#b42318",
    Direction.UNCHANGED: "#4b5563",
    Direction.NEUTRAL: "#4b5563",
    None: "#4b5563",
}

SERIES_STYLE = {
    Series.ACTUAL: (ACTUAL_COLOUR, "o", Qt.PenStyle.SolidLine),
    Series.COMPARISON: (COMPARISON_COLOUR, "s", Qt.PenStyle.SolidLine),
    Series.TARGET: (TARGET_COLOUR, "d", Qt.PenStyle.DashLine),
}


def direction_colour(direction: Direction | None) -> str:
    return DIRECTION_COLOURS[direction]


class ValueAxis(pg.AxisItem):
    """Numbers as people write them: 165,518 rather than 1.655e+05."""

    def __init__(self, unit: Unit, **kwargs):
        super().__init__("left", **kwargs)
        self.unit = unit
        self.enableAutoSIPrefix(False)

    def tickStrings(self, values, scale, spacing):
        out = []
        for v in values:
            v = v * scale
            if spacing * scale >= 1 or float(v).is_integer():
                text = f"{v:,.0f}"
            else:
                text = f"{v:,.1f}" if spacing * scale >= 0.1 else f"{v:,.2f}"
            if self.unit is Unit.POUNDS:
                text = "£" + text if not text.startswith("-") else "-£" + text[1:]
            elif self.unit is Unit.PERCENT:
                text += "%"
            out.append(text)
        return out


def _period_ticks(periods: list[str], max_labels: int) -> list[tuple[int, str]]:
    if not periods:
        return []
    step = max(1, -(-len(periods) // max(1, max_labels)))
    last = len(periods) - 1
    # Every step-th label, and the last one too when it does not crowd its neighbour.
    return [(i, label) for i, label in enumerate(periods)
            if i % step == 0 or (i == last and last % step >= step / 2)]


def _pen(colour: str, width: float = 2.0, style: Qt.PenStyle = Qt.PenStyle.SolidLine):
    pen = pg.mkPen(QColor(colour), width=width)
    pen.setStyle(style)
    pen.setCosmetic(True)
    return pen


def _line_items(line: ChartLine, data: ChartData, compact: bool) -> list[pg.GraphicsObject]:
    """The line (solid between final values, dashed next to a provisional one, broken at gaps)
    and one hoverable marker per value."""
    colour, symbol, style = SERIES_STYLE[line.series]
    if not line.points:
        return []
    items: list[pg.GraphicsObject] = []
    xs = np.array([pt.x for pt in line.points], dtype=float)
    ys = np.array([pt.value for pt in line.points], dtype=float)
    adjacent = np.diff(xs) == 1
    provisional = np.array([pt.state is ValueState.PROVISIONAL for pt in line.points])
    either = provisional[:-1] | provisional[1:]
    width = 2.0 if compact else 2.5
    if len(xs) > 1:
        solid = np.append(adjacent & ~either, False)
        dashed = np.append(adjacent & either, False)
        if solid.any():
            items.append(pg.PlotDataItem(xs, ys, connect=solid, pen=_pen(colour, width, style)))
        if dashed.any():
            items.append(pg.PlotDataItem(xs, ys, connect=dashed,
                                         pen=_pen(colour, width, Qt.PenStyle.DashLine)))
    size = 8 if compact else 11
    # One pen and two brushes for the line's markers, not a pair per value: pyqtgraph draws
    # a marker image per distinct pen and brush object (a chart's first drawing drew 30).
    pen = pg.mkPen(QColor(colour), width=2)
    filled, hollow = pg.mkBrush(colour), pg.mkBrush(BACKGROUND)
    spots = [{"pos": (pt.x, pt.value), "data": pt, "symbol": symbol, "size": size, "pen": pen,
              "brush": hollow if pt.state is ValueState.PROVISIONAL else filled}
             for pt in line.points]
    items.append(_markers(spots, data))
    return items


def _markers(spots: list[dict], data: ChartData) -> pg.ScatterPlotItem:
    indicator = data.indicator

    def tip(x: float, y: float, data: ChartPoint) -> str:
        return data.tooltip(indicator)

    scatter = pg.ScatterPlotItem(hoverable=True, tip=tip, hoverSize=14,
                                 hoverPen=pg.mkPen("#111827", width=2))
    scatter.addPoints(spots)
    return scatter


def _horizontal(value: float, colour: str, style: Qt.PenStyle, label: str,
                position: float, compact: bool) -> pg.InfiniteLine:
    line = pg.InfiniteLine(
        pos=value, angle=0, movable=False, pen=_pen(colour, 1.5, style), label=label,
        labelOpts={"position": position, "color": QColor(colour), "anchors": [(0, 1), (0, 1)],
                   "fill": pg.mkBrush(255, 255, 255, 200)})
    font = QFont()
    font.setPointSizeF(7.5 if compact else 9)
    line.label.setFont(font)
    # Under the markers, so that a label never hides a value.
    line.setZValue(-10)
    line.label.setZValue(-10)
    return line


def _y_range(data: ChartData, headroom: float) -> tuple[float, float] | None:
    values = [pt.value for line in (data.actual, data.comparison, data.target_series)
              for pt in line.points] + [pt.value for pt in data.withheld]
    if data.target_value is not None:
        values.append(data.target_value)
    if not values:
        return None
    low, high = min(values), max(values)
    # Non-negative measures start at zero so that a change is not drawn bigger than it is.
    from_zero = low >= 0 and data.indicator.unit is not Unit.SCORE
    if from_zero:
        low = 0.0
    if high == low:
        high = low + (abs(low) or 1.0)
    span = high - low
    bottom = -span * 0.03 if from_zero else low - span * 0.1
    return (bottom, high + span * (0.14 + headroom))


def legend_entries(data: ChartData) -> list[tuple[str, pg.PlotDataItem]]:
    """What the legend explains: the series drawn, and the provisional and withheld marks."""
    entries = []
    for line in (data.actual, data.comparison, data.target_series):
        if line.points:
            colour, symbol, style = SERIES_STYLE[line.series]
            entries.append((line.series.label, pg.PlotDataItem(
                [0], [0], pen=_pen(colour, 2, style), symbol=symbol, symbolBrush=colour,
                symbolPen=colour, symbolSize=8)))
    states = [pt.state for line in (data.actual, data.comparison, data.target_series)
              for pt in line.points]
    if ValueState.PROVISIONAL in states:
        entries.append(("Provisional", pg.PlotDataItem(
            [0], [0], pen=None, symbol="o", symbolBrush=BACKGROUND,
            symbolPen=pg.mkPen(ACTUAL_COLOUR, width=2), symbolSize=8)))
    if data.withheld:
        entries.append(("Withheld (not exported)", pg.PlotDataItem(
            [0], [0], pen=None, symbol="x", symbolBrush=WITHHELD_COLOUR,
            symbolPen=pg.mkPen(WITHHELD_COLOUR), symbolSize=9)))
    return entries


def configure_plot(plot_item: pg.PlotItem, data: ChartData, *, legend: bool = True,
                   compact: bool = False, title: str | None = None) -> None:
    """Draw the chart into plot_item (cleared first, so it can be called again after an edit).

    The legend, across the top, appears only when there is more than the actual series to
    explain; compact is the small panel of the grid."""
    plot_item.clear()
    plot_item.setMenuEnabled(False)
    plot_item.hideButtons()
    vb = plot_item.getViewBox()
    vb.setMouseEnabled(x=False, y=False)
    # The ranges are set below from the data; auto-ranging on every added item only costs time.
    vb.disableAutoRange()
    left = plot_item.getAxis("left")
    if isinstance(left, ValueAxis):
        if left.unit is not data.indicator.unit:
            left.unit = data.indicator.unit
            left.picture = None  # the tick labels are drawn again in the new unit
    else:
        plot_item.setAxisItems({"left": ValueAxis(data.indicator.unit)})
    tick_font = QFont()
    tick_font.setPointSizeF(7.5 if compact else 9)
    for name in ("left", "bottom"):
        axis = plot_item.getAxis(name)
        axis.setPen(pg.mkPen(AXIS_COLOUR))
        axis.setTextPen(pg.mkPen(AXIS_COLOUR))
        axis.setStyle(tickFont=tick_font, tickTextOffset=3, maxTickLevel=0)
    plot_item.getAxis("left").setWidth(48 if compact else 64)
    plot_item.showGrid(x=False, y=True, alpha=0.12)
    if title is not None:
        plot_item.setTitle(title, color=AXIS_COLOUR, size="11pt" if not compact else "9pt")
    plot_item.getAxis("bottom").setTicks(
        [_period_ticks(data.periods, 6 if compact else 12), []])

    entries = legend_entries(data) if legend else []
    show_legend = len(entries) > 1
    if plot_item.legend is not None:
        plot_item.legend.clear()
        plot_item.legend.setVisible(show_legend)
    if show_legend:
        if plot_item.legend is None:
            plot_item.addLegend(offset=(6, 4), labelTextColor=AXIS_COLOUR,
                                brush=pg.mkBrush(255, 255, 255, 220), colCount=4,
                                verSpacing=-4, horSpacing=12)
        for label, sample in entries:
            plot_item.legend.addItem(sample, label)
        plot_item.legend.setColumnCount(min(4, len(entries)))
    # Ranges first: items added afterwards are laid out once, in the final view.
    count = len(data.periods)
    y_range = _y_range(data, 0.12 if show_legend else 0.0)
    vb.setRange(xRange=(-0.5, max(count - 0.5, 0.5)), yRange=y_range or (0, 1), padding=0)
    unit = data.indicator.unit
    for line in (data.target_series, data.comparison, data.actual):
        for item in _line_items(line, data, compact):
            plot_item.addItem(item)

    if data.withheld:
        pen, brush = pg.mkPen(WITHHELD_COLOUR, width=1), pg.mkBrush(WITHHELD_COLOUR)
        spots = [{"pos": (pt.x, pt.value), "data": pt, "symbol": "x", "size": 10 if compact else 12,
                  "pen": pen, "brush": brush} for pt in data.withheld]
        plot_item.addItem(_markers(spots, data))

    if data.baseline is not None:
        label = f"Baseline {data.baseline.period}: {format_value(data.baseline.value, unit)}"
        plot_item.addItem(_horizontal(data.baseline.value, BASELINE_COLOUR, Qt.PenStyle.DashLine,
                                      label, 0.02, compact))
    if data.target_value is not None:
        when = f" by {data.indicator.target_period}" if data.indicator.target_period else ""
        label = f"Target{when}: {format_value(data.target_value, unit)}"
        plot_item.addItem(_horizontal(data.target_value, TARGET_COLOUR, Qt.PenStyle.DotLine,
                                      label, 0.55, compact))
        if data.target_x is not None:
            star = pg.ScatterPlotItem([data.target_x], [data.target_value], symbol="star",
                                      size=14 if not compact else 10,
                                      pen=pg.mkPen(TARGET_COLOUR), brush=pg.mkBrush(TARGET_COLOUR))
            plot_item.addItem(star)

    if y_range is None:
        text = pg.TextItem("No values recorded yet", color=BASELINE_COLOUR, anchor=(0.5, 0.5))
        text.setPos(max(count - 1, 0) / 2, 0.5)
        plot_item.addItem(text)
    # An empty chart has no scale to read: no axes rather than a made-up one.
    for name in ("left", "bottom"):
        plot_item.showAxis(name, y_range is not None)


# --- rendering without a window -----------------------------------------------------------


def ensure_application() -> QApplication:
    """The running QApplication, or a new one (offscreen when there is no display)."""
    app = QApplication.instance()
    if app is None:
        if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
            os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        app = QApplication([])
    return app  # type: ignore[return-value]


def chart_title(data: ChartData) -> str:
    colour = direction_colour(data.headline.direction)
    verdict = f"{data.headline.verdict}: " if data.headline.verdict else ""
    return (f"<b>{html_escape(data.indicator.name)}</b><br>"
            f"<span style='color:{colour}; font-size:9pt'>{html_escape(verdict)}"
            f"{html_escape(data.headline.text)}</span>")


def make_plot_widget(parent=None, unit: Unit = Unit.COUNT) -> pg.PlotWidget:
    return pg.PlotWidget(parent=parent, background=BACKGROUND,
                         axisItems={"left": ValueAxis(unit)})


def dispose_plot_widget(widget: pg.PlotWidget) -> None:
    """Close and delete a plot widget now: pyqtgraph crashes at exit if one is left alive."""
    plot_item = widget.getPlotItem()
    if plot_item.legend is not None and plot_item.legend.scene() is not None:
        # A legend left in the scene keeps the plot alive after deletion, and with it the
        # plot's menus as windows of their own (found by the tests' leak check).
        plot_item.legend.scene().removeItem(plot_item.legend)
        plot_item.legend = None
    widget.close()
    widget.deleteLater()
    # Only this widget's deletion: flushing every pending deletion would also delete a window
    # that is closing around it, in the middle of its own shutdown.
    QCoreApplication.sendPostedEvents(widget, QEvent.Type.DeferredDelete)


def export_plot(plot_item: pg.PlotItem, fmt: str, width: int, height: int) -> bytes:
    """A PlotItem already shown in a widget, as PNG or SVG bytes."""
    fmt = fmt.lower()
    if fmt == "svg":
        return _svg(plot_item, width, height)
    if fmt != "png":
        raise ValueError(f"cannot export a chart as {fmt!r}: use png or svg")
    exporter = pg.exporters.ImageExporter(plot_item)
    exporter.parameters()["width"] = int(width)
    exporter.parameters()["height"] = int(height)
    exporter.parameters()["background"] = QColor(BACKGROUND)
    image: QImage = exporter.export(toBytes=True)
    return image_to_png(image)


def _svg(plot_item: pg.PlotItem, width: int, height: int) -> bytes:
    # pyqtgraph's SVGExporter fails on the paths Qt 6.11 writes ("... Z"); Qt's own SVG
    # generator paints the same scene as vectors.
    array = QByteArray()
    buffer = QBuffer(array)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    generator = QSvgGenerator()
    generator.setOutputDevice(buffer)
    generator.setSize(QSize(int(width), int(height)))
    generator.setViewBox(QRectF(0, 0, width, height))
    generator.setTitle("Indicator chart")
    painter = QPainter(generator)
    try:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.fillRect(QRectF(0, 0, width, height), QColor(BACKGROUND))
        plot_item.scene().render(painter, QRectF(0, 0, width, height),
                                 plot_item.sceneBoundingRect())
    finally:
        painter.end()
    buffer.close()
    return bytes(array.data())


def image_to_png(image: QImage) -> bytes:
    array = QByteArray()
    buffer = QBuffer(array)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    buffer.close()
    return bytes(array.data())


def render_chart(indicator: Indicator, values: list[IndicatorValue],
                 path_or_format: str | Path = "png", width: int = 800, height: int = 400, *,
                 title: bool = True) -> bytes:
    """The chart of one indicator as PNG or SVG bytes, withheld values left out.

    path_or_format is "png", "svg" or a file path ending in .png or .svg (written too).
    title puts the indicator's name and its headline above the chart.
    """
    target = Path(path_or_format) if str(path_or_format).lower() not in ("png", "svg") else None
    fmt = target.suffix.lstrip(".").lower() if target is not None else str(path_or_format).lower()
    if fmt not in ("png", "svg"):
        raise ValueError(f"cannot export a chart as {fmt!r}: use png or svg")
    ensure_application()
    data = chart_data(indicator, values, include_withheld=False)
    widget = make_plot_widget()
    try:
        widget.resize(int(width), int(height))
        plot_item = widget.getPlotItem()
        configure_plot(plot_item, data, legend=True, compact=False,
                       title=chart_title(data) if title else None)
        widget.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen, True)
        widget.show()  # lays the scene out at the size asked for; nothing appears on screen
        QCoreApplication.processEvents()
        payload = export_plot(plot_item, fmt, width, height)
    finally:
        dispose_plot_widget(widget)
    if target is not None:
        target.write_bytes(payload)
    return payload
