"""The floors: the same work done with the bare libraries (sqlite3, PySide6, pyqtgraph, openpyxl,
python-docx, Typst), none of the tracker's code. Each does what the tracker shows or writes, no
less (the same rows, cells, styles, charts and text) and no more (no undo, checks, history,
sealing). The tracker's reports draw their charts as SVG (and Word's pictures from that SVG), so
the report floors draw the same charts as bare SVG strings, not through pyqtgraph.
"""

from __future__ import annotations

import io
import math
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
from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QAction, QIcon, QKeySequence, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QSpinBox,
    QSplitter,
    QTabWidget,
    QToolBar,
    QToolButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

STATUS_LABELS = {
    "not_assessed": ("○", "Not assessed"), "not_started": ("◌", "Not started"),
    "on_track": ("●", "On track"), "at_risk": ("▲", "At risk"), "off_track": ("■", "Off track"),
    "complete": ("✔", "Complete"), "carried_forward": ("➜", "Carried forward"),
    "discontinued": ("✖", "Discontinued"),
}
FONTS = Path(__file__).resolve().parents[1] / "tracker" / "reports" / "fonts"
ICONS = Path(__file__).resolve().parents[1] / "resources" / "icons"
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

    def show(self) -> None:
        self.view.show()

    def close(self) -> None:
        self.view.close()
        self.view.deleteLater()
        self.conn.close()


# The window's first frame, counted from the tracker's window: per menu, its actions, separators,
# shortcuts and submenus; the toolbar's actions (each one of the menus' actions, with its icon).
MENUS = (("&File", 8, 3, 4, 2), ("&Edit", 10, 2, 10, 0), ("&View", 8, 1, 8, 0),
         ("&Plan", 7, 2, 1, 0), ("&Returns", 8, 2, 2, 0), ("&Help", 2, 0, 1, 0))
TOOLBAR = ("home", None, "undo", "redo", None, "find", None, "status", "evidence", "commitment",
           None, "indicators", "report", "print", None, "send", "import")


class BareWindow:
    """The same window as the tracker's first frame, made with bare PySide6 and none of the
    tracker's code: its menus, toolbar (the same icons), tabs, filter bar, the tree above (a
    BareTree's rows and model), its count and status legend, the detail pane's prompt and the
    status bar. It puts a scale on the open's floor: what the toolkit itself takes to build and
    paint this window, beside the bare tree alone."""

    def __init__(self, path: Path) -> None:
        self.window = window = QMainWindow()
        actions: list[QAction] = []
        bar = window.menuBar()
        for title, count, separators, shortcuts, submenus in MENUS:
            menu = bar.addMenu(title)
            for i in range(count):
                action = QAction(f"{title.strip('&')} action {i + 1}…", window)
                if i < shortcuts:
                    action.setShortcut(QKeySequence(f"Ctrl+Alt+{chr(65 + len(actions) % 26)}"))
                action.setStatusTip("What the action does")
                action.triggered.connect(self._nothing)
                menu.addAction(action)
                actions.append(action)
                if i < separators:
                    menu.addSeparator()
            for i in range(submenus):
                menu.addMenu(QMenu(f"Submenu {i + 1}", menu))
        tools = QToolBar("Main")
        tools.setIconSize(QSize(22, 22))
        tools.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        window.addToolBar(tools)
        for i, name in enumerate(TOOLBAR):
            if name is None:
                tools.addSeparator()
                continue
            actions[i].setIcon(QIcon(str(ICONS / f"{name}.svg")))
            actions[i].setIconText(name.title())
            tools.addAction(actions[i])

        self.tree = BareTree(path)
        self.conn, self.view = self.tree.conn, self.tree.view
        self.view.setSelectionMode(QTreeView.SelectionMode.ExtendedSelection)
        filters = QWidget()
        grid = QGridLayout(filters)
        grid.setContentsMargins(0, 0, 0, 0)
        text = QLineEdit()
        text.setClearButtonEnabled(True)
        text.setPlaceholderText("Filter the tree by words… (Ctrl+L)")
        scope = QComboBox()
        scope.addItems(["Filter the tree", "Find in evidence too"])
        clear = QToolButton()
        clear.setText("Clear")
        status = QComboBox()
        status.addItems(["Any status"] + [f"{s} {label}" for s, label in STATUS_LABELS.values()])
        partner, lead = QComboBox(), QComboBox()
        partner.addItem("Any partner")
        lead.addItem("Any lead")
        for combo in (status, partner, lead):
            combo.setMinimumContentsLength(6)
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        stale = QSpinBox()
        stale.setRange(0, 3650)
        stale.setSpecialValueText("any time")
        stale.setSuffix(" days")
        grid.addWidget(text, 0, 0, 1, 3)
        grid.addWidget(scope, 0, 3)
        grid.addWidget(clear, 0, 4)
        grid.addWidget(status, 1, 0)
        grid.addWidget(partner, 1, 1)
        grid.addWidget(lead, 1, 2)
        stale_row = QHBoxLayout()
        stale_label = QLabel("Not &updated in")
        stale_label.setBuddy(stale)
        stale_row.addWidget(stale_label)
        stale_row.addWidget(stale)
        grid.addLayout(stale_row, 1, 3, 1, 2)
        results = QSplitter(Qt.Orientation.Vertical)
        results.addWidget(self.view)
        legend = QLabel("  ".join(f'<span style="color:#555">{s} {label}</span>'
                                  for s, label in STATUS_LABELS.values()))
        legend.setTextFormat(Qt.TextFormat.RichText)
        legend.setWordWrap(True)
        left = QWidget()
        panes = QSplitter(Qt.Orientation.Horizontal)
        panes.addWidget(left)
        panes.addWidget(QLabel("Select a plan, a priority or a commitment in the tree."))
        column = QVBoxLayout(left)
        column.setContentsMargins(6, 6, 3, 6)
        column.addWidget(filters)
        column.addWidget(results, 1)
        column.addWidget(QLabel(""))
        column.addWidget(legend)
        plan = QWidget()
        plan_layout = QVBoxLayout(plan)
        plan_layout.setContentsMargins(0, 0, 0, 0)
        plan_layout.addWidget(panes)
        self.tabs = tabs = QTabWidget()
        tabs.setDocumentMode(True)
        tabs.addTab(QWidget(), "Home")
        tabs.addTab(plan, "Plan")
        tabs.addTab(QWidget(), "Indicators")
        tabs.setCurrentWidget(plan)
        window.setCentralWidget(tabs)
        window.statusBar().addPermanentWidget(QLabel("Not in a team"))
        window.statusBar().showMessage("")
        available = window.screen().availableGeometry()  # the size the tracker's window takes
        window.resize(min(1400, available.width()), min(900, available.height()))

    @staticmethod
    def _nothing() -> None:
        pass

    def show_plan(self) -> None:
        self.tree.show_plan()

    def show(self) -> None:
        self.window.show()

    def close(self) -> None:
        self.window.close()
        self.window.deleteLater()
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
    target_period: str | None = None
    periods: list[str] = field(default_factory=list)  # the periods with a value, in order
    axis: list[str] = field(default_factory=list)  # the run from the first to the last (gaps)
    series: dict[str, dict[str, float]] = field(default_factory=dict)
    provisional: set[tuple[str, str]] = field(default_factory=set)  # (series, period)
    qualifiers: dict[tuple[str, str], str] = field(default_factory=dict)


_FINANCIAL_YEAR = re.compile(r"(\d{4})/(\d{2})")
_YEAR = re.compile(r"\d{4}")


def _axis(labels: list[str]) -> tuple[list[str], str]:
    """The axis's periods (the whole run of years from the first to the last, so a missing one
    is a gap) and its title: the same run and title the tracker draws."""
    if labels and all(_FINANCIAL_YEAR.fullmatch(p) for p in labels):
        years = sorted({int(p[:4]) for p in labels})
        return ([f"{y}/{(y + 1) % 100:02d}" for y in range(years[0], years[-1] + 1)],
                "Financial year (April to March)")
    if labels and all(_YEAR.fullmatch(p) for p in labels):
        years = sorted({int(p) for p in labels})
        return [str(y) for y in range(years[0], years[-1] + 1)], "Year"
    return labels, "Period"


