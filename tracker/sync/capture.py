"""What this laptop changed since it last synced, as a changeset (SQLite's session extension).

The capture route is `Session.diff` against the base copy (base.py), not a session recording
writes: the window, its workers and the command line write through Python's sqlite3 on
connections of their own, which a session on an apsw connection never sees, and a session
lives in memory, so edits made while the window was closed would be lost to it. The
difference between two files sees every write, made by anything, at any time.
"""

from __future__ import annotations

import apsw

from tracker.sync.merge import NO
from tracker.sync.schema import SHARED_ROWS, Schema, row_is_shared


def capture(conn: apsw.Connection, schema: Schema, base: str = "base") -> bytes:
    """The changeset that turns the shared tables of `base` into those of `main` (the shared
    rows of tables shared in part); empty bytes when they are the same."""
    session = apsw.Session(conn, "main")
    try:
        for name in schema.names:
            session.attach(name)
            session.diff(base, name)
        changeset = b"" if session.is_empty else session.changeset()
    finally:
        session.close()
    if not changeset or not any(t in SHARED_ROWS for t in schema.names):
        return changeset
    kept, dropped = apsw.ChangesetBuilder(), False
    for change in apsw.Changeset.iter(changeset):
        table = schema[change.name]
        row = change.new if change.op == "INSERT" else change.old
        if row_is_shared(table, row):
            kept.add_change(change)
        else:
            dropped = True
    if not dropped:
        return changeset
    try:
        return kept.output()
    finally:
        kept.close()


def count_changes(changeset: bytes, schema: Schema) -> int:
    """Rows added, removed or changed, not counting rows whose only change is bookkeeping
    (a commitment's 'last updated' moving because evidence under it changed)."""
    if not changeset:
        return 0
    count = 0
    for change in apsw.Changeset.iter(changeset):
        if change.op != "UPDATE":
            count += 1
            continue
        table = schema.tables.get(change.name)
        if table is None or any(v is not NO and table.kind(i) == "value"
                                for i, v in enumerate(change.new)):
            count += 1
    return count


def rebuild_search(conn: apsw.Connection) -> None:
    """Rebuild every full-text index from its table: they are derived, never synced."""
    for (name,) in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL "
            "TABLE%' AND lower(sql) LIKE '%using fts5%'").fetchall():
        conn.execute(f'INSERT INTO "{name}" ("{name}") VALUES (\'rebuild\')')
