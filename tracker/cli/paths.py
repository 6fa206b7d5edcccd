"""Where the user's database lives, and opening it for a command."""

from __future__ import annotations

from pathlib import Path

from tracker.store.database import Store, open_store

APP_NAME = "CommitmentTracker"


def default_db_path() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP_NAME, appauthor=False)) / "tracker.db"


def resolve_db(path: str | None) -> Path:
    return Path(path).expanduser() if path else default_db_path()


def open_for_command(path: str | None, mode: str = "write") -> Store:
    """The database named by --db (or the default one, made from the sample on first use)."""
    db_path = resolve_db(path)
    if path is None and not db_path.exists():
        return create_from_sample(db_path)
    return open_store(db_path, mode=mode)


def create_from_sample(db_path: Path, empty: bool = False) -> Store:
    from tracker.store.sample import load_sample

    if db_path == default_db_path():
        db_path.parent.mkdir(parents=True, exist_ok=True)
    partial = db_path.with_name(db_path.name + ".new")
    partial.unlink(missing_ok=True)
    store = open_store(partial, create=True)
    try:
        if not empty:
            load_sample(store)
    finally:
        store.close()
    # The file appears under its real name only once it is complete.
    for suffix in ("-wal", "-shm", ".lock"):
        Path(str(partial) + suffix).unlink(missing_ok=True)
    partial.replace(db_path)
    return open_store(db_path)
