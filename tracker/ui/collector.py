"""Python's cycle collector run on the GUI thread only, and Python's lock handed to it soon.

Left to itself the collector runs in whichever thread happens to allocate when its counts are
reached. A job (reading 200 indicators, a return) can so collect a dead Qt object's wrapper on
its own thread; disconnecting that object there takes Qt's connection lock and then waits for
Python's lock, while the GUI thread holds Python's lock and waits in a connect() for Qt's: the
window hangs for good (the test suite did, so). Here automatic collection is off, and a timer
on the GUI thread collects each generation when Python would have (the same thresholds, and
a full pass only once the oldest generation has grown by a quarter), so every object is
destroyed on the GUI thread. It looks every 10 ms: the young generation then
holds what 10 ms allocated, and each pass is short (at 100 ms a job's allocations piled up into
passes of 50-80 ms).

While a job's thread runs Python, the GUI thread waits for Python's lock at each turn of the
event loop, and a collection loses it too whenever a finaliser runs. So the lock is handed over
after 1 ms (Python's default is 5 ms: an import's preview froze the window 60-100 ms in 5 ms
waits), and a full pass, which walks every object and takes 40-100 ms alongside a job, waits
until no job's thread runs; the young generations are still collected meanwhile.
"""

from __future__ import annotations

import gc
import sys
import threading

from PySide6.QtCore import QCoreApplication, QObject, QTimer

INTERVAL_MS = 10  # (a look at gc.get_count(), microseconds, when nothing is due)
SWITCH_INTERVAL = 0.001  # seconds a thread holds Python's lock while another waits for it

_installed: GuiThreadCollector | None = None


class GuiThreadCollector(QObject):
    def __init__(self, parent: QObject | None = None, interval_ms: int = INTERVAL_MS):
        super().__init__(parent)
        self.thresholds = gc.get_threshold()
        self.long_lived = len(gc.get_objects(2))  # the oldest generation after a full pass
        self.workers: list[threading.Thread] = []  # jobs' threads: no full pass while they run
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.collect_due)
        gc.disable()
        self.timer.start()

    def collect_due(self) -> int:
        """Collect the generations whose counts are past their thresholds, as Python would;
        the generation collected, or -1."""
        young, middle, old = gc.get_count()
        first, second, third = self.thresholds
        if young <= first:
            return -1
        generation = 0
        if middle > second:
            generation = 1
            # Python's own rule for a full pass: only once a quarter as many objects again
            # have come into the oldest generation as were there after the last one.
            if old > third and not self._workers_running():
                now = len(gc.get_objects(2))
                self.long_lived = min(self.long_lived, now)  # (fewer: frozen, or freed)
                if now - self.long_lived > self.long_lived // 4:
                    generation = 2
        gc.collect(generation)
        if generation == 2:
            self.long_lived = len(gc.get_objects(2))
        return generation

    def _workers_running(self) -> bool:
        self.workers = [t for t in self.workers if t.is_alive()]
        return bool(self.workers)


def worker_started(thread: threading.Thread) -> None:
    """A job's thread has started (the job runner says so): full passes wait for it."""
    if _installed is not None:
        _installed.workers.append(thread)


def install() -> GuiThreadCollector:
    """Once a process, from the GUI thread (the window calls it as it is made)."""
    global _installed
    if _installed is None:
        _installed = GuiThreadCollector(QCoreApplication.instance())
        sys.setswitchinterval(SWITCH_INTERVAL)
    return _installed
