"""The operations layer: one transaction and one activity log entry per operation, and undo
that compares before it sets, so it never overwrites newer work."""

from __future__ import annotations

import json

import pytest
from test_exchange_support import ROUND, answer, database_content, edit, export

from tracker import ops
from tracker.domain.model import PlanState, Series, Unit
from tracker.domain.status import Status
from tracker.exchange import layout
from tracker.exchange.return_preview import preview_return
from tracker.ops import wording
from tracker.store import commitments, evidence, indicators, partners, plans, search
from tracker.store.errors import ValidationError

C, IND = layout.COMMITMENTS, layout.INDICATORS


def first_commitment(store, plan="2020/21"):
    plan_id = plans.find_plan(store, plan).id
    priority = plans.list_priorities(store, plan_id)[0]
    return commitments.list_commitments(store, priority.id)[0]


def log_rows(store):
    return store.execute("SELECT kind, who, origin, summary, plans, changes FROM activity "
                         "ORDER BY at").fetchall()


def test_an_operation_is_one_log_entry_with_every_row_before_and_after(store):
    c = first_commitment(store)
    store.origin = "cli"
    result = ops.set_status(store, c.id, "ON TRACK", "Recruitment is on plan")
    assert commitments.get_commitment(store, c.id).status is Status.ON_TRACK
    [(kind, who, origin, summary, plan_ids, changes)] = log_rows(store)
    assert (kind, who, origin) == ("set_status", "Test Officer", "cli")
    assert summary == result.summary and "to On track: Recruitment is on plan" in summary
    assert json.loads(plan_ids) == [plans.find_plan(store, "2020/21").id]
    rows = {(ch["table"], ch["key"]): ch for ch in json.loads(changes)}
    commitment = rows[("commitment", c.uid)]
    assert commitment["before"]["status"] == "not_assessed"
    assert commitment["after"]["status"] == "on_track"
    [history] = [ch for ch in rows.values() if ch["table"] == "status_change"]
    assert history["before"] is None and history["after"]["reason"] == "Recruitment is on plan"
    assert result.op_id and result.short_id == result.op_id.replace("-", "")[:8]


def test_a_refused_operation_writes_nothing_and_logs_nothing(store):
    c = first_commitment(store)
    before = database_content(store)
    with pytest.raises(ValidationError, match="reason is required"):
        ops.set_status(store, c.id, "complete", "   ")
    with pytest.raises(ValidationError, match="is not a status"):
        ops.set_status(store, c.id, "nearly", "because")
    assert database_content(store) == before


def test_a_failure_half_way_rolls_the_whole_operation_back(store, monkeypatch):
    c = first_commitment(store)
    before = database_content(store)

    def fail(*_a, **_k):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(commitments, "remove_commitment",
                        lambda s, i: (s.execute("DELETE FROM evidence WHERE commitment_id = ?",
                                                (i,)), fail()))
    with pytest.raises(RuntimeError):
        ops.delete_commitment(store, c.id)
    assert database_content(store) == before


def test_undo_and_redo_are_operations_too(store):
    c = first_commitment(store)
    added = ops.add_evidence(store, c.id, ops.EvidenceInput("Two new counters opened",
                                                            evidence_date="30/09/2021"))
    assert evidence.get_evidence(store, added.value).evidence_date == "2021-09-30"
    undone = ops.undo(store)
    assert undone.kind == "undo" and undone.value.uid == added.op_id
    assert all(e.text != "Two new counters opened" for e in evidence.list_evidence(store, c.id))
    redone = ops.redo(store)
    assert redone.kind == "redo"
    assert evidence.get_evidence(store, added.value).text == "Two new counters opened"
    kinds = [row[0] for row in log_rows(store)]
    assert kinds == ["add_evidence", "undo", "redo"]
    with pytest.raises(ops.UndoRefused, match="has not been undone"):
        ops.redo(store, added.short_id)


