"""Operations on commitments: status, fields, partners, adding and deleting."""

from __future__ import annotations

from typing import Any

from tracker.domain.status import Status
from tracker.domain.wording import count_of, quoted
from tracker.ops.core import operation
from tracker.ops.result import OpResult
from tracker.ops.wording import commitment_label
from tracker.store import commitments, edits, partners, plans
from tracker.store.database import Store
from tracker.store.errors import ValidationError


def parse_status(text: str | Status) -> Status:
    """A status from its word in any case ("on track", "On Track", "on_track")."""
    if isinstance(text, Status):
        return text
    try:
        return Status.parse(str(text).replace("-", " "))
    except ValueError as exc:
        raise ValidationError(str(exc) + ".", "status") from None


def set_status(store: Store, commitment_id: int, status: Status | str, reason: str) -> OpResult:
    """Change a commitment's status; the reason goes into its history with who and when."""
    status = parse_status(status)
    current = commitments.get_commitment(store, commitment_id)
    if current.status is status:
        raise ValidationError(f"The status of {commitment_label(store, commitment_id)} is "
                              f"already {status.label}; nothing was changed.", "status")
    with operation(store, "set_status") as op:
        op.value = commitments.set_status(store, commitment_id, status, reason)
        clean = " ".join(str(reason).split())
        op.summary = (f"Set {commitment_label(store, commitment_id)} from {current.status.label} "
                      f"to {status.label}: {clean}")
    return op.result


def set_statuses(store: Store, commitment_ids: list[int], status: Status | str,
                 reason: str) -> OpResult:
    """Set the status of many commitments at once, with one reason: ONE operation (one
    transaction, one activity log entry, undone as one step). Those already at the status are
    left as they are; `value` is the ids whose status changed."""
    status = parse_status(status)
    ids = list(dict.fromkeys(commitment_ids))
    if not ids:
        raise ValidationError("Choose the commitments whose status to set.", "status")
    if len(ids) == 1:
        return set_status(store, ids[0], status, reason)
    current = {i: commitments.get_commitment(store, i) for i in ids}
    moving = [i for i in ids if current[i].status is not status]
    if not moving:
        raise ValidationError(f"All {len(ids)} commitments are already {status.label}; nothing "
                              "was changed.", "status")
    clean = " ".join(str(reason or "").split())
    with operation(store, "set_statuses") as op:
        # The store's batch: read again inside the transaction, in a fixed number of statements.
        written = commitments.set_statuses(store, [(i, status, reason) for i in moving])
        moving = [w.commitment_id for w in written if w.before is not w.after]
        op.value = moving
        labels = [commitment_label(store, i) for i in moving]
        shown = ", ".join(labels[:4]) + (f" and {count_of(len(labels) - 4, 'other')}"
                                         if len(labels) > 4 else "")
        kept = len(ids) - len(moving)
        extra = f" ({count_of(kept, 'other')} already {status.label})" if kept else ""
        op.summary = (f"Set {count_of(len(moving), 'commitment')} to {status.label}{extra}: "
                      f"{clean} ({shown})")
    return op.result


FIELD_WORDS = {"due_date": "due date", "code": "code", "text": "text", "lead": "lead",
               "source": "source", "title": "title", "period": "period",
               "objective": "objective", "partnership": "partnership", "outcome": "outcome",
               "number": "number", "carried_forward_from_id": "origin"}


def _fields_words(fields: dict[str, Any]) -> str:
    return " and ".join(FIELD_WORDS.get(k, k.replace("_", " ")) for k in fields)


def edit_commitment(store: Store, commitment_id: int, **fields: Any) -> OpResult:
    """Change fields of a commitment (code, text, lead, due_date, source)."""
    with operation(store, "edit_commitment") as op:
        edits.edit_commitment(store, commitment_id, **fields)
        op.summary = f"Changed the {_fields_words(fields)} of {commitment_label(store, commitment_id)}"
    return op.result


