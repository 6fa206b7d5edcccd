"""Performance indicators and their values by period and series."""

from __future__ import annotations

import json
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
from tracker.domain.numbers import parse_number
from tracker.domain.periods import PeriodError, parse_period
from tracker.domain.wording import check_qualifier
from tracker.store import bulk, rows, texts
from tracker.store.clock import new_ids, new_uid, now, row_id
from tracker.store.database import Store
from tracker.store.errors import NotFoundError, ValidationError
from tracker.store.rows import update_row

INDICATOR_FIELDS = ("name", "unit", "polarity", "frequency", "baseline_period", "target_value",
                    "target_period", "source", "priority_id", "number", "steady_band")
TEXT_LABELS = {"name": "The indicator name", "key": "The indicator key", "source": "The source",
               "baseline_period": "The baseline period", "target_period": "The target period",
               "note": "The note", "quote": "The quote", "period": "The period"}


def list_indicators(store: Store, plan_id: int | None = None,
                    priority_id: int | None = None) -> list[Indicator]:
    sql = ("SELECT i.* FROM indicator i JOIN priority p ON p.id = i.priority_id "
           "WHERE (:plan IS NULL OR p.plan_id = :plan) AND (:priority IS NULL OR p.id = :priority) "
           "ORDER BY p.plan_id, p.number, i.number, i.id")
    return [rows.indicator(r) for r in store.query(sql, {"plan": plan_id, "priority": priority_id})]


def get_indicator(store: Store, indicator_id: int) -> Indicator:
    for r in store.query("SELECT * FROM indicator WHERE id = ?", [indicator_id]):
        return rows.indicator(r)
    raise NotFoundError(f"No indicator with id {indicator_id}.")


def add_indicator(store: Store, priority_id: int, name: str, *, unit: Unit = Unit.COUNT,
                  polarity: Polarity = Polarity.NEITHER, frequency: Frequency = Frequency.ANNUAL,
                  number: int | None = None, key: str | None = None,
                  baseline_period: str | None = None, target_value: float | None = None,
                  target_period: str | None = None, source: str | None = None,
                  uid: str | None = None, steady_band: float | None = None) -> int:
    texts.check_fields({"name": name, "key": key, "source": source,
                        "baseline_period": baseline_period, "target_period": target_period},
                       TEXT_LABELS)
    name = " ".join(str(name).split())
    if not name:
        raise ValidationError("An indicator needs a name.", "name")
    steady_band = _band(steady_band)
    stamp = now()
    with store.transaction():
        if number is None:
            number = store.execute("SELECT coalesce(max(number), 0) + 1 FROM indicator "
                                   "WHERE priority_id = ?", (priority_id,)).fetchone()[0]
        return store.execute(
            "INSERT INTO indicator (id, uid, priority_id, key, number, name, unit, polarity, "
            "frequency, baseline_period, target_value, target_period, source, steady_band, "
            "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (row_id(uid := uid or new_uid()), uid, priority_id, key, number, name, Unit(unit).value,
             Polarity(polarity).value, Frequency(frequency).value, baseline_period, target_value,
             target_period, source, steady_band, stamp, stamp),
        ).lastrowid


def _band(value: Any) -> float | None:
    """The band of "about the same": blank for none, else a number not below 0."""
    if value is None or str(value).strip() == "":
        return None
    try:
        band = parse_number(value)
    except ValueError as exc:
        raise ValidationError(f"The band of 'about the same' {exc}", "steady_band") from exc
    if band is None or band < 0:
        raise ValidationError("The band of 'about the same' cannot be negative.", "steady_band")
    return band


def update_indicator(store: Store, indicator_id: int, **fields: Any) -> None:
    unknown = set(fields) - set(INDICATOR_FIELDS)
    if unknown:
        raise ValueError(f"cannot edit {', '.join(sorted(unknown))}")
    texts.check_fields(fields, TEXT_LABELS)
    if "steady_band" in fields:
        fields["steady_band"] = _band(fields["steady_band"])
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
        update_row(store, "indicator", indicator_id, fields)


