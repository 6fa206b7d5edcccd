"""The indicators view: a grid of panels, one per indicator, filtered by plan and priority.

Signals:
    opened(int): an indicator's detail dialog was opened; the indicator id.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from tracker.domain.model import Indicator, Priority
from tracker.domain.series import ChartData, chart_data
from tracker.domain.wording import count_of
from tracker.store import queries
from tracker.store.database import Store
from tracker.store.errors import NotFoundError
from tracker.ui.history import History, OpsBridge, own_history
from tracker.ui.indicators.grid import IndicatorGrid
from tracker.ui.jobs import Job

if TYPE_CHECKING:
    from tracker.ui.indicators.dialog import IndicatorDialog


class IndicatorsView(QWidget):
    opened = Signal(object)

    def __init__(self, store: Store, parent: QWidget | None = None,
                 history: History | None = None, bridge: OpsBridge | None = None):
        super().__init__(parent)
        self.store = store
        if history is None or bridge is None:
            history, bridge = own_history(store, self)
        self.history, self.bridge = history, bridge
        self.undo_stack = history.stack
        bridge.performed.connect(self.operation_done)
        self.dialogs: list[IndicatorDialog] = []
        self._priorities: dict[int, Priority] = {}
        self._filling = False
        # The charts' data are read when the view is first shown (or asked for), not while it
        # waits as a hidden tab: 200 indicators take a while, and the window opens without them.
        self._stale = True
        self._unfilled = True  # the plan and priority choices, filled with the first load
        self._generation = 0
        self._reading: Job | None = None

        self.plan_box = QComboBox()
        self.plan_box.setAccessibleName("Plan")
        self.plan_box.setMinimumContentsLength(14)
        self.plan_box.currentTextChanged.connect(self.plan_box.setToolTip)  # when elided
        self.priority_box = QComboBox()
        self.priority_box.setAccessibleName("Priority")
        self.priority_box.setMinimumContentsLength(18)
        self.search = QLineEdit()
        self.search.setPlaceholderText("Filter by name")
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName("Filter indicators by name")
        self.search.setMinimumWidth(self.search.fontMetrics().horizontalAdvance("Filter by name") + 48)
        self.hide_empty = QCheckBox("&Hide indicators with no values")
        self.hide_empty.setToolTip("Show only the indicators that have at least one value")
        self.count_label = QLabel()
        self.count_label.setStyleSheet("color: #4b5563;")
        self.grid = IndicatorGrid(self)
        self.grid.installEventFilter(self)  # a key before the charts have come reads them now
        self.grid.opened.connect(self.open_indicator)
        self.grid.action.connect(self.panel_action)

        bar = QHBoxLayout()
        bar.setContentsMargins(10, 8, 10, 4)
        bar.setSpacing(6)
        for text, widget in (("&Plan", self.plan_box), ("P&riority", self.priority_box)):
            label = QLabel(text)
            label.setBuddy(widget)
            bar.addWidget(label)
            bar.addWidget(widget)
            bar.addSpacing(12)
        bar.addWidget(self.search, 1)
        bar.addWidget(self.hide_empty)
        bar.addWidget(self.count_label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(bar)
        layout.addWidget(self.grid, 1)

        self.plan_box.currentIndexChanged.connect(self._plan_changed)
        self.priority_box.currentIndexChanged.connect(self._filter_changed)
        self.search.textChanged.connect(self._filter_changed)
        self.hide_empty.toggled.connect(lambda _on: self._filter_changed())
        self.refresh()

    # --- filters -------------------------------------------------------------------------

    @property
    def plan_id(self) -> int | None:
        self._ensure_filled()
        return self.plan_box.currentData()

    @property
    def priority_id(self) -> int | None:
        return self.priority_box.currentData()

    def set_plan(self, plan_id: int | None) -> None:
        self._ensure_filled()
        index = self.plan_box.findData(plan_id)
        if index >= 0:
            self.plan_box.setCurrentIndex(index)

    def set_priority(self, priority_id: int | None) -> None:
        self._ensure_filled()
        index = self.priority_box.findData(priority_id)
        if index >= 0:
            self.priority_box.setCurrentIndex(index)

    def _fill_plans(self) -> None:
        keep = self.plan_id
        self._filling = True
        try:
            self.plan_box.clear()
            self.plan_box.addItem("All plans", None)
            counts: dict[int, int] = {}
            self._priorities = {}
            for plan in queries.list_plans(self.store):
                for priority in queries.list_priorities(self.store, plan.id):
                    self._priorities[priority.id] = priority
                counts[plan.id] = len(queries.list_indicators(self.store, plan_id=plan.id))
                self.plan_box.addItem(f"{plan.title} ({plan.period})", plan.id)
            index = self.plan_box.findData(keep) if keep is not None else -1
            if index < 0 and keep is None:
                # Open on the latest plan that has indicators (plans come in period order),
                # rather than on all.
                with_indicators = [pid for pid, n in counts.items() if n]
                if with_indicators:
                    index = self.plan_box.findData(with_indicators[-1])
            self.plan_box.setCurrentIndex(max(index, 0))
        finally:
            self._filling = False
        self._fill_priorities()

    def _fill_priorities(self) -> None:
        keep = self.priority_id
        self._filling = True
        try:
            self.priority_box.clear()
            self.priority_box.addItem("All priorities", None)
            if self.plan_id is not None:
                for priority in queries.list_priorities(self.store, self.plan_id):
                    self.priority_box.addItem(f"{priority.number}. {priority.title}", priority.id)
            self.priority_box.setCurrentIndex(max(self.priority_box.findData(keep), 0))
        finally:
            self._filling = False

    def _plan_changed(self) -> None:
        if self._filling:
            return
        self._fill_priorities()
        self._load()

    def _filter_changed(self) -> None:
        if not self._filling:
            self._load()

    # --- content -------------------------------------------------------------------------

    def set_store(self, store: Store) -> None:
        """Show another database (the window opened a different file)."""
        for dialog in list(self.dialogs):
            dialog.close()
            self._dialog_closed(dialog)
        self.store = store
        self.refresh()

    def refresh(self) -> None:
        """Read everything again from the store (after an import, a restore, another tab's
        edit): now when the view is shown, else when it is next shown or asked."""
        self._unfilled = True
        self._stale = True
        if self.isVisible():
            self._load_now()

    def _ensure_filled(self) -> None:
        if self._unfilled:
            self._unfilled = False
            self._fill_plans()

    def _label(self, indicator: Indicator) -> str:
        priority = self._priorities.get(indicator.priority_id)
        return f"Priority {priority.number}" if priority else ""

    def _load(self) -> None:
        """Show the indicators the filters choose now, or once the view is shown."""
        self._stale = True
        if self.isVisible():
            self._load_now()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self._stale:
            self._load_in_background()

    def _load_in_background(self) -> None:
        """When the tab is shown: the charts' data read on a thread (200 indicators take a
        while), shown when they come; asking for items() meanwhile reads them at once."""
        if self.store.path is None:
            self._load_now()
            return
        if self._reading is not None:
            return
        self._ensure_filled()
        store, generation = self.store, self._generation
        plan_id, priority_id, words = self.plan_id, self.priority_id, self._words()

        def read(_progress, _cancelled):
            # The panels' plotting library loads here too, not on the GUI thread with the
            # first panel (pyqtgraph takes half a second to import; nothing in it is a widget).
            import tracker.ui.indicators.panel  # noqa: F401

            with store.for_worker() as own:
                return _read_items(own, plan_id, priority_id, words)

        job = Job(read, self)
        job.succeeded.connect(lambda found: self._read(generation, store, found))
        job.failed.connect(lambda _exc: self._read(generation, store, None))
        job.ended.connect(lambda: setattr(self, "_reading", None))
        self._reading = job
        self.count_label.setText("Reading the indicators…")
        job.start()

    def _read(self, generation: int, store: Store, found) -> None:
        if generation != self._generation or store is not self.store or not self._stale:
            return  # read again meanwhile
        if found is None:  # it failed on the thread: read here, and say what is wrong
            self._load_now()
            return
        self._stale = False
        self._show_items(*found)

    def eventFilter(self, watched, event) -> bool:
        if watched is self.grid and event.type() == QEvent.Type.KeyPress and self._stale:
            self._load_now()
        return False

    def _words(self) -> list[str]:
        return self.search.text().lower().split()

    def _load_now(self) -> None:
        self._ensure_filled()
        self._stale = False
        self._generation += 1  # a read still running on a thread is no longer wanted
        self._show_items(*_read_items(self.store, self.plan_id, self.priority_id, self._words()))

    def _show_items(self, found: list[Indicator], items: list[ChartData]) -> None:
        total = len(found)
        with_values = sum(1 for item in items if item.has_values)
        self.count_label.setText(
            f"{count_of(total, 'indicator')}, {with_values} with values")
        labels = [self._label(i) for i in found]
        if self.hide_empty.isChecked():
            kept = [n for n, item in enumerate(items) if item.has_values]
            items, labels = [items[n] for n in kept], [labels[n] for n in kept]
        empty = ""
        if not found:
            empty = "No indicators match these filters."
        elif not items:
            empty = "None of these indicators has a value yet (untick “Hide indicators with no values”)."
        self.grid.set_items(items, labels, empty)

    def loading(self) -> bool:
        """The charts' data are not here yet (being read on a thread, or the view not shown)."""
        return self._stale

    def items(self) -> list[ChartData]:
        if self._stale:
            self._load_now()
        return list(self.grid.items)

    def _indicator_changed(self, indicator_id: int) -> None:
        if self._stale:
            return  # read afresh when shown
        for index, item in enumerate(self.grid.items):
            if item.indicator.id == indicator_id:
                try:
                    indicator = queries.get_indicator(self.store, indicator_id)
                except NotFoundError:
                    self._load()
                    return
                if indicator.priority_id != item.indicator.priority_id:
                    self._load()  # moved to another priority: it may leave this filter
                    return
                data = chart_data(indicator, queries.list_values(self.store, indicator_id),
                                  include_withheld=True)
                self.grid.replace_item(index, data)
                return
        self._load()

    def operation_done(self, result) -> None:
        """Redraw what an operation changed: the panels of the indicators it touched, or
        everything when it changed plans, priorities or which indicators there are."""
        if result.touches("plan", "priority") or any(c.action != "changed"
                                                     for c in result.rows("indicator")):
            self.refresh()
            return
        touched = result.indicator_ids()
        if len(touched) > 12:  # a return's values: one read of them all, not one each
            self._load()
            return
        for indicator_id in touched:
            self._indicator_changed(indicator_id)

    # --- opening an indicator ------------------------------------------------------------

    def open_indicator(self, indicator_id: int) -> IndicatorDialog:
        for dialog in self.dialogs:
            if dialog.indicator_id == indicator_id:
                dialog.raise_()
                dialog.activateWindow()
                return dialog
        from tracker.ui.indicators.dialog import IndicatorDialog

        dialog = IndicatorDialog(self.store, indicator_id, self.history, self.bridge, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)
        dialog.finished.connect(lambda _result, d=dialog: self._dialog_closed(d))
        self.dialogs.append(dialog)
        dialog.show()
        self.opened.emit(indicator_id)
        return dialog

    def panel_action(self, action: str, indicator_id: int) -> None:
        """A choice from a panel's context menu: open, copy, png or svg."""
        from tracker.ui.indicators import export

        if action == "open":
            self.open_indicator(indicator_id)
        elif action == "copy":
            export.copy_chart(self.store, indicator_id)
        elif action in ("png", "svg"):
            problem = export.ask_and_export(self, self.store, indicator_id, action,
                                            self.ask_export_path)
            if problem:
                QMessageBox.warning(self, "Export chart", problem)

    @staticmethod
    def ask_export_path(parent: QWidget, fmt: str, suggested: str) -> str:
        """The file to export to, or "" if the officer cancels (tests replace this)."""
        from tracker.ui.indicators import export

        return export.ask_export_path(parent, fmt, suggested)

    def _dialog_closed(self, dialog: IndicatorDialog) -> None:
        if dialog in self.dialogs:
            self.dialogs.remove(dialog)
            dialog.dispose()
            dialog.deleteLater()

    def shutdown(self) -> None:
        """Close the dialogs and delete every plot; call before the application exits."""
        self._generation += 1
        if self._reading is not None:
            self._reading.wait(10)
        for dialog in list(self.dialogs):
            dialog.close()
            self._dialog_closed(dialog)
        self.grid.dispose()


def _read_items(store: Store, plan_id: int | None, priority_id: int | None,
                words: list[str]) -> tuple[list[Indicator], list[ChartData]]:
    """The indicators the filters choose, with their charts' data."""
    found = queries.list_indicators(store, plan_id=plan_id, priority_id=priority_id)
    if words:
        found = [i for i in found if all(w in i.name.lower() for w in words)]
    values = queries.values_for_indicators(store, [i.id for i in found])
    return found, [chart_data(i, values.get(i.id, []), include_withheld=True) for i in found]
