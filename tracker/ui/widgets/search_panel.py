"""Full-text search over commitments and evidence (Ctrl+F), results listed under the box.

Signals:
    hit_chosen(SearchHit): the officer picked a result (click or Enter).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QLabel, QLineEdit, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from tracker.domain.wording import count_of
from tracker.store import search as store_search
from tracker.store.database import Store

DEBOUNCE_MS = 250
LIMIT = 50


def marked(snippet: str) -> str:
    """The store marks matched words with [ and ]; show them between guillemets."""
    return snippet.replace("[", "«").replace("]", "»")


class SearchPanel(QWidget):
    hit_chosen = Signal(object)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.store: Store | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.box = QLineEdit()
        self.box.setPlaceholderText("Search commitments and evidence (Ctrl+F)…")
        self.box.setClearButtonEnabled(True)
        self.box.setToolTip("Full-text search: every word must appear; the last may be the start "
                            "of a word. Enter opens the first result.")
        self.summary = QLabel()
        self.summary.setObjectName("searchSummary")
        self.results = QListWidget()
        self.results.setWordWrap(True)
        self.results.setMaximumHeight(220)
        self.results.setToolTip("Enter or click opens the commitment; Down from the box moves here")
        layout.addWidget(self.box)
        layout.addWidget(self.summary)
        layout.addWidget(self.results)
        self.summary.hide()
        self.results.hide()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self.run)
        self.box.textChanged.connect(self._timer.start)
        self.box.returnPressed.connect(self._first)
        self.results.itemActivated.connect(self._chosen)
        self.results.itemClicked.connect(self._chosen)
        self.hits: list[store_search.SearchHit] = []
        down = QShortcut(QKeySequence(Qt.Key.Key_Down), self.box)
        down.setContext(Qt.ShortcutContext.WidgetShortcut)
        down.activated.connect(self._into_results)

    def _into_results(self) -> None:
        """Down from the box walks into the results (keyboard only)."""
        if self.results.count():
            self.results.setFocus()
            self.results.setCurrentRow(0)

    def set_store(self, store: Store) -> None:
        self.store = store
        self.box.clear()

    def run(self) -> None:
        self._timer.stop()
        self.results.clear()
        text = self.box.text()
        if self.store is None or not text.strip():
            self.hits = []
            self.summary.hide()
            self.results.hide()
            return
        self.hits = store_search.search(self.store, text, limit=LIMIT)
        more = "+" if len(self.hits) >= LIMIT else ""
        matches = count_of(len(self.hits), "match", "matches")
        self.summary.setText(matches.replace(" ", f"{more} ", 1))
        self.summary.show()
        for hit in self.hits:
            kind = "Commitment" if hit.kind == "commitment" else "Evidence"
            item = QListWidgetItem(f"{kind}: {marked(hit.snippet)}")
            item.setData(Qt.ItemDataRole.UserRole, hit)
            item.setToolTip(hit.snippet.replace("[", "").replace("]", ""))
            self.results.addItem(item)
        self.results.setVisible(bool(self.hits))

    def _first(self) -> None:
        self.run()
        if self.hits:
            self.results.setCurrentRow(0)
            self.hit_chosen.emit(self.hits[0])

    def _chosen(self, item: QListWidgetItem) -> None:
        self.hit_chosen.emit(item.data(Qt.ItemDataRole.UserRole))
