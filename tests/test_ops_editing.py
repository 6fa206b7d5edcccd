"""Editing at scale through the operations layer: many statuses in one step, a commitment added
whole (lead, partners, due date, sub-points), due dates typed day first."""

from __future__ import annotations

import pytest

from tracker import ops
from tracker.domain.status import Status
from tracker.store import commitments, partners, plans
from tracker.store.commitments import status_history
from tracker.store.errors import ValidationError


def extension_commitments(store, n):
    plan_id = plans.find_plan(store, "2020/21").id
    found = [c for p in plans.list_priorities(store, plan_id)
             for c in commitments.list_commitments(store, p.id)]
    return found[:n]


def test_five_statuses_set_at_once_are_one_operation_and_one_undo(store):
    chosen = extension_commitments(store, 5)
    done = ops.set_statuses(store, [c.id for c in chosen], "on track", "Quarterly review")
    assert sorted(done.value) == sorted(c.id for c in chosen)
    assert all(commitments.get_commitment(store, c.id).status is Status.ON_TRACK for c in chosen)
    assert done.summary.startswith("Set 5 commitments to On track: Quarterly review (")
    assert store.execute("SELECT count(*) FROM activity").fetchone()[0] == 1
    assert all(status_history(store, c.id)[0].reason == "Quarterly review" for c in chosen)
    undone = ops.undo(store)
    assert undone.value.uid == done.op_id  # the one operation, taken back whole
    assert [commitments.get_commitment(store, c.id).status for c in chosen] == [
        c.status for c in chosen]
    assert all(not status_history(store, c.id) or status_history(store, c.id)[0].reason
               != "Quarterly review" for c in chosen)


def test_set_statuses_leaves_those_already_there_and_refuses_when_all_are(store):
    a, b, c = extension_commitments(store, 3)
    ops.set_status(store, a.id, Status.AT_RISK, "Funding")
    done = ops.set_statuses(store, [a.id, b.id, c.id], Status.AT_RISK, "Review")
    assert sorted(done.value) == sorted([b.id, c.id])
    assert "(1 other already At risk)" in done.summary
    with pytest.raises(ValidationError, match="All 3 commitments are already At risk"):
        ops.set_statuses(store, [a.id, b.id, c.id], Status.AT_RISK, "Again")


def test_undo_of_many_statuses_is_refused_whole_when_one_changed_since(store):
    chosen = extension_commitments(store, 5)
    done = ops.set_statuses(store, [c.id for c in chosen], Status.ON_TRACK, "Review")
    ops.set_status(store, chosen[2].id, Status.OFF_TRACK, "Slipped")
    with pytest.raises(ops.UndoRefused, match="Nothing was changed"):
        ops.undo(store, done.op_id)
    assert all(commitments.get_commitment(store, c.id).status is Status.ON_TRACK
               for c in chosen if c is not chosen[2])


def test_a_commitment_added_whole_in_one_operation(store):
    plan_id = plans.find_plan(store, "2020/21").id
    priority = plans.list_priorities(store, plan_id)[0]
    police = partners.find_partner(store, "Essex Police")
    done = ops.add_commitment(store, priority.id, "Open two new rural hubs", code="L",
                              lead="Insp. Hart", due_date="15/11/2026",
                              partner_ids=[police.id],
                              sub_points=["Find premises", "  ", "Recruit staff"])
    c = commitments.get_commitment(store, done.value)
    assert (c.code, c.lead, c.due_date) == ("L", "Insp. Hart", "2026-11-15")
    assert partners.commitment_partner_ids(store, c.id) == [police.id]
    subs = commitments.children(store, c.id)
    assert [(s.code, s.text) for s in subs] == [("L.1", "Find premises"), ("L.2", "Recruit staff")]
    assert "with 2 sub-points" in done.summary
    assert store.execute("SELECT count(*) FROM activity").fetchone()[0] == 1
    ops.undo(store, done.op_id)
    assert store.execute("SELECT count(*) FROM commitment WHERE id = ?", (c.id,)).fetchone()[0] == 0


def test_a_due_date_is_read_day_first_and_a_wrong_one_says_how_to_type_it(store):
    plan_id = plans.find_plan(store, "2020/21").id
    priority = plans.list_priorities(store, plan_id)[0]
    with pytest.raises(ValidationError, match=r"type it as 15/11/2026, 2026-11-15 or "
                                              r"15 Nov 2026") as caught:
        ops.add_commitment(store, priority.id, "Text", due_date="31/02/2026")
    assert caught.value.field == "due_date"
    c = extension_commitments(store, 1)[0]
    for typed in ("03/04/2026", "2026-04-03", "3 Apr 2026", "3rd April 2026"):
        ops.edit_commitment(store, c.id, due_date=typed)
        assert commitments.get_commitment(store, c.id).due_date == "2026-04-03"
