"""Undo commands for indicator values and definitions.

Each command writes the store in one transaction when done and when undone, and names the
indicator it touched through `notify`, so whichever views are open redraw. Values are followed
by their uid, which survives a delete and its undo (the row id does not).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtGui import QUndoCommand

from tracker.domain.model import IndicatorValue
from tracker.store import edits, indicators, partners
from tracker.store.database import Store
from tracker.store.errors import StoreError
from tracker.store.indicators import ValueInput

Notify = Callable[[int], None]


def _value_id(store: Store, uid: str) -> int:
    found = indicators.value_by_uid(store, uid)
    if found is None:
        raise LookupError(f"the value {uid} is no longer in the database")
    return found.id


class IndicatorCommand(QUndoCommand):
    """Writes through `_redo` / `_undo`. A refusal (file gone or read-only, value changed
    elsewhere) marks the command obsolete, so the stack drops it instead of disagreeing with
    the database (on a first push, Qt does not keep it), and the notifier reports it."""

    store: Store
    notify: Notify
    indicator_id: int

    def _redo(self) -> None:
        raise NotImplementedError

    def _undo(self) -> None:
        raise NotImplementedError

    def redo(self) -> None:
        self._guard(self._redo, "do")

    def undo(self) -> None:
        self._guard(self._undo, "undo")

    def _guard(self, step: Callable[[], None], verb: str) -> None:
        try:
            edits.check_file_still_there(self.store)
            step()
        except (StoreError, LookupError) as exc:
            self.setObsolete(True)
            refuse = getattr(self.notify, "refuse", None)
            if refuse is not None:
                refuse(f"Could not {verb} “{self.text()}”. Nothing was saved.\n\n{exc}")
        self.notify(self.indicator_id)


class AddValueCommand(IndicatorCommand):
    """Adds one or more values (a pasted block is one command, one transaction)."""

    def __init__(self, store: Store, indicator_id: int, items: ValueInput | list[ValueInput],
                 notify: Notify):
        self.items = [items] if isinstance(items, ValueInput) else list(items)
        text = (f"Add {self.items[0].period} value" if len(self.items) == 1
                else f"Add {len(self.items)} values")
        super().__init__(text)
        self.store, self.indicator_id, self.notify = store, indicator_id, notify
        self.uids: list[str] | None = None

    def _redo(self) -> None:
        ids = indicators.add_values(self.store, self.indicator_id, self.items, self.uids)
        self.uids = [indicators.get_value(self.store, i).uid for i in ids]

    def _undo(self) -> None:
        with self.store.transaction():
            for uid in self.uids or []:
                indicators.delete_value(self.store, _value_id(self.store, uid))


class EditValueCommand(IndicatorCommand):
    def __init__(self, store: Store, before: IndicatorValue, after: ValueInput, notify: Notify,
                 text: str = ""):
        super().__init__(text or f"Edit {before.period} value")
        self.store, self.notify = store, notify
        self.indicator_id, self.uid = before.indicator_id, before.uid
        self.before, self.after = indicators.value_input(before), after

    def _redo(self) -> None:
        indicators.update_value(self.store, _value_id(self.store, self.uid), self.after)

    def _undo(self) -> None:
        indicators.update_value(self.store, _value_id(self.store, self.uid), self.before)


class DeleteValuesCommand(IndicatorCommand):
    """Deletes one or more values together; undo puts them back with their uids."""

    def __init__(self, store: Store, values: list[IndicatorValue], notify: Notify):
        periods = ", ".join(v.period for v in values[:3]) + (" ..." if len(values) > 3 else "")
        super().__init__(f"Delete {periods}")
        self.store, self.values, self.notify = store, list(values), notify
        self.indicator_id = values[0].indicator_id

    def _redo(self) -> None:
        with self.store.transaction():
            for v in self.values:
                indicators.delete_value(self.store, _value_id(self.store, v.uid))

    def _undo(self) -> None:
        with self.store.transaction():
            for v in self.values:
                indicators.add_value(self.store, v.indicator_id, indicators.value_input(v),
                                     uid=v.uid)


class EditDefinitionCommand(IndicatorCommand):
    def __init__(self, store: Store, indicator_id: int, after: dict[str, Any],
                 after_partners: list[int], notify: Notify):
        super().__init__("Edit indicator")
        self.store, self.indicator_id, self.notify = store, indicator_id, notify
        current = indicators.get_indicator(store, indicator_id)
        self.before = {key: getattr(current, key) for key in after}
        self.before = {k: (v.value if hasattr(v, "value") else v) for k, v in self.before.items()}
        self.before_partners = partners.indicator_partner_ids(store, indicator_id)
        self.after, self.after_partners = dict(after), list(after_partners)

    def _redo(self) -> None:
        indicators.update_definition(self.store, self.indicator_id, dict(self.after),
                                     self.after_partners)

    def _undo(self) -> None:
        indicators.update_definition(self.store, self.indicator_id, dict(self.before),
                                     self.before_partners)