def test_undo_refuses_when_the_row_changed_since_and_says_by_whom(store):
    c = first_commitment(store)
    item = evidence.list_evidence(store, c.id)[0]
    first = ops.edit_evidence(store, item.id, ops.EvidenceInput("First wording"))
    store.officer = "Sam Other"
    ops.edit_evidence(store, item.id, ops.EvidenceInput("Second wording"))
    before = database_content(store)
    with pytest.raises(ops.UndoRefused) as refused:
        ops.undo(store, first.short_id)
    message = str(refused.value)
    assert "“Second wording”" in message and "changed since by Sam Other" in message
    assert "Nothing was changed" in message
    assert database_content(store) == before
    assert evidence.get_evidence(store, item.id).text == "Second wording"


def test_the_refusal_names_the_change_that_made_the_difference_not_a_later_touch(store):
    """Evidence added to a commitment moves only its "last updated" stamp; the refusal names the
    status change that stands in the way, not the evidence."""
    c = first_commitment(store)
    first = ops.set_status(store, c.id, "on track", "Delivered")
    store.officer = "Sam Other"
    ops.set_status(store, c.id, "at risk", "Slipping")
    store.officer = "Jo Later"
    added = ops.add_evidence(store, c.id, ops.EvidenceInput("A new hub opened"))
    ops.undo(store, added.op_id)
    with pytest.raises(ops.UndoRefused) as refused:
        ops.undo(store, first.op_id)
    message = str(refused.value)
    assert "changed since by Sam Other" in message, message
    assert "Jo Later" not in message and "evidence" not in message


def test_undo_of_the_latest_goes_back_one_step_at_a_time(store):
    c = first_commitment(store)
    ops.set_status(store, c.id, "on track", "one")
    ops.set_status(store, c.id, "at risk", "two")
    ops.undo(store)
    assert commitments.get_commitment(store, c.id).status is Status.ON_TRACK
    ops.undo(store)
    assert commitments.get_commitment(store, c.id).status is Status.NOT_ASSESSED
    assert commitments.status_history(store, c.id) == [
        h for h in commitments.status_history(store, c.id) if h.reason not in ("one", "two")]


def test_undo_will_not_take_away_what_was_added_since(store):
    c = first_commitment(store)
    added = ops.add_commitment(store, c.priority_id, "Open a new station", code="Z")
    ops.add_evidence(store, added.value, ops.EvidenceInput("The site was bought"))
    with pytest.raises(ops.UndoRefused, match="would also remove the evidence “The site was bought”"):
        ops.undo(store, added.short_id)
    assert commitments.get_commitment(store, added.value).text == "Open a new station"


def test_undo_will_not_write_into_a_closed_plan(store):
    c = first_commitment(store)
    edited = ops.edit_commitment(store, c.id, lead="A. Person")
    ops.close_plan(store, plans.find_plan(store, "2020/21").id)
    with pytest.raises(ops.UndoRefused, match="is closed; reopen it first"):
        ops.undo(store, edited.short_id)
    ops.undo(store)  # the close itself can be undone: the plan reopens
    assert plans.find_plan(store, "2020/21").state is not PlanState.CLOSED
    ops.undo(store, edited.short_id)
    assert commitments.get_commitment(store, c.id).lead == c.lead


def test_a_deleted_commitment_comes_back_whole_under_its_own_ids(store):
    c = first_commitment(store)
    items = evidence.list_evidence(store, c.id)
    history = commitments.status_history(store, c.id)
    partner_ids = partners.commitment_partner_ids(store, c.id)
    word = items[0].text.split()[0]
    deleted = ops.delete_commitment(store, c.id)
    assert "evidence item" in deleted.summary
    ops.undo(store)
    assert commitments.get_commitment(store, c.id) == c
    assert evidence.list_evidence(store, c.id) == items
    assert commitments.status_history(store, c.id) == history
    assert partners.commitment_partner_ids(store, c.id) == partner_ids
    assert any(hit.commitment_id == c.id for hit in search.search(store, word, limit=500))