def chart_rows(conn: sqlite3.Connection, plan_id: int | None = None) -> list[ChartRows]:
    charts: dict[int, ChartRows] = {}
    where = "WHERE p.plan_id = ?" if plan_id is not None else ""
    args = (plan_id,) if plan_id is not None else ()
    for iid, name, unit, base, target, target_period in conn.execute(
            f"SELECT i.id, i.name, i.unit, i.baseline_period, i.target_value, i.target_period "
            f"FROM indicator i JOIN priority p ON p.id = i.priority_id {where} "
            f"ORDER BY p.number, i.number", args):
        charts[iid] = ChartRows(iid, name, unit, base, target, target_period)
    starts: dict[str, str] = {}
    for iid, period, start, series, value, state, qualifier in conn.execute(
            "SELECT indicator_id, period, period_start, series, value, state, qualifier "
            "FROM indicator_value WHERE state != 'withheld' "
            "ORDER BY indicator_id, period_start, length(period)"):
        chart = charts.get(iid)
        if chart is None:
            continue
        chart.series.setdefault(series, {})[period] = value
        if state == "provisional":
            chart.provisional.add((series, period))
        if qualifier:
            chart.qualifiers[(series, period)] = qualifier
        starts[period] = start
    for chart in charts.values():
        seen = {p for s in chart.series.values() for p in s}
        chart.periods = sorted(seen, key=lambda p: (starts[p], len(p)))
        extra = [p for p in (chart.baseline_period, chart.target_period) if p and p not in seen]
        chart.axis = _axis(chart.periods + extra)[0] if chart.periods else []
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


# The tracker's report inks (tracker/reports/palette.py), written out.
INK, PAPER, MUTED, HEADING = "#1f2937", "#ffffff", "#4b5563", "#1f4e79"
RULE, HEADER_FILL, TOTAL_FILL, WARNING = "#cbd5e1", "#e8eef5", "#f3f4f6", "#b42318"
ACTUAL, COMPARISON, TARGET, BASELINE, GRID = "#1f4e79", "#a63f00", "#6b46c1", "#4b5563", "#e5e7eb"
STATUS_INK = {
    "not_assessed": "#595959", "not_started": "#1c6a96", "on_track": "#00704f",
    "at_risk": "#8a5a00", "off_track": "#a63f00", "complete": "#005a8c",
    "carried_forward": "#9b3f78", "discontinued": "#4d4d4d",
}
STATUS_FILL = {**STATUS_INK, "not_assessed": "#d9dde3"}
STATUS_OUTLINE = "#6b7280"
DIRECTION_INK = {"improved": "#176f30", "worsened": "#b42318", "unchanged": "#4b5563",
                 "about the same": "#4b5563"}
TONES = {"note": MUTED, "warning": WARNING, "internal": WARNING,
         **{f"status:{s}": c for s, c in STATUS_INK.items()},
         **{f"direction:{d}": c for d, c in DIRECTION_INK.items()}}
# series -> (colour, dash, marker, legend label)
SVG_SERIES = {"actual": (ACTUAL, None, "circle", "Actual"),
              "comparison": (COMPARISON, "7 4", "square", "Comparison group"),
              "target": (TARGET, "2 3", "diamond", "Target")}
UNIT_TITLES = {"count": "Number", "percent": "Per cent", "rate": "Rate", "score": "Score",
               "pounds": "Pounds (£)"}
SVG_FONTS = "Liberation Sans, DejaVu Sans, Arial, sans-serif"
_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_WIDTHS: dict[tuple[str, bool], float] = {}
_PIL_FONTS: dict = {}
_TEXT_WIDTHS: dict[tuple[str, float, bool], float] = {}


def _width(text: str, size: float, bold: bool = False) -> float:
    """Text's width at `size` from the bundled fonts' advances (Pillow reading them a character
    at a time, as the tracker sums advances): Liberation Sans, or DejaVu Sans for a character
    Liberation lacks (Pillow draws that as the missing-glyph box); 12 per cent to spare. Kept
    for the next label with the same text, as the tracker keeps them."""
    known = _TEXT_WIDTHS.get((text, size, bold))
    if known is not None:
        return known
    if not _PIL_FONTS:
        from PIL import ImageFont

        for face in ("LiberationSans-Regular", "LiberationSans-Bold", "DejaVuSans"):
            font = ImageFont.truetype(str(FONTS / f"{face}.ttf"), 1000)
            _PIL_FONTS[face] = (font, (font.getlength("\U0010fffd"),
                                       font.getbbox("\U0010fffd")))
    total = 0.0
    for char in text:
        width = _WIDTHS.get((char, bold))
        if width is None:
            font, missing = _PIL_FONTS["LiberationSans-Bold" if bold
                                       else "LiberationSans-Regular"]
            if (font.getlength(char), font.getbbox(char)) == missing:
                font = _PIL_FONTS["DejaVuSans"][0]
            width = _WIDTHS[(char, bold)] = font.getlength(char) / 1000
        total += width
    _TEXT_WIDTHS[(text, size, bold)] = total = total * size * 1.12
    return total


def _svg_text(x: float, y: float, content: str, size: float = 11.5, anchor: str = "start",
              colour: str = INK, bold: bool = False, italic: bool = False) -> str:
    extra = f' text-anchor="{anchor}"' if anchor != "start" else ""
    if bold:
        extra += ' font-weight="bold"'
    if italic:
        extra += ' font-style="italic"'
    content = _UNSAFE.sub("", content)
    if "&" in content or "<" in content or ">" in content:
        content = escape(content, quote=False)
    return (f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size:g}" fill="{colour}"{extra}>'
            f"{content}</text>")


def _svg_line(x1: float, y1: float, x2: float, y2: float, colour: str, width: float = 1,
              dash: str | None = None) -> str:
    extra = f' stroke-dasharray="{dash}"' if dash else ""
    return (f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="{colour}" '
            f'stroke-width="{width:g}"{extra}/>')


def _svg_marker(shape: str, x: float, y: float, colour: str, hollow: bool,
                size: float = 4.5) -> str:
    style = f'fill="{PAPER if hollow else colour}" stroke="{colour}" stroke-width="1.8"'
    if shape == "circle":
        return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{size:g}" {style}/>'
    if shape == "square":
        s = size * 0.9
        return (f'<rect x="{x - s:.1f}" y="{y - s:.1f}" width="{2 * s:.1f}" '
                f'height="{2 * s:.1f}" {style}/>')
    if shape == "diamond":
        s = size * 1.25
        return (f'<path d="M{x:.1f} {y - s:.1f}L{x + s:.1f} {y:.1f}L{x:.1f} {y + s:.1f}'
                f'L{x - s:.1f} {y:.1f}Z" {style}/>')
    points = " ".join(
        f"{x + r * math.cos(a):.1f},{y - r * math.sin(a):.1f}"
        for r, a in ((size * (1.6 if i % 2 == 0 else 0.7), math.pi / 2 + i * math.pi / 5)
                     for i in range(10)))
    return f'<polygon points="{points}" {style}/>'


def _svg_open(w: float, h: float, key: str, title: str) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" '
            f'viewBox="0 0 {w} {h}" role="img" aria-labelledby="{key}-title" '
            f'font-family="{SVG_FONTS}"><title id="{key}-title">'
            f"{escape(_UNSAFE.sub('', title), quote=False)}</title>"
            f'<rect width="{w}" height="{h}" fill="{PAPER}"/>')


def _short(value: float, unit: str) -> str:
    return _number(value) + "%" if unit == "percent" else _value(value, unit)


