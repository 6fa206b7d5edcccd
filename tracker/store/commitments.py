"""Commitments ("We will"), their sub-points, and status changes with history."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from tracker.domain.model import Commitment, StatusChange
from tracker.domain.periods import PeriodError, parse_period
from tracker.domain.status import Status
from tracker.store import bulk, rows, texts
from tracker.store.clock import new_ids, new_uid, now, row_id
from tracker.store.database import Store
from tracker.store.errors import NotFoundError, ValidationError
from tracker.store.plans import ensure_plan_open, ensure_plans_open, plan_id_of_priority

EDITABLE = ("code", "text", "lead", "due_date", "source", "carried_forward_from_id")
TEXT_LABELS = {"text": "The commitment text", "code": "The commitment code", "lead": "The lead",
               "source": "The source"}


def get_commitment(store: Store, commitment_id: int) -> Commitment:
    for r in store.db.query("SELECT * FROM commitment WHERE id = ?", [commitment_id]):
        return rows.commitment(r)
    raise NotFoundError(f"No commitment with id {commitment_id}.")


def find_commitment_by_uid(store: Store, uid: str) -> Commitment | None:
    for r in store.db.query("SELECT * FROM commitment WHERE uid = ?", [uid]):
        return rows.commitment(r)
    return None


def with_uid_prefix(store: Store, prefix: str, limit: int = 2) -> list[Commitment]:
    """Commitments whose UUID (without its dashes) starts with `prefix` (hex, lower case)."""
    return [rows.commitment(r) for r in store.db.query(
        "SELECT * FROM commitment WHERE replace(uid, '-', '') LIKE ? ORDER BY id LIMIT ?",
        [prefix + "%", limit])]


def children(store: Store, commitment_id: int) -> list[Commitment]:
    return [rows.commitment(r) for r in store.db.query(
        "SELECT * FROM commitment WHERE parent_id = ? ORDER BY position", [commitment_id])]


def list_commitments(store: Store, priority_id: int) -> list[Commitment]:
    """Top-level commitments of a priority, in plan order."""
    return [rows.commitment(r) for r in store.db.query(
        "SELECT * FROM commitment WHERE priority_id = ? AND parent_id IS NULL ORDER BY position",
        [priority_id])]


def validate_text(text: str) -> str:
    texts.check(text, TEXT_LABELS["text"], "text")
    clean = " ".join(str(text or "").split())
    if not clean:
        raise ValidationError("The commitment text cannot be empty.", "text")
    return clean


def add_commitment(store: Store, priority_id: int, text: str, *, code: str | None = None,
                   parent_id: int | None = None, position: int | None = None,
                   lead: str | None = None, due_date: str | None = None,
                   carried_forward_from_id: int | None = None, source: str | None = None,
                   uid: str | None = None) -> int:
    text = validate_text(text)
    texts.check_fields({"code": code, "lead": lead, "source": source}, TEXT_LABELS)
    stamp = now()
    with store.transaction():
        ensure_plan_open(store, plan_id_of_priority(store, priority_id))
        if position is None:
            position = store.execute(
                "SELECT coalesce(max(position), 0) + 1 FROM commitment WHERE priority_id = ? "
                "AND parent_id IS ?", (priority_id, parent_id)).fetchone()[0]
        else:
            store.execute("UPDATE commitment SET position = position + 1 WHERE priority_id = ? "
                          "AND parent_id IS ? AND position >= ?", (priority_id, parent_id, position))
        return store.execute(
            "INSERT INTO commitment (id, uid, priority_id, parent_id, position, code, text, "
            "lead, due_date, carried_forward_from_id, source, created_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (row_id(uid := uid or new_uid()), uid, priority_id, parent_id, position, code or None, text, lead,
             due_date, carried_forward_from_id, source, stamp, stamp),
        ).lastrowid


def update_commitment(store: Store, commitment_id: int, **fields: Any) -> None:
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise ValueError(f"cannot edit {', '.join(sorted(unknown))}")
    texts.check_fields(fields, TEXT_LABELS)
    if "text" in fields:
        fields["text"] = validate_text(fields["text"])
    if not fields:
        return
    with store.transaction():
        current = get_commitment(store, commitment_id)
        ensure_plan_open(store, plan_id_of_priority(store, current.priority_id))
        assignments = ", ".join(f"{k} = ?" for k in fields)
        store.execute(f"UPDATE commitment SET {assignments}, updated_at = ? WHERE id = ?",
                      (*fields.values(), now(), commitment_id))


def delete_commitment(store: Store, commitment_id: int) -> None:
    with store.transaction():
        current = get_commitment(store, commitment_id)
        ensure_plan_open(store, plan_id_of_priority(store, current.priority_id))
        store.execute("DELETE FROM commitment WHERE id = ?", (commitment_id,))


@dataclass(frozen=True, slots=True)
class StatusWritten:
    commitment_id: int
    uid: str  # the commitment's
    before: Status
    after: Status


def _status_reason(reason: str | None) -> str:
    """The reason a status change keeps, tidied; ValidationError when there is none."""
    texts.check(reason, "The reason", "reason")
    tidy = " ".join(str(reason or "").split())
    if not tidy:
        raise ValidationError("Say why the status changes: a reason is required.", "reason")
    return tidy


def _status_period(period: str | None) -> str | None:
    """The reporting period a status is for as its label, or None when none is said."""
    if period is None or not str(period).strip():
        return None
    try:
        return parse_period(str(period)).label
    except PeriodError as exc:
        raise ValidationError(f"The period the status is for: {exc}", "period") from exc


@dataclass
class StatusesPlanned:
    """Status changes checked and stamped (`plan_statuses`), not yet written."""

    written: list[StatusWritten]
    updates: list[tuple[str, str, int]]  # (status, stamp, commitment id) of each change
    history: list[tuple]  # the status_change rows

    @property
    def changed_ids(self) -> set[int]:
        """The commitments whose row the changes write."""
        return {commitment_id for _status, _stamp, commitment_id in self.updates}


def set_statuses(store: Store, changes: list[tuple[int, Status, str]], *,
                 return_id: int | None = None, period: str | None = None) -> list[StatusWritten]:
    """set_status for many commitments at once (a partner's return, `period` its round): the
    same checks and rows, in a fixed number of statements. NotFoundError names a commitment
    that is gone."""
    checked, period = _checked_statuses(changes, period)
    with store.transaction():
        planned = _plan_statuses(store, checked, return_id, period)
        write_statuses(store, planned)
    return planned.written


def _checked_statuses(changes: list[tuple[int, Status, str]],
                      period: str | None) -> tuple[list[tuple[int, Status, str]], str | None]:
    period = _status_period(period)
    checked = []
    for commitment_id, status, reason in changes:
        reason = _status_reason(reason)
        checked.append((commitment_id, Status(status), reason))
    return checked, period


def plan_statuses(store: Store, changes: list[tuple[int, Status, str]], *,
                  return_id: int | None = None, period: str | None = None) -> StatusesPlanned:
    """set_statuses' checks and stamps, inside the caller's transaction, writing nothing:
    `write_statuses` writes them. (A return plans its evidence between the two, so that a
    commitment given both is written once.)"""
    checked, period = _checked_statuses(changes, period)
    return _plan_statuses(store, checked, return_id, period)


def _plan_statuses(store: Store, checked: list[tuple[int, Status, str]], return_id: int | None,
                   period: str | None) -> StatusesPlanned:
    written: list[StatusWritten] = []
    current = {cid: (uid, Status(status), plan_id) for cid, uid, status, plan_id in store.execute(
        "SELECT c.id, c.uid, c.status, pr.plan_id FROM commitment c "
        "JOIN priority pr ON pr.id = c.priority_id "
        "WHERE c.id IN (SELECT value FROM json_each(?))",
        (json.dumps([c[0] for c in checked]),))}
    for commitment_id, _status, _reason in checked:
        if commitment_id not in current:
            raise NotFoundError(f"No commitment with id {commitment_id}.")
    ensure_plans_open(store, {plan_id for _uid, _st, plan_id in current.values()})
    updates, history = [], []
    ids = iter(new_ids(len(checked)))
    for commitment_id, status, reason in checked:
        uid, before, _plan = current[commitment_id]
        written.append(StatusWritten(commitment_id, uid, before, status))
        if before is status:
            continue
        stamp = now()
        current[commitment_id] = (uid, status, _plan)
        updates.append((status.value, stamp, commitment_id))
        change_id, change_uid = next(ids)
        history.append((change_id, change_uid, commitment_id, stamp,
                        store.officer, before.value, status.value, reason, return_id,
                        period))
    return StatusesPlanned(written, updates, history)


def write_statuses(store: Store, planned: StatusesPlanned,
                   updated_at: Mapping[int, str] | None = None) -> None:
    """Write planned status changes. `updated_at`: the "last updated" stamp a commitment is
    left with instead of its change's, for commitments that later writes of the same
    transaction touch (a return's evidence): written now, their rows are not updated again."""
    updates = planned.updates
    if updated_at:
        updates = [(status, updated_at.get(cid, stamp), cid) for status, stamp, cid in updates]
    bulk.update_rows(store, "commitment", ("status", "updated_at"), "id", updates)
    bulk.insert_rows(store, "status_change", (
        "id", "uid", "commitment_id", "changed_at", "changed_by", "from_status",
        "to_status", "reason", "return_id", "period"), planned.history)


def set_status(store: Store, commitment_id: int, status: Status, reason: str, *,
               return_id: int | None = None, changed_by: str | None = None,
               period: str | None = None) -> int | None:
    """Change the status and record who, when, from, to and why, and the reporting period it
    is reported for when one is said. Returns the history row id, or None when the status is
    already the one asked for."""
    reason = _status_reason(reason)
    status = Status(status)
    period = _status_period(period)
    with store.transaction():
        current = get_commitment(store, commitment_id)
        ensure_plan_open(store, plan_id_of_priority(store, current.priority_id))
        if current.status is status:
            return None
        stamp = now()
        store.execute("UPDATE commitment SET status = ?, updated_at = ? WHERE id = ?",
                      (status.value, stamp, commitment_id))
        return store.execute(
            "INSERT INTO status_change (id, uid, commitment_id, changed_at, changed_by, "
            "from_status, to_status, reason, return_id, period) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (row_id(uid := new_uid()), uid, commitment_id, stamp, changed_by or store.officer,
             current.status.value, status.value, reason, return_id, period),
        ).lastrowid


def status_history(store: Store, commitment_id: int) -> list[StatusChange]:
    """Newest first; a change a partner's return made names the partner and the round."""
    return [rows.status_change(r) for r in store.db.query(
        "SELECT s.*, p.name AS return_partner, r.round AS return_round FROM status_change s "
        "LEFT JOIN partner_return r ON r.id = s.return_id LEFT JOIN partner p ON p.id = "
        "r.partner_id WHERE s.commitment_id = ? ORDER BY s.changed_at DESC, s.id DESC",
        [commitment_id])]


def status_at(store: Store, commitment_id: int, before: str) -> Status:
    """The status a commitment had just before the ISO timestamp `before`."""
    for r in store.db.query(
        "SELECT to_status FROM status_change WHERE commitment_id = ? AND changed_at < ? "
        "ORDER BY changed_at DESC, id DESC LIMIT 1", [commitment_id, before]):
        return Status(r["to_status"])
    for r in store.db.query(
        "SELECT from_status FROM status_change WHERE commitment_id = ? "
        "ORDER BY changed_at, id LIMIT 1", [commitment_id]):
        return Status(r["from_status"]) if r["from_status"] else Status.NOT_ASSESSED
    return get_commitment(store, commitment_id).status


@dataclass(frozen=True)
class RemovedCommitment:
    """Everything a commitment delete took away, so that undo can put it back: the commitment
    and its sub-points, their evidence, status history and partners, and the commitments of
    later plans that named it as their origin."""

    priority_id: int
    parent_id: int | None
    position: int
    commitments: list[dict]
    evidence: list[dict]
    history: list[dict]
    partners: list[dict]
    carried_from_here: dict[int, str]  # commitment id of a later plan -> uid of its origin

    @property
    def counts(self) -> tuple[int, int]:
        """(sub-points, evidence rows) that go with it."""
        return len(self.commitments) - 1, len(self.evidence)


_SUBTREE = """
    WITH RECURSIVE tree(id, depth) AS (
        SELECT id, 0 FROM commitment WHERE id = ?
        UNION ALL SELECT c.id, tree.depth + 1 FROM commitment c JOIN tree ON c.parent_id = tree.id
    )
"""


def removal_of(store: Store, commitment_id: int) -> RemovedCommitment:
    """What deleting the commitment would take away (nothing is written)."""
    current = get_commitment(store, commitment_id)
    params = [commitment_id]

    def rows(select: str) -> list[dict]:
        return list(store.db.query(_SUBTREE + select, params))

    return RemovedCommitment(
        current.priority_id, current.parent_id, current.position,
        rows("SELECT c.* FROM commitment c JOIN tree ON tree.id = c.id ORDER BY tree.depth, c.position"),
        rows("SELECT e.* FROM evidence e JOIN tree ON tree.id = e.commitment_id ORDER BY e.id"),
        rows("SELECT s.* FROM status_change s JOIN tree ON tree.id = s.commitment_id ORDER BY s.id"),
        rows("SELECT p.* FROM commitment_partner p JOIN tree ON tree.id = p.commitment_id"),
        {r["id"]: r["origin_uid"] for r in rows(
            "SELECT later.id, origin.uid AS origin_uid FROM commitment later "
            "JOIN commitment origin ON origin.id = later.carried_forward_from_id "
            "JOIN tree ON tree.id = origin.id")},
    )


def remove_commitment(store: Store, commitment_id: int) -> RemovedCommitment:
    """Delete a commitment with its sub-points and evidence, in one transaction; the return
    value puts it all back with restore_commitment."""
    with store.transaction():
        removed = removal_of(store, commitment_id)
        ensure_plan_open(store, plan_id_of_priority(store, removed.priority_id))
        store.execute("DELETE FROM commitment WHERE id = ?", (commitment_id,))
        store.execute("UPDATE commitment SET position = position - 1 WHERE priority_id = ? "
                      "AND parent_id IS ? AND position > ?",
                      (removed.priority_id, removed.parent_id, removed.position))
        return removed


def restore_commitment(store: Store, removed: RemovedCommitment) -> int:
    """Put a removed commitment back where it was, with its identifiers (uids) and, where
    still free, its row ids. Returns the commitment's row id."""
    with store.transaction():
        ensure_plan_open(store, plan_id_of_priority(store, removed.priority_id))
        store.execute("UPDATE commitment SET position = position + 1 WHERE priority_id = ? "
                      "AND parent_id IS ? AND position >= ?",
                      (removed.priority_id, removed.parent_id, removed.position))
        new_ids: dict[int, int] = {}
        for row in removed.commitments:  # parents come before their sub-points
            # Back under its old row id when that is still free, so that anything holding the
            # id (undo commands, the window's selection) still finds it.
            free = store.execute("SELECT 1 FROM commitment WHERE id = ?", (row["id"],)).fetchone() is None
            fields = {k: v for k, v in row.items() if k != "id" or free}
            fields["parent_id"] = new_ids.get(row["parent_id"], row["parent_id"])
            new_ids[row["id"]] = _insert(store, "commitment", fields)
        for table, rows_ in (("evidence", removed.evidence), ("status_change", removed.history),
                             ("commitment_partner", removed.partners)):
            for row in rows_:
                free = "id" in row and store.execute(
                    f"SELECT 1 FROM {table} WHERE id = ?", (row["id"],)).fetchone() is None
                fields = {k: v for k, v in row.items() if k != "id" or free}
                fields["commitment_id"] = new_ids[row["commitment_id"]]
                _insert(store, table, fields)
        for later_id, origin_uid in removed.carried_from_here.items():
            store.execute("UPDATE commitment SET carried_forward_from_id = "
                          "(SELECT id FROM commitment WHERE uid = ?) WHERE id = ?",
                          (origin_uid, later_id))
        return new_ids[removed.commitments[0]["id"]]


def _insert(store: Store, table: str, fields: dict) -> int:
    names = ", ".join(fields)
    marks = ", ".join("?" for _ in fields)
    return store.execute(f"INSERT INTO {table} ({names}) VALUES ({marks})",
                         tuple(fields.values())).lastrowid
