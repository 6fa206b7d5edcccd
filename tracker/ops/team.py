"""Team sync, as operations: resolving a conflict, and logging what a sync brought in.

Sync itself (tracker.sync.engine) works on the file through apsw while the store's own
connection is closed (`Store.connection_closed`); these two run on the store's connection,
like every other operation:

- `resolve_conflict` is an ordinary edit (one transaction, one activity log entry, undoable),
  made through the same operations the window uses (set_status, edit_commitment,
  edit_evidence, edit_value, delete_*), which the next sync sends to the team;
- `record_pulled` writes each colleague's merged changes into the activity log under the
  colleague's name with origin "sync", so the history and the log show them as theirs.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, replace
from typing import Any

from tracker.domain.changes import RowChange
from tracker.domain.wording import count_of
from tracker.ops.core import operation, record_external
from tracker.ops.result import OpResult
from tracker.store import evidence as evidence_store
from tracker.store import indicators as indicator_store
from tracker.store.database import Store
from tracker.sync import conflicts
from tracker.sync import pulled as pulled_log
from tracker.sync import status as sync_status
from tracker.sync.conflicts import Waiting
from tracker.sync.errors import ConflictError, NotAMemberError
from tracker.sync.status import LocalStatus, local_status

KEEP_MINE, KEEP_THEIRS = "mine", "theirs"
_EVIDENCE_FIELDS = ("text", "evidence_date", "period", "partner_id", "figure", "unit", "link",
                    "visibility")
_VALUE_FIELDS = ("period", "value", "series", "state", "note", "source", "quote")
_COMMITMENT_FIELDS = ("code", "text", "lead", "due_date", "source")


@dataclass(frozen=True)
class Resolution:
    conflict: Waiting
    how: str  # mine | theirs | value
    message: str


def waiting_conflicts(store: Store) -> list[Waiting]:
    """The conflicts team sync left for review, oldest first (`tracker conflicts`)."""
    return conflicts.waiting(store.conn)


def team_status(store: Store) -> LocalStatus | None:
    """Where this database syncs and how it stands; None when it is in no team."""
    return local_status(store.conn)


def synced_status_changes(store: Store, commitment_id: int) -> set[int]:
    """The ids of a commitment's status changes that came in through team sync."""
    return sync_status.synced_status_changes(store.conn, commitment_id)


def resolve_conflict(store: Store, number: int, *, keep: str | None = None,
                     value: str | None = None) -> OpResult:
    """Settle conflict `number`: keep this laptop's side, the team's, or write a new value.
    `value` of the result is a Resolution."""
    if (keep is None) == (value is None):
        raise ConflictError("Say how to resolve it: --keep mine, --keep theirs or --value TEXT.")
    if keep not in (None, KEEP_MINE, KEEP_THEIRS):
        raise ConflictError(f"--keep takes 'mine' or 'theirs', not '{keep}'.")
    c = conflicts.get(store.conn, number)
    if c.resolution is not None:
        raise ConflictError(f"Conflict {number} was resolved already (kept {c.resolution}).")
    schema = conflicts.schema_of(store.conn)
    if c.table not in schema:
        raise ConflictError(f"Conflict {number} is about {c.table}, which this version of the "
                            "tracker does not share.")
    how = "value" if value is not None else keep
    with operation(store, "resolve_conflict", target_uid=c.uid) as op:
        if c.kind == "field":
            message = _resolve_field(store, schema, c, how, value)
        elif value is not None:
            raise ConflictError(f"Conflict {number} is about a deleted {c.table}, not a field: "
                                "resolve it with --keep mine or --keep theirs.")
        elif c.kind == "deleted_by_them":
            if how == KEEP_MINE:
                count = conflicts.put_back(store.conn, schema, c.mine_rows or {})
                message = (f"put back the {c.table} {c.theirs_by} deleted, as you had it "
                           f"({count_of(count, 'row')})")
            else:
                message = f"kept {c.theirs_by}'s delete of the {c.table}"
        elif how == KEEP_MINE:
            _delete_again(store, schema, c)
            message = f"deleted the {c.table} again, with {c.theirs_by}'s changes to it"
        else:
            message = f"kept the {c.table} with {c.theirs_by}'s changes"
        conflicts.mark_resolved(store.conn, number, how, store.officer)
        op.summary = f"Resolved sync conflict {number} ({c.label}): {message}"
        op.value = Resolution(c, how, message)
    return op.result


