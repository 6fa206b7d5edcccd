"""The reporting round, chosen from the rounds sent so far or typed: an editable list that
opens on the latest round still open (else the quarter just ended)."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QWidget

from tracker.domain.wording import day
from tracker.store import queries
from tracker.store.database import Store


class RoundBox(QComboBox):
    """`lineEdit()` is the round's text; each listed round carries its label as item data."""

    def __init__(self, store: Store, current: str | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.setAccessibleName("Reporting round")
        self.setToolTip('A round sent before, or a new one: a financial year, quarter or month, '
                        'e.g. "2021/22 Q2"')
        self.setMinimumContentsLength(12)
        for r in queries.list_rounds(store):
            state = f"closed {day(r.closed_at)}" if r.is_closed else f"due {day(r.due_date, 'not set')}"
            self.addItem(f"{r.label}  ({state})", r.label)
        self.activated.connect(self._chosen)
        self.lineEdit().setText(current or queries.default_round_label(store))

    def _chosen(self, index: int) -> None:
        label = self.itemData(index)
        if label:
            self.lineEdit().setText(label)

    def text(self) -> str:
        return self.lineEdit().text()
