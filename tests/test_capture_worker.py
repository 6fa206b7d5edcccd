"""The rows an operation records, on the window's connection and on a worker's."""

from __future__ import annotations

from test_ops import first_commitment
from test_partial_changes import logged

from tracker import ops


def _logged(store, op_id):
    return {(c["table"], c["key"]) for c in logged(store, op_id)}


def test_a_worker_records_each_operation_on_its_own_and_the_window_keeps_no_recorded_rows(store):
    c = first_commitment(store)
    with store.for_worker() as worker:
        first = ops.set_status(worker, c.id, "ON TRACK", "Recruitment is on plan")
        second = ops.set_status(worker, c.id, "AT RISK", "Recruitment has slowed")
        assert worker.execute("SELECT count(*) FROM temp.op_capture").fetchone()[0] > 0
    assert {ch.table for ch in second.changes} == {"commitment", "status_change"}
    history = [ch for ch in second.changes if ch.table == "status_change"]
    assert [h.after["reason"] for h in history] == ["Recruitment has slowed"]
    assert _logged(store, first.op_id) & _logged(store, second.op_id) == {("commitment", c.uid)}
    ops.set_status(store, c.id, "ON TRACK", "Recovered")
    assert store.execute("SELECT count(*) FROM temp.op_capture").fetchone()[0] == 0
