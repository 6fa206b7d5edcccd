"""Plans and priorities, and the whole tree of a plan in one call."""

from __future__ import annotations

import json
from typing import Any

from tracker.domain.changes import uid_prefix
from tracker.domain.model import (
    CommitmentNode,
    Plan,
    PlanState,
    PlanTree,
    Priority,
    PriorityNode,
)
from tracker.store import rows, texts
from tracker.store.clock import new_uid, now, row_id
from tracker.store.database import Store
from tracker.store.errors import NotFoundError, ValidationError
from tracker.store.rows import update_row

PLAN_FIELDS = ("title", "period", "source")
PRIORITY_FIELDS = ("number", "title", "objective", "partnership", "outcome", "source")
PLAN_LABELS = {"title": "The plan title", "period": "The plan period", "source": "The source",
               "key": "The plan key"}
PRIORITY_LABELS = {"title": "The priority title", "objective": "The objective",
                   "partnership": "The partnership", "outcome": "The outcome",
                   "source": "The source"}


def list_plans(store: Store) -> list[Plan]:
    return [rows.plan(r) for r in store.query("SELECT * FROM plan ORDER BY period, id")]


def get_plan(store: Store, plan_id: int) -> Plan:
    for r in store.query("SELECT * FROM plan WHERE id = ?", [plan_id]):
        return rows.plan(r)
    raise NotFoundError(f"No plan with id {plan_id}.")


def find_plan(store: Store, ref: str) -> Plan:
    """A plan by key, by id or the start of its UUID (its `ref`), by title (any case), or by
    period, tried in that order; refused in a sentence when nothing matches, or when a title or
    period is shared by several plans (two plans of 2021-2024), naming their refs."""
    text = " ".join(str(ref).split())
    every = list_plans(store)
    hexed = uid_prefix(text)
    tiers = (
        [p for p in every if p.key == text],
        [p for p in every if str(p.id) == text
         or (hexed is not None and p.uid.replace("-", "").startswith(hexed))],
        [p for p in every if p.title.lower() == text.lower()],
        [p for p in every if p.period == text],
    )
    for found in tiers:
        if len(found) == 1:
            return found[0]
        if found:
            named = "; ".join(f"{p.ref} ({p.title}, {p.period})" for p in found)
            raise NotFoundError(f"'{ref}' names {len(found)} plans: {named}. Name one by what "
                                "stands before its title.")
    known = "; ".join(f"{p.ref} ({p.title})" for p in every)
    raise NotFoundError(f"No plan '{ref}'. Plans in this database: {known or 'none'}.")


def default_plan(store: Store) -> Plan | None:
    """The active plan with the latest period, else the latest plan."""
    plans = list_plans(store)
    active = [p for p in plans if p.state is PlanState.ACTIVE]
    if active:
        # A lookup per priority in the commitment_priority index (joining every commitment
        # made this the longest query of opening the window on 10,000 commitments).
        with_commitments = {r[0] for r in store.execute(
            "SELECT DISTINCT p.plan_id FROM priority p WHERE EXISTS "
            "(SELECT 1 FROM commitment c WHERE c.priority_id = p.id)")}
        preferred = [p for p in active if p.id in with_commitments] or active
        return preferred[-1]
    return plans[-1] if plans else None


def add_plan(store: Store, title: str, period: str, state: PlanState = PlanState.DRAFT,
             key: str | None = None, source: str | None = None,
             created_from: int | None = None, uid: str | None = None) -> int:
    texts.check_fields({"title": title, "period": period, "source": source, "key": key},
                       PLAN_LABELS)
    title = " ".join(title.split())
    if not title:
        raise ValidationError("A plan needs a title.", "title")
    if not period.strip():
        raise ValidationError("A plan needs a period, for example 2021-2024.", "period")
    stamp = now()
    with store.transaction():
        return store.execute(
            "INSERT INTO plan (id, uid, key, title, period, state, source, created_from_plan_id, "
            "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (row_id(uid := uid or new_uid()), uid, key, title, period.strip(), PlanState(state).value, source,
             created_from, stamp, stamp),
        ).lastrowid


def update_plan(store: Store, plan_id: int, **fields: Any) -> None:
    _check_fields(fields, PLAN_FIELDS)
    texts.check_fields(fields, PLAN_LABELS)
    if "title" in fields and not str(fields["title"]).strip():
        raise ValidationError("A plan needs a title.", "title")
    if "period" in fields:  # the same rule as add_plan
        fields["period"] = str(fields["period"] or "").strip()
        if not fields["period"]:
            raise ValidationError("A plan needs a period, for example 2021-2024.", "period")
    with store.transaction():
        ensure_plan_open(store, plan_id)
        _update(store, "plan", plan_id, fields)


def set_plan_state(store: Store, plan_id: int, state: PlanState) -> None:
    with store.transaction():
        store.execute("UPDATE plan SET state = ?, updated_at = ? WHERE id = ?",
                      (PlanState(state).value, now(), plan_id))


def ensure_plan_open(store: Store, plan_id: int) -> None:
    plan = get_plan(store, plan_id)
    if plan.is_closed:
        raise ValidationError(f"{plan.title} is closed; reopen it to make changes.")


def ensure_plans_open(store: Store, plan_ids: set[int]) -> None:
    """ensure_plan_open for many plans in one query."""
    for title, state in store.execute(
            "SELECT title, state FROM plan WHERE id IN (SELECT value FROM json_each(?))",
            (json.dumps(sorted(plan_ids)),)):
        if state == "closed":
            raise ValidationError(f"{title} is closed; reopen it to make changes.")


