"""The floors: the same work done with the bare libraries (sqlite3, PySide6, pyqtgraph, openpyxl,
python-docx, Typst), none of the tracker's code. Each does what the tracker shows or writes, no
less (the same rows, cells, styles, charts and text) and no more (no undo, checks, history,
sealing). The tracker's reports draw their charts as SVG (and Word's pictures from that SVG), so
the report floors draw the same charts as bare SVG strings, not through pyqtgraph.
"""

from __future__ import annotations

import io
import re
import sqlite3
from copy import copy
from dataclasses import dataclass, field
from datetime import date, datetime
from html import escape
from itertools import pairwise
from pathlib import Path

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QTreeView

STATUS_LABELS = {
    "not_assessed": ("○", "Not assessed"), "not_started": ("◌", "Not started"),
    "on_track": ("●", "On track"), "at_risk": ("▲", "At risk"), "off_track": ("■", "Off track"),
    "complete": ("✔", "Complete"), "carried_forward": ("➜", "Carried forward"),
    "discontinued": ("✖", "Discontinued"),
}
STATUS_COLOURS = {
    "not_assessed": "#9ca3af", "not_started": "#6b7280", "on_track": "#1a7f37",
    "at_risk": "#b7791f", "off_track": "#b42318", "complete": "#1f4e79",
    "carried_forward": "#6b46c1", "discontinued": "#374151",
}
FONTS = Path(__file__).resolve().parents[1] / "tracker" / "reports" / "fonts"
COLUMNS = ("Code", "Plan, priority or commitment", "Status", "Lead", "Last updated")


def connect(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"file:{path}?mode=ro", uri=True)


def short_date(stamp: str) -> str:
    return datetime.fromisoformat(stamp).astimezone().strftime("%d %b %Y") if stamp else ""


def fts_query(text: str) -> str | None:
    words = re.findall(r"\w+", text)
    if not words:
        return None
    return " ".join(f'"{w}"' for w in words) + "*"


# --- the tree -----------------------------------------------------------------------------------

class BareTree:
    """A QTreeView over a QStandardItemModel filled by bare SQL: plan, priorities with their
    status counts, and (filtered) the matching commitments under them."""

    def __init__(self, path: Path) -> None:
        self.conn = connect(path)
        self.model = QStandardItemModel()
        self.view = QTreeView()
        self.view.setUniformRowHeights(True)
        self.view.setAlternatingRowColors(True)
        self.view.setModel(self.model)
        self.view.resize(820, 760)

    def _counts_text(self, counts: dict[str, int]) -> str:
        parts = [f"{n} {STATUS_LABELS[s][0]}" for s, n in counts.items() if n]
        return "  ".join(parts) if parts else "no commitments"

    def show_plan(self) -> None:
        """What the window shows on opening: the plan open to its priorities with counts."""
        counts: dict[int, dict[str, int]] = {}
        for pid, status, n in self.conn.execute(
                "SELECT c.priority_id, c.status, count(*) FROM commitment c JOIN priority p "
                "ON p.id = c.priority_id WHERE c.parent_id IS NULL GROUP BY 1, 2"):
            counts.setdefault(pid, {})[status] = n
        self._fill(counts, None)

    def show_filter(self, text: str) -> int:
        """The commitments matching the typed words (or with a sub-point that matches), under
        their priorities, all opened in one relayout."""
        query = fts_query(text)
        if query is None:
            self.show_plan()
            return 0
        rows = self.conn.execute(
            "WITH m AS (SELECT rowid AS id FROM commitment_fts WHERE commitment_fts MATCH ?) "
            "SELECT c.priority_id, c.code, c.text, c.status, c.lead, c.updated_at "
            "FROM commitment c WHERE c.parent_id IS NULL AND (c.id IN m OR lower(c.code) = ? "
            "OR c.id IN (SELECT s.parent_id FROM commitment s WHERE s.id IN m)) "
            "ORDER BY c.priority_id, c.position", (query, text.strip().lower())).fetchall()
        found: dict[int, list] = {}
        counts: dict[int, dict[str, int]] = {}
        for r in rows:
            found.setdefault(r[0], []).append(r)
            shown = counts.setdefault(r[0], {})
            shown[r[3]] = shown.get(r[3], 0) + 1
        self._fill(counts, found)
        return len(rows)

    def _fill(self, counts: dict[int, dict[str, int]], found: dict[int, list] | None) -> None:
        """The plans, each with its priorities and their status counts; filtered (`found`
        given), only the priorities with matches, their matching commitments under them."""
        self.model.clear()
        self.model.setHorizontalHeaderLabels(COLUMNS)
        root = self.model.invisibleRootItem()
        for plan_id, title, period, state in self.conn.execute(
                "SELECT id, title, period, state FROM plan ORDER BY period"):
            plan = QStandardItem(f"{title}   ({period} · {state})")
            root.appendRow(plan)
            for pid, number, ptitle in self.conn.execute(
                    "SELECT id, number, title FROM priority WHERE plan_id = ? ORDER BY number",
                    (plan_id,)):
                if found is not None and pid not in found:
                    continue
                priority = QStandardItem(f"P{number}")
                plan.appendRow([priority, QStandardItem(ptitle),
                                QStandardItem(self._counts_text(counts.get(pid, {}))),
                                QStandardItem(""), QStandardItem("")])
                for _pid, code, ctext, status, lead, updated in (found or {}).get(pid, ()):
                    shape, label = STATUS_LABELS[status]
                    priority.appendRow([QStandardItem(code or ""), QStandardItem(ctext),
                                        QStandardItem(f"{shape} {label}"),
                                        QStandardItem(lead or "—"),
                                        QStandardItem(short_date(updated))])
        for row in range(self.model.rowCount()):
            self.view.setFirstColumnSpanned(row, self.view.rootIndex(), True)
        self.view.expandToDepth(0 if found is None else 1)

    def close(self) -> None:
        self.view.close()
        self.view.deleteLater()
        self.conn.close()


