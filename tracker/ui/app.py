"""Starting the window: the QApplication, the database, and a clean exit."""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("PYQTGRAPH_QT_LIB", "PySide6")  # pyqtgraph would pick PyQt6 if present

from PySide6.QtCore import QEvent, QObject, QSettings, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from tracker.store import open_store
from tracker.store.errors import StoreError
from tracker.store.location import create_database, resolve_db
from tracker.ui.startup import create_application, no_display


def make_application(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance() or create_application(argv or sys.argv[:1])
    app.setApplicationName("Commitment Tracker")
    app.setOrganizationName("CommitmentTracker")
    app.setApplicationDisplayName("Commitment Tracker")
    return app


class _QuitAfterFirstPaint(QObject):
    """For a smoke start: lets the first frame paint, then quits (quitting from a zero timer
    after show() would quit before anything is painted)."""

    painted = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and not self.painted:
            self.painted = True
            QTimer.singleShot(0, QApplication.quit)
        return False


def run_gui(db: str | None, smoke_start: bool = False) -> int:
    """The window on `db` (else the last one opened, else the default one, made on first run).

    `smoke_start` opens it, paints the first frame and exits: a check that an installation
    starts, for the packaging tests and the bundle's smoke test.
    """
    problem = no_display()
    if problem:
        print(f"tracker: {problem}", file=sys.stderr)
        return 1
    from tracker.ui.main_window import MainWindow

    app = make_application()
    if db is None:
        # The database the officer had open last time, if it is still there.
        last = str(QSettings().value("db/last", "") or "")
        if last and Path(last).is_file():
            db = last
    path = resolve_db(db)
    try:
        if db is None and not path.exists():
            store = create_database(path)
        else:
            store = open_store(path, mode="auto")
    except StoreError as exc:
        if not smoke_start:  # a smoke start runs unattended: nobody would close the box
            QMessageBox.critical(None, "Commitment Tracker", str(exc))
        print(f"tracker: {exc}", file=sys.stderr)
        return 1
    window = MainWindow(store)
    first_paint = _QuitAfterFirstPaint(app)
    if smoke_start:
        app.installEventFilter(first_paint)
    window.show()
    if not smoke_start:  # unattended: no first-run question (its dialog would wait for ever)
        window.ensure_officer_name()
    code = app.exec()
    window.shutdown()
    if smoke_start:
        app.removeEventFilter(first_paint)
        if not first_paint.painted:
            print("tracker: the window closed before painting its first frame.", file=sys.stderr)
            return 1
        print(f"Smoke start: the window painted its first frame on {path}.")
    return code
