"""Undo in the real window, on the operations layer: an imported return is one step of the
history, Ctrl+Z undoes it as one or refuses in words (never overwriting newer work, never
skipping past it), open dialogs follow every operation, and Edit ▸ Activity lists them."""

from __future__ import annotations

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from test_exchange_support import answer, edit, export
from ui_helpers import activate, capture_warnings, close_window, make_window

from tracker import ops
from tracker.domain.status import Status
from tracker.domain.wording import format_value
from tracker.exchange import layout
from tracker.store import commitments, evidence, indicators, returns
from tracker.ui.dialogs.evidence_dialog import EvidenceDialog
from tracker.ui.returns import ImportReturnDialog

C, IND = layout.COMMITMENTS, layout.INDICATORS


@pytest.fixture
def window(qtbot, store, tmp_path):
    w = make_window(qtbot, store, tmp_path)
    yield w
    close_window(w)


def _uid(workbook, ref):
    for row in load_workbook(workbook)[layout.HIDDEN].iter_rows(values_only=True):
        if row[0] == ref:
            return row[2], row[3]
    raise AssertionError(ref)


def _return(store, tmp_path):
    """Essex Police's workbook, back with a status, new evidence for the commitment on row 3
    and an indicator value: the paths, and the commitments and indicator it names."""
    sent = export(store, tmp_path)
    back = edit(sent, tmp_path / "back.xlsx", {
        answer(C, "new_status", 2): "Complete", answer(C, "evidence", 3): "Opened a hub",
        answer(IND, "new_value", 2): 81})
    status_c = commitments.find_commitment_by_uid(store, _uid(sent, "C001")[0])
    evidence_c = commitments.find_commitment_by_uid(store, _uid(sent, "C002")[0])
    indicator_uid, period = _uid(sent, "I001")
    indicator = next(i for i in indicators.list_indicators(store) if i.uid == indicator_uid)
    return back, status_c, evidence_c, indicator, period


def _import(qtbot, window, path) -> ImportReturnDialog:
    dialog = window.returns.import_return(path)
    qtbot.waitUntil(lambda: dialog.preview is not None, timeout=20_000)
    with qtbot.waitSignal(dialog.applied, timeout=20_000):
        dialog.apply_button.click()
    dialog.close()
    return dialog


def _edit_first_evidence(qtbot, window, monkeypatch, commitment, text):
    """As an officer: select the commitment, select its first evidence, Edit…, save."""
    assert window.workspace.select_key(("commitment", commitment.id))
    page = window.workspace.detail.commitment_page
    page.table.selectRow(0)
    item = page.selected_evidence()
    monkeypatch.setattr(EvidenceDialog, "ask", classmethod(
        lambda cls, store, cid, existing=None, parent=None: ops.EvidenceInput(
            text, existing.evidence_date, existing.period, existing.partner_id,
            existing.figure, existing.unit, existing.link, existing.visibility)))
    page.edit_button.click()
    return item


def _ctrl_z(qtbot, window):
    activate(qtbot, window)
    qtbot.keyClick(window.workspace.tree, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)


def value_of(store, indicator, period):
    return [v.value for v in indicators.list_values(store, indicator.id) if v.period == period]


def test_ctrl_z_after_an_import_undoes_the_whole_import_as_one_step(
        qtbot, window, store, tmp_path, monkeypatch):
    said = capture_warnings(monkeypatch)
    path, status_c, evidence_c, indicator, period = _return(store, tmp_path)
    value_before = value_of(store, indicator, period)
    item = _edit_first_evidence(qtbot, window, monkeypatch, evidence_c, "Edited before the import")
    assert evidence.get_evidence(store, item.id).text == "Edited before the import"
    _import(qtbot, window, path)
    assert commitments.get_commitment(store, status_c.id).status is Status.COMPLETE
    assert "Opened a hub" in [e.text for e in evidence.list_evidence(store, evidence_c.id)]
    assert window.undo_stack.count() == 2
    assert window.undo_action.text() == "&Undo Import Essex Police's 2020/21 Q4 return"

    _ctrl_z(qtbot, window)  # the import, all of it
    assert said == []
    assert commitments.get_commitment(store, status_c.id).status is status_c.status
    assert "Opened a hub" not in [e.text for e in evidence.list_evidence(store, evidence_c.id)]
    assert value_of(store, indicator, period) == value_before
    state = {s.partner_name: s.state for s in returns.round_status(store, "2020/21 Q4")}
    assert state["Essex Police"] in ("sent", "overdue")  # the workbook can be imported again
    assert evidence.get_evidence(store, item.id).text == "Edited before the import"
    assert window.statusBar().currentMessage().startswith(
        "Undid: Imported Essex Police's 2020/21 Q4 return:")

    _ctrl_z(qtbot, window)  # then the edit made before it
    assert evidence.get_evidence(store, item.id).text == item.text
    assert window.undo_stack.index() == 0


