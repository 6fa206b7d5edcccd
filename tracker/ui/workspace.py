"""The officer's workspace: the one search box and the filters over the plan tree on the left
(a search's hits above the tree, the status symbols explained below it), the selected item on
the right. The main window puts it in its Plan tab and gives it the menus."""

from __future__ import annotations

import time

from PySide6.QtCore import QEvent, QItemSelectionModel, QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QSplitter,
    QToolTip,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from tracker.domain.status import Status
from tracker.domain.wording import count_of
from tracker.ops import OpResult
from tracker.reports.palette import STATUS_INK
from tracker.store import filters, queries
from tracker.store.database import Store
from tracker.store.errors import StoreError
from tracker.store.filters import TreeFilter
from tracker.store.search import SearchHit
from tracker.ui.history import History
from tracker.ui.jobs import Job
from tracker.ui.models.plan_tree import (
    CODE,
    COMMITMENT,
    LEAD,
    PLAN,
    PRIORITY,
    STATUS,
    TEXT,
    UPDATED,
    PlanTreeModel,
    key_of,
)
from tracker.ui.widgets.detail_pane import DetailPane
from tracker.ui.widgets.filter_bar import FilterBar
from tracker.ui.widgets.search_panel import SearchPanel
from tracker.ui.widgets.status_ink import StatusInk
from tracker.ui.widgets.text_colour import set_text_colour


def _moved(change) -> bool:
    """A changed commitment row now under another priority."""
    return change.before.get("priority_id") != change.after.get("priority_id")


def status_legend() -> str:
    """The status symbols in their colours, each with its word: the tree's legend."""
    return " ".join(
        f"<span style='color:{STATUS_INK[s]}'>{s.shape}&nbsp;{s.label}</span>" for s in Status)


