"""Make the README's pictures of the main window on the sample plan, 1400x900: the Plan tab
with a priority opened and a commitment with its evidence selected, and (given a second file)
the Indicators tab.

    QT_QPA_PLATFORM=offscreen python -m tracker.ui.screenshot docs/main-window.png docs/indicators.png
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("PYQTGRAPH_QT_LIB", "PySide6")


def main(argv: list[str] | None = None) -> int:
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from tracker.store import queries
    from tracker.store.location import create_database
    from tracker.ui.app import make_application
    from tracker.ui.main_window import MainWindow
    from tracker.ui.models.plan_tree import COMMITMENT, PRIORITY

    args = argv if argv is not None else sys.argv[1:]
    target = Path(args[0] if args else "docs/main-window.png")
    indicators_target = Path(args[1]) if len(args) > 1 else None
    app = make_application()
    with tempfile.TemporaryDirectory() as folder:
        store = create_database(Path(folder) / "sample.db", officer="A. Officer")
        plan = queries.default_plan(store)
        priority = queries.list_priorities(store, plan.id)[0]
        chosen = next(c for c in queries.list_commitments(store, priority.id)
                      if queries.list_evidence(store, c.id))
        settings = QSettings(str(Path(folder) / "settings.ini"), QSettings.Format.IniFormat)
        window = MainWindow(store, settings)
        window.resize(1400, 900)
        window.show()
        window.workspace.expand_key((PRIORITY, priority.id))
        window.workspace.select_key((COMMITMENT, chosen.id))
        for _ in range(5):
            app.processEvents()
        target.parent.mkdir(parents=True, exist_ok=True)
        window.grab().save(str(target))
        print(f"saved {target}")
        if indicators_target is not None:
            window.tabs.setCurrentWidget(window.indicators)
            for _ in range(10):
                app.processEvents()
            indicators_target.parent.mkdir(parents=True, exist_ok=True)
            window.grab().save(str(indicators_target))
            print(f"saved {indicators_target}")
        window.shutdown()
        window.close()
        QApplication.processEvents()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
