"""Tree rows narrowed in SQL: status, partner, lead, not updated in N days, free text."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tracker.domain.status import Status
from tracker.store import commitments, evidence, filters, partners, plans
from tracker.store.filters import TreeFilter


def _extension(store):
    return plans.find_plan(store, "2020/21")


def test_unfiltered_levels_match_the_plan(store):
    plan = _extension(store)
    rows = filters.priority_rows(store, plan.id)
    assert [r.number for r in rows] == [p.number for p in plans.list_priorities(store, plan.id)]
    first = rows[0]
    top = filters.commitment_rows(store, first.id)
    assert [c.id for c in top] == [c.id for c in commitments.list_commitments(store, first.id)]
    assert first.counts.total == len(top)
    with_subs = next(c for p in rows for c in filters.commitment_rows(store, p.id) if c.sub_points)
    assert [s.id for s in filters.sub_point_rows(store, with_subs.id)] == [
        c.id for c in commitments.children(store, with_subs.id)]


def test_text_filter_keeps_only_matching_priorities_and_commitments(store):
    plan = _extension(store)
    flt = TreeFilter(text="domestic abuse")
    rows = filters.priority_rows(store, plan.id, flt)
    assert rows, "the sample has domestic abuse commitments"
    for p in rows:
        for c in filters.commitment_rows(store, p.id, flt):
            texts = [c.text] + [s.text for s in commitments.children(store, c.id)]
            assert any("domestic" in t.lower() for t in texts)
    everything = sum(r.counts.total for r in filters.priority_rows(store, plan.id))
    assert sum(r.counts.total for r in rows) < everything


def test_status_partner_lead_and_staleness(store):
    plan = _extension(store)
    priority = plans.list_priorities(store, plan.id)[1]
    target = commitments.list_commitments(store, priority.id)[0]
    commitments.set_status(store, target.id, Status.AT_RISK, "Funding withdrawn")
    commitments.update_commitment(store, target.id, lead="J. Smith")
    partner_id = partners.add_partner(store, "Test Partner")
    partners.set_commitment_partners(store, target.id, [partner_id])

    for flt in (TreeFilter(statuses=frozenset({Status.AT_RISK})), TreeFilter(lead="j. smith"),
                TreeFilter(partner_id=partner_id)):
        rows = filters.priority_rows(store, plan.id, flt)
        assert [r.id for r in rows] == [priority.id]
        assert [c.id for c in filters.commitment_rows(store, priority.id, flt)] == [target.id]
    assert "J. Smith" in filters.distinct_leads(store)

    # The sample's extension commitments carry the closure report's dates: made when the plan
    # began (1 April 2020), last updated by their evidence (31 March 2021). None is 30 days
    # stale in mid-April 2020; in mid-April 2021 those without evidence (or with a
    # sub-point, which has none) are; today all are but
    # the one just changed, and in 60 days that one too.
    stale = TreeFilter(stale_days=30)
    assert filters.priority_rows(store, plan.id, stale,
                                 today=datetime(2020, 4, 15, tzinfo=UTC)) == []
    april = datetime(2021, 4, 15, tzinfo=UTC)
    stale_then = {c.id for p in filters.priority_rows(store, plan.id, stale, today=april)
                  for c in filters.commitment_rows(store, p.id, stale, today=april)}
    evidenced = {c.id for p in plans.list_priorities(store, plan.id)
                 for c in commitments.list_commitments(store, p.id)
                 if evidence.list_evidence(store, c.id) and not commitments.children(store, c.id)}
    assert stale_then and evidenced and not stale_then & evidenced
    stale_now = [c.id for p in filters.priority_rows(store, plan.id, stale)
                 for c in filters.commitment_rows(store, p.id, stale)]
    assert target.id not in stale_now and len(stale_now) > 50
    later = datetime.now(UTC) + timedelta(days=60)
    assert target.id in [c.id for c in filters.commitment_rows(
        store, priority.id, TreeFilter(stale_days=30), today=later)]


def test_sub_point_match_shows_its_parent(store):
    plan = _extension(store)
    parent = next(c for p in plans.list_priorities(store, plan.id)
                  for c in commitments.list_commitments(store, p.id)
                  if commitments.children(store, c.id))
    sub = commitments.children(store, parent.id)[0]
    commitments.set_status(store, sub.id, Status.OFF_TRACK, "Behind schedule")
    flt = TreeFilter(statuses=frozenset({Status.OFF_TRACK}))
    assert [c.id for c in filters.commitment_rows(store, parent.priority_id, flt)] == [parent.id]
    assert [s.id for s in filters.sub_point_rows(store, parent.id, flt)] == [sub.id]


def test_commitment_path_walks_up_to_the_plan(store):
    plan = _extension(store)
    parent = next(c for p in plans.list_priorities(store, plan.id)
                  for c in commitments.list_commitments(store, p.id)
                  if commitments.children(store, c.id))
    sub = commitments.children(store, parent.id)[0]
    assert filters.commitment_path(store, sub.id) == (plan.id, parent.priority_id, [parent.id, sub.id])
    assert filters.commitment_path(store, 10_000_000) is None
