"""The backup an import begins as its workbook is opened (kept apart from tracker.ops.returns,
so that the window can begin it without loading the workbook readers on its GUI thread)."""

from __future__ import annotations

from tracker.store.backup import BackupInBackground, CheckpointInBackground
from tracker.store.database import Store


def start_backup(store: Store, reason: str = "import-return") -> BackupInBackground | None:
    """A backup of the database as it is now, taken on its own thread (None for an in-memory
    or read-only store). The import dialog starts one as it opens a workbook, so that the
    copy is made while the officer reads the preview."""
    if store.path is None or store.read_only:
        return None
    checkpoints = [b for b in store.background if isinstance(b, CheckpointInBackground)]
    return BackupInBackground(store.path, reason, after=checkpoints)


def start_checkpoint(store: Store) -> CheckpointInBackground | None:
    """The write-ahead log checkpointed on a thread after an import that deferred it
    (apply_return's `defer_checkpoint`); the store waits for it before it closes."""
    if store.path is None or store.read_only:
        return None
    running = CheckpointInBackground(store.path)
    store.background.append(running)
    return running