class Workspace(QWidget):
    """Signals:
        selection_changed(object): the selected key, ("plan" | "priority" | "commitment", id) or None.
        chosen_changed(object): the commitments selected in the tree changed (a list of ids;
            Ctrl and Shift choose many, for one status change).
    """

    selection_changed = Signal(object)
    filter_shown = Signal()  # the tree shows the filter now (read on a thread while typing)
    chosen_changed = Signal(object)

    def __init__(self, store: Store, history: History, parent: QWidget | None = None):
        super().__init__(parent)
        self._unfiltered_open: list[tuple[str, int]] = []
        self._unfiltered_key: tuple[str, int] | None = None
        self._filter_generation = 0
        self._filter_jobs: list[Job] = []
        self.store = store
        self.history = history
        self.banner = QLabel()
        self.banner.setObjectName("readOnlyBanner")
        self.banner.setWordWrap(True)
        self.banner.hide()  # its style sheet is given when it is first shown (show_banner)

        self.filter_bar = FilterBar()
        self._search: SearchPanel | None = None  # made with the first search (see `search`)
        self.model = PlanTreeModel(store, self)
        self.tree = QTreeView()
        self.tree.setModel(self.model)
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(True)
        self.tree.setAllColumnsShowFocus(True)
        self.tree.setExpandsOnDoubleClick(True)
        # Ctrl+click and Shift+click choose many commitments (Edit > Change status sets them all).
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.tree.setToolTip("")
        self._status_ink = StatusInk(self.tree)
        self.tree.setItemDelegateForColumn(STATUS, self._status_ink)
        # The rows' tooltips are worded when one is hovered (the model's cells hold none).
        self.tree.viewport().installEventFilter(self)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(TEXT, QHeaderView.ResizeMode.Stretch)
        for col, width in ((CODE, 92), (STATUS, 132), (LEAD, 90), (UPDATED, 95)):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(col, width)
        self.tree.setAccessibleName("Plans, priorities and commitments")
        self.count_label = QLabel()
        set_text_colour(self.count_label, "#555")
        self.legend = QLabel(status_legend())
        self.legend.setWordWrap(True)
        self.legend.setTextFormat(Qt.TextFormat.RichText)
        self.legend.setToolTip("What the status symbols in the tree mean: each status is a word, "
                               "a shape and a colour")
        self.legend.setAccessibleName("Status symbols: " + ", ".join(
            f"{s.shape} {s.label}" for s in Status))

        # The hits sit above the tree in a splitter: as tall as they need, up to half the pane,
        # and the officer can drag the line between them.
        self.results_split = QSplitter(Qt.Orientation.Vertical)
        self.results_split.addWidget(self.tree)
        self.results_split.setChildrenCollapsible(False)
        self.results_split.setStretchFactor(0, 1)  # the tree; the hits go above it
        # Both panes go into the splitter before the left one is filled: a splitter measures
        # every pane as one is added, and the filled left pane took 1.5-2 ms to measure (the
        # window measures it once more when shown, which is the one that counts).
        left = QWidget()
        self.detail = DetailPane()
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.detail)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(6, 6, 3, 6)
        left_layout.addWidget(self.filter_bar)
        left_layout.addWidget(self.results_split, 1)
        left_layout.addWidget(self.count_label)
        left_layout.addWidget(self.legend)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.banner)
        layout.addWidget(self.splitter, 1)

        self.tree.selectionModel().currentRowChanged.connect(self._current_changed)
        self.tree.selectionModel().selectionChanged.connect(
            lambda *_: self.chosen_changed.emit(self.selected_commitment_ids()))
        self.filter_bar.filter_changed.connect(self.apply_filter)
        self.filter_bar.find_changed.connect(self._find)
        self.filter_bar.text.returnPressed.connect(self._enter_in_box)
        self.detail.navigate.connect(self.select_key)
        self.detail.status_chosen.connect(lambda pid, status: self.show_status(status, pid))
        self.set_store(store)

    def eventFilter(self, watched, event) -> bool:
        if event.type() == QEvent.Type.ToolTip and watched is self.tree.viewport():
            index = self.tree.indexAt(event.pos())
            tip = self.model.tooltip(index) if index.isValid() else None
            if tip:
                QToolTip.showText(event.globalPos(), tip, watched, self.tree.visualRect(index))
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().eventFilter(watched, event)

    # --- store ---------------------------------------------------------------------------------

    @property
    def writable(self) -> bool:
        return not self.store.read_only

    def set_store(self, store: Store) -> None:
        self.store = store
        self.filter_bar.blockSignals(True)
        self.filter_bar.reset()
        self.filter_bar.blockSignals(False)
        self.filter_bar.load_choices(store)
        if self._search is not None:
            self._search.set_store(store)
        if store is not self.model.store or not self.model.filter.is_empty:
            self.model.set_store(store)  # (the model made in __init__ has just read this one)
        self._span_plan_rows()
        if store.read_only:
            self.show_banner(f"Read-only: {store.read_only_reason} You can read, search and "
                             "copy, but not change anything.")
        else:
            self.banner.hide()
        self.open_default_plan()
        self.show_detail(None)
        self._update_count()

    def show_banner(self, text: str) -> None:
        """The warning above the tree (read-only, a change not saved). Its style sheet is set
        the first time: a widget's style sheet is parsed as the window is first shown, and
        the banner is hidden then, most of the time."""
        if not self.banner.styleSheet():
            self.banner.setStyleSheet("background:#fff4ce; color:#4a3b00; "
                                      "border:1px solid #e0c060; padding:6px; font-weight:bold;")
        self.banner.setText(text)
        self.banner.show()

    def open_default_plan(self) -> None:
        plan = queries.default_plan(self.store)
        if plan is not None:
            self.expand_key((PLAN, plan.id))

    # --- selection -------------------------------------------------------------------------------

    def selected_commitment_ids(self) -> list[int]:
        """The commitments and sub-points selected in the tree, in the order shown."""
        rows = sorted(self.tree.selectionModel().selectedRows(),
                      key=lambda i: self.tree.visualRect(i).top())
        keys = [key_of(i) for i in rows]
        return [k[1] for k in keys if k and k[0] == COMMITMENT]

    def current_key(self) -> tuple[str, int] | None:
        index = self.tree.currentIndex()
        return key_of(index)

    def select_key(self, key: tuple[str, int] | None) -> bool:
        """Select a plan, priority or commitment, opening the tree down to it. When the filter
        hides it, the filter is cleared first."""
        if key is None:
            return False
        try:
            index = self.model.locate(tuple(key))
            if not index.isValid() and not self.model.filter.is_empty:
                self.filter_bar.reset()
                index = self.model.locate(tuple(key))
        except StoreError:
            return False
        if not index.isValid():
            return False
        parent = index.parent()
        while parent.isValid():
            self.tree.expand(parent)
            parent = parent.parent()
        self.tree.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
        self.tree.scrollTo(index)
        return True

    def show_status(self, status: str, priority_id: int | None = None,
                    plan_id: int | None = None) -> None:
        """The tree filtered to one status (a Status value), that priority (or plan) selected
        and open: where a part of a status bar leads."""
        bar = self.filter_bar
        bar.reset()
        bar.status.setCurrentIndex(bar.status.findData(status))
        target = (PRIORITY, priority_id) if priority_id is not None else (PLAN, plan_id)
        if target[1] is not None and self.select_key(target):
            self.expand_key(target)
        self.tree.setFocus()

    def expand_key(self, key: tuple[str, int]) -> None:
        index = self.model.locate(key)
        if index.isValid():
            # Its children are read before it opens: read as it opens, their arrival made the
            # view lay itself out again from the start.
            if self.model.canFetchMore(index):
                self.model.fetchMore(index)
            self.tree.expand(index)

    def _span_plan_rows(self) -> None:
        """Plan rows span the columns. Called after each reset, not from the modelReset
        signal: spanning lays the view out at once, which would read rows mid-reset."""
        for row in range(self.model.rowCount()):
            self.tree.setFirstColumnSpanned(row, QModelIndex(), True)

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        key = key_of(current)
        self.show_detail(key)
        self.selection_changed.emit(key)

    def show_detail(self, key: tuple[str, int] | None) -> None:
        try:
            self.detail.show_key(self.store, self.history, key, self.writable)
        except StoreError as exc:
            self.detail.show_key(self.store, self.history, None, self.writable)
            self.history.report("Could not show the selected item", exc)

    @property
    def search(self) -> SearchPanel:
        """The hits of the filter bar's box in its "find" scope, above the tree: made with the
        first search (hidden until then, it need not be built for the window to open)."""
        if self._search is None:
            panel = SearchPanel()
            self._search = panel
            panel.attach(self.filter_bar.text)
            self.results_split.insertWidget(0, panel)
            panel.shown.connect(self._hits_shown)
            panel.hit_chosen.connect(self.open_hit)
            panel.set_store(self.store)
        return self._search

    def _find(self, text: str) -> None:
        if text or self._search is not None:
            self.search.show_hits(text)

    # --- filter and search --------------------------------------------------------------------

    def apply_filter(self, flt: TreeFilter) -> None:
        """Narrow the tree. Words being typed are looked up on a thread (the full-text query
        and its rows are most of the time), so keys are answered while it reads; the tree is
        then filled in one go. Anything else is applied at once."""
        started = time.perf_counter()
        self._filter_generation += 1
        if flt.is_empty or not self.filter_bar.typing or self.store.path is None:
            try:
                self._apply_filter(flt)
            finally:
                self.filter_bar.filtered_in(time.perf_counter() - started)
            return
        generation, store = self._filter_generation, self.store
        plan_ids = [plan.id for plan in self.model.plan_nodes()]

        model = self.model

        def read(_progress, _cancelled):
            with store.for_worker() as own:
                found = {pid: filters.filtered_plan(own, pid, flt) for pid in plan_ids}
            if generation != self._filter_generation:
                return None  # more was typed meanwhile: its own read makes the rows
            return model.prepare(flt, found)  # the rows' cells made here too, off the window

        def done(found) -> None:
            if generation != self._filter_generation or self.store is not store:
                return  # more was typed meanwhile, or another file is open
            # The wait after the next key is as long as the window's own share: the read ran
            # on the thread while keys were answered, and a newer read supersedes it. Waiting
            # for the whole (read and fill, 190 ms on 10,000) put that much again between the
            # officer's last key and the tree.
            applying = time.perf_counter()
            try:
                self._apply_filter(flt, found)
            finally:
                self.filter_bar.filtered_in(time.perf_counter() - applying)

        def failed(_exc) -> None:
            if generation == self._filter_generation and self.store is store:
                self._apply_filter(flt)  # read here instead, and any problem is said as usual

        job = Job(read, self)
        job.succeeded.connect(done)
        job.failed.connect(failed)
        job.ended.connect(lambda: self._filter_jobs.remove(job) if job in self._filter_jobs
                          else None)
        self._filter_jobs.append(job)
        job.start()

    def _apply_filter(self, flt: TreeFilter, found=None) -> None:
        key = self.current_key()
        if self.model.filter.is_empty:
            # What was open and chosen before the officer began to filter comes back when the
            # filter is cleared (opening every priority the filter opened would read the whole
            # plan, and the choice may have been filtered out meanwhile).
            self._unfiltered_open = self.expanded_keys()
            self._unfiltered_key = key
        elif flt.is_empty and key is None:
            key = self._unfiltered_key
        self.model.set_filter(flt, found)
        self._span_plan_rows()
        if flt.is_empty:
            for k in self._unfiltered_open:
                self.expand_key(k)
        else:
            # Show what matched: every plan and priority with a match, in one relayout (the
            # model has read them all already).
            self.tree.expandToDepth(1)
        if key is not None:
            index = self.model.index_of(key)
            if index.isValid():
                self.tree.setCurrentIndex(index)
            elif flt.is_empty:
                self.select_key(key)
        self._update_count()
        self.filter_shown.emit()

    def _update_count(self) -> None:
        flt = self.model.filter
        if flt.is_empty:
            self.count_label.setText("")
            return
        total = self.model.matching_count()
        self.count_label.setText(f"Filter: {count_of(total, 'matching commitment')} shown")

    def _enter_in_box(self) -> None:
        """Enter in the box: the words now, and in the "find" scope the first hit opened."""
        self.filter_bar.flush()
        if self.filter_bar.finding:
            if self.search.text != self.filter_bar.text.text():
                self.search.show_hits(self.filter_bar.text.text())
            self.search.open_first()

    def _hits_shown(self, count: int) -> None:
        if not count:
            return
        total = max(self.results_split.height(), 200)
        rows = self.search.results
        needed = self.search.summary.sizeHint().height() + 8 + sum(
            rows.sizeHintForRow(i) for i in range(min(rows.count(), 12)))
        wanted = min(needed, total // 2)
        self.results_split.setSizes([wanted, total - wanted])

    def open_hit(self, hit: SearchHit) -> None:
        if self.select_key((COMMITMENT, hit.commitment_id)):
            self.detail.commitment_page.highlight_evidence(hit.item_id if hit.kind == "evidence" else None)

    # --- keeping the tree in step with the store ---------------------------------------------------

    def expanded_keys(self) -> list[tuple[str, int]]:
        found = []
        for node in self.model.read_nodes():
            key = node.key
            index = self.model.index_of(key)
            if index.isValid() and self.tree.isExpanded(index):
                found.append(key)
        order = {PLAN: 0, PRIORITY: 1, COMMITMENT: 2}
        return sorted(found, key=lambda k: order[k[0]])

    def refresh(self) -> None:
        """Read everything from the store again, keeping what was open and selected."""
        key = self.current_key()
        expanded = self.expanded_keys()
        self.filter_bar.load_choices(self.store)
        self.model.reload()
        self._span_plan_rows()
        for k in expanded:
            self.expand_key(k)
        if key is None or not self.select_key(key):
            self.show_detail(None)
        self._update_count()

    def operation_done(self, result: OpResult) -> None:
        """An operation (or its undo) changed the store: show what it changed again. Edits to
        commitments, their evidence, statuses and partners redraw those rows; anything that
        adds, removes or moves items, or changes plans and priorities, reads the tree again."""
        structural = (result.touches("plan", "priority", "priority_link")
                      or any(c.action != "changed" or _moved(c) for c in result.rows("commitment")))
        if structural:
            self.refresh()
            if result.kind in ("undo", "redo"):  # show what came back (a deleted commitment)
                added = [c.after for c in result.rows("commitment") if c.action == "added"]
                ids = {row["id"] for row in added}
                top = [row for row in added if row.get("parent_id") not in ids]
                if top:
                    self.select_key((COMMITMENT, top[0]["id"]))
            return
        touched = result.commitment_ids()
        if not touched:
            return
        self.model.refresh_commitments(touched)  # one read, however many (a return: thousands)
        self.show_detail(self.current_key())

    def shutdown(self) -> None:
        """Before the window goes: stop the overview counts and filter reads still running."""
        self._filter_generation += 1
        for job in list(self._filter_jobs):
            job.wait(10)
        self.detail.shutdown()

    def plan_of_selection(self) -> int | None:
        key = self.current_key()
        return self.model.plan_of(key) if key else None

    def priority_of_selection(self) -> int | None:
        index = self.tree.currentIndex()
        while index.isValid():
            key = key_of(index)
            if key[0] == PRIORITY:
                return key[1]
            index = index.parent()
        return None
