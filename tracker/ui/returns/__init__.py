"""Partner returns in the window: sending workbooks, importing what comes back, who has replied,
and the whole-plan workbook.

Entry points for the main window:
    install(window) -> ReturnsActions   adds a "Returns" menu and handles dropped .xlsx files
    open_import_dialog(parent, store, path) -> ImportReturnDialog   for one dropped workbook
Dialogs: ExportReturnsDialog, ImportReturnDialog, RoundStatusDialog.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog, QMainWindow, QMessageBox, QWidget

from tracker import ops
from tracker.domain.wording import count_of
from tracker.errors import Cancelled
from tracker.store import queries
from tracker.store.database import Store
from tracker.store.errors import StoreError
from tracker.ui.jobs import ProgressTask, run_with_progress
from tracker.ui.menu_action import add_action

if TYPE_CHECKING:
    from tracker.ui.returns.export_dialog import ExportReturnsDialog
    from tracker.ui.returns.import_dialog import ImportReturnDialog
    from tracker.ui.returns.status_dialog import RoundStatusDialog

# The dialogs (and through them the workbook readers and writers: openpyxl) load when first
# opened, not with the window.
_DIALOGS = {"ExportReturnsDialog": "export_dialog", "ImportReturnDialog": "import_dialog",
            "RoundStatusDialog": "status_dialog"}


def __getattr__(name: str):
    if name in _DIALOGS:
        import importlib

        return getattr(importlib.import_module(f"{__name__}.{_DIALOGS[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

__all__ = ["ExportReturnsDialog", "ImportReturnDialog", "ReturnsActions", "RoundStatusDialog",
           "install", "open_import_dialog"]


def open_import_dialog(parent: QWidget | None, store: Store, path: str | Path | None = None
                       ) -> ImportReturnDialog:
    """Show the import dialog (reading `path` at once if given); it deletes itself on close."""
    from tracker.ui.returns.import_dialog import ImportReturnDialog

    dialog = ImportReturnDialog(store, path, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog


class ReturnsActions(QObject):
    """The Returns menu of a main window. The window needs `store`, `menus`, `history` (its
    undo history: imports and reverts go on it), `show_error(what, exc)`,
    `open_database(path)` and the `on_xlsx_dropped` signal."""

    def __init__(self, window: QMainWindow):
        super().__init__(window)
        self.window = window
        self.tasks: list[ProgressTask] = []
        menu = window.menuBar().addMenu("&Returns")
        help_menu = getattr(window, "menus", {}).get("Help")
        if help_menu is not None:  # keep Help last
            window.menuBar().insertMenu(help_menu.menuAction(), menu)
        if hasattr(window, "menus"):
            window.menus["Returns"] = menu
        self.menu = menu
        self.export_action = self._action("&Send partner returns…", self.export_returns,
                                          "Write each partner's workbook for a reporting round")
        self.import_action = self._action("&Import a partner return…", self.import_return,
                                          "Preview a returned workbook, then apply it", "Ctrl+I")
        self.status_action = self._action("&Who has replied…", self.round_status,
                                          "Per partner: sent, back or overdue; revert a return")
        menu.addSeparator()
        self.export_plan_action = self._action(
            "Export whole plan &workbook…", self.export_plan,
            "Everything in this database in one Excel workbook")
        self.import_plan_action = self._action(
            "&New database from a plan workbook…", self.import_plan,
            "Load a whole-plan workbook into a new, empty database")
        signal = getattr(window, "on_xlsx_dropped", None)
        if signal is not None:
            signal.connect(self.import_return)

    def _action(self, text: str, slot, tip: str, shortcut: str | None = None) -> QAction:
        return add_action(self.menu, text, slot, shortcut, tip)

    @property
    def store(self) -> Store:
        return self.window.store

    @property
    def history(self):
        return getattr(self.window, "history", None)

    def _imported(self, result: ops.OpResult) -> None:
        """An applied return is a step of the window's undo history (undone as one)."""
        if self.history is not None:
            record = result.value.record
            self.history.push(result, f"Import {record.label}")

    def export_returns(self) -> ExportReturnsDialog:
        from tracker.ui.returns.export_dialog import ExportReturnsDialog

        dialog = ExportReturnsDialog(self.store, self.window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def import_return(self, path: str | Path | None = None) -> ImportReturnDialog:
        dialog = open_import_dialog(self.window, self.store, path)
        dialog.applied.connect(self._imported)
        if path is None:
            dialog.choose_file()
        return dialog

    def round_status(self, round_label: str | None = None) -> RoundStatusDialog:
        from tracker.ui.returns.status_dialog import RoundStatusDialog

        dialog = RoundStatusDialog(self.store, self.window, round_label, history=self.history)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.import_requested.connect(lambda: self.import_return())
        dialog.open()
        return dialog

    def export_plan(self, out: str | Path | None = None) -> ProgressTask | None:
        if out is None:
            out, _ = QFileDialog.getSaveFileName(self.window, "Export whole plan workbook",
                                                 str(Path.home() / "plan.xlsx"),
                                                 "Excel workbooks (*.xlsx)")
            if not out:
                return None
        store = self.store

        def job(_progress, _cancelled):
            with store.for_worker() as own:
                return ops.export_plan_workbook(own, out), queries.count_attachments(own)

        def done(answer) -> None:
            counts, files = answer
            said = f"Wrote {Path(out).name}: " + ", ".join(
                count_of(n, name) for name, n in counts.items()) + "."
            if files:
                said += (f" Files attached to evidence are not in it: {count_of(files, 'file')} "
                         f"{'is' if files == 1 else 'are'} kept in the database only.")
            self._say(said)

        return self._run("Exporting the plan workbook…", job, done,
                         "Could not export the plan workbook")

    def import_plan(self, source: str | Path | None = None,
                    target: str | Path | None = None) -> ProgressTask | None:
        if source is None:
            source, _ = QFileDialog.getOpenFileName(self.window, "Whole plan workbook", "",
                                                    "Excel workbooks (*.xlsx)")
            if not source:
                return None
        if target is None:
            target, _ = QFileDialog.getSaveFileName(self.window, "New database for the plan",
                                                    str(Path(source).with_suffix(".db")),
                                                    "Commitment Tracker databases (*.db)")
            if not target:
                return None
        target = Path(target)
        if target.exists():
            self._error("Could not load the plan workbook",
                        StoreError(f"{target.name} already exists; choose a new file name."))
            return None

        officer = self.store.officer

        def job(_progress, cancelled):  # nothing is left behind if refused or cancelled
            return ops.new_database_from_workbook(target, source, officer=officer,
                                                  origin="window", cancelled=cancelled)

        def loaded(_counts) -> None:
            opener = getattr(self.window, "open_database", None)
            if opener is not None:
                opener(target)

        return self._run("Loading the plan workbook…", job, loaded,
                         "Could not load the plan workbook", cancellable=True)

    def _run(self, title: str, job, on_done, failure: str,
             cancellable: bool = False) -> ProgressTask:
        def failed(exc: BaseException) -> None:
            if isinstance(exc, Cancelled):  # the officer stopped it: nothing to warn about
                self._say(f"{title.rstrip('…')} stopped; nothing was made.")
            else:
                self._error(failure, exc)

        task = run_with_progress(self.window, title, job, on_done, failed, cancellable)
        self.tasks.append(task)
        task.done.connect(lambda: self.tasks.remove(task) if task in self.tasks else None)
        return task

    def _say(self, text: str) -> None:
        bar = getattr(self.window, "statusBar", None)
        if bar is not None:
            bar().showMessage(text, 10000)

    def _error(self, what: str, exc: BaseException) -> None:
        show = getattr(self.window, "show_error", None)
        if show is not None:
            show(what, exc)
        else:
            QMessageBox.warning(self.window, "Commitment Tracker", f"{what}.\n\n{exc}")


def install(window: QMainWindow) -> ReturnsActions:
    """Add the Returns menu to a main window and import .xlsx files dropped on it."""
    return ReturnsActions(window)

