"""One search box with a scope: it filters the tree, or finds a phrase in evidence too and says
where each hit lives; clearing it gives the officer's tree back; the status symbols explained;
the tree's context menu."""

from __future__ import annotations

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit
from ui_helpers import close_window, make_window

from tracker.domain.status import Status
from tracker.store import queries
from tracker.ui import table_export, tree_menu
from tracker.ui.models.plan_tree import COMMITMENT, PLAN, PRIORITY, STATUS
from tracker.ui.widgets.search_panel import HtmlRole


@pytest.fixture
def window(qtbot, store, tmp_path):
    w = make_window(qtbot, store, tmp_path)
    yield w
    close_window(w)


def test_there_is_one_box(window):
    left = window.workspace.results_split.parentWidget()
    boxes = [e for e in left.findChildren(QLineEdit) if e.isVisibleTo(window)
             and type(e.parentWidget()).__name__ not in ("QSpinBox", "QComboBox")]
    assert boxes == [window.workspace.filter_bar.text]


def test_one_box_finds_a_phrase_and_says_where_each_hit_lives(window, store, qtbot):
    ws = window.workspace
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    box = ws.filter_bar.text
    assert ws.filter_bar.finding and box.hasFocus()
    with qtbot.waitSignal(ws.search.shown):
        qtbot.keyClicks(box, "body worn")
    results = ws.search.results
    assert results.isVisible() and results.count() == len(ws.search.hits) >= 2
    assert {h.kind for h in ws.search.hits} == {"commitment", "evidence"}
    for row, hit in enumerate(ws.search.hits):
        c = queries.get_commitment(store, hit.commitment_id)
        priority = queries.get_priority(store, c.priority_id)
        plan = queries.get_plan(store, priority.plan_id)
        words = results.item(row).text()
        kind = "Commitment" if hit.kind == "commitment" else "Evidence"
        assert words.startswith(f"{kind} in {plan.title} › P{priority.number} {priority.title}")
        if c.code:
            assert f"› {c.code}:" in words
        html = results.item(row).data(HtmlRole)
        assert "<b>body</b>" in html.lower() and "<b>worn</b>" in html.lower()
        assert "«" not in words + html and "[" not in html
    assert ws.model.filter.is_empty  # finding leaves the tree as it is
    qtbot.keyClick(box, Qt.Key.Key_Return)
    first = ws.search.hits[0]
    assert ws.current_key() == (COMMITMENT, first.commitment_id)
    qtbot.keyClick(box, Qt.Key.Key_Down)
    assert results.hasFocus() and results.currentRow() == 0


def test_the_results_take_the_room_they_need(window, qtbot):
    ws = window.workspace
    window.focus_search()
    ws.filter_bar.text.setText("body worn")
    ws.filter_bar.flush()
    few = ws.results_split.sizes()[0]
    ws.filter_bar.text.setText("domestic abuse")
    ws.filter_bar.flush()
    many = ws.results_split.sizes()[0]
    assert 0 < few < many <= ws.results_split.height() // 2 + 1


def _open_keys(ws):
    return {k for k in ws.expanded_keys()}


def test_filtering_then_clearing_gives_the_tree_back_as_it_was(window, store, qtbot):
    ws = window.workspace
    plan = queries.default_plan(store)
    second = queries.list_priorities(store, plan.id)[1]
    ws.tree.collapseAll()
    ws.expand_key((PLAN, plan.id))
    ws.expand_key((PRIORITY, second.id))
    before = _open_keys(ws)
    window.focus_filter()
    assert not ws.filter_bar.finding
    with qtbot.waitSignal(ws.filter_shown):  # typed words are read on a thread
        qtbot.keyClicks(ws.filter_bar.text, "domestic")
    assert not ws.model.filter.is_empty and _open_keys(ws) != before
    assert not ws.search.isVisible()
    ws.filter_bar.status.setCurrentIndex(ws.filter_bar.status.findData(Status.NOT_ASSESSED.value))
    qtbot.mouseClick(ws.filter_bar.clear, Qt.MouseButton.LeftButton)
    assert ws.model.filter.is_empty
    assert _open_keys(ws) == before


def test_status_symbols_have_a_legend_and_tooltips(window, store):
    ws = window.workspace
    for status in Status:
        assert f"{status.shape}&nbsp;{status.label}" in ws.legend.text()
        assert f"{status.shape} {status.label}" in ws.legend.accessibleName()
    plan = queries.default_plan(store)
    priority = queries.list_priorities(store, plan.id)[0]
    index = ws.model.locate((PRIORITY, priority.id)).siblingAtColumn(STATUS)
    tip = ws.model.tooltip(index)  # what hovering the cell shows
    for status in {c.status for c in queries.list_commitments(store, priority.id)}:
        n = sum(1 for c in queries.list_commitments(store, priority.id) if c.status is status)
        assert f"{status.shape} {status.label}: {n}" in tip


def test_the_tree_menu_offers_the_row_actions_and_the_exports(window, store, qtbot, tmp_path,
                                                              monkeypatch):
    ws = window.workspace
    plan = queries.default_plan(store)
    priority = queries.list_priorities(store, plan.id)[0]
    c = queries.list_commitments(store, priority.id)[0]
    ws.expand_key((PRIORITY, priority.id))
    index = ws.model.locate((COMMITMENT, c.id))
    menu = table_export.table_menu(ws.tree, "Plan", tree_menu.row_actions(window), index)
    labels = [a.text().replace("&", "") for a in menu.actions() if not a.isSeparator()]
    assert ws.current_key() == (COMMITMENT, c.id)  # the row under the mouse is the one acted on
    for wanted in ("Change status…", "Add evidence…", "Add sub-point…", "Delete commitment…",
                   "Print…", "Copy rows", "Export to Excel…", "Export to CSV…"):
        assert wanted in labels
    assert window.status_action.isEnabled()
    monkeypatch.setattr(table_export, "ask_path", lambda *_a: str(tmp_path / "tree.xlsx"))
    next(a for a in menu.actions() if a.text() == "Export to &Excel…").trigger()
    ws_sheet = load_workbook(tmp_path / "tree.xlsx").active
    texts = [ws_sheet.cell(row=r, column=2).value for r in range(2, ws_sheet.max_row + 1)]
    assert c.text in texts and priority.title in texts
    menu.deleteLater()
