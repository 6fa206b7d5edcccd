"""Conflicts waiting for review: kept, listed, refreshed as the team moves on, and resolved.

While a conflict waits, the team's value stands in the database; this laptop's value is kept
here. Resolving is an ordinary edit (it goes out with the next sync): keep mine writes this
laptop's value (or puts back what their delete took, or deletes again what they changed),
keep theirs leaves the database as it is, a value writes that value.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from typing import Any

from tracker.store.clock import now
from tracker.sync.errors import ConflictError
from tracker.sync.merge import Conflict, q
from tracker.sync.schema import Schema, read_schema


@dataclass(frozen=True)
class Waiting:
    """A conflict as it is listed and reviewed."""

    number: int
    kind: str
    table: str
    key: tuple
    uid: str | None
    field: str | None
    base: Any
    mine: Any
    theirs: Any
    theirs_by: str
    theirs_laptop: str
    theirs_seq: int
    theirs_at: str | None
    mine_at: str | None
    found_at: str
    mine_rows: dict[str, list[list]] | None
    resolution: str | None = None

    @property
    def label(self) -> str:
        """`table.field` for a field, `table (deleted)` for a delete."""
        if self.kind == "field":
            return f"{self.table}.{self.field}"
        return f"{self.table} (deleted)"


def _dump(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def _load(text: str | None) -> Any:
    return None if text is None else json.loads(text)


def record(conn: Any, found: list[Conflict]) -> int:
    stamp = now()
    for c in found:
        conn.execute(
            "INSERT INTO sync_conflict (kind, table_name, row_key, row_uid, field, base, mine, "
            "theirs, mine_rows, mine_at, theirs_at, theirs_by, theirs_laptop, theirs_seq, "
            "found_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (c.kind, c.table, _dump(list(c.key)), c.uid, c.field, _dump(c.base), _dump(c.mine),
             _dump(c.theirs), _dump(c.mine_rows) if c.mine_rows is not None else None,
             c.mine_at, c.theirs_at, c.entry.author, c.entry.laptop, c.entry.seq, stamp))
    return len(found)


def refresh(conn: Any, schema: Schema, touched: dict) -> None:
    """A field waiting for review that the team changed again since: 'theirs' is now that
    later value and its author."""
    if not touched:
        return
    rows = conn.execute("SELECT number, table_name, row_key, field, theirs_seq FROM sync_conflict "
                        "WHERE resolved_at IS NULL AND kind = 'field'").fetchall()
    for number, table_name, row_key, column, theirs_seq in rows:
        if table_name not in schema or column not in schema[table_name].columns:
            continue
        mark = (table_name, tuple(json.loads(row_key)), schema[table_name].index(column))
        if mark not in touched:
            continue
        value, entry = touched[mark]
        if entry.seq > theirs_seq:
            conn.execute("UPDATE sync_conflict SET theirs = ?, theirs_by = ?, theirs_laptop = ?, "
                         "theirs_seq = ?, theirs_at = ? WHERE number = ?",
                         (_dump(value), entry.author, entry.laptop, entry.seq, entry.made_at,
                          number))


def _waiting(row: tuple) -> Waiting:
    (number, kind, table, row_key, uid, column, base, mine, theirs, mine_rows, mine_at,
     theirs_at, theirs_by, theirs_laptop, theirs_seq, found_at, resolution) = row
    return Waiting(number, kind, table, tuple(json.loads(row_key)), uid, column, _load(base),
                   _load(mine), _load(theirs), theirs_by, theirs_laptop, theirs_seq, theirs_at,
                   mine_at, found_at, _load(mine_rows), resolution)


_SELECT = ("SELECT number, kind, table_name, row_key, row_uid, field, base, mine, theirs, "
           "mine_rows, mine_at, theirs_at, theirs_by, theirs_laptop, theirs_seq, found_at, "
           "resolution FROM sync_conflict ")


def waiting(conn: Any) -> list[Waiting]:
    """Conflicts not yet resolved, oldest first."""
    try:
        rows = conn.execute(_SELECT + "WHERE resolved_at IS NULL ORDER BY number").fetchall()
    except Exception as exc:
        if "no such table" in str(exc):
            return []
        raise
    return [_waiting(r) for r in rows]


def count_waiting(conn: Any) -> int:
    try:
        return conn.execute("SELECT count(*) FROM sync_conflict WHERE resolved_at IS NULL"
                            ).fetchone()[0]
    except Exception as exc:
        if "no such table" in str(exc):
            return 0
        raise


def get(conn: Any, number: int) -> Waiting:
    row = conn.execute(_SELECT + "WHERE number = ?", (number,)).fetchone()
    if row is None:
        raise ConflictError(f"There is no conflict {number}: 'tracker conflicts' lists them.")
    return _waiting(row)


def all_conflicts(conn: Any) -> list[Waiting]:
    return [_waiting(r) for r in conn.execute(_SELECT + "ORDER BY number").fetchall()]


# --- resolving -------------------------------------------------------------------------------


def convert(schema: Schema, table: str, column: str, text: str, conn: Any) -> Any:
    """An officer's text as the value the column holds (numbers for number columns)."""
    declared = ""
    for row in conn.execute(f"PRAGMA table_info({q(table)})").fetchall():
        if row[1] == column:
            declared = (row[2] or "").upper()
    value = str(text).strip()
    if value == "":
        return None
    if "INT" in declared:
        try:
            return int(value)
        except ValueError as exc:
            raise ConflictError(f"{column} holds a whole number, not '{text}'.") from exc
    if any(word in declared for word in ("REAL", "FLOA", "DOUB", "NUM")):
        from tracker.domain.numbers import parse_number

        try:
            return parse_number(value)
        except ValueError as exc:
            raise ConflictError(f"{column} holds a number: {exc}") from exc
    return value


