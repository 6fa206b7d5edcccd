"""The words that go with a chart: its text alternative (alt text), its caption and its source
line, written from the chart's data so a reader who cannot see the picture loses nothing."""

from __future__ import annotations

from tracker.domain.model import Series, ValueState
from tracker.domain.series import ChartData, ChartLine
from tracker.domain.wording import format_value, listed

# Names that read as a common noun after "chart of": "Number of ..." -> "the number of ...".
_COMMON_NOUNS = ("number", "percentage", "proportion", "rate", "level", "amount", "total",
                 "value", "count", "share", "average", "score")


def subject(name: str) -> str:
    """The indicator's name as it reads inside a sentence."""
    first, _, rest = name.partition(" ")
    if first.lower() in _COMMON_NOUNS and first[:1].isupper() and first[1:].islower():
        return f"the {first.lower()} {rest}".rstrip()
    return name


def _values(line: ChartLine, data: ChartData) -> str:
    unit = data.indicator.unit
    parts = []
    for point in line.points:
        text = f"{format_value(point.value, unit, point.qualifier)} in {point.period}"
        if point.state is ValueState.PROVISIONAL:
            text += " (provisional)"
        parts.append(text)
    return ", ".join(parts)


def _gaps(line: ChartLine, data: ChartData) -> list[str]:
    """The periods with no value between the first and the last, as runs: "2016/17 to
    2019/20", "2021/22"."""
    if len(line.points) < 2:
        return []
    runs: list[list[str]] = []
    previous = None
    for x in range(line.points[0].x, line.points[-1].x + 1):
        if line.values[x] is not None:
            continue
        if previous is not None and x == previous + 1:
            runs[-1].append(data.periods[x])
        else:
            runs.append([data.periods[x]])
        previous = x
    return [run[0] if len(run) == 1 else f"{run[0]} to {run[-1]}" for run in runs]


def chart_alt(data: ChartData) -> str:
    """"Line chart of the number of anti-social behaviour incidents: 52,732 in 2015/16, 30,674
    in 2021/22." with the comparison group, the targets and the gaps when there are any."""
    kind = "Line chart" if len(data.actual.points) > 1 else "Chart"
    text = f"{kind} of {subject(data.indicator.name)}"
    parts = []
    if data.actual.points:
        parts.append(_values(data.actual, data))
    gaps = _gaps(data.actual, data)
    if gaps:
        parts.append("no value for " + listed(gaps))
    if data.comparison.points:
        parts.append(f"{Series.COMPARISON.label.lower()}: {_values(data.comparison, data)}")
    if data.target_series.points:
        parts.append(f"{Series.TARGET.label.lower()}: {_values(data.target_series, data)}")
    if data.target_value is not None:
        when = f" by {data.indicator.target_period}" if data.indicator.target_period else ""
        parts.append(f"target{when}: {format_value(data.target_value, data.indicator.unit)}")
    if not parts:
        return f"{text}: no values stated."
    return f"{text}: {'; '.join(parts)}."


def chart_caption(number: int, data: ChartData) -> str:
    """"Figure 3. Number of anti-social behaviour incidents, 2015/16 to 2021/22"."""
    periods = [p.period for line in (data.actual, data.comparison, data.target_series)
               for p in line.points]
    span = ""
    if data.periods and periods:
        present = [p for p in data.periods if p in set(periods)]
        span = f", {present[0]} to {present[-1]}" if len(present) > 1 else f", {present[0]}"
    return f"Figure {number}. {data.indicator.name}{span}"


def chart_source(data: ChartData) -> str | None:
    """"Source: ...": the sources of the values drawn, in order, once each."""
    seen: list[str] = []
    for line in (data.actual, data.comparison, data.target_series):
        for point in line.points:
            if point.source and point.source not in seen:
                seen.append(point.source)
    if not seen and data.indicator.source:
        seen.append(data.indicator.source)
    return source_line(seen)


def _paragraph_key(number: str) -> tuple:
    return tuple(int(p) if p.isdigit() else p for p in number.split("."))


def source_line(sources: list[str] | tuple[str, ...]) -> str | None:
    """"Source: Closure Report, paragraphs 5.1 and 5.2; Extension 2020/21, Priority 2.": the
    sources in order, each document named once with the places cited in it (the text before
    the first ", " is the document), paragraphs in their order."""
    places: dict[str, list[str]] = {}
    for source in dict.fromkeys(s.strip() for s in sources if s and s.strip()):
        document, _, place = source.partition(", ")
        places.setdefault(document, [])
        if place:
            places[document].append(place)
    parts = []
    for document, cited in places.items():
        numbers = sorted((p.removeprefix("paragraph ") for p in cited
                          if p.startswith("paragraph ") and " " not in p[10:]), key=_paragraph_key)
        named = [f"paragraph{'s' if len(numbers) > 1 else ''} {listed(numbers)}"] if numbers else []
        named += [p for p in cited if not (p.startswith("paragraph ") and " " not in p[10:])]
        parts.append(f"{document}, {listed(named)}" if named else document)
    return f"Source: {'; '.join(parts)}." if parts else None
