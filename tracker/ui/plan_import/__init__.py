"""Starting a plan from the office's own spreadsheet or Word outline, in the window.

Entry point for the main window:
    install(window) -> PlanImportActions   adds two actions to the Plan menu
Dialogs: PlanSheetDialog (a spreadsheet, with its column and status mapping) and
PlanOutlineDialog (pasted text or a Word document); both preview first and create the plan in
one operation (tracker.ops.import_plan).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog, QMainWindow, QWidget

from tracker.ui.jobs import ProgressTask, run_with_progress

__all__ = ["PlanImportActions", "PlanOutlineDialog", "PlanSheetDialog", "install"]


def __getattr__(name: str):
    # The dialogs and the workbook reader (openpyxl) load when first used, not with the window.
    if name == "PlanOutlineDialog":
        from tracker.ui.plan_import.outline_dialog import PlanOutlineDialog

        return PlanOutlineDialog
    if name == "PlanSheetDialog":
        from tracker.ui.plan_import.sheet_dialog import PlanSheetDialog

        return PlanSheetDialog
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


class PlanImportActions(QObject):
    """The window needs `store`, `menus["Plan"]`, `refresh()`, `show_error(what, exc)`, and a
    workspace with `select_key`."""

    def __init__(self, window: QMainWindow):
        super().__init__(window)
        self.window = window
        self.tasks: list[ProgressTask] = []
        self.dialog: QWidget | None = None
        menu = window.menus["Plan"]
        first = menu.actions()[0] if menu.actions() else None
        self.sheet_action = QAction("New plan from a &spreadsheet…", window)
        self.sheet_action.setStatusTip("Bring in the office's own delivery plan from Excel: map "
                                       "its columns, preview, create")
        self.sheet_action.triggered.connect(lambda _checked=False: self.from_spreadsheet())
        self.outline_action = QAction("New plan from an &outline…", window)
        self.outline_action.setStatusTip("Paste a plan's outline or open it from Word: preview, "
                                         "create")
        self.outline_action.triggered.connect(lambda _checked=False: self.from_outline())
        for action in (self.sheet_action, self.outline_action):
            menu.insertAction(first, action) if first else menu.addAction(action)
        if first is not None:
            menu.insertSeparator(first)

    @staticmethod
    def ask_workbook(parent: QWidget) -> str:
        """The spreadsheet to read, or "" (tests replace this)."""
        path, _filter = QFileDialog.getOpenFileName(parent, "Open the office's plan", "",
                                                    "Excel workbooks (*.xlsx);;All files (*)")
        return path

    def from_spreadsheet(self, path: str | Path | None = None) -> None:
        path = path or self.ask_workbook(self.window)
        if not path:
            return

        def job(_progress, _cancelled):
            from tracker.exchange.plan_sheet.grid import read_plan_workbook

            return read_plan_workbook(path)

        task = run_with_progress(self.window, f"Reading {Path(path).name}…", job,
                                 self._open_sheet_dialog,
                                 lambda exc: self.window.show_error("The plan was not read", exc),
                                 cancellable=False)
        self.tasks.append(task)
        task.done.connect(lambda: self.tasks.remove(task))

    def _open_sheet_dialog(self, grid) -> None:
        from tracker.ui.plan_import.sheet_dialog import PlanSheetDialog

        self._show(PlanSheetDialog(self.window.store, grid, self.window))

    def from_outline(self) -> None:
        from tracker.ui.plan_import.outline_dialog import PlanOutlineDialog

        self._show(PlanOutlineDialog(self.window.store, self.window))

    def _show(self, dialog) -> None:
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.created.connect(self._created)
        dialog.destroyed.connect(lambda _obj=None: setattr(self, "dialog", None))
        self.dialog = dialog
        dialog.open()

    def _created(self, result) -> None:
        from tracker.ui.models.plan_tree import PLAN

        history = getattr(self.window, "history", None)
        if history is not None:  # a step of the undo history, like a new plan from an old one
            history.push(result, "Bring a plan in")
        self.window.refresh()
        self.window.workspace.select_key((PLAN, result.value.plan_id))
        self.window.statusBar().showMessage("The plan was created.", 8000)


def install(window: QMainWindow) -> PlanImportActions:
    return PlanImportActions(window)
