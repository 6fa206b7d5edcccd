"""What an indicator chart shows, worked out without drawing it.

The x axis is the run of periods from the first to the last value (financial years, quarters,
months or calendar years), so a period with no value is an empty place on the axis and a break
in the line: a gap, never an invented number. Withheld values never reach a chart that leaves
the tracker; inside it they can be shown apart from the line.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass, field
from operator import attrgetter
from typing import NamedTuple

from tracker.domain.model import Indicator, IndicatorValue, Series, ValueState
from tracker.domain.periods import Period, PeriodError, parse_period, period_range
from tracker.domain.wording import VERDICTS, Direction, describe_change, format_value


class ChartPoint(NamedTuple):
    """A value as the chart places it. A named tuple: a report's charts make a thousand, each
    in one C call rather than an object.__setattr__ per field of a frozen dataclass."""

    x: int  # position on the axis: the index of the period in ChartData.periods
    period: str
    value: float
    series: Series
    state: ValueState
    note: str | None = None
    source: str | None = None
    value_id: int | None = None
    qualifier: str | None = None  # "more than": part of the value as the source states it

    def label(self, indicator: Indicator) -> str:
        """The value as a reader sees it: "more than 2,682", "68.7 per cent"."""
        return format_value(self.value, indicator.unit, self.qualifier)

    def tooltip(self, indicator: Indicator) -> str:
        """The exact value, the period, the state, the note and the source."""
        lines = [f"{self.series.label}, {self.period}: {self.label(indicator)}"]
        if self.state is not ValueState.FINAL:
            lines[0] += f" ({self.state.value})"
        if self.state is ValueState.WITHHELD:
            lines.append("Withheld: never shown outside the tracker")
        lines.append(f"Note: {self.note}" if self.note else "No note")
        lines.append(f"Source: {self.source}" if self.source else "No source given")
        return "\n".join(lines)


@dataclass(frozen=True)
class ChartLine:
    series: Series
    values: list[float | None]  # one per period of the axis; None is a gap
    points: list[ChartPoint]  # the values that exist, in period order

    @property
    def is_empty(self) -> bool:
        return not self.points


@dataclass(frozen=True)
class Headline:
    text: str
    direction: Direction | None = None  # None: nothing to compare
    steady: bool = False  # within the indicator's band: "About the same"

    @property
    def verdict(self) -> str:
        """The direction in a word, so that colour is never the only sign."""
        if self.direction is None:
            return ""
        return "About the same" if self.steady else VERDICTS[self.direction]


@dataclass(frozen=True)
class ChartData:
    indicator: Indicator
    periods: list[str]  # the axis labels, in period order
    actual: ChartLine
    comparison: ChartLine
    target_series: ChartLine
    baseline: ChartPoint | None = None  # the actual value in the baseline period
    latest: ChartPoint | None = None
    target_value: float | None = None
    target_x: int | None = None  # where the target period falls on the axis, if it does
    withheld: list[ChartPoint] = field(default_factory=list)  # only when asked for

    def line(self, series: Series) -> ChartLine:
        return {Series.ACTUAL: self.actual, Series.COMPARISON: self.comparison,
                Series.TARGET: self.target_series}[series]

    @functools.cached_property
    def headline(self) -> Headline:
        """The change in words, worked out when first asked for (the window's charts show it;
        a report's words its change itself, and never asks)."""
        return headline(self.indicator, self.actual.points, self.baseline)

    @property
    def has_values(self) -> bool:
        return bool(self.actual.points or self.comparison.points or self.target_series.points)


_SORT_KEY = attrgetter("sort_key")


def _parsed(label: str | None) -> Period | None:
    if not label:
        return None
    try:
        return parse_period(label)
    except PeriodError:
        return None


def axis_periods(labels: list[str]) -> list[Period]:
    """The periods an axis shows: the whole run from the first to the last when they are all of
    one kind (so missing ones become gaps), otherwise the distinct periods in order."""
    return _axis(map(_parsed, set(labels)))


def _axis(parsed: Iterable[Period | None]) -> list[Period]:
    # Distinct by label and sorted by key: a period's label and sort key are kept, where its
    # hash and comparisons are Python calls (a report's 100 axes made about 4,000).
    distinct = {p.label: p for p in parsed if p is not None}
    periods = sorted(distinct.values(), key=_SORT_KEY)
    if len(periods) < 2:
        return periods
    run = period_range(periods[0], periods[-1])
    if run is not None and all(p.kind is periods[0].kind for p in periods):
        return run
    return periods


def chart_data(indicator: Indicator, values: list[IndicatorValue],
               include_withheld: bool = False) -> ChartData:
    """Everything a chart of the indicator shows. Withheld values are left out unless
    include_withheld, and even then they are kept apart from the lines and the headline."""
    shown = [v for v in values if v.state is not ValueState.WITHHELD]
    withheld = [v for v in values if v.state is ValueState.WITHHELD] if include_withheld else []
    labels = [v.period for v in shown + withheld]
    for extra in (indicator.baseline_period, indicator.target_period):
        if extra and (labels or indicator.target_value is not None):
            labels.append(extra)
    parsed = {label: _parsed(label) for label in labels}  # each label parsed once
    axis = _axis(parsed.values())
    position = {p.label: i for i, p in enumerate(axis)}

    def point(v: IndicatorValue) -> ChartPoint | None:
        p = parsed[v.period]
        if p is None or p.label not in position:
            return None  # the store only holds labels it parsed; a stray one is not drawn
        return ChartPoint(position[p.label], p.label, v.value, v.series, v.state, v.note,
                          v.source, v.id, v.qualifier)

    by_series: dict[Series, list[ChartPoint]] = {s: [] for s in Series}
    for v in shown:  # one pass over the values; each series keeps their order
        pt = point(v)
        if pt:
            by_series[v.series].append(pt)

    def line(series: Series) -> ChartLine:
        found = by_series[series]
        found.sort(key=lambda pt: pt.x)
        ys: list[float | None] = [None] * len(axis)
        for pt in found:
            ys[pt.x] = pt.value
        return ChartLine(series, ys, found)

    actual = line(Series.ACTUAL)
    baseline_period = _parsed(indicator.baseline_period)
    baseline = None
    if baseline_period is not None:
        baseline = next((pt for pt in actual.points if pt.period == baseline_period.label), None)
    latest = actual.points[-1] if actual.points else None
    target_period = _parsed(indicator.target_period)
    target_x = position.get(target_period.label) if target_period else None
    return ChartData(
        indicator=indicator,
        periods=[p.label for p in axis],
        actual=actual,
        comparison=line(Series.COMPARISON),
        target_series=line(Series.TARGET),
        baseline=baseline,
        latest=latest,
        target_value=indicator.target_value,
        target_x=target_x,
        withheld=[pt for pt in (point(v) for v in withheld) if pt],
    )


def headline(indicator: Indicator, points: list[ChartPoint],
             baseline: ChartPoint | None) -> Headline:
    """The latest value and the change from the baseline (or, without one, from the first
    value), polarity aware: "from 52,732 in 2015/16 to 30,674 in 2021/22, a reduction of 42
    per cent". Both values are always written, so a percentage is never read alone."""
    if not points:
        return Headline("No values recorded yet.")
    latest = points[-1]
    first = baseline if baseline is not None and baseline.x < latest.x else points[0]
    provisional = " (provisional)" if latest.state is ValueState.PROVISIONAL else ""
    if first is latest:
        return Headline(f"{latest.label(indicator)} in {latest.period}"
                        f"{provisional}; no earlier value to compare.")
    change = describe_change(first.value, first.period, latest.value, latest.period,
                             indicator.unit, indicator.polarity, band=indicator.steady_band,
                             first_qualifier=first.qualifier, last_qualifier=latest.qualifier)
    text = change.sentence[0].upper() + change.sentence[1:] + provisional + "."
    if first is not baseline and indicator.baseline_period:
        text += f" No value for the baseline year {indicator.baseline_period}."
    return Headline(text, change.direction, change.steady)