def list_values(store: Store, indicator_id: int, series: Series | None = None,
                include_withheld: bool = True) -> list[IndicatorValue]:
    """Values in period order (by the period's start date, not by the label's text)."""
    sql = ("SELECT * FROM indicator_value WHERE indicator_id = :i "
           "AND (:s IS NULL OR series = :s) AND (:w OR state != 'withheld') "
           "ORDER BY series, period_start, length(period), id")
    return [rows.indicator_value(r) for r in store.query(
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
    qualifier: str | None = None  # "more than", "almost" ...: see tracker.domain.wording


def _qualifier(item: ValueInput) -> str | None:
    try:
        return check_qualifier(item.qualifier)
    except ValueError as exc:
        raise ValidationError(f"{exc}.", "qualifier") from exc


def validate_value(indicator: Indicator, item: ValueInput) -> tuple[str, str, float]:
    """The canonical period label, its start date and the number; ValidationError otherwise."""
    texts.check_fields({"period": item.period, "value": item.value, "note": item.note,
                        "source": item.source, "quote": item.quote},
                       {**TEXT_LABELS, "value": "The value"})
    try:
        period = parse_period(item.period)
    except PeriodError as exc:
        raise ValidationError(str(exc), "period") from exc
    try:
        number = parse_number(item.value)
    except ValueError as exc:
        raise ValidationError(str(exc), "value") from exc
    if number is None:
        raise ValidationError("A value is required.", "value")
    if indicator.unit is Unit.PERCENT and not 0 <= number <= 100:
        raise ValidationError(f"{number:g} is not a percentage between 0 and 100.", "value")
    if indicator.unit is Unit.COUNT and number < 0:
        raise ValidationError(f"{number:g} is negative; a count cannot be.", "value")
    _qualifier(item)
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
                "qualifier = ?, return_id = coalesce(?, return_id), updated_at = ? WHERE id = ?",
                (number, ValueState(item.state).value, item.note, item.source, item.quote,
                 _qualifier(item), return_id, stamp, existing[0]))
            return existing[0]
        return store.execute(
            "INSERT INTO indicator_value (id, uid, indicator_id, period, period_start, series, "
            "value, state, note, source, quote, qualifier, return_id, created_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (row_id(uid := uid or new_uid()), uid, indicator_id, label, start,
             Series(item.series).value, number,
             ValueState(item.state).value, item.note, item.source, item.quote, _qualifier(item),
             return_id, stamp, stamp),
        ).lastrowid


def get_indicators(store: Store, indicator_ids: list[int]) -> dict[int, Indicator]:
    """The indicators with these ids, in one query (missing ones are left out)."""
    return {r["id"]: rows.indicator(r) for r in store.query(
        "SELECT * FROM indicator WHERE id IN (SELECT value FROM json_each(?))",
        [json.dumps(sorted(set(indicator_ids)))])}


def stored_values(store: Store, indicator_ids: list[int],
                  periods: set[str] | None = None) -> dict[tuple[int, str, str], dict]:
    """The stored values of these indicators (for these period labels, or all) as rows,
    keyed (indicator id, series, period)."""
    within = "AND period IN (SELECT value FROM json_each(:periods))" if periods else ""
    return {(r["indicator_id"], r["series"], r["period"]): r for r in store.query(
        f"SELECT * FROM indicator_value WHERE indicator_id IN "
        f"(SELECT value FROM json_each(:ids)) {within}",
        {"ids": json.dumps(sorted(set(indicator_ids))),
         "periods": json.dumps(sorted(periods or ()))})}


@dataclass(frozen=True, slots=True)
class ValueWritten:
    id: int
    uid: str
    updated_at: str
    before: dict | None  # the row it replaced, if any


@dataclass
class ValuesPlanned:
    """Values checked, with the stored values they replace (`plan_values`), not yet written."""

    checked: list[tuple[Indicator, ValueInput, str, str, float]]  # (.., label, start, number)
    stored: dict[tuple[int, str, str], dict]  # stored_values of their indicators and periods