def plan_id_of_priority(store: Store, priority_id: int) -> int:
    for r in store.query("SELECT plan_id FROM priority WHERE id = ?", [priority_id]):
        return r["plan_id"]
    raise NotFoundError(f"No priority with id {priority_id}.")


def list_priorities(store: Store, plan_id: int) -> list[Priority]:
    return [rows.priority(r) for r in store.query(
        "SELECT * FROM priority WHERE plan_id = ? ORDER BY number", [plan_id])]


def get_priority(store: Store, priority_id: int) -> Priority:
    for r in store.query("SELECT * FROM priority WHERE id = ?", [priority_id]):
        return rows.priority(r)
    raise NotFoundError(f"No priority with id {priority_id}.")


def add_priority(store: Store, plan_id: int, number: int, title: str, *,
                 objective: str | None = None, partnership: str | None = None,
                 outcome: str | None = None, source: str | None = None,
                 uid: str | None = None) -> int:
    texts.check_fields({"title": title, "objective": objective, "partnership": partnership,
                        "outcome": outcome, "source": source}, PRIORITY_LABELS)
    if not title.strip():
        raise ValidationError("A priority needs a title.", "title")
    stamp = now()
    with store.transaction():
        ensure_plan_open(store, plan_id)
        _ensure_number_free(store, plan_id, number)
        return store.execute(
            "INSERT INTO priority (id, uid, plan_id, number, title, objective, partnership, "
            "outcome, source, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (row_id(uid := uid or new_uid()), uid, plan_id, number, " ".join(title.split()),
             objective, partnership,
             outcome, source, stamp, stamp),
        ).lastrowid


def update_priority(store: Store, priority_id: int, **fields: Any) -> None:
    _check_fields(fields, PRIORITY_FIELDS)
    texts.check_fields(fields, PRIORITY_LABELS)
    if "title" in fields and not str(fields["title"]).strip():
        raise ValidationError("A priority needs a title.", "title")
    with store.transaction():
        plan_id = plan_id_of_priority(store, priority_id)
        ensure_plan_open(store, plan_id)
        if "number" in fields:
            _ensure_number_free(store, plan_id, fields["number"], priority_id)
        _update(store, "priority", priority_id, fields)


def _ensure_number_free(store: Store, plan_id: int, number: int, own_id: int | None = None) -> None:
    taken = store.execute("SELECT title FROM priority WHERE plan_id = ? AND number = ? "
                          "AND id IS NOT ?", (plan_id, number, own_id)).fetchone()
    if taken:
        raise ValidationError(f"Priority {number} of this plan is already “{taken[0]}”.",
                              "number")


def link_priorities(store: Store, from_id: int, to_id: int, note: str | None = None) -> None:
    texts.check(note, "The link's note", "note")
    with store.transaction():
        store.execute("INSERT OR REPLACE INTO priority_link (from_priority_id, to_priority_id, "
                      "note) VALUES (?, ?, ?)", (from_id, to_id, note))


def linked_priorities(store: Store, priority_id: int) -> list[tuple[Priority, Plan, str | None]]:
    """Priorities of other plans this one continues in (or continues from)."""
    found = []
    for r in store.query(
        "SELECT to_priority_id AS other, note FROM priority_link WHERE from_priority_id = ? "
        "UNION SELECT from_priority_id, note FROM priority_link WHERE to_priority_id = ?",
        [priority_id, priority_id],
    ):
        other = get_priority(store, r["other"])
        found.append((other, get_plan(store, other.plan_id), r["note"]))
    return found


def plan_tree(store: Store, plan_id: int) -> PlanTree:
    """Plan, priorities and commitments with evidence counts and status counts."""
    tree = PlanTree(get_plan(store, plan_id))
    by_priority: dict[int, PriorityNode] = {}
    for p in list_priorities(store, plan_id):
        node = PriorityNode(p)
        tree.priorities.append(node)
        by_priority[p.id] = node
    nodes: dict[int, CommitmentNode] = {}
    for r in store.query(
        """
        SELECT c.*, coalesce(e.n, 0) AS evidence_count
        FROM commitment c
        JOIN priority p ON p.id = c.priority_id
        LEFT JOIN (
            SELECT commitment_id, count(*) AS n FROM evidence
            WHERE commitment_id IN (SELECT c2.id FROM commitment c2
                                    JOIN priority p2 ON p2.id = c2.priority_id
                                    WHERE p2.plan_id = :plan)
            GROUP BY commitment_id
        ) e ON e.commitment_id = c.id
        WHERE p.plan_id = :plan
        ORDER BY c.parent_id IS NOT NULL, c.position, c.id
        """,
        {"plan": plan_id},
    ):
        c = rows.commitment(r)
        node = CommitmentNode(c, r["evidence_count"], c.updated_at)
        nodes[c.id] = node
        if c.parent_id is None:
            by_priority[c.priority_id].commitments.append(node)
            by_priority[c.priority_id].counts.add(c.status)
        elif c.parent_id in nodes:
            nodes[c.parent_id].children.append(node)
    for node in tree.priorities:
        tree.counts.merge(node.counts)
    return tree


def _check_fields(fields: dict[str, Any], allowed: tuple[str, ...]) -> None:
    unknown = set(fields) - set(allowed)
    if unknown:
        raise ValueError(f"cannot edit {', '.join(sorted(unknown))}")


def _update(store: Store, table: str, row_id: int, fields: dict[str, Any]) -> None:
    if not fields:
        return
    clean = {k: (" ".join(v.split()) if k in ("title",) and isinstance(v, str) else v)
             for k, v in fields.items()}
    update_row(store, table, row_id, clean)
