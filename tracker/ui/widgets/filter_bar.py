"""The one search box above the tree, with its scope, and the filters: status, partner, lead,
not updated in N days.

Scope "Filter the tree": the words narrow the tree to the commitments whose code or text holds
them (as the officer types). Scope "Find in evidence too": the words are looked up in every
commitment and evidence statement, and the hits are listed under the box, each saying where it
lives (tracker.ui.widgets.search_panel); the tree keeps only the other filters.

Signals:
    filter_changed(TreeFilter): the officer changed a filter (typing is debounced).
    find_changed(str): in the "find" scope, the words to look for ("" when cleared).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QToolButton,
    QWidget,
)

from tracker.domain.status import Status
from tracker.store import filters, queries
from tracker.store.database import Store
from tracker.store.filters import TreeFilter

DEBOUNCE_MS = 250  # the longest wait after a key before the tree is filtered
SHORTEST_WAIT_MS = 40
FIRST_WAIT_MS = 120
FILTER, FIND = "filter", "find"
SCOPES = ((FILTER, "Filter the tree",
           "The words narrow the tree to the commitments whose code or text holds them"),
          (FIND, "Find in evidence too",
           "The words are looked up in commitments and evidence; the hits are listed under the "
           "box, each with its plan, priority and code"))
PLACEHOLDER = {FILTER: "Filter the tree by words… (Ctrl+L)",
               FIND: "Find in commitments and evidence… (Ctrl+F)"}


class _Choices(QComboBox):
    """A combo box whose list is read when the officer first reaches for it (focus, which a
    click, Tab or the wheel gives first, or its popup), not while the window opens: the leads
    are a scan of every commitment."""

    def __init__(self, fill, parent: QWidget | None = None):
        super().__init__(parent)
        self._fill = fill
        self.stale = False

    def ensure_filled(self) -> None:
        if self.stale:
            self.stale = False
            self._fill(self)

    def focusInEvent(self, event) -> None:
        self.ensure_filled()
        super().focusInEvent(event)

    def showPopup(self) -> None:
        self.ensure_filled()
        super().showPopup()


class FilterBar(QWidget):
    filter_changed = Signal(object)
    find_changed = Signal(str)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        layout = QGridLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)

        self.text = QLineEdit()  # the one box
        self.text.setClearButtonEnabled(True)
        self.text.setMinimumWidth(160)
        self.text.setAccessibleName("Search the plan")
        self.scope = QComboBox()
        self.scope.setAccessibleName("Search scope")
        for value, label, tip in SCOPES:
            self.scope.addItem(label, value)
            self.scope.setItemData(self.scope.count() - 1, tip, Qt.ItemDataRole.ToolTipRole)
        self.scope.setToolTip("Filter the tree, or find the words in evidence too")
        self.status = QComboBox()
        self.status.setToolTip("Show only commitments with this status")
        self.status.setAccessibleName("Status filter")
        self.status.setMinimumContentsLength(8)
        self.status.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.status.addItem("Any status", None)
        for s in Status:
            self.status.addItem(f"{s.shape} {s.label}", s.value)
        self.partner = _Choices(self._fill_partners)
        self.partner.setToolTip("Show only commitments assigned to this partner")
        self.partner.setAccessibleName("Partner filter")
        self.partner.setMinimumContentsLength(6)
        self.partner.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.lead = _Choices(self._fill_leads)
        self.lead.setToolTip("Show only commitments with this lead officer")
        self.lead.setAccessibleName("Lead filter")
        self.lead.setMinimumContentsLength(6)
        self.lead.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.stale = QSpinBox()
        self.stale.setRange(0, 3650)
        self.stale.setSingleStep(30)
        self.stale.setSpecialValueText("any time")
        self.stale.setSuffix(" days")
        self.stale.setToolTip("Show only commitments not updated in this many days (0: any time)")
        stale_label = QLabel("Not &updated in")
        stale_label.setBuddy(self.stale)
        self.clear = QToolButton()
        self.clear.setText("Clear")
        self.clear.setToolTip("Clear the words and every filter (Ctrl+Shift+L); the tree opens "
                              "as it was before")
        self.clear.setAccessibleName("Clear the search and filters")

        # Two rows, so the tree's pane can be narrow: the words, then the choices.
        layout.addWidget(self.text, 0, 0, 1, 3)
        layout.addWidget(self.scope, 0, 3)
        layout.addWidget(self.clear, 0, 4)
        layout.addWidget(self.status, 1, 0)
        layout.addWidget(self.partner, 1, 1)
        layout.addWidget(self.lead, 1, 2)
        stale_row = QHBoxLayout()
        stale_row.setSpacing(4)
        stale_row.addWidget(stale_label)
        stale_row.addWidget(self.stale)
        layout.addLayout(stale_row, 1, 3, 1, 2)
        for col in range(3):
            layout.setColumnStretch(col, 1)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(FIRST_WAIT_MS)
        self._timer.timeout.connect(self._typed)
        # True while a change the officer typed (after the wait) is being said: the tree may
        # read it off the GUI thread, as keys keep coming. A choice from a list, Clear, Enter
        # and flush() are applied at once.
        self.typing = False
        self.text.textChanged.connect(self._timer.start)
        self.stale.valueChanged.connect(self._timer.start)
        for combo in (self.status, self.partner, self.lead):
            combo.currentIndexChanged.connect(self._emit)
        self.scope.currentIndexChanged.connect(self._scope_changed)
        self.clear.clicked.connect(self.reset)
        self._quiet = False
        self._store: Store | None = None
        self._last_filter = TreeFilter()
        self._last_find = ""
        self._scope_changed()

    @property
    def finding(self) -> bool:
        return self.scope.currentData() == FIND

    def set_scope(self, scope: str) -> None:
        self.scope.setCurrentIndex(max(0, self.scope.findData(scope)))

    def _scope_changed(self) -> None:
        scope = self.scope.currentData()
        self.text.setPlaceholderText(PLACEHOLDER[scope])
        self.text.setToolTip(dict((v, t) for v, _label, t in SCOPES)[scope])
        if self.text.text():
            self._timer.stop()
            self._emit()

    def load_choices(self, store: Store) -> None:
        """Partners and leads as they are in this database: read when the officer first opens
        one of the two lists (a choice already made is kept, and read now)."""
        self._store = store
        for combo, first in ((self.partner, "Any partner"), (self.lead, "Any lead")):
            if combo.currentData() is not None:
                combo.stale = True
                combo.ensure_filled()
                continue
            self._quiet = True
            try:
                combo.clear()
                combo.addItem(first, None)
            finally:
                self._quiet = False
            combo.stale = True

    def _fill_partners(self, combo: QComboBox) -> None:
        self._refill(combo, "Any partner",
                     [(p.name, p.id) for p in queries.list_partners(self._store)])

    def _fill_leads(self, combo: QComboBox) -> None:
        self._refill(combo, "Any lead",
                     [(name, name) for name in filters.distinct_leads(self._store)])

    def _refill(self, combo: QComboBox, first: str, items: list[tuple[str, object]]) -> None:
        self._quiet = True
        try:
            keep = combo.currentData()
            combo.clear()
            combo.addItem(first, None)
            for text, data in items:
                combo.addItem(text, data)
            combo.setCurrentIndex(max(0, combo.findData(keep)))
        finally:
            self._quiet = False

    def current(self) -> TreeFilter:
        status = self.status.currentData()
        return TreeFilter(
            statuses=frozenset({Status(status)}) if status is not None else frozenset(),
            partner_id=self.partner.currentData(),
            lead=self.lead.currentData(),
            stale_days=self.stale.value() or None,
            text="" if self.finding else self.text.text(),
        )

    def reset(self) -> None:
        self._quiet = True
        try:
            self.text.clear()
            for combo in (self.status, self.partner, self.lead):
                combo.setCurrentIndex(0)
            self.stale.setValue(0)
        finally:
            self._quiet = False
        self._timer.stop()
        self._emit()

    def filtered_in(self, seconds: float) -> None:
        """How long the last filter held the window (its GUI-thread share; a read on a thread
        is not counted): the wait after a key is about as long (from 40 to 250 ms), so a cheap
        filter follows the typing closely and a costly one is run once the officer pauses
        rather than at every key."""
        wait = round(seconds * 1000)
        self._timer.setInterval(min(DEBOUNCE_MS, max(SHORTEST_WAIT_MS, wait)))

    def flush(self) -> None:
        """Apply a pending (debounced) change now."""
        if self._timer.isActive():
            self._timer.stop()
            self._emit()

    def _typed(self) -> None:
        self.typing = True
        try:
            self._emit()
        finally:
            self.typing = False

    def _emit(self) -> None:
        """Say what changed: the tree's filter, the words to find, or both."""
        if self._quiet:
            return
        flt = self.current()
        words = self.text.text() if self.finding else ""
        if flt != self._last_filter:
            self._last_filter = flt
            self.filter_changed.emit(flt)
        if words != self._last_find:
            self._last_find = words
            self.find_changed.emit(words)
