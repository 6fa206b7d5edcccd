"""Naming changed rows and operations in words, for refusals and the activity log."""

from __future__ import annotations

from tracker.domain.changes import Activity, Row, RowChange
from tracker.domain.status import Status
from tracker.domain.wording import moment, quoted
from tracker.store import capture, commitments, evidence, indicators, partners, plans, returns
from tracker.store.database import Store
from tracker.store.errors import StoreError
from tracker.store.returns.records import return_label


def commitment_label(store: Store, commitment_id: int | None, row: Row | None = None) -> str:
    """"commitment A of priority 1" (its text instead when it has no code)."""
    data = row
    if data is None and commitment_id is not None:
        try:
            c = commitments.get_commitment(store, commitment_id)
            data = {"code": c.code, "text": c.text, "priority_id": c.priority_id}
        except StoreError:
            data = None
    if data is None:
        return "a commitment no longer in this database"
    of = ""
    try:
        of = f" of priority {plans.get_priority(store, data['priority_id']).number}"
    except (StoreError, KeyError):
        pass
    if data.get("code"):
        return f"commitment {data['code']}{of}"
    return f"the commitment {quoted(data.get('text'), 50)}{of}"


def describe_row(store: Store, table: str, row: Row) -> str:
    """What a row is, in words an officer knows it by."""
    if table == "commitment":
        return commitment_label(store, None, row)
    if table == "evidence":
        return (f"the evidence {quoted(row.get('text'), 50)} of "
                f"{commitment_label(store, row.get('commitment_id'))}")
    if table == "attachment":
        return f"the file {quoted(row.get('file_name'), 50)} of {_evidence_words(store, row)}"
    if table == "status_change":
        return f"the status of {commitment_label(store, row.get('commitment_id'))}"
    if table == "commitment_partner":
        return f"the partners of {commitment_label(store, row.get('commitment_id'))}"
    if table == "indicator_value":
        name = _indicator_name(store, row.get("indicator_id"))
        series = "" if row.get("series") in (None, "actual") else f" {row['series']}"
        return f"the {row.get('period')}{series} value of {name}"
    if table == "indicator":
        return f"the indicator {quoted(row.get('name'), 50)}"
    if table == "indicator_partner":
        return f"the partners of {_indicator_name(store, row.get('indicator_id'))}"
    if table == "plan":
        return f"the plan {quoted(row.get('title'), 50)}"
    if table == "priority":
        return f"priority {row.get('number')} {quoted(row.get('title'), 50)}"
    if table == "partner_return":
        return _return_words(store, row)
    if table == "partner":
        return f"the partner {quoted(row.get('name'), 50)}"
    if table == "narrative":
        return f"the report text ({str(row.get('section') or '').replace('_', ' ')}) for " \
               f"{row.get('period')}"
    if table == "stated_change":
        return f"a change stated for {_indicator_name(store, row.get('indicator_id'))}"
    return f"a row of {table.replace('_', ' ')}"


def _return_words(store: Store, row: Row) -> str:
    try:
        return return_label(partners.get_partner(store, row.get("partner_id")).name,
                            row.get("round"))
    except StoreError:
        return f"a {row.get('round')} return from a partner no longer in this database"


def _evidence_words(store: Store, row: Row) -> str:
    try:
        item = evidence.get_evidence(store, row.get("evidence_id"))
    except StoreError:
        return "evidence no longer there"
    return f"the evidence {quoted(item.text, 40)} of {commitment_label(store, item.commitment_id)}"


def whole_row(store: Store, change: RowChange) -> Row:
    """The row the change is about with all its columns: a change recorded by its changed
    columns alone is completed from the row as it is now (when it is still there)."""
    row = change.row
    if change.partial:
        current = capture.current_row(store, change.table, change.key, row)
        if current is not None:
            return {**current, **row}
    return row