def chart_alt(chart: ChartRows) -> str:
    """The chart's text alternative, as the tracker writes it: every value with its period, the
    gaps, the comparison group, the target series and the target."""
    def values(name: str) -> str:
        series = chart.series[name]
        return ", ".join(
            (f"{chart.qualifiers[(name, p)]} " if (name, p) in chart.qualifiers else "")
            + f"{_value(series[p], chart.unit)} in {p}"
            + (" (provisional)" if (name, p) in chart.provisional else "")
            for p in chart.axis if p in series)

    actual = chart.series.get("actual", {})
    name = chart.name
    first, _, rest = name.partition(" ")
    if first.lower() in ("number", "percentage", "proportion", "rate", "level", "amount",
                         "total", "value", "count", "share", "average", "score") \
            and first[:1].isupper() and first[1:].islower():
        name = f"the {first.lower()} {rest}".rstrip()
    text = f"{'Line chart' if len(actual) > 1 else 'Chart'} of {name}"
    parts = [values("actual")] if actual else []
    at = [i for i, p in enumerate(chart.axis) if p in actual]
    gaps: list[list[str]] = []
    if len(at) > 1:
        for i in range(at[0], at[-1] + 1):
            if chart.axis[i] in actual:
                continue
            if gaps and chart.axis.index(gaps[-1][-1]) == i - 1:
                gaps[-1].append(chart.axis[i])
            else:
                gaps.append([chart.axis[i]])
    if gaps:
        parts.append("no value for " + _listed(
            [g[0] if len(g) == 1 else f"{g[0]} to {g[-1]}" for g in gaps]))
    if chart.series.get("comparison"):
        parts.append(f"comparison group: {values('comparison')}")
    if chart.series.get("target"):
        parts.append(f"target: {values('target')}")
    if chart.target is not None:
        when = f" by {chart.target_period}" if chart.target_period else ""
        parts.append(f"target{when}: {_value(chart.target, chart.unit)}")
    return f"{text}: {'; '.join(parts)}." if parts else f"{text}: no values stated."


def chart_svg(chart: ChartRows, key: str, alt: str) -> str:
    """The chart as the tracker draws it, as a bare SVG string: a legend (series, provisional,
    target star, baseline) in rows that fit, the unit's axis title, ticks and grid with the left
    margin measured from the tick labels, the period labels spaced by their measured width and
    the kind of period as the title, the baseline and target levels, "no value" on each gap,
    a line per pair of adjacent values (dashed into and out of a provisional one), markers by
    series (hollow when provisional), and every value labelled where its measured box covers
    no marker and no other label."""
    w, h = 640, 300
    out = [_svg_open(w, h, key, alt)]
    unit = chart.unit
    drawn = [s for s in ("target", "comparison", "actual") if chart.series.get(s)]
    values = [v for s in drawn for v in chart.series[s].values()]
    if chart.target is not None:
        values.append(chart.target)
    if not values:
        out.append(_svg_text(w / 2, h / 2, "No values stated", anchor="middle", colour=MUTED))
        return "".join(out) + "</svg>"
    low, high = min(values), max(values)
    if low >= 0 and unit != "score":
        low = 0.0
    span = (high - low) or abs(high) or 1.0
    lo_want, hi_want = (low if low == 0 else low - span * 0.1), high + span * 0.12
    raw = (hi_want - lo_want) / 5
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    ticks, tick = [], math.floor(lo_want / step) * step
    while tick < hi_want + step * 0.999:
        ticks.append(round(float(tick), 10))
        tick += step
    tick_labels = [_short(t, unit) for t in ticks]
    actual = chart.series.get("actual", {})
    baseline = actual.get(chart.baseline_period) if chart.baseline_period else None

    legend = [(SVG_SERIES[s][3], *SVG_SERIES[s][:3], False)
              for s in ("actual", "comparison", "target") if chart.series.get(s)]
    if chart.provisional:
        legend.append(("Provisional value", ACTUAL, None, "circle", True))
    when = f" by {chart.target_period}" if chart.target_period else ""
    if chart.target is not None:
        legend.append((f"Target{when}", TARGET, "2 3", "star", False))
    if baseline is not None:
        legend.append(("Baseline", BASELINE, "5 4", "", False))
    if len(legend) < 2:
        legend = []
    right = w - 16
    rows: list[list] = []
    x = right + 1
    for entry in legend:
        needed = 28 + _width(entry[0], 11.5)
        if x + needed > right:
            rows.append([])
            x = 16
        rows[-1].append((x, entry))
        x += needed + 18
    top = 12 + 20 * len(rows) + 16
    left = max(_width(t, 11) for t in tick_labels) + 14
    bottom = h - 44
    lo, hi = ticks[0], ticks[-1]
    count = len(chart.axis)
    band = (right - left) / max(count, 1)

    def ypos(v: float) -> float:
        return bottom - (v - lo) / (hi - lo) * (bottom - top)

    def xpos(i: int) -> float:
        return left + band * (i + 0.5)

    for row, entries in enumerate(rows):
        y = 14 + 20 * row
        for x, (label, colour, dash, marker, hollow) in entries:
            out.append(_svg_line(x, y, x + 22, y, colour, 2 if marker else 1.5, dash))
            if marker:
                out.append(_svg_marker(marker, x + 11, y, colour, hollow, 4))
            out.append(_svg_text(x + 28, y + 4, label))
    out.append(_svg_text(left - 10, top - 10, UNIT_TITLES[unit], 12, colour=MUTED, bold=True))
    for t, label in zip(ticks, tick_labels):
        y = ypos(t)
        out.append(_svg_line(left, y, right, y, GRID))
        out.append(_svg_text(left - 6, y + 4, label, 11, "end", MUTED))
    out.append(_svg_line(left, bottom, right, bottom, MUTED))
    widest = max((_width(p, 11) for p in chart.axis), default=0.0)
    every = max(1, math.ceil((widest + 8) / band))
    for i, period in enumerate(chart.axis):
        out.append(_svg_line(xpos(i), bottom, xpos(i), bottom + 4, MUTED))
        if i % every == 0 or i == count - 1:
            out.append(_svg_text(xpos(i), bottom + 17, period, 11, "middle", MUTED))
    out.append(_svg_text(left + (right - left) / 2, h - 8, _axis(chart.axis)[1], 12, "middle",
                         MUTED, bold=True))

    # Boxes a label must not cover: the markers, the target's star, the gap words, the labels.
    bounds = (left, top - 14, right, bottom)
    taken: list[tuple[float, float, float, float]] = []
    index = {p: i for i, p in enumerate(chart.axis)}
    points = [(xpos(index[p]), ypos(v), index[p], p, s)
              for s in drawn for p, v in chart.series[s].items()]
    for x, y, *_ in points:
        taken.append((x - 7, y - 7, x + 7, y + 7))
    if baseline is not None:
        out.append(_svg_line(left, ypos(baseline), right, ypos(baseline), BASELINE, 1, "5 4"))
    if chart.target is not None:
        y = ypos(chart.target)
        out.append(_svg_line(left, y, right, y, TARGET, 1.5, "2 3"))
        if chart.target_period in index:
            tx = xpos(index[chart.target_period])
            out.append(_svg_marker("star", tx, y, TARGET, False, 4.5))
            taken.append((tx - 8, y - 8, tx + 8, y + 8))
    gap_y = bottom - 7
    if baseline is not None and ypos(baseline) > gap_y - 14:
        gap_y = ypos(baseline) - 4
    at = sorted(index[p] for p in actual)
    for a, b in pairwise(at):
        if b > a + 1:
            middle = (xpos(a + 1) + xpos(b - 1)) / 2
            text = "no value stated" if b - 1 > a + 1 else "no value"
            out.append(_svg_text(middle, gap_y, text, 11, "middle", MUTED, italic=True))
            half = _width(text, 11) / 2
            taken.append((middle - half, gap_y - 10, middle + half, gap_y + 7))
    for s in drawn:
        colour, dash, marker, _label = SVG_SERIES[s]
        series = chart.series[s]
        xs = sorted(index[p] for p in series)
        for a, b in pairwise(xs):
            if b == a + 1:
                pa, pb = chart.axis[a], chart.axis[b]
                provisional = (s, pa) in chart.provisional or (s, pb) in chart.provisional
                out.append(f'<polyline points="{xpos(a):.1f},{ypos(series[pa]):.1f} '
                           f'{xpos(b):.1f},{ypos(series[pb]):.1f}" fill="none" '
                           f'stroke="{colour}" stroke-width="2.2" stroke-linejoin="round"'
                           + (f' stroke-dasharray="{"5 4" if provisional and not dash else dash}"'
                              if dash or provisional else "") + "/>")
        for i in xs:
            p = chart.axis[i]
            out.append(_svg_marker(marker, xpos(i), ypos(series[p]), colour,
                                   (s, p) in chart.provisional))

    def place(candidates: list, width: float, size: float) -> tuple:
        """The first candidate (x, baseline, anchor) whose box is inside and free."""
        for x, y, anchor in candidates:
            x0 = x if anchor == "start" else x - width / 2 if anchor == "middle" else x - width
            box = (x0 - 1, y - size * 0.8, x0 + width + 1, y + size * 0.25)
            if box[0] < bounds[0] - 4 or box[2] > bounds[2] + 4 or box[1] < bounds[1] \
                    or box[3] > bounds[3]:
                continue
            if any(box[0] < b2 and b0 < box[2] and box[1] < b3 and b1 < box[3]
                   for b0, b1, b2, b3 in taken):
                continue
            taken.append(box)
            return x, y, anchor
        x, y, anchor = candidates[0]
        x0 = x if anchor == "start" else x - width / 2 if anchor == "middle" else x - width
        taken.append((x0 - 1, y - size * 0.8, x0 + width + 1, y + size * 0.25))
        return x, y, anchor

    highest: dict[int, float] = {}
    for _x, y, i, _p, _s in points:
        highest[i] = min(y, highest.get(i, y))
    for x, y, i, p, s in sorted(points, key=lambda q: (q[2], q[1])):
        bold = s == "actual"
        label = _short(chart.series[s][p], unit)
        if (s, p) in chart.qualifiers:
            label = f"{chart.qualifiers[(s, p)]} {label}"
        above, below = (x, y - 10, "middle"), (x, y + 19, "middle")
        order = [above, below] if highest[i] == y else [below, above]
        lx, ly, anchor = place([*order, (x + 9, y + 4, "start"), (x - 9, y + 4, "end"),
                                (x, y - 24, "middle"), (x, y + 33, "middle")],
                               _width(label, 11.5, bold), 11.5)
        out.append(_svg_text(lx, ly, label, 11.5, anchor, SVG_SERIES[s][0], bold=bold))
    if chart.target is not None:
        y = ypos(chart.target)
        label = f"Target{when}: {_short(chart.target, unit)}"
        middle = (bounds[0] + bounds[2]) / 2
        lx, ly, anchor = place([(right - 4, y - 5, "end"), (left + 4, y - 5, "start"),
                                (right - 4, y + 14, "end"), (left + 4, y + 14, "start"),
                                (middle, y - 5, "middle"), (middle, y + 14, "middle")],
                               _width(label, 11.5), 11.5)
        out.append(_svg_text(lx, ly, label, 11.5, anchor, TARGET))
    return "".join(out) + "</svg>"


