"""A team's log in PostgreSQL (psycopg 3): one table, the entry's number as its primary key.

Appending entry n is one statement in one transaction that inserts n only if n-1 is there; a
second laptop inserting the same n fails on the primary key. Either way, the fast-forward
check and the write are one transaction: the log never holds a partial entry.

No password is kept: the address names the server, database and user, and the password comes
from the usual pgpass file (PGPASSFILE, ~/.pgpass, %APPDATA%\\postgresql\\pgpass.conf) or, when
the `keyring` package is installed, from the operating system's keyring (service
"commitment-tracker", user name "USER@HOST/DATABASE").
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from tracker.sync.errors import LogRefusedError, LogUnreachableError, SyncError

TABLE = "tracker_log"
KEYRING_SERVICE = "commitment-tracker"
CONNECT_TIMEOUT_S = 10

_CREATE = f"""
CREATE TABLE IF NOT EXISTS {TABLE} (
    seq bigint PRIMARY KEY CHECK (seq >= 1),
    entry bytea NOT NULL,
    received_at timestamptz NOT NULL DEFAULT now()
)"""


def check_address(location: str) -> dict[str, Any]:
    """The parts of a postgresql:// address; refuses one that holds a password."""
    import psycopg

    try:
        parts = psycopg.conninfo.conninfo_to_dict(location)
    except psycopg.ProgrammingError as exc:
        raise SyncError(f"'{location}' is not a PostgreSQL address ({_first_line(exc)}).") from exc
    if parts.get("password"):
        raise SyncError(
            "Leave the password out of the address: it would be kept in the database file. "
            "Put it in your pgpass file or the keyring instead (see the README, Team sync).")
    return parts


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


class PostgresLog:
    def __init__(self, location: str):
        self.location = location
        self.parts = check_address(location)
        self._conn = None

    # --- connection and errors -----------------------------------------------------------

    def _where(self) -> str:
        host = self.parts.get("host") or "localhost"
        return f"the PostgreSQL server {host} (database {self.parts.get('dbname') or 'default'})"

    def _connect(self):
        import psycopg

        if self._conn is not None and not self._conn.closed:
            return self._conn
        try:
            self._conn = psycopg.connect(self.location, connect_timeout=CONNECT_TIMEOUT_S,
                                         autocommit=True)
        except psycopg.OperationalError as exc:
            password = self._keyring_password() if _wants_password(exc) else None
            if password is None:
                raise self._explain(exc) from exc
            try:
                self._conn = psycopg.connect(self.location, password=password, autocommit=True,
                                             connect_timeout=CONNECT_TIMEOUT_S)
            except psycopg.OperationalError as exc2:
                raise self._explain(exc2) from exc2
        return self._conn

    def _keyring_password(self) -> str | None:
        try:
            import keyring
        except ImportError:
            return None
        user = self.parts.get("user") or ""
        account = f"{user}@{self.parts.get('host') or 'localhost'}/{self.parts.get('dbname') or ''}"
        try:
            return keyring.get_password(KEYRING_SERVICE, account)
        except Exception:  # any keyring back end failing is "no password there"
            return None

    def _explain(self, exc: Exception) -> SyncError:
        text = str(exc)
        lower = text.lower()
        user = self.parts.get("user") or "your user name"
        if any(s in lower for s in ("password authentication failed", "no password supplied",
                                    "authentication failed", "pg_hba.conf", "permission denied",
                                    "does not exist")):
            if "database" in lower and "does not exist" in lower:
                return LogRefusedError(f"{self._where()} has no such database: check the "
                                       "address.")
            if "permission denied" in lower:
                return LogRefusedError(f"{self._where()} does not let {user} use the team "
                                       "log (permission denied): ask IT to grant it.")
            return LogRefusedError(
                f"{self._where()} refused the login for {user}: check the user name, and the "
                "password in your pgpass file or keyring.")
        self.close()
        return LogUnreachableError(
            f"{self._where()} cannot be reached ({_first_line(exc)}). Nothing was changed; "
            "your edits go with the next sync.")

    def _run(self, work):
        import psycopg

        conn = self._connect()
        try:
            with conn.transaction():
                return work(conn)
        except psycopg.errors.UndefinedTable as exc:
            raise SyncError(f"{self._where()} holds no team log (no {TABLE} table): is this the "
                            "team's address?") from exc
        except psycopg.errors.InsufficientPrivilege as exc:
            raise self._explain(exc) from exc
        except psycopg.OperationalError as exc:
            raise self._explain(exc) from exc
        except psycopg.InterfaceError as exc:  # the connection was closed under us
            self.close()
            raise LogUnreachableError(f"{self._where()} went away during the sync "
                                      f"({_first_line(exc)}). Nothing was half done; try "
                                      "again.") from exc

    # --- the interface ----------------------------------------------------------------------

    def prepare(self) -> None:
        def work(conn):
            conn.execute(_CREATE)
            if conn.execute(f"SELECT 1 FROM {TABLE} LIMIT 1").fetchone():
                raise SyncError(f"{self._where()} already holds a team's log: join that team "
                                "(tracker team join) or use another database.")

        self._run(work)

    def read(self, seq: int) -> bytes | None:
        def work(conn):
            row = conn.execute(f"SELECT entry FROM {TABLE} WHERE seq = %s", (seq,)).fetchone()
            return bytes(row[0]) if row else None

        return self._run(work)

    def read_after(self, seq: int) -> Iterator[tuple[int, bytes]]:
        def work(conn):
            rows = conn.execute(f"SELECT seq, entry FROM {TABLE} WHERE seq > %s ORDER BY seq",
                                (seq,)).fetchall()
            return [(int(n), bytes(blob)) for n, blob in rows]

        expected = seq + 1
        for n, blob in self._run(work):
            if n != expected:  # cannot happen through append(); stop at a gap
                return
            yield n, blob
            expected += 1

    def append(self, seq: int, blob: bytes) -> bool:
        import psycopg

        def work(conn):
            if seq == 1:  # a new team: the table must be empty
                conn.execute(f"LOCK TABLE {TABLE} IN EXCLUSIVE MODE")
                cur = conn.execute(f"INSERT INTO {TABLE} (seq, entry) SELECT 1, %s "
                                   f"WHERE NOT EXISTS (SELECT 1 FROM {TABLE})", (blob,))
            else:
                cur = conn.execute(
                    f"INSERT INTO {TABLE} (seq, entry) SELECT %s, %s "
                    f"WHERE EXISTS (SELECT 1 FROM {TABLE} WHERE seq = %s)", (seq, blob, seq - 1))
            return cur.rowcount == 1

        try:
            return self._run(work)
        except psycopg.errors.UniqueViolation:
            return False

    def close(self) -> None:
        if self._conn is not None:
            try:
                self._conn.close()
            except Exception:
                pass
            self._conn = None


def _wants_password(exc: Exception) -> bool:
    lower = str(exc).lower()
    return "no password supplied" in lower or "password authentication failed" in lower
