"""Numbered schema migrations from `db/` (installed as `tracker.db`), recorded in PRAGMA user_version."""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from importlib.resources.abc import Traversable

from tracker.store import packaged
from tracker.store.errors import NewerSchemaError

_NAME = re.compile(r"^(\d{3})_[a-z0-9_]+\.sql$")


@dataclass(frozen=True)
class Migration:
    version: int
    path: Traversable

    @property
    def name(self) -> str:
        """"rounds" for 006_rounds.sql: what stays when the number changes."""
        return self.path.stem.split("_", 1)[1]

    def sql(self) -> str:
        return packaged.read_text(self.path)


_installed: dict[str, list[Migration]] = {}  # the installed schema, listed once a process


def available(directory: Traversable | None = None) -> list[Migration]:
    """The migrations in `directory` (by default the installed schema), in order."""
    if directory is None:
        # Every open of a database asks: the installed files do not change while we run.
        package = packaged.SCHEMA_PACKAGE
        if package not in _installed:
            _installed[package] = _listed(packaged.folder(package))
        return list(_installed[package])
    return _listed(directory)


def _listed(directory: Traversable) -> list[Migration]:
    found = []
    for path in packaged.listing(directory, ".sql"):
        m = _NAME.match(path.name)
        if m:
            found.append(Migration(int(m.group(1)), path))
    versions = [m.version for m in found]
    if not versions or versions != list(range(1, len(versions) + 1)):
        raise packaged.PackagedDataError(
            f"The schema files in {directory} are incomplete (numbered {versions or 'none'}, not "
            "001, 002, ... with none missing); reinstall Commitment Tracker.")
    return found


def latest_version(directory: Traversable | None = None) -> int:
    return len(available(directory))


def current_version(conn: sqlite3.Connection) -> int:
    return conn.execute("PRAGMA user_version").fetchone()[0]


def _refuse_newer(version: int, latest: int) -> None:
    if version > latest:
        raise NewerSchemaError(
            f"This database was written by a newer version of Commitment Tracker "
            f"(schema {version}; this version knows up to {latest}). "
            "Install the newer version to open it; the file has not been changed."
        )


def pending(conn: sqlite3.Connection, directory: Traversable | None = None) -> list[Migration]:
    """The migrations this database still needs; a database newer than them is refused."""
    found = available(directory)  # listed once: opening a database calls this every time
    version = current_version(conn)
    _refuse_newer(version, len(found))
    return [m for m in found if m.version > version]


def apply(conn: sqlite3.Connection, migration: Migration) -> None:
    """Apply one migration, then its data step if it has one (tracker.store.data_steps), and
    record its version, in one transaction."""
    # executescript() commits first, so the statements are split and run inside an explicit
    # transaction instead: a failure leaves the schema at the previous version.
    statements = _split(migration.sql())
    conn.execute("BEGIN IMMEDIATE")
    try:
        for statement in statements:
            conn.execute(statement)
        from tracker.store.data_steps import steps_after

        for step in steps_after(migration.name):
            step(conn)
        conn.execute(f"PRAGMA user_version = {migration.version:d}")
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


def _split(script: str) -> list[str]:
    statements, buffer = [], ""
    for line in script.splitlines(keepends=True):
        if not buffer and line.strip().startswith("--"):
            continue
        buffer += line
        if sqlite3.complete_statement(buffer):
            if buffer.strip():
                statements.append(buffer.strip())
            buffer = ""
    if buffer.strip():
        statements.append(buffer.strip())
    return statements
