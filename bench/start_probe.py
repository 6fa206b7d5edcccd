"""One process start, ended at the first paint of a window: `start_probe.py ours DB` starts the
tracker as `tracker --db DB` does; `start_probe.py floor` imports PySide6 and pyqtgraph and shows
an empty QMainWindow. Both stop in the first paint event (MEASURED trap 8: a timer would quit
before the first paint under the offscreen platform); the parent times the whole process.

The only hook is the same on both sides: QApplication.exec installs an application-wide event
filter that leaves the process at the first Paint event.
"""

from __future__ import annotations

import os
import sys

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication, QMainWindow


class _FirstPaint(QObject):
    def eventFilter(self, obj, event) -> bool:
        if event.type() == QEvent.Type.Paint:
            sys.stdout.flush()
            # A message box instead of the main window (a start that failed) is not a start.
            os._exit(0 if isinstance(obj.window(), QMainWindow) else 3)
        return False


_probe = _FirstPaint()
_exec = QApplication.exec


def _exec_until_painted(self=None, *args):
    app = QApplication.instance()
    app.installEventFilter(_probe)
    return _exec()


QApplication.exec = _exec_until_painted


def main() -> int:
    mode = sys.argv[1]
    if mode == "floor":
        import pyqtgraph  # noqa: F401  the bare libraries the window is built on

        app = QApplication(sys.argv[:1])
        window = QMainWindow()
        window.resize(1400, 900)
        window.show()
        return app.exec()
    from tracker.cli import main as tracker_main

    return tracker_main(["--db", sys.argv[2]])


if __name__ == "__main__":
    sys.exit(main())