# --- charts -------------------------------------------------------------------------------------

@dataclass
class ChartRows:
    """One indicator's values as bare SQL reads them."""

    id: int
    name: str
    unit: str
    baseline_period: str | None
    target: float | None
    periods: list[str] = field(default_factory=list)
    series: dict[str, dict[str, float]] = field(default_factory=dict)


def chart_rows(conn: sqlite3.Connection, plan_id: int | None = None) -> list[ChartRows]:
    charts: dict[int, ChartRows] = {}
    where = "WHERE p.plan_id = ?" if plan_id is not None else ""
    args = (plan_id,) if plan_id is not None else ()
    for iid, name, unit, base, target in conn.execute(
            f"SELECT i.id, i.name, i.unit, i.baseline_period, i.target_value FROM indicator i "
            f"JOIN priority p ON p.id = i.priority_id {where} ORDER BY p.number, i.number", args):
        charts[iid] = ChartRows(iid, name, unit, base, target)
    starts: dict[str, str] = {}
    for iid, period, start, series, value in conn.execute(
            "SELECT indicator_id, period, period_start, series, value FROM indicator_value "
            "WHERE state != 'withheld' ORDER BY indicator_id, period_start, length(period)"):
        chart = charts.get(iid)
        if chart is None:
            continue
        chart.series.setdefault(series, {})[period] = value
        starts[period] = start
    for chart in charts.values():
        seen = {p for s in chart.series.values() for p in s}
        chart.periods = sorted(seen, key=lambda p: (starts[p], len(p)))
    return list(charts.values())


SERIES = {"actual": ("#1f4e79", "o", "Actual"), "comparison": ("#c05621", "s", "Comparison group"),
          "target": ("#6b46c1", "d", "Target")}


