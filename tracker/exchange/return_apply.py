"""Applying the accepted changes of a previewed return, all at once or not at all."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from tracker.domain.wording import count_of
from tracker.exchange.errors import ExchangeError, WorkbookRefused
from tracker.exchange.return_preview import EVIDENCE, STATUS, VALUE, ReturnPreview
from tracker.exchange.safety import sha256_of
from tracker.store import returns
from tracker.store.backup import take_backup
from tracker.store.database import Store


@dataclass(frozen=True)
class ApplyResult:
    record: returns.ReturnRecord
    applied: bool  # False when this very file had been imported already
    evidence: int = 0
    statuses: int = 0
    values: int = 0
    skipped: int = 0

    @property
    def message(self) -> str:
        r = self.record
        if not self.applied:
            return (f"{r.file_name} was already imported on {r.imported_at[:10]} by "
                    f"{r.imported_by} (as {r.label}); nothing was changed.")
        text = (f"Imported {r.label}: "
                f"{self.evidence} new evidence, {count_of(self.statuses, 'status change')}, "
                f"{count_of(self.values, 'indicator value')}")
        if self.skipped:
            text += f"; {self.skipped} not applied"
        return text + "."


def check_applicable(preview: ReturnPreview, *, accept_valid: bool = False) -> None:
    """Refuse, before anything is written, a preview that cannot be applied as it stands: one
    blocked by another import, one with problems (unless `accept_valid`), or one whose file
    has changed or gone since it was read."""
    if preview.blocked:
        raise ExchangeError(preview.blocked)
    if preview.has_errors and not accept_valid:
        raise ExchangeError(
            f"{preview.file_name} has {count_of(len(preview.problems), 'problem')}; nothing was "
            "written. Fix them (or accept only the valid rows) and try again.")
    try:
        now_sha = sha256_of(preview.path)
    except OSError as exc:
        raise WorkbookRefused(f"{preview.file_name} can no longer be read ({exc}); nothing was "
                              "written.") from exc
    if now_sha != preview.sha256:
        raise WorkbookRefused(f"{preview.file_name} has changed since it was previewed; preview "
                              "it again. Nothing was written.")


def apply_preview(store: Store, preview: ReturnPreview, *, accept_valid: bool = False,
                  step: Callable[[int], None] | None = None, backup: bool = True) -> ApplyResult:
    """Write the accepted changes in one transaction, with the return record.

    With problems in the preview nothing is written unless `accept_valid` (then rows with
    problems are left out). Changes whose `accepted` is False (conflicts by default) are left
    out. The file must still be the one previewed.
    """
    if preview.duplicate_of is not None:
        return ApplyResult(preview.duplicate_of, applied=False)
    check_applicable(preview, accept_valid=accept_valid)
    if backup and store.path is not None and not store.read_only:
        take_backup(store.conn, store.path, "import-return")
    chosen = [c for c in preview.changes if c.accepted]
    changes = returns.ReturnChanges(
        evidence=[c.payload for c in chosen if c.kind == EVIDENCE],
        statuses=[c.payload for c in chosen if c.kind == STATUS],
        values=[c.payload for c in chosen if c.kind == VALUE],
    )
    skipped = len(preview.changes) - len(chosen)
    record = returns.apply_return(
        store, preview.export_uid, preview.file_name, preview.sha256, changes,
        counts={"rejected": skipped, "problems": len(preview.problems),
                "rows": preview.rows_read}, step=step)
    return ApplyResult(record, True, len(changes.evidence), len(changes.statuses),
                       len(changes.values), skipped + len(preview.problems))
