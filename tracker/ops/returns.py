"""Operations on partner returns: sending a round's workbooks, applying a returned workbook,
taking a whole return back. Applying and reverting take a backup of the database first."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from tracker.domain.wording import count_of
from tracker.exchange.return_apply import ApplyResult, apply_preview, check_applicable
from tracker.exchange.return_preview import ReturnPreview
from tracker.ops.backups import start_backup
from tracker.ops.core import operation
from tracker.ops.result import OpResult
from tracker.store import returns
from tracker.store.backup import BackupInBackground
from tracker.store.database import Store

__all__ = ["DEFAULT_DAYS_TO_RETURN", "apply_return", "canonical_round", "default_round",  # noqa: F822
           "revert_return", "send_returns", "start_backup"]

if TYPE_CHECKING:
    from tracker.exchange.return_export import ExportedWorkbook

# The workbook writer's names, loaded when first asked for: it imports openpyxl (a third of a
# second), which applying a return does not need (an officer's first import of a session
# loaded it on its worker before anything was written).
_EXPORT_NAMES = frozenset({"DEFAULT_DAYS_TO_RETURN", "canonical_round", "default_round"})


def __getattr__(name: str):
    if name in _EXPORT_NAMES:
        from tracker.exchange import return_export

        value = getattr(return_export, name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


_CACHE_KIB = 128 * 1024  # the page cache a return's writes may use (SQLite's default is 2 MiB)
_TEMP_IN_MEMORY = 2  # PRAGMA temp_store: 0 as compiled (a file), 1 file, 2 memory


@contextlib.contextmanager
def _large_write(store: Store) -> Iterator[None]:
    """Settings for applying a return or taking one back, which write thousands of rows in a
    fixed number of statements, put back afterwards.

    A return writes some 30 MiB of pages spread over the database: with SQLite's default
    2 MiB page cache they were written to the log, read back and written again before the
    commit (200 MiB read, 57 MiB written). Pages are taken only as the operation needs them.
    The rows the operation records (tracker.store.capture) and its statements' journals are
    temporary: in a temporary file they wrote 46 MiB beside an import's own 31 MiB, which the
    disk then took ahead of the commit's flush; in memory they are a few tens of MiB for the
    length of the operation. (Changing where they are kept drops the connection's temporary
    tables and triggers; the capture makes them again when next needed.)

    Only for work written in a few large statements: with the recorded rows in memory, each
    statement and savepoint costs time in proportion to all recorded so far (a revert that
    still wrote a change at a time took 34 s for a 5,000-row return, 3.7 s without)."""
    cache = store.execute("PRAGMA cache_size").fetchone()[0]
    temp_store = store.execute("PRAGMA temp_store").fetchone()[0]
    store.execute(f"PRAGMA cache_size = {-_CACHE_KIB}")
    store.execute(f"PRAGMA temp_store = {_TEMP_IN_MEMORY}")
    try:
        yield
    finally:
        store.execute(f"PRAGMA cache_size = {int(cache)}")
        store.execute(f"PRAGMA temp_store = {int(temp_store)}")


@contextlib.contextmanager
def _backed_up(store: Store, backup: BackupInBackground | None,
               reason: str) -> Iterator[BackupInBackground | None]:
    """An operation's backup of the database as it was before the operation: `backup`
    (started earlier by start_backup) or one started now (None for an in-memory or read-only
    store), copied on its own thread while the operation writes. The operation waits for the
    copy (`wait()`) before it commits, so a backup that fails writes nothing; the copy goes to
    disk after the commit, and the store waits for that before it closes. An operation that
    fails or is refused leaves no backup: one "before" it would mislead."""
    backup = backup or start_backup(store, reason)
    if backup is not None:
        backup.started.wait()  # its snapshot is fixed before anything is written
    try:
        yield backup
    except BaseException:
        if backup is not None and backup.error is None:
            backup.discard()
        raise
    if backup is not None:
        backup.release_flush()  # to disk now that the commit is
        store.background.append(backup)


def apply_return(store: Store, preview: ReturnPreview, *, accept_valid: bool = False,
                 step: Callable[[int], None] | None = None,
                 backup: BackupInBackground | None = None,
                 defer_checkpoint: bool = False) -> OpResult:
    """Write the accepted changes of a previewed return in one transaction, after a backup
    (`backup`, started earlier by start_backup, or one started now: see _backed_up).

    With problems in the preview nothing is written unless `accept_valid` (rows with problems
    are then left out); changes not `accepted` (conflicts, by default) are left out. The log
    entry's origin is "return <id>". `value` is the ApplyResult; a file imported before changes
    nothing and is not logged (`op_id` is None, `value.applied` False).

    With `defer_checkpoint` the commit leaves the write-ahead log as it is, for the caller to
    checkpoint on a thread (store.backup.CheckpointInBackground): the import is as durable
    either way (the log is flushed as it commits)."""
    if preview.duplicate_of is not None:
        if backup is not None:
            backup.discard()
        result = ApplyResult(preview.duplicate_of, applied=False)
        return OpResult(None, "apply_return", result.message, (), result)
    try:
        check_applicable(preview, accept_valid=accept_valid)
    except BaseException:
        if backup is not None:
            backup.discard()
        raise
    pages = None
    if defer_checkpoint and store.path is not None:
        pages = store.execute("PRAGMA wal_autocheckpoint").fetchone()[0]
        store.execute("PRAGMA wal_autocheckpoint = 0")
    try:
        with (_backed_up(store, backup, "import-return") as backup, _large_write(store),
              operation(store, "apply_return") as op):
            result = apply_preview(store, preview, accept_valid=accept_valid, step=step,
                                   backup=False)
            op.origin = f"return {result.record.id}"
            op.summary = result.message
            op.value = result
            if backup is not None:
                backup.wait()  # raises (and so rolls back) when the copy could not be made
    finally:
        if pages is not None:
            store.execute(f"PRAGMA wal_autocheckpoint = {int(pages)}")
    return op.result


def revert_return(store: Store, return_id: int) -> OpResult:
    """Take back every change an applied return made, after a backup (see _backed_up: the
    SQLite backup of a 758 MiB database, flushed before the revert began, was half of a
    5,000-row return's revert); nothing if any of them was changed since. `value` is the
    store's RevertResult."""
    record = returns.get_return(store, return_id)
    with (_backed_up(store, None, "revert-return") as backup, _large_write(store),
          operation(store, "revert_return") as op):
        result = returns.revert_return(store, return_id)
        op.value = result
        op.summary = (f"Reverted {record.label} ({record.file_name}): "
                      f"{result.evidence_removed} evidence removed, "
                      f"{count_of(result.statuses_restored, 'status', 'statuses')} and "
                      f"{count_of(result.values_restored, 'value')} put back")
        if backup is not None:
            backup.wait()
    return op.result


def send_returns(store: Store, round_label: str, out_dir: str | Path, *,
                 partner: str | None = None, due_date: date | None = None,
                 progress: Callable[[int, int], None] | None = None,
                 cancelled: Callable[[], bool] | None = None) -> OpResult:
    """Write each partner's workbook for a round (or the named partner's) into `out_dir` and
    record them as sent, all or none. `value` is the list of ExportedWorkbook."""
    from tracker.exchange.return_export import canonical_round, export_round

    label = canonical_round(round_label)
    with operation(store, "send_returns") as op:
        written: list[ExportedWorkbook] = export_round(
            store, label, out_dir, partner=partner, due_date=due_date, progress=progress,
            cancelled=cancelled)
        op.value = written
        names = ", ".join(w.partner_name for w in written[:3])
        more = f" and {len(written) - 3} more" if len(written) > 3 else ""
        op.summary = (f"Sent {count_of(len(written), 'workbook')} for {label}"
                      + (f" to {names}{more}" if written else ""))
    return op.result
