import sqlite3
import uuid

import pytest

from tracker.domain.model import PlanState, Visibility
from tracker.domain.status import Status
from tracker.store import commitments, evidence, plans, search
from tracker.store.errors import ValidationError
from tracker.store.evidence import EvidenceInput


def _small_plan(store):
    plan_id = plans.add_plan(store, "Test Plan", "2024-2028", PlanState.ACTIVE)
    pr = plans.add_priority(store, plan_id, 1, "Safer streets", objective="to make streets safer")
    c1 = commitments.add_commitment(store, pr, "Patrol the night-time economy", code="A")
    c2 = commitments.add_commitment(store, pr, "Fund street pastors", code="B")
    commitments.add_commitment(store, pr, "In Chelmsford", parent_id=c2, code="B.1")
    return plan_id, pr, c1, c2


def test_round_trip_of_a_plan_tree(empty_store):
    plan_id, _pr, c1, _c2 = _small_plan(empty_store)
    evidence.add_evidence(empty_store, c1, EvidenceInput("120 extra patrols", evidence_date="2024-05-01",
                                                         figure="1,200", unit="hours",
                                                         visibility=Visibility.SHAREABLE))
    tree = plans.plan_tree(empty_store, plan_id)
    assert tree.plan.title == "Test Plan"
    assert [n.priority.title for n in tree.priorities] == ["Safer streets"]
    nodes = tree.priorities[0].commitments
    assert [(n.commitment.code, n.commitment.text) for n in nodes] == [
        ("A", "Patrol the night-time economy"), ("B", "Fund street pastors")]
    assert nodes[0].evidence_count == 1
    assert [c.commitment.text for c in nodes[1].children] == ["In Chelmsford"]
    assert tree.counts[Status.NOT_ASSESSED] == 2  # sub-points are not counted twice
    [item] = evidence.list_evidence(empty_store, c1)
    assert (item.figure, item.unit, item.evidence_date, item.visibility) == (
        1200.0, "hours", "2024-05-01", Visibility.SHAREABLE)
    assert item.author == "Test Officer"


def test_every_row_has_a_unique_uuid(store):
    for table in ("plan", "priority", "commitment", "evidence", "indicator", "indicator_value",
                  "partner", "status_change"):
        uids = [r[0] for r in store.conn.execute(f"SELECT uid FROM {table}")]
        assert uids, table
        assert len(set(uids)) == len(uids)
        for uid in uids:
            uuid.UUID(uid)


def test_a_failed_edit_writes_nothing(empty_store):
    _plan_id, pr, c1, _ = _small_plan(empty_store)
    before = empty_store.conn.execute("SELECT count(*) FROM commitment").fetchone()[0]
    with pytest.raises(RuntimeError), empty_store.transaction():
        commitments.add_commitment(empty_store, pr, "Half-written commitment")
        evidence.add_evidence(empty_store, c1, EvidenceInput("half-written evidence"))
        raise RuntimeError("power cut")
    assert empty_store.conn.execute("SELECT count(*) FROM commitment").fetchone()[0] == before
    assert evidence.list_evidence(empty_store, c1) == []


@pytest.mark.parametrize(
    ("item", "field"),
    [
        (EvidenceInput("   "), "text"),
        (EvidenceInput("ok", evidence_date="31st of March"), "evidence_date"),
        (EvidenceInput("ok", figure="lots"), "figure"),
        (EvidenceInput("ok", period="sometime"), "period"),
    ],
)
def test_bad_evidence_is_refused_naming_the_field(empty_store, item, field):
    _, _, c1, _ = _small_plan(empty_store)
    with pytest.raises(ValidationError) as err:
        evidence.add_evidence(empty_store, c1, item)
    assert err.value.field == field
    assert evidence.list_evidence(empty_store, c1) == []


def test_empty_commitment_text_is_refused(empty_store):
    _, _pr, c1, _ = _small_plan(empty_store)
    with pytest.raises(ValidationError, match="cannot be empty"):
        commitments.update_commitment(empty_store, c1, text="  ")
    assert commitments.get_commitment(empty_store, c1).text == "Patrol the night-time economy"