def edit_priority(store: Store, priority_id: int, **fields: Any) -> OpResult:
    with operation(store, "edit_priority") as op:
        plans.update_priority(store, priority_id, **fields)
        p = plans.get_priority(store, priority_id)
        op.summary = f"Changed the {_fields_words(fields)} of priority {p.number}"
    return op.result


def edit_plan(store: Store, plan_id: int, **fields: Any) -> OpResult:
    with operation(store, "edit_plan") as op:
        plans.update_plan(store, plan_id, **fields)
        op.summary = f"Changed the {_fields_words(fields)} of {plans.get_plan(store, plan_id).title}"
    return op.result


EDITORS = {"plan": edit_plan, "priority": edit_priority, "commitment": edit_commitment}


def edit_fields(store: Store, kind: str, item_id: int, **fields: Any) -> OpResult:
    """edit_plan, edit_priority or edit_commitment, by kind ("plan", "priority", "commitment")."""
    return EDITORS[kind](store, item_id, **fields)


def set_partners(store: Store, commitment_id: int, partner_ids: list[int]) -> OpResult:
    with operation(store, "set_partners") as op:
        partners.set_commitment_partners(store, commitment_id, partner_ids)
        op.summary = (f"Set the partners of {commitment_label(store, commitment_id)} "
                      f"({count_of(len(set(partner_ids)), 'partner')})")
    return op.result


def add_commitment(store: Store, priority_id: int, text: str, *, code: str | None = None,
                   parent_id: int | None = None, lead: str | None = None,
                   due_date: str | None = None, partner_ids: list[int] | None = None,
                   sub_points: list[str] | None = None) -> OpResult:
    """A new commitment at the end of its priority (or a sub-point at the end of `parent_id`),
    with its lead, due date (read day first: 15/11/2026), partners and sub-points, in one
    operation; `value` is its id. Sub-points are coded after it ("C.1", "C.2") when it has a
    code."""
    fields = edits.clean_commitment_fields({"text": text, "code": code, "lead": lead,
                                            "due_date": due_date})
    points = [" ".join(str(p).split()) for p in (sub_points or [])]
    points = [p for p in points if p]
    if parent_id is not None and points:
        raise ValidationError("A sub-point cannot have sub-points of its own.", "sub_points")
    with operation(store, "add_commitment") as op:
        new_id = commitments.add_commitment(store, priority_id, fields["text"],
                                            code=fields["code"], parent_id=parent_id,
                                            lead=fields["lead"], due_date=fields["due_date"])
        for n, point in enumerate(points, start=1):
            commitments.add_commitment(
                store, priority_id, point, parent_id=new_id,
                code=f"{fields['code']}.{n}" if fields["code"] else str(n))
        if partner_ids:
            partners.set_commitment_partners(store, new_id, list(partner_ids))
        op.value = new_id
        if parent_id:
            op.summary = (f"Added a sub-point to {commitment_label(store, parent_id)}: "
                          f"{quoted(text, 60)}")
        else:
            extra = f" with {count_of(len(points), 'sub-point')}" if points else ""
            op.summary = f"Added {commitment_label(store, new_id)}{extra}: {quoted(text, 60)}"
    return op.result


def delete_commitment(store: Store, commitment_id: int) -> OpResult:
    """Delete a commitment with its sub-points, evidence, history and partners (undo puts all
    of it back); `value` is what was removed (a RemovedCommitment)."""
    label = commitment_label(store, commitment_id)
    with operation(store, "delete_commitment") as op:
        removed = commitments.remove_commitment(store, commitment_id)
        subs, items = removed.counts
        extra = [count_of(n, w) for n, w in ((subs, "sub-point"), (items, "evidence item")) if n]
        op.summary = f"Deleted {label}" + (f" with {' and '.join(extra)}" if extra else "")
        op.value = removed
    return op.result