def plan_values(store: Store, items: list[tuple[Indicator, ValueInput]]) -> ValuesPlanned:
    """set_value's checks for many values at once (a partner's return), and the values
    stored now (inside the caller's transaction), writing nothing: `write_values` writes
    them, in a fixed number of statements."""
    checked = [(indicator, item, *validate_value(indicator, item)) for indicator, item in items]
    return ValuesPlanned(checked, stored_values(
        store, [indicator.id for indicator, *_rest in checked],
        {label for _i, _item, label, *_rest in checked}))


def write_values(store: Store, planned: ValuesPlanned, *,
                 return_id: int | None = None) -> list[ValueWritten]:
    """Write planned values (the stored values they replace as `plan_values` read them)."""
    written: list[ValueWritten] = []
    existing = dict(planned.stored)
    updates, inserts = [], []
    ids = iter(new_ids(len(planned.checked)))
    for indicator, item, label, start, number in planned.checked:
        stamp = now()
        series, state = Series(item.series).value, ValueState(item.state).value
        before = existing.get((indicator.id, series, label))
        if before is not None:
            updates.append((number, state, item.note, item.source, item.quote,
                            _qualifier(item), return_id, stamp, before["id"]))
            written.append(ValueWritten(before["id"], before["uid"], stamp, before))
            existing[(indicator.id, series, label)] = {**before, "updated_at": stamp}
            continue
        new_id, uid = next(ids)
        inserts.append((new_id, uid, indicator.id, label, start, series, number, state,
                        item.note, item.source, item.quote, _qualifier(item), return_id,
                        stamp, stamp))
        written.append(ValueWritten(new_id, uid, stamp, None))
    bulk.update_rows(store, "indicator_value", (
        "value", "state", "note", "source", "quote", "qualifier", "return_id",
        "updated_at"), "id", updates)
    bulk.insert_rows(store, "indicator_value", (
        "id", "uid", "indicator_id", "period", "period_start", "series", "value", "state",
        "note", "source", "quote", "qualifier", "return_id", "created_at", "updated_at"),
        inserts)
    return written


def delete_value(store: Store, value_id: int) -> IndicatorValue:
    with store.transaction():
        for r in store.query("SELECT * FROM indicator_value WHERE id = ?", [value_id]):
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
    for r in store.query(
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


# --- editing values one row at a time (the values table, with undo) -----------------------


def get_value(store: Store, value_id: int) -> IndicatorValue:
    for r in store.query("SELECT * FROM indicator_value WHERE id = ?", [value_id]):
        return rows.indicator_value(r)
    raise NotFoundError(f"No indicator value with id {value_id}.")


def value_by_uid(store: Store, uid: str) -> IndicatorValue | None:
    for r in store.query("SELECT * FROM indicator_value WHERE uid = ?", [uid]):
        return rows.indicator_value(r)
    return None


def _refuse_duplicate(store: Store, indicator_id: int, series: Series, label: str,
                      except_id: int | None) -> None:
    clash = store.execute(
        "SELECT id FROM indicator_value WHERE indicator_id = ? AND series = ? AND period = ? "
        "AND id IS NOT ?", (indicator_id, Series(series).value, label, except_id)).fetchone()
    if clash:
        raise ValidationError(
            f"{label} already has a value in the {Series(series).label.lower()} series; "
            "change or delete that one instead.", "period")


def add_value(store: Store, indicator_id: int, item: ValueInput, *,
              uid: str | None = None) -> int:
    """A new value; a second value for the same period and series is refused, not merged."""
    indicator = get_indicator(store, indicator_id)
    label, start, number = validate_value(indicator, item)
    stamp = now()
    with store.transaction():
        _refuse_duplicate(store, indicator_id, item.series, label, None)
        return store.execute(
            "INSERT INTO indicator_value (id, uid, indicator_id, period, period_start, series, "
            "value, state, note, source, quote, qualifier, created_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (row_id(uid := uid or new_uid()), uid, indicator_id, label, start,
             Series(item.series).value, number,
             ValueState(item.state).value, _text(item.note), _text(item.source),
             _text(item.quote), _qualifier(item), stamp, stamp),
        ).lastrowid