def draw_chart(plot: pg.PlotItem, chart: ChartRows, compact: bool) -> None:
    """The chart as bare pyqtgraph draws it: a line with markers per series (broken at a gap),
    the baseline and target as horizontal lines, period labels, a legend for several series."""
    plot.clear()
    index = {p: i for i, p in enumerate(chart.periods)}
    if len(chart.series) > 1 and not compact:
        plot.addLegend(offset=(10, 5))
    for name, values in chart.series.items():
        colour, symbol, label = SERIES[name]
        xs = [index[p] for p in chart.periods if p in values]
        ys = [values[p] for p in chart.periods if p in values]
        connect = [b - a == 1 for a, b in pairwise(xs)] + [False]
        plot.plot(xs, ys, pen=pg.mkPen(colour, width=2.5), symbol=symbol, symbolSize=11,
                  symbolBrush=colour, symbolPen=colour, connect=np.array(connect),
                  name=label)
    actual = chart.series.get("actual", {})
    if chart.baseline_period in actual:
        plot.addItem(pg.InfiniteLine(actual[chart.baseline_period], angle=0,
                                     pen=pg.mkPen("#4b5563", width=1.5, style=Qt.PenStyle.DashLine),
                                     label=f"Baseline {chart.baseline_period}"))
    if chart.target is not None:
        plot.addItem(pg.InfiniteLine(chart.target, angle=0,
                                     pen=pg.mkPen("#6b46c1", width=1.5, style=Qt.PenStyle.DotLine),
                                     label="Target"))
    step = max(1, -(-len(chart.periods) // (6 if compact else 12)))
    plot.getAxis("bottom").setTicks([[(i, p) for i, p in enumerate(chart.periods) if i % step == 0], []])
    plot.showGrid(y=True, alpha=0.12)


SVG_W, SVG_H = 640, 300


def _nice_ticks(low: float, high: float, most: int = 6) -> list[float]:
    span = (high - low) or 1.0
    raw = span / most
    magnitude = 10 ** np.floor(np.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    first = np.floor(low / step) * step
    return [float(first + i * step) for i in range(int(np.ceil((high - first) / step)) + 1)]


def chart_svg(chart: ChartRows) -> str:
    """The chart as a bare SVG string: a title, a legend, value axis with ticks and grid, period
    labels, a line with markers per series (broken at a gap), each value labelled, the baseline
    and target as horizontal lines with their labels."""
    w, h = SVG_W, SVG_H
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" '
           f'viewBox="0 0 {w} {h}" role="img" font-family="Liberation Sans, DejaVu Sans">'
           f"<title>Chart of {escape(chart.name)}</title>"
           f'<rect width="{w}" height="{h}" fill="#ffffff"/>']
    values = [v for series in chart.series.values() for v in series.values()]
    if chart.target is not None:
        values.append(chart.target)
    if not values:
        out.append(f'<text x="{w / 2}" y="{h / 2}" text-anchor="middle">No values stated</text>')
        return "".join(out) + "</svg>"
    low, high = min(0.0, min(values)), max(values)
    ticks = _nice_ticks(low, high * 1.12 or 1.0)
    left, right, top, bottom = 70, w - 16, 48, h - 44
    lo, hi = ticks[0], ticks[-1]
    band = (right - left) / max(len(chart.periods), 1)

    def ypos(v: float) -> float:
        return bottom - (v - lo) / ((hi - lo) or 1) * (bottom - top)

    def xpos(i: int) -> float:
        return left + band * (i + 0.5)

    x = 16
    for name in chart.series:
        colour, _symbol, label = SERIES[name]
        out.append(f'<line x1="{x}" y1="14" x2="{x + 22}" y2="14" stroke="{colour}" '
                   f'stroke-width="2"/><circle cx="{x + 11}" cy="14" r="4" fill="{colour}"/>'
                   f'<text x="{x + 28}" y="18" font-size="11.5">{label}</text>')
        x += 40 + 7 * len(label)
    out.append(f'<text x="{left - 10}" y="{top - 10}" font-size="12" font-weight="bold" '
               f'fill="#4b5563">{escape(chart.unit or "")}</text>')
    for t in ticks:
        y = ypos(t)
        out.append(f'<line x1="{left}" y1="{y:.1f}" x2="{right}" y2="{y:.1f}" stroke="#e5e7eb"/>'
                   f'<text x="{left - 6}" y="{y + 4:.1f}" font-size="11" text-anchor="end" '
                   f'fill="#4b5563">{t:,.0f}</text>')
    out.append(f'<line x1="{left}" y1="{bottom}" x2="{right}" y2="{bottom}" stroke="#4b5563"/>')
    every = max(1, int(np.ceil(60 / band)))
    for i, period in enumerate(chart.periods):
        out.append(f'<line x1="{xpos(i):.1f}" y1="{bottom}" x2="{xpos(i):.1f}" '
                   f'y2="{bottom + 4}" stroke="#4b5563"/>')
        if i % every == 0 or i == len(chart.periods) - 1:
            out.append(f'<text x="{xpos(i):.1f}" y="{bottom + 17}" font-size="11" '
                       f'text-anchor="middle" fill="#4b5563">{escape(period)}</text>')
    out.append(f'<text x="{(left + right) / 2}" y="{h - 8}" font-size="12" font-weight="bold" '
               f'text-anchor="middle" fill="#4b5563">Period</text>')
    actual = chart.series.get("actual", {})
    if chart.baseline_period in actual:
        y = ypos(actual[chart.baseline_period])
        out.append(f'<line x1="{left}" y1="{y:.1f}" x2="{right}" y2="{y:.1f}" stroke="#4b5563" '
                   f'stroke-dasharray="5 4"/><text x="{right - 4}" y="{y - 4:.1f}" '
                   f'font-size="11.5" text-anchor="end">Baseline {chart.baseline_period}</text>')
    if chart.target is not None:
        y = ypos(chart.target)
        out.append(f'<line x1="{left}" y1="{y:.1f}" x2="{right}" y2="{y:.1f}" stroke="#6b46c1" '
                   f'stroke-width="1.5" stroke-dasharray="2 3"/><text x="{right - 4}" '
                   f'y="{y - 4:.1f}" font-size="11.5" text-anchor="end" fill="#6b46c1">'
                   f"Target: {chart.target:,.0f}</text>")
    index = {p: i for i, p in enumerate(chart.periods)}
    for name, series in chart.series.items():
        colour = SERIES[name][0]
        xs = [index[p] for p in chart.periods if p in series]
        runs: list[list[int]] = []
        for i in xs:
            if runs and i - runs[-1][-1] == 1:
                runs[-1].append(i)
            else:
                runs.append([i])
        for run in runs:
            if len(run) > 1:
                points = " ".join(f"{xpos(i):.1f},{ypos(series[chart.periods[i]]):.1f}"
                                  for i in run)
                out.append(f'<polyline points="{points}" fill="none" stroke="{colour}" '
                           f'stroke-width="2.2" stroke-linejoin="round"/>')
        for i in xs:
            value = series[chart.periods[i]]
            out.append(f'<circle cx="{xpos(i):.1f}" cy="{ypos(value):.1f}" r="4.5" '
                       f'fill="{colour}" stroke="{colour}" stroke-width="1.8"/>'
                       f'<text x="{xpos(i):.1f}" y="{ypos(value) - 9:.1f}" font-size="11.5" '
                       f'text-anchor="middle" fill="{colour}">{value:,.0f}</text>')
    return "".join(out) + "</svg>"


def status_svg(rows: list[tuple[str, dict[str, int]]]) -> str:
    """Stacked bars of commitments by status, one per priority, as a bare SVG string."""
    w, bar = SVG_W, 22
    h = 40 + bar * 1.5 * len(rows)
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h:.0f}" '
           f'viewBox="0 0 {w} {h:.0f}" role="img" font-family="Liberation Sans, DejaVu Sans">'
           '<title>Commitments by status</title>'
           f'<rect width="{w}" height="{h:.0f}" fill="#ffffff"/>']
    most = max((sum(c.values()) for _l, c in rows), default=1) or 1
    for n, (label, counts) in enumerate(rows):
        y = 20 + n * bar * 1.5
        out.append(f'<text x="8" y="{y + 15:.1f}" font-size="11">{escape(label[:40])}</text>')
        x = 260.0
        for status, count in counts.items():
            width = count / most * (w - 280)
            out.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{width:.1f}" height="{bar}" '
                       f'fill="{STATUS_COLOURS[status]}"/>')
            if width > 20:
                out.append(f'<text x="{x + width / 2:.1f}" y="{y + 15:.1f}" font-size="11" '
                           f'text-anchor="middle" fill="#ffffff">{count}</text>')
            x += width
    return "".join(out) + "</svg>"


def svgs_to_pngs(svgs: list[str], scale: float = 2.0) -> list[bytes]:
    """SVG pictures as PNG with bare Typst: one compile, a page per picture."""
    import json
    import tempfile

    import typst

    with tempfile.TemporaryDirectory() as folder:
        listed = []
        for n, svg in enumerate(svgs):
            (Path(folder) / f"p{n}.svg").write_text(svg, encoding="utf-8")
            width, height = re.search(r'width="([\d.]+)" height="([\d.]+)"', svg).groups()
            listed.append({"file": f"p{n}.svg", "width": float(width), "height": float(height)})
        compiler = typst.Compiler(root=folder, font_paths=_typst_fonts())
        pages = compiler.compile(TYPST_PICTURES, format="png", ppi=96 * scale,
                                 sys_inputs={"pictures": json.dumps(listed)})
    return [pages] if isinstance(pages, bytes) else list(pages)


