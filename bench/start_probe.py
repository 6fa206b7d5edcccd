"""One process start, ended at the first paint of a window: `start_probe.py ours DB` starts the
tracker as `tracker --db DB` does; `start_probe.py floor` imports PySide6 and pyqtgraph and shows
an empty QMainWindow. Both stop in the first paint event (MEASURED trap 8: a timer would quit
before the first paint under the offscreen platform); the parent times the whole process.

The one hook is the same on both sides and changes no import order (PySide6 makes every module
imported after it more expensive, so importing it early here would tax ours alone): when the
program itself imports PySide6.QtWidgets, QApplication.exec is wrapped to install an event
filter that leaves the process at the first Paint event of a main window.
"""

from __future__ import annotations

import importlib.abc
import importlib.util
import os
import sys
import time

_T0 = time.perf_counter()
_MARKS: dict[str, float] = {}


def _mark(name: str) -> None:
    _MARKS[name] = time.perf_counter() - _T0


def _patch(widgets) -> None:
    from PySide6.QtCore import QEvent, QObject

    class FirstPaint(QObject):
        def eventFilter(self, obj, event) -> bool:
            if event.type() == QEvent.Type.Paint:
                _mark("painted")
                if os.environ.get("BENCH_TIMELINE"):  # where the time went, for profiling
                    print(" ".join(f"{k} {v * 1000:.0f}" for k, v in _MARKS.items()),
                          file=sys.stderr)
                sys.stdout.flush()
                # A message box instead of the main window (a start that failed) is not a start.
                os._exit(0 if isinstance(obj.window(), widgets.QMainWindow) else 3)
            return False

    probe = FirstPaint()
    run = widgets.QApplication.exec

    def exec_until_painted(*_args):
        _mark("exec")
        widgets.QApplication.instance().installEventFilter(probe)
        return run()

    widgets.QApplication.exec = exec_until_painted
    widgets._bench_probe = probe


class _WhenQtWidgetsLoads(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        if name != "PySide6.QtWidgets":
            return None
        sys.meta_path.remove(self)
        spec = importlib.util.find_spec(name)
        load = spec.loader.exec_module

        def exec_module(module):
            _mark("qt")
            load(module)
            _patch(module)

        spec.loader.exec_module = exec_module
        return spec


sys.meta_path.insert(0, _WhenQtWidgetsLoads())


def main() -> int:
    mode = sys.argv[1]
    if mode == "floor":
        import pyqtgraph  # noqa: F401  the bare libraries the window is built on
        from PySide6.QtWidgets import QApplication, QMainWindow

        app = QApplication(sys.argv[:1])
        window = QMainWindow()
        available = window.screen().availableGeometry()  # sized as the tracker sizes its own
        window.resize(min(1400, available.width()), min(900, available.height()))
        window.show()
        return app.exec()
    from tracker.cli import main as tracker_main

    return tracker_main(["--db", sys.argv[2]])


if __name__ == "__main__":
    sys.exit(main())
