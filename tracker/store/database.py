"""Opening the database file safely, and the transaction every write runs in."""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from tracker.store import migrations
from tracker.store.backup import take_backup
from tracker.store.errors import (
    DatabaseBusyError,
    DatabaseLockedError,
    NotADatabaseError,
    ReadOnlyError,
    StoreError,
    UpgradeNeeded,
)
from tracker.store.lock import WriterLock

if TYPE_CHECKING:
    import sqlite_utils

BUSY_TIMEOUT_MS = 5000


class Store:
    """An open database: the connection (and its sqlite-utils handle, made when first used),
    who is writing, and whether we may write."""

    def __init__(
        self,
        db: sqlite_utils.Database | sqlite3.Connection,
        path: Path | None,
        officer: str,
        read_only_reason: str | None = None,
        lock: WriterLock | None = None,
    ):
        self._db: sqlite_utils.Database | None = None
        self.db = db
        self._savepoints = 0
        self.path = path
        self.officer = officer
        self.read_only_reason = read_only_reason
        self._lock = lock
        # Where operations on this store come from, for the activity log: "window", "cli",
        # "script" (the Python API), "sync".
        self.origin = "script"
        # Plain callbacks told of every operation's result (tracker.ops.subscribe); shared
        # with the worker copies, so an operation run on a worker is heard by the window.
        self.observers: list = []
        # Work on the file on threads of their own (a checkpoint after an import: anything
        # with `wait()`), waited for before the connection closes.
        self.background: list = []
        # A worker's connection (for_worker), closed when its work is done.
        self.closes_after_work = False

    @property
    def db(self) -> sqlite_utils.Database:
        """The sqlite-utils handle on the connection. Made when first used: importing
        sqlite-utils (with click, dateutil, pluggy and numpy) is most of the window's start
        before Qt, and reading the tree needs only the connection."""
        if self._db is None:
            import sqlite_utils

            # The connection has set recursive_triggers itself (see _connect): not again here.
            self._db = sqlite_utils.Database(self._conn, recursive_triggers=False,
                                             execute_plugins=False)
        return self._db

    @db.setter
    def db(self, value: sqlite_utils.Database | sqlite3.Connection) -> None:
        if isinstance(value, sqlite3.Connection):
            self._conn, self._db = value, None
        else:
            self._conn, self._db = value.conn, value

    @property
    def conn(self) -> sqlite3.Connection:
        return self._conn

    def query(self, sql: str, params: tuple | list | dict = ()) -> Iterator[dict]:
        """Rows as dicts, like sqlite-utils' `db.query`, on the plain connection."""
        cursor = self.execute(sql, params)
        keys = [d[0] for d in cursor.description or ()]
        for row in cursor:
            yield dict(zip(keys, row))

    @property
    def read_only(self) -> bool:
        return self.read_only_reason is not None

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Store]:
        """One edit: everything inside is written together or not at all.

        Nested calls join the outer transaction (as a savepoint), so store functions compose.
        """
        if self.read_only:
            raise ReadOnlyError(f"Nothing was saved: {self.read_only_reason}")
        conn = self._conn
        if conn.in_transaction:
            self._savepoints += 1
            name = f"tracker_{self._savepoints}"
            conn.execute(f"SAVEPOINT {name}")
            try:
                yield self
            except BaseException:
                # A RAISE(ROLLBACK) in a trigger may have ended the whole transaction already.
                if conn.in_transaction:
                    conn.execute(f"ROLLBACK TO SAVEPOINT {name}")
                    conn.execute(f"RELEASE SAVEPOINT {name}")
                raise
            conn.execute(f"RELEASE SAVEPOINT {name}")
            return
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise _explain(exc, self.path) from exc
        try:
            yield self
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        try:
            conn.execute("COMMIT")
        except sqlite3.OperationalError as exc:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise _explain(exc, self.path) from exc

    def execute(self, sql: str, params: tuple | dict = ()) -> sqlite3.Cursor:
        try:
            return self._conn.execute(sql, params)
        except sqlite3.OperationalError as exc:
            raise _explain(exc, self.path) from exc

    @contextlib.contextmanager
    def for_worker(self) -> Iterator[Store]:
        """The same database on a connection of its own, for a worker thread.

        A connection is used by one thread at a time; a worker writing on the window's
        connection would let the window read its uncommitted rows. The copy shares this
        store's writer lock and read-only state. An in-memory store has no second connection
        and is returned as it is.
        """
        if self.path is None:
            yield self
            return
        conn = _connect(self.path, read_only=self.read_only)
        if not self.read_only:
            conn.execute("PRAGMA synchronous = FULL")
        worker = Store(conn, self.path, self.officer, self.read_only_reason)
        worker.origin = self.origin
        worker.observers = self.observers
        worker.background = self.background  # what it leaves running, this store waits for
        worker.closes_after_work = True
        try:
            yield worker
        finally:
            worker.conn.close()

    @contextlib.contextmanager
    def connection_closed(self) -> Iterator[None]:
        """Close this store's connection for a while, keeping the file's writer lock, and open
        it again afterwards. For team sync, which works on the file through apsw: two copies
        of SQLite must not have one file open in one process at once, or neither sees the
        other's locks (sqlite.org/howtocorrupt.html, 2.2.1)."""
        if self.path is None:
            raise StoreError("An in-memory database cannot be closed and opened again.")
        self.wait_for_background()
        self.conn.close()
        try:
            yield
        finally:
            conn = _connect(self.path, read_only=self.read_only)
            if not self.read_only:
                conn.execute("PRAGMA synchronous = FULL")
            self.db = conn

    def wait_for_background(self) -> None:
        while self.background:
            self.background.pop().join()

    def close(self) -> None:
        try:
            self.wait_for_background()
            self.conn.close()
        finally:
            if self._lock is not None:
                self._lock.release()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def default_officer() -> str:
    """The "who" of history rows: TRACKER_OFFICER, else the name in the officer's settings
    file (asked for on the window's first run), else the operating-system user."""
    from tracker.store.user_settings import officer_name

    name = officer_name()
    if name:
        return name
    import getpass

    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def open_store(
    path: str | Path,
    *,
    create: bool = False,
    mode: str = "write",
    officer: str | None = None,
) -> Store:
    """Open (or with `create`, make) a database file.

    mode "write": refuse with a clear StoreError unless we can write.
    mode "auto": write when we can, otherwise open read-only and say why (`read_only_reason`).
    mode "read": read-only.
    A database written by a newer version is refused whatever the mode.
    """
    if mode not in ("write", "auto", "read"):
        raise ValueError(mode)
    path = Path(path).expanduser()
    who = officer or default_officer()
    if path.is_dir():
        raise StoreError(f"{path} is a folder, not a database file.")
    if not path.parent.is_dir():
        raise StoreError(f"The folder {path.parent} does not exist.")
    exists = path.exists()
    if not exists and not create:
        raise StoreError(f"There is no database at {path}.")
    if not exists and not os.access(path.parent, os.W_OK):
        raise ReadOnlyError(f"Cannot create {path}: the folder {path.parent} is read-only.")
    if exists:
        _check_header(path)

    reason = None
    if mode == "read":
        reason = "the file was opened read-only."
    elif exists and not os.access(path, os.W_OK):
        reason = f"the file {path} is read-only."
    elif exists and not os.access(path.parent, os.W_OK):
        reason = f"the folder {path.parent} is read-only."

    lock = None
    if reason is None:
        lock = WriterLock(path)
        if not lock.acquire():
            lock = None
            reason = (f"{path.name} is open in another copy of Commitment Tracker; "
                      "close it there to make changes here.")
            if mode == "write":
                raise DatabaseLockedError(f"Cannot write to {path}: {reason}")
    if reason is not None and mode == "write":
        raise ReadOnlyError(f"Cannot write to {path}: {reason}")

    try:
        conn = _connect(path, read_only=reason is not None)
        store = Store(conn, path, who, reason, lock)
        _prepare(store, path, new=not exists)
    except sqlite3.DatabaseError as exc:
        if lock is not None:
            lock.release()
        raise _explain(exc, path) from exc
    except BaseException:
        if lock is not None:
            lock.release()
        raise
    return store


