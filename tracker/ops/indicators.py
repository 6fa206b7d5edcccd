"""Operations on indicators: their values (added one at a time or pasted from a spreadsheet,
edited, deleted) and their definition."""

from __future__ import annotations

from typing import Any

from tracker.domain.model import Series, ValueState
from tracker.domain.wording import count_of, quoted
from tracker.ops.core import operation
from tracker.ops.result import OpResult
from tracker.store import indicators
from tracker.store.database import Store
from tracker.store.errors import ValidationError
from tracker.store.indicators import ValueInput


def _name(store: Store, indicator_id: int) -> str:
    return quoted(indicators.get_indicator(store, indicator_id).name, 60)


def add_values(store: Store, indicator_id: int, items: list[ValueInput] | ValueInput,
               row_name: str = "Line") -> OpResult:
    """New values, all or none: a period that already has a value in its series, or is given
    twice, is refused naming the line. `value` is the new rows' ids."""
    items = [items] if isinstance(items, ValueInput) else list(items)
    checked = indicators.check_new_values(store, indicator_id, items, row_name)
    with operation(store, "add_values") as op:
        op.value = indicators.add_values(store, indicator_id, checked)
        what = (f"the {checked[0].period} value" if len(checked) == 1
                else count_of(len(checked), "value"))
        op.summary = f"Added {what} of {_name(store, indicator_id)}"
    return op.result


def parse_pasted_rows(text: str, series: Series = Series.ACTUAL,
                      state: ValueState = ValueState.FINAL) -> list[ValueInput]:
    """Rows copied from a spreadsheet: period, value, and optionally note and source, separated
    by tabs, one row a line. Nothing is checked against the indicator here."""
    lines = [line for line in str(text).replace("\r\n", "\n").replace("\r", "\n").split("\n")
             if line.strip()]
    if not lines:
        raise ValidationError("There are no rows to paste: copy period and value columns first.",
                              "paste")
    found = []
    for line in lines:
        cells = [cell.strip() for cell in line.split("\t")] + ["", "", "", ""]
        found.append(ValueInput(cells[0], cells[1], series, state, cells[2] or None,
                                cells[3] or None))
    return found


def paste_values(store: Store, indicator_id: int, text: str, series: Series = Series.ACTUAL,
                 state: ValueState = ValueState.FINAL) -> OpResult:
    """Add the rows of pasted text as one operation (all of them or none)."""
    return add_values(store, indicator_id, parse_pasted_rows(text, series, state), "Pasted line")


def edit_value(store: Store, value_id: int, item: ValueInput, what: str = "") -> OpResult:
    """Rewrite one value (its period and series too); `what` words the edit for the log."""
    current = indicators.get_value(store, value_id)
    with operation(store, "edit_value") as op:
        indicators.update_value(store, value_id, item)
        op.summary = (f"{what or 'Edited the value'} of {current.period} of "
                      f"{_name(store, current.indicator_id)}")
    return op.result


def delete_values(store: Store, value_ids: list[int]) -> OpResult:
    values = [indicators.get_value(store, i) for i in value_ids]
    if not values:
        raise ValidationError("Select the values to delete first.", "values")
    with operation(store, "delete_values") as op:
        for v in values:
            indicators.delete_value(store, v.id)
        periods = ", ".join(v.period for v in values[:3]) + (" ..." if len(values) > 3 else "")
        op.summary = f"Deleted {periods} of {_name(store, values[0].indicator_id)}"
        op.value = values
    return op.result


def edit_indicator(store: Store, indicator_id: int, fields: dict[str, Any],
                   partner_ids: list[int] | None = None) -> OpResult:
    """The indicator's definition (name, unit, polarity, frequency, baseline, target, source,
    priority) and its partners."""
    with operation(store, "edit_indicator") as op:
        indicators.update_definition(store, indicator_id, dict(fields), partner_ids)
        op.summary = f"Edited the definition of {_name(store, indicator_id)}"
    return op.result
