"""Saving a copy of the database and putting a backup back, with progress and cancel.

Each opens its own connections (it runs on a worker thread), through SQLite's backup API, so
the copy is consistent even while the window has the file open.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

from tracker.errors import Cancelled
from tracker.store import migrations
from tracker.store.backup import take_backup
from tracker.store.database import read_only_uri
from tracker.store.errors import StoreError

Progress = Callable[[float], None]
IsCancelled = Callable[[], bool]
PAGES_PER_STEP = 1024


def _copy(source: Path, target: Path, progress: Progress | None, cancelled: IsCancelled | None) -> None:
    def step(_status: int, remaining: int, total: int) -> None:
        if progress is not None and total:
            progress(1 - remaining / total)
        if cancelled is not None and cancelled():
            raise Cancelled("Cancelled; nothing was copied.")

    try:
        src = sqlite3.connect(read_only_uri(source), uri=True)
    except sqlite3.Error as exc:
        raise StoreError(f"Cannot read {source}: {exc}") from exc
    try:
        dst = sqlite3.connect(target)
        try:
            src.backup(dst, pages=PAGES_PER_STEP, progress=step)
        finally:
            dst.close()
    except sqlite3.Error as exc:
        raise StoreError(f"Could not write {target}: {exc}") from exc
    finally:
        src.close()


def save_copy(source: Path, target: Path, progress: Progress | None = None,
              cancelled: IsCancelled | None = None) -> Path:
    """Copy the database at `source` to `target` (replaced if it exists). A cancelled or failed
    copy leaves no file behind."""
    source, target = Path(source), Path(target)
    if source.resolve() == target.resolve():
        raise StoreError("Choose another file: a copy cannot replace the open database.")
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    try:
        _copy(source, partial, progress, cancelled)
        partial.replace(target)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return target


def restore_from(backup: Path, db_path: Path, progress: Progress | None = None) -> Path:
    """Put a backup back over the database file (which must be closed by the caller). The
    backup is checked first; the current content is itself backed up, so a restore can be
    taken back."""
    backup, db_path = Path(backup), Path(db_path)
    _check_is_tracker_database(backup)
    conn = sqlite3.connect(db_path)
    try:
        safety = take_backup(conn, db_path, "restore")
    finally:
        conn.close()
    try:
        _copy(backup, db_path, progress, None)
    except StoreError as exc:
        raise StoreError(f"Could not restore {backup.name}: {exc}") from exc
    return safety


def _check_is_tracker_database(path: Path) -> None:
    """Refuse to restore a file that is not a tracker database this version can open."""
    try:
        conn = sqlite3.connect(read_only_uri(path), uri=True)
        try:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        finally:
            conn.close()
    except sqlite3.Error as exc:
        raise StoreError(f"{path.name} is not a Commitment Tracker database ({exc}); "
                         "nothing was restored.") from exc
    if version < 1 or "commitment" not in tables:
        raise StoreError(f"{path.name} is not a Commitment Tracker database; nothing was restored.")
    if version > migrations.latest_version():
        raise StoreError(f"{path.name} was written by a newer version of Commitment Tracker; "
                         "nothing was restored.")
