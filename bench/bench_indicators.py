"""Indicator grid: our view against bare pyqtgraph, 200 indicators.

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/bench_indicators.py [--runs 5] [--count 200]

Measures, as medians of several runs in one process (compare the ratios, not the times):
- ours, open: IndicatorsView on a temporary database of N synthetic indicators (8 financial
  years each, a gap, a comparison series for a third of them), from construction to the first
  painted frame at 1400x900;
- ours, scroll through: then scroll from top to bottom a wheel step (40 px) at a time, painting
  each step; also the slowest step (what a stutter would be);
- floor: bare pyqtgraph, N PlotWidgets in a QGridLayout inside a QScrollArea, each with the same
  line and markers, built, shown and painted once (what drawing every plot costs), then the
  median 40 px scroll step of that grid. A step is timed to the end of the paint it causes.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("PYQTGRAPH_QT_LIB", "PySide6")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import pyqtgraph as pg
from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtWidgets import (
    QApplication,
    QGridLayout,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from tracker.domain.model import Polarity, Series, Unit, ValueState
from tracker.store import indicators, plans
from tracker.store.database import open_store
from tracker.ui.indicators import IndicatorsView

SCROLL_SAMPLE = 60  # wheel steps timed in the bare grid
YEARS = [f"{y}/{(y + 1) % 100:02d}" for y in range(2014, 2022)]


def build_database(path: Path, count: int) -> None:
    store = open_store(path, create=True, officer="Bench")
    with store.transaction():
        plan_id = plans.add_plan(store, "Bench plan", "2021-2024")
        priorities = [plans.add_priority(store, plan_id, n, f"Priority {n}") for n in range(1, 8)]
        for n in range(count):
            unit = [Unit.COUNT, Unit.PERCENT, Unit.RATE][n % 3]
            iid = indicators.add_indicator(
                store, priorities[n % 7], f"Synthetic indicator {n:03d} with a longer name",
                unit=unit, polarity=[Polarity.LOWER_IS_BETTER, Polarity.HIGHER_IS_BETTER][n % 2],
                baseline_period="2014/15", target_value=50 if n % 4 == 0 else None)
            for i, year in enumerate(YEARS):
                if i == 3:
                    continue  # a gap
                value = 40 + (n * 7 + i * 5) % 50
                state = ValueState.PROVISIONAL if i == len(YEARS) - 1 else ValueState.FINAL
                indicators.add_value(store, iid, indicators.ValueInput(year, value, state=state))
                if n % 3 == 0:
                    indicators.add_value(store, iid, indicators.ValueInput(
                        year, value + 3, Series.COMPARISON))
    store.close()


def flush(app: QApplication) -> None:
    app.processEvents()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def run_ours(app: QApplication, path: Path) -> tuple[float, float, float, float, int]:
    store = open_store(path, officer="Bench")
    host = QWidget()
    QVBoxLayout(host).setContentsMargins(0, 0, 0, 0)
    host.resize(1400, 900)
    start = time.perf_counter()
    view = IndicatorsView(store, host)
    host.layout().addWidget(view)
    host.show()
    app.processEvents()
    host.grab()
    opened = time.perf_counter() - start
    bar = view.grid.verticalScrollBar()
    steps = []
    start = time.perf_counter()
    while bar.value() < bar.maximum():
        t = time.perf_counter()
        bar.setValue(bar.value() + 40)
        app.processEvents()  # paints what the step exposed
        steps.append(time.perf_counter() - t)
    scrolled = time.perf_counter() - start
    pool = view.grid.pool_size()
    view.shutdown()
    host.close()
    host.deleteLater()
    flush(app)
    store.close()
    return opened, scrolled, statistics.median(steps), max(steps), pool


def run_floor(app: QApplication, count: int) -> tuple[float, float]:
    xs = list(range(len(YEARS)))
    ys = [40 + i * 5 for i in xs]
    start = time.perf_counter()
    area = QScrollArea()
    area.setWidgetResizable(True)
    inner = QWidget()
    grid = QGridLayout(inner)
    plots = []
    for n in range(count):
        widget = pg.PlotWidget(background="w")
        widget.setMinimumHeight(260)
        widget.plot(xs, ys, pen=pg.mkPen("#1f4e79", width=2), symbol="o", symbolSize=8)
        grid.addWidget(widget, n // 3, n % 3)
        plots.append(widget)
    area.setWidget(inner)
    area.resize(1400, 900)
    area.show()
    app.processEvents()
    area.grab()
    inner.grab()  # every plot painted once, as scrolling through them would
    elapsed = time.perf_counter() - start
    bar = area.verticalScrollBar()
    steps = []
    for _ in range(SCROLL_SAMPLE):
        t = time.perf_counter()
        bar.setValue(bar.value() + 40)
        app.processEvents()
        steps.append(time.perf_counter() - t)
    for widget in plots:
        widget.close()
        widget.deleteLater()
    area.close()
    area.deleteLater()
    flush(app)
    return elapsed, statistics.median(steps)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--count", type=int, default=200)
    args = parser.parse_args()
    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.db"
        build_database(path, args.count)
        run_ours(app, path)  # warm up imports and fonts
        ours = [run_ours(app, path) for _ in range(args.runs)]
        floor = [run_floor(app, args.count) for _ in range(args.runs)]
    opened = statistics.median(r[0] for r in ours)
    scrolled = statistics.median(r[1] for r in ours)
    step = statistics.median(r[2] for r in ours)
    worst = statistics.median(r[3] for r in ours)
    bare = statistics.median(f[0] for f in floor)
    bare_step = statistics.median(f[1] for f in floor)
    print(f"{args.count} indicators, {args.runs} runs, medians")
    print(f"  ours:  open to first frame            {opened * 1000:8.1f} ms "
          f"({ours[0][4]} panels built)")
    print(f"  floor: {args.count} bare plots built and painted {bare * 1000:8.1f} ms")
    print(f"  ratio open / floor                    {opened / bare:8.2f}")
    print(f"  ours:  scroll top to bottom, 40 px    {scrolled * 1000:8.1f} ms "
          f"(a step: median {step * 1000:.1f} ms, slowest {worst * 1000:.1f} ms)")
    print(f"  floor: a 40 px step in the bare grid  {bare_step * 1000:8.1f} ms")
    print(f"  ratio step / floor step               {step / bare_step:8.2f}")


if __name__ == "__main__":
    main()