def test_status_change_records_who_when_from_to_and_why(empty_store):
    _, _, c1, _ = _small_plan(empty_store)
    commitments.set_status(empty_store, c1, Status.ON_TRACK, "Patrol plan agreed with the force")
    commitments.set_status(empty_store, c1, Status.AT_RISK, "Overtime budget cut")
    assert commitments.get_commitment(empty_store, c1).status is Status.AT_RISK
    latest, first = commitments.status_history(empty_store, c1)
    assert (first.from_status, first.to_status, first.reason) == (
        Status.NOT_ASSESSED, Status.ON_TRACK, "Patrol plan agreed with the force")
    assert (latest.from_status, latest.to_status, latest.changed_by) == (
        Status.ON_TRACK, Status.AT_RISK, "Test Officer")
    assert latest.changed_at >= first.changed_at


def test_status_change_without_a_reason_is_refused(empty_store):
    _, _, c1, _ = _small_plan(empty_store)
    with pytest.raises(ValidationError, match="reason"):
        commitments.set_status(empty_store, c1, Status.COMPLETE, " ")
    assert commitments.status_history(empty_store, c1) == []
    assert commitments.get_commitment(empty_store, c1).status is Status.NOT_ASSESSED


def test_a_closed_plan_refuses_edits(empty_store):
    plan_id, _, c1, _ = _small_plan(empty_store)
    plans.set_plan_state(empty_store, plan_id, PlanState.CLOSED)
    with pytest.raises(ValidationError, match="closed"):
        commitments.set_status(empty_store, c1, Status.COMPLETE, "done")
    with pytest.raises(ValidationError, match="closed"):
        evidence.add_evidence(empty_store, c1, EvidenceInput("late evidence"))


def test_evidence_delete_and_restore_keeps_identity_and_order(empty_store):
    _, _, c1, _ = _small_plan(empty_store)
    ids = [evidence.add_evidence(empty_store, c1, EvidenceInput(t)) for t in ("one", "two", "three")]
    gone = evidence.delete_evidence(empty_store, ids[1])
    assert [e.text for e in evidence.list_evidence(empty_store, c1)] == ["one", "three"]
    evidence.restore_evidence(empty_store, gone)
    restored = evidence.list_evidence(empty_store, c1)
    assert [e.text for e in restored] == ["one", "two", "three"]
    assert restored[1].uid == gone.uid
    evidence.move_evidence(empty_store, ids[0], 3)
    assert [e.text for e in evidence.list_evidence(empty_store, c1)] == ["two", "three", "one"]


def test_full_text_search_finds_commitments_and_evidence_and_follows_edits(store):
    hits = search.search(store, "smart phone")
    assert any(h.kind == "commitment" and ("smart", True) in h.parts() for h in hits)
    first = next(h for h in hits if h.kind == "commitment")
    assert first.plan_title and first.priority_number and first.priority_title
    assert "smart" in first.plain.lower() and search.MARK_START not in first.plain
    hits = search.search(store, "What3words")
    assert hits and all(h.kind == "evidence" for h in hits)
    target = hits[0]
    evidence.update_evidence(store, target.item_id, EvidenceInput("Rewritten statement about knives"))
    assert target.item_id not in {h.item_id for h in search.search(store, "What3words")
                                  if h.kind == "evidence"}
    assert target.item_id in {h.item_id for h in search.search(store, "rewritten knive")}
    evidence.delete_evidence(store, target.item_id)
    assert not search.search(store, "rewritten")


def test_search_of_punctuation_only_returns_nothing(store):
    assert search.search(store, '"*()') == []


def test_foreign_keys_are_enforced(empty_store):
    with pytest.raises(sqlite3.IntegrityError), empty_store.transaction():
        empty_store.execute(
            "INSERT INTO evidence (uid, commitment_id, position, text, created_at, updated_at) "
            "VALUES ('x', 999, 1, 't', 'now', 'now')")