def status_svg(rows: list[tuple[str, dict[str, int]]], alt: str) -> tuple[str, int]:
    """Stacked bars of commitments by status, one per chapter, as the tracker draws them: each
    part outlined and marked with its shape and count where that fits (else after the bar's
    total), labels wrapped to two lines, a legend of shape and word."""
    w, label_width, row_height = 640, 220.0, 30.0
    bar_left = label_width + 12
    bar_width = w - bar_left - 120
    present = [s for s in STATUS_LABELS if any(c.get(s) for _l, c in rows)]
    h = int(8 + row_height * len(rows) + 16 + 20 * max(1, -(-len(present) // 3)) + 4)
    out = [_svg_open(w, h, "status", alt)]
    most = max((sum(c.values()) for _l, c in rows), default=0) or 1
    for n, (label, counts) in enumerate(rows):
        y = 8 + n * row_height
        lines = [label]
        if _width(label, 11.5) > label_width:
            words, first = label.split(), []
            while words and _width(" ".join([*first, words[0]]), 11.5) <= label_width:
                first.append(words.pop(0))
            rest = " ".join(words)
            while rest and _width(rest, 11.5) > label_width:
                rest = rest[:-2].rstrip() + "…"
                if rest == "…":
                    break
            lines = [" ".join(first), rest] if first else [rest]
        for k, text in enumerate(lines):
            out.append(_svg_text(label_width, y + row_height / 2 - (len(lines) - 1) * 7 + 4
                                 + k * 14, text, anchor="end"))
        x = bar_left
        outside = []
        for status in STATUS_LABELS:
            count = counts.get(status, 0)
            if not count:
                continue
            width = bar_width * count / most
            fill = STATUS_FILL[status]
            on = INK if status == "not_assessed" else PAPER  # ink_on(fill), worked out
            out.append(f'<rect x="{x + 0.75:.1f}" y="{y + 3:.1f}" width="{width - 1.5:.1f}" '
                       f'height="{row_height - 8:.1f}" fill="{fill}" stroke="'
                       f'{STATUS_OUTLINE if on == INK else PAPER}" stroke-width="1"/>')
            mark = f"{STATUS_LABELS[status][0]} {count}"
            if _width(mark, 11.5, True) + 8 <= width:
                out.append(_svg_text(x + width / 2, y + row_height / 2 + 3, mark,
                                     anchor="middle", colour=on, bold=True))
            else:
                outside.append((status, mark))
            x += width
        total = str(sum(counts.values()))
        out.append(_svg_text(x + 6, y + row_height / 2 + 3, total, bold=True))
        x += 6 + _width(total, 11.5, True) + 8
        for status, mark in outside:
            out.append(_svg_text(x, y + row_height / 2 + 3, mark, colour=STATUS_INK[status],
                                 bold=True))
            x += _width(mark, 11.5, True) + 8
    y = 8 + row_height * len(rows) + 12
    column = (w - bar_left) / 3
    for k, status in enumerate(present):
        cx, cy = bar_left + (k % 3) * column, y + (k // 3) * 20
        out.append(f'<rect x="{cx:.1f}" y="{cy + 2:.1f}" width="13" height="13" '
                   f'fill="{STATUS_FILL[status]}" stroke="{STATUS_OUTLINE}" stroke-width="1"/>')
        out.append(_svg_text(cx + 19, cy + 13, " ".join(STATUS_LABELS[status])))
    return "".join(out) + "</svg>", h


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


def _status(status: str) -> dict:
    """A status as the tracker writes it: shape and word kept on one line, bold, in its ink."""
    shape, word = STATUS_LABELS[status]
    return {"text": f"{shape}\u00a0{word}", "bold": True, "tone": f"status:{status}"}


VERDICTS = {"✓ Improved": ("\u2713\u00a0Improved", "direction:improved"),
            "✗ Worsened": ("\u2717\u00a0Worsened", "direction:worsened"),
            "Unchanged": ("=\u00a0Unchanged", "direction:unchanged")}


def _verdict(direction: str | None) -> list:
    if direction is None:
        return []
    text, tone = VERDICTS[direction]
    return [{"text": text, "bold": True, "tone": tone}]


def _count_widths(header: list[str]) -> list[float]:
    """Column shares as the tracker works them out: each count column as wide as the longest
    word of its heading in bold (9 points, 30 per cent spare, 12 points of padding) of the 482
    point column, the label column the rest (at least a quarter)."""
    needs = [max(_width(word, 9.0, True) / 1.12 for word in title.split()) * 1.3 + 12.0
             for title in header[1:]]
    shares = [max(n, 28.0) / 482.0 for n in needs]
    scale = min(1.0, 0.75 / sum(shares))
    shares = [share * scale for share in shares]
    return [1 - sum(shares), *shares]


def report_blocks(path: Path) -> tuple[str, list[dict], dict[str, tuple[str, str, int]]]:
    """The report's title, its blocks in order (each text as runs: a bare string, or a dict
    with its bold and tone), and its charts as (SVG, text alternative, height) by id."""
    conn = connect(path)
    plan_id, plan_title = conn.execute("SELECT id, title FROM plan LIMIT 1").fetchone()
    title = f"{plan_title}: Closure Report"
    charts = {c.id: c for c in chart_rows(conn, plan_id)}
    evidence: dict[int, list] = {}
    for cid, text in conn.execute(
            "SELECT commitment_id, text FROM evidence WHERE visibility != 'internal' "
            "ORDER BY commitment_id, position, id"):
        # A bullet's own "- " lines are bullets under it, as the tracker lays them out.
        first, *rest = _UNSAFE.sub("", text).split("\n")
        inner = [line[2:] for line in rest if line.startswith("- ")]
        after = " ".join(line for line in rest if not line.startswith("- "))
        evidence.setdefault(cid, []).append(
            {"text": first, "items": inner, "after": after} if rest else text.strip())
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

    svgs: dict[str, tuple[str, str, int]] = {}
    chapters, summary_rows, headline, appendix, contents = [], [], [], [], []
    overall: dict[str, int] = {}
    evidenced_all = 0
    for k, (pid, number, ptitle, objective, partnership, outcome) in enumerate(priorities,
                                                                               start=2):
        heading = f"{k}. {ptitle}"
        contents.append((heading, f"chapter-{k}"))
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
        blocks = [{"t": "h", "level": 1, "runs": [heading], "anchor": f"chapter-{k}"},
                  {"t": "p", "runs": [f"{plan_title}, priority {number}."], "style": "note"}]
        if objective:
            blocks.append({"t": "p", "runs": [{"text": "Our objective is ", "bold": True},
                                              objective]})
        if partnership:
            blocks.append({"t": "p", "runs": [partnership]})
        if outcome:
            blocks.append({"t": "p", "runs": [{"text": "So that ", "bold": True}, outcome]})
        for n, (chart, polarity) in enumerate(indicators.get(pid, []), start=1):
            label = f"{k} ({ROMAN[n - 1]})"
            span = f", {chart.periods[0]} to {chart.periods[-1]}" if len(chart.periods) > 1 \
                else (f", {chart.periods[0]}" if chart.periods else "")
            key = f"indicator-{chart.id}"
            alt = chart_alt(chart)
            svgs[key] = (chart_svg(chart, key, alt), alt, 300)
            change, direction, path_words = _change(chart, polarity)
            verdict = _verdict(direction)
            blocks.append({"t": "figure", "id": key,
                           "caption": f"Figure {label}: {chart.name}{span}"})
            blocks.append({"t": "p", "runs": [change + (" " if verdict else ""), *verdict]})
            if path_words:
                blocks.append({"t": "p", "runs": [path_words]})
            if chart.target is not None:
                blocks.append({"t": "p", "runs": [f"Target: {_value(chart.target, chart.unit)}."]})
            headline.append([[label], [chart.name], [change], verdict])
        described = ", ".join(f"{counts[s]} {STATUS_LABELS[s][1].lower()}"
                              for s in STATUS_LABELS if counts.get(s))
        blocks += [{"t": "h", "level": 2, "runs": ["Commitments"]},
                   {"t": "p", "runs": [f"{len(tops)} commitments, {evidenced} with evidence of "
                                       f"delivery: {described}. Each is set out with its "
                                       "evidence in Appendix 1."]}]
        chapters += blocks
        appendix += [{"t": "h", "level": 2, "runs": [f"{number}. {ptitle}"]},
                     {"t": "h", "level": 3, "runs": [plan_title]}]
        if objective:
            appendix.append({"t": "p", "runs": [{"text": "Our objective is ", "bold": True},
                                                objective]})
        for cid, _pid, _parent, code, text, status in tops:
            label = f"\u2002{code}. {text}" if code else f"\u2002{text}"
            appendix.append({"t": "h", "level": 4, "runs": [_status(status), label]})
            if evidence.get(cid):
                appendix.append({"t": "list", "items": evidence[cid]})
            elif not subs.get(cid):
                appendix.append({"t": "p", "runs": ["No evidence recorded."], "style": "note"})
            for sid, _p, _q, scode, stext, sstatus in subs.get(cid, ()):
                slabel = [_status(sstatus), f"\u2002{scode}. {stext}"]
                if evidence.get(sid):
                    appendix.append({"t": "h", "level": 5, "runs": slabel})
                    appendix.append({"t": "list", "items": evidence[sid], "indent": 1})
                else:
                    appendix.append({"t": "p", "runs": slabel, "style": "subpoint", "indent": 1})
        if outcome:
            appendix.append({"t": "p", "runs": [{"text": "So that ", "bold": True}, outcome]})

    total = sum(overall.values())
    today = date.today()
    shown = [s for s in STATUS_LABELS if overall.get(s)]
    alt = "Bar chart of the commitments by status in each chapter: " + "; ".join(
        f"{h}: " + (", ".join(f"{c[s]} {STATUS_LABELS[s][1].lower()}" for s in STATUS_LABELS
                              if c.get(s)) or "none") for h, _e, c in summary_rows) + "."
    svg, height = status_svg([(h, c) for h, _e, c in summary_rows], alt)
    svgs["status"] = (svg, alt, height)
    table = [[[h], [str(e)], *([str(c.get(s, 0))] for s in shown), [str(sum(c.values()))]]
             for h, e, c in summary_rows]
    table.append([[{"text": text, "bold": True}] for text in (
        "All chapters", str(evidenced_all), *(str(overall[s]) for s in shown), str(total))])
    head = ["Chapter", "With evidence", *(" ".join(STATUS_LABELS[s]) for s in shown), "Total"]
    appendix_title = "Appendix 1. The Priorities and \u2018We Wills\u2019"
    blocks = [
        {"t": "p", "runs": [plan_title], "style": "subtitle"},
        {"t": "p", "runs": [f"Produced on {today.day} {today:%B %Y} from the Commitment "
                            "Tracker."]},
        {"t": "p", "runs": ["All evidence and indicator values recorded for the plan."]},
        {"t": "p", "runs": ["Evidence marked internal only is left out."]},
        {"t": "contents", "items": [("1. Executive Summary", "summary"), *contents,
                                    (appendix_title, "appendix-1")]},
        {"t": "h", "level": 1, "runs": ["1. Executive Summary"], "anchor": "summary"},
        {"t": "h", "level": 2, "runs": ["Commitments: evidence of delivery and status"]},
        {"t": "p", "runs": [f"{evidenced_all:,} of the {total:,} commitments have evidence of "
                            "delivery."]},
        {"t": "p", "runs": ["Status of the commitments: " + ", ".join(
            f"{overall[s]} {STATUS_LABELS[s][1].lower()}" for s in shown) + "."]},
        {"t": "figure", "id": "status", "caption": "Figure 1 (i): Commitments by status in "
                                                   "each chapter. Each status is shown by its "
                                                   "shape and word as well as its colour."},
        {"t": "table", "caption": "Commitments with evidence of delivery, and by status, in "
                                  "each chapter.",
         "head": head, "rows": table, "widths": _count_widths(head),
         "numeric": [False, *([True] * (len(head) - 1))], "total": True, "row_headers": True},
        {"t": "h", "level": 2, "runs": ["Headline indicator changes"]},
        {"t": "table", "caption": "The change from the first to the latest value of each "
                                  "indicator.",
         "head": ["Figure", "Indicator", "Change", "Direction"], "rows": headline,
         "widths": [0.11, 0.3, 0.42, 0.17], "numeric": [False] * 4, "total": False,
         "row_headers": False},
        *chapters,
        {"t": "h", "level": 1, "runs": [appendix_title], "anchor": "appendix-1"},
        {"t": "p", "runs": ["Each plan's priorities and \u2018We will\u2019 commitments as "
                            "written, in the order of the plan, with each commitment's status "
                            "and the evidence of its delivery; a sub-point's evidence is under "
                            "the sub-point."]},
        *appendix,
    ]
    return title, blocks, svgs


HTML_CSS = """
:root { color: #1f2937; background: #ffffff; }
body { font-family: "Liberation Sans", "DejaVu Sans", Arial, "Helvetica Neue", "Liberation Sans", sans-serif;
       max-width: 46em; margin: 2em auto; padding: 0 1em; line-height: 1.5; }
.skip { position: absolute; left: -999em; }
.skip:focus { position: static; display: inline-block; padding: 0.3em 0.6em;
              background: #1f4e79; color: #ffffff; }
h1, h2 { color: #1f4e79; }
h1 { font-size: 2.1em; margin: 2.5em 0 0.3em; line-height: 1.2; }
h2 { font-size: 1.55em; margin-top: 2em; border-bottom: 2px solid #1f4e79; }
h3 { font-size: 1.2em; color: #1f4e79; margin: 1.5em 0 0.4em; }
h4 { font-size: 1.02em; margin: 1.2em 0 0.3em; }
h5, h6 { font-size: 1em; margin: 0.9em 0 0.2em; }
p.subtitle { font-size: 1.2em; color: #4b5563; }
p.note { color: #4b5563; font-style: italic; }
.indent-1 { margin-left: 1.6em; } .indent-2 { margin-left: 3.2em; }
.indent-3 { margin-left: 4.8em; }
ul { margin: 0.3em 0 0.8em; padding-left: 1.4em; }
ul.contents { list-style: none; padding-left: 0; }
li { margin: 0.15em 0; }
table { border-collapse: collapse; width: 100%; margin: 0.6em 0 1.2em; font-size: 0.93em; }
caption { text-align: left; color: #4b5563; font-size: 0.9em; padding-bottom: 0.3em; }
th, td { border: 1px solid #cbd5e1; padding: 0.3em 0.5em; text-align: left;
         vertical-align: top; }
thead th { background: #e8eef5; }
tbody th { font-weight: normal; }
.num { text-align: right; }
tr.total th, tr.total td { font-weight: bold; background: #f3f4f6; }
figure { margin: 0.8em 0 1.2em; }
figure svg { max-width: 100%; height: auto; }
figcaption { font-weight: bold; font-size: 0.95em; margin-bottom: 0.3em; }
p.source { font-size: 0.85em; color: #4b5563; margin: 0.2em 0 0; }
a { color: #1f4e79; }
.tone-note { color: #4b5563; }
.tone-warning { color: #b42318; }
.tone-internal { color: #b42318; }
.tone-status-not_assessed { color: #595959; }
.tone-status-not_started { color: #1c6a96; }
.tone-status-on_track { color: #00704f; }
.tone-status-at_risk { color: #8a5a00; }
.tone-status-off_track { color: #a63f00; }
.tone-status-complete { color: #005a8c; }
.tone-status-carried_forward { color: #9b3f78; }
.tone-status-discontinued { color: #4d4d4d; }
.tone-direction-improved { color: #176f30; }
.tone-direction-worsened { color: #b42318; }
.tone-direction-unchanged { color: #4b5563; }
.tone-direction-about the same { color: #4b5563; }
@media print {
  body { max-width: none; margin: 0; }
  section.chapter { break-before: page; }
  h1, h2, h3, h4, h5, h6 { break-after: avoid; page-break-after: avoid; }
  figure, tr, li { break-inside: avoid; page-break-inside: avoid; }
  thead { display: table-header-group; }
  header.cover { break-after: page; }
  .skip { display: none; }
}
"""


_HTML_SPECIAL = re.compile("[&<>\"'\n]")


def _html_runs(runs: list) -> str:
    out = []
    for run in runs:
        if isinstance(run, str):
            out.append(escape(run).replace("\n", "<br>") if _HTML_SPECIAL.search(run) else run)
            continue
        text = run["text"]
        if _HTML_SPECIAL.search(text):
            text = escape(text).replace("\n", "<br>")
        if run.get("bold"):
            text = f"<strong>{text}</strong>"
        if run.get("tone"):
            text = f'<span class="tone-{run["tone"].replace(":", "-")}">{text}</span>'
        out.append(text)
    return "".join(out)


def _html_item(item: str | dict) -> str:
    if isinstance(item, str):
        return f"<li>{_html_runs([item])}</li>"
    inner = "".join(f"<li>{_html_runs([i])}</li>" for i in item["items"])
    return (f"<li>{_html_runs([item['text']])}" + (f"<ul>{inner}</ul>" if inner else "") +
            (f"<p>{_html_runs([item['after']])}</p>" if item["after"] else "") + "</li>")


def report_html(title: str, blocks: list[dict], svgs: dict[str, tuple[str, str, int]]) -> str:
    """The report as the tracker's HTML: its meta, CSS (print CSS too), skip link, the cover
    as a header with the contents linked in a nav, the report as main with a section per
    chapter, tables with thead/tbody, scoped header cells, column widths and classes, tone
    spans on the statuses and verdicts, figures with ids."""
    parts = ['<!DOCTYPE html>\n<html lang="en-GB">\n<head>\n<meta charset="utf-8">\n'
             '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
             f"<title>{escape(title)}</title>\n"
             '<meta name="author" content="Office of the Police, Fire and Crime '
             'Commissioner">\n'
             f'<meta name="description" content="{escape(blocks[0]["runs"][0])}">\n'
             f"<style>{HTML_CSS}</style>\n</head>\n<body>\n"
             '<a class="skip" href="#report">Skip to the report</a>\n<header class="cover">\n'
             f"<h1>{escape(title)}</h1>\n"]
    in_chapter = False
    for b in blocks:
        kind = b["t"]
        if kind == "h":
            level = min(b["level"] + 1, 6)
            if b["level"] == 1:
                parts.append(("</section>\n" if in_chapter else '</header>\n<main id="report">\n')
                             + f'<section class="chapter" aria-labelledby="{b["anchor"]}">\n'
                             f'<h2 id="{b["anchor"]}">{_html_runs(b["runs"])}</h2>\n')
                in_chapter = True
            else:
                parts.append(f"<h{level}>{_html_runs(b['runs'])}</h{level}>\n")
        elif kind == "p":
            classes = [b["style"]] if b.get("style") else []
            if b.get("indent"):
                classes.append(f"indent-{b['indent']}")
            cls = f' class="{" ".join(classes)}"' if classes else ""
            parts.append(f"<p{cls}>{_html_runs(b['runs'])}</p>\n")
        elif kind == "list":
            cls = f' class="indent-{b["indent"]}"' if b.get("indent") else ""
            parts.append(f"<ul{cls}>" + "".join(_html_item(e) for e in b["items"]) + "</ul>\n")
        elif kind == "figure":
            parts.append(f'<figure id="{b["id"]}"><figcaption>{escape(b["caption"])}'
                         f"</figcaption>{svgs[b['id']][0]}</figure>\n")
        elif kind == "table":
            numeric = b["numeric"]
            cells = ["<table>", f"<caption>{escape(b['caption'])}</caption><colgroup>",
                     *(f'<col style="width: {w * 100:.0f}%">' for w in b["widths"]),
                     "</colgroup><thead><tr>",
                     *((f'<th scope="col" class="num">{escape(h)}</th>' if numeric[x] else
                        f'<th scope="col">{escape(h)}</th>') for x, h in enumerate(b["head"])),
                     "</tr></thead><tbody>"]
            last = len(b["rows"]) - 1
            for y, row in enumerate(b["rows"]):
                cells.append('<tr class="total">' if b["total"] and y == last else "<tr>")
                for x, cell in enumerate(row):
                    num = ' class="num"' if numeric[x] else ""
                    tag = "th" if x == 0 and b["row_headers"] else "td"
                    scope = ' scope="row"' if tag == "th" else ""
                    cells.append(f"<{tag}{scope}{num}>{_html_runs(cell)}</{tag}>")
                cells.append("</tr>")
            parts.append("".join(cells) + "</tbody></table>\n")
        elif kind == "contents":
            parts.append('<nav aria-labelledby="contents"><h2 id="contents">Contents</h2>'
                         '<ul class="contents">' + "".join(
                             f'<li><a href="#{a}">{escape(i)}</a></li>' for i, a in b["items"])
                         + "</ul></nav>\n")
    parts.append(("</section>\n" if in_chapter else "") + "</main>\n</body>\n</html>\n")
    return "".join(parts)


def write_html(path: Path, out: Path) -> None:
    title, blocks, svgs = report_blocks(path)
    out.write_text(report_html(title, blocks, svgs), encoding="utf-8")


def _docx_run(p, text: str, bold: bool = False, colour: str | None = None) -> None:
    """A run as python-docx's XML elements, built directly as the tracker builds them (add_run
    and its font setters walk the run's children for every property)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    run = OxmlElement("w:r")
    if bold or colour:
        properties = OxmlElement("w:rPr")
        if bold:
            properties.append(OxmlElement("w:b"))
        if colour:
            element = OxmlElement("w:color")
            element.set(qn("w:val"), colour)
            properties.append(element)
        run.append(properties)
    for index, line in enumerate(text.split("\n")):
        if index:
            run.append(OxmlElement("w:br"))
        shown = OxmlElement("w:t")
        shown.set(qn("xml:space"), "preserve")
        shown.text = line
        run.append(shown)
    p.append(run)



def _field_start(run, instruction: str, dirty: bool = False) -> None:
    """A Word field's begin, instruction and separator in one run (its end comes after the
    placeholder text)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    for tag, value in (("w:fldChar", "begin"), ("w:instrText", None), ("w:fldChar", "separate")):
        element = OxmlElement(tag)
        if value:
            element.set(qn("w:fldCharType"), value)
            if dirty and value == "begin":
                element.set(qn("w:dirty"), "true")
        else:
            element.set(qn("xml:space"), "preserve")
            element.text = instruction
        run._r.append(element)

def write_docx(path: Path, out: Path) -> None:
    """python-docx as it comes, set up as the tracker's Word report: document properties and
    language, the styles' fonts, sizes and colours, A4 with "Page X of Y" in the footer, a
    contents field, headings starting chapters on a new page, tables in Table Grid with shaded
    header and total rows, right-aligned numbers, widths, cell margins, header rows repeated and
    rows kept whole, table and picture alt text; pictures drawn from the SVG by Typst."""
    import docx
    from docx.enum.style import WD_STYLE_TYPE
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm, Mm, Pt, RGBColor

    title, blocks, svgs = report_blocks(path)
    order = list(svgs)
    pngs = dict(zip(order, svgs_to_pngs([svgs[k][0] for k in order])))
    document = docx.Document()
    author = "Office of the Police, Fire and Crime Commissioner"
    core = document.core_properties
    core.title, core.subject, core.author = title, blocks[0]["runs"][0], author
    core.last_modified_by, core.comments = author, "Produced by the Commitment Tracker."
    core.keywords, core.language, core.category, core.revision = "", "en-GB", "Report", 1
    core.created = core.modified = datetime.combine(date.today(), datetime.min.time().replace(
        hour=12))
    settings = document.settings.element
    for old in settings.findall(qn("w:themeFontLang")):
        old.set(qn("w:val"), "en-GB")
    update = OxmlElement("w:updateFields")
    update.set(qn("w:val"), "true")
    settings.find(qn("w:compat")).addprevious(update)
    package = document.part.package
    for key, relation in list(package.rels.items()):
        if relation.reltype.endswith("/thumbnail"):
            package.rels.pop(key)
    for part in package.parts:
        if str(part.partname) == "/docProps/app.xml":
            part._blob = part.blob.replace(b"Microsoft Macintosh Word", b"Commitment Tracker")
    styles = document.styles
    for lang in styles.element.find(qn("w:docDefaults")).iter(qn("w:lang")):
        lang.set(qn("w:val"), "en-GB")
        lang.set(qn("w:eastAsia"), "en-GB")

    def arial(style) -> None:
        style.font.name = "Arial"
        fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
        for attribute in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
            fonts.attrib.pop(qn(f"w:{attribute}"), None)
        fonts.set(qn("w:cs"), "Arial")

    ink, muted, blue = (RGBColor.from_string(c[1:].upper()) for c in (INK, MUTED, HEADING))
    normal = styles["Normal"]
    arial(normal)
    normal.font.size, normal.font.color.rgb = Pt(10), ink
    normal.paragraph_format.space_after = Pt(4)
    style = styles["Title"]
    arial(style)
    style.font.size, style.font.color.rgb = Pt(26), blue
    for border in style.element.iter(qn("w:pBdr")):
        border.getparent().remove(border)
    for level, size in {1: 17, 2: 13, 3: 11, 4: 10, 5: 10, 6: 10}.items():
        style = styles[f"Heading {level}"]
        arial(style)
        style.font.size, style.font.italic = Pt(size), False
        style.font.color.rgb = blue if level <= 3 else ink
        style.paragraph_format.keep_with_next = True
        style.paragraph_format.space_before = Pt(14 if level <= 2 else 9)
        style.paragraph_format.space_after = Pt(4)
    style = styles["Caption"]
    arial(style)
    style.font.size, style.font.bold, style.font.italic = Pt(8.5), False, False
    style.font.color.rgb = muted
    style = styles.add_style("Table Text", WD_STYLE_TYPE.PARAGRAPH)
    style.base_style, style.font.size = normal, Pt(9)
    style.paragraph_format.space_after = Pt(0)
    style = styles.add_style("Report Note", WD_STYLE_TYPE.PARAGRAPH)
    style.base_style, style.font.italic, style.font.color.rgb = normal, True, muted
    style = styles["Subtitle"]
    arial(style)
    style.font.size, style.font.italic, style.font.color.rgb = Pt(14), False, muted
    for name in ("List Bullet", "List Bullet 2", "List Bullet 3"):
        arial(styles[name])
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(20)
    section.top_margin, section.bottom_margin = Mm(18), Mm(18)
    style = styles["Footer"]
    arial(style)
    style.font.size, style.font.color.rgb = Pt(8), muted
    style.paragraph_format.tab_stops.clear_all()
    style.paragraph_format.tab_stops.add_tab_stop(Cm(17), alignment=WD_TAB_ALIGNMENT.RIGHT)
    footer = section.footer.paragraphs[0]
    footer.style = style
    footer.add_run(f"{title}\tPage ")
    for code, after in (("PAGE", " of "), ("NUMPAGES", "")):
        _field_start(footer.add_run(), f" {code} ")
        footer.add_run("1")
        end = OxmlElement("w:fldChar")
        end.set(qn("w:fldCharType"), "end")
        footer.add_run()._r.append(end)
        if after:
            footer.add_run(after)
    ids = {name: styles[name].style_id for name in (
        "Title", "Subtitle", "Report Note", "Caption", "Table Text", "TOC Heading",
        *(f"Heading {n}" for n in range(1, 6)), "List Bullet", "List Bullet 2", "List Bullet 3",
        "List Continue", "List Continue 2")}
    colours = {tone: c[1:].upper() for tone, c in TONES.items()}

    def add_runs(paragraph, runs: tuple | list) -> None:
        for r in runs:
            if isinstance(r, str):
                _docx_run(paragraph._p, r)
            else:
                _docx_run(paragraph._p, r["text"], r.get("bold", False),
                          colours.get(r.get("tone")))

    def para(style: str | None = None, runs: tuple | list = ()):
        paragraph = document.add_paragraph()
        add_runs(paragraph, runs)
        if style is not None:
            paragraph._p.style = ids[style]
        return paragraph

    for _ in range(5):
        document.add_paragraph()
    para("Title", [title])
    bullets = ("List Bullet", "List Bullet 2", "List Bullet 3")
    for b in blocks:
        kind = b["t"]
        if kind == "h":
            heading = para(f"Heading {b['level']}", b["runs"])
            if b["level"] == 1:
                heading.paragraph_format.page_break_before = True
        elif kind == "p":
            paragraph = para({"subtitle": "Subtitle", "note": "Report Note"}.get(
                b.get("style", "")), b["runs"])
            if b.get("indent"):
                paragraph.paragraph_format.left_indent = Cm(0.8 * b["indent"])
            if b.get("style") == "subpoint":
                paragraph.paragraph_format.space_after = Pt(2)
        elif kind == "list":
            depth = b.get("indent", 0)
            for item in b["items"]:
                if isinstance(item, str):
                    para(bullets[depth], [item])
                    continue
                para(bullets[depth], [item["text"]])
                for inner in item["items"]:
                    para(bullets[depth + 1], [inner])
                if item["after"]:
                    para(("List Continue", "List Continue 2")[depth], [item["after"]])
        elif kind == "figure":
            para("Caption", [b["caption"]]).paragraph_format.keep_with_next = True
            paragraph = document.add_paragraph()
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            paragraph.paragraph_format.keep_with_next = True
            paragraph.add_run().add_picture(io.BytesIO(pngs[b["id"]]), width=Cm(17))
            inline = paragraph._p.xpath(".//wp:inline")[-1]
            inline.find(qn("wp:docPr")).set("descr", svgs[b["id"]][1])
            inline.find(qn("wp:docPr")).set("title", b["caption"])
            for c_nv_pr in inline.xpath(".//pic:cNvPr"):
                c_nv_pr.set("descr", svgs[b["id"]][1])
        elif kind == "table":
            para("Caption", [b["caption"]]).paragraph_format.keep_with_next = True
            table = document.add_table(rows=1, cols=len(b["head"]))
            table.style = styles["Table Grid"]
            table.alignment = WD_TABLE_ALIGNMENT.CENTER
            table.autofit = False
            numeric = b["numeric"]
            fills = [HEADER_FILL[1:].upper(), TOTAL_FILL[1:].upper()]
            rows = [(table.rows[0], [[{"text": h, "bold": True}] for h in b["head"]], 0)]
            last = len(b["rows"]) - 1
            for y, cells in enumerate(b["rows"]):
                rows.append((table.add_row(), cells, 1 if b["total"] and y == last else None))
            for n, (row, cells, fill) in enumerate(rows):
                properties = row._tr.get_or_add_trPr()
                for tag in ("w:cantSplit", "w:tblHeader") if n == 0 else ("w:cantSplit",):
                    flag = OxmlElement(tag)
                    flag.set(qn("w:val"), "true")
                    properties.append(flag)
                for x, (cell, runs) in enumerate(zip(row.cells, cells)):
                    if n == 0:
                        cell.text = ""  # as the tracker clears a header cell (an empty run)
                    paragraph = cell.paragraphs[0]
                    paragraph._p.style = ids["Table Text"]
                    add_runs(paragraph, runs)
                    if numeric[x]:
                        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
                    if fill is not None:
                        shading = OxmlElement("w:shd")
                        shading.set(qn("w:val"), "clear")
                        shading.set(qn("w:color"), "auto")
                        shading.set(qn("w:fill"), fills[fill])
                        cell._tc.get_or_add_tcPr().append(shading)
            for column, width in zip(table.columns, b["widths"]):
                column.width = Cm(width * 17)
            for row in table.rows:
                for cell, width in zip(row.cells, b["widths"]):
                    cell.width = Cm(width * 17)
            margins = OxmlElement("w:tblCellMar")
            for edge, size in (("top", 40), ("left", 100), ("bottom", 40), ("right", 100)):
                element = OxmlElement(f"w:{edge}")
                element.set(qn("w:w"), str(size))
                element.set(qn("w:type"), "dxa")
                margins.append(element)
            properties = table._tbl.tblPr
            properties.find(qn("w:tblLook")).addprevious(margins)
            for tag in ("w:tblCaption", "w:tblDescription"):
                element = OxmlElement(tag)
                element.set(qn("w:val"), b["caption"])
                properties.append(element)
            document.add_paragraph().paragraph_format.space_after = Pt(2)
        elif kind == "contents":
            heading = document.add_paragraph()
            heading._p.style = ids["TOC Heading"]
            run = heading.add_run("Contents")
            run.bold, run.font.size, run.font.color.rgb = True, Pt(13), blue
            heading.paragraph_format.space_before = Pt(24)
            first = document.add_paragraph()
            _field_start(first.add_run(), ' TOC \\o "1-1" \\h \\z \\u ', dirty=True)
            paragraph = first
            for index, (text, _anchor) in enumerate(b["items"]):
                paragraph = first if index == 0 else document.add_paragraph()
                paragraph.add_run(text)
                paragraph.paragraph_format.space_after = Pt(2)
            end = OxmlElement("w:fldChar")
            end.set(qn("w:fldCharType"), "end")
            paragraph.add_run()._r.append(end)
    for number, doc_pr in enumerate(document.element.body.iter(qn("wp:docPr")), start=1):
        doc_pr.set("id", str(number))
    document.save(str(out))


TYPST_TEMPLATE = b"""
#let doc = json(bytes(sys.inputs.at("document")))
#let ink = rgb("#1f2937")
#let muted = rgb("#4b5563")
#let heading-colour = rgb("#1f4e79")
#let rule = rgb("#cbd5e1")
#set document(title: doc.title, author: "Office of the Police, Fire and Crime Commissioner",
              description: doc.subject, date: none)
#set text(font: ("Liberation Sans", "DejaVu Sans"), lang: "en", region: "GB", size: 10pt,
          fill: ink, fallback: false)
#set par(leading: 0.62em, spacing: 0.9em)
#set page(paper: "a4", margin: (left: 20mm, right: 20mm, top: 18mm, bottom: 22mm),
  footer: context {
    set text(size: 8pt, fill: muted)
    line(length: 100%, stroke: 0.5pt + rule)
    v(-0.4em)
    doc.title
    h(1fr)
    [Page #here().page() of #counter(page).final().first()]
  })
#show heading: set text(fill: heading-colour)
#show heading.where(level: 1): set text(size: 17pt)
#show heading.where(level: 1): set block(above: 0pt, below: 12pt)
#show heading.where(level: 2): set text(size: 13pt)
#show heading.where(level: 2): set block(above: 16pt, below: 8pt)
#show heading.where(level: 3): set text(size: 11pt, fill: ink)
#show heading.where(level: 3): set block(above: 14pt, below: 6pt)
#show heading.where(level: 4): set text(size: 10pt, fill: ink)
#show heading.where(level: 4): set block(above: 10pt, below: 5pt)
#show title: set text(size: 24pt, fill: heading-colour)
#show title: set block(below: 14pt)
#set list(indent: 0.4em, body-indent: 0.6em, spacing: 0.55em)
#set table.cell(breakable: false)
#show table: set text(size: 9pt)
#show table: set par(leading: 0.5em)
#set figure(numbering: none, gap: 6pt)
#show figure.caption: set text(size: 9pt, weight: "bold")
#show figure.where(kind: table): set block(breakable: true)
#show figure.where(kind: table): set figure.caption(position: top)
#show figure.where(kind: table): it => {
  show figure.caption: set text(weight: "regular", size: 8.5pt, fill: muted)
  it
}
#show figure.caption: it => align(left, it.body)
#show outline.entry.where(level: 1): set block(above: 0.7em)
#show link: set text(fill: heading-colour)
#show link: underline
#let fills = for (k, v) in doc.tones { ((k): rgb(v)) }
#let runs(rs) = rs.map(r => if type(r) == str { r } else {
  let body = if r.at("bold", default: false) { strong(r.text) } else { r.text }
  if "tone" in r { text(fill: fills.at(r.tone), body) } else { body }
}).join()
#let indented(b, body) = if b.at("indent", default: 0) > 0 { pad(left: b.indent * 1.4em, body) } else { body }
#v(60mm)
#title()
#for b in doc.blocks {
  if b.t == "h" {
    if b.level == 1 { pagebreak(weak: true) }
    heading(level: b.level, runs(b.runs))
  } else if b.t == "p" {
    let style = b.at("style", default: "")
    let body = runs(b.runs)
    if style == "subtitle" { body = text(size: 13pt, fill: muted, body) }
    if style == "note" { body = text(fill: muted, style: "italic", body) }
    indented(b, par(body))
  } else if b.t == "list" {
    indented(b, list(..b.items.map(i => if type(i) == str { i } else {
      [#i.text #if i.items.len() > 0 { list(..i.items) } #if i.after != "" { par(i.after) }]
    })))
  } else if b.t == "figure" {
    v(4pt)
    figure(image(b.file, alt: b.alt, width: 100%), caption: figure.caption(position: top, b.caption))
    v(4pt)
  } else if b.t == "table" {
    let last = b.rows.len()
    figure(table(columns: b.widths.map(w => w * 1fr), stroke: 0.5pt + rule,
                 inset: (x: 5pt, y: 4pt),
                 align: (x, y) => if b.numeric.at(x) { right } else { left },
                 fill: (x, y) => if y == 0 { rgb("#e8eef5") }
                   else if b.total and y == last { rgb("#f3f4f6") } else { none },
                 table.header(..b.head.map(strong)), ..b.rows.map(r => r.map(runs)).flatten()),
           kind: table, caption: figure.caption(b.caption))
  } else if b.t == "contents" {
    v(10mm)
    outline(title: "Contents", depth: 1)
  }
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
        for key, (svg, _alt, _height) in svgs.items():
            (root / f"{key}.svg").write_text(svg, encoding="utf-8")
        for b in blocks:
            if b["t"] == "figure":
                b["file"], b["alt"] = f"{b['id']}.svg", svgs[b["id"]][1]
        compiler = typst.Compiler(root=str(root), font_paths=_typst_fonts())
        pdf = compiler.compile(TYPST_TEMPLATE, format="pdf", pdf_standards=["ua-1"],
                               sys_inputs={"document": json.dumps(
                                   {"title": title, "subject": blocks[0]["runs"][0],
                                    "tones": TONES, "blocks": blocks}, separators=(",", ":"))})
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
