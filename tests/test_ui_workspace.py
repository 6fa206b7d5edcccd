"""The officer's workspace driven through its widgets; each test checks the database after."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from ui_helpers import (
    activate,
    answer_yes,
    capture_warnings,
    click_commitment,
    close_window,
    extension_commitment,
    make_window,
    when_dialog,
)

from tracker.domain.model import Visibility
from tracker.domain.status import Status
from tracker.store import commitments, evidence
from tracker.store.errors import ReadOnlyError
from tracker.ui.dialogs.evidence_dialog import EvidenceDialog
from tracker.ui.dialogs.status_dialog import StatusDialog
from tracker.ui.models.plan_tree import COMMITMENT, PRIORITY, STATUS, TEXT, key_of


@pytest.fixture
def window(qtbot, store, tmp_path):
    w = make_window(qtbot, store, tmp_path)
    yield w
    close_window(w)


def select(window, qtbot, commitment_id: int) -> None:
    """Open the tree down to the commitment, then click its row as an officer would."""
    click_commitment(window, qtbot, commitment_id)
    assert window.workspace.current_key() == (COMMITMENT, commitment_id)


def test_model_passes_the_qt_model_checks(window, qtmodeltester):
    qtmodeltester.check(window.workspace.model)


def test_selecting_a_commitment_shows_its_fields_evidence_and_status(window, store, qtbot):
    c = extension_commitment(store)
    select(window, qtbot, c.id)
    page = window.workspace.detail.commitment_page
    assert window.workspace.detail.currentWidget() is page
    assert page.form.fields["text"].text() == c.text
    assert page.table.rowCount() == len(evidence.list_evidence(store, c.id))
    assert page.table.item(0, 1).text() == evidence.list_evidence(store, c.id)[0].text
    row = window.workspace.model.locate((COMMITMENT, c.id))
    assert row.siblingAtColumn(STATUS).data() == f"{c.status.shape} {c.status.label}"


def test_change_status_asks_for_the_reason_and_undo_redo_reach_the_database(window, store, qtbot):
    c = extension_commitment(store)
    select(window, qtbot, c.id)

    def answer(dialog: StatusDialog) -> None:
        dialog.status.setCurrentIndex(dialog.status.findData(Status.AT_RISK.value))
        dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()  # no reason yet
        assert dialog.isVisible() and dialog.reason_error.isVisible()
        qtbot.keyClicks(dialog.reason, "Partner funding withdrawn")
        dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()

    seen = when_dialog(qtbot, StatusDialog, answer)
    window.status_action.trigger()
    assert seen
    assert commitments.get_commitment(store, c.id).status is Status.AT_RISK
    change = commitments.status_history(store, c.id)[0]
    assert (change.from_status, change.to_status, change.reason, change.changed_by) == (
        c.status, Status.AT_RISK, "Partner funding withdrawn", "Test Officer")
    index = window.workspace.model.locate((COMMITMENT, c.id))
    assert "At risk" in index.siblingAtColumn(STATUS).data()
    assert window.workspace.detail.commitment_page.history.rowCount() == 1

    activate(qtbot, window)
    window.workspace.tree.setFocus()
    qtbot.keyClick(window.workspace.tree, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert commitments.get_commitment(store, c.id).status is c.status
    assert commitments.status_history(store, c.id) == []
    qtbot.keyClick(window.workspace.tree, Qt.Key.Key_Z,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert commitments.get_commitment(store, c.id).status is Status.AT_RISK
    assert commitments.status_history(store, c.id)[0].reason == "Partner funding withdrawn"


def test_add_and_edit_evidence_then_undo_both(window, store, qtbot):
    c = extension_commitment(store)
    before = evidence.list_evidence(store, c.id)
    select(window, qtbot, c.id)
    page = window.workspace.detail.commitment_page

    def add(dialog: EvidenceDialog) -> None:
        assert dialog.previous.count() >= len(before)  # previous updates beside the form
        qtbot.keyClicks(dialog.text, "120 more officers on patrol")
        qtbot.keyClicks(dialog.date, "2021-03-31")
        qtbot.keyClicks(dialog.figure, "1,120")
        qtbot.keyClicks(dialog.unit, "officers")
        dialog.visibility.setCurrentIndex(dialog.visibility.findData(Visibility.SHAREABLE.value))
        dialog.buttons.button(dialog.buttons.StandardButton.Save).click()

    when_dialog(qtbot, EvidenceDialog, add)
    qtbot.mouseClick(page.add_button, Qt.MouseButton.LeftButton)
    after = evidence.list_evidence(store, c.id)
    assert len(after) == len(before) + 1
    new = after[-1]
    assert (new.text, new.evidence_date, new.figure, new.unit, new.visibility, new.author) == (
        "120 more officers on patrol", "2021-03-31", 1120.0, "officers", Visibility.SHAREABLE,
        "Test Officer")
    assert page.table.rowCount() == len(after)

    page.table.selectRow(len(after) - 1)

    def edit(dialog: EvidenceDialog) -> None:
        assert dialog.text.toPlainText() == "120 more officers on patrol"
        dialog.text.setPlainText("125 more officers on patrol")
        dialog.period.setEditText("2020/21")
        dialog.date.clear()
        dialog.buttons.button(dialog.buttons.StandardButton.Save).click()

    when_dialog(qtbot, EvidenceDialog, edit)
    qtbot.mouseClick(page.edit_button, Qt.MouseButton.LeftButton)
    edited = evidence.get_evidence(store, new.id)
    assert (edited.text, edited.period, edited.evidence_date) == (
        "125 more officers on patrol", "2020/21", None)

    window.undo_action.trigger()
    assert evidence.get_evidence(store, new.id).text == "120 more officers on patrol"
    window.undo_action.trigger()
    assert [e.id for e in evidence.list_evidence(store, c.id)] == [e.id for e in before]
    window.redo_action.trigger()
    assert evidence.list_evidence(store, c.id)[-1].uid == new.uid


def test_bad_date_and_figure_are_refused_at_the_field_and_nothing_is_written(window, store, qtbot):
    c = extension_commitment(store)
    count = len(evidence.list_evidence(store, c.id))
    select(window, qtbot, c.id)
    messages: dict[str, str] = {}

    def fill(dialog: EvidenceDialog) -> None:
        save = dialog.buttons.button(dialog.buttons.StandardButton.Save)
        qtbot.keyClicks(dialog.text, "Something happened")
        qtbot.keyClicks(dialog.date, "31/02/2021")
        save.click()
        assert dialog.isVisible()
        messages["date"] = dialog.errors["evidence_date"].text()
        dialog.date.clear()
        qtbot.keyClicks(dialog.figure, "lots")
        save.click()
        assert dialog.isVisible()
        messages["figure"] = dialog.errors["figure"].text()
        dialog.reject()

    when_dialog(qtbot, EvidenceDialog, fill)
    window.evidence_action.trigger()
    assert "not a date" in messages["date"]
    assert "not a number" in messages["figure"]
    assert len(evidence.list_evidence(store, c.id)) == count
    assert window.undo_stack.count() == 0


def test_empty_commitment_text_is_refused_at_the_field(window, store, qtbot):
    c = extension_commitment(store)
    select(window, qtbot, c.id)
    page = window.workspace.detail.commitment_page
    field = page.form.fields["text"]
    field.setFocus()
    field.selectAll()
    qtbot.keyClick(field, Qt.Key.Key_Delete)
    qtbot.keyClick(field, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert page.form.errors["text"].isVisible()
    assert "cannot be empty" in page.form.errors["text"].text()
    assert commitments.get_commitment(store, c.id).text == c.text
    assert window.undo_stack.count() == 0


def test_edit_commitment_text_in_place_and_undo(window, store, qtbot):
    c = extension_commitment(store)
    select(window, qtbot, c.id)
    field = window.workspace.detail.commitment_page.form.fields["text"]
    field.setFocus()
    field.selectAll()
    qtbot.keyClicks(field, "Provide visible policing in every town centre.")
    qtbot.keyClick(field, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert commitments.get_commitment(store, c.id).text == "Provide visible policing in every town centre."
    index = window.workspace.model.locate((COMMITMENT, c.id))
    assert index.siblingAtColumn(TEXT).data() == "Provide visible policing in every town centre."
    window.undo_action.trigger()
    assert commitments.get_commitment(store, c.id).text == c.text


def test_delete_and_reorder_evidence_with_undo(window, store, qtbot, monkeypatch):
    c = extension_commitment(store)
    before = evidence.list_evidence(store, c.id)
    assert len(before) >= 2
    select(window, qtbot, c.id)
    page = window.workspace.detail.commitment_page
    page.table.selectRow(0)
    qtbot.mouseClick(page.down_button, Qt.MouseButton.LeftButton)
    moved = evidence.list_evidence(store, c.id)
    assert [e.id for e in moved[:2]] == [before[1].id, before[0].id]
    window.undo_action.trigger()
    assert [e.id for e in evidence.list_evidence(store, c.id)] == [e.id for e in before]

    answer_yes(monkeypatch)
    page.table.selectRow(0)
    qtbot.mouseClick(page.delete_button, Qt.MouseButton.LeftButton)
    assert [e.uid for e in evidence.list_evidence(store, c.id)] == [e.uid for e in before[1:]]
    window.undo_action.trigger()
    restored = evidence.list_evidence(store, c.id)
    assert [(e.uid, e.text, e.position) for e in restored] == [
        (e.uid, e.text, e.position) for e in before]


def test_filter_narrows_the_tree_as_the_officer_types(window, store, qtbot):
    ws = window.workspace
    qtbot.keyClicks(ws.filter_bar.text, "domestic")
    with qtbot.waitSignal(ws.filter_shown, timeout=5000):  # typed words are read on a thread
        pass
    shown = []
    model = ws.model
    for plan_row in range(model.rowCount()):
        plan_index = model.index(plan_row, 0)
        for p in range(model.rowCount(plan_index)):
            pr_index = model.index(p, 0, plan_index)
            assert ws.tree.isExpanded(pr_index)
            for r in range(model.rowCount(pr_index)):
                shown.append(key_of(model.index(r, 0, pr_index))[1])
    assert shown
    for cid in shown:
        texts = [commitments.get_commitment(store, cid).text] + [
            s.text for s in commitments.children(store, cid)]
        assert any("domestic" in t.lower() for t in texts)
    assert "matching commitment" in ws.count_label.text()

    ws.filter_bar.status.setCurrentIndex(ws.filter_bar.status.findData(Status.CARRIED_FORWARD.value))
    narrowed = [key_of(model.index(r, 0, model.index(p, 0, model.index(pl, 0))))[1]
                for pl in range(model.rowCount())
                for p in range(model.rowCount(model.index(pl, 0)))
                for r in range(model.rowCount(model.index(p, 0, model.index(pl, 0))))]
    assert all(commitments.get_commitment(store, cid).status is Status.CARRIED_FORWARD
               for cid in narrowed)
    ws.filter_bar.clear.click()
    assert ws.model.filter.is_empty


def test_search_jumps_to_the_commitment_and_highlights_the_evidence(window, store, qtbot):
    c = extension_commitment(store)
    target = evidence.list_evidence(store, c.id)[-1]
    words = " ".join(target.text.split()[:4])
    window.focus_search()
    box = window.workspace.search.box
    assert box.hasFocus() or QApplication.focusWidget() is box
    qtbot.keyClicks(box, words)
    qtbot.keyClick(box, Qt.Key.Key_Return)
    hit = window.workspace.search.hits[0]
    assert window.workspace.current_key() == (COMMITMENT, hit.commitment_id)
    page = window.workspace.detail.commitment_page
    if hit.kind == "evidence":
        row = [e.id for e in page.items].index(hit.item_id)
        assert page.table.item(row, 1).background().color().name() == "#fff2a8"
        assert page.selected_evidence().id == hit.item_id


def test_failed_write_says_so_and_is_not_reported_saved(window, store, qtbot, monkeypatch):
    c = extension_commitment(store)
    select(window, qtbot, c.id)
    said = capture_warnings(monkeypatch)

    def refuse(*_a, **_k):
        raise ReadOnlyError(f"{store.path} has become read-only. Nothing was saved.")

    monkeypatch.setattr(type(store), "transaction", refuse)

    def answer(dialog: StatusDialog) -> None:
        dialog.status.setCurrentIndex(dialog.status.findData(Status.COMPLETE.value))
        qtbot.keyClicks(dialog.reason, "Delivered")
        dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()

    when_dialog(qtbot, StatusDialog, answer)
    window.status_action.trigger()
    monkeypatch.undo()
    assert said and "Nothing was saved" in said[0]
    assert window.workspace.banner.isVisible() and "not saved" in window.workspace.banner.text()
    assert window.statusBar().currentMessage() != "Saved."
    assert window.undo_stack.count() == 0
    assert commitments.get_commitment(store, c.id).status is c.status


def test_overview_bar_click_selects_the_priority(window, store, qtbot):
    from tracker.store import plans

    plan = plans.find_plan(store, "2020/21")
    window.workspace.select_key(("plan", plan.id))
    overview = window.workspace.detail.plan_page.overview
    qtbot.waitUntil(lambda: not overview.pending)
    assert overview.data.total == plans.plan_tree(store, plan.id).counts.total
    overview.click_bar(2)
    third = plans.list_priorities(store, plan.id)[2]
    assert window.workspace.current_key() == (PRIORITY, third.id)


def test_read_only_database_shows_a_banner_and_disables_editing(qtbot, sample_db, tmp_path):
    from tracker.store import open_store

    writer = open_store(sample_db)
    reader = open_store(sample_db, mode="auto")
    try:
        w = make_window(qtbot, reader, tmp_path)
        assert w.workspace.banner.isVisible()
        assert "another copy" in w.workspace.banner.text()
        c = extension_commitment(reader)
        w.workspace.select_key((COMMITMENT, c.id))
        page = w.workspace.detail.commitment_page
        assert page.form.fields["text"].isReadOnly()
        assert not page.add_button.isEnabled()
        assert not w.status_action.isEnabled()
        assert "(read-only)" in w.windowTitle()
        close_window(w)
    finally:
        reader.close()
        writer.close()


def test_settings_bring_back_the_selection_and_splitter(qtbot, store, tmp_path):
    c = extension_commitment(store)
    first = make_window(qtbot, store, tmp_path)
    first.workspace.select_key((COMMITMENT, c.id))
    first.resize(1060, 740)  # inside the offscreen screen, which restoreGeometry clamps to
    qtbot.wait(10)
    first.workspace.splitter.setSizes([470, 590])  # the default gives the tree more room
    want = first.workspace.splitter.sizes()
    first.save_settings()
    close_window(first)
    second = make_window(qtbot, store, tmp_path)
    assert second.workspace.current_key() == (COMMITMENT, c.id)
    left, right = second.workspace.splitter.sizes()
    assert left < right
    assert abs(left / (left + right) - want[0] / sum(want)) < 0.05
    assert second.recent_files()[0] == str(store.path)
    close_window(second)


def test_dropping_a_workbook_emits_the_hook(window, qtbot, tmp_path):
    from PySide6.QtCore import QMimeData, QPointF, QUrl
    from PySide6.QtGui import QDropEvent

    book = tmp_path / "return.xlsx"
    book.write_bytes(b"")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(book)), QUrl.fromLocalFile(str(tmp_path / "notes.txt"))])
    event = QDropEvent(QPointF(10, 10), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                       Qt.KeyboardModifier.NoModifier)
    with qtbot.waitSignal(window.on_xlsx_dropped, timeout=1000) as blocker:
        window.dropEvent(event)
    assert blocker.args == [str(book)]
    # The Returns menu answers the drop with its import dialog, which reads the file on a job:
    # an empty file is refused in words, and the dialog closes with nothing left running.
    from tracker.ui.returns import ImportReturnDialog

    dialog = window.findChild(ImportReturnDialog)
    assert dialog is not None
    qtbot.waitUntil(lambda: not dialog.running and "cannot be imported" in dialog.summary.text())
    dialog.close()


def test_add_commitment_and_sub_point_with_undo(window, store, qtbot):
    from tracker.store import plans
    from tracker.ui.dialogs.commitment_dialog import CommitmentDialog

    plan = plans.find_plan(store, "2020/21")
    priority = plans.list_priorities(store, plan.id)[1]
    before = [c.id for c in commitments.list_commitments(store, priority.id)]
    window.workspace.select_key((PRIORITY, priority.id))

    def empty_then_text(dialog: CommitmentDialog) -> None:
        dialog.code.setText("Z")
        dialog.ok_button.click()  # no text: refused under the field, the form stays open
        assert dialog.isVisible() and "text is required" in dialog.errors["text"].text()
        qtbot.keyClicks(dialog.text, "Publish a yearly anti-social behaviour report.")
        dialog.ok_button.click()

    when_dialog(qtbot, CommitmentDialog, empty_then_text)
    window.add_commitment_action.trigger()
    added = commitments.list_commitments(store, priority.id)[-1]
    assert (added.code, added.text) == ("Z", "Publish a yearly anti-social behaviour report.")
    assert window.workspace.current_key() == (COMMITMENT, added.id)

    def sub_point(dialog: CommitmentDialog) -> None:
        assert dialog.code.text() == "Z.1"
        qtbot.keyClicks(dialog.text, "Include hotspots by district.")
        dialog.ok_button.click()

    when_dialog(qtbot, CommitmentDialog, sub_point)
    window.add_sub_action.trigger()
    assert [c.text for c in commitments.children(store, added.id)] == ["Include hotspots by district."]
    window.undo_action.trigger()
    window.undo_action.trigger()
    assert [c.id for c in commitments.list_commitments(store, priority.id)] == before


def test_edit_priority_fields_in_place_and_undo(window, store, qtbot):
    from tracker.store import plans

    plan = plans.find_plan(store, "2020/21")
    priority = plans.list_priorities(store, plan.id)[0]
    window.workspace.select_key((PRIORITY, priority.id))
    form = window.workspace.detail.priority_page.form
    field = form.fields["title"]
    field.setFocus()
    field.selectAll()
    qtbot.keyClicks(field, "Local, visible policing")
    qtbot.keyClick(field, Qt.Key.Key_Return)
    assert plans.get_priority(store, priority.id).title == "Local, visible policing"
    assert window.workspace.model.locate((PRIORITY, priority.id)).siblingAtColumn(TEXT).data() == (
        "Local, visible policing")
    field = window.workspace.detail.priority_page.form.fields["title"]
    field.setFocus()
    field.selectAll()
    qtbot.keyClick(field, Qt.Key.Key_Delete)
    qtbot.keyClick(field, Qt.Key.Key_Return)
    assert "needs a title" in form.errors["title"].text()
    assert plans.get_priority(store, priority.id).title == "Local, visible policing"
    window.undo_action.trigger()
    assert plans.get_priority(store, priority.id).title == priority.title


def test_overdue_row_opens_the_commitment(window, store, qtbot):
    from tracker.store import plans

    c = extension_commitment(store)
    commitments.update_commitment(store, c.id, due_date="2020-01-01")
    window.refresh()
    plan = plans.find_plan(store, "2020/21")
    window.workspace.select_key(("plan", plan.id))
    overview = window.workspace.detail.plan_page.overview
    qtbot.waitUntil(lambda: not overview.pending)
    # The sample's other open commitments are overdue too: not updated since the dates the
    # closure report gives them (the plan's start, 1 Apr 2020, for those without evidence).
    rows = [r.commitment_id for r in overview.data.overdue]
    assert c.id in rows and len(rows) > 50
    row = rows.index(c.id)
    assert overview.overdue.item(row, 3).text() == "due 1 Jan 2020"
    assert overview.data.overdue[0].why.startswith("not updated since ")
    assert overview.data.overdue[0].why == "not updated since 1 Apr 2020"
    overview.overdue.setFocus()
    overview.overdue.setCurrentCell(row, 1)
    qtbot.keyClick(overview.overdue, Qt.Key.Key_Return)
    assert window.workspace.current_key() == (COMMITMENT, c.id)


def test_search_results_are_reachable_by_keyboard(window, store, qtbot):
    window.focus_search()
    box = window.workspace.search.box
    qtbot.keyClicks(box, "domestic abuse")
    window.workspace.search.run()
    results = window.workspace.search.results
    assert results.count() == len(window.workspace.search.hits) > 1
    qtbot.keyClick(box, Qt.Key.Key_Down)
    assert results.hasFocus() and results.currentRow() == 0
    qtbot.keyClick(results, Qt.Key.Key_Down)
    qtbot.keyClick(results, Qt.Key.Key_Return)
    second = window.workspace.search.hits[1]
    assert window.workspace.current_key() == (COMMITMENT, second.commitment_id)


def test_file_deleted_behind_our_back_refuses_the_edit(window, store, qtbot, monkeypatch):
    c = extension_commitment(store)
    select(window, qtbot, c.id)
    said = capture_warnings(monkeypatch)
    moved = store.path.with_name("moved.db")
    store.path.rename(moved)
    try:
        field = window.workspace.detail.commitment_page.form.fields["lead"]
        field.setFocus()
        qtbot.keyClicks(field, "J. Smith")
        qtbot.keyClick(field, Qt.Key.Key_Return)
    finally:
        moved.rename(store.path)
    assert said and "has disappeared" in said[0]
    assert "has disappeared" in window.workspace.detail.commitment_page.form.errors["lead"].text()
    assert commitments.get_commitment(store, c.id).lead is None
    assert window.undo_stack.count() == 0


def test_the_tree_header_shows_the_column_titles_and_keeps_a_width_through_a_filter(window):
    """The header's titles come from a model of its own: what it shows and how the tree's
    columns are sized are as before, and a filter (a reset of the tree's model) keeps a width
    the officer dragged."""
    ws = window.workspace
    header = ws.tree.header()
    titles = ["Code", "Plan, priority or commitment", "Status", "Lead", "Last updated"]
    assert [header.model().headerData(c, Qt.Orientation.Horizontal) for c in range(5)] == titles
    assert [ws.model.headerData(c, Qt.Orientation.Horizontal) for c in range(5)] == titles
    assert header.count() == ws.model.columnCount() == 5
    assert [header.sectionSize(c) for c in (0, 2, 3, 4)] == [92, 132, 90, 95]
    header.resizeSection(3, 140)  # the officer widens Lead
    ws.filter_bar.text.setText("victims")
    ws.filter_bar.flush()
    assert not ws.model.filter.is_empty
    ws.filter_bar.reset()
    assert header.sectionSize(3) == 140
    assert header.count() == 5


def test_model_checks_hold_with_a_filter_and_opened_rows(window, qtmodeltester, qtbot):
    # One check per test: Qt's tester reads lazily loaded rows while it still counts a reset
    # as in flight, so a tester left attached across a later reset reports a false failure.
    ws = window.workspace
    ws.filter_bar.text.setText("victims")
    ws.filter_bar.flush()
    assert not ws.model.filter.is_empty
    c = ws.model.plan_nodes()[1].children[0].children[0]
    ws.select_key(c.key)
    qtmodeltester.check(ws.model)


def test_officer_name_is_recorded_in_the_history(window, store, qtbot, tmp_path, monkeypatch):
    from tracker.store import user_settings
    from tracker.ui.dialogs.officer_dialog import OfficerDialog

    monkeypatch.setenv("TRACKER_SETTINGS", str(tmp_path / "settings.json"))

    def type_name(dialog: OfficerDialog) -> None:
        dialog.name.setText("Priya Shah")
        dialog.buttons.button(dialog.buttons.StandardButton.Save).click()

    when_dialog(qtbot, OfficerDialog, type_name)
    window.ask_officer_name()
    assert store.officer == "Priya Shah"
    assert user_settings.saved_officer_name() == "Priya Shah"  # the command line reads it too
    c = extension_commitment(store)
    window.workspace.select_key((COMMITMENT, c.id))

    def answer(dialog: StatusDialog) -> None:
        dialog.status.setCurrentIndex(dialog.status.findData(Status.ON_TRACK.value))
        qtbot.keyClicks(dialog.reason, "Recruitment on plan")
        dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()

    when_dialog(qtbot, StatusDialog, answer)
    window.status_action.trigger()
    assert commitments.status_history(store, c.id)[0].changed_by == "Priya Shah"