def test_removing_a_commitment_takes_its_sub_points_and_evidence_and_undo_restores_all(store):
    ext = plans.find_plan(store, "pcp-2020-21")
    first = plans.list_priorities(store, ext.id)[0]
    commitment = next(c for c in commitments.list_commitments(store, first.id)
                      if commitments.children(store, c.id) and evidence.list_evidence(store, c.id))
    commitments.set_status(store, commitment.id, Status.AT_RISK, "Funding delayed")
    before_order = [(c.code, c.uid) for c in commitments.list_commitments(store, first.id)]
    kids = [(c.uid, c.text) for c in commitments.children(store, commitment.id)]
    items = [(e.uid, e.text) for e in evidence.list_evidence(store, commitment.id)]
    history = [(h.to_status, h.reason) for h in commitments.status_history(store, commitment.id)]
    fts_before = len(search.search(store, commitment.text.split()[2], limit=500))

    removed = commitments.remove_commitment(store, commitment.id)
    assert removed.counts == (len(kids), len(items))
    assert commitment.uid not in [u for _, u in
                                  ((c.code, c.uid) for c in commitments.list_commitments(store, first.id))]
    positions = [c.position for c in commitments.list_commitments(store, first.id)]
    assert positions == list(range(1, len(positions) + 1))

    new_id = commitments.restore_commitment(store, removed)
    assert [(c.code, c.uid) for c in commitments.list_commitments(store, first.id)] == before_order
    assert [(c.uid, c.text) for c in commitments.children(store, new_id)] == kids
    assert [(e.uid, e.text) for e in evidence.list_evidence(store, new_id)] == items
    assert [(h.to_status, h.reason) for h in commitments.status_history(store, new_id)] == history
    assert commitments.get_commitment(store, new_id).status is Status.AT_RISK
    assert len(search.search(store, commitment.text.split()[2], limit=500)) == fts_before


def test_restoring_an_origin_relinks_the_commitments_carried_forward_from_it(store):
    later_id, origin_id = store.conn.execute(
        "SELECT id, carried_forward_from_id FROM commitment "
        "WHERE carried_forward_from_id IS NOT NULL LIMIT 1").fetchone()
    old_plan = plans.get_priority(store, commitments.get_commitment(store, origin_id).priority_id).plan_id
    plans.set_plan_state(store, old_plan, PlanState.ACTIVE)
    removed = commitments.remove_commitment(store, origin_id)
    assert commitments.get_commitment(store, later_id).carried_forward_from_id is None
    new_id = commitments.restore_commitment(store, removed)
    assert commitments.get_commitment(store, later_id).carried_forward_from_id == new_id


def test_a_priority_number_already_used_in_the_plan_is_refused_in_words(empty_store):
    plan_id, pr, _, _ = _small_plan(empty_store)
    with pytest.raises(ValidationError, match="already “Safer streets”") as err:
        plans.add_priority(empty_store, plan_id, 1, "Roads")
    assert err.value.field == "number"
    other = plans.add_priority(empty_store, plan_id, 2, "Roads")
    with pytest.raises(ValidationError, match="already"):
        plans.update_priority(empty_store, other, number=1)
    plans.update_priority(empty_store, pr, number=1, title="Safer streets and towns")
    assert [p.number for p in plans.list_priorities(empty_store, plan_id)] == [1, 2]


def test_a_restored_commitment_keeps_its_row_ids_when_they_are_free(store):
    ext = plans.find_plan(store, "pcp-2020-21")
    first = plans.list_priorities(store, ext.id)[0]
    target = next(c for c in commitments.list_commitments(store, first.id)
                  if evidence.list_evidence(store, c.id))
    evidence_ids = [e.id for e in evidence.list_evidence(store, target.id)]
    removed = commitments.remove_commitment(store, target.id)
    assert commitments.restore_commitment(store, removed) == target.id
    assert [e.id for e in evidence.list_evidence(store, target.id)] == evidence_ids