def _resolve_field(store: Store, schema, c: Waiting, how: str, value: str | None) -> str:
    exists, current = conflicts.current_value(store.conn, schema, c)
    if not exists:
        if how == KEEP_THEIRS:
            return f"kept {c.theirs_by}'s side (the {c.table} has been deleted since)"
        raise ConflictError(f"The {c.table} of conflict {c.number} has been deleted since; "
                            "resolve it with --keep theirs.")
    if how == KEEP_THEIRS:
        return f"kept {c.theirs_by}'s {c.field}"
    if how == KEEP_MINE:
        if current != c.theirs:
            raise ConflictError(f"The {c.field} has changed again since the conflict (it is now "
                                f"{_show(current, c)}): choose with --value TEXT.")
        target: Any = c.mine
    else:
        target = value
    _write(store, schema, c, target)
    shown = conflicts.current_value(store.conn, schema, c)[1]
    return f"set the {c.field} to {_show(shown, c)}"


def _write(store: Store, schema, c: Waiting, target: Any) -> None:
    """Write one field through the operation that edits it, so it is checked as any edit."""
    from tracker import ops

    row_id = c.key[0] if len(c.key) == 1 else None
    if c.table == "commitment" and c.field == "status":
        ops.set_status(store, row_id, ops.parse_status(target),
                       f"Sync conflict {c.number} resolved ({c.theirs_by} had set "
                       f"{_status_word(c.theirs)}).")
    elif c.table == "commitment" and c.field in _COMMITMENT_FIELDS:
        ops.edit_commitment(store, row_id, **{c.field: target})
    elif c.table in ("plan", "priority") and c.field in ("title", "period", "source", "number",
                                                          "objective", "partnership", "outcome"):
        ops.edit_fields(store, c.table, row_id, **{c.field: target})
    elif c.table == "evidence" and c.field in _EVIDENCE_FIELDS:
        item = evidence_store.get_evidence(store, row_id)
        current = evidence_store.EvidenceInput(item.text, item.evidence_date, item.period,
                                               item.partner_id, item.figure, item.unit,
                                               item.link, item.visibility)
        ops.edit_evidence(store, row_id, replace(current, **{c.field: target}))
    elif c.table == "indicator_value" and c.field in _VALUE_FIELDS:
        item = indicator_store.value_input(indicator_store.get_value(store, row_id))
        ops.edit_value(store, row_id, replace(item, **{c.field: target}),
                       f"Resolved sync conflict {c.number} on the {c.field}")
    else:
        if isinstance(target, str):
            target = conflicts.convert(schema, c.table, c.field, target, store.conn)
        try:
            conflicts.write_field(store.conn, schema, c, target)
        except sqlite3.IntegrityError as exc:
            raise ConflictError(f"{_show(target, c)} cannot be the {c.field} of a {c.table} "
                                f"({exc}).") from exc


def _delete_again(store: Store, schema, c: Waiting) -> None:
    from tracker import ops

    row_id = c.key[0] if len(c.key) == 1 else None
    if c.table == "commitment":
        ops.delete_commitment(store, row_id)
    elif c.table == "evidence":
        ops.delete_evidence(store, row_id)
    elif c.table == "indicator_value":
        ops.delete_values(store, [row_id])
    else:
        conflicts.delete_again(store.conn, schema, c)


def _status_word(value: Any) -> str:
    from tracker.domain.status import Status

    try:
        return Status(value).label
    except ValueError:
        return str(value)


def _show(value: Any, c: Waiting) -> str:
    if value is None:
        return "empty"
    if isinstance(value, float) and value.is_integer():
        return f"{value:,.0f}"
    return f"'{plain_value(c.table, c.field, value)}'"


