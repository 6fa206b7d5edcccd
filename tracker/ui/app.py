"""Starting the window: the QApplication, the database, and a clean exit."""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("PYQTGRAPH_QT_LIB", "PySide6")  # pyqtgraph would pick PyQt6 if present

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QMessageBox

from tracker.store import open_store
from tracker.store.errors import StoreError
from tracker.store.location import create_database, resolve_db


def make_application(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance() or QApplication(argv or sys.argv[:1])
    app.setApplicationName("Commitment Tracker")
    app.setOrganizationName("CommitmentTracker")
    app.setApplicationDisplayName("Commitment Tracker")
    return app


def run_gui(db: str | None) -> int:
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
        QMessageBox.critical(None, "Commitment Tracker", str(exc))
        print(f"tracker: {exc}", file=sys.stderr)
        return 1
    window = MainWindow(store)
    window.show()
    window.ensure_officer_name()
    code = app.exec()
    window.shutdown()
    return code