def test_a_new_plan_and_its_undo(store):
    source = plans.find_plan(store, "2020/21")
    old = plans.list_priorities(store, source.id)
    carried = first_commitment(store)
    request = ops.NewPlanRequest("Police and Crime Plan 2024-2028", "2024-2028",
                                 [(p.number, p.title) for p in old],
                                 {p.id: p.number for p in old}, [carried.id])
    made = ops.new_plan_from(store, source.id, request)
    new_plan = plans.get_plan(store, made.value.plan_id)
    assert new_plan.title == "Police and Crime Plan 2024-2028"
    assert commitments.get_commitment(store, carried.id).status is Status.CARRIED_FORWARD
    ops.undo(store)
    assert all(p.id != new_plan.id for p in plans.list_plans(store))
    assert commitments.get_commitment(store, carried.id).status is carried.status


@pytest.mark.parametrize(("typed", "field"), [
    (("", "2024-2028", [(1, "A")]), "title"),
    (("Next", " ", [(1, "A")]), "period"),
    (("Next", "2024-2028", [(1, "A"), ("1", "B")]), "priorities"),
    (("Next", "2024-2028", [("x", "A")]), "priorities"),
    (("Next", "2024-2028", [(2, "  ")]), "priorities"),
])
def test_the_new_plan_rules_name_the_field(store, typed, field):
    source = plans.find_plan(store, "2020/21")
    with pytest.raises(ValidationError) as refused:
        ops.new_plan_from(store, source.id, ops.NewPlanRequest(*typed))
    assert refused.value.field == field


def test_pasted_rows_are_one_operation_all_or_none(store):
    indicator = next(i for i in indicators.list_indicators(store) if i.unit is Unit.COUNT)
    before = database_content(store)
    with pytest.raises(ValidationError, match="Pasted line 2"):
        ops.paste_values(store, indicator.id, "2030/31\t12\n2031/32\tlots\n")
    assert database_content(store) == before
    pasted = ops.paste_values(store, indicator.id, "2030/31\t12\tnote one\n2031/32\t1,300\r\n")
    assert pasted.summary.startswith("Added 2 values")
    values = {v.period: v for v in indicators.list_values(store, indicator.id, Series.ACTUAL)}
    assert values["2030/31"].value == 12 and values["2030/31"].note == "note one"
    assert values["2031/32"].value == 1300
    ops.undo(store)
    after = database_content(store)
    assert len(after.pop("activity")) == 2 and before.pop("activity") == []
    assert after == before


# --- partner returns and undo ------------------------------------------------------------


def _import(store, tmp_path, edits):
    sent = export(store, tmp_path)
    filled = edit(sent, tmp_path / "back.xlsx", edits)
    return ops.apply_return(store, preview_return(store, filled))


def test_an_import_is_one_operation_whose_origin_is_the_return(store, tmp_path):
    result = _import(store, tmp_path, {answer(C, "new_status", 2): "Complete",
                                       answer(C, "evidence", 3): "Counters opened",
                                       answer(IND, "new_value", 2): 81})
    record = result.value.record
    [(kind, who, origin, *_rest)] = [r for r in log_rows(store) if r[0] == "apply_return"]
    assert (kind, who, origin) == ("apply_return", "Test Officer", f"return {record.id}")
    assert list((store.path.parent / "tracker-backups").glob("*import-return*"))
    undone = ops.undo(store)
    assert undone.value.uid == result.op_id
    assert store.execute("SELECT imported_at FROM partner_return WHERE id = ?",
                         (record.id,)).fetchone()[0] is None
    assert store.execute("SELECT count(*) FROM evidence WHERE text = 'Counters opened'"
                         ).fetchone()[0] == 0


def test_what_an_officer_reads_of_a_return_names_it_in_words_not_by_its_id(store, tmp_path):
    result = _import(store, tmp_path, {answer(C, "evidence", 3): "Counters opened"})
    record = result.value.record
    [row] = store.query("SELECT * FROM partner_return WHERE id = ?", [record.id])
    said = [result.summary, wording.describe_row(store, "partner_return", row),
            wording.origin_words(store, f"return {record.id}")]
    assert said == [f"Imported Essex Police's {ROUND} return: 1 new evidence, 0 status changes, "
                    "0 indicator values.",
                    f"Essex Police's {ROUND} return", f"by Essex Police's {ROUND} return"]
    assert not any(str(record.id) in words for words in said)
    gone = dict(row, partner_id=-1)
    assert wording.describe_row(store, "partner_return", gone) == (
        f"a {ROUND} return from a partner no longer in this database")


