"""A changed row is logged by the columns the operation changed (with the row's identity), not
whole; undo still compares before it sets, and reads entries written in the older whole-row
form the same way."""

from __future__ import annotations

import json

import pytest
from test_exchange_support import answer, edit, export

from tracker import ops
from tracker.domain.status import Status
from tracker.exchange import layout
from tracker.exchange.return_preview import preview_return
from tracker.store import capture, commitments, evidence, plans

C = layout.COMMITMENTS


def first_commitment(store, plan="2020/21"):
    plan_id = plans.find_plan(store, plan).id
    priority = plans.list_priorities(store, plan_id)[0]
    return commitments.list_commitments(store, priority.id)[0]


def logged(store, op_id):
    [text] = store.execute("SELECT changes FROM activity WHERE uid = ?", (op_id,)).fetchone()
    return json.loads(text)


def test_a_status_change_logs_only_the_changed_columns_and_the_rows_identity(store):
    c = first_commitment(store)
    result = ops.set_status(store, c.id, "on track", "Recruitment is on plan")
    [row] = [ch for ch in logged(store, result.op_id) if ch["table"] == "commitment"]
    assert row["partial"] is True and row["key"] == c.uid
    assert set(row["before"]) == set(row["after"]) == {
        "id", "uid", "priority_id", "parent_id", "carried_forward_from_id", "status",
        "updated_at"}
    assert (row["before"]["status"], row["after"]["status"]) == ("not_assessed", "on_track")
    assert "text" not in row["after"]
    [history] = [ch for ch in logged(store, result.op_id) if ch["table"] == "status_change"]
    assert history["before"] is None and "partial" not in history  # added rows stay whole
    assert history["after"]["reason"] == "Recruitment is on plan"


def test_an_imports_touched_commitments_are_logged_by_their_stamp_alone(store, tmp_path):
    statuses = store.execute("SELECT id, status FROM commitment ORDER BY id").fetchall()
    sent = export(store, tmp_path)
    filled = edit(sent, tmp_path / "back.xlsx", {answer(C, "evidence", 3): "Counters opened",
                                                  answer(C, "new_status", 2): "Complete"})
    result = ops.apply_return(store, preview_return(store, filled))
    rows = [ch for ch in logged(store, result.op_id) if ch["table"] == "commitment"]
    assert rows and all(ch["partial"] for ch in rows)
    assert {frozenset(ch["after"]) - {"id", "uid", "priority_id", "parent_id",
                                      "carried_forward_from_id"} for ch in rows} == {
        frozenset({"updated_at"}), frozenset({"status", "updated_at"})}
    before = store.execute("SELECT count(*) FROM evidence").fetchone()[0]
    ops.undo(store, result.short_id)
    assert store.execute("SELECT count(*) FROM evidence").fetchone()[0] == before - 1
    assert store.execute("SELECT id, status FROM commitment ORDER BY id").fetchall() == statuses


def test_a_commitment_given_a_status_and_evidence_by_a_return_is_written_once(store, tmp_path):
    """Its row is updated once, with its new evidence's stamp (later than its status
    change's), and logged as one change; the commitments given only one of the two are
    written as before, and undo takes all of it back."""
    statuses = store.execute("SELECT id, status, updated_at FROM commitment ORDER BY id").fetchall()
    sent = export(store, tmp_path)
    filled = edit(sent, tmp_path / "back.xlsx", {
        answer(C, "new_status", 2): "Complete", answer(C, "update", 2): "Delivered",
        answer(C, "evidence", 2): "Counters opened",
        answer(C, "evidence", 3): "A hub opened", answer(C, "new_status", 4): "At risk",
        answer(C, "update", 4): "Slipping"})
    preview = preview_return(store, filled)
    records: dict[str, int] = {}

    def step(_n):  # the rows recorded so far, once everything is written
        records.update(store.execute("SELECT key, count(*) FROM temp.op_capture "
                                     "WHERE tbl = 'commitment' GROUP BY key").fetchall())

    result = ops.apply_return(store, preview, step=step)
    return_id = result.value.record.id
    added = dict(store.execute("SELECT commitment_id, updated_at FROM evidence "
                               "WHERE return_id = ?", (return_id,)).fetchall())
    changed = dict(store.execute("SELECT commitment_id, changed_at FROM status_change "
                                 "WHERE return_id = ?", (return_id,)).fetchall())
    [both] = set(added) & set(changed)
    assert len(added) == len(changed) == 2
    stamps = dict(store.execute("SELECT id, updated_at FROM commitment").fetchall())
    assert stamps[both] == added[both] > changed[both]
    assert all(stamps[c] == added[c] for c in added) and all(
        stamps[c] == changed[c] for c in changed if c not in added)
    uid_of = dict(store.execute("SELECT id, uid FROM commitment").fetchall())
    assert sorted(records.values()) == [1, 1, 1] and set(records) == {
        uid_of[c] for c in set(added) | set(changed)}
    rows = {ch["key"]: ch for ch in logged(store, result.op_id) if ch["table"] == "commitment"}
    assert rows[uid_of[both]]["before"]["status"] != rows[uid_of[both]]["after"]["status"]
    assert rows[uid_of[both]]["after"]["updated_at"] == added[both]
    assert sorted(c.key for c in result.changes if c.table == "commitment") == sorted(rows)
    ops.undo(store, result.short_id)
    assert store.execute(
        "SELECT id, status, updated_at FROM commitment ORDER BY id").fetchall() == statuses


