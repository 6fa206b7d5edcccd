"""Report charts as SVG, drawn in plain Python: no window, no GUI thread, the same picture in
the PDF (as vectors), the HTML (inline) and Word (rasterised by tracker.reports.raster).

An indicator chart reads without colour: the actual values are a solid line with filled
circles, the comparison group a dashed line with squares, target values a dotted line with
diamonds, a single target a dotted level with a star at its period, the baseline a thin dashed
level; a provisional value is a hollow marker with dashed lines into and out of it. Every value
is labelled. A period with no value breaks the line and is marked "no value" on the axis, never
bridged. The axes say what they count (the unit) and over what (the kind of period).

Text is measured with the bundled fonts' own widths (tracker.reports.fonts), which the PDF and
the PNG are drawn with, so labels fit without being laid out by a window.
"""

from __future__ import annotations

import functools
import math
from itertools import pairwise

from tracker.domain.model import StatusCounts, Unit, ValueState
from tracker.domain.periods import PeriodError, PeriodKind, parse_period
from tracker.domain.series import ChartData, ChartLine, ChartPoint
from tracker.domain.status import Status
from tracker.domain.text import xml_safe
from tracker.domain.wording import format_value
from tracker.reports import palette
from tracker.reports.fonts import FAMILIES
from tracker.reports.fonts import text_width as font_width


def escape(text: str, quote: bool = False) -> str:
    """Text for SVG markup, as xml.sax.saxutils escapes it (which loads urllib, http and email
    with it: a tenth of a second the window waited for when it first opened the report dialog)."""
    text = text.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")
    return text.replace('"', "&quot;") if quote else text


WIDTH = 640  # CSS pixels; the text column of an A4 page is about 642
HEIGHT = 300
FONT_STACK = ", ".join([*FAMILIES, "Arial", "sans-serif"])
_FONT_ATTRIBUTE = escape(FONT_STACK, quote=True)
TICK_SIZE = 11.0
LABEL_SIZE = 11.5
TITLE_SIZE = 12.0

# Labels are measured in the bundled fonts, which the PDF and Word pictures are drawn with. A
# browser draws the HTML's inline charts in its own fonts (Arial has the same widths; DejaVu
# Sans, on a bare Linux, is up to a tenth wider), so every fit is measured with room to spare.
SLACK = 1.12


@functools.lru_cache(maxsize=4096)  # the same tick, period and value labels on every chart
def text_width(text: str, size: float, bold: bool = False) -> float:
    return font_width(text, size, bold) * SLACK


UNIT_TITLES = {Unit.COUNT: "Number", Unit.PERCENT: "Per cent", Unit.RATE: "Rate",
               Unit.SCORE: "Score", Unit.POUNDS: "Pounds (£)"}
PERIOD_TITLES = {PeriodKind.FINANCIAL_YEAR: "Financial year (April to March)",
                 PeriodKind.QUARTER: "Quarter", PeriodKind.MONTH: "Month",
                 PeriodKind.CALENDAR_YEAR: "Year"}

# series -> (colour, dash pattern, marker)
STYLES = {
    "actual": (palette.ACTUAL, None, "circle"),
    "comparison": (palette.COMPARISON, "7 4", "square"),
    "target": (palette.TARGET, "2 3", "diamond"),
}


def short_value(value: float, unit: Unit) -> str:
    """A value as a chart label: "52,732", "68.7%", "£1,200"."""
    if unit is Unit.PERCENT:
        return format_value(value, Unit.COUNT) + "%"
    return format_value(value, unit)


def nice_ticks(low: float, high: float, most: int = 6) -> list[float]:
    """Round tick values covering [low, high]: steps of 1, 2, 2.5 or 5 times a power of ten."""
    if high <= low:
        high = low + (abs(low) or 1.0)
    raw = (high - low) / max(1, most - 1)
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    start = math.floor(low / step) * step
    ticks = []
    value = start
    while value < high + step * 0.999:
        ticks.append(round(value, 10))
        value += step
    return ticks


# The few sizes every chart writes thousands of times, as "{size:g}" writes them.
_SIZES = {size: f"{size:g}" for size in (TICK_SIZE, LABEL_SIZE, TITLE_SIZE)}