TYPST_PICTURES = b"""
#let pictures = json(bytes(sys.inputs.at("pictures")))
#set page(margin: 0pt)
#for (index, p) in pictures.enumerate() {
  if index > 0 { pagebreak() }
  set page(width: p.width * 0.75pt, height: p.height * 0.75pt)
  image(p.file, width: 100%, height: 100%, alt: "")
}
"""


# --- report content -----------------------------------------------------------------------------
#
# The closure report as ours writes it, read by bare SQL and worded in plain Python: a title and
# contents; an executive summary (evidence and status counts, the status chart, a table of them
# by chapter, a table of every indicator's change); a chapter per priority (its plan, objective,
# partnership and outcome, each indicator's chart with its change, its turns and its target, a
# sentence on its commitments); and an appendix of every commitment with its status and its
# evidence (internal evidence left out), sub-points under it. As blocks, written by each writer.

ROMAN = ["i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii", "xiii",
         "xiv", "xv", "xvi", "xvii", "xviii", "xix", "xx"]


def _number(value: float) -> str:
    if float(value).is_integer():
        return f"{value:,.0f}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def _value(value: float, unit: str) -> str:
    if unit == "pounds":
        return f"£{value:,.0f}" if float(value).is_integer() else f"£{value:,.2f}"
    return f"{_number(value)} per cent" if unit == "percent" else _number(value)