def test_undo_writes_back_only_the_columns_the_operation_changed(store):
    c = first_commitment(store)
    ops.edit_commitment(store, c.id, lead="A. Person")
    store.officer = "Sam Other"
    later = ops.set_status(store, c.id, "at risk", "Slipping")
    first = ops.edit_commitment(store, c.id, text="Open two new counters")
    ops.undo(store, first.short_id)
    now = commitments.get_commitment(store, c.id)
    assert (now.text, now.lead, now.status) == (c.text, "A. Person", Status.AT_RISK)
    assert later.op_id


def test_undo_goes_ahead_when_only_the_stamp_moved_since(store):
    """Evidence added by hand after a status change touches only the commitment's "last
    updated": the status change can still be undone, and the evidence stays."""
    c = first_commitment(store)
    first = ops.set_status(store, c.id, "on track", "Delivered")
    added = ops.add_evidence(store, c.id, ops.EvidenceInput("A new hub opened"))
    ops.undo(store, first.short_id)
    assert commitments.get_commitment(store, c.id).status is c.status
    assert evidence.get_evidence(store, added.value).text == "A new hub opened"


def test_undo_refuses_when_another_column_of_the_row_changed_since(store):
    c = first_commitment(store)
    first = ops.set_status(store, c.id, "on track", "Delivered")
    store.officer = "Sam Other"
    ops.edit_commitment(store, c.id, text="Open three new counters")
    with pytest.raises(ops.UndoRefused) as refused:
        ops.undo(store, first.short_id)
    message = str(refused.value)
    assert "changed since by Sam Other" in message and "Nothing was changed" in message
    assert commitments.get_commitment(store, c.id).status is Status.ON_TRACK


def test_undo_refuses_when_the_row_was_changed_outside_the_tracker(store):
    c = first_commitment(store)
    first = ops.set_status(store, c.id, "on track", "Delivered")
    with store.transaction():
        store.execute("UPDATE commitment SET lead = 'Someone', updated_at = ? WHERE id = ?",
                      ("2099-01-01T00:00:00.000000+00:00", c.id))
    with pytest.raises(ops.UndoRefused, match="not through the tracker's own operations"):
        ops.undo(store, first.short_id)
    assert commitments.get_commitment(store, c.id).status is Status.ON_TRACK


def test_redo_after_undo_of_a_partial_entry(store):
    c = first_commitment(store)
    first = ops.set_status(store, c.id, "on track", "Delivered")
    ops.undo(store, first.short_id)
    ops.redo(store, first.short_id)
    assert commitments.get_commitment(store, c.id).status is Status.ON_TRACK
    ops.undo(store, first.short_id)
    assert commitments.get_commitment(store, c.id).status is c.status


def _as_whole_rows(store, op_id):
    """Rewrite an entry as the tracker wrote it before changed rows were logged by their
    changed columns: every row whole, before and after, no "partial" mark."""
    changes = logged(store, op_id)
    for ch in changes:
        if ch.pop("partial", False):
            now = capture.current_row(store, ch["table"], ch["key"], ch["after"])
            ch["before"] = {**now, **ch["before"]}
            ch["after"] = {**now, **ch["after"]}
    with store.transaction():
        store.execute("UPDATE activity SET changes = ? WHERE uid = ?",
                      (json.dumps(changes), op_id))


def test_an_entry_in_the_older_whole_row_form_is_undone_and_redone(store):
    c = first_commitment(store)
    first = ops.edit_commitment(store, c.id, text="Open two new counters", lead="A. Person")
    _as_whole_rows(store, first.op_id)
    assert not any("partial" in ch for ch in logged(store, first.op_id))
    ops.undo(store, first.short_id)
    now = commitments.get_commitment(store, c.id)
    assert (now.text, now.lead) == (c.text, c.lead)
    ops.redo(store, first.short_id)
    now = commitments.get_commitment(store, c.id)
    assert (now.text, now.lead) == ("Open two new counters", "A. Person")


def test_an_entry_in_the_older_form_still_refuses_when_the_row_changed_since(store):
    c = first_commitment(store)
    first = ops.edit_commitment(store, c.id, lead="A. Person")
    _as_whole_rows(store, first.op_id)
    store.officer = "Sam Other"
    ops.edit_commitment(store, c.id, text="Open three new counters")
    with pytest.raises(ops.UndoRefused, match="changed since by Sam Other"):
        ops.undo(store, first.short_id)
    assert commitments.get_commitment(store, c.id).lead == "A. Person"


