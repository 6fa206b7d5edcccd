"""The main toolbar: the officer's everyday actions with icons, each the same QAction as its menu
entry (so it is enabled, disabled and undone alike), its tooltip naming the shortcut.

Entry point for the main window (after the menus and the other features are installed):
    install(window) -> QToolBar   also adds View ▸ Home (Alt+Home)
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QToolBar

from tracker.ui.icons import icon

HOME_KEYS = "Alt+Home"


def _with_shortcut(action: QAction) -> None:
    """"Change the selected commitment's status (F2)": the tooltip says the key too."""
    keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
    tip = action.toolTip() or action.text().replace("&", "").rstrip("…")
    if keys and keys not in tip:
        action.setToolTip(f"{tip} ({keys})")


def install(window: QMainWindow) -> QToolBar:
    home = QAction("&Home", window)
    home.setShortcut(QKeySequence(HOME_KEYS))
    home.setToolTip("The plan at a glance")
    home.setStatusTip("The plan at a glance")
    home.triggered.connect(lambda _c=False: window.show_home())
    view = window.menus["View"]
    first = view.actions()[0] if view.actions() else None
    view.insertAction(first, home)
    view.insertSeparator(first)
    window.home_action = home

    returns = getattr(window, "returns", None)
    printing = getattr(window, "printing", None)
    groups = [
        [(home, "home")],
        [(window.undo_action, "undo"), (window.redo_action, "redo")],
        [(window.find_action, "find")],
        [(window.status_action, "status"), (window.evidence_action, "evidence"),
         (window.add_commitment_action, "commitment")],
        [(window.indicators_action, "indicators"), (window.report_action, "report")]
        + ([(printing.print_action, "print")] if printing is not None else []),
    ]
    if returns is not None:
        groups.append([(returns.export_action, "send"), (returns.import_action, "import")])
    bar = QToolBar("Main toolbar", window)
    bar.setObjectName("mainToolbar")  # saveState() keeps it by name
    bar.setMovable(False)
    bar.setIconSize(QSize(22, 22))
    bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
    bar.setAccessibleName("Main toolbar")
    short = {"status": "Status", "evidence": "Evidence", "commitment": "Commitment",
             "indicators": "Indicators", "report": "Report", "print": "Print", "send": "Send",
             "import": "Import", "find": "Find", "home": "Home", "undo": "Undo", "redo": "Redo"}
    for i, group in enumerate(groups):
        if i:
            bar.addSeparator()
        for action, name in group:
            action.setIcon(icon(name))
            action.setIconText(short[name])
            _with_shortcut(action)
            bar.addAction(action)
    window.addToolBar(Qt.ToolBarArea.TopToolBarArea, bar)
    return bar