def _listed(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def _change(chart: ChartRows, polarity: str) -> tuple[str, str | None, str | None]:
    """The change from the baseline (or first) value to the latest in words, its direction,
    and the turns in between ("It rose to ..., fell to ... and rose again to ...")."""
    actual = chart.series.get("actual", {})
    order = [p for p in chart.periods if p in actual]
    if not order:
        return "No value stated.", None, None
    last = order[-1]
    if len(order) == 1:
        return f"{_value(actual[last], chart.unit)} in {last}; no earlier value stated.", None, None
    first = chart.baseline_period if chart.baseline_period in actual else order[0]
    if first == last:
        first = order[0]
    a, b = actual[first], actual[last]
    delta = b - a
    if delta == 0:
        return f"Unchanged at {_value(b, chart.unit)} between {first} and {last}.", \
            "Unchanged", None
    if chart.unit == "percent":
        size = f"{_number(round(abs(delta), 2))} percentage point{'s' if abs(delta) != 1 else ''}"
    elif a == 0:
        size = _value(abs(delta), chart.unit)
    else:
        share = abs(delta) / abs(a) * 100
        size = f"{share:.1f} per cent" if share < 0.5 else f"{share:.0f} per cent"
    word = "an increase" if delta > 0 else "a reduction"
    better = (delta < 0) == (polarity == "lower_is_better")
    sentence = (f"From {_value(a, chart.unit)} in {first} to {_value(b, chart.unit)} in {last}, "
                f"{word} of {size}.")
    run = order[order.index(first):]
    turns: list[list] = []  # [sign, period] where each run of rises or falls ends
    for before, after in pairwise(run):
        step = actual[after] - actual[before]
        sign = (step > 0) - (step < 0)
        if sign == 0 or (turns and turns[-1][0] == sign):
            if turns:
                turns[-1][1] = after
            continue
        turns.append([sign, after])
    path = None
    if len(turns) > 1:
        seen: set[int] = set()
        steps = []
        for sign, period in turns:
            verb = ("rose" if sign > 0 else "fell") + (" again" if sign in seen else "")
            seen.add(sign)
            steps.append(f"{verb} to {_value(actual[period], chart.unit)} in {period}")
        path = f"It {_listed(steps)}."
    return sentence, "✓ Improved" if better else "✗ Worsened", path


def report_blocks(path: Path) -> tuple[str, list[dict], dict[str, str]]:
    """The report's title, its blocks in order, and its charts as SVG by id."""
    conn = connect(path)
    plan_id, plan_title = conn.execute("SELECT id, title FROM plan LIMIT 1").fetchone()
    title = f"{plan_title}: Closure Report"
    charts = {c.id: c for c in chart_rows(conn, plan_id)}
    evidence: dict[int, list] = {}
    for cid, text in conn.execute(
            "SELECT commitment_id, text FROM evidence WHERE visibility != 'internal' "
            "ORDER BY commitment_id, position, id"):
        # A bullet's own "- " lines are bullets under it, as the tracker lays them out.
        first, *rest = text.split("\n")
        inner = [line[2:] for line in rest if line.startswith("- ")]
        after = " ".join(line for line in rest if not line.startswith("- "))
        evidence.setdefault(cid, []).append(
            {"text": first, "items": inner, "after": after} if rest else text)
    priorities = conn.execute(
        "SELECT id, number, title, objective, partnership, outcome FROM priority "
        "WHERE plan_id = ? ORDER BY number", (plan_id,)).fetchall()
    commitments: dict[int, list] = {}
    for row in conn.execute(
            "SELECT c.id, c.priority_id, c.parent_id, c.code, c.text, c.status FROM commitment "
            "c JOIN priority p ON p.id = c.priority_id WHERE p.plan_id = ? "
            "ORDER BY c.parent_id IS NOT NULL, c.position, c.id", (plan_id,)):
        commitments.setdefault(row[1], []).append(row)
    indicators: dict[int, list] = {}
    for iid, pid, polarity in conn.execute(
            "SELECT i.id, i.priority_id, i.polarity FROM indicator i JOIN priority p ON "
            "p.id = i.priority_id WHERE p.plan_id = ? ORDER BY i.number, i.id", (plan_id,)):
        indicators.setdefault(pid, []).append((charts[iid], polarity))
    conn.close()

    svgs: dict[str, str] = {}
    chapters, summary_rows, headline, appendix = [], [], [], []
    overall: dict[str, int] = {}
    evidenced_all = 0
    for k, (pid, number, ptitle, objective, partnership, outcome) in enumerate(priorities,
                                                                               start=2):
        heading = f"{k}. {ptitle}"
        rows = commitments.get(pid, [])
        tops = [r for r in rows if r[2] is None]
        subs: dict[int, list] = {}
        for r in rows:
            if r[2] is not None:
                subs.setdefault(r[2], []).append(r)
        counts: dict[str, int] = {}
        for r in tops:
            counts[r[5]] = counts.get(r[5], 0) + 1
            overall[r[5]] = overall.get(r[5], 0) + 1
        evidenced = sum(1 for r in tops if evidence.get(r[0]) or any(
            evidence.get(s[0]) for s in subs.get(r[0], ())))
        evidenced_all += evidenced
        summary_rows.append((heading, evidenced, counts))
        blocks = [{"t": "h", "level": 1, "text": heading},
                  {"t": "p", "text": f"{plan_title}, priority {number}.", "note": True},
                  {"t": "p", "lead": "Our objective is ", "text": objective or ""},
                  {"t": "p", "text": partnership or ""},
                  {"t": "p", "lead": "So that ", "text": outcome or ""}]
        for n, (chart, polarity) in enumerate(indicators.get(pid, []), start=1):
            label = f"{k} ({ROMAN[n - 1]})"
            span = f", {chart.periods[0]} to {chart.periods[-1]}" if len(chart.periods) > 1 \
                else (f", {chart.periods[0]}" if chart.periods else "")
            key = f"ind-{chart.id}"
            svgs[key] = chart_svg(chart)
            change, direction, path_words = _change(chart, polarity)
            blocks.append({"t": "figure", "id": key,
                           "caption": f"Figure {label}: {chart.name}{span}"})
            blocks.append({"t": "p", "text": change, "tail": direction})
            if path_words:
                blocks.append({"t": "p", "text": path_words})
            if chart.target is not None:
                blocks.append({"t": "p", "text": f"Target: {_value(chart.target, chart.unit)}."})
            headline.append([label, chart.name, change, direction or ""])
        described = ", ".join(f"{counts[s]} {STATUS_LABELS[s][1].lower()}"
                              for s in STATUS_LABELS if counts.get(s))
        blocks += [{"t": "h", "level": 2, "text": "Commitments"},
                   {"t": "p", "text": f"{len(tops)} commitments, {evidenced} with evidence of "
                                      f"delivery: {described}. Each is set out with its "
                                      "evidence in Appendix 1."}]
        chapters += blocks
        appendix += [{"t": "h", "level": 2, "text": f"{number}. {ptitle}"},
                     {"t": "h", "level": 3, "text": plan_title},
                     {"t": "p", "lead": "Our objective is ", "text": objective or ""}]
        for cid, _pid, _parent, code, text, status in tops:
            shape, word = STATUS_LABELS[status]
            appendix.append({"t": "h", "level": 4,
                             "text": f"{shape} {word} {code}. {text}" if code else text})
            if evidence.get(cid):
                appendix.append({"t": "list", "items": evidence[cid]})
            for sid, _p, _q, scode, stext, sstatus in subs.get(cid, ()):
                sshape, sword = STATUS_LABELS[sstatus]
                appendix.append({"t": "p", "text": f"{sshape} {sword} {scode}. {stext}",
                                 "indent": True})
                if evidence.get(sid):
                    appendix.append({"t": "list", "items": evidence[sid], "indent": True})
        appendix.append({"t": "p", "lead": "So that ", "text": outcome or ""})

    total = sum(overall.values())
    today = date.today()
    svgs["status"] = status_svg([(h, c) for h, _e, c in summary_rows])
    shown = [s for s in STATUS_LABELS if overall.get(s)]
    table = [[h, str(e), *(str(c.get(s, 0)) for s in shown), str(sum(c.values()))]
             for h, e, c in summary_rows]
    table.append(["All chapters", str(evidenced_all), *(str(overall[s]) for s in shown),
                  str(total)])
    heads = [b["text"] for b in chapters if b["t"] == "h" and b["level"] == 1]
    blocks = [
        {"t": "p", "text": plan_title},
        {"t": "p", "text": f"Produced on {today.day} {today:%B %Y} from the Commitment "
                           "Tracker."},
        {"t": "p", "text": "All evidence and indicator values recorded for the plan."},
        {"t": "p", "text": "Evidence marked internal only is left out."},
        {"t": "contents", "items": ["1. Executive Summary", *heads,
                                    "Appendix 1. The Priorities and ‘We Wills’"]},
        {"t": "h", "level": 1, "text": "1. Executive Summary"},
        {"t": "h", "level": 2, "text": "Commitments: evidence of delivery and status"},
        {"t": "p", "text": f"{evidenced_all:,} of the {total:,} commitments have evidence of "
                           "delivery."},
        {"t": "p", "text": "Status of the commitments: " + ", ".join(
            f"{overall[s]} {STATUS_LABELS[s][1].lower()}" for s in shown) + "."},
        {"t": "figure", "id": "status", "caption": "Figure 1 (i): Commitments by status in "
                                                   "each chapter."},
        {"t": "table", "caption": "Commitments with evidence of delivery, and by status, in "
                                  "each chapter.",
         "head": ["Chapter", "With evidence",
                  *(" ".join(STATUS_LABELS[s]) for s in shown), "Total"], "rows": table},
        {"t": "h", "level": 2, "text": "Headline indicator changes"},
        {"t": "table", "caption": "The change from the first to the latest value of each "
                                  "indicator.",
         "head": ["Figure", "Indicator", "Change", "Direction"], "rows": headline},
        *chapters,
        {"t": "h", "level": 1, "text": "Appendix 1. The Priorities and ‘We Wills’"},
        {"t": "p", "text": "Each plan's priorities and ‘We will’ commitments as written, in the "
                           "order of the plan, with each commitment's status and the evidence "
                           "of its delivery; a sub-point's evidence is under the sub-point."},
        *appendix,
    ]
    return title, blocks, svgs


def _html_item(item: str | dict) -> str:
    if isinstance(item, str):
        return f"<li>{escape(item)}</li>"
    inner = "".join(f"<li>{escape(i)}</li>" for i in item["items"])
    return (f"<li>{escape(item['text'])}" + (f"<ul>{inner}</ul>" if inner else "") +
            (f"<p>{escape(item['after'])}</p>" if item["after"] else "") + "</li>")


def report_html(title: str, blocks: list[dict], svgs: dict[str, str]) -> str:
    parts = [f"<!DOCTYPE html><html lang='en-GB'><head><meta charset='utf-8'><title>"
             f"{escape(title)}</title></head><body><h1>{escape(title)}</h1>"]
    for b in blocks:
        kind = b["t"]
        if kind == "h":
            parts.append(f"<h{b['level'] + 1}>{escape(b['text'])}</h{b['level'] + 1}>")
        elif kind == "p":
            lead = f"<strong>{escape(b['lead'])}</strong>" if b.get("lead") else ""
            tail = f" <strong>{escape(b['tail'])}</strong>" if b.get("tail") else ""
            parts.append(f"<p>{lead}{escape(b['text'])}{tail}</p>")
        elif kind == "list":
            parts.append("<ul>" + "".join(_html_item(e) for e in b["items"]) + "</ul>")
        elif kind == "figure":
            parts.append(f"<figure><figcaption>{escape(b['caption'])}</figcaption>"
                         f"{svgs[b['id']]}</figure>")
        elif kind == "table":
            parts.append(f"<table><caption>{escape(b['caption'])}</caption><tr>" +
                         "".join(f"<th>{escape(h)}</th>" for h in b["head"]) + "</tr>" +
                         "".join("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in r) + "</tr>"
                                 for r in b["rows"]) + "</table>")
        elif kind == "contents":
            parts.append("<h2>Contents</h2><ul>" + "".join(
                f"<li>{escape(i)}</li>" for i in b["items"]) + "</ul>")
    parts.append("</body></html>")
    return "\n".join(parts)


def write_html(path: Path, out: Path) -> None:
    title, blocks, svgs = report_blocks(path)
    out.write_text(report_html(title, blocks, svgs), encoding="utf-8")


def write_docx(path: Path, out: Path) -> None:
    import docx
    from docx.shared import Cm

    title, blocks, svgs = report_blocks(path)
    order = list(svgs)
    pngs = dict(zip(order, svgs_to_pngs([svgs[k] for k in order])))
    document = docx.Document()
    # A paragraph's style id set directly, as the tracker does (given a style, by name or as an
    # object, python-docx searches every style of the template for each paragraph).
    ids = {name: document.styles[name].style_id for name in (
        "Title", "Heading 1", "Heading 2", "Heading 3", "Heading 4", "List Bullet",
        "List Bullet 2", "List Bullet 3", "Caption")}

    def para(text: str, style: str | None = None):
        paragraph = document.add_paragraph(text)
        if style is not None:
            paragraph._p.style = ids[style]
        return paragraph

    para(title, "Title")
    for b in blocks:
        kind = b["t"]
        if kind == "h":
            para(b["text"], f"Heading {b['level']}")
        elif kind == "p":
            paragraph = para("")
            if b.get("lead"):
                paragraph.add_run(b["lead"]).bold = True
            paragraph.add_run(b["text"])
            if b.get("tail"):
                paragraph.add_run(" " + b["tail"]).bold = True
        elif kind == "list":
            for item in b["items"]:
                if isinstance(item, str):
                    para(item, "List Bullet 2" if b.get("indent") else "List Bullet")
                    continue
                para(item["text"], "List Bullet 2" if b.get("indent") else "List Bullet")
                for inner in item["items"]:
                    para(inner, "List Bullet 3" if b.get("indent") else "List Bullet 2")
                if item["after"]:
                    para(item["after"])
        elif kind == "figure":
            para(b["caption"], "Caption")
            document.add_picture(io.BytesIO(pngs[b["id"]]), width=Cm(17))
        elif kind == "table":
            para(b["caption"], "Caption")
            table = document.add_table(rows=1 + len(b["rows"]), cols=len(b["head"]))
            for row, texts in zip(table.rows, [b["head"], *b["rows"]]):
                for cell, text in zip(row.cells, texts):
                    cell.text = text
        elif kind == "contents":
            para("Contents", "Heading 1")
            for item in b["items"]:
                para(item)
    document.save(str(out))


TYPST_TEMPLATE = b"""
#let doc = json(bytes(sys.inputs.at("document")))
#set document(title: doc.title)
#set text(font: ("Liberation Sans", "DejaVu Sans"), lang: "en", region: "GB", size: 10pt)
#set page(paper: "a4", margin: (x: 20mm, y: 20mm), footer: context [#doc.title #h(1fr) #here().page()])
#title()
#for b in doc.blocks {
  if b.t == "h" { heading(level: b.level, b.text) }
  else if b.t == "p" {
    par[#if "lead" in b { strong(b.lead) }#b.text#if "tail" in b { [ #strong(b.tail)] }]
  }
  else if b.t == "list" {
    list(..b.items.map(i => if type(i) == str { i } else {
      [#i.text #if i.items.len() > 0 { list(..i.items) } #if i.after != "" { par(i.after) }]
    }))
  }
  else if b.t == "figure" { figure(image(b.file, alt: b.caption, width: 100%), caption: b.caption) }
  else if b.t == "table" {
    figure(table(columns: b.head.len(), table.header(..b.head.map(strong)), ..b.rows.flatten()),
           caption: b.caption)
  }
  else if b.t == "contents" { outline(depth: 1) }
}
"""


_TYPST_FONTS = None


def _typst_fonts():
    """Typst's fonts, found once (as the tracker finds them once)."""
    import typst

    global _TYPST_FONTS
    if _TYPST_FONTS is None:  # the fonts the tracker ships (its text, drawn in the same faces)
        _TYPST_FONTS = typst.Fonts(include_system_fonts=False, include_embedded_fonts=False,
                                   font_paths=[str(FONTS)])
    return _TYPST_FONTS


def write_pdf(path: Path, out: Path) -> None:
    """Typst as it comes: the report's blocks as data into a short template, its charts as
    SVG files, compiled to a tagged PDF/UA-1."""
    import json
    import tempfile

    import typst

    title, blocks, svgs = report_blocks(path)
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        for key, svg in svgs.items():
            (root / f"{key}.svg").write_text(svg, encoding="utf-8")
        for b in blocks:
            if b["t"] == "figure":
                b["file"] = f"{b['id']}.svg"
        compiler = typst.Compiler(root=str(root), font_paths=_typst_fonts())
        pdf = compiler.compile(TYPST_TEMPLATE, format="pdf", pdf_standards=["ua-1"],
                               sys_inputs={"document": json.dumps({"title": title,
                                                                   "blocks": blocks})})
    out.write_bytes(pdf)


# --- workbooks ----------------------------------------------------------------------------------

@dataclass
class SheetSpec:
    title: str
    state: str
    freeze: str | None
    widths: dict[str, float]
    heights: dict[int, float]
    cells: list[tuple[int, int, object, bool, int]]  # row, column, value, quote prefix, style
    validations: list[dict]
    merged: list[str]
    protected: bool


def workbook_spec(path: Path) -> tuple[list[SheetSpec], list[tuple]]:
    """What a written workbook holds, to write it again with bare openpyxl: every cell with its
    value and style, widths, heights, validations, merges, panes and protection."""
    from openpyxl import load_workbook

    wb = load_workbook(path)
    styles: dict[tuple, int] = {}
    sheets = []
    for ws in wb.worksheets:
        cells = []
        for row in ws.iter_rows():
            for c in row:
                if c.value is None and not c.has_style:
                    continue
                key = (copy(c.font), copy(c.fill), copy(c.border), copy(c.alignment),
                       c.number_format, copy(c.protection))
                style = styles.setdefault(key, len(styles))
                cells.append((c.row, c.column, c.value, bool(c.quotePrefix), style))
        validations = [dict(type=dv.type, formula1=dv.formula1, allow_blank=dv.allow_blank,
                            showErrorMessage=dv.showErrorMessage, errorTitle=dv.errorTitle,
                            error=dv.error, promptTitle=dv.promptTitle, prompt=dv.prompt,
                            showInputMessage=dv.showInputMessage, operator=dv.operator,
                            sqref=str(dv.sqref))
                       for dv in ws.data_validations.dataValidation]
        sheets.append(SheetSpec(
            ws.title, ws.sheet_state, ws.freeze_panes,
            {k: d.width for k, d in ws.column_dimensions.items() if d.width},
            {k: d.height for k, d in ws.row_dimensions.items() if d.height},
            cells, validations, [str(m) for m in ws.merged_cells.ranges], ws.protection.sheet))
    wb.close()
    return sheets, list(styles)


LATEST_LIMIT = 280
UNIT_LABELS = {"count": "Count", "percent": "Per cent", "rate": "Rate", "score": "Score",
               "pounds": "Pounds (£)"}


def round_partners(conn: sqlite3.Connection) -> list[tuple[int, str]]:
    """The partners with commitments or indicators in an open plan, by name."""
    return conn.execute(
        "SELECT p.id, p.name FROM partner p WHERE p.id IN ("
        "SELECT cp.partner_id FROM commitment_partner cp JOIN commitment c ON c.id = "
        "cp.commitment_id JOIN priority pr ON pr.id = c.priority_id JOIN plan pl ON pl.id = "
        "pr.plan_id WHERE pl.state != 'closed' UNION SELECT ip.partner_id FROM "
        "indicator_partner ip JOIN indicator i ON i.id = ip.indicator_id JOIN priority pr ON "
        "pr.id = i.priority_id JOIN plan pl ON pl.id = pr.plan_id WHERE pl.state != 'closed') "
        "ORDER BY p.name").fetchall()


def _round_periods(round_label: str, frequency: str) -> list[str]:
    """The periods a financial-year round asks for: its quarters, or the year itself."""
    if frequency == "quarterly":
        return [f"{round_label} Q{q}" for q in range(1, 5)]
    if frequency == "annual":
        return [round_label]
    raise ValueError(f"no bare periods for {frequency}")


def partner_cells(conn: sqlite3.Connection, partner_id: int, round_label: str,
                  refs_row: int) -> dict[str, dict[tuple[int, int], object]]:
    """What a partner's workbook shows from the database, by bare SQL: a row per commitment
    (reference, priority, code, text, latest shareable evidence with its files' names,
    status), a row per indicator and period of the round (reference, priority, name, unit,
    period, latest value and its period), and the identifiers that bring the answers home
    (from `refs_row` of the hidden sheet). Sheet title: {(row, column): value}."""
    latest = ("SELECT e.{} FROM evidence e WHERE e.commitment_id = c.id AND e.visibility = "
              "'shareable' ORDER BY coalesce(e.evidence_date, e.created_at) DESC, e.id DESC "
              "LIMIT 1")
    commitments = conn.execute(
        f"SELECT c.uid, c.code, c.text, c.status, p.number, p.title, pl.period, "
        f"(SELECT s.uid FROM status_change s WHERE s.commitment_id = c.id "
        f"ORDER BY s.changed_at DESC, s.id DESC LIMIT 1), ({latest.format('text')}), "
        f"(SELECT group_concat(a.file_name, ', ') FROM (SELECT file_name FROM attachment "
        f"WHERE visibility = 'shareable' AND evidence_id = ({latest.format('id')}) "
        f"ORDER BY position, id) a) "
        f"FROM commitment_partner cp JOIN commitment c ON c.id = cp.commitment_id "
        f"JOIN priority p ON p.id = c.priority_id JOIN plan pl ON pl.id = p.plan_id "
        f"WHERE cp.partner_id = ? AND pl.state != 'closed' "
        f"ORDER BY pl.period, pl.id, p.number, c.parent_id IS NOT NULL, c.position, c.id",
        (partner_id,)).fetchall()
    indicators = conn.execute(
        "SELECT i.id, i.uid, i.name, i.unit, i.frequency, p.number, pl.period "
        "FROM indicator_partner ip JOIN indicator i ON i.id = ip.indicator_id "
        "JOIN priority p ON p.id = i.priority_id JOIN plan pl ON pl.id = p.plan_id "
        "WHERE ip.partner_id = ? AND pl.state != 'closed' "
        "ORDER BY pl.period, pl.id, p.number, i.number, i.id", (partner_id,)).fetchall()
    values: dict[int, dict[str, str]] = {}
    last: dict[int, tuple[float, str]] = {}
    for iid, period, value, state, updated in conn.execute(
            "SELECT v.indicator_id, v.period, v.value, v.state, v.updated_at FROM "
            "indicator_value v JOIN indicator_partner ip ON ip.indicator_id = v.indicator_id "
            "AND ip.partner_id = ? WHERE v.series = 'actual' "
            "ORDER BY v.indicator_id, v.period_start, length(v.period)", (partner_id,)):
        values.setdefault(iid, {})[period] = updated
        if state != "withheld":
            last[iid] = (value, period)
    multi = len({c[6] for c in commitments} | {i[6] for i in indicators}) > 1
    sheet_c: dict[tuple[int, int], object] = {}
    sheet_i: dict[tuple[int, int], object] = {}
    refs: list[tuple[str, str, str, str, str]] = []
    for row, (uid, code, text, status, number, title, period, change, evidence,
              files) in enumerate(commitments, start=2):
        ref = f"C{row - 1:03d}"
        refs.append((ref, "commitment", uid, None, f"{status}|{change or ''}"))
        label = f"{number}. {title}" if title else f"P{number}"
        if evidence and len(evidence) > LATEST_LIMIT:
            evidence = evidence[:LATEST_LIMIT].rsplit(" ", 1)[0] + " …"
        if evidence and files:
            evidence += f" [Files: {files}]"
        for col, value in enumerate((ref, f"{period}: {label}" if multi else label, code, text,
                                     evidence, STATUS_LABELS[status][1]), start=1):
            sheet_c[(row, col)] = value or None
    row = 1
    for iid, uid, name, unit, frequency, number, plan_period in indicators:
        shown = last.get(iid)
        for period in _round_periods(round_label, frequency):
            row += 1
            ref = f"I{row - 1:03d}"
            refs.append((ref, "indicator", uid, period, values.get(iid, {}).get(period) or "none"))
            label = f"P{number}"
            for col, value in enumerate((ref, f"{plan_period}: {label}" if multi else label,
                                         name, UNIT_LABELS.get(unit, unit), period,
                                         shown[0] if shown else None,
                                         shown[1] if shown else None), start=1):
                sheet_i[(row, col)] = value
    hidden = {(refs_row + n, col): value or None for n, entry in enumerate(refs)
              for col, value in enumerate(entry, start=1)}
    return {"Commitments": sheet_c, "Indicators": sheet_i, "_tracker": hidden}


def write_workbook(sheets: list[SheetSpec], styles: list[tuple], out: Path,
                   values: dict[str, dict[tuple[int, int], object]] | None = None) -> None:
    """The workbook `sheets` describe, with the cells `values` holds (by sheet title) written
    from them instead of from the description."""
    from openpyxl import Workbook
    from openpyxl.worksheet.datavalidation import DataValidation

    wb = Workbook()
    wb.remove(wb.active)
    # Each distinct style is set through the API once; later cells copy its style record
    # (openpyxl's cheapest way to give many cells one style).
    records: dict[tuple[int, bool], object] = {}
    for spec in sheets:
        ws = wb.create_sheet(spec.title)
        ws.sheet_state = spec.state
        given = (values or {}).get(spec.title, {})
        for r, col, value, quoted, style in spec.cells:
            cell = ws.cell(r, col, given.get((r, col), value))
            record = records.get((style, quoted))
            if record is not None:
                cell._style = copy(record)
                continue
            font, fill, border, alignment, number_format, protection = styles[style]
            cell.font, cell.fill, cell.border, cell.alignment = font, fill, border, alignment
            cell.number_format, cell.protection = number_format, protection
            if quoted:
                cell.quotePrefix = True
            records[(style, quoted)] = copy(cell._style)
        for key, width in spec.widths.items():
            ws.column_dimensions[key].width = width
        for key, height in spec.heights.items():
            ws.row_dimensions[key].height = height
        for v in spec.validations:
            v = dict(v)
            sqref = v.pop("sqref")
            dv = DataValidation(**v)
            dv.add(sqref)
            ws.add_data_validation(dv)
        for m in spec.merged:
            ws.merge_cells(m)
        ws.freeze_panes = spec.freeze
        ws.protection.sheet = spec.protected
    wb.save(out)


def read_workbook(path: Path) -> int:
    """openpyxl read-only reading every row of every sheet: the floor of an import."""
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True, data_only=True)
    n = 0
    for ws in wb.worksheets:
        for _row in ws.iter_rows(values_only=True):
            n += 1
    wb.close()
    return n
