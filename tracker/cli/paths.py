"""Opening the database a command names with --db."""

from __future__ import annotations

from tracker.store.database import Store, open_store
from tracker.store.errors import UpgradeNeeded
from tracker.store.location import create_database, resolve_db


def open_for_command(path: str | None, mode: str = "write") -> Store:
    """The database named by --db (or the default one, made from the sample on first use)."""
    db_path = resolve_db(path)
    if path is None and not db_path.exists():
        return create_database(db_path)
    try:
        return open_store(db_path, mode=mode)
    except UpgradeNeeded:
        if mode != "read":
            raise
    # A command that only reads, on a database from an older version: upgrade it as the window
    # would (a backup first), then read. A file that cannot be written says so from here.
    open_store(db_path, mode="write").close()
    return open_store(db_path, mode=mode)