class _Svg:
    def __init__(self, width: int, height: int, title: str, key: str) -> None:
        self.width, self.height = width, height
        self.parts: list[str] = []
        self.title, self.key = title, key

    def add(self, text: str) -> None:
        self.parts.append(text)

    def text(self, x: float, y: float, content: str, *, size: float = LABEL_SIZE,
             anchor: str = "start", colour: str = palette.INK, bold: bool = False,
             italic: bool = False) -> None:
        self.text_at(f"{x:.1f}", f"{y:.1f}", content, size, anchor, colour, bold, italic)

    def text_at(self, x: str, y: str, content: str, size: float = LABEL_SIZE,
                anchor: str = "start", colour: str = palette.INK, bold: bool = False,
                italic: bool = False) -> None:
        """text() at a place already written as its coordinates (shared with a mark there)."""
        extra = ""
        if anchor != "start":
            extra = f' text-anchor="{anchor}"'
        if bold:
            extra += ' font-weight="bold"'
        if italic:
            extra += ' font-style="italic"'
        if not content.isprintable():
            content = xml_safe(content)
        if "&" in content or "<" in content or ">" in content:
            content = escape(content)
        self.parts.append(f'<text x="{x}" y="{y}" font-size="{_SIZES.get(size) or f"{size:g}"}" '
                          f'fill="{colour}"{extra}>{content}</text>')

    def line(self, x1: float, y1: float, x2: float, y2: float, colour: str, width: float = 1,
             dash: str | None = None) -> None:
        extra = f' stroke-dasharray="{dash}"' if dash else ""
        self.parts.append(f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" '
                          f'stroke="{colour}" stroke-width="{width:g}"{extra}/>')

    def marker(self, shape: str, x: float, y: float, colour: str, hollow: bool,
               size: float = 4.5) -> None:
        fill = palette.PAPER if hollow else colour
        style = f'fill="{fill}" stroke="{colour}" stroke-width="1.8"'
        if shape == "circle":
            self.add(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{size:g}" {style}/>')
        elif shape == "square":
            s = size * 0.9
            self.add(f'<rect x="{x - s:.1f}" y="{y - s:.1f}" width="{2 * s:.1f}" '
                     f'height="{2 * s:.1f}" {style}/>')
        elif shape == "diamond":
            s = size * 1.25
            self.add(f'<path d="M{x:.1f} {y - s:.1f}L{x + s:.1f} {y:.1f}L{x:.1f} {y + s:.1f}'
                     f'L{x - s:.1f} {y:.1f}Z" {style}/>')
        elif shape == "star":
            points = []
            for i in range(10):
                radius = size * 1.6 if i % 2 == 0 else size * 0.7
                angle = math.pi / 2 + i * math.pi / 5
                points.append(f"{x + radius * math.cos(angle):.1f},"
                              f"{y - radius * math.sin(angle):.1f}")
            self.add(f'<polygon points="{" ".join(points)}" {style}/>')

    def render(self) -> str:
        ident = "".join(c if c.isalnum() else "-" for c in self.key)
        return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{self.width}" '
                f'height="{self.height}" viewBox="0 0 {self.width} {self.height}" role="img" '
                f'aria-labelledby="{ident}-title" font-family="{_FONT_ATTRIBUTE}">'
                f'<title id="{ident}-title">{escape(xml_safe(self.title))}</title>'
                f'<rect width="{self.width}" height="{self.height}" fill="{palette.PAPER}"/>'
                + "".join(self.parts) + "</svg>")


def _period_title(periods: list[str]) -> str:
    kinds = set()
    for label in periods:
        try:
            kinds.add(parse_period(label).kind)
        except PeriodError:
            return "Period"
    return PERIOD_TITLES[kinds.pop()] if len(kinds) == 1 else "Period"


def _lines(data: ChartData) -> list[ChartLine]:
    return [line for line in (data.target_series, data.comparison, data.actual) if line.points]


