"""A plan's life: starting the next plan from the last one, and closing a plan.

Starting a new plan carries chosen commitments forward (each keeps a link to its origin, with
its sub-points, lead and partners), maps every old priority onto a priority of the new plan,
and records the old commitments as carried forward. All of it is one transaction, and
`undo_new_plan` takes it back in one transaction too.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tracker.domain.model import PlanState
from tracker.domain.status import Status
from tracker.store.clock import new_uid, now, row_id
from tracker.store.commitments import get_commitment
from tracker.store.database import Store
from tracker.store.errors import ValidationError
from tracker.store.plans import (
    add_plan,
    add_priority,
    ensure_plan_open,
    get_plan,
    link_priorities,
    list_priorities,
    plan_id_of_priority,
)


@dataclass(frozen=True)
class NewPriority:
    number: int
    title: str
    objective: str | None = None
    partnership: str | None = None
    outcome: str | None = None


@dataclass
class NewPlanResult:
    plan_id: int
    # (old commitment id, its status before, the status_change row that marked it)
    marked: list[tuple[int, Status, int]] = field(default_factory=list)
    carried: dict[int, int] = field(default_factory=dict)  # old commitment id -> new id


def new_plan_from(store: Store, source_plan_id: int, title: str, period: str,
                  priorities: list[NewPriority], priority_map: dict[int, int],
                  carry: list[int], mark_carried: bool = True) -> NewPlanResult:
    """Make a draft plan with `priorities`; `priority_map` sends each old priority id to a new
    priority number; `carry` lists the old top-level commitments to bring across."""
    if not priorities:
        raise ValidationError("The new plan needs at least one priority.", "priorities")
    numbers = [p.number for p in priorities]
    if len(set(numbers)) != len(numbers):
        raise ValidationError("Two new priorities have the same number.", "priorities")
    for p in priorities:
        if not p.title.strip():
            raise ValidationError(f"New priority {p.number} needs a title.", "priorities")
    source = get_plan(store, source_plan_id)
    old_priorities = {p.id: p for p in list_priorities(store, source_plan_id)}
    for old_id, number in priority_map.items():
        if old_id not in old_priorities:
            raise ValidationError(f"Priority {old_id} is not in {source.title}.", "priority_map")
        if number not in numbers:
            raise ValidationError(f"There is no new priority {number}.", "priority_map")
    with store.transaction():
        plan_id = add_plan(store, title, period, PlanState.DRAFT, created_from=source_plan_id)
        new_ids = {p.number: add_priority(store, plan_id, p.number, p.title, objective=p.objective,
                                          partnership=p.partnership, outcome=p.outcome)
                   for p in priorities}
        for old_id, number in priority_map.items():
            link_priorities(store, old_id, new_ids[number], "carried forward")
        result = NewPlanResult(plan_id)
        positions: dict[int, int] = {}
        for old_id in carry:
            row = store.execute("SELECT c.priority_id, c.parent_id, c.status FROM commitment c "
                                "JOIN priority p ON p.id = c.priority_id "
                                "WHERE c.id = ? AND p.plan_id = ?",
                                (old_id, source_plan_id)).fetchone()
            if row is None or row[1] is not None:
                raise ValidationError(f"Commitment {old_id} is not a commitment of {source.title}.",
                                      "carry")
            if row[0] not in priority_map:
                raise ValidationError("Choose a new priority for every priority whose "
                                      "commitments are carried forward.", "priority_map")
            target = new_ids[priority_map[row[0]]]
            positions[target] = positions.get(target, 0) + 1
            result.carried[old_id] = _copy_commitment(store, old_id, target, None, positions[target])
            if mark_carried and not source.is_closed and Status(row[2]) is not Status.CARRIED_FORWARD:
                stamp = now()
                store.execute("UPDATE commitment SET status = ?, updated_at = ? WHERE id = ?",
                              (Status.CARRIED_FORWARD.value, stamp, old_id))
                change = store.execute(
                    "INSERT INTO status_change (id, uid, commitment_id, changed_at, changed_by, "
                    "from_status, to_status, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    (row_id(uid := new_uid()), uid, old_id, stamp, store.officer, row[2],
                     Status.CARRIED_FORWARD.value,
                     f"Carried forward into {' '.join(title.split())}"),
                ).lastrowid
                result.marked.append((old_id, Status(row[2]), change))
    return result


def _copy_commitment(store: Store, old_id: int, priority_id: int, parent_id: int | None,
                     position: int) -> int:
    stamp = now()
    new_id = store.execute(
        "INSERT INTO commitment (id, uid, priority_id, parent_id, position, code, text, status, "
        "lead, due_date, carried_forward_from_id, created_at, updated_at) "
        "SELECT ?, ?, ?, ?, ?, code, text, 'not_assessed', lead, NULL, id, ?, ? "
        "FROM commitment WHERE id = ?",
        (row_id(uid := new_uid()), uid, priority_id, parent_id, position, stamp, stamp, old_id),
    ).lastrowid
    store.execute("INSERT INTO commitment_partner (commitment_id, partner_id) "
                  "SELECT ?, partner_id FROM commitment_partner WHERE commitment_id = ?",
                  (new_id, old_id))
    subs = [r[0] for r in store.execute(
        "SELECT id FROM commitment WHERE parent_id = ? ORDER BY position, id", (old_id,))]
    for i, sub in enumerate(subs, start=1):
        _copy_commitment(store, sub, priority_id, new_id, i)
    return new_id


def undo_new_plan(store: Store, result: NewPlanResult) -> None:
    """Remove the plan made by `new_plan_from` and give the old commitments their status back."""
    with store.transaction():
        for old_id, before, change_id in result.marked:
            store.execute("DELETE FROM status_change WHERE id = ?", (change_id,))
            store.execute("UPDATE commitment SET status = ?, updated_at = ? WHERE id = ?",
                          (before.value, now(), old_id))
        store.execute("DELETE FROM plan WHERE id = ?", (result.plan_id,))


def close_plan(store: Store, plan_id: int) -> PlanState:
    """Close a plan (read-only from then on); returns the state it had, for undo."""
    with store.transaction():
        before = get_plan(store, plan_id).state
        store.execute("UPDATE plan SET state = ?, updated_at = ? WHERE id = ?",
                      (PlanState.CLOSED.value, now(), plan_id))
        return before


def reopen_plan(store: Store, plan_id: int, state: PlanState = PlanState.ACTIVE) -> None:
    with store.transaction():
        store.execute("UPDATE plan SET state = ?, updated_at = ? WHERE id = ?",
                      (PlanState(state).value, now(), plan_id))


def revert_status_change(store: Store, change_id: int) -> None:
    """Take back one status change (undo): the commitment returns to the status it had and the
    history row goes. Only the latest change of a commitment can be taken back."""
    with store.transaction():
        row = store.execute("SELECT commitment_id, from_status FROM status_change WHERE id = ?",
                            (change_id,)).fetchone()
        if row is None:
            raise ValidationError("That status change is no longer in the history.")
        ensure_plan_open(store, plan_id_of_priority(store, get_commitment(store, row[0]).priority_id))
        latest = store.execute("SELECT id FROM status_change WHERE commitment_id = ? "
                               "ORDER BY changed_at DESC, id DESC LIMIT 1", (row[0],)).fetchone()
        if latest[0] != change_id:
            raise ValidationError("The status has changed again since; undo that change first.")
        store.execute("DELETE FROM status_change WHERE id = ?", (change_id,))
        store.execute("UPDATE commitment SET status = ?, updated_at = ? WHERE id = ?",
                      (row[1] or Status.NOT_ASSESSED.value, now(), row[0]))

