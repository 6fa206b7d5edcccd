"""The main window: the workspace in the first tab, the menus, settings and database files.

Others extend it: add tabs to `tabs`, actions to `menus["File" | "Edit" | "View" | "Plan" |
"Help"]`, connect to `on_xlsx_dropped` (a workbook dropped on the window), push edits on
`undo_stack`, and call `refresh()` after changing the store behind the window's back.

Signals:
    on_xlsx_dropped(str): the path of an .xlsx file dropped on the window.
    store_changed(object): another database was opened; the new Store.
"""

from __future__ import annotations

import gc
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QEvent, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QDragEnterEvent, QDropEvent, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QMainWindow,
    QMenu,
    QMessageBox,
    QTabWidget,
    QWidget,
)

from tracker import ops
from tracker.domain.wording import count_of
from tracker.errors import Cancelled, TrackerError
from tracker.store import queries, user_settings
from tracker.store.database import Store, open_store
from tracker.store.errors import DatabaseBusyError, ReadOnlyError, StoreError
from tracker.ui.collector import install as install_collector
from tracker.ui.dashboard import install as install_dashboard
from tracker.ui.dialogs.backups_dialog import BackupsDialog
from tracker.ui.dialogs.commitment_dialog import add_commitment_from_dialog
from tracker.ui.dialogs.new_plan_dialog import NewPlanDialog
from tracker.ui.dialogs.officer_dialog import OfficerDialog
from tracker.ui.dialogs.status_dialog import set_many_statuses
from tracker.ui.history import History, OpsBridge
from tracker.ui.indicators import IndicatorsView
from tracker.ui.jobs import LongJobDialog, ProgressTask, run_with_progress
from tracker.ui.menu_action import add_action
from tracker.ui.models.plan_tree import COMMITMENT, PLAN, PRIORITY
from tracker.ui.plan_import import install as install_plan_import
from tracker.ui.printing import install as install_printing
from tracker.ui.returns import install as install_returns
from tracker.ui.rounds import install as install_rounds
from tracker.ui.team import install as install_team
from tracker.ui.toolbar import install as install_toolbar
from tracker.ui.tree_menu import install as install_tree_menu
from tracker.ui.workspace import Workspace

if TYPE_CHECKING:
    from tracker.ui.report_dialog import ReportDialog

RECENT_MAX = 8
_started_objects_frozen = False


def freeze_started_objects() -> None:
    """Once a process has started its window, what it made to start (modules, classes, the
    window itself) lives as long as the process: it is left out of the cycle collector's full
    passes from then on. Each such pass stops every thread, the GUI thread too, while it walks
    every object; with 115,000 left in, a pass during a return's preview froze the window
    70-85 ms (20-40 ms without them). Reference counting frees these objects as before."""
    global _started_objects_frozen
    if not _started_objects_frozen:
        _started_objects_frozen = True
        gc.freeze()


DB_FILTER = "Commitment Tracker database (*.db *.sqlite);;All files (*)"