def test_ctrl_z_refuses_in_words_when_the_import_was_changed_since(
        qtbot, window, store, tmp_path, monkeypatch):
    said = capture_warnings(monkeypatch)
    path, _status_c, evidence_c, _indicator, _period = _return(store, tmp_path)
    item = _edit_first_evidence(qtbot, window, monkeypatch, evidence_c, "Edited before the import")
    _import(qtbot, window, path)
    hub = next(e for e in evidence.list_evidence(store, evidence_c.id) if e.text == "Opened a hub")
    # Changed outside the window's history (a script; team sync would do the same).
    store.officer, store.origin = "Sam Analyst", "script"
    ops.edit_evidence(store, hub.id, ops.EvidenceInput("Opened a hub in Harlow"))
    store.officer, store.origin = "Test Officer", "window"

    _ctrl_z(qtbot, window)
    assert len(said) == 1
    assert said[0].startswith("Nothing was undone.") and "Cannot undo “Imported Essex Police's" in said[0]
    assert "“Opened a hub in Harlow”" in said[0] and "Sam Analyst" in said[0]
    assert "by a script" in said[0] and "Nothing was changed" in said[0]
    assert evidence.get_evidence(store, hub.id).text == "Opened a hub in Harlow"
    assert window.undo_stack.index() == 2  # not skipped past: the edit below stays undone-able

    _ctrl_z(qtbot, window)  # still refused: Ctrl+Z never jumps to the earlier edit
    assert len(said) == 2
    assert evidence.get_evidence(store, item.id).text == "Edited before the import"


def test_undoing_an_earlier_edit_never_overwrites_a_partners_value(qtbot, window, store,
                                                                   tmp_path, monkeypatch):
    said = capture_warnings(monkeypatch)
    path, _s, _e, indicator, period = _return(store, tmp_path)
    typed = window.history.perform(lambda s: ops.add_values(s, indicator.id,
                                                           ops.ValueInput(period, 70)))
    assert isinstance(typed, ops.OpResult)
    dialog = window.returns.import_return(path)
    qtbot.waitUntil(lambda: dialog.preview is not None, timeout=20_000)
    for change in dialog.preview.conflicts:  # the officer takes the partner's figure
        change.accepted = True
    with qtbot.waitSignal(dialog.applied, timeout=20_000):
        dialog.apply_button.click()
    dialog.close()
    assert value_of(store, indicator, period) == [81]
    # Undo the officer's own entry directly (as `tracker undo ID` would): refused.
    with pytest.raises(ops.UndoRefused, match=r"by Essex Police's .* return"):
        ops.undo(store, typed.op_id)
    assert value_of(store, indicator, period) == [81]
    assert said == []


def test_an_open_indicator_dialog_follows_an_import_and_its_undo(qtbot, window, store, tmp_path):
    path, _s, _e, indicator, period = _return(store, tmp_path)
    dialog = window.indicators.open_indicator(indicator.id)
    shown = lambda: [dialog.model.data(dialog.model.index(r, 2))  # noqa: E731
                     for r in range(dialog.model.rowCount())
                     if dialog.model.value_at(r).period == period]
    before = shown()
    _import(qtbot, window, path)
    assert shown() == [format_value(81, indicator.unit)]
    window.undo_action.trigger()
    assert shown() == before
    dialog.accept()


