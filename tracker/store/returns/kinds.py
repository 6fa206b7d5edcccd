"""The kinds of change a return makes, each knowing how to check, apply and revert itself.

Applying a change checks it against the fingerprint taken at export (a conflict raises and
nothing of the return is written) and writes it with the return's id. What revert needs of it
is a `Logged` (kind, target uid, before, after): an indicator value's are listed in
`return_change` (the fields of a value it replaced are kept nowhere else); evidence and status
changes are found again by their return's id (`written_by`), as are those of imports recorded
before schema 8, which listed every change. Reverting one takes it back only if nothing has
touched it since; a row deleted since has nothing to take back.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, ClassVar

from tracker.domain.model import Visibility
from tracker.domain.periods import PeriodError, parse_period
from tracker.domain.status import Status
from tracker.store import bulk, commitments, evidence, indicators
from tracker.store.database import Store
from tracker.store.errors import NotFoundError, StoreError
from tracker.store.evidence import EvidenceInput
from tracker.store.indicators import ValueInput
from tracker.store.returns.sent import commitment_fingerprint, value_fingerprint


class ReturnConflictError(StoreError):
    """The database changed since the preview was made; nothing was written."""


@dataclass(frozen=True, slots=True)
class Logged:
    """One entry of return_change: what revert needs to take the change back."""

    kind: str
    target_uid: str
    before: dict[str, Any] | None
    after: dict[str, Any]


@dataclass(frozen=True, slots=True)
class NewEvidence:
    commitment_id: int
    item: EvidenceInput


@dataclass(frozen=True, slots=True)
class NewStatus:
    commitment_id: int
    status: Status
    reason: str
    expected_fingerprint: str  # the commitment as exported; anything else is a conflict


@dataclass(frozen=True, slots=True)
class NewValue:
    indicator_id: int
    item: ValueInput
    expected_fingerprint: str  # the value as exported ("none" when there was none)


def _round_period(store: Store, return_id: int) -> str | None:
    row = store.execute("SELECT round FROM partner_return WHERE id = ?", (return_id,)).fetchone()
    try:
        return parse_period(row[0]).label if row and row[0] else None
    except PeriodError:
        return None


class StatusKind:
    """A status the partner reports."""

    kinds: ClassVar[tuple[str, ...]] = ("status_changed",)
    counter = "status"

    @staticmethod
    def check(store: Store, change: NewStatus) -> None:
        row = store.execute(
            "SELECT c.status, (SELECT s.uid FROM status_change s WHERE s.commitment_id = c.id "
            "ORDER BY s.changed_at DESC, s.id DESC LIMIT 1) FROM commitment c WHERE c.id = ?",
            (change.commitment_id,)).fetchone()
        if row is None:
            raise ReturnConflictError(
                f"Commitment {change.commitment_id} has been deleted since the export.")
        if commitment_fingerprint(row[0], row[1]) != change.expected_fingerprint:
            c = commitments.get_commitment(store, change.commitment_id)
            raise ReturnConflictError(
                f"Commitment {c.code or c.id} changed in the tracker since the export "
                f"(now {c.status.label}); nothing was imported. Make a new preview.")

    @staticmethod
    def plan(store: Store, changes: list[NewStatus], return_id: int,
             partner_id: int) -> commitments.StatusesPlanned:
        """Every change checked against its fingerprint and stamped, in a fixed number of
        statements; `write` writes them."""
        if not changes:
            return commitments.StatusesPlanned([], [], [])
        found = {cid: (status, last) for cid, status, last in store.execute(
            "SELECT c.id, c.status, (SELECT s.uid FROM status_change s WHERE s.commitment_id = "
            "c.id ORDER BY s.changed_at DESC, s.id DESC LIMIT 1) FROM commitment c "
            "WHERE c.id IN (SELECT value FROM json_each(?))",
            (json.dumps([c.commitment_id for c in changes]),))}
        for change in changes:
            if change.commitment_id not in found:
                raise ReturnConflictError(
                    f"Commitment {change.commitment_id} has been deleted since the export.")
            if commitment_fingerprint(*found[change.commitment_id]) != change.expected_fingerprint:
                StatusKind.check(store, change)  # says which, and how it stands now
        return commitments.plan_statuses(
            store, [(c.commitment_id, c.status, c.reason) for c in changes], return_id=return_id,
            period=_round_period(store, return_id))

    @staticmethod
    def write(store: Store, planned: commitments.StatusesPlanned,
              updated_at: dict[int, str]) -> int:
        """Write the planned changes, each commitment left with its stamp in `updated_at`
        when it has one (the return's evidence touches it too); how many were planned."""
        commitments.write_statuses(store, planned, updated_at)
        return len(planned.written)

    @staticmethod
    def written_by(store: Store, return_id: int) -> list[Logged]:
        """The status changes the return made, newest first, from the commitments' history
        (each written with the return's id, its status before and after)."""
        return [Logged("status_changed", uid, {"status": before}, {"status": after})
                for uid, before, after in store.execute(
                    "SELECT c.uid, s.from_status, s.to_status FROM status_change s "
                    "JOIN commitment c ON c.id = s.commitment_id WHERE s.return_id = ? "
                    "ORDER BY s.changed_at DESC, s.id DESC", (return_id,))]

    @staticmethod
    def revert_all(store: Store, entries: list[Logged], reason: str) -> int:
        """Take the status changes back (newest first), each only if the commitment still has
        the status the return gave it; how many were taken back."""
        if not entries:
            return 0
        current = _current(store, "commitment", entries, "status")
        changes = []
        for entry in entries:
            found = current.get(entry.target_uid)
            if found is None:
                continue  # deleted since: nothing to take back
            commitment_id, status = found
            if status != entry.after["status"]:
                c = commitments.get_commitment(store, commitment_id)
                raise ReturnConflictError(
                    f"Commitment {c.code or c.id} has changed status since the return "
                    f"(now {c.status.label}); nothing was reverted.")
            changes.append((commitment_id, Status(entry.before["status"]), reason))
            current[entry.target_uid] = (commitment_id, entry.before["status"])
        commitments.set_statuses(store, changes)
        return len(changes)


class EvidenceKind:
    """Evidence the partner writes: always internal until an officer shares it."""

    kinds: ClassVar[tuple[str, ...]] = ("evidence_added",)
    counter = "evidence"

    @staticmethod
    def plan(store: Store, changes: list[NewEvidence], return_id: int,
             partner_id: int) -> evidence.EvidencePlanned:
        """Every change checked and stamped, in a fixed number of statements; `write`
        writes them."""
        items = [(c.commitment_id, EvidenceInput(
            c.item.text, c.item.evidence_date, c.item.period, partner_id, c.item.figure,
            c.item.unit, c.item.link, Visibility.INTERNAL)) for c in changes]
        return evidence.plan_evidence(store, items, return_id=return_id)

    @staticmethod
    def write(store: Store, planned: evidence.EvidencePlanned,
              written_already: set[int]) -> int:
        """Write the planned evidence; the commitments in `written_already` have been left
        with the stamps it gives them (StatusKind.write) and are not touched again. How many
        were written."""
        evidence.write_evidence(store, planned, written_already)
        return len(planned.written)

    @staticmethod
    def written_by(store: Store, return_id: int) -> list[Logged]:
        """The evidence the return added (still there), each as the return wrote it: stamped
        once, so its "last updated" was its "created" (an edit since moves it)."""
        return [Logged("evidence_added", uid, None, {"updated_at": created_at})
                for uid, created_at in store.execute(
                    "SELECT uid, created_at FROM evidence WHERE return_id = ? "
                    "ORDER BY created_at DESC, id DESC", (return_id,))]

    @staticmethod
    def revert_all(store: Store, entries: list[Logged], reason: str) -> int:
        """Remove the evidence the return added, unless edited since; how many were removed."""
        current = _current(store, "evidence", entries)
        doomed = []
        for entry in entries:
            ident = _as_written(current, entry, "Evidence this return added has been edited "
                                "since; nothing was reverted. Delete or keep that evidence by hand.")
            if ident is not None:
                doomed.append(ident)
                current[entry.target_uid] = None
        if doomed:
            evidence.delete_evidence_many(store, doomed)
        return len(doomed)


_VALUE_FIELDS = ("value", "state", "note", "source", "quote", "return_id", "updated_at")


class ValueKind:
    """An indicator value the partner reports for one period: new, or replacing one."""

    kinds: ClassVar[tuple[str, ...]] = ("value_added", "value_changed")
    counter = "value"

    @staticmethod
    def apply_all(store: Store, changes: list[NewValue], return_id: int,
                  partner_id: int) -> list[Logged]:
        """Every change, checked and written in a fixed number of statements."""
        if not changes:
            return []
        found = indicators.get_indicators(store, [c.indicator_id for c in changes])
        items = []
        for change in changes:
            if change.indicator_id not in found:
                raise NotFoundError(f"No indicator with id {change.indicator_id}.")
            items.append((found[change.indicator_id], change.item))
        planned = indicators.plan_values(store, items)
        stored = planned.stored
        for (indicator, _item, period, *_rest), change in zip(planned.checked, changes,
                                                              strict=True):
            existing = stored.get((indicator.id, "actual", period))
            if value_fingerprint(existing["updated_at"] if existing else None) != \
                    change.expected_fingerprint:
                raise ReturnConflictError(
                    f"The {period} value of '{indicator.name}' changed in the tracker since the "
                    "export; nothing was imported. Make a new preview.")
        logged = []
        for w in indicators.write_values(store, planned, return_id=return_id):
            if w.before is None:
                logged.append(Logged("value_added", w.uid, None, {"updated_at": w.updated_at}))
            else:
                logged.append(Logged("value_changed", w.uid,
                                     {k: w.before[k] for k in _VALUE_FIELDS},
                                     {"updated_at": w.updated_at}))
        return logged

    @staticmethod
    def revert_all(store: Store, entries: list[Logged], reason: str) -> int:
        """Remove the values the return added and put back those it replaced, unless changed
        since; how many were taken back."""
        current = _current(store, "indicator_value", entries)
        removed, restored = [], []
        for entry in entries:
            ident = _as_written(current, entry, "An indicator value this return wrote has been "
                                "changed since; nothing was reverted.")
            if ident is None:
                continue
            if entry.kind == "value_added":
                removed.append(ident)
                current[entry.target_uid] = None
            else:
                restored.append((*[entry.before[k] for k in _VALUE_FIELDS], ident))
                current[entry.target_uid] = (ident, entry.before["updated_at"])
        if removed:
            store.execute("DELETE FROM indicator_value WHERE id IN (SELECT value FROM json_each(?))",
                          (json.dumps(removed),))
        bulk.update_rows(store, "indicator_value", _VALUE_FIELDS, "id", restored)
        return len(removed) + len(restored)


def _as_written(current: dict[str, tuple | None], entry: Logged, refusal: str) -> int | None:
    """The id of the row the entry wrote if it is still as the return left it; None if it has
    been deleted since (nothing to take back); ReturnConflictError(refusal) if it has changed."""
    found = current.get(entry.target_uid)
    if found is None:
        return None
    if found[1] != entry.after["updated_at"]:
        raise ReturnConflictError(refusal)
    return found[0]


def _current(store: Store, table: str, entries: list[Logged],
             column: str = "updated_at") -> dict[str, tuple | None]:
    """The rows the entries name, by uid: (id, `column`)."""
    if not entries:
        return {}
    return {uid: (ident, value) for uid, ident, value in store.execute(
        f"SELECT uid, id, {column} FROM {table} WHERE uid IN (SELECT value FROM json_each(?))",
        (json.dumps([e.target_uid for e in entries]),))}


# Each logged kind -> the class that takes it back, in the order a return is taken back: the
# reverse of the order apply_return writes them in.
REVERT_ORDER: tuple[type[ValueKind] | type[EvidenceKind] | type[StatusKind], ...] = (
    ValueKind, EvidenceKind, StatusKind)