def _legend(data: ChartData) -> list[tuple[str, str, str | None, str, bool]]:
    """(label, colour, dash, marker, hollow) for each thing the chart draws besides one line."""
    entries = []
    for line in (data.actual, data.comparison, data.target_series):
        if line.points:
            colour, dash, marker = STYLES[line.series.value]
            entries.append((line.series.label, colour, dash, marker, False))
    if any(pt.state is ValueState.PROVISIONAL for line in _lines(data) for pt in line.points):
        entries.append(("Provisional value", palette.ACTUAL, None, "circle", True))
    if data.target_value is not None:
        when = f" by {data.indicator.target_period}" if data.indicator.target_period else ""
        entries.append((f"Target{when}", palette.TARGET, "2 3", "star", False))
    if data.baseline is not None:
        entries.append(("Baseline", palette.BASELINE, "5 4", "", False))
    return entries if len(entries) > 1 else []


def indicator_svg(data: ChartData, alt: str, key: str, width: int = WIDTH,
                  height: int = HEIGHT) -> str:
    """The indicator's chart as an SVG document (see the module's docstring for how it reads).
    A value the source qualifies is labelled as it says ("more than 2,682")."""
    svg = _Svg(width, height, alt, key)
    unit = data.indicator.unit
    values = [pt.value for line in _lines(data) for pt in line.points]
    if data.target_value is not None:
        values.append(data.target_value)
    if not values:
        svg.text(width / 2, height / 2, "No values stated", anchor="middle", colour=palette.MUTED)
        return svg.render()
    low, high = min(values), max(values)
    if low >= 0 and unit is not Unit.SCORE:
        low = 0.0
    span = (high - low) or abs(high) or 1.0
    ticks = nice_ticks(low if low == 0 else low - span * 0.1, high + span * 0.12)
    tick_labels = [short_value(t, unit) for t in ticks]

    legend = _legend(data)
    right = width - 16
    rows = _legend_rows(legend, 16, right)
    top = 12 + 20 * len(rows) + 16  # the legend's rows, then the y axis title
    left = max(text_width(label, TICK_SIZE) for label in tick_labels) + 14
    bottom = height - 44  # x tick labels and the x axis title below
    plot_w, plot_h = right - left, bottom - top
    lo, hi = ticks[0], ticks[-1]

    def ypos(value: float) -> float:
        return bottom - (value - lo) / (hi - lo) * plot_h

    count = len(data.periods)
    band = plot_w / max(count, 1)

    def xpos(index: int) -> float:
        return left + band * (index + 0.5)

    # The legend across the top, in as many rows as it needs.
    for row, entries in enumerate(rows):
        y = 14 + 20 * row
        for x, (label, colour, dash, marker, hollow) in entries:
            svg.line(x, y, x + 22, y, colour, 2 if marker else 1.5, dash)
            if marker:
                svg.marker(marker, x + 11, y, colour, hollow, 4)
            svg.text(x + 28, y + 4, label, size=LABEL_SIZE)
    # Axes, grid and titles.
    svg.text(left - 10, top - 10, UNIT_TITLES[unit], size=TITLE_SIZE, colour=palette.MUTED,
             bold=True)
    # The grid and the ticks: many elements of one kind each, written as _Svg.line and
    # _Svg.text write them, with what they share formatted once.
    add = svg.parts.append
    x1, x2 = f"{left:.1f}", f"{right:.1f}"
    label_x = f"{left - 6:.1f}"
    for tick, label in zip(ticks, tick_labels):
        y = ypos(tick)
        at = f"{y:.1f}"
        add(f'<line x1="{x1}" y1="{at}" x2="{x2}" y2="{at}" stroke="{palette.GRID}" '
            'stroke-width="1"/>')
        svg.text_at(label_x, f"{y + 4:.1f}", label, TICK_SIZE, "end", palette.MUTED)
    svg.line(left, bottom, right, bottom, palette.MUTED)
    widest = max((text_width(p, TICK_SIZE) for p in data.periods), default=0.0)
    label_every = max(1, math.ceil((widest + 8) / band))
    y1, y2, label_y = f"{bottom:.1f}", f"{bottom + 4:.1f}", f"{bottom + 17:.1f}"
    for index, period in enumerate(data.periods):
        x = f"{xpos(index):.1f}"
        add(f'<line x1="{x}" y1="{y1}" x2="{x}" y2="{y2}" stroke="{palette.MUTED}" '
            'stroke-width="1"/>')
        if index % label_every == 0 or index == count - 1:
            svg.text_at(x, label_y, period, TICK_SIZE, "middle", palette.MUTED)
    svg.text(left + plot_w / 2, height - 8, _period_title(data.periods), size=TITLE_SIZE,
             anchor="middle", colour=palette.MUTED, bold=True)

    placer = _Placer(left, top, right, bottom)
    points = [(xpos(pt.x), ypos(pt.value), pt, line) for line in _lines(data)
              for pt in line.points]
    for x, y, _pt, _line in points:
        placer.take(x - 7, y - 7, x + 7, y + 7)  # no label over a marker

    # Levels: the baseline and a single target, under the lines.
    if data.baseline is not None:
        svg.line(left, ypos(data.baseline.value), right, ypos(data.baseline.value),
                 palette.BASELINE, 1, "5 4")
    if data.target_value is not None:
        y = ypos(data.target_value)
        svg.line(left, y, right, y, palette.TARGET, 1.5, "2 3")
        if data.target_x is not None:
            svg.marker("star", xpos(data.target_x), y, palette.TARGET, False, 4.5)
            placer.take(xpos(data.target_x) - 8, y - 8, xpos(data.target_x) + 8, y + 8)

    # Gaps in the actual series: said on the axis, never bridged; above the baseline level
    # where that runs along the axis through the words.
    gap_y = bottom - 7
    if data.baseline is not None and ypos(data.baseline.value) > gap_y - TICK_SIZE - 3:
        gap_y = ypos(data.baseline.value) - 4
    for start, end in _gap_runs(data.actual):
        middle = (xpos(start) + xpos(end)) / 2
        text = "no value stated" if end > start else "no value"
        svg.text(middle, gap_y, text, size=TICK_SIZE, anchor="middle",
                 colour=palette.MUTED, italic=True)
        w = text_width(text, TICK_SIZE)
        placer.take(middle - w / 2, gap_y - 10, middle + w / 2, gap_y + 7)

    # The lines and their markers: each point's place written once, for the segments into and
    # out of it (a two-point polyline each) and its marker (a circle as _Svg.marker writes it).
    for line in _lines(data):
        colour, dash, marker = STYLES[line.series.value]
        placed = {id(pt): (f"{x:.1f}", f"{y:.1f}") for x, y, pt, of in points if of is line}
        for run in _segments(line):
            for pa, pb in pairwise(run):
                (ax, ay), (bx, by) = placed[id(pa)], placed[id(pb)]
                provisional = ValueState.PROVISIONAL in (pa.state, pb.state)
                pattern = "5 4" if provisional and not dash else dash
                extra = f' stroke-dasharray="{pattern}"' if pattern else ""
                add(f'<polyline points="{ax},{ay} {bx},{by}" fill="none" stroke="{colour}" '
                    f'stroke-width="2.2" stroke-linejoin="round"{extra}/>')
        for pt in line.points:
            hollow = pt.state is ValueState.PROVISIONAL
            if marker == "circle":
                cx, cy = placed[id(pt)]
                add(f'<circle cx="{cx}" cy="{cy}" r="4.5" fill="{palette.PAPER if hollow else colour}"'
                    f' stroke="{colour}" stroke-width="1.8"/>')
            else:
                svg.marker(marker, xpos(pt.x), ypos(pt.value), colour, hollow)

    # Value labels: the highest value of a period above its marker, the others below, moved
    # aside where that would cover another label or marker.
    top_of: dict[int, float] = {}  # the highest marker (least y) of each period
    for _x, y, pt, _line in points:
        top_of[pt.x] = min(y, top_of.get(pt.x, y))
    look = {id(line): (STYLES[line.series.value][0], line.series.value == "actual")
            for line in _lines(data)}  # colour, bold
    for x, y, pt, line in sorted(points, key=lambda p: (p[2].x, p[1])):
        highest = top_of[pt.x] == y
        colour, bold = look[id(line)]
        label = short_value(pt.value, unit)
        if pt.qualifier:
            label = f"{pt.qualifier} {label}"
        lx, ly, anchor = placer.place(label, LABEL_SIZE, bold, x, y, prefer_above=highest)
        svg.text(lx, ly, label, size=LABEL_SIZE, anchor=anchor, colour=colour, bold=bold)
    if data.target_value is not None:
        y = ypos(data.target_value)
        when = f" by {data.indicator.target_period}" if data.indicator.target_period else ""
        label = f"Target{when}: {short_value(data.target_value, unit)}"
        lx, ly, anchor = placer.place_level(label, LABEL_SIZE, y)
        svg.text(lx, ly, label, size=LABEL_SIZE, anchor=anchor, colour=palette.TARGET)
    return svg.render()