def update_value(store: Store, value_id: int, item: ValueInput) -> None:
    """Rewrite one value (its period and series too); a clash with another row is refused."""
    current = get_value(store, value_id)
    indicator = get_indicator(store, current.indicator_id)
    label, start, number = validate_value(indicator, item)
    with store.transaction():
        _refuse_duplicate(store, current.indicator_id, item.series, label, value_id)
        store.execute(
            "UPDATE indicator_value SET period = ?, period_start = ?, series = ?, value = ?, "
            "state = ?, note = ?, source = ?, quote = ?, qualifier = ?, updated_at = ? "
            "WHERE id = ?",
            (label, start, Series(item.series).value, number, ValueState(item.state).value,
             _text(item.note), _text(item.source), _text(item.quote), _qualifier(item), now(),
             value_id))


def value_input(value: IndicatorValue) -> ValueInput:
    """The editable fields of a stored value."""
    return ValueInput(value.period, value.value, value.series, value.state, value.note,
                      value.source, value.quote, value.qualifier)


def _text(value: str | None) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def values_for_indicators(store: Store, indicator_ids: list[int] | None = None,
                          include_withheld: bool = True) -> dict[int, list[IndicatorValue]]:
    """The values of many indicators in one query (all indicators when ids is None), each list
    in period order."""
    found: dict[int, list[IndicatorValue]] = {i: [] for i in indicator_ids or []}
    wanted = set(indicator_ids) if indicator_ids is not None else None
    # Plain tuples, not a dict per row: the grid reads thousands of values at once.
    series, states = {s.value: s for s in Series}, {s.value: s for s in ValueState}
    for (vid, uid, iid, period, kind, value, state, note, source, quote,
         qualifier) in store.conn.execute(
        "SELECT id, uid, indicator_id, period, series, value, state, note, source, quote, "
        "qualifier FROM indicator_value WHERE (:w OR state != 'withheld') "
        "ORDER BY indicator_id, series, period_start, length(period), id",
        {"w": include_withheld},
    ):
        if wanted is None or iid in wanted:
            found.setdefault(iid, []).append(IndicatorValue(
                vid, uid, iid, period, series[kind], value, states[state], note, source, quote,
                qualifier))
    return found


def set_indicator_partners(store: Store, indicator_id: int, partner_ids: list[int]) -> None:
    with store.transaction():
        store.execute("DELETE FROM indicator_partner WHERE indicator_id = ?", (indicator_id,))
        store.conn.executemany(
            "INSERT INTO indicator_partner (indicator_id, partner_id) VALUES (?, ?)",
            [(indicator_id, p) for p in dict.fromkeys(partner_ids)])
        store.execute("UPDATE indicator SET updated_at = ? WHERE id = ?", (now(), indicator_id))


