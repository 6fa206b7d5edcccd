"""The evidence of one commitment as a table that reads on real data at 1280 x 720.

The statement column takes the width; the others fit their content up to a cap (a long
partner name wraps rather than pushing the statement aside), and a column nobody uses (no
partner, no figure, no file) is not shown. A row is at most `MAX_LINES` lines high, the rest elided, with
the whole text on hover; the selected row opens to its whole text. Rows are selected by
evidence id, so a new item can be selected and scrolled into view once it is drawn.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSize, Qt, QTimer
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from tracker.domain.attachments import Attachment
from tracker.domain.model import Evidence, Visibility
from tracker.domain.wording import count_of, day
from tracker.ui.widgets.field_error import fmt_figure

HIGHLIGHT = QColor("#fff2a8")
MAX_LINES = 3
COLUMNS = ("When", "Evidence", "Source", "Figure", "Visibility", "Files")
WHEN, TEXT, SOURCE, FIGURE, VISIBILITY, FILES = range(len(COLUMNS))
# The widest a column other than the statement may take: the width of this text. A period span
# ("2019/20 – 2020/21") and a long partner name wrap instead.
CAPS = {WHEN: "30 Sep 2021", SOURCE: "Essex County Fire", FIGURE: "1,234,567 officers",
        VISIBILITY: "Shareable", FILES: "12 files"}
IdRole = Qt.ItemDataRole.UserRole


def when_text(item: Evidence) -> str:
    """The evidence's day as the tracker shows days, else its period, else a dash."""
    if item.evidence_date:
        return day(item.evidence_date)
    return item.period.replace("-", " – ") if item.period else "—"


def files_text(files: list[Attachment]) -> str:
    """"1 file", "2 files" (their names are the cell's tooltip and the files panel's list)."""
    return count_of(len(files), "file") if files else ""


class BoundedRows(QStyledItemDelegate):
    """Wrapped text at most MAX_LINES lines high, except in the view's current row."""

    def __init__(self, view: QTableWidget):
        super().__init__(view)
        self.view = view

    def sizeHint(self, option: QStyleOptionViewItem,
                 index: QModelIndex | QPersistentModelIndex) -> QSize:
        hint = super().sizeHint(option, index)
        if index.row() == self.view.currentRow():
            return hint
        cap = option.fontMetrics.lineSpacing() * MAX_LINES + 8
        return QSize(hint.width(), min(hint.height(), cap))


class EvidenceTable(QTableWidget):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(0, len(COLUMNS), parent)
        self.setHorizontalHeaderLabels(list(COLUMNS))
        self.setAccessibleName("Evidence")
        self.verticalHeader().hide()
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setTabKeyNavigation(False)  # rows, not cells: Tab moves on to the buttons
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setWordWrap(True)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.setAlternatingRowColors(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setItemDelegate(BoundedRows(self))
        header = self.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header.setSectionResizeMode(TEXT, QHeaderView.ResizeMode.Stretch)
        self.items: list[Evidence] = []
        self._scroll_to: int | None = None
        # Wrapped text needs the row heights again once the columns have their widths.
        self._fit = QTimer(self)
        self._fit.setSingleShot(True)
        self._fit.setInterval(0)
        self._fit.timeout.connect(self.fit_rows)
        header.sectionResized.connect(lambda *_: self._fit.start())
        self.currentCellChanged.connect(self._current_moved)

    # --- filling -----------------------------------------------------------------------------

    def fill(self, items: list[Evidence], files: dict[int, list[Attachment]],
             highlighted: int | None = None) -> None:
        keep = self.selected_id()
        self.blockSignals(True)
        try:
            self.items = list(items)
            self.setRowCount(len(items))
            for row, item in enumerate(items):
                figure = ""
                if item.figure is not None:
                    figure = f"{fmt_figure(item.figure)} {item.unit or ''}".strip()
                shareable = item.visibility is Visibility.SHAREABLE
                own = files.get(item.id, [])
                cells = [when_text(item), item.text, item.partner_name or "—", figure,
                         "Shareable" if shareable else "Internal", files_text(own)]
                for col, text in enumerate(cells):
                    cell = QTableWidgetItem(text)
                    cell.setData(IdRole, item.id)
                    cell.setToolTip(self._tip(item, own, col, text))
                    if item.id == highlighted:
                        cell.setBackground(QBrush(HIGHLIGHT))
                    self.setItem(row, col, cell)
        finally:
            self.blockSignals(False)
        self.setColumnHidden(SOURCE, not any(i.partner_name for i in items))
        self.setColumnHidden(FIGURE, not any(i.figure is not None for i in items))
        self.setColumnHidden(FILES, not any(files.get(i.id) for i in items))
        self._fit_columns()
        if keep is not None:
            self.select_id(keep, scroll=False)
        self._fit.start()

    @staticmethod
    def _tip(item: Evidence, files: list[Attachment], col: int, text: str) -> str:
        if col == TEXT:
            tip = item.text + (f"\nLink: {item.link}" if item.link else "")
            if files:
                tip += "\nFiles: " + ", ".join(f.described for f in files)
            return tip + f"\nBy {item.author or '—'}, last changed {day(item.updated_at)}"
        if col == WHEN and item.evidence_date and item.period:
            return f"{text} (period {item.period})"
        if col == VISIBILITY:
            return item.visibility.label
        if col == FILES and files:
            return "\n".join(f"{f.described}, {f.visibility.label.lower()}" for f in files)
        return text

    def _fit_columns(self) -> None:
        """Each column but the statement as wide as its widest cell or heading, up to its cap."""
        metrics = self.fontMetrics()
        for col, cap in CAPS.items():
            if self.isColumnHidden(col):
                continue
            widest = max([metrics.horizontalAdvance(COLUMNS[col])]
                         + [metrics.horizontalAdvance(self.item(r, col).text())
                            for r in range(self.rowCount()) if self.item(r, col)])
            self.setColumnWidth(col, min(widest, metrics.horizontalAdvance(cap)) + 16)

    def fit_rows(self) -> None:
        self.resizeRowsToContents()
        if self._scroll_to is not None:
            row = self.row_of(self._scroll_to)
            self._scroll_to = None
            if row is not None:
                self.scrollTo(self.model().index(row, TEXT),
                              QAbstractItemView.ScrollHint.EnsureVisible)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._fit.start()

    def _current_moved(self, row: int, _col: int, old_row: int, _old_col: int) -> None:
        # The current row shows its whole text; the one it left goes back to MAX_LINES.
        for r in (old_row, row):
            if 0 <= r < self.rowCount():
                self.resizeRowToContents(r)

    # --- selection by id ---------------------------------------------------------------------

    def row_of(self, evidence_id: int) -> int | None:
        for row, item in enumerate(self.items):
            if item.id == evidence_id:
                return row
        return None

    def selected(self) -> Evidence | None:
        rows = self.selectionModel().selectedRows()
        return self.items[rows[0].row()] if rows else None

    def selected_id(self) -> int | None:
        found = self.selected()
        return found.id if found is not None else None

    def select_id(self, evidence_id: int, scroll: bool = True) -> bool:
        """Select the evidence and (once the rows have their heights) scroll it into view."""
        row = self.row_of(evidence_id)
        if row is None:
            return False
        self.setCurrentCell(row, TEXT)
        self.selectRow(row)
        if scroll:
            self._scroll_to = evidence_id
            self._fit.start()
        return True
