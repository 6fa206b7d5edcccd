"""The activity log keeps an operation's changes as the JSON array json.dumps would write, though
it writes it a row at a time (so no one call holds Python's lock for a whole return)."""

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
