"""Which plans an activity log entry names: the plans of the rows its changes point into."""

from __future__ import annotations

from tracker.domain.changes import RowChange
from tracker.store.activity import PlanFinder


def _one_at_a_time(store, changes) -> set[int]:
    finder = PlanFinder(store)
    return {plan for c in changes for row in (c.before, c.after) if row is not None
            for plan in [finder.plan_of_row(c.table, row)] if plan is not None}


def test_the_plans_of_many_changes_are_those_found_row_by_row(store):
    plans = [r[0] for r in store.execute("SELECT id FROM plan ORDER BY id")]
    commitments = store.execute(
        "SELECT c.id, p.plan_id FROM commitment c JOIN priority p ON p.id = c.priority_id "
        "ORDER BY c.id").fetchall()
    evidence = store.execute("SELECT id, commitment_id FROM evidence ORDER BY id LIMIT 3").fetchall()
    indicator = store.execute("SELECT id FROM indicator ORDER BY id LIMIT 1").fetchone()[0]
    changes = [
        RowChange("evidence", "e1", None, {"commitment_id": commitments[0][0]}),
        RowChange("commitment", "c1", {"priority_id": 10**15}, None),  # a priority gone since
        RowChange("status_change", "s1", {"commitment_id": commitments[-1][0]},
                  {"commitment_id": commitments[-1][0]}),
        RowChange("attachment", "a1", None, {"evidence_id": evidence[0][0]}),  # a chain of three
        RowChange("attachment", "a2", None, {"evidence_id": None}),
        RowChange("indicator_value", "v1", None, {"indicator_id": indicator}),
        RowChange("evidence", "e2", {"commitment_id": str(commitments[1][0])}, None),  # as text
        RowChange("narrative", "n1", None, {"plan_id": plans[-1]}),
        RowChange("plan", "p1", {"id": plans[0]}, None),
        RowChange("return_change", "r1", None, {"commitment_id": commitments[2][0]}),
    ]
    found = PlanFinder(store).plans_of(changes)
    assert found == _one_at_a_time(store, changes)
    assert {commitments[0][1], commitments[-1][1], plans[0], plans[-1]} <= found
