"""Changes a source states only in words or as a percentage, kept with their indicator.

"A 21 per cent reduction between 2015/16 and 2019/20" says nothing about the values behind
it; it is recorded as said (way, percentage, periods, the quote and where it is) and the
report writes it as said. Nothing here ever makes an indicator value out of one.
"""

from __future__ import annotations

from dataclasses import dataclass

from tracker.domain.model import ChangeWay, StatedChange
from tracker.domain.numbers import parse_number
from tracker.domain.periods import PeriodError, parse_period
from tracker.domain.wording import check_qualifier
from tracker.store import rows, texts
from tracker.store.clock import new_uid, now, row_id
from tracker.store.database import Store
from tracker.store.errors import NotFoundError, ValidationError
from tracker.store.rows import update_row


@dataclass
class StatedInput:
    way: ChangeWay | str
    percent: float | str | None = None
    qualifier: str | None = None
    from_period: str | None = None
    to_period: str | None = None
    from_value: float | str | None = None
    to_value: float | str | None = None
    period_words: str | None = None
    note: str | None = None
    source: str | None = None
    quote: str | None = None


def _text(value: str | None) -> str | None:
    text = " ".join(str(value).split()) if value is not None else ""
    return text or None


def _number(value: float | str | None, field: str, what: str) -> float | None:
    try:
        return parse_number(value)
    except ValueError as exc:
        raise ValidationError(f"The {what} {exc}", field) from exc


def _label(value: str | None, field: str, what: str) -> str | None:
    if value is None or not str(value).strip():
        return None
    try:
        return parse_period(str(value)).label
    except PeriodError as exc:
        raise ValidationError(f"The {what}: {exc}", field) from exc


def validated(item: StatedInput) -> dict:
    """The fields as stored; ValidationError naming the first bad one."""
    texts.check_fields({"period_words": item.period_words, "note": item.note,
                        "source": item.source, "quote": item.quote},
                       {"period_words": "The periods in words", "note": "The note",
                        "source": "The source", "quote": "The quote"})
    try:
        way = ChangeWay(item.way)
    except ValueError as exc:
        raise ValidationError(f"'{item.way}' is not a way a change goes: increase, reduction "
                              "or steady.", "way") from exc
    percent = _number(item.percent, "percent", "percentage")
    if percent is not None and percent < 0:
        raise ValidationError("Give the percentage without a sign; say whether it is an "
                              "increase or a reduction.", "percent")
    try:
        qualifier = check_qualifier(item.qualifier)
    except ValueError as exc:
        raise ValidationError(f"{exc}.", "qualifier") from exc
    fields = {
        "way": way.value, "percent": percent, "qualifier": qualifier,
        "from_period": _label(item.from_period, "from_period", "period it is measured from"),
        "to_period": _label(item.to_period, "to_period", "period it is measured to"),
        "from_value": _number(item.from_value, "from_value", "first value"),
        "to_value": _number(item.to_value, "to_value", "last value"),
        "period_words": _text(item.period_words), "note": _text(item.note),
        "source": _text(item.source), "quote": _text(item.quote),
    }
    if fields["from_period"] and fields["to_period"] and \
            parse_period(fields["to_period"]).start < parse_period(fields["from_period"]).start:
        raise ValidationError(f"The change runs backwards: {fields['to_period']} comes before "
                              f"{fields['from_period']}.", "to_period")
    if not (percent is not None or fields["from_value"] is not None
            or fields["to_value"] is not None or fields["from_period"] or fields["to_period"]
            or fields["period_words"]):
        raise ValidationError("Say what the change is: a percentage, values or the periods it "
                              "runs between.", "percent")
    return fields


def list_stated(store: Store, indicator_id: int) -> list[StatedChange]:
    return [rows.stated_change(r) for r in store.db.query(
        "SELECT * FROM stated_change WHERE indicator_id = ? ORDER BY position, created_at",
        [indicator_id])]


def get_stated(store: Store, change_id: int) -> StatedChange:
    for r in store.db.query("SELECT * FROM stated_change WHERE id = ?", [change_id]):
        return rows.stated_change(r)
    raise NotFoundError(f"No stated change with id {change_id}.")


def add_stated(store: Store, indicator_id: int, item: StatedInput, *,
               uid: str | None = None) -> int:
    fields = validated(item)
    stamp = now()
    with store.transaction():
        if store.execute("SELECT 1 FROM indicator WHERE id = ?", (indicator_id,)).fetchone() \
                is None:
            raise NotFoundError(f"No indicator with id {indicator_id}.")
        position = store.execute("SELECT coalesce(max(position), 0) + 1 FROM stated_change "
                                 "WHERE indicator_id = ?", (indicator_id,)).fetchone()[0]
        names = ", ".join(fields)
        marks = ", ".join("?" for _ in fields)
        return store.execute(
            f"INSERT INTO stated_change (id, uid, indicator_id, position, {names}, created_at, "
            f"updated_at) VALUES (?, ?, ?, ?, {marks}, ?, ?)",
            (row_id(uid := uid or new_uid()), uid, indicator_id, position, *fields.values(),
             stamp, stamp),
        ).lastrowid


def update_stated(store: Store, change_id: int, item: StatedInput) -> None:
    fields = validated(item)
    with store.transaction():
        update_row(store, "stated_change", change_id, fields)


def delete_stated(store: Store, change_id: int) -> StatedChange:
    with store.transaction():
        item = get_stated(store, change_id)
        store.execute("DELETE FROM stated_change WHERE id = ?", (change_id,))
    return item


def stated_for_indicators(store: Store, indicator_ids: list[int]) -> dict[int, list[StatedChange]]:
    """The stated changes of many indicators in one query, each list in order."""
    found: dict[int, list[StatedChange]] = {i: [] for i in indicator_ids}
    for r in store.db.query("SELECT * FROM stated_change ORDER BY indicator_id, position, "
                            "created_at"):
        if r["indicator_id"] in found:
            found[r["indicator_id"]].append(rows.stated_change(r))
    return found