def test_a_restored_backup_is_a_fence_undo_stops_at(qtbot, window, store, monkeypatch):
    from tracker.store.backup import take_backup

    said = capture_warnings(monkeypatch)
    backup = take_backup(store.conn, store.path, "test")
    c = commitments.list_commitments(store, commitments.get_commitment(
        store, _open_commitment(store).id).priority_id)[0]
    window.history.perform(lambda s: ops.edit_commitment(s, c.id, lead="After the backup"))
    task = window.restore_backup_from(backup)
    qtbot.waitUntil(lambda: task.finished, timeout=20_000)
    restored = window.store
    assert commitments.get_commitment(restored, c.id).lead == c.lead
    assert window.undo_stack.count() == 1 and window.undo_action.text().startswith("&Undo Restore")
    window.undo_action.trigger()
    assert said and "Cannot undo “Restore a backup”" in said[0] and "restore that backup" in said[0]
    assert commitments.get_commitment(restored, c.id).lead == c.lead


def _open_commitment(store):
    from ui_helpers import extension_commitment

    return extension_commitment(store)


def test_edit_activity_lists_every_operation_and_filters_them(qtbot, window, store,
                                                             qtmodeltester):
    from tracker.store import queries
    from tracker.ui.dialogs.activity_dialog import ActivityDialog, ActivityModel

    c = _open_commitment(store)
    window.history.perform(lambda s: ops.set_status(s, c.id, "at risk", "Slipping"))
    store.officer = "Sam Analyst"
    window.history.perform(lambda s: ops.edit_commitment(s, c.id, lead="Sam"))
    store.officer = "Test Officer"
    model = ActivityModel()
    model.set_entries(queries.entries(store))
    qtmodeltester.check(model, force_py=True)
    dialog = window.show_activity()
    assert isinstance(dialog, ActivityDialog)
    rows = lambda: [dialog.model.data(dialog.model.index(r, 4))  # noqa: E731
                    for r in range(dialog.model.rowCount())]
    assert len(rows()) == 2 and rows()[0].startswith("Changed the lead")
    dialog.person_box.setCurrentIndex(dialog.person_box.findData("Sam Analyst"))
    assert [r[:18] for r in rows()] == ["Changed the lead o"]
    dialog.person_box.setCurrentIndex(0)
    dialog.kind_box.setCurrentIndex(dialog.kind_box.findData("set_status"))
    assert len(rows()) == 1 and "At risk" in rows()[0]
    dialog.table.selectRow(0)
    assert "status" in dialog.details.toPlainText()
    dialog.kind_box.setCurrentIndex(0)
    dialog.since.setText("01/01/2000")
    dialog.until.setText("01/01/2001")
    dialog.reload()
    assert rows() == []
    dialog.until.setText("nonsense")
    dialog.reload()
    assert "is not a date" in dialog.count_label.text()
    dialog.since.setText("")
    dialog.until.setText("")
    dialog.reload()
    window.undo_action.trigger()  # an operation while it is open shows at once
    assert rows()[0].startswith("Undid: Changed the lead")
    dialog.close()


def test_the_undo_action_names_the_step_and_the_message_box_is_the_only_refusal(
        qtbot, window, store, monkeypatch):
    told = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: told.append(a[2]))
    c = _open_commitment(store)
    window.history.perform(lambda s: ops.edit_commitment(s, c.id, lead="Jo"), "Edit the lead")
    assert window.undo_action.text() == "&Undo Edit the lead"
    window.undo_action.trigger()
    assert window.redo_action.text() == "&Redo Edit the lead" and told == []


def test_the_activity_says_where_each_change_came_from_in_words(qtbot, window, store, tmp_path):
    path, status_c, _e, _i, _p = _return(store, tmp_path)
    window.history.perform(lambda s: ops.edit_commitment(s, status_c.id, lead="Before"))
    _import(qtbot, window, path)
    dialog = window.show_activity()
    dialog.plan_box.setCurrentIndex(0)  # all plans
    came_from = [dialog.model.data(dialog.model.index(r, 2)) for r in range(dialog.model.rowCount())]
    assert came_from == ["Essex Police's 2020/21 Q4 return", "window"]
    dialog.close()