def open_memory_store(officer: str = "tester") -> Store:
    """A fresh in-memory database at the latest schema (tests and benchmarks)."""
    conn = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA recursive_triggers = ON")  # as sqlite-utils sets it
    store = Store(conn, None, officer)
    _prepare(store, None, new=True)
    return store


def _check_header(path: Path) -> None:
    try:
        with open(path, "rb") as handle:
            header = handle.read(16)
    except PermissionError as exc:
        raise ReadOnlyError(f"Cannot read {path}: permission denied.") from exc
    if header and header != b"SQLite format 3\x00":
        raise NotADatabaseError(f"{path} is not a Commitment Tracker database (not an SQLite file).")


def read_only_uri(path: str | Path) -> str:
    """The SQLite URI that opens `path` read-only. Built with Path.as_uri, which escapes '#',
    '?' and '%' (a folder named "Plans #2" opened the wrong file with f"file:{path}") and
    writes a Windows path as file:///C:/..., the form SQLite reads there."""
    return Path(path).absolute().as_uri() + "?mode=ro"


def _connect(path: Path, read_only: bool) -> sqlite3.Connection:
    if read_only:
        conn = sqlite3.connect(read_only_uri(path), uri=True, isolation_level=None,
                               check_same_thread=False)
    else:
        conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA foreign_keys = ON")
    # sqlite-utils turned this on when it wrapped every connection; it is made lazily now, so
    # the connection sets it itself and triggers behave the same from the first statement.
    conn.execute("PRAGMA recursive_triggers = ON")
    return conn


def _prepare(store: Store, path: Path | None, new: bool) -> None:
    conn = store.conn
    if path is not None and not new:
        # Fails on a non-database file before anything is written.
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        if not _looks_like_ours(conn):
            raise NotADatabaseError(
                f"{path} is an SQLite file but not a Commitment Tracker database.")
    todo = migrations.pending(conn)  # refuses a database written by a newer version
    if store.read_only:
        if todo:
            raise UpgradeNeeded(
                f"{path} needs upgrading to this version's format, but it is read-only: "
                f"{store.read_only_reason}")
        return
    if path is not None:
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = FULL")
    if todo and path is not None and not new and migrations.current_version(conn) > 0:
        take_backup(conn, path, "upgrade")
    for migration in todo:
        migrations.apply(conn, migration)


def _looks_like_ours(conn: sqlite3.Connection) -> bool:
    version = migrations.current_version(conn)
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    return (version > 0 and "commitment" in tables) or (version == 0 and not tables)


def _explain(exc: sqlite3.Error, path: Path | None) -> StoreError:
    text = str(exc).lower()
    where = str(path) if path else "the database"
    if "locked" in text or "busy" in text:
        return DatabaseBusyError(
            f"{where} is busy: another program is writing to it. Nothing was saved; try again.")
    if "readonly" in text or "read-only" in text:
        return ReadOnlyError(f"{where} has become read-only. Nothing was saved.")
    if "not a database" in text or "malformed" in text or "encrypted" in text:
        return NotADatabaseError(f"{where} is not a usable Commitment Tracker database ({exc}).")
    if "unable to open" in text or "disk i/o" in text:
        return StoreError(f"{where} cannot be opened or has disappeared ({exc}). Nothing was saved.")
    return StoreError(f"{where}: {exc}")
