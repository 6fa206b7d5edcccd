"""The values of one indicator as an editable table.

An edit is checked by the store first; a refused one is reported through `refused` with the
row it came from and nothing is written. An accepted one is an operation (ops.edit_value) run
through the window's history, so it is written at once and Ctrl+Z takes it back.

Signals:
    refused(str): an edit was refused; the message names the row.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont

from tracker import ops
from tracker.domain.model import Indicator, IndicatorValue, Series, ValueState
from tracker.domain.wording import format_value
from tracker.store import queries
from tracker.store.database import Store
from tracker.store.errors import StoreError
from tracker.ui.history import History

COLUMNS = ("Period", "Series", "Value", "State", "Note", "Source")
PERIOD, SERIES, VALUE, STATE, NOTE, SOURCE = range(len(COLUMNS))
FIELDS = {PERIOD: "period", SERIES: "series", VALUE: "value", STATE: "state", NOTE: "note",
          SOURCE: "source"}

STATE_LABELS = {ValueState.FINAL: "Final", ValueState.PROVISIONAL: "Provisional",
                ValueState.WITHHELD: "Withheld (never exported)"}

Index = QModelIndex | QPersistentModelIndex


def plain_number(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.10g}"


class ValuesModel(QAbstractTableModel):
    refused = Signal(str)

    def __init__(self, store: Store, indicator: Indicator, history: History, parent=None):
        super().__init__(parent)
        self.store, self.indicator, self.history = store, indicator, history
        self._values: list[IndicatorValue] = []
        self.reload()

    def reload(self) -> None:
        self.beginResetModel()
        self.indicator = queries.get_indicator(self.store, self.indicator.id)
        values = queries.list_values(self.store, self.indicator.id)
        order = {Series.ACTUAL: 0, Series.COMPARISON: 1, Series.TARGET: 2}
        self._values = sorted(values, key=lambda v: order[v.series])  # stable: period order kept
        self.endResetModel()

    @property
    def values(self) -> list[IndicatorValue]:
        return list(self._values)

    def value_at(self, row: int) -> IndicatorValue:
        return self._values[row]

    def row_name(self, row: int) -> str:
        v = self._values[row]
        return f"Row {row + 1} ({v.period}, {v.series.label.lower()})"

    # --- Qt model ------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._values)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole):
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return COLUMNS[section]
        return str(section + 1)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if not self.store.read_only:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        v = self._values[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return {
                PERIOD: v.period,
                SERIES: v.series.label,
                VALUE: format_value(v.value, self.indicator.unit, v.qualifier),
                STATE: STATE_LABELS[v.state],
                NOTE: v.note or "",
                SOURCE: v.source or "",
            }[column]
        if role == Qt.ItemDataRole.EditRole:
            return {
                PERIOD: v.period,
                SERIES: v.series.value,
                VALUE: plain_number(v.value),
                STATE: v.state.value,
                NOTE: v.note or "",
                SOURCE: v.source or "",
            }[column]
        if role == Qt.ItemDataRole.ToolTipRole and column in (NOTE, SOURCE):
            return (v.note if column == NOTE else v.source) or None
        if role == Qt.ItemDataRole.ForegroundRole and v.state is ValueState.WITHHELD:
            return QBrush(QColor("#6b7280"))
        if role == Qt.ItemDataRole.FontRole and v.state is ValueState.PROVISIONAL:
            font = QFont()
            font.setItalic(True)
            return font
        if role == Qt.ItemDataRole.TextAlignmentRole and column == VALUE:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def setData(self, index: Index, value, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid():
            return False
        row = index.row()
        current = self._values[row]
        before = queries.value_input(current)
        field = FIELDS[index.column()]
        raw = value if value is not None else ""
        if field == "series":
            raw = Series(raw)
        elif field == "state":
            raw = ValueState(raw)
        after = replace(before, **{field: raw})
        if field in ("note", "source"):
            after = replace(after, **{field: str(raw).strip() or None})
        try:
            label = queries.check_value(self.store, self.indicator.id, after, current.id)
        except StoreError as exc:
            self.refused.emit(f"{self.row_name(row)}: {exc} Nothing was saved.")
            return False
        after = replace(after, period=label)
        if field == "value":
            after = replace(after, value=queries.validate_value(self.indicator, after)[2])
        if after == before:
            return True
        what = f"Changed the {COLUMNS[index.column()].lower()}"
        done = self.history.perform(lambda s: ops.edit_value(s, current.id, after, what),
                                    f"Change {COLUMNS[index.column()].lower()} of {current.period}",
                                    "The value was not changed")
        return isinstance(done, ops.OpResult)