class MainWindow(QMainWindow):
    on_xlsx_dropped = Signal(str)
    store_changed = Signal(object)

    def __init__(self, store: Store, settings: QSettings | None = None):
        super().__init__()
        install_collector()  # Python's cycle collector runs on this thread only
        self.store = store
        self.settings = settings if settings is not None else QSettings()
        # What the window writes to its settings as it opens (the file, the recent list) is
        # written to disk once its first frame is on the screen (see eventFilter).
        self._settings_held = False
        self.settings.installEventFilter(self)
        self._adopt_officer_name(store)
        store.origin = "window"
        self.undo_stack = QUndoStack(self)
        self.history = History(store, self.undo_stack, self.show_error, self)
        self.bridge = OpsBridge(store, self)
        self.workspace = Workspace(store, self.history)
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self.workspace, "Plan")
        # The Indicators tab holds a stand-in until its view is first wanted (see `indicators`).
        self._indicators: IndicatorsView | None = None
        self._indicators_stub = QWidget()
        self.tabs.addTab(self._indicators_stub, "Indicators")
        self.tabs.currentChanged.connect(self._tab_changed)
        self.setCentralWidget(self.tabs)
        self.tasks: list[ProgressTask] = []
        self._shut = False
        self._first_painted = False
        self.menus: dict[str, QMenu] = {}
        self._build_menus()
        self.returns = install_returns(self)
        self.plan_import = install_plan_import(self)
        self.rounds = install_rounds(self)
        self.home = install_dashboard(self)
        self.printing = install_printing(self)
        self.team = install_team(self)
        self.toolbar = install_toolbar(self)
        install_tree_menu(self)
        self.statusBar().showMessage("")  # there from the start, so the layout never jumps
        self.workspace.selection_changed.connect(self._selection_changed)
        self.workspace.chosen_changed.connect(self._chosen_changed)
        self.undo_stack.indexChanged.connect(lambda _i: self._update_actions())
        self.bridge.performed.connect(self._operation_done)
        self.setAcceptDrops(True)
        available = self.screen().availableGeometry()  # a 1280 x 800 laptop, the first time
        self.resize(min(1400, available.width()), min(900, available.height()))
        self._restore_settings()
        self._after_store_change()
        QTimer.singleShot(0, freeze_started_objects)  # once the event loop runs: started

    def paintEvent(self, event) -> None:
        super().paintEvent(event)
        if not self._first_painted:
            self._first_painted = True
            QTimer.singleShot(0, self._finish_building)

    def eventFilter(self, watched, event) -> bool:
        # QSettings writes its file (and waits for the disk: fsync) on the first event-loop
        # turn after a change, which comes before the window's first frame: the values the
        # window set as it opened are kept in memory (read back at once) and go to disk just
        # after that frame, or within a second if the window is not painted.
        if (watched is self.settings and event.type() == QEvent.Type.UpdateRequest
                and self.isVisible() and not self._first_painted):
            if not self._settings_held:
                self._settings_held = True
                QTimer.singleShot(1000, self, self._write_settings)
            return True
        return super().eventFilter(watched, event)

    def _write_settings(self) -> None:
        if self._settings_held:
            self._settings_held = False
            self.settings.sync()

    def _finish_building(self) -> None:
        """Once the first frame is on the screen: write the settings held back for it, and make
        what it did not show (the pages of the other tabs), so they are ready before the
        officer reaches for them."""
        self._write_settings()
        if not self._shut:
            self.home.ensure_built()
            _ = self.indicators  # made now, ready before the officer reaches for it

    @property
    def indicators(self) -> IndicatorsView:
        """The Indicators tab's view, made the first time it is wanted (a menu, a link, the tab,
        or just after the first frame): the window's first frame does not wait for it."""
        if self._indicators is None:
            view = IndicatorsView(self.store, history=self.history, bridge=self.bridge)
            self._indicators = view
            stub = self._indicators_stub
            index = self.tabs.indexOf(stub)
            current = self.tabs.currentIndex() == index
            self.tabs.blockSignals(True)  # the same tab stays where it was, current or not
            try:
                self.tabs.insertTab(index, view, "Indicators")
                self.tabs.removeTab(index + 1)
                if current:
                    self.tabs.setCurrentIndex(index)
            finally:
                self.tabs.blockSignals(False)
            stub.deleteLater()
        return self._indicators

    def _tab_changed(self, index: int) -> None:
        if self._indicators is None and self.tabs.widget(index) is self._indicators_stub:
            # Not while the tab bar is still changing tabs: once it has.
            QTimer.singleShot(0, self, lambda: self.indicators)  # not once the window is gone

    # --- public hooks ------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Read everything from the store again (after an import, for example)."""
        self.workspace.refresh()
        if self._indicators is not None:
            self._indicators.refresh()
        self._update_actions()

    def show_error(self, what: str, exc: BaseException) -> None:
        """One place for refusals and failures: a message box, and the status bar."""
        self.statusBar().showMessage(f"Not saved — {what}: {exc}", 10000)
        if isinstance(exc, ReadOnlyError | DatabaseBusyError) and not self.store.read_only:
            self.workspace.show_banner(f"⚠ {exc} Your last change was not saved; save a copy "
                                       "(File ▸ Save a copy) or reopen the file.")
        QMessageBox.warning(self, "Commitment Tracker", f"{what}.\n\n{exc}")

    # --- menus ---------------------------------------------------------------------------------------

    def _action(self, menu: QMenu, text: str, slot, shortcut=None, tip: str = "") -> QAction:
        return add_action(menu, text, slot, shortcut, tip)

    def _build_menus(self) -> None:
        bar = self.menuBar()
        for name in ("File", "Edit", "View", "Plan", "Help"):
            self.menus[name] = bar.addMenu(f"&{name}")
        m = self.menus["File"]
        self.new_db_action = self._action(m, "&New database…", self.new_database,
                                          QKeySequence.StandardKey.New,
                                          "Make a new database, empty or from the sample plan")
        self._action(m, "&Open…", self.choose_database, QKeySequence.StandardKey.Open,
                     "Open another database file")
        self.recent_menu = m.addMenu("Open &recent")
        self.recent_menu.aboutToShow.connect(self._fill_recent)  # its entries, when opened
        self._action(m, "Save a &copy…", self.save_copy, "Ctrl+Shift+S",
                     "Copy the whole database to another file")
        self.restore_action = self._action(m, "&Restore from a backup…", self.restore_backup, None,
                                           "Put back one of the automatic backups of this database")
        m.addSeparator()
        self._action(m, "Officer &name…", self.ask_officer_name, None,
                     "The name recorded in the history of your changes")
        m.addSeparator()
        self._action(m, "&Quit", self.close, QKeySequence.StandardKey.Quit)

        m = self.menus["Edit"]
        # Undo and redo go through the history: compare-and-set, and the stack moves only
        # when the database did.
        self.undo_action = self._action(m, "&Undo", self.history.undo, QKeySequence.StandardKey.Undo)
        self.redo_action = self._action(m, "&Redo", self.history.redo,
                                        ["Ctrl+Shift+Z", "Ctrl+Y"])
        self.undo_stack.undoTextChanged.connect(self._undo_texts)
        self.undo_stack.redoTextChanged.connect(self._undo_texts)
        self.activity_action = self._action(m, "&Activity…", self.show_activity, "Ctrl+Shift+H",
                                            "Every change made to this database: who, when, what")
        m.addSeparator()
        detail = self.workspace.detail  # its commitment page is made when first shown
        self.status_action = self._action(m, "Change &status…", self.change_status, "F2",
                                          "Change the status of the selected commitments (one or "
                                          "many, chosen with Ctrl or Shift), with a reason")
        self.evidence_action = self._action(m, "Add &evidence…",
                                            lambda: detail.commitment_page.add_evidence(), "Ctrl+E",
                                            "Write an update for the selected commitment")
        self.add_commitment_action = self._action(m, "Add &commitment…", self.add_commitment,
                                                  "Ctrl+Shift+N", "Add a commitment to the selected priority")
        self.add_sub_action = self._action(m, "Add s&ub-point…", self.add_sub_point, "Ctrl+Shift+B",
                                           "Add a sub-point to the selected commitment")
        self.delete_commitment_action = self._action(
            m, "&Delete commitment…", self.delete_commitment, "Ctrl+Shift+Del",
            "Delete the selected commitment or sub-point with its evidence (undo brings it back)")
        m.addSeparator()
        self.find_action = self._action(m, "&Find…", self.focus_search,
                                        QKeySequence.StandardKey.Find,
                                        "Find words in commitments and evidence")
        self.filter_action = self._action(m, "F&ilter…", self.focus_filter, "Ctrl+L",
                                          "Type to narrow the tree")

        m = self.menus["View"]
        self._action(m, "&Expand priorities", self.expand_priorities, "Ctrl+Shift+E",
                     "Open every priority of the selected plan")
        self._action(m, "&Collapse all", self.workspace.tree.collapseAll, "Ctrl+Shift+W")
        self._action(m, "C&lear filters", self.workspace.filter_bar.reset, "Ctrl+Shift+L")
        self._action(m, "&Refresh", self.refresh, QKeySequence.StandardKey.Refresh,
                     "Read everything from the database again")
        self._action(m, "&Tree", self.focus_tree, "Ctrl+1", "Move to the tree")
        self._action(m, "&Details", self.focus_detail, "Ctrl+2",
                     "Move to the details of the selected item")
        self.indicators_action = self._action(m, "&Indicators", self.show_indicators, "Ctrl+3",
                                              "Show the indicator charts of the selected plan")

        m = self.menus["Plan"]
        self.new_plan_action = self._action(m, "&New plan from this one…", self.new_plan_from, None,
                                            "Start the next plan, carrying commitments forward")
        self.close_plan_action = self._action(m, "&Close plan…", self.close_plan, None,
                                              "Close the selected plan: it becomes read-only")
        self.reopen_plan_action = self._action(m, "&Reopen plan", self.reopen_plan, None,
                                               "Make a closed plan editable again")
        m.addSeparator()
        self.report_action = self._action(
            m, "Produce &report…", self.produce_report, "Ctrl+Shift+P",
            "The quarterly, annual or closure report of the selected plan, as PDF, Word or HTML")
        self.narrative_action = self._action(
            m, "Report &text…", self.write_report_text, None,
            "The foreword, summary, chapter text and indicator commentary the reports print")

        m = self.menus["Help"]
        self._action(m, "&Keyboard shortcuts", self.show_shortcuts, QKeySequence.StandardKey.HelpContents)
        self._action(m, "&About", self.show_about)

    def _update_actions(self) -> None:
        if self.workspace.model.store is None:  # the file is being replaced
            return
        writable = not self.store.read_only
        key = self.workspace.current_key()
        plan_id = self.workspace.plan_of_selection()
        plan = None
        if plan_id is not None:
            try:
                plan = queries.get_plan(self.store, plan_id)
            except StoreError:
                plan = None
        open_plan = plan is not None and not plan.is_closed
        is_commitment = key is not None and key[0] == COMMITMENT
        many = len(self.workspace.selected_commitment_ids()) > 1
        self.status_action.setEnabled(writable and ((open_plan and is_commitment) or many))
        self.evidence_action.setEnabled(writable and open_plan and is_commitment)
        self.add_sub_action.setEnabled(writable and open_plan and is_commitment)
        self.delete_commitment_action.setEnabled(
            writable and open_plan and is_commitment)
        self.add_commitment_action.setEnabled(
            writable and open_plan and self.workspace.priority_of_selection() is not None)
        self.new_plan_action.setEnabled(writable and plan is not None)
        self.close_plan_action.setEnabled(writable and open_plan)
        self.reopen_plan_action.setEnabled(writable and plan is not None and plan.is_closed)
        self.restore_action.setEnabled(self.store.path is not None)
        self.undo_action.setEnabled(writable and self.history.can_undo())
        self.redo_action.setEnabled(writable and self.history.can_redo())

    def _undo_texts(self, *_args) -> None:
        undo, redo = self.history.next_undo(), self.history.next_redo()
        self.undo_action.setText(f"&Undo {undo.text()}" if undo else "&Undo")
        self.redo_action.setText(f"&Redo {redo.text()}" if redo else "&Redo")

    def _selection_changed(self, key) -> None:
        self._update_actions()
        if key is not None and self.store.path is not None:
            self.settings.setValue(f"selection/{self.store.path}", f"{key[0]}:{key[1]}")

    def _operation_done(self, result: ops.OpResult) -> None:
        """Any operation on the store (here, on a worker, an undo): show what it changed."""
        if result.origin != "window" and not result.origin.startswith("return "):
            self.statusBar().showMessage(result.summary, 6000)
        self.workspace.operation_done(result)
        self._update_actions()
        if result.origin == "window" or result.origin.startswith("return "):
            said = (result.summary if result.kind in ("undo", "redo")  # "Undid: …" already
                    else f"Saved: {result.summary}")
            self.statusBar().showMessage(said, 6000)

    def show_activity(self):
        from tracker.ui.dialogs.activity_dialog import ActivityDialog

        dialog = ActivityDialog(self.store, self.bridge, self.workspace.plan_of_selection(), self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    # --- editing helpers -----------------------------------------------------------------------------

    def show_home(self) -> None:
        self.tabs.setCurrentWidget(self.home)
        self.home.setFocus()

    def focus_tree(self) -> None:
        self.tabs.setCurrentWidget(self.workspace)
        self.workspace.tree.setFocus()

    def focus_detail(self) -> None:
        self.tabs.setCurrentWidget(self.workspace)
        self.workspace.detail.setFocus()

    def show_indicators(self) -> None:
        plan_id = self.workspace.plan_of_selection()
        if plan_id is not None:
            self.indicators.set_plan(plan_id)
        self.tabs.setCurrentWidget(self.indicators)
        self.indicators.grid.setFocus()

    def write_report_text(self):
        from tracker.ui.dialogs.narrative_dialog import open_narrative

        return open_narrative(self.store, self.workspace.plan_of_selection(), self.history,
                              self.bridge, self)

    def produce_report(self) -> ReportDialog:
        from tracker.ui.report_dialog import ReportDialog  # the writers load when first wanted

        dialog = ReportDialog(self.store, self.workspace.plan_of_selection(), self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def focus_search(self) -> None:
        """Ctrl+F: the one box, finding in evidence too."""
        self._focus_box("find")

    def focus_filter(self) -> None:
        """Ctrl+L: the one box, filtering the tree."""
        self._focus_box("filter")

    def _focus_box(self, scope: str) -> None:
        self.tabs.setCurrentWidget(self.workspace)
        bar = self.workspace.filter_bar
        bar.set_scope(scope)
        bar.text.setFocus()
        bar.text.selectAll()

    def expand_priorities(self) -> None:
        plan_id = self.workspace.plan_of_selection()
        if plan_id is None:
            return
        model = self.workspace.model
        index = model.locate((PLAN, plan_id))
        self.workspace.tree.expand(index)
        model.fetchMore(index)
        for row in range(model.rowCount(index)):
            self.workspace.tree.expand(model.index(row, 0, index))

    def _chosen_changed(self, ids: list[int]) -> None:
        self._update_actions()
        if len(ids) > 1:
            self.statusBar().showMessage(
                f"{count_of(len(ids), 'commitment')} chosen: Change status (F2) sets them all "
                "with one reason, one step of Edit ▸ Undo.")

    def change_status(self) -> None:
        """F2: the status of the commitment shown, or of every commitment selected in the tree
        (one reason, one step of the undo history)."""
        chosen = self.workspace.selected_commitment_ids()
        if len(chosen) > 1:
            set_many_statuses(self, chosen)
        else:
            self.workspace.detail.commitment_page.change_status()

    def add_commitment(self) -> None:
        priority_id = self.workspace.priority_of_selection()
        if priority_id is not None:
            self._select_new(add_commitment_from_dialog(self, priority_id), COMMITMENT)

    def _select_new(self, result, kind: str) -> None:
        if isinstance(result, ops.OpResult) and result.value:
            self.workspace.select_key((kind, int(result.value)))

    def add_sub_point(self) -> None:
        key = self.workspace.current_key()
        if key is None or key[0] != COMMITMENT:
            return
        priority_id = self.workspace.priority_of_selection()
        self._select_new(add_commitment_from_dialog(self, priority_id, parent_id=key[1]),
                         COMMITMENT)

    def delete_commitment(self) -> None:
        key = self.workspace.current_key()
        if key is None or key[0] != COMMITMENT:
            return
        removal = queries.removal_of(self.store, key[1])
        head = removal.commitments[0]
        label = f"commitment {head['code']}" if head["code"] else "this commitment"
        subs, items = removal.counts
        parts = [count_of(n, word) for n, word in
                 ((subs, "sub-point"), (items, "evidence item")) if n]
        extra = f" with its {' and '.join(parts)}" if parts else ""
        answer = QMessageBox.question(
            self, "Delete commitment",
            f"Delete {label}{extra}?\n\n“{head['text'][:200]}”\n\n"
            "Edit ▸ Undo (Ctrl+Z) brings it back.")
        if answer == QMessageBox.StandardButton.Yes:
            self.history.perform(lambda s: ops.delete_commitment(s, key[1]), f"Delete {label}",
                                 "The commitment was not deleted")

    def _adopt_officer_name(self, store: Store) -> None:
        """The name the settings file (or TRACKER_OFFICER) gives; a name this window kept in
        its own settings before the file existed moves into the file once."""
        legacy = " ".join(str(self.settings.value("officer/name", "") or "").split())
        if legacy and user_settings.saved_officer_name() is None:
            try:
                user_settings.set_officer_name(legacy)
                self.settings.remove("officer/name")
            except StoreError:
                pass  # the file cannot be written: keep using the name for this session
        name = user_settings.officer_name() or legacy
        if name:
            store.officer = name

    def ensure_officer_name(self) -> None:
        """First run: ask for the officer's name unless the settings file or TRACKER_OFFICER
        already gives one."""
        if user_settings.officer_name() is None:
            self.ask_officer_name(first_run=True)

    def ask_officer_name(self, first_run: bool = False) -> None:
        name = OfficerDialog.ask(self, "" if first_run else self.store.officer, first_run)
        if name:
            self.store.officer = name
            self.statusBar().showMessage(f"Changes are now recorded as made by {name}.", 5000)

    # --- plan lifecycle ------------------------------------------------------------------------------

    def new_plan_from(self) -> None:
        plan_id = self.workspace.plan_of_selection()
        if plan_id is None:
            return
        dialog = NewPlanDialog(self.store, plan_id, self)
        if dialog.exec() != NewPlanDialog.DialogCode.Accepted:
            return
        request = dialog.request()
        result = self.history.perform(lambda s: ops.new_plan_from(s, plan_id, request),
                                      f"New plan {request.title}", "The new plan was not made")
        if isinstance(result, ops.OpResult):
            self.workspace.select_key((PLAN, result.value.plan_id))

    def close_plan(self) -> None:
        plan_id = self.workspace.plan_of_selection()
        if plan_id is None:
            return
        plan = queries.get_plan(self.store, plan_id)
        answer = QMessageBox.question(
            self, "Close plan", f"Close {plan.title}?\n\nA closed plan can be read and reported on "
            "but not changed. You can reopen it from the Plan menu.")
        if answer == QMessageBox.StandardButton.Yes:
            self.history.perform(lambda s: ops.close_plan(s, plan_id), f"Close {plan.title}",
                                 "The plan was not closed")

    def reopen_plan(self) -> None:
        plan_id = self.workspace.plan_of_selection()
        if plan_id is None:
            return
        title = queries.get_plan(self.store, plan_id).title
        self.history.perform(lambda s: ops.reopen_plan(s, plan_id), f"Reopen {title}",
                             "The plan was not reopened")

    # --- database files --------------------------------------------------------------------------------

    def _start_dir(self) -> str:
        return str(self.store.path.parent) if self.store.path else str(Path.home())

    def new_database(self) -> None:
        box = QMessageBox(QMessageBox.Icon.Question, "New database",
                          "Start the new database empty, or with the sample plan (the Essex plans "
                          "2016-2024) to explore?", parent=self)
        sample = box.addButton("From the sample", QMessageBox.ButtonRole.AcceptRole)
        empty = box.addButton("Empty", QMessageBox.ButtonRole.AcceptRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.exec()
        if box.clickedButton() not in (sample, empty):
            return
        path, _ = QFileDialog.getSaveFileName(self, "New database", self._start_dir(), DB_FILTER)
        if path:
            self.create_database_at(Path(path), empty=box.clickedButton() is empty)

    def create_database_at(self, path: Path, empty: bool) -> ProgressTask:
        """Build the new database off the GUI thread, then switch to it."""
        officer = self.store.officer

        def job(_progress, _cancelled):
            return ops.new_database(path, empty=empty, officer=officer)

        return self._background("Making the new database…", job, self.set_store, cancellable=False)

    def choose_database(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Open database", self._start_dir(), DB_FILTER)
        if path:
            self.open_database(Path(path))

    def open_database(self, path: Path) -> bool:
        try:
            store = open_store(path, mode="auto", officer=self.store.officer)
        except StoreError as exc:
            self.show_error(f"Could not open {Path(path).name}", exc)
            return False
        self.set_store(store)
        return True

    def set_store(self, store: Store) -> None:
        """Switch the window to another open database; the old one is closed."""
        old = self.store
        self.store = store
        store.origin = "window"
        self.undo_stack.clear()
        self.history.store = store
        self.bridge.attach(store)
        self.workspace.set_store(store)
        if self._indicators is not None:  # else it is made on this store when wanted
            self._indicators.set_store(store)
        if old is not store:
            old.close()
        self._after_store_change()
        self.store_changed.emit(store)

    def _after_store_change(self) -> None:
        store = self.store
        # Qt adds the application's name ("… — Commitment Tracker"): the title is the file's.
        title = store.path.name if store.path is not None else "In memory"
        if store.path is not None:
            # Written only when they change: each write is a rewrite of the settings file.
            if self.settings.value("db/last") != str(store.path):
                self.settings.setValue("db/last", str(store.path))
            self._remember_recent(store.path)
            saved = str(self.settings.value(f"selection/{store.path}", "") or "")
            kind, _, ident = saved.partition(":")
            if kind in (PLAN, PRIORITY, COMMITMENT) and ident.isdigit():
                self.workspace.select_key((kind, int(ident)))
        if store.read_only:
            title += " (read-only)"
            self.statusBar().showMessage(f"Read-only: {store.read_only_reason}")
        self.setWindowTitle(title)
        self._update_actions()

    def _remember_recent(self, path: Path) -> None:
        before = self.recent_files()
        recent = [str(path)] + [p for p in before if p != str(path)]
        if recent[:RECENT_MAX] != before:
            self.settings.setValue("db/recent", recent[:RECENT_MAX])
        self.recent_menu.setEnabled(bool(recent))

    def recent_files(self) -> list[str]:
        value = self.settings.value("db/recent", [])
        if isinstance(value, str):
            value = [value]
        return [str(v) for v in value or []]

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        for i, path in enumerate(self.recent_files(), start=1):
            action = self.recent_menu.addAction(f"&{i} {Path(path).name}")
            action.setToolTip(path)
            action.setStatusTip(path)
            action.setEnabled(Path(path).exists())
            action.triggered.connect(lambda _c=False, p=path: self.open_database(Path(p)))
        self.recent_menu.setEnabled(bool(self.recent_menu.actions()))

    def save_copy(self) -> ProgressTask | None:
        if self.store.path is None:
            return None
        target, _ = QFileDialog.getSaveFileName(self, "Save a copy", self._start_dir(), DB_FILTER)
        if not target:
            return None
        return self.save_copy_to(Path(target))

    def save_copy_to(self, target: Path) -> ProgressTask:
        source = self.store.path
        return self._background(
            "Saving a copy…",
            lambda progress, cancelled: ops.save_copy(
                source, target, lambda f: progress(f * 1000, 1000), cancelled),
            lambda done: self.statusBar().showMessage(f"Copy saved as {done}.", 8000))

    def restore_backup(self) -> None:
        if self.store.path is None:
            return
        backups = queries.list_backups(self.store.path)
        if not backups:
            QMessageBox.information(self, "Restore from a backup",
                                    "There are no automatic backups of this database yet. They are "
                                    "taken before upgrades, imports and restores.")
            return
        chosen = BackupsDialog.choose(backups, self)
        if chosen is not None:
            self.restore_backup_from(chosen.path)

    def restore_backup_from(self, backup: Path) -> ProgressTask | None:
        if self.store.read_only:
            self.show_error("Cannot restore", StoreError(self.store.read_only_reason))
            return None
        path, officer = self.store.path, self.store.officer
        self.undo_stack.clear()
        self.workspace.model.detach()
        self.workspace.show_detail(None)
        self.bridge.detach()
        self.store.close()

        def job(progress, _cancelled):
            restored = ops.restore_backup(path, backup, officer=officer, origin="window",
                                          progress=lambda f: progress(f * 1000, 1000))
            return restored, open_store(path, mode="auto", officer=officer)

        def restored(done) -> None:
            result, store = done
            self.set_store(store)
            # Undo stops at a restore: what was there before is a backup of its own.
            self.history.fence("Restore a backup", result.summary + ". To go back, restore "
                               f"that backup ({result.value.name}) from File ▸ Restore from a "
                               "backup.")
            self.statusBar().showMessage(result.summary, 10000)

        def failed(exc: BaseException) -> None:
            self.show_error("The backup was not restored", exc)
            try:
                self.set_store(open_store(path, mode="auto", officer=officer))
            except StoreError as again:
                self.show_error(f"Could not reopen {path.name}", again)

        return self._background("Restoring the backup…", job, restored,
                                cancellable=False, on_error=failed)

    def _background(self, title: str, job, on_success, cancellable: bool = True,
                    on_error=None) -> ProgressTask:
        def failed(exc: BaseException) -> None:
            if isinstance(exc, Cancelled):
                self.statusBar().showMessage(str(exc), 5000)
            elif isinstance(exc, TrackerError | OSError):
                self.show_error(title.rstrip("…"), exc)
            else:
                raise exc

        task = run_with_progress(self, title, job, on_success, on_error or failed, cancellable)
        self.tasks.append(task)
        task.done.connect(lambda: self.tasks.remove(task) if task in self.tasks else None)
        return task

    # --- drops, settings, help -------------------------------------------------------------------------

    @staticmethod
    def _xlsx_paths(event) -> list[str]:
        if not event.mimeData().hasUrls():
            return []
        return [u.toLocalFile() for u in event.mimeData().urls()
                if u.isLocalFile() and u.toLocalFile().lower().endswith(".xlsx")]

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self._xlsx_paths(event):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = self._xlsx_paths(event)
        if not paths:
            event.ignore()
            return
        event.acceptProposedAction()
        for path in paths:
            self.on_xlsx_dropped.emit(path)

    def _restore_settings(self) -> None:
        geometry = self.settings.value("window/geometry")
        if isinstance(geometry, QByteArray | bytes) and geometry:
            self.restoreGeometry(geometry)
        state = self.settings.value("window/state")
        if isinstance(state, QByteArray | bytes) and state:
            self.restoreState(state)
        splitter = self.settings.value("window/splitter")
        if isinstance(splitter, QByteArray | bytes) and splitter:
            self.workspace.splitter.restoreState(splitter)
        else:
            self.workspace.splitter.setSizes([800, 600])
        self.recent_menu.setEnabled(bool(self.recent_files()))

    def save_settings(self) -> None:
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.setValue("window/state", self.saveState())
        self.settings.setValue("window/splitter", self.workspace.splitter.saveState())
        self.settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        if any(not t.finished for t in self.tasks):
            QMessageBox.information(self, "Commitment Tracker",
                                    "Please wait: work on the database is still running.")
            event.ignore()
            return
        reports = sys.modules.get("tracker.ui.report_dialog")  # none made if never loaded
        if reports and any(d.running for d in self.findChildren(reports.ReportDialog)):
            QMessageBox.information(self, "Commitment Tracker",
                                    "Please wait: a report is still being written (or cancel it "
                                    "in the report dialog).")
            event.ignore()
            return
        if any(d.running for d in self.findChildren(LongJobDialog)):  # an import, a revert
            QMessageBox.information(self, "Commitment Tracker",
                                    "Please wait: work on the database is still running.")
            event.ignore()
            return
        self.save_settings()
        super().closeEvent(event)

    def show_shortcuts(self) -> None:
        rows = []
        for name, menu in self.menus.items():
            for action in menu.actions():
                if action.shortcut().toString():
                    rows.append(f"<tr><td>{action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)}"
                                f"</td><td>{action.text().replace('&', '')}</td><td>{name}</td></tr>")
        QMessageBox.information(self, "Keyboard shortcuts", "<table cellspacing=6>" + "".join(rows)
                                + "</table><p>In the evidence list: Enter edits, Delete removes, "
                                "Alt+Up/Down reorders.</p>")

    def show_about(self) -> None:
        QMessageBox.about(self, "About Commitment Tracker",
                          "<b>Commitment Tracker</b><br>Tracks the Police and Crime Plan: commitments, "
                          "evidence, indicators and partner returns, offline, in one SQLite file."
                          f"<br><br>Database: {self.store.path or 'in memory'}"
                          f"<br>Officer: {self.store.officer}")

    def shutdown(self, close_store: bool = True) -> None:
        """Before the application exits: stop charts (pyqtgraph) and close the database."""
        if self._shut:
            return
        self._shut = True
        self.undo_stack.indexChanged.disconnect()
        self.undo_stack.clear()
        self.team.shutdown()
        self.bridge.detach()
        for task in list(self.tasks):
            task.job.wait(10)
        self.home.stop()
        self.workspace.shutdown()
        if self._indicators is not None:
            self._indicators.shutdown()
        for chart in self.workspace.detail.close_charts():
            QApplication.sendPostedEvents(chart, QEvent.Type.DeferredDelete)
        QApplication.processEvents()
        if close_store:
            self.store.close()
