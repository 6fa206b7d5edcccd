"""Plan lifecycle and database files through the window: carry a plan forward, close a plan,
save a copy, make a new database, restore a backup."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from ui_helpers import answer_yes, close_window, make_window, when_dialog

from tracker.domain.model import PlanState
from tracker.domain.status import Status
from tracker.store import commitments, open_store, plans
from tracker.store.backup import take_backup
from tracker.ui.dialogs.new_plan_dialog import NewPlanDialog
from tracker.ui.models.plan_tree import COMMITMENT, PLAN


@pytest.fixture
def window(qtbot, store, tmp_path):
    w = make_window(qtbot, store, tmp_path)
    yield w
    close_window(w)


def test_carry_a_plan_forward_choosing_commitments_and_mapping_priorities(window, store, qtbot):
    source = plans.find_plan(store, "2020/21")
    old_priorities = plans.list_priorities(store, source.id)
    window.workspace.select_key((PLAN, source.id))
    left_behind: list[int] = []
    unfinished = {c.id for p in old_priorities for c in commitments.list_commitments(store, p.id)
                  if not c.status.is_closed}

    def answer(dialog: NewPlanDialog) -> None:
        dialog.title.setText("Police and Crime Plan 2024-2028")
        save = dialog.buttons.button(dialog.buttons.StandardButton.Ok)
        save.click()  # no period yet: refused at the field
        assert dialog.isVisible() and dialog.period_error.isVisible()
        qtbot.keyClicks(dialog.period, "2024-2028")
        # Rename new priority 2 and send old priority 1 into it as well.
        dialog.new_table.item(1, 1).setText("Safer streets")
        dialog.combos[0].setCurrentIndex(dialog.combos[0].findData(2))
        # Leave the first ticked commitment of old priority 3 behind.
        third = dialog.carry.topLevelItem(2)
        ticked = next(third.child(i) for i in range(third.childCount())
                      if third.child(i).checkState(0) == Qt.CheckState.Checked)
        ticked.setCheckState(0, Qt.CheckState.Unchecked)
        left_behind.append(ticked.data(0, Qt.ItemDataRole.UserRole))
        save.click()

    when_dialog(qtbot, NewPlanDialog, answer)
    window.new_plan_action.trigger()

    new_plan = plans.find_plan(store, "2024-2028")
    assert new_plan.title == "Police and Crime Plan 2024-2028"
    assert new_plan.state is PlanState.DRAFT
    new_priorities = plans.list_priorities(store, new_plan.id)
    assert [p.number for p in new_priorities] == [p.number for p in old_priorities]
    assert new_priorities[1].title == "Safer streets"
    carried = [c for p in new_priorities for c in commitments.list_commitments(store, p.id)]
    origins = {c.carried_forward_from_id for c in carried}
    assert origins == unfinished - set(left_behind)
    # Old priority 1's commitments now sit under new priority 2.
    moved = {c.carried_forward_from_id for c in commitments.list_commitments(store, new_priorities[1].id)}
    assert {c.id for c in commitments.list_commitments(store, old_priorities[0].id)} & unfinished <= moved
    some = next(iter(unfinished - set(left_behind)))
    assert commitments.get_commitment(store, some).status is Status.CARRIED_FORWARD
    assert commitments.get_commitment(store, left_behind[0]).status is not Status.CARRIED_FORWARD
    assert window.workspace.current_key() == (PLAN, new_plan.id)

    window.undo_action.trigger()
    assert all(p.id != new_plan.id for p in plans.list_plans(store))
    assert commitments.status_history(store, some) == []


def test_close_plan_makes_it_read_only_and_undo_reopens(window, store, qtbot, monkeypatch):
    plan = plans.find_plan(store, "2020/21")
    c = commitments.list_commitments(store, plans.list_priorities(store, plan.id)[0].id)[0]
    window.workspace.select_key((PLAN, plan.id))
    answer_yes(monkeypatch)
    window.close_plan_action.trigger()
    assert plans.get_plan(store, plan.id).state is PlanState.CLOSED
    assert "closed, read-only" in window.workspace.model.locate((PLAN, plan.id)).data()
    window.workspace.select_key((COMMITMENT, c.id))
    page = window.workspace.detail.commitment_page
    assert page.closed_note.isVisible() and "closed" in page.closed_note.text()
    assert page.form.fields["text"].isReadOnly()
    assert not window.status_action.isEnabled()
    window.undo_action.trigger()
    assert plans.get_plan(store, plan.id).state is PlanState.ACTIVE


def test_save_a_copy_runs_in_the_background(window, store, qtbot, tmp_path):
    target = tmp_path / "copy.db"
    task = window.save_copy_to(target)
    with qtbot.waitSignal(task.done, timeout=10000):
        pass
    copy = open_store(target, mode="read")
    try:
        assert [p.title for p in plans.list_plans(copy)] == [p.title for p in plans.list_plans(store)]
    finally:
        copy.close()
    assert "Copy saved" in window.statusBar().currentMessage()


def test_new_empty_database_switches_the_window(window, qtbot, tmp_path):
    target = tmp_path / "fresh.db"
    task = window.create_database_at(target, empty=True)
    with qtbot.waitSignal(window.store_changed, timeout=20000):
        pass
    assert task.finished
    assert window.store.path == target
    assert plans.list_plans(window.store) == []
    assert window.workspace.model.rowCount() == 0
    assert window.recent_files()[0] == str(target)
    close_window(window)
    window.store.close()


def test_restore_from_a_backup_brings_back_the_old_content(window, store, qtbot):
    plan = plans.find_plan(store, "2020/21")
    c = commitments.list_commitments(store, plans.list_priorities(store, plan.id)[0].id)[0]
    backup = take_backup(store.conn, store.path, "test")
    commitments.update_commitment(store, c.id, text="Changed after the backup")
    path = store.path
    window.restore_backup_from(backup)
    with qtbot.waitSignal(window.store_changed, timeout=20000):
        pass
    assert window.store.path == path
    assert commitments.get_commitment(window.store, c.id).text == c.text
    close_window(window)
    window.store.close()
