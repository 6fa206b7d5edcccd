"""Where the user's database lives, and making a new one from the sample."""

from __future__ import annotations

from pathlib import Path

from tracker.store.database import Store, open_store
from tracker.store.errors import StoreError

APP_NAME = "CommitmentTracker"


def default_db_path() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP_NAME, appauthor=False)) / "tracker.db"


def resolve_db(path: str | Path | None) -> Path:
    return Path(path).expanduser() if path else default_db_path()


def create_database(db_path: Path, empty: bool = False, officer: str | None = None) -> Store:
    """A new database file, from the sample unless `empty`; open for writing.

    It is built under a temporary name and renamed when complete, so an interrupted first run
    never leaves a half-loaded database behind.
    """
    from tracker.store.sample import load_sample

    if db_path == default_db_path():
        try:
            db_path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(
                f"Cannot make the data folder {db_path.parent} ({exc.strerror or exc}): make it "
                "writable, or choose a database with --db PATH.") from exc
    partial = db_path.with_name(db_path.name + ".new")
    _remove_with_sidecars(partial)
    store = open_store(partial, create=True, officer=officer)
    try:
        if not empty:
            load_sample(store)
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        store.close()
    for suffix in ("-wal", "-shm", ".lock"):
        Path(str(partial) + suffix).unlink(missing_ok=True)
    partial.replace(db_path)
    return open_store(db_path, officer=officer)


def _remove_with_sidecars(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", ".lock"):
        Path(str(path) + suffix).unlink(missing_ok=True)
