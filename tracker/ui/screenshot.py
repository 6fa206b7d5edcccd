"""Make the README's picture of the main window: the sample plan, a priority opened, a
commitment with its evidence selected, 1400x900.

    QT_QPA_PLATFORM=offscreen python -m tracker.ui.screenshot docs/main-window.png
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
        window.shutdown()
        window.close()
        QApplication.processEvents()
    print(f"saved {target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
