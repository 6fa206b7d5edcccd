"""Resolving a conflict: an ordinary edit in one transaction, which the next sync sends out.

This runs on the store's own connection (Python's sqlite3), like every other edit; it never
opens the file through apsw.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from tracker.domain.status import Status
from tracker.store.database import Store
from tracker.sync import conflicts as conflict_store
from tracker.sync.conflicts import Waiting
from tracker.sync.errors import ConflictError

KEEP_MINE = "mine"
KEEP_THEIRS = "theirs"


@dataclass(frozen=True)
class Resolution:
    conflict: Waiting
    how: str  # mine | theirs | value
    written: bool  # whether the database was changed (False for keep theirs)
    message: str


def resolve(store: Store, number: int, *, keep: str | None = None,
            value: str | None = None) -> Resolution:
    """Settle conflict `number`: keep this laptop's side, the team's, or a new value."""
    if (keep is None) == (value is None):
        raise ConflictError("Say how to resolve it: --keep mine, --keep theirs or --value TEXT.")
    if keep not in (None, KEEP_MINE, KEEP_THEIRS):
        raise ConflictError(f"--keep takes 'mine' or 'theirs', not '{keep}'.")
    with store.transaction():
        c = conflict_store.get(store.conn, number)
        if c.resolution is not None:
            raise ConflictError(f"Conflict {number} was resolved already ({c.resolution}).")
        schema = conflict_store.schema_of(store.conn)
        if c.table not in schema:
            raise ConflictError(f"Conflict {number} is about {c.table}, which this version of "
                                "the tracker does not share.")
        how = "value" if value is not None else keep
        written = how != KEEP_THEIRS
        if c.kind == "field":
            message = _resolve_field(store, schema, c, how, value)
        elif value is not None:
            raise ConflictError(f"Conflict {number} is about a deleted {c.table}, not a field: "
                                "resolve it with --keep mine or --keep theirs.")
        elif c.kind == "deleted_by_them":
            if how == KEEP_MINE:
                count = conflict_store.put_back(store.conn, schema, c.mine_rows or {})
                message = (f"Put back the {c.table} {c.theirs_by} deleted, as you had it "
                           f"({count} row{'s' if count != 1 else ''}).")
            else:
                message = f"Kept {c.theirs_by}'s delete of the {c.table}."
        else:  # deleted_by_me
            if how == KEEP_MINE:
                conflict_store.delete_again(store.conn, schema, c)
                message = f"Deleted the {c.table} again, with {c.theirs_by}'s changes to it."
            else:
                message = f"Kept the {c.table} with {c.theirs_by}'s changes."
        conflict_store.mark_resolved(store.conn, number, how, store.officer)
    return Resolution(c, how, written, message)


def _resolve_field(store: Store, schema, c: Waiting, how: str, value: str | None) -> str:
    exists, current = conflict_store.current_value(store.conn, schema, c)
    if not exists:
        if how == KEEP_THEIRS:
            return f"Kept {c.theirs_by}'s side; the {c.table} has been deleted since."
        raise ConflictError(f"The {c.table} of conflict {c.number} has been deleted since; "
                            "resolve it with --keep theirs.")
    if how == KEEP_THEIRS:
        return f"Kept {c.theirs_by}'s {c.field}."
    if how == KEEP_MINE:
        if current != c.theirs:
            raise ConflictError(
                f"The {c.field} has changed again since the conflict (it is now "
                f"{_show(current)}): choose with --value TEXT.")
        target = c.mine
    else:
        target = _parse(schema, store, c, value or "")
    if c.table == "commitment" and c.field == "status":
        from tracker.store.commitments import set_status

        set_status(store, c.key[0], Status(target),
                   f"Sync conflict {c.number} resolved ({c.theirs_by} had set "
                   f"{_status_label(c.theirs)}).")
    else:
        try:
            conflict_store.write_field(store.conn, schema, c, target)
        except sqlite3.IntegrityError as exc:
            raise ConflictError(f"{_show(target)} cannot be the {c.field} of a {c.table} "
                                f"({exc}).") from exc
    return f"Set the {c.field} to {_show(target)}."


def _parse(schema, store: Store, c: Waiting, text: str):
    if c.table == "commitment" and c.field == "status":
        try:
            return Status.parse(text).value
        except ValueError as exc:
            raise ConflictError(str(exc)) from exc
    return conflict_store.convert(schema, c.table, c.field, text, store.conn)


def _status_label(value) -> str:
    try:
        return Status(value).label
    except ValueError:
        return str(value)


def _show(value) -> str:
    if value is None:
        return "empty"
    if isinstance(value, float) and value.is_integer():
        return f"{value:,.0f}"
    return f"'{value}'"
