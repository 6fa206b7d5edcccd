"""The rows of the plan tree, one level at a time, narrowed by the officer's filter in SQL.

The main window's tree loads lazily: plans first, then a plan's priorities when it is opened,
then a priority's commitments, then a commitment's sub-points. Each level is one query here,
and the filter (status, partner, lead, not updated for N days, free text) is part of that query,
so a 10,000-commitment plan narrows without reading every row into Python (MEASURED.md, trap 7).

A top-level commitment is shown when it or one of its sub-points matches; under it, the
sub-points that match are shown, or all of them when the commitment itself matches.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from tracker.domain.model import PlanState, StatusCounts
from tracker.domain.status import Status
from tracker.store.database import Store
from tracker.store.search import fts_query


@dataclass(frozen=True)
class TreeFilter:
    """What the officer narrowed the tree to; empty fields do not narrow."""

    statuses: frozenset[Status] = frozenset()
    partner_id: int | None = None
    lead: str | None = None
    stale_days: int | None = None
    text: str = ""

    @property
    def is_empty(self) -> bool:
        return (not self.statuses and self.partner_id is None and not self.lead
                and not self.stale_days and fts_query(self.text) is None)


NO_FILTER = TreeFilter()


@dataclass(frozen=True)
class PlanRow:
    id: int
    title: str
    period: str
    state: PlanState
    commitments: int


@dataclass(frozen=True)
class PriorityRow:
    id: int
    plan_id: int
    number: int
    title: str
    counts: StatusCounts = field(default_factory=StatusCounts)


@dataclass(frozen=True)
class CommitmentRow:
    id: int
    priority_id: int
    parent_id: int | None
    code: str | None
    text: str
    status: Status
    lead: str | None
    updated_at: str
    sub_points: int


class _Clause:
    """The filter as SQL over a commitment alias, with its parameters."""

    def __init__(self, flt: TreeFilter, today: datetime | None = None):
        self.params: dict[str, Any] = {}
        self.flt = flt
        if flt.statuses:
            for i, status in enumerate(sorted(flt.statuses, key=lambda s: s.value)):
                self.params[f"st{i}"] = status.value
        if flt.partner_id is not None:
            self.params["partner"] = flt.partner_id
        if flt.lead:
            self.params["lead"] = flt.lead.strip()
        if flt.stale_days:
            moment = today or datetime.now(UTC)
            cutoff = moment - timedelta(days=int(flt.stale_days))
            self.params["cutoff"] = cutoff.isoformat(timespec="seconds")
        query = fts_query(flt.text)
        if query is not None:
            self.params["q"] = query
            self.params["code"] = flt.text.strip().lower()

    def on(self, alias: str) -> str:
        """The condition for one commitment row, or '1' when nothing narrows."""
        parts = []
        if self.flt.statuses:
            names = ", ".join(f":st{i}" for i in range(len(self.flt.statuses)))
            parts.append(f"{alias}.status IN ({names})")
        if "partner" in self.params:
            parts.append(f"EXISTS (SELECT 1 FROM commitment_partner cp WHERE "
                         f"cp.commitment_id = {alias}.id AND cp.partner_id = :partner)")
        if "lead" in self.params:
            parts.append(f"{alias}.lead = :lead COLLATE NOCASE")
        if "cutoff" in self.params:
            parts.append(f"{alias}.updated_at < :cutoff")
        if "q" in self.params:
            parts.append(f"({alias}.id IN (SELECT rowid FROM commitment_fts WHERE commitment_fts "
                         f"MATCH :q) OR lower({alias}.code) = :code)")
        return " AND ".join(parts) if parts else "1"

    def top_level(self, alias: str) -> str:
        """A top-level commitment that matches, or has a sub-point that matches."""
        own = self.on(alias)
        if own == "1":
            return own
        return (f"({own} OR EXISTS (SELECT 1 FROM commitment sub WHERE sub.parent_id = {alias}.id "
                f"AND {self.on('sub')}))")


def plan_rows(store: Store, counts: bool = True) -> list[PlanRow]:
    """The plans in period order; with `counts`, each with its number of top-level
    commitments (a scan of every commitment), else -1 (see plan_commitment_count)."""
    if not counts:
        return [PlanRow(i, title, period, PlanState(state), -1) for i, title, period, state in
                store.execute("SELECT id, title, period, state FROM plan ORDER BY period, id")]
    return [PlanRow(r["id"], r["title"], r["period"], PlanState(r["state"]), r["n"])
            for r in store.query(
                "SELECT p.id, p.title, p.period, p.state, "
                "(SELECT count(*) FROM commitment c JOIN priority pr ON pr.id = c.priority_id "
                " WHERE pr.plan_id = p.id AND c.parent_id IS NULL) AS n "
                "FROM plan p ORDER BY p.period, p.id")]


def plan_commitment_count(store: Store, plan_id: int) -> int:
    return store.execute(
        "SELECT count(*) FROM commitment c JOIN priority pr ON pr.id = c.priority_id "
        "WHERE pr.plan_id = ? AND c.parent_id IS NULL", (plan_id,)).fetchone()[0]


def priority_rows(store: Store, plan_id: int, flt: TreeFilter = NO_FILTER,
                  today: datetime | None = None) -> list[PriorityRow]:
    """The plan's priorities with the status counts of their (matching) commitments. With a
    filter, priorities with nothing matching are left out."""
    clause = _Clause(flt, today)
    condition = clause.top_level("c")
    # Unfiltered, the counts are of nearly every commitment: one pass over the table beats
    # the parent_id index SQLite picks (a lookup per row: 8.9 against 5.6 ms on 10,000).
    scan = "NOT INDEXED " if condition == "1" else ""
    # One statement, one row: the counts and the priorities come back as two JSON arrays.
    counts_json, priorities_json = store.execute(
        "SELECT (SELECT json_group_array(json_array(priority_id, status, n)) FROM ("
        f"  SELECT c.priority_id, c.status, count(*) AS n FROM commitment c {scan}"
        "   WHERE c.priority_id IN (SELECT id FROM priority WHERE plan_id = :plan)"
        f"  AND c.parent_id IS NULL AND {condition} GROUP BY c.priority_id, c.status)), "
        "(SELECT json_group_array(json_array(id, number, title)) FROM priority "
        " WHERE plan_id = :plan)", {"plan": plan_id, **clause.params}).fetchone()
    counts: dict[int, StatusCounts] = {}
    for priority_id, status, n in json.loads(counts_json):
        counts.setdefault(priority_id, StatusCounts()).add(Status(status), n)
    found = []
    for priority_id, number, title in sorted(json.loads(priorities_json),
                                             key=lambda p: (p[1], p[0])):
        if not flt.is_empty and priority_id not in counts:
            continue
        found.append(PriorityRow(priority_id, plan_id, number, title,
                                 counts.get(priority_id, StatusCounts())))
    return found


_COMMITMENT_COLUMNS = ("c.id, c.priority_id, c.parent_id, c.code, c.text, c.status, c.lead, "
                       "c.updated_at, (SELECT count(*) FROM commitment k WHERE k.parent_id = c.id) "
                       "AS sub_points")


def _commitment_row(r: dict) -> CommitmentRow:
    return CommitmentRow(r["id"], r["priority_id"], r["parent_id"], r["code"], r["text"],
                         Status(r["status"]), r["lead"], r["updated_at"], r["sub_points"])


def commitment_rows(store: Store, priority_id: int, flt: TreeFilter = NO_FILTER,
                    today: datetime | None = None) -> list[CommitmentRow]:
    """Top-level commitments of a priority that match, in plan order."""
    clause = _Clause(flt, today)
    return [_commitment_row(r) for r in store.query(
        f"SELECT {_COMMITMENT_COLUMNS} FROM commitment c WHERE c.priority_id = :priority "
        f"AND c.parent_id IS NULL AND {clause.top_level('c')} ORDER BY c.position, c.id",
        {"priority": priority_id, **clause.params})]


def sub_point_rows(store: Store, parent_id: int, flt: TreeFilter = NO_FILTER,
                   today: datetime | None = None) -> list[CommitmentRow]:
    """Sub-points of a commitment: those that match, or all when the parent matches."""
    clause = _Clause(flt, today)
    condition = clause.on("c")
    if condition != "1":
        parent = clause.on("par")
        condition = (f"({condition} OR EXISTS (SELECT 1 FROM commitment par WHERE "
                     f"par.id = c.parent_id AND {parent}))")
    return [_commitment_row(r) for r in store.query(
        f"SELECT {_COMMITMENT_COLUMNS} FROM commitment c WHERE c.parent_id = :parent "
        f"AND {condition} ORDER BY c.position, c.id",
        {"parent": parent_id, **clause.params})]


def filtered_plan(store: Store, plan_id: int, flt: TreeFilter,
                  today: datetime | None = None) -> list[tuple[PriorityRow, list[CommitmentRow]]]:
    """Under a filter, the plan's priorities that have a match, each with its matching
    top-level commitments (and their counts by status), in plan order: one query for the
    whole plan, so a text filter is one full-text search, not one per priority."""
    clause = _Clause(flt, today)
    by_priority: dict[int, list[CommitmentRow]] = {}
    statuses = {s.value: s for s in Status}
    for cid, pid, parent, code, text, status, lead, updated, subs in store.execute(
            f"SELECT {_COMMITMENT_COLUMNS} FROM commitment c "
            f"JOIN priority pr ON pr.id = c.priority_id WHERE pr.plan_id = :plan "
            f"AND c.parent_id IS NULL AND {clause.top_level('c')} "
            f"ORDER BY pr.number, c.position, c.id", {"plan": plan_id, **clause.params}):
        by_priority.setdefault(pid, []).append(CommitmentRow(
            cid, pid, parent, code, text, statuses[status], lead, updated, subs))
    found = []
    for pid, number, title in store.execute(
            "SELECT id, number, title FROM priority WHERE plan_id = ? ORDER BY number",
            (plan_id,)):
        rows = by_priority.get(pid)
        if not rows:
            continue
        counts = StatusCounts()
        for row in rows:
            counts.add(row.status, 1)
        found.append((PriorityRow(pid, plan_id, number, title, counts), rows))
    return found


def commitment_rows_for(store: Store, commitment_ids: list[int]) -> list[CommitmentRow]:
    """The rows of these commitments as the tree shows them, in one query."""
    return [_commitment_row(r) for r in store.query(
        f"SELECT {_COMMITMENT_COLUMNS} FROM commitment c "
        f"WHERE c.id IN (SELECT value FROM json_each(?))", [json.dumps(sorted(commitment_ids))])]


def commitment_row(store: Store, commitment_id: int) -> CommitmentRow | None:
    """One row, as the tree shows it (after an edit)."""
    for r in store.query(f"SELECT {_COMMITMENT_COLUMNS} FROM commitment c WHERE c.id = ?",
                            [commitment_id]):
        return _commitment_row(r)
    return None


def commitment_path(store: Store, commitment_id: int) -> tuple[int, int, list[int]] | None:
    """(plan id, priority id, [top-level commitment id, ..., commitment id]) to open the tree
    down to a commitment."""
    chain: list[int] = []
    current: int | None = commitment_id
    priority_id = None
    while current is not None:
        found = list(store.query("SELECT id, parent_id, priority_id FROM commitment WHERE id = ?",
                                    [current]))
        if not found:
            return None
        chain.insert(0, found[0]["id"])
        priority_id = found[0]["priority_id"]
        current = found[0]["parent_id"]
    for r in store.query("SELECT plan_id FROM priority WHERE id = ?", [priority_id]):
        return r["plan_id"], priority_id, chain
    return None


def distinct_leads(store: Store) -> list[str]:
    return [r["lead"] for r in store.query(
        "SELECT DISTINCT lead FROM commitment WHERE lead IS NOT NULL AND trim(lead) != '' "
        "ORDER BY lead COLLATE NOCASE")]
