"""Applying a return and taking it back: the return record filled in, each accepted change
applied by its kind (kinds.py) in one transaction, written with the return's id, so that
`revert_return` can take exactly those changes back later. The indicator values it replaced
are listed in return_change with their fields before (kept nowhere else); the evidence and
status changes are found again by their return's id (db/008_return_change_values.sql)."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field

from tracker.store import bulk
from tracker.store.clock import new_row_ids, new_uid, now, row_id
from tracker.store.database import Store
from tracker.store.errors import NotFoundError, ValidationError
from tracker.store.returns.kinds import (
    REVERT_ORDER,
    EvidenceKind,
    Logged,
    NewEvidence,
    NewStatus,
    NewValue,
    ReturnConflictError,
    StatusKind,
    ValueKind,
)
from tracker.store.returns.records import (
    ReturnRecord,
    applied_import_of,
    find_export,
    get_return,
)


@dataclass
class ReturnChanges:
    evidence: list[NewEvidence] = field(default_factory=list)
    statuses: list[NewStatus] = field(default_factory=list)
    values: list[NewValue] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.evidence) + len(self.statuses) + len(self.values)


def apply_return(store: Store, export_uid: str, file_name: str, sha256: str,
                 changes: ReturnChanges, counts: dict[str, int] | None = None,
                 step: Callable[[int], None] | None = None) -> ReturnRecord:
    """Write the accepted changes of one returned workbook, all or nothing.

    Each change is checked against the fingerprint taken at export; one that no longer matches
    raises ReturnConflictError and nothing is written. `step(n)` is called after each change
    (progress, and the tests' fault injection).
    """
    sent = find_export(store, export_uid)
    if sent is None:
        raise NotFoundError("This workbook was not exported from this database.")
    stamp = now()
    summary = {"evidence": len(changes.evidence), "statuses": len(changes.statuses),
               "values": len(changes.values), **(counts or {})}
    with store.transaction():
        if applied_import_of(store, export_uid) is not None:
            raise ReturnConflictError(
                f"The {sent.round} workbook for {sent.partner_name} has already been imported; "
                "revert that return first to import it again.")
        return_id = _record_import(store, sent, file_name, sha256, summary, stamp)
        # Written a kind at a time: thousands of rows in a fixed number of statements, not a
        # dozen statements a change. The evidence is checked and stamped before the statuses
        # are written (after their own stamps, as before): a commitment given both a status
        # and evidence is then written once, with its evidence's stamp, where updating it
        # again for the evidence wrote and recorded some 2,000 rows twice.
        statuses = StatusKind.plan(store, changes.statuses, return_id, sent.partner_id)
        added = EvidenceKind.plan(store, changes.evidence, return_id, sent.partner_id)
        done = 0

        def advance(count: int) -> None:
            nonlocal done
            if step is not None:
                for n in range(done + 1, done + count + 1):
                    step(n)
            done += count

        advance(StatusKind.write(store, statuses, added.touched))
        advance(EvidenceKind.write(store, added, statuses.changed_ids))
        values = ValueKind.apply_all(store, changes.values, return_id, sent.partner_id)
        advance(len(values))
        # before and after go in as objects: SQLite writes each as its JSON text.
        bulk.insert_rows(
            store, "return_change",
            ("id", "return_id", "seq", "kind", "target_uid", "before", "after"),
            [(change_id, return_id, n, e.kind, e.target_uid, e.before, e.after)
             for (n, e), change_id in zip(enumerate(values, start=1), new_row_ids(len(values)),
                                          strict=True)])
    return get_return(store, return_id)


def _record_import(store: Store, sent: ReturnRecord, file_name: str, sha256: str,
                   summary: dict, stamp: str) -> int:
    """The sent record itself the first time its workbook comes back; a new record of the
    same export (in the same round) after a revert, so the history of both imports is kept."""
    if sent.imported_at is None:
        store.execute(
            "UPDATE partner_return SET imported_at = ?, imported_by = ?, file_name = ?, "
            "sha256 = ?, counts = ?, lists_every_change = 0, updated_at = ? WHERE id = ?",
            (stamp, store.officer, file_name, sha256, json.dumps(summary), stamp, sent.id))
        return sent.id
    return store.execute(
        "INSERT INTO partner_return (id, uid, export_uid, partner_id, round, round_id, "
        "exported_at, exported_by, due_date, imported_at, imported_by, file_name, sha256, "
        "counts, lists_every_change, created_at, updated_at) SELECT ?, ?, ?, partner_id, round, "
        "round_id, exported_at, exported_by, due_date, ?, ?, ?, ?, ?, 0, ?, ? "
        "FROM partner_return WHERE id = ?",
        (row_id(uid := new_uid()), uid, sent.export_uid, stamp, store.officer, file_name, sha256,
         json.dumps(summary), stamp, stamp, sent.id)).lastrowid


@dataclass(frozen=True)
class RevertResult:
    record: ReturnRecord
    evidence_removed: int
    statuses_restored: int
    values_restored: int


def revert_return(store: Store, return_id: int) -> RevertResult:
    """Undo every change an applied return made, or nothing if any was changed since."""
    record = get_return(store, return_id)
    if record.imported_at is None:
        raise ValidationError(f"Return {return_id} ({record.partner_name}, {record.round}) has "
                              "not been imported, so there is nothing to revert.")
    if record.reverted_at is not None:
        raise ValidationError(f"Return {return_id} was already reverted on "
                              f"{record.reverted_at[:10]} by {record.reverted_by}.")
    counts = {"evidence": 0, "status": 0, "value": 0}
    stamp = now()
    reason = f"Return from {record.partner_name} for {record.round} reverted"
    with store.transaction():
        entries = [Logged(r["kind"], r["target_uid"],
                          json.loads(r["before"]) if r["before"] else None,
                          json.loads(r["after"]) if r["after"] else {})
                   for r in store.query("SELECT kind, target_uid, before, after FROM return_change "
                                        "WHERE return_id = ? ORDER BY seq DESC", [return_id])]
        if not record.lists_every_change:
            entries += EvidenceKind.written_by(store, return_id)
            entries += StatusKind.written_by(store, return_id)
        # A kind at a time, newest first: thousands of changes in a fixed number of
        # statements (a statement and a savepoint a change took a 5,000-row return seconds).
        for kind in REVERT_ORDER:
            counts[kind.counter] += kind.revert_all(
                store, [e for e in entries if e.kind in kind.kinds], reason)
        store.execute("UPDATE partner_return SET reverted_at = ?, reverted_by = ?, updated_at = ? "
                      "WHERE id = ?", (stamp, store.officer, stamp, return_id))
    return RevertResult(get_return(store, return_id), counts["evidence"], counts["status"],
                        counts["value"])