def mark_resolved(conn: Any, number: int, how: str, who: str) -> None:
    conn.execute("UPDATE sync_conflict SET resolved_at = ?, resolved_by = ?, resolution = ? "
                 "WHERE number = ?", (now(), who, how, number))


def write_field(conn: Any, schema: Schema, c: Waiting, value: Any) -> None:
    table = schema[c.table]
    sets = f"{q(c.field)} = ?"
    params: list[Any] = [value]
    if "updated_at" in table.columns and c.field != "updated_at":
        sets += ", updated_at = ?"
        params.append(now())
    cur = conn.execute(f"UPDATE {q(c.table)} SET {sets} WHERE {table.where_key()}",
                       (*params, *c.key))
    if cur.rowcount == 0:
        raise ConflictError(f"The {c.table} this conflict is about has been deleted since; "
                            "resolve it with --keep theirs.")


def current_value(conn: Any, schema: Schema, c: Waiting) -> tuple[bool, Any]:
    table = schema[c.table]
    row = conn.execute(f"SELECT {q(c.field)} FROM {q(c.table)} WHERE {table.where_key()}",
                       c.key).fetchone()
    return (row is not None), (row[0] if row else None)


def put_back(conn: Any, schema: Schema, rows: dict[str, list[list]]) -> int:
    """Our version of what their delete took, parents first; rows that exist again are left
    as they are."""
    count = 0
    # Within one table a sub-point can come before its parent (rows are keyed by random ids):
    # the keys are checked when the transaction commits, once every row is back.
    conn.execute("PRAGMA defer_foreign_keys = ON")
    for name in schema.names:
        table = schema[name]
        for values in rows.get(name, []):
            if conn.execute(f"SELECT 1 FROM {q(name)} WHERE {table.where_key()}",
                            table.key_of(values)).fetchone():
                continue
            marks = ", ".join("?" for _ in values)
            try:
                conn.execute(f"INSERT INTO {q(name)} VALUES ({marks})", values)
            except sqlite3.IntegrityError as exc:
                raise ConflictError(
                    f"Your {name.replace('_', ' ')} cannot be put back: one like it has been "
                    "added since (or what it belongs to has gone). Keep theirs, and edit that "
                    "one instead.") from exc
            count += 1
    return count


def delete_again(conn: Any, schema: Schema, c: Waiting) -> None:
    table = schema[c.table]
    conn.execute(f"DELETE FROM {q(c.table)} WHERE {table.where_key()}", c.key)


def schema_of(conn: Any) -> Schema:
    return read_schema(conn)
