"""The hits of the one search box (scope "Find in evidence too"), listed under it: each says
whether it is a commitment or an evidence statement and where it lives (plan, priority and
code), and shows the matched words in bold.

The box is the filter bar's (tracker.ui.widgets.filter_bar); `attach(box)` makes Down in it
walk into the list; the workspace calls `show_hits` as the words change and `open_first` on
Enter.

Signals:
    hit_chosen(SearchHit): the officer picked a hit (click or Enter).
    shown(int): a new list of hits is showing (how many).
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QAbstractTextDocumentLayout, QKeySequence, QPalette, QShortcut, QTextDocument
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from tracker.domain.text import html_escape as esc
from tracker.domain.wording import count_of
from tracker.store import search as store_search
from tracker.store.database import Store
from tracker.store.search import SearchHit

LIMIT = 50
HtmlRole = Qt.ItemDataRole.UserRole + 2


def where(hit: SearchHit) -> str:
    """"Police and Crime Plan 2021-2024 › P1 More Local … › A"."""
    parts = [hit.plan_title] if hit.plan_title else []
    if hit.priority_number is not None:
        parts.append(f"P{hit.priority_number} {hit.priority_title}".strip())
    if hit.code:
        parts.append(hit.code)
    return " › ".join(parts)


def hit_html(hit: SearchHit) -> str:
    kind = "Commitment" if hit.kind == "commitment" else "Evidence"
    snippet = "".join(f"<b>{esc(text)}</b>" if matched else esc(text)
                      for text, matched in hit.parts())
    return (f"<span style='color:#4b5563'>{kind} · {esc(where(hit))}</span><br>{snippet}")


def hit_words(hit: SearchHit) -> str:
    """The hit as plain words: what a screen reader says, and the tooltip."""
    kind = "Commitment" if hit.kind == "commitment" else "Evidence"
    return f"{kind} in {where(hit)}: {hit.plain}"


class HitDelegate(QStyledItemDelegate):
    """Paints an item's HtmlRole as rich text (bold matches), wrapped to the list's width."""

    def _document(self, option: QStyleOptionViewItem, index: QModelIndex) -> QTextDocument:
        doc = QTextDocument()
        doc.setDefaultFont(option.font)
        doc.setDocumentMargin(3)
        doc.setHtml(index.data(HtmlRole) or "")
        doc.setTextWidth(max(50, option.rect.width()))
        return doc

    def paint(self, painter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        style = opt.widget.style() if opt.widget else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        doc = self._document(option, index)
        context = QAbstractTextDocumentLayout.PaintContext()
        if option.state & QStyle.StateFlag.State_Selected:
            context.palette.setColor(QPalette.ColorRole.Text,
                                     option.palette.color(QPalette.ColorRole.HighlightedText))
            doc.setHtml((index.data(HtmlRole) or "").replace("color:#4b5563", "color:inherit"))
        painter.save()
        painter.translate(option.rect.topLeft())
        painter.setClipRect(QRectF(0, 0, option.rect.width(), option.rect.height()))
        doc.documentLayout().draw(painter, context)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex) -> QSize:
        width = option.widget.viewport().width() if option.widget else 300
        opt = QStyleOptionViewItem(option)
        opt.rect.setWidth(width)
        doc = self._document(opt, index)
        return QSize(width, int(doc.size().height()) + 2)


class SearchPanel(QWidget):
    hit_chosen = Signal(object)
    shown = Signal(int)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.store: Store | None = None
        self.box: QLineEdit | None = None
        self.text = ""
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        self.summary = QLabel()
        self.summary.setObjectName("searchSummary")
        self.summary.setStyleSheet("color:#4b5563;")
        self.results = QListWidget()
        self.results.setItemDelegate(HitDelegate(self.results))
        self.results.setWordWrap(True)
        self.results.setUniformItemSizes(False)
        self.results.setVerticalScrollMode(QListWidget.ScrollMode.ScrollPerPixel)
        self.results.setAccessibleName("Search hits")
        self.results.setToolTip("Enter or click opens the commitment; Up from the first hit goes "
                                "back to the box")
        layout.addWidget(self.summary)
        layout.addWidget(self.results, 1)
        self.results.itemActivated.connect(self._chosen)
        self.results.itemClicked.connect(self._chosen)
        self.hits: list[SearchHit] = []
        self.hide()

    def attach(self, box: QLineEdit) -> None:
        """Down in `box` walks into the hits (keyboard only)."""
        self.box = box
        down = QShortcut(QKeySequence(Qt.Key.Key_Down), box)
        down.setContext(Qt.ShortcutContext.WidgetShortcut)
        down.activated.connect(self._into_results)

    def _into_results(self) -> None:
        if self.results.count():
            self.results.setFocus()
            self.results.setCurrentRow(0)

    def set_store(self, store: Store) -> None:
        self.store = store
        self.show_hits("")

    def run(self) -> None:
        """Look up the box's words now (the box is debounced)."""
        if self.box is not None:
            self.show_hits(self.box.text())

    def show_hits(self, text: str) -> None:
        self.text = text
        self.results.clear()
        if self.store is None or not text.strip():
            self.hits = []
            self.hide()
            self.shown.emit(0)
            return
        self.hits = store_search.search(self.store, text, limit=LIMIT)
        more = "+" if len(self.hits) >= LIMIT else ""
        hits = count_of(len(self.hits), "hit").replace(" ", f"{more} ", 1)
        self.summary.setText(
            f"{hits} in commitments and evidence: Enter opens the first, Down moves through them"
            if self.hits else f"Nothing holds “{text.strip()}”.")
        for hit in self.hits:
            item = QListWidgetItem(hit_words(hit))
            item.setData(Qt.ItemDataRole.UserRole, hit)
            item.setData(HtmlRole, hit_html(hit))
            item.setToolTip(hit_words(hit))
            self.results.addItem(item)
        self.results.setVisible(bool(self.hits))
        self.show()
        self.shown.emit(len(self.hits))

    def open_first(self) -> None:
        if self.hits:
            self.results.setCurrentRow(0)
            self.hit_chosen.emit(self.hits[0])

    def _chosen(self, item: QListWidgetItem) -> None:
        self.hit_chosen.emit(item.data(Qt.ItemDataRole.UserRole))