def test_undo_of_an_earlier_edit_never_overwrites_what_a_return_wrote(store, tmp_path):
    # The partner's workbook reports the value the officer had just typed a moment before.
    sent = export(store, tmp_path)
    indicator_id = _first_indicator_of(store, sent)
    period = _first_indicator_period(sent)
    typed = ops.add_values(store, indicator_id, indicators.ValueInput(period, 70))
    filled = edit(sent, tmp_path / "back.xlsx", {answer(IND, "new_value", 2): 81})
    preview = preview_return(store, filled)
    for change in preview.conflicts:  # the officer accepts the partner's figure
        change.accepted = True
    imported = ops.apply_return(store, preview)
    record = imported.value.record
    with pytest.raises(ops.UndoRefused) as refused:
        ops.undo(store, typed.short_id)
    message = str(refused.value)
    assert f"by Essex Police's {ROUND} return" in message and str(record.id) not in message
    assert "imported by Test Officer" in message
    assert [v.value for v in indicators.list_values(store, indicator_id)
            if v.period == period] == [81]


def test_undo_of_an_import_refuses_when_its_evidence_was_edited_since(store, tmp_path):
    result = _import(store, tmp_path, {answer(C, "evidence", 3): "Counters opened"})
    [added] = [c for c in result.changes if c.table == "evidence"]
    ops.edit_evidence(store, added.after["id"], ops.EvidenceInput("Counters opened in May"))
    with pytest.raises(ops.UndoRefused, match="changed since by Test Officer"):
        ops.undo(store, result.short_id)


def test_revert_return_is_an_operation_with_a_backup(store, tmp_path):
    result = _import(store, tmp_path, {answer(C, "new_status", 2): "Complete"})
    reverted = ops.revert_return(store, result.value.record.id)
    assert reverted.kind == "revert_return" and "1 status" in reverted.summary
    assert list((store.path.parent / "tracker-backups").glob("*revert-return*"))
    ops.undo(store)  # the revert is undone: the return's status is back
    assert any(c.after and c.after.get("status") == "complete"
               for c in result.changes if c.table == "commitment")


def test_a_reverts_backup_holds_the_database_before_it_and_a_refused_revert_leaves_none(
        store, tmp_path):
    import sqlite3

    result = _import(store, tmp_path, {answer(C, "evidence", 3): "Counters opened"})
    folder = store.path.parent / "tracker-backups"
    count = "SELECT count(*) FROM evidence WHERE text = 'Counters opened'"
    ops.revert_return(store, result.value.record.id)
    assert store.execute(count).fetchone()[0] == 0
    store.wait_for_background()  # the copy is flushed after the commit
    [taken] = folder.glob("*revert-return*")
    copy = sqlite3.connect(taken)
    assert copy.execute(count).fetchone()[0] == 1  # as it was before the revert
    copy.close()
    with pytest.raises(ValidationError, match="already reverted"):
        ops.revert_return(store, result.value.record.id)
    store.wait_for_background()
    assert list(folder.glob("*revert-return*")) == [taken]


def test_sending_returns_is_logged_but_not_undone(store, tmp_path):
    sent = ops.send_returns(store, ROUND, tmp_path, partner="Essex Police")
    assert [w.partner_name for w in sent.value] == ["Essex Police"]
    assert sent.summary.startswith("Sent 1 workbook for")
    with pytest.raises(ops.UndoRefused, match="cannot be unsent"):
        ops.undo(store, sent.short_id)
    with pytest.raises(ops.NothingToUndo):
        ops.undo(store)  # passes over it: there is nothing else to undo


# --- listening and recording from outside -----------------------------------------------


