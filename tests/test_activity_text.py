"""The activity log keeps an operation's changes as one JSON array: given changes as the array
json.dumps would write, though written a row at a time (so no one call holds Python's lock for a
whole return); an operation's as its rows were captured, read back as the same changes."""

import json

from tracker.domain.changes import RowChange
from tracker.store import activity


def test_the_changes_are_stored_as_one_json_array_and_read_back_as_written(store):
    changes = (
        RowChange("commitment", "a-uid", {"id": 1, "text": "Tackle violence — “at once”"},
                  {"id": 1, "text": "Tackle violence ✔"}),
        RowChange("evidence", "b-uid", None, {"id": 2, "figure": 0.1, "text": "Café £5"}),
        RowChange("evidence", "c-uid", {"id": 3, "text": "gone"}, None),
    )
    with store.transaction():
        entry = activity.append(store, kind="test", summary="Three rows", changes=changes,
                                origin="script")
    stored = store.execute("SELECT changes FROM activity WHERE uid = ?", (entry.uid,)).fetchone()[0]
    assert stored == json.dumps([c.to_json() for c in changes], ensure_ascii=False)
    assert activity.get(store, entry.uid).changes == changes


def test_an_operation_without_changes_stores_an_empty_array(store):
    with store.transaction():
        entry = activity.append(store, kind="test", summary="Nothing", changes=(), origin="script")
    stored = store.execute("SELECT changes FROM activity WHERE uid = ?", (entry.uid,)).fetchone()[0]
    assert stored == "[]"


def test_an_operations_entry_holds_its_changes_as_captured(store):
    from tracker import ops
    from tracker.domain.status import Status
    from tracker.store import commitments, plans

    plan_id = plans.find_plan(store, "2020/21").id
    first = commitments.list_commitments(store, plans.list_priorities(store, plan_id)[0].id)[0]
    result = ops.set_status(store, first.id, Status.AT_RISK, "Recruitment slipped — “badly”")
    stored = store.execute("SELECT changes FROM activity WHERE uid = ?",
                           (result.op_id,)).fetchone()[0]
    assert json.loads(stored) == [c.to_json() for c in result.changes]
    assert activity.get(store, result.op_id).changes == result.changes
    assert {c.table for c in result.changes} == {"commitment", "status_change"}
    assert store.execute("SELECT count(*) FROM activity a, json_each(a.changes) "
                         "WHERE a.uid = ?", (result.op_id,)).fetchone()[0] == 2
