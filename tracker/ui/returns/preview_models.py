"""Item models over a return's preview: the proposed changes (with accept ticks) and problems."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor

if TYPE_CHECKING:  # (the readers, and openpyxl under them, load on the dialog's worker)
    from tracker.exchange.return_preview import Change, ReturnPreview
    from tracker.exchange.return_read import Problem

CONFLICT_BRUSH = QBrush(QColor("#fff1d6"))
PROBLEM_BRUSH = QBrush(QColor("#fde2e4"))


class _RowsModel(QAbstractTableModel):
    """A flat table over `self.rows`, one column per entry of HEADERS."""

    HEADERS: tuple[str, ...] = ()
    rows: list

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section]
        return None


class ChangesModel(_RowsModel):
    """One row per proposed change; the first column's tick is whether it will be applied.

    Signals:
        acceptance_changed(): a tick was set or cleared.
    """

    acceptance_changed = Signal()
    HEADERS = ("Apply", "Change", "Ref", "Cell", "Item", "Now", "Becomes", "Conflict",
               "Partner's reason or note")

    def __init__(self, parent=None):
        super().__init__(parent)
        self.rows: list[Change] = []

    def set_preview(self, preview: ReturnPreview | None) -> None:
        self.beginResetModel()
        self.rows = list(preview.changes) if preview is not None else []
        self.endResetModel()

    def change(self, row: int) -> Change:
        return self.rows[row]

    def flags(self, index: QModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() == 0:
            base |= Qt.ItemFlag.ItemIsUserCheckable
        return base

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        c = self.rows[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.CheckStateRole and col == 0:
            return Qt.CheckState.Checked if c.accepted else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.DisplayRole:
            return ("", c.kind_label, c.ref, f"{c.sheet}!{c.cell}", c.item, c.before, c.after,
                    f"⚠ {c.conflict}" if c.conflict else "", c.reason or c.note or "")[col]
        if role == Qt.ItemDataRole.ToolTipRole:
            if col == 7 and c.conflict:
                return "\n".join((c.conflict, *c.since))
            if col in (4, 6, 8):
                return (c.item, c.text or c.after, c.reason or c.note)[(4, 6, 8).index(col)]
        if role == Qt.ItemDataRole.BackgroundRole and c.conflict:
            return CONFLICT_BRUSH
        return None

    def setData(self, index: QModelIndex, value, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or index.column() != 0 or role != Qt.ItemDataRole.CheckStateRole:
            return False
        checked = Qt.CheckState(value) == Qt.CheckState.Checked
        self.set_accepted([index.row()], checked)
        return True

    def set_accepted(self, rows: list[int], accepted: bool) -> None:
        for row in rows:
            self.rows[row].accepted = accepted
        if rows:
            self.dataChanged.emit(self.index(min(rows), 0), self.index(max(rows), 0),
                                  [Qt.ItemDataRole.CheckStateRole])
            self.acceptance_changed.emit()

    def set_all(self, accepted: bool) -> None:
        self.set_accepted(list(range(len(self.rows))), accepted)


class ProblemsModel(_RowsModel):
    HEADERS = ("Cell", "Ref", "Problem")

    def __init__(self, parent=None):
        super().__init__(parent)
        self.rows: list[Problem] = []

    def set_problems(self, problems: list[Problem]) -> None:
        self.beginResetModel()
        self.rows = list(problems)
        self.endResetModel()

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        p = self.rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return (f"{p.sheet}!{p.cell}" if p.cell else p.sheet, p.ref or "", p.message)[
                index.column()]
        if role == Qt.ItemDataRole.BackgroundRole:
            return PROBLEM_BRUSH
        return None