def test_observers_hear_every_operation_and_external_changes_are_logged(store):
    heard = []
    ops.subscribe(store, heard.append)
    c = first_commitment(store)
    done = ops.edit_commitment(store, c.id, lead="Jo")
    ops.undo(store)
    assert [r.kind for r in heard] == ["edit_commitment", "undo"]
    assert heard[0].ids("commitment") == {c.id}
    change = next(ch for ch in done.changes if ch.table == "commitment")
    external = ops.record_external(store, "sync", "Two changes from Sam's laptop", [change],
                                   who="Sam", at="2030-01-01T00:00:00+00:00")
    entry = ops.log_entries(store, limit=1)[0]
    assert (entry.origin, entry.who, entry.kind) == ("sync", "Sam", "sync")
    assert heard[-1] == external and entry.changes == (change,)


def _first_indicator_of(store, workbook):
    from openpyxl import load_workbook

    wb = load_workbook(workbook)
    for row in wb[layout.HIDDEN].iter_rows(values_only=True):
        if row[1] == "indicator":
            return indicators.list_indicators(store) and next(
                i.id for i in indicators.list_indicators(store) if i.uid == row[2])
    raise AssertionError("no indicator in the workbook")


def _first_indicator_period(workbook):
    from openpyxl import load_workbook

    wb = load_workbook(workbook)
    for row in wb[layout.HIDDEN].iter_rows(values_only=True):
        if row[1] == "indicator":
            return row[3]
    raise AssertionError("no indicator in the workbook")


def test_a_restore_is_logged_in_the_restored_database_and_is_a_fence(store, tmp_path):
    from tracker.store.backup import take_backup
    from tracker.store.database import open_store

    backup = take_backup(store.conn, store.path, "test")
    c = first_commitment(store)
    ops.edit_commitment(store, c.id, lead="After the backup")
    path = store.path
    store.close()
    restored = ops.restore_backup(path, backup, officer="Jo", origin="window")
    assert restored.value.exists() and "restore" in restored.value.name
    with open_store(path) as again:
        assert commitments.get_commitment(again, c.id).lead == c.lead
        [entry] = ops.log_entries(again)
        assert (entry.kind, entry.who, entry.origin) == ("restore_backup", "Jo", "window")
        assert restored.value.name in entry.summary
        with pytest.raises(ops.UndoRefused, match="restore the backup taken just before it"):
            ops.undo(again)


def test_a_whole_plan_workbook_makes_a_new_database_or_nothing(store, tmp_path):
    from tracker.exchange.plan_workbook import export_plan_workbook
    from tracker.store.database import open_store

    export_plan_workbook(store, tmp_path / "plan.xlsx")
    made = ops.new_database_from_workbook(tmp_path / "new.db", tmp_path / "plan.xlsx",
                                          officer="Jo")
    assert made.value["commitment"] == len(store.execute("SELECT id FROM commitment").fetchall())
    with open_store(tmp_path / "new.db") as new:
        assert [e.kind for e in ops.log_entries(new)] == ["load_plan_workbook"]
    (tmp_path / "bad.xlsx").write_bytes(b"not a workbook")
    with pytest.raises(Exception, match=r"bad\.xlsx"):
        ops.new_database_from_workbook(tmp_path / "other.db", tmp_path / "bad.xlsx")
    assert not (tmp_path / "other.db").exists()


def test_an_import_that_defers_its_checkpoint_leaves_the_connection_checkpointing(
        store, tmp_path):
    sent = export(store, tmp_path)
    filled = edit(sent, tmp_path / "back.xlsx", {answer(C, "evidence", 3): "Counters opened"})
    store.execute("PRAGMA wal_autocheckpoint = 500")
    result = ops.apply_return(store, preview_return(store, filled), defer_checkpoint=True)
    assert result.value.evidence == 1
    assert store.execute("PRAGMA wal_autocheckpoint").fetchone()[0] == 500
    assert store.execute("SELECT count(*) FROM evidence WHERE text = 'Counters opened'"
                         ).fetchone()[0] == 1