def check_definition(store: Store, indicator_id: int, fields: dict[str, Any]) -> dict[str, Any]:
    """The definition fields normalised (blank text as None, the target as a number, periods
    as canonical labels); ValidationError naming the field otherwise. Nothing is written."""
    fields = dict(fields)
    current = get_indicator(store, indicator_id)
    texts.check_fields(fields, TEXT_LABELS)
    if "name" in fields:
        fields["name"] = " ".join(str(fields["name"] or "").split())
        if not fields["name"]:
            raise ValidationError("An indicator needs a name.", "name")
    for enum, key in ((Unit, "unit"), (Polarity, "polarity"), (Frequency, "frequency")):
        if key in fields:
            try:
                fields[key] = enum(fields[key]).value
            except ValueError as exc:
                raise ValidationError(f"'{fields[key]}' is not a {key}.", key) from exc
    for key in ("baseline_period", "target_period", "source"):
        if key in fields:
            fields[key] = _text(fields[key])
    if "steady_band" in fields:
        fields["steady_band"] = _band(fields["steady_band"])
    if fields.get("unit") == Unit.PERCENT.value and current.unit is not Unit.PERCENT:
        for r in store.query(
                "SELECT period, value FROM indicator_value WHERE indicator_id = ? "
                "AND (value < 0 OR value > 100) ORDER BY period_start LIMIT 1", [indicator_id]):
            raise ValidationError(
                f"The unit cannot be per cent: {r['period']} has {r['value']:,g}, "
                "which is not between 0 and 100.", "unit")
    for key, what in (("baseline_period", "baseline"), ("target_period", "target period")):
        if fields.get(key):
            try:
                fields[key] = parse_period(fields[key]).label
            except PeriodError as exc:
                raise ValidationError(f"The {what}: {exc}", key) from exc
    raw = fields.get("target_value")
    if raw is None or str(raw).strip() == "":
        if "target_value" in fields:
            fields["target_value"] = None
    else:
        try:
            target = parse_number(raw)
        except ValueError as exc:
            raise ValidationError(f"The target {exc}", "target_value") from exc
        unit = Unit(fields.get("unit") or current.unit)
        if unit is Unit.PERCENT and not 0 <= target <= 100:
            raise ValidationError(f"A target of {target:g} is not a percentage between 0 and 100.",
                                  "target_value")
        fields["target_value"] = target
    if "priority_id" in fields:
        found = store.execute("SELECT 1 FROM priority WHERE id = ?",
                              (fields["priority_id"],)).fetchone()
        if not found:
            raise ValidationError("Choose the priority the indicator belongs to.", "priority_id")
    return fields


def update_definition(store: Store, indicator_id: int, fields: dict[str, Any],
                      partner_ids: list[int] | None = None) -> None:
    """The indicator's definition and its partners, in one transaction."""
    fields = check_definition(store, indicator_id, fields)
    with store.transaction():
        update_indicator(store, indicator_id, **fields)
        if partner_ids is not None:
            set_indicator_partners(store, indicator_id, partner_ids)


def check_value(store: Store, indicator_id: int, item: ValueInput,
                value_id: int | None = None) -> str:
    """Raise ValidationError if add_value (value_id None) or update_value(value_id) would
    refuse the item; nothing is written. Returns the canonical period label."""
    indicator = get_indicator(store, indicator_id)
    label, _start, _number = validate_value(indicator, item)
    _refuse_duplicate(store, indicator_id, item.series, label, value_id)
    return label


def check_new_values(store: Store, indicator_id: int, items: list[ValueInput],
                     row_name: str = "Line") -> list[ValueInput]:
    """The items with canonical periods, if every one can be added; otherwise ValidationError
    naming the first bad one ("Line 3 (2019/2x): ..."). A period given twice for the same
    series among the items is refused too. Nothing is written."""
    checked: list[ValueInput] = []
    seen: dict[tuple[str, str], int] = {}
    for number, item in enumerate(items, start=1):
        where = f"{row_name} {number} ({str(item.period).strip() or 'no period'})"
        try:
            label = check_value(store, indicator_id, item)
        except ValidationError as exc:
            raise ValidationError(f"{where}: {exc}", exc.field) from exc
        key = (Series(item.series).value, label)
        if key in seen:
            raise ValidationError(f"{where}: {label} is also on {row_name.lower()} {seen[key]} "
                                  f"for the {Series(item.series).label.lower()} series.", "period")
        seen[key] = number
        checked.append(ValueInput(label, item.value, item.series, item.state, item.note,
                                  item.source, item.quote, item.qualifier))
    return checked


def add_values(store: Store, indicator_id: int, items: list[ValueInput],
               uids: list[str] | None = None) -> list[int]:
    """Several new values in one transaction: all of them or none."""
    with store.transaction():
        return [add_value(store, indicator_id, item, uid=uids[i] if uids else None)
                for i, item in enumerate(items)]
