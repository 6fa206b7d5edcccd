"""The home dashboard: shown on start, figures from the sample, every part a way into the tree,
the indicators or the returns; counted only when it is visible."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from ui_helpers import close_window, make_window

from tracker import ops
from tracker.domain.status import Status
from tracker.store import queries
from tracker.ui.models.plan_tree import COMMITMENT, PLAN, PRIORITY, key_of
from tracker.ui.returns.status_dialog import RoundStatusDialog


@pytest.fixture
def window(qtbot, store, tmp_path):
    w = make_window(qtbot, store, tmp_path, home=True)
    qtbot.waitUntil(lambda: w.home.data is not None and not w.home.pending)
    yield w
    close_window(w)


def test_the_window_opens_on_the_plan_at_a_glance(window, store):
    home = window.home
    assert window.tabs.currentWidget() is home
    assert window.tabs.tabText(0) == "Home"
    plan = queries.default_plan(store)
    assert home.plan_box.currentData() == plan.id
    assert plan.title in home.title.text()
    priorities = queries.list_priorities(store, plan.id)
    rows = home.bars.rows
    assert [(r.number, r.title) for r in rows] == [(p.number, p.title) for p in priorities]
    for row, p in enumerate(priorities):
        commitments = queries.list_commitments(store, p.id)
        assert rows[row].counts.total == len(commitments)
        for status in {c.status for c in commitments}:
            assert home.bars.part_rect(row, status).isValid()  # a part with its count
        assert f"Priority {p.number}, {p.title}: {len(commitments)} commitments" in \
            home.bars.accessibleDescription()
    carried = home.legend_buttons[Status.CARRIED_FORWARD]
    total = sum(1 for p in priorities for c in queries.list_commitments(store, p.id)
                if c.status is Status.CARRIED_FORWARD)
    assert carried.text() == f"{Status.CARRIED_FORWARD.shape} Carried forward {total}"
    share = home.data.overview
    assert home.evidence_tile.figure.text() == f"{round(100 * share.share)}%"
    with_values = [line for line in home.data.indicators if line.has_values]
    assert home.indicators.rowCount() == len(with_values) > 0
    assert "Indicators" in home.indicator_card.heading.text()


def test_a_priority_bar_and_a_part_of_it_drill_into_the_tree(window, store, qtbot):
    home = window.home
    plan = queries.default_plan(store)
    first = queries.list_priorities(store, plan.id)[0]
    title = home.bars.part_rect(0, None)
    qtbot.mouseClick(home.bars, Qt.MouseButton.LeftButton, pos=title.center())
    assert window.tabs.currentWidget() is window.workspace
    assert window.workspace.current_key() == (PRIORITY, first.id)

    window.tabs.setCurrentWidget(home)
    part = home.bars.part_rect(0, Status.CARRIED_FORWARD)
    qtbot.mouseClick(home.bars, Qt.MouseButton.LeftButton, pos=part.center())
    ws = window.workspace
    assert ws.filter_bar.current().statuses == frozenset({Status.CARRIED_FORWARD})
    assert ws.current_key() == (PRIORITY, first.id)
    index = ws.model.index_of((PRIORITY, first.id))
    assert ws.tree.isExpanded(index)
    shown = [key_of(ws.model.index(r, 0, index))[1] for r in range(ws.model.rowCount(index))]
    expected = [c.id for c in queries.list_commitments(store, first.id)
                if c.status is Status.CARRIED_FORWARD]
    assert shown == expected and shown


def test_the_bars_answer_the_keyboard(window, store, qtbot):
    home = window.home
    priorities = queries.list_priorities(store, queries.default_plan(store).id)
    home.bars.setFocus()
    qtbot.keyClick(home.bars, Qt.Key.Key_Down)
    qtbot.keyClick(home.bars, Qt.Key.Key_Return)
    assert window.workspace.current_key() == (PRIORITY, priorities[1].id)
    window.show_home()
    home.bars.setFocus()
    qtbot.keyClick(home.bars, Qt.Key.Key_Up)
    qtbot.keyClick(home.bars, Qt.Key.Key_Right)
    qtbot.keyClick(home.bars, Qt.Key.Key_Right)  # the first priority's second part
    first_parts = [s for s in Status if home.bars.rows[0].counts[s]]
    assert home.bars.part is first_parts[1]
    assert first_parts[1].label in home.bars.accessibleDescription()
    qtbot.keyClick(home.bars, Qt.Key.Key_Return)
    assert window.workspace.filter_bar.current().statuses == frozenset({first_parts[1]})
    assert window.workspace.current_key() == (PRIORITY, priorities[0].id)


def test_an_indicator_row_opens_that_indicator(window, store, qtbot):
    home = window.home
    table = home.indicators
    item = table.item(0, 1)
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton,
                     pos=table.visualItemRect(item).center())
    assert window.tabs.currentWidget() is window.indicators
    assert window.indicators.plan_id == home.plan_box.currentData()
    opened = [d.indicator_id for d in window.indicators.dialogs]
    assert len(opened) == 1
    assert queries.get_indicator(store, opened[0]).name == item.text()
    window.indicators.dialogs[0].close()


def test_the_evidenced_share_opens_the_plan(window, store, qtbot):
    qtbot.mouseClick(window.home.evidence_tile, Qt.MouseButton.LeftButton)
    assert window.workspace.current_key() == (PLAN, queries.default_plan(store).id)


def test_overdue_and_the_round_appear_once_the_home_tab_is_shown(window, store, qtbot, tmp_path):
    home = window.home
    plan = queries.default_plan(store)
    priority = queries.list_priorities(store, plan.id)[2]
    late = next(c for c in queries.list_commitments(store, priority.id) if not c.status.is_closed)
    window.tabs.setCurrentWidget(window.workspace)
    counted = home.generation
    ops.edit_commitment(store, late.id, due_date="2021-01-31")
    out = tmp_path / "round"
    out.mkdir()
    ops.send_round(store, "2020/21 Q4", out, due_date=date(2021, 4, 30))
    QApplication.processEvents()
    assert home.dirty and not home._reload.isActive()  # hidden: marked, nothing counted
    assert home.generation == counted
    window.tabs.setCurrentWidget(home)
    qtbot.waitUntil(lambda: home.generation > counted and not home.pending)
    # The sample is dated as its sources date it, so commitments not updated for months are
    # overdue too; the one past its due date says so.
    rows = [r for r in range(home.overdue.rowCount()) if home.overdue.item(r, 1).text() == late.text]
    assert len(rows) == 1
    assert home.overdue.item(rows[0], 2).text() == str(priority.number)
    assert home.overdue.item(rows[0], 3).text() == "due 31 Jan 2021"
    summary = queries.round_summary(store, "2020/21 Q4")
    assert "2020/21 Q4" in home.round_card.heading.text()
    assert home.round_tiles["sent"].figure.text() == str(summary.count("sent", "overdue", "back"))
    assert home.round_tiles["overdue"].figure.text() == str(summary.count("overdue")) != "0"

    qtbot.mouseClick(home.round_tiles["overdue"], Qt.MouseButton.LeftButton)
    dialog = window.findChild(RoundStatusDialog)
    assert dialog is not None and dialog.isVisible()
    assert dialog.round_edit.text() == "2020/21 Q4"
    dialog.close()

    window.tabs.setCurrentWidget(home)
    home.overdue.setFocus()
    row = next(r for r in range(home.overdue.rowCount())
               if home.overdue.item(r, 1).text() == late.text)
    home.overdue.setCurrentCell(row, 1)
    qtbot.keyClick(home.overdue, Qt.Key.Key_Return)
    assert window.workspace.current_key() == (COMMITMENT, late.id)


def test_another_plan_is_one_choice_away(window, store, qtbot):
    home = window.home
    old = queries.find_plan(store, "pcp-2016-2020")
    home.set_plan(old.id)
    qtbot.waitUntil(lambda: home.data is not None and home.data.plan.id == old.id
                    and not home.pending)
    assert old.title in home.title.text() and "closed" in home.title.text()
    assert [r.title for r in home.bars.rows] == [p.title for p in
                                                  queries.list_priorities(store, old.id)]
    assert "closed plan" in home.overdue_card.note.text()
