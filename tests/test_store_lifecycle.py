"""Starting a plan from another (carry forward, priority mapping), undoing it, closing a plan."""

from __future__ import annotations

import pytest

from tracker.domain.model import PlanState
from tracker.domain.status import Status
from tracker.store import commitments, lifecycle, partners, plans
from tracker.store.errors import ValidationError
from tracker.store.lifecycle import NewPriority


def _source(store):
    plan = plans.find_plan(store, "2020/21")
    prs = plans.list_priorities(store, plan.id)
    return plan, prs


def test_new_plan_carries_commitments_with_links_and_maps_priorities(store):
    plan, prs = _source(store)
    parent = next(c for p in prs for c in commitments.list_commitments(store, p.id)
                  if commitments.children(store, c.id))
    partner = partners.add_partner(store, "Carried Partner")
    partners.set_commitment_partners(store, parent.id, [partner])
    plain = commitments.list_commitments(store, prs[1].id)[0]
    mapping = {p.id: 1 for p in prs}  # every old priority goes into the single new one
    result = lifecycle.new_plan_from(store, plan.id, "Next plan", "2024-2028",
                                     [NewPriority(1, "Everything")], mapping, [parent.id, plain.id])
    new_priority = plans.list_priorities(store, result.plan_id)
    assert [p.title for p in new_priority] == ["Everything"]
    carried = commitments.list_commitments(store, new_priority[0].id)
    assert [c.carried_forward_from_id for c in carried] == [parent.id, plain.id]
    assert [c.text for c in carried] == [parent.text, plain.text]
    subs = commitments.children(store, carried[0].id)
    assert [s.carried_forward_from_id for s in subs] == [
        s.id for s in commitments.children(store, parent.id)]
    assert partners.commitment_partner_ids(store, carried[0].id) == [partner]
    assert commitments.get_commitment(store, parent.id).status is Status.CARRIED_FORWARD
    assert commitments.status_history(store, parent.id)[0].reason == "Carried forward into Next plan"
    linked = plans.linked_priorities(store, prs[0].id)
    assert new_priority[0].id in [p.id for p, _plan, _note in linked]  # beside the sample's links
    assert plans.get_plan(store, result.plan_id).state is PlanState.DRAFT

    before = {parent.id: parent.status, plain.id: plain.status}
    lifecycle.undo_new_plan(store, result)
    assert all(p.id != result.plan_id for p in plans.list_plans(store))
    for cid, status in before.items():
        assert commitments.get_commitment(store, cid).status is status
    assert commitments.status_history(store, parent.id) == []


def test_new_plan_refuses_unmapped_priorities_and_writes_nothing(store):
    plan, prs = _source(store)
    count = len(plans.list_plans(store))
    first = commitments.list_commitments(store, prs[0].id)[0]
    with pytest.raises(ValidationError):
        lifecycle.new_plan_from(store, plan.id, "Next", "2024-2028", [NewPriority(1, "One")], {},
                                [first.id])
    with pytest.raises(ValidationError):
        lifecycle.new_plan_from(store, plan.id, "Next", "2024-2028", [], {}, [])
    assert len(plans.list_plans(store)) == count


def test_close_and_reopen_plan(store):
    plan, prs = _source(store)
    before = lifecycle.close_plan(store, plan.id)
    assert before is PlanState.ACTIVE
    c = commitments.list_commitments(store, prs[0].id)[0]
    with pytest.raises(ValidationError, match="closed"):
        commitments.update_commitment(store, c.id, text="Changed")
    lifecycle.reopen_plan(store, plan.id, before)
    commitments.update_commitment(store, c.id, text="Changed")
    assert commitments.get_commitment(store, c.id).text == "Changed"


def test_revert_status_change_only_the_latest(store):
    _plan, prs = _source(store)
    c = commitments.list_commitments(store, prs[0].id)[0]
    first = commitments.set_status(store, c.id, Status.ON_TRACK, "Going well")
    second = commitments.set_status(store, c.id, Status.AT_RISK, "Money short")
    with pytest.raises(ValidationError):
        lifecycle.revert_status_change(store, first)
    lifecycle.revert_status_change(store, second)
    assert commitments.get_commitment(store, c.id).status is Status.ON_TRACK
    assert [h.id for h in commitments.status_history(store, c.id)] == [first]