def _legend_rows(legend, left: float, right: float):
    """The legend's entries with their x, in rows that fit between left and right."""
    rows: list[list] = []
    x = right + 1
    for entry in legend:
        needed = 28 + text_width(entry[0], LABEL_SIZE)
        if x + needed > right:
            rows.append([])
            x = left
        rows[-1].append((x, entry))
        x += needed + 18
    return rows


class _Placer:
    """Where labels go: the first of a few places near their point that covers no marker and
    no label already placed, inside the plot."""

    def __init__(self, left: float, top: float, right: float, bottom: float) -> None:
        self.bounds = (left, top - 14, right, bottom)
        self.taken: list[tuple[float, float, float, float]] = []

    def take(self, x0: float, y0: float, x1: float, y1: float) -> None:
        self.taken.append((x0, y0, x1, y1))

    def _free(self, box) -> bool:
        x0, y0, x1, y1 = box
        left, top, right, bottom = self.bounds
        if x0 < left - 4 or x1 > right + 4 or y0 < top or y1 > bottom:
            return False
        for bx0, by0, bx1, by1 in self.taken:  # noqa: SIM110 (a loop: quicker than any())
            if x0 < bx1 and bx0 < x1 and y0 < by1 and by0 < y1:
                return False
        return True

    def _choose(self, candidates, w: float, size: float):
        """candidates: (x, baseline y, anchor); returns (x, y, anchor) for svg.text."""
        above, below = size * 0.8, size * 0.25
        half = w / 2
        for c in candidates:
            x, y, anchor = c
            x0 = x if anchor == "start" else x - half if anchor == "middle" else x - w
            box = (x0 - 1, y - above, x0 + w + 1, y + below)
            if self._free(box):
                self.taken.append(box)
                return c
        x, y, anchor = c = candidates[0]
        x0 = x if anchor == "start" else x - half if anchor == "middle" else x - w
        self.taken.append((x0 - 1, y - above, x0 + w + 1, y + below))
        return c

    def place(self, text: str, size: float, bold: bool, x: float, y: float,
              prefer_above: bool) -> tuple[float, float, str]:
        w = text_width(text, size, bold)
        above, below = (x, y - 10, "middle"), (x, y + 19, "middle")
        sides = [(x + 9, y + 4, "start"), (x - 9, y + 4, "end"), (x, y - 24, "middle"),
                 (x, y + 33, "middle")]
        order = [above, below] if prefer_above else [below, above]
        return self._choose([*order, *sides], w, size)

    def place_level(self, text: str, size: float, y: float) -> tuple[float, float, str]:
        w = text_width(text, size)
        left, _top, right, _bottom = self.bounds
        middle = (left + right) / 2
        candidates = [(right - 4, y - 5, "end"), (left + 4, y - 5, "start"),
                      (right - 4, y + 14, "end"), (left + 4, y + 14, "start"),
                      (middle, y - 5, "middle"), (middle, y + 14, "middle")]
        return self._choose(candidates, w, size)