def describe_change(store: Store, change: RowChange) -> str:
    """"the status of commitment 3b", "the evidence “…” of commitment 3b" ..."""
    what = describe_row(store, change.table, whole_row(store, change))
    if change.table == "commitment" and change.action == "changed":
        names = change.changed_columns()
        if names == ["status"]:
            return f"the status of {what}"
        if names:
            return f"the {' and '.join(n.replace('_', ' ') for n in names)} of {what}"
    return what


def _indicator_name(store: Store, indicator_id: int | None) -> str:
    if indicator_id is None:
        return "an indicator"
    try:
        return quoted(indicators.get_indicator(store, indicator_id).name, 50)
    except StoreError:
        return "an indicator no longer in this database"


ORIGIN_NAMES = {"window": "window", "cli": "command line", "script": "script",
                "sync": "team sync"}


def _return_of(store: Store, origin: str):
    """The partner return an origin "return N" names, or None (another origin, or a return
    no longer in this database)."""
    kind, _, ident = origin.partition(" ")
    if kind != "return" or not ident.isdigit():
        return None
    try:
        return returns.get_return(store, int(ident))
    except StoreError:
        return None


def return_named(store: Store, origin: str) -> str | None:
    """"Essex Police's 2021/22 Q2 return" for the origin "return N"; None for any other."""
    record = _return_of(store, origin)
    return record.label if record is not None else None


def origin_label(store: Store, origin: str) -> str:
    """Where an operation came from, in a word or two: "window", "command line",
    "Essex Police's 2021/22 Q2 return"."""
    return return_named(store, origin) or ORIGIN_NAMES.get(origin, origin)


def origin_words(store: Store, origin: str) -> str:
    """How an operation came in: "in the window", "by Essex Police's 2021/22 Q2 return"."""
    if origin.startswith("return "):
        record = _return_of(store, origin)
        return (f"by {record.label}" if record
                else f"by a return no longer in this database ({origin})")
    return {"window": "in the window", "cli": "from the command line",
            "script": "by a script", "sync": "through team sync"}.get(origin, f"({origin})")


def by_whom(store: Store, entry: Activity) -> str:
    """"by Jo Bloggs on 3 May 2024 at 10:02 in the window (Edit evidence)"."""
    how = origin_words(store, entry.origin)
    if entry.origin.startswith("return "):
        return f"{how}, imported by {entry.who} on {moment(entry.at)}"
    return f"by {entry.who} on {moment(entry.at)} {how} ({entry.summary})"


def status_word(value: str | None) -> str:
    try:
        return Status(value).label
    except ValueError:
        return str(value)


def plan_title(store: Store, plan_id: int) -> str:
    try:
        return plans.get_plan(store, plan_id).title
    except StoreError:
        return "a plan no longer in this database"


def _value(column: str, value: object) -> str:
    if value is None or value == "":
        return "(none)"
    if column in ("status", "from_status", "to_status"):
        return status_word(str(value))
    if isinstance(value, str):
        return quoted(value, 60)
    if isinstance(value, float) and value.is_integer():
        return f"{value:,.0f}"
    return str(value)


def change_line(store: Store, change: RowChange) -> str:
    """One change in a sentence an officer can read: what, and from what to what."""
    if change.table == "status_change" and change.action == "added":
        row = change.after or {}
        return (f"Status history of {commitment_label(store, row.get('commitment_id'))}: "
                f"{_value('status', row.get('from_status'))} → "
                f"{_value('status', row.get('to_status'))} ({quoted(row.get('reason'), 80)})")
    what = describe_row(store, change.table, whole_row(store, change))
    if change.action == "added":
        return f"Added {what}"
    if change.action == "removed":
        return f"Removed {what}"
    parts = [f"{name.replace('_', ' ')} {_value(name, change.before.get(name))} → "
             f"{_value(name, change.after.get(name))}" for name in change.changed_columns()]
    return f"Changed {what}: " + "; ".join(parts)
