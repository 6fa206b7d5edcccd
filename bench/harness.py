"""What every benchmark shares: waiting on the Qt event loop without spinning, seeing when a view
is painted after its last change, a GUI-thread heartbeat, and ours/floor alternation."""

from __future__ import annotations

import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("PYQTGRAPH_QT_LIB", "PySide6")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PySide6.QtCore import QCoreApplication, QEvent, QEventLoop, QObject, Qt, QTimer
from PySide6.QtWidgets import QAbstractItemView, QApplication

STALL_MS = 100
TICK_MS = 10


def application() -> QApplication:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("Commitment Tracker bench")
    app.setOrganizationName("CommitmentTrackerBench")
    return app


class Timeout(RuntimeError):
    pass


def wait_until(condition: Callable[[], bool], timeout: float = 120.0, poll_ms: int = 5) -> float:
    """Run the event loop (sleeping between events, not spinning: a worker thread keeps its core)
    until condition() holds; returns the time it first held."""
    if condition():
        return time.perf_counter()
    loop = QEventLoop()
    found: list[float] = []
    deadline = time.perf_counter() + timeout

    failed: list[BaseException] = []

    def check() -> None:
        try:
            held = condition()
        except Exception as exc:  # raised again below, not lost in a Qt slot
            failed.append(exc)
            loop.quit()
            return
        if held:
            found.append(time.perf_counter())
            loop.quit()
        elif time.perf_counter() > deadline:
            loop.quit()

    timer = QTimer()
    timer.setTimerType(Qt.TimerType.PreciseTimer)
    timer.setInterval(poll_ms)
    timer.timeout.connect(check)
    timer.start()
    loop.exec()
    timer.stop()
    if failed:
        raise failed[0]
    if not found:
        raise Timeout(f"still waiting after {timeout:.0f} s")
    return found[0]


def idle(dialog) -> bool:
    """A long-job dialog with nothing running."""
    running = getattr(dialog, "running", None)
    if running is None:
        return getattr(dialog, "thread", None) is None
    return not (running() if callable(running) else running)


def run_events(seconds: float) -> None:
    """Let the event loop run for a while (timers, paints, queued signals)."""
    end = time.perf_counter() + seconds
    wait_until(lambda: time.perf_counter() >= end, timeout=seconds + 60)


def flush_deletes() -> None:
    QCoreApplication.processEvents()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    QCoreApplication.processEvents()


class PaintWatch(QObject):
    """When a view was last changed (model rows, resets, layout, expand/collapse) and when it was
    painted after that. `settled()` waits until nothing has changed for `quiet` seconds and gives
    the time of the first paint after the last change: what the officer waits for, however the
    work is split over events or threads."""

    def __init__(self, view: QAbstractItemView) -> None:
        super().__init__()
        self.view = view
        self.last_change = 0.0
        self.paints: list[float] = []
        view.viewport().installEventFilter(self)
        self._model = None
        self._hook(view.model())
        view.expanded.connect(self.changed) if hasattr(view, "expanded") else None
        view.collapsed.connect(self.changed) if hasattr(view, "collapsed") else None

    def _hook(self, model) -> None:
        if model is None or model is self._model:
            return
        self._model = model
        for name in ("modelReset", "rowsInserted", "rowsRemoved", "layoutChanged",
                     "rowsMoved"):
            getattr(model, name).connect(self.changed)

    def changed(self, *_args) -> None:
        self.last_change = time.perf_counter()

    def eventFilter(self, _obj, event) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.paints.append(time.perf_counter())
        return False

    def settled(self, since: float, quiet: float = 0.6, timeout: float = 120.0) -> float:
        """The first paint after the last change made after `since`."""
        def quiet_now() -> bool:
            self._hook(self.view.model())
            now = time.perf_counter()
            last = max(self.last_change, since)
            painted = [p for p in self.paints if p >= last]
            return bool(painted) and now - max(last, painted[0]) >= quiet
        wait_until(quiet_now, timeout=timeout, poll_ms=20)
        last = max(self.last_change, since)
        return min(p for p in self.paints if p >= last)

    def detach(self) -> None:
        self.view.viewport().removeEventFilter(self)


class Heartbeat(QObject):
    """A 10 ms timer on the GUI thread; a gap of more than 100 ms between two ticks is a stall
    (the window could not repaint or answer a key)."""

    def __init__(self) -> None:
        super().__init__()
        self.ticks: list[float] = []
        self.timer = QTimer(self)
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.setInterval(TICK_MS)
        self.timer.timeout.connect(lambda: self.ticks.append(time.perf_counter()))

    def start(self) -> None:
        self.ticks = [time.perf_counter()]
        self.timer.start()

    def stop(self) -> float:
        """The longest gap, in seconds."""
        self.timer.stop()
        self.ticks.append(time.perf_counter())
        return max((b - a for a, b in zip(self.ticks, self.ticks[1:])), default=0.0)


def alternate(ours: Callable[[], float], floor: Callable[[], float],
              runs: int) -> tuple[list[float], list[float]]:
    """Ours and the floor in turn (ABBA, so drift in machine load falls on both), after one
    unmeasured run of each (imports, fonts, caches)."""
    ours()
    floor()
    a, b = [], []
    for i in range(runs):
        if i % 2 == 0:
            a.append(ours())
            b.append(floor())
        else:
            b.append(floor())
            a.append(ours())
    return a, b


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")
