"""Removing many evidence items at once (a return taken back) leaves every commitment's list
as removing them one at a time would: the same items, in the same order, numbered 1, 2, 3..."""

from __future__ import annotations

import pytest
from test_exchange_support import memory_copy

from tracker.store import evidence
from tracker.store.errors import NotFoundError, ValidationError
from tracker.store.evidence import EvidenceInput


def _open_commitments(store, n: int) -> list[int]:
    return [r[0] for r in store.execute(
        "SELECT c.id FROM commitment c JOIN priority pr ON pr.id = c.priority_id JOIN plan p "
        "ON p.id = pr.plan_id WHERE c.parent_id IS NULL AND p.state != 'closed' ORDER BY c.id "
        "LIMIT ?", (n,))]


def _lists(store, commitment_ids: list[int]) -> dict[int, list[tuple[str, int]]]:
    return {cid: [(e.text, e.position) for e in evidence.list_evidence(store, cid)]
            for cid in commitment_ids}


def test_removing_many_at_once_closes_up_each_list_as_one_at_a_time_would(store):
    first, second = _open_commitments(store, 2)
    added = {cid: [evidence.add_evidence(store, cid, EvidenceInput(f"Item {cid} {n}"))
                   for n in range(6)] for cid in (first, second)}
    doomed = [added[first][0], added[first][2], added[first][3], added[second][5],
              added[second][1]]
    one_by_one = memory_copy(store)
    for ident in doomed:
        evidence.delete_evidence(one_by_one, ident)

    evidence.delete_evidence_many(store, doomed)

    after = _lists(store, [first, second])
    assert after == _lists(one_by_one, [first, second])
    for items in after.values():
        assert [p for _text, p in items] == list(range(1, len(items) + 1))
    assert f"Item {first} 1" in [t for t, _p in after[first]]
    assert f"Item {first} 0" not in [t for t, _p in after[first]]


def test_removing_many_refuses_a_missing_item_or_a_closed_plan_and_removes_nothing(store):
    [cid] = _open_commitments(store, 1)
    kept = evidence.add_evidence(store, cid, EvidenceInput("Stays"))
    before = _lists(store, [cid])
    with pytest.raises(NotFoundError, match="No evidence with id"):
        evidence.delete_evidence_many(store, [kept, 1])
    assert _lists(store, [cid]) == before
    closed = store.execute(
        "SELECT e.id FROM evidence e JOIN commitment c ON c.id = e.commitment_id JOIN priority "
        "pr ON pr.id = c.priority_id JOIN plan p ON p.id = pr.plan_id WHERE p.state = 'closed' "
        "LIMIT 1").fetchone()[0]
    with pytest.raises(ValidationError, match="is closed"):
        evidence.delete_evidence_many(store, [kept, closed])
    assert _lists(store, [cid]) == before