def plain_value(table: str, column: str | None, value: Any) -> str:
    """A conflict's value as the command line prints it: a status as its word ('On track', which
    --value reads back), 812 rather than 812.0, empty for none."""
    if value is None:
        return ""
    if table == "commitment" and column == "status":
        return _status_word(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


# --- one sync, and what it brought in ----------------------------------------------------------


def move_team_log(store: Store, location: str) -> str:
    """The team's log has moved (IT moved the share, or the server): check the new place holds
    this team's log, then keep it. Only this laptop's own membership row changes."""
    from tracker.sync import engine
    from tracker.sync import membership as members

    current = members.read(store.conn)
    if current is None:
        raise NotAMemberError("This database is not a member of a team.")
    kept = engine.check_moved_log(current, location)
    with store.transaction():
        members.update(store.conn, location=kept)
    return kept



def sync_now(store: Store, *, log=None, interrupt=None):
    """Sync the store's file with the team (its sqlite3 connection closed meanwhile, the
    writer lock kept) and log what came in. Returns the engine's SyncResult."""
    from pathlib import Path

    from tracker.sync import engine

    record_pulled(store)  # anything a killed sync merged but did not log
    try:
        with store.connection_closed():
            return engine.sync(Path(store.path), store.officer, log=log, interrupt=interrupt)
    finally:
        record_pulled(store)



def record_pulled(store: Store) -> int:
    """Write the colleagues' changes the last sync merged into the activity log (origin
    "sync", under each author's name); returns how many entries were written."""
    written = 0
    for item in pulled_log.waiting(store.conn):
        changes = [RowChange(c["table"], c["key"], c["before"], c["after"]) for c in item.changes]
        with store.transaction():
            record_external(store, "sync", _pulled_summary(item.author, item.seq, changes),
                            changes, origin="sync", who=item.author)
            pulled_log.done(store.conn, item.number)
        written += 1
    return written


def _pulled_summary(author: str, seq: int, changes: list[RowChange]) -> str:
    counts: dict[tuple[str, str], int] = {}
    for change in changes:
        if change.is_bookkeeping:
            continue
        mark = (change.table.replace("_", " "), change.action)
        counts[mark] = counts.get(mark, 0) + 1
    words = [f"{count_of(n, table, table if table == 'evidence' else None)} {action}"
             for (table, action), n in sorted(counts.items())]
    what = ", ".join(words[:4]) + (" ..." if len(words) > 4 else "") if words else "no changes"
    return f"From {author}, by team sync (entry {seq} of the team log): {what}"



# --- what a conflict is about, in words (for the review dialog) -------------------------------


@dataclass(frozen=True)
class ConflictView:
    number: int
    kind: str
    what: str  # "the lead of commitment B of priority 2"
    base: str
    mine: str
    theirs: str
    mine_by: str
    mine_at: str
    theirs_by: str
    theirs_at: str
    can_take_value: bool


def _words(table: str, column: str | None, value: Any) -> str:
    if value is None:
        return "(empty)"
    if table == "commitment" and column == "status":
        from tracker.domain.status import Status

        try:
            status = Status(value)
            return f"{status.shape} {status.label}"
        except ValueError:
            return str(value)
    if isinstance(value, float):
        return f"{value:,.0f}" if value.is_integer() else f"{value:,}"
    return str(value)


def describe_conflict(store: Store, c: Waiting) -> ConflictView:
    """A waiting conflict as the review dialog shows it: what it is about, the value both
    sides started from, this laptop's and the team's, with who and when."""
    from tracker.domain.wording import moment
    from tracker.ops.wording import describe_row

    schema = conflicts.schema_of(store.conn)
    row = None
    if c.table in schema:
        table = schema[c.table]
        found = store.execute(f'SELECT * FROM "{c.table}" WHERE {table.where_key()}',
                              c.key).fetchone()
        if found is not None:
            row = dict(zip(table.columns, found))
        elif c.mine_rows and c.mine_rows.get(c.table):
            for values in c.mine_rows[c.table]:
                if table.key_of(values) == c.key:
                    row = dict(zip(table.columns, values))
    thing = describe_row(store, c.table, row) if row is not None else f"a {c.table} row"
    mine_by = f"You ({store.officer})"
    if c.kind == "field":
        field = (c.field or "").replace("_", " ")
        return ConflictView(c.number, c.kind, f"the {field} of {thing}", _words(c.table, c.field, c.base),
                            _words(c.table, c.field, c.mine), _words(c.table, c.field, c.theirs),
                            mine_by, moment(c.mine_at) if c.mine_at else "",
                            c.theirs_by, moment(c.theirs_at) if c.theirs_at else "", True)
    if c.kind == "deleted_by_them":
        count = sum(len(rows) for rows in (c.mine_rows or {}).values())
        return ConflictView(
            c.number, c.kind, thing, "as you both had it",
            f"Changed here ({count_of(count, 'row')} to put back with Keep mine)",
            f"Deleted by {c.theirs_by}", mine_by, moment(c.mine_at) if c.mine_at else "",
            c.theirs_by, moment(c.theirs_at) if c.theirs_at else "", False)
    return ConflictView(
        c.number, c.kind, thing, "as you both had it", "Deleted here (Keep mine deletes it again)",
        f"Changed by {c.theirs_by}: it is back until you choose", mine_by, "",
        c.theirs_by, moment(c.theirs_at) if c.theirs_at else "", False)
