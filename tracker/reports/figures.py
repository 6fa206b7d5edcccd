"""The pictures a report holds: the status chart of the summary and the indicator charts.

Each is drawn once per report as SVG in plain Python (tracker.reports.svg_chart) with its text
alternative written from its data (tracker.reports.chart_text). Nothing here needs Qt or the
GUI thread: a report is written entirely on a worker thread. Word's pixels are made from the
SVG by tracker.reports.raster.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from tracker.domain.model import StatusCounts
from tracker.domain.periods import PeriodError, parse_period
from tracker.domain.series import ChartData, chart_data
from tracker.reports import chart_text, svg_chart
from tracker.reports.model import IndicatorItem

CHART_WIDTH = svg_chart.WIDTH  # size on the page, CSS pixels (96 per inch)
CHART_HEIGHT = svg_chart.HEIGHT


def _label(period: str | None) -> str | None:
    try:
        return parse_period(period).label if period else None
    except PeriodError:
        return None


def report_chart_data(item: IndicatorItem) -> ChartData:
    """What the chart of an indicator in a report shows. Its axis runs over the report's values:
    a baseline period the report holds no value for (one before the report's first period,
    say) would stretch it over empty years and draw no baseline, so it is left out."""
    indicator = item.indicator
    baseline = _label(indicator.baseline_period)
    if baseline and not any(_label(v.period) == baseline for v in item.values):
        indicator = replace(indicator, baseline_period=None)
    return chart_data(indicator, list(item.values), include_withheld=False)


@dataclass(frozen=True)
class Figure:
    svg: str
    width: int  # size on the page, CSS pixels
    height: int
    alt: str


class ReportFigures:
    """Draws figures on demand and keeps them, so each is drawn once per report."""

    def __init__(self) -> None:
        self._cache: dict[object, Figure | None] = {}
        # indicator id -> (the values drawn, figure): the report asks with the same tuple each
        # time, so identity answers without hashing every value (as a key of values did).
        self._indicators: dict[int, tuple[tuple, Figure | None]] = {}

    def indicator(self, item: IndicatorItem) -> Figure | None:
        """The chart of an indicator with values in scope; None when it has none."""
        known = self._indicators.get(item.indicator.id)
        if known is not None and (known[0] is item.values or known[0] == item.values):
            return known[1]
        figure = self._draw_indicator(item) if item.has_values else None
        self._indicators[item.indicator.id] = (item.values, figure)
        return figure

    def _draw_indicator(self, item: IndicatorItem) -> Figure:
        data = report_chart_data(item)
        alt = chart_text.chart_alt(data)
        svg = svg_chart.indicator_svg(data, alt, f"indicator-{item.indicator.id}")
        return Figure(svg, CHART_WIDTH, CHART_HEIGHT, alt)

    def status_rows(self, rows: list[tuple[str, StatusCounts]]) -> Figure:
        """The bar chart of the commitments by status: one bar per (label, counts) row."""
        key = ("status", tuple((label, tuple(c.counts.items())) for label, c in rows))
        if key not in self._cache:
            alt = "Bar chart of the commitments by status in each chapter: " + "; ".join(
                f"{label}: {counts.describe()}" for label, counts in rows) + "."
            svg, height = svg_chart.status_svg(rows, alt)
            self._cache[key] = Figure(svg, CHART_WIDTH, height, alt)
        return self._cache[key]  # type: ignore[return-value]

    def close(self) -> None:
        """Nothing to release (kept so callers may use a `with` block)."""

    def __enter__(self) -> ReportFigures:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
