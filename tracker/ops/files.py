"""Operations on whole database files: putting a backup back, and loading a whole-plan
workbook into a new database. Each is recorded in the activity log of the database it leaves
behind."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from tracker.domain.wording import moment
from tracker.exchange.plan_workbook import export_plan_workbook, import_plan_workbook
from tracker.ops.core import record_external
from tracker.ops.result import OpResult
from tracker.store import copies
from tracker.store.backup import list_backups
from tracker.store.database import Store, open_store
from tracker.store.errors import StoreError
from tracker.store.location import create_database
from tracker.store.lock import WriterLock


def restore_backup(db_path: str | Path, backup: str | Path, *, officer: str | None = None,
                   origin: str = "script",
                   progress: Callable[[float], None] | None = None) -> OpResult:
    """Put `backup` back over the database at `db_path` (closed by the caller). What the file
    held is backed up first, so the restore itself can be taken back the same way; the entry
    in the restored database's log says where that backup is. `value` is its path."""
    db_path, backup = Path(db_path), Path(backup)
    label = next((b.label for b in list_backups(db_path) if b.path == backup), backup.name)
    # Not under a window or a command that has the file open: its next write would land on
    # the restored file as though nothing had changed beneath it.
    lock = WriterLock(db_path)
    if not lock.acquire():
        raise StoreError(f"{db_path.name} is open in Commitment Tracker elsewhere (a window or "
                         "a command); close it there first. Nothing was restored.")
    try:
        safety = copies.restore_from(backup, db_path, progress)
    finally:
        lock.release()
    store = open_store(db_path, officer=officer)
    try:
        store.origin = origin
        result = record_external(
            store, "restore_backup",
            f"Restored the backup {label}; what the database held before is in the backup "
            f"of {moment(_taken(db_path, safety))} ({safety.name})", (), origin=origin)
    finally:
        store.close()
    return OpResult(result.op_id, result.kind, result.summary, (), safety, result.who,
                    result.at, result.origin)


def _taken(db_path: Path, backup: Path) -> str | None:
    for b in list_backups(db_path):
        if b.path == backup:
            return b.taken_at.isoformat()
    return None


def load_plan_workbook(store: Store, source: str | Path, *,
                       cancelled: Callable[[], bool] | None = None) -> OpResult:
    """Load a whole-plan workbook into an empty database, in one transaction (refused,
    naming the sheet and cell, otherwise). `value` is the rows loaded per table. Reading can
    be stopped by `cancelled` (Cancelled, nothing written)."""
    counts = import_plan_workbook(store, source, cancelled=cancelled)
    result = record_external(
        store, "load_plan_workbook",
        f"Loaded the whole-plan workbook {Path(source).name}: "
        + ", ".join(f"{n} {name}" for name, n in counts.items()), (), origin=store.origin)
    return OpResult(result.op_id, result.kind, result.summary, (), counts, result.who,
                    result.at, result.origin)


def new_database_from_workbook(target: str | Path, source: str | Path, *,
                               officer: str | None = None,
                               origin: str = "script",
                               cancelled: Callable[[], bool] | None = None) -> OpResult:
    """A new database at `target` holding what a whole-plan workbook holds; nothing is left
    behind if the workbook is refused or the read is cancelled. `value` is the rows loaded per
    table."""
    target = Path(target)
    if target.exists():
        raise StoreError(f"{target.name} already exists; choose a new file name.")
    store = create_database(target, empty=True, officer=officer)
    loaded = False
    try:
        store.origin = origin
        result = load_plan_workbook(store, source, cancelled=cancelled)
        loaded = True
    finally:
        store.close()
        if not loaded:
            for suffix in ("", "-wal", "-shm", ".lock"):
                Path(str(target) + suffix).unlink(missing_ok=True)
    return result


__all__ = ["export_plan_workbook", "load_plan_workbook", "new_database",
           "new_database_from_workbook", "restore_backup", "save_copy"]


def save_copy(source: str | Path, target: str | Path,
              progress: Callable[[float], None] | None = None,
              cancelled: Callable[[], bool] | None = None) -> Path:
    """A consistent copy of the database at `source` in `target` (not an operation: the
    database itself is not changed). A cancelled or failed copy leaves no file behind."""
    return copies.save_copy(Path(source), Path(target), progress, cancelled)


def new_database(target: str | Path, *, empty: bool = False,
                 officer: str | None = None) -> Store:
    """A new database file, from the built-in sample unless `empty`, open for writing."""
    target = Path(target)
    if target.exists():
        raise StoreError(f"{target.name} already exists; choose a new name.")
    return create_database(target, empty=empty, officer=officer)