def _segments(line: ChartLine) -> list[list[ChartPoint]]:
    """Runs of points in adjacent periods: the line is drawn within a run, never across a gap."""
    runs: list[list[ChartPoint]] = []
    for pt in line.points:
        if runs and pt.x == runs[-1][-1].x + 1:
            runs[-1].append(pt)
        else:
            runs.append([pt])
    return runs


def _gap_runs(line: ChartLine) -> list[tuple[int, int]]:
    """(first, last) axis positions of each run of periods with no value between two values."""
    gaps = []
    for a, b in zip(line.points, line.points[1:]):
        if b.x > a.x + 1:
            gaps.append((a.x + 1, b.x - 1))
    return gaps


# --- the status chart of the summary -------------------------------------------------------


def status_svg(rows: list[tuple[str, StatusCounts]], alt: str, width: int = WIDTH) -> tuple[str, int]:
    """Stacked horizontal bars, one per row, each part marked with its status shape and count
    (in ink_on its fill, 4.5:1 or more), the total at the end and after it, in the status's ink,
    the parts too narrow for their mark; a legend of shape and word. So no part is told by its
    colour alone. Returns the SVG and its height."""
    label_width = 220.0
    bar_left = label_width + 12
    bar_width = width - bar_left - 120  # room after each bar for its total and small parts
    row_height = 30.0
    present = [s for s in Status if any(c[s] for _label, c in rows)]
    legend_columns = 3
    legend_rows = max(1, -(-len(present) // legend_columns))
    height = int(8 + row_height * len(rows) + 16 + 20 * legend_rows + 4)
    svg = _Svg(width, height, alt, "status")
    most = max((c.total for _label, c in rows), default=0) or 1
    # The ink on each status's fill, worked out once per status (four luminances each), not
    # twice for every part of every bar.
    ink = {status: palette.ink_on(palette.STATUS_FILL[status]) for status in present}
    for index, (label, counts) in enumerate(rows):
        y = 8 + index * row_height
        lines = _wrap(label, LABEL_SIZE, label_width)
        first = y + row_height / 2 - (len(lines) - 1) * 7 + 4
        for n, text in enumerate(lines):
            svg.text(label_width, first + n * 14, text, anchor="end")
        x = bar_left
        outside: list[Status] = []  # parts too narrow for their label: labelled after the bar
        for status in Status:
            n = counts[status]
            if not n:
                continue
            w = bar_width * n / most
            fill = palette.STATUS_FILL[status]
            outline = palette.STATUS_OUTLINE if ink[status] == palette.INK else palette.PAPER
            svg.add(f'<rect x="{x + 0.75:.1f}" y="{y + 3:.1f}" width="{w - 1.5:.1f}" '
                    f'height="{row_height - 8:.1f}" fill="{fill}" stroke="{outline}" '
                    'stroke-width="1"/>')
            mark = f"{status.shape} {n}"
            if text_width(mark, LABEL_SIZE, bold=True) + 8 <= w:
                svg.text(x + w / 2, y + row_height / 2 + 3, mark, anchor="middle",
                         colour=ink[status], bold=True)
            else:
                outside.append(status)
            x += w
        total = str(counts.total)
        svg.text(x + 6, y + row_height / 2 + 3, total, bold=True)
        x += 6 + text_width(total, LABEL_SIZE, bold=True) + 8
        for status in outside:
            mark = f"{status.shape} {counts[status]}"
            svg.text(x, y + row_height / 2 + 3, mark, colour=palette.STATUS_INK[status],
                     bold=True)
            x += text_width(mark, LABEL_SIZE, bold=True) + 8
    y = 8 + row_height * len(rows) + 12
    column = (width - bar_left) / legend_columns
    for index, status in enumerate(present):
        cx = bar_left + (index % legend_columns) * column
        cy = y + (index // legend_columns) * 20
        fill = palette.STATUS_FILL[status]
        svg.add(f'<rect x="{cx:.1f}" y="{cy + 2:.1f}" width="13" height="13" fill="{fill}" '
                f'stroke="{palette.STATUS_OUTLINE}" stroke-width="1"/>')
        svg.text(cx + 19, cy + 13, f"{status.shape} {status.label}")
    return svg.render(), height


def _wrap(text: str, size: float, width: float) -> list[str]:
    """At most two lines; a longer text ends with an ellipsis."""
    if text_width(text, size) <= width:
        return [text]
    words = text.split()
    first: list[str] = []
    while words and text_width(" ".join([*first, words[0]]), size) <= width:
        first.append(words.pop(0))
    rest = " ".join(words)
    while rest and text_width(rest, size) > width:
        rest = rest[:-2].rstrip() + "…"
        if rest == "…":
            break
    return [" ".join(first), rest] if first else [rest]
