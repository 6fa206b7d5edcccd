"""Overview counts, evidenced share, overdue list, and status this period vs last."""

from __future__ import annotations

from datetime import date

from tracker.domain.periods import parse_period
from tracker.domain.status import Status
from tracker.store import commitments, evidence, overview, plans
from tracker.store.evidence import EvidenceInput


def test_counts_per_priority_add_up(store):
    plan = plans.find_plan(store, "2020/21")
    data = overview.overview(store, plan.id)
    tree = plans.plan_tree(store, plan.id)
    assert [p.counts.total for p in data.priorities] == [n.counts.total for n in tree.priorities]
    assert data.total == tree.counts.total


def test_evidenced_share_counts_dates_and_periods(empty_store):
    s = empty_store
    plan = plans.add_plan(s, "Plan", "2021-2024")
    pr = plans.add_priority(s, plan, 1, "Priority")
    a = commitments.add_commitment(s, pr, "First")
    b = commitments.add_commitment(s, pr, "Second")
    commitments.add_commitment(s, pr, "Third")
    evidence.add_evidence(s, a, EvidenceInput("Dated", evidence_date="2022-05-01"))
    evidence.add_evidence(s, b, EvidenceInput("Spanning", period="2021/22-2023/24"))
    data = overview.overview(s, plan, period=parse_period("2022/23"))
    assert (data.evidenced, data.total) == (2, 3)
    data = overview.overview(s, plan, period=parse_period("2021/22"))
    assert (data.evidenced, data.total) == (1, 3)
    assert [y.label for y in overview.evidence_years(s, plan)] == ["2021/22", "2022/23", "2023/24"]


def test_overdue_lists_open_stale_commitments_only(empty_store):
    s = empty_store
    plan = plans.add_plan(s, "Plan", "2021-2024")
    pr = plans.add_priority(s, plan, 1, "Priority")
    stale = commitments.add_commitment(s, pr, "Stale one")
    done = commitments.add_commitment(s, pr, "Done one")
    commitments.set_status(s, done, Status.COMPLETE, "Delivered")
    due = commitments.add_commitment(s, pr, "Due one", due_date="2020-01-01")
    far_future = date(2100, 1, 1)
    ids = {r.commitment_id for r in overview.overview(s, plan, today=far_future).overdue}
    assert ids == {stale, due}
    today_rows = overview.overview(s, plan, today=date(2021, 1, 1)).overdue
    assert [r.commitment_id for r in today_rows] == [due]
    assert today_rows[0].why == "due 1 Jan 2020"


def test_overdue_commitments_updated_at_once_come_in_plan_order(empty_store):
    """An import touches many commitments in one moment: those tie on their update time and
    are listed by priority, then in the plan's order, not by their (random) row ids."""
    s = empty_store
    plan = plans.add_plan(s, "Plan", "2021-2024")
    second = plans.add_priority(s, plan, 2, "Second")
    first = plans.add_priority(s, plan, 1, "First")
    made = [commitments.add_commitment(s, pr, f"{pr} {n}") for pr in (second, first)
            for n in range(4)]
    s.execute("UPDATE commitment SET updated_at = '2020-04-01T09:00:00+00:00'")
    rows = overview.overview(s, plan, today=date(2100, 1, 1)).overdue
    assert [r.commitment_id for r in rows] == made[4:] + made[:4]


def test_status_this_and_last_period(empty_store):
    s = empty_store
    plan = plans.add_plan(s, "Plan", "2021-2024")
    pr = plans.add_priority(s, plan, 1, "Priority")
    c = commitments.add_commitment(s, pr, "One")
    commitments.set_status(s, c, Status.ON_TRACK, "Started well")
    ps = overview.status_this_and_last_period(s, c)
    assert ps.this_status is Status.ON_TRACK
    assert ps.last_status is Status.NOT_ASSESSED
    assert ps.this_period != ps.last_period
    assert overview.previous_quarter(parse_period("2021/22 Q1")).label == "2020/21 Q4"
    assert overview.quarter_of(date(2022, 2, 1)).label == "2021/22 Q4"
