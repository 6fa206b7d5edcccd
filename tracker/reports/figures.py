"""The pictures a report holds: the status chart of the summary and the indicator charts.

Charts are drawn once per report at print resolution (`scale` times their size on the page)
and shared by the three writers. Drawing uses Qt widgets (pyqtgraph), so `ReportFigures`
must be used on the thread that owns the QApplication; the report dialog hands its requests
to that thread (see tracker.ui.report_dialog).
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QImage, QPainter, QPen

from tracker.domain.model import StatusCounts
from tracker.domain.series import chart_data
from tracker.domain.status import Status
from tracker.reports import charts
from tracker.reports.content import IndicatorItem, PrioritySection

# Size on the page, in CSS pixels (96 per inch): the text column of an A4 page is about 640.
CHART_WIDTH = 640
CHART_HEIGHT = 280
PRINT_SCALE = 2.5  # 240 dots per inch on paper: sharp when printed, and the PDF stays small


@dataclass(frozen=True)
class Figure:
    png: bytes
    width: int  # size on the page, CSS pixels
    height: int
    alt: str
    svg: str | None = None  # the same chart as vectors, when it is drawn so


class ReportFigures:
    """Draws figures on demand and keeps them, so each is drawn once per report."""

    def __init__(self, scale: float = PRINT_SCALE) -> None:
        self.scale = scale
        self._widget = None
        self._cache: dict[int, Figure | None] = {}

    def indicator(self, item: IndicatorItem) -> Figure | None:
        """The chart of an indicator with values in scope; None when it has none."""
        key = item.indicator.id
        if key not in self._cache:
            self._cache[key] = self._draw_indicator(item) if item.has_values else None
        return self._cache[key]

    def _draw_indicator(self, item: IndicatorItem) -> Figure:
        charts.ensure_application()
        if self._widget is None:
            self._widget = charts.make_plot_widget()
            self._widget.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen, True)
            self._widget.resize(CHART_WIDTH, CHART_HEIGHT)
            self._widget.show()
        data = chart_data(item.indicator, list(item.values), include_withheld=False)
        plot = self._widget.getPlotItem()
        charts.configure_plot(plot, data, legend=True, compact=False)
        QCoreApplication.processEvents()
        png = charts.export_plot(plot, "png", round(CHART_WIDTH * self.scale),
                                 round(CHART_HEIGHT * self.scale))
        alt = f"Chart of {item.name}: {item.change}"
        return Figure(png, CHART_WIDTH, CHART_HEIGHT, alt)

    def status(self, sections: tuple[PrioritySection, ...]) -> Figure:
        rows = [(s.heading, s.counts) for s in sections]
        png, height = status_chart_png(rows, CHART_WIDTH, self.scale)
        alt = "Commitments by status in each priority: " + "; ".join(
            f"{label}: {counts.describe()}" for label, counts in rows)
        return Figure(png, CHART_WIDTH, height, alt)

    def close(self) -> None:
        """Delete the plot widget now (pyqtgraph crashes at exit if one is left alive)."""
        if self._widget is not None:
            charts.dispose_plot_widget(self._widget)
            self._widget = None

    def __enter__(self) -> ReportFigures:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def status_chart_png(rows: list[tuple[str, StatusCounts]], width: int,
                     scale: float = PRINT_SCALE) -> tuple[bytes, int]:
    """Stacked horizontal bars, one per priority, each part marked with the status shape and
    count so that the chart reads without colour; a legend of shape and word underneath.
    Returns the PNG and its height on the page."""
    charts.ensure_application()
    font = QFont("DejaVu Sans")
    font.setPixelSize(11)
    small = QFont(font)
    small.setPixelSize(10)
    metrics = QFontMetricsF(font)
    label_width = 250.0
    bar_left = label_width + 10
    bar_width = width - bar_left - 36
    row_height = 30.0
    top = 6.0
    present = [s for s in Status if any(c[s] for _label, c in rows)]
    legend_rows = max(1, -(-len(present) // 3))
    height = int(top + row_height * len(rows) + 14 + 18 * legend_rows + 6)
    most = max((c.total for _label, c in rows), default=0) or 1

    image = QImage(round(width * scale), round(height * scale), QImage.Format.Format_RGB32)
    image.setDevicePixelRatio(scale)
    image.fill(QColor("#ffffff"))
    painter = QPainter(image)
    try:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
        for index, (label, counts) in enumerate(rows):
            y = top + index * row_height
            painter.setFont(font)
            painter.setPen(QColor("#1f2937"))
            # Two lines at most; a longer title is cut short with an ellipsis.
            lines = _wrap(label, metrics, label_width)
            painter.drawText(QRectF(0, y, label_width, row_height - 4),
                             Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                             "\n".join(lines))
            x = bar_left
            for status in Status:
                n = counts[status]
                if not n:
                    continue
                w = bar_width * n / most
                rect = QRectF(x, y + 2, w, row_height - 8)
                painter.fillRect(rect, QColor(status.colour))
                painter.setPen(QPen(QColor("#ffffff"), 1))
                painter.drawLine(rect.topRight(), rect.bottomRight())
                mark = f"{status.shape} {n}"
                painter.setFont(small)
                if QFontMetricsF(small).horizontalAdvance(mark) + 6 <= w:
                    painter.setPen(QColor(_ink_on(status.colour)))
                    painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, mark)
                x += w
            painter.setFont(font)
            painter.setPen(QColor("#1f2937"))
            painter.drawText(QRectF(x + 4, y, 40, row_height - 4),
                             Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                             str(counts.total))
        y = top + row_height * len(rows) + 10
        painter.setFont(font)
        column = (width - bar_left) / 3
        for index, status in enumerate(present):
            cx = bar_left + (index % 3) * column
            cy = y + (index // 3) * 18
            painter.fillRect(QRectF(cx, cy + 3, 12, 12), QColor(status.colour))
            painter.setPen(QColor("#1f2937"))
            painter.drawText(QRectF(cx + 16, cy, column - 18, 18),
                             Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                             f"{status.shape} {status.label}")
    finally:
        painter.end()
    return charts.image_to_png(image), height


def _wrap(text: str, metrics: QFontMetricsF, width: float) -> list[str]:
    if metrics.horizontalAdvance(text) <= width:
        return [text]
    words = text.split()
    first: list[str] = []
    while words and metrics.horizontalAdvance(" ".join([*first, words[0]])) <= width:
        first.append(words.pop(0))
    rest = metrics.elidedText(" ".join(words), Qt.TextElideMode.ElideRight, width)
    return [" ".join(first), rest] if first else [rest]


def _ink_on(background: str) -> str:
    colour = QColor(background)
    luminance = 0.299 * colour.red() + 0.587 * colour.green() + 0.114 * colour.blue()
    return "#111827" if luminance > 150 else "#ffffff"
