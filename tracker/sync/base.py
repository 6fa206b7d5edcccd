"""The team's state as of this laptop's last sync, in a file beside the database.

`tracker.db-team-base` holds the shared tables exactly as the log's entries up to `seq` make
them, and nothing else is ever written to it. The difference between it and the database
(`Session.diff`) is what this laptop changed since it last synced, whichever connection made
the change. It is changed only by applying log entries (or their inverses, after a laptop
was killed between updating it and updating the database), so it can always be rebuilt from
the log.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import apsw

from tracker.store import migrations
from tracker.sync.errors import SyncError

SUFFIX = "-team-base"
_STATE = """CREATE TABLE IF NOT EXISTS sync_base_state (
    slot INTEGER PRIMARY KEY CHECK (slot = 1), team_id TEXT NOT NULL, seq INTEGER NOT NULL)"""


class BaseOutOfStep(SyncError):
    """The base copy does not match the log (damaged or edited): it is rebuilt."""


def base_path(db_path: Path) -> Path:
    return Path(str(db_path) + SUFFIX)


def remove(db_path: Path) -> None:
    path = base_path(db_path)
    for suffix in ("", "-journal", "-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)


def create_empty(path: Path, team_id: str) -> None:
    """A new base at this version's schema holding no rows, replacing any old one."""
    for suffix in ("", "-journal", "-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    partial = Path(str(path) + ".new")
    partial.unlink(missing_ok=True)
    conn = sqlite3.connect(partial, isolation_level=None)
    try:
        # Made under a temporary name and renamed when whole: no need to sync each step.
        conn.execute("PRAGMA synchronous = OFF")
        conn.execute("PRAGMA journal_mode = MEMORY")
        for migration in migrations.available():
            migrations.apply(conn, migration)
        conn.execute(_STATE)
        conn.execute("INSERT INTO sync_base_state (slot, team_id, seq) VALUES (1, ?, 0)",
                     (team_id,))
        conn.execute("PRAGMA journal_mode = DELETE")
    finally:
        conn.close()
    with open(partial, "rb+") as handle:
        os.fsync(handle.fileno())
    os.replace(partial, path)


def open_base(path: Path) -> apsw.Connection:
    """The base, for applying entries: no triggers (its search index is never read) and no
    foreign-key actions (entries hold every row they change)."""
    if not path.exists():
        raise BaseOutOfStep(f"{path} is missing.")
    conn = apsw.Connection(str(path), flags=apsw.SQLITE_OPEN_READWRITE)
    conn.setbusytimeout(5000)
    conn.config(apsw.SQLITE_DBCONFIG_ENABLE_TRIGGER, 0)
    conn.execute("PRAGMA foreign_keys = OFF")
    conn.execute("PRAGMA journal_mode = DELETE")
    conn.execute("PRAGMA synchronous = FULL")
    return conn


def state(conn: apsw.Connection) -> tuple[str, int]:
    try:
        row = conn.execute("SELECT team_id, seq FROM sync_base_state WHERE slot = 1").fetchone()
    except apsw.SQLError as exc:
        raise BaseOutOfStep("the base has no state") from exc
    if row is None:
        raise BaseOutOfStep("the base has no state")
    return row[0], row[1]


def schema_version(conn: apsw.Connection) -> int:
    return conn.execute("PRAGMA user_version").fetchone()[0]


def upgrade(path: Path) -> None:
    """Bring the base to this version's schema (after the database itself was upgraded)."""
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        for migration in migrations.pending(conn):
            migrations.apply(conn, migration)
    finally:
        conn.close()


def _strict(reason: int, change: apsw.TableChange) -> int:
    return apsw.SQLITE_CHANGESET_ABORT


@contextlib.contextmanager
def writing(conn: apsw.Connection) -> Iterator[None]:
    """One write transaction on an apsw connection (the base's or the database's own): all of
    it or, on any error, none of it. SQLite may have rolled back already (a full disk): the
    error that did it is the one raised."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def apply(conn: apsw.Connection, changeset: bytes, seq: int, *, invert: bool = False) -> None:
    """Apply one entry's changeset (inside `writing`), which must fit exactly; then the base
    is at `seq`."""
    if invert:
        changeset = apsw.Changeset.invert(changeset)
    try:
        apsw.Changeset.apply(changeset, conn, conflict=_strict,
                             flags=apsw.SQLITE_CHANGESETAPPLY_FKNOACTION)
    except apsw.AbortError as exc:
        raise BaseOutOfStep(f"entry {seq} does not fit the base") from exc
    conn.execute("UPDATE sync_base_state SET seq = ? WHERE slot = 1", (seq,))