def test_the_activity_log_names_a_partial_row_in_words(store):
    from tracker.ops.wording import change_line

    c = first_commitment(store)
    result = ops.set_status(store, c.id, "on track", "Delivered")
    [change] = [ch for ch in result.changes if ch.table == "commitment"]
    assert change.partial
    line = change_line(store, change)
    assert line.startswith("Changed commitment ") and "status" in line and "“" not in line[:20]
    assert "None" not in line


def test_a_changed_row_of_a_table_without_a_stamp_is_logged_whole(store):
    """Without an updated_at that every write moves, newer work on columns left unrecorded
    could not be told: such rows stay whole, and undo compares them whole."""
    from tracker.ops.core import operation

    c = first_commitment(store)
    ops.set_status(store, c.id, "on track", "Delivered")
    [(history_id, history_uid)] = store.execute(
        "SELECT id, uid FROM status_change WHERE commitment_id = ? AND reason = 'Delivered'",
        (c.id,)).fetchall()
    with operation(store, "edit_history", "Reworded a reason") as op:
        store.execute("UPDATE status_change SET reason = 'Delivered on time' WHERE id = ?",
                      (history_id,))
    [row] = logged(store, op.result.op_id)
    assert row["key"] == history_uid and "partial" not in row
    assert row["before"]["changed_by"] == row["after"]["changed_by"] == "Test Officer"
    assert (row["before"]["reason"], row["after"]["reason"]) == ("Delivered", "Delivered on time")
    with store.transaction():
        store.execute("UPDATE status_change SET changed_by = 'Someone' WHERE id = ?",
                      (history_id,))
    with pytest.raises(ops.UndoRefused):
        ops.undo(store, op.result.short_id)


def _edited_outside(store, commitment_id):
    """A change the activity log never saw (a script, a tool on the file), stamped as any
    write is."""
    with store.transaction():
        store.execute("UPDATE commitment SET lead = 'Someone Else', updated_at = ? WHERE id = ?",
                      ("2099-01-01T00:00:00.000000+00:00", commitment_id))


def _touched_then_edited_outside(store, *, undone):
    """A status set, its commitment touched by evidence added by hand (the log knows why its
    stamp moved), the status undone when `undone`, then a change made outside the tracker
    (the log cannot say why the stamp moved again): the commitment and the status's entry."""
    c = first_commitment(store)
    first = ops.set_status(store, c.id, "on track", "Delivered")
    ops.add_evidence(store, c.id, ops.EvidenceInput("A new hub opened"))
    if undone:
        ops.undo(store, first.short_id)
    _edited_outside(store, c.id)
    return c, first


def test_undo_refuses_a_change_outside_the_tracker_after_a_touch_the_log_knows(store):
    """Undo refuses, as it does when the log knows of no touch at all."""
    c, first = _touched_then_edited_outside(store, undone=False)
    with pytest.raises(ops.UndoRefused, match="not through the tracker's own operations"):
        ops.undo(store, first.short_id)
    now = commitments.get_commitment(store, c.id)
    assert (now.status, now.lead) == (Status.ON_TRACK, "Someone Else")


def test_redo_refuses_a_change_outside_the_tracker_since_the_undo(store):
    c, first = _touched_then_edited_outside(store, undone=True)
    with pytest.raises(ops.UndoRefused, match=r"Cannot redo .* Nothing was changed"):
        ops.redo(store, first.short_id)
    now = commitments.get_commitment(store, c.id)
    assert (now.status, now.lead) == (c.status, "Someone Else")


def test_undo_after_its_own_undo_and_redo_and_a_touch_goes_ahead(store):
    c = first_commitment(store)
    first = ops.set_status(store, c.id, "on track", "Delivered")
    ops.add_evidence(store, c.id, ops.EvidenceInput("A new hub opened"))
    ops.undo(store, first.short_id)
    ops.redo(store, first.short_id)
    ops.add_evidence(store, c.id, ops.EvidenceInput("A second hub opened"))
    ops.undo(store, first.short_id)
    assert commitments.get_commitment(store, c.id).status is c.status


def test_a_row_written_twice_that_changed_only_its_place_is_logged_and_undone(store):
    """A row written more than once is merged from its records; a change of the ids it holds
    alone (moved under another priority, without a new stamp) is a change like any other."""
    from tracker.ops.core import operation

    plan_id = plans.find_plan(store, "2020/21").id
    first, second, *_rest = plans.list_priorities(store, plan_id)
    c = commitments.list_commitments(store, first.id)[0]
    with operation(store, "move_commitment", "Moved a commitment") as op:
        store.execute("UPDATE commitment SET priority_id = ? WHERE id = ?", (second.id, c.id))
        store.execute("UPDATE commitment SET parent_id = NULL WHERE id = ?", (c.id,))
    [row] = [ch for ch in logged(store, op.result.op_id) if ch["table"] == "commitment"]
    assert (row["before"]["priority_id"], row["after"]["priority_id"]) == (first.id, second.id)
    ops.undo(store, op.result.short_id)
    assert commitments.get_commitment(store, c.id).priority_id == first.id
