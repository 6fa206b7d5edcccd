"""Performance indicators and their values by period and series."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from tracker.domain.model import (
    Frequency,
    Indicator,
    IndicatorValue,
    Polarity,
    Series,
    Unit,
    ValueState,
)
from tracker.domain.periods import PeriodError, parse_period
from tracker.store import rows
from tracker.store.clock import new_uid, now
from tracker.store.database import Store
from tracker.store.errors import NotFoundError, ValidationError

INDICATOR_FIELDS = ("name", "unit", "polarity", "frequency", "baseline_period", "target_value",
                    "target_period", "source", "priority_id", "number")


def list_indicators(store: Store, plan_id: int | None = None,
                    priority_id: int | None = None) -> list[Indicator]:
    sql = ("SELECT i.* FROM indicator i JOIN priority p ON p.id = i.priority_id "
           "WHERE (:plan IS NULL OR p.plan_id = :plan) AND (:priority IS NULL OR p.id = :priority) "
           "ORDER BY p.plan_id, p.number, i.number, i.id")
    return [rows.indicator(r) for r in store.db.query(sql, {"plan": plan_id, "priority": priority_id})]


def get_indicator(store: Store, indicator_id: int) -> Indicator:
    for r in store.db.query("SELECT * FROM indicator WHERE id = ?", [indicator_id]):
        return rows.indicator(r)
    raise NotFoundError(f"No indicator with id {indicator_id}.")


def add_indicator(store: Store, priority_id: int, name: str, *, unit: Unit = Unit.COUNT,
                  polarity: Polarity = Polarity.NEITHER, frequency: Frequency = Frequency.ANNUAL,
                  number: int | None = None, key: str | None = None,
                  baseline_period: str | None = None, target_value: float | None = None,
                  target_period: str | None = None, source: str | None = None,
                  uid: str | None = None) -> int:
    name = " ".join(str(name).split())
    if not name:
        raise ValidationError("An indicator needs a name.", "name")
    stamp = now()
    with store.transaction():
        if number is None:
            number = store.execute("SELECT coalesce(max(number), 0) + 1 FROM indicator "
                                   "WHERE priority_id = ?", (priority_id,)).fetchone()[0]
        return store.execute(
            "INSERT INTO indicator (uid, priority_id, key, number, name, unit, polarity, "
            "frequency, baseline_period, target_value, target_period, source, created_at, "
            "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (uid or new_uid(), priority_id, key, number, name, Unit(unit).value,
             Polarity(polarity).value, Frequency(frequency).value, baseline_period, target_value,
             target_period, source, stamp, stamp),
        ).lastrowid


def update_indicator(store: Store, indicator_id: int, **fields: Any) -> None:
    unknown = set(fields) - set(INDICATOR_FIELDS)
    if unknown:
        raise ValueError(f"cannot edit {', '.join(sorted(unknown))}")
    if "name" in fields:
        fields["name"] = " ".join(str(fields["name"]).split())
        if not fields["name"]:
            raise ValidationError("An indicator needs a name.", "name")
    for enum, key in ((Unit, "unit"), (Polarity, "polarity"), (Frequency, "frequency")):
        if key in fields:
            fields[key] = enum(fields[key]).value
    for key in ("baseline_period", "target_period"):
        if fields.get(key):
            try:
                fields[key] = parse_period(fields[key]).label
            except PeriodError as exc:
                raise ValidationError(str(exc), key) from exc
    if not fields:
        return
    with store.transaction():
        assignments = ", ".join(f"{k} = ?" for k in fields)
        cur = store.execute(f"UPDATE indicator SET {assignments}, updated_at = ? WHERE id = ?",
                            (*fields.values(), now(), indicator_id))
        if cur.rowcount == 0:
            raise NotFoundError(f"No indicator with id {indicator_id}.")


def list_values(store: Store, indicator_id: int, series: Series | None = None,
                include_withheld: bool = True) -> list[IndicatorValue]:
    """Values in period order (by the period's start date, not by the label's text)."""
    sql = ("SELECT * FROM indicator_value WHERE indicator_id = :i "
           "AND (:s IS NULL OR series = :s) AND (:w OR state != 'withheld') "
           "ORDER BY series, period_start, length(period), id")
    return [rows.indicator_value(r) for r in store.db.query(
        sql, {"i": indicator_id, "s": Series(series).value if series else None,
              "w": include_withheld})]


@dataclass
class ValueInput:
    period: str
    value: float | str
    series: Series = Series.ACTUAL
    state: ValueState = ValueState.FINAL
    note: str | None = None
    source: str | None = None
    quote: str | None = None


def validate_value(indicator: Indicator, item: ValueInput) -> tuple[str, str, float]:
    """The canonical period label, its start date and the number; ValidationError otherwise."""
    try:
        period = parse_period(item.period)
    except PeriodError as exc:
        raise ValidationError(str(exc), "period") from exc
    raw = item.value
    try:
        number = float(str(raw).replace(",", "").strip()) if not isinstance(raw, (int, float)) \
            else float(raw)
    except ValueError as exc:
        raise ValidationError(f"'{raw}' is not a number.", "value") from exc
    if not math.isfinite(number):
        raise ValidationError(f"'{raw}' is not a number.", "value")
    if indicator.unit is Unit.PERCENT and not 0 <= number <= 100:
        raise ValidationError(f"{number:g} is not a percentage between 0 and 100.", "value")
    if indicator.unit is Unit.COUNT and number < 0:
        raise ValidationError(f"{number:g} is negative; a count cannot be.", "value")
    return period.label, period.start.isoformat(), number


def set_value(store: Store, indicator_id: int, item: ValueInput, *, uid: str | None = None,
              return_id: int | None = None) -> int:
    """Insert or replace the value for (series, period)."""
    indicator = get_indicator(store, indicator_id)
    label, start, number = validate_value(indicator, item)
    stamp = now()
    with store.transaction():
        existing = store.execute(
            "SELECT id FROM indicator_value WHERE indicator_id = ? AND series = ? AND period = ?",
            (indicator_id, Series(item.series).value, label)).fetchone()
        if existing:
            store.execute(
                "UPDATE indicator_value SET value = ?, state = ?, note = ?, source = ?, quote = ?, "
                "return_id = coalesce(?, return_id), updated_at = ? WHERE id = ?",
                (number, ValueState(item.state).value, item.note, item.source, item.quote,
                 return_id, stamp, existing[0]))
            return existing[0]
        return store.execute(
            "INSERT INTO indicator_value (uid, indicator_id, period, period_start, series, value, "
            "state, note, source, quote, return_id, created_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (uid or new_uid(), indicator_id, label, start, Series(item.series).value, number,
             ValueState(item.state).value, item.note, item.source, item.quote, return_id, stamp,
             stamp),
        ).lastrowid


def delete_value(store: Store, value_id: int) -> IndicatorValue:
    with store.transaction():
        for r in store.db.query("SELECT * FROM indicator_value WHERE id = ?", [value_id]):
            value = rows.indicator_value(r)
            break
        else:
            raise NotFoundError(f"No indicator value with id {value_id}.")
        store.execute("DELETE FROM indicator_value WHERE id = ?", (value_id,))
        return value


def latest_values(store: Store, plan_id: int,
                  series: Series = Series.ACTUAL) -> dict[int, IndicatorValue]:
    """The latest non-withheld value of each indicator of a plan, in one query."""
    found: dict[int, IndicatorValue] = {}
    for r in store.db.query(
        """
        SELECT v.* FROM indicator_value v
        JOIN indicator i ON i.id = v.indicator_id
        JOIN priority p ON p.id = i.priority_id
        WHERE p.plan_id = ? AND v.series = ? AND v.state != 'withheld'
        ORDER BY v.indicator_id, v.period_start, length(v.period)
        """,
        [plan_id, Series(series).value],
    ):
        found[r["indicator_id"]] = rows.indicator_value(r)
    return found
