"""What keeps the window quick, checked by what the officer sees: lists read when first
opened, tabs read when first shown, a filter cleared back to what was open, a return's
backup made while the preview is read, and a large return redrawn in one read."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from test_exchange_support import answer, edit, export
from ui_helpers import close_window, make_window

from tracker.exchange import layout
from tracker.store import backup, filters, partners, plans
from tracker.store.filters import TreeFilter
from tracker.ui.models.plan_tree import PLAN, PRIORITY
from tracker.ui.returns import ImportReturnDialog

C = layout.COMMITMENTS


@pytest.fixture
def window(qtbot, store, tmp_path):
    w = make_window(qtbot, store, tmp_path)
    yield w
    close_window(w)


def test_the_partner_and_lead_lists_are_there_when_the_officer_opens_them(window, qtbot, store):
    bar = window.workspace.filter_bar
    bar.partner.setFocus()
    qtbot.waitUntil(bar.partner.hasFocus)
    names = [bar.partner.itemText(i) for i in range(bar.partner.count())]
    assert names[0] == "Any partner"
    assert names[1:] == [p.name for p in partners.list_partners(store)]
    bar.partner.setCurrentIndex(bar.partner.findText("Essex Police"))
    assert window.workspace.model.filter.partner_id == partners.find_partner(
        store, "Essex Police").id
    bar.lead.setFocus()
    qtbot.waitUntil(bar.lead.hasFocus)
    assert bar.lead.itemText(0) == "Any lead"
    assert [bar.lead.itemText(i) for i in range(1, bar.lead.count())] == \
        filters.distinct_leads(store)


def test_the_indicators_tab_reads_its_charts_when_first_shown(window, qtbot):
    view = window.indicators
    assert view.grid.items == []  # hidden: nothing read yet
    window.show_indicators()
    qtbot.waitUntil(lambda: bool(view.grid.items))
    assert view.count_label.text().endswith("with values")
    qtbot.waitUntil(lambda: bool(view.grid.panels()))  # drawn a few per event-loop turn


def test_clearing_a_filter_gives_back_the_tree_as_it_was_opened(window, store):
    ws = window.workspace
    plan = plans.find_plan(store, "pcp-2020-21")
    first = plans.list_priorities(store, plan.id)[0]
    ws.select_key((PRIORITY, first.id))
    ws.expand_key((PRIORITY, first.id))
    before = ws.expanded_keys()
    ws.apply_filter(TreeFilter(text="victims"))
    opened = ws.expanded_keys()
    assert len([k for k in opened if k[0] == PRIORITY]) > 1  # every matching priority
    ws.apply_filter(TreeFilter())
    assert ws.expanded_keys() == before
    assert ws.current_key() == (PRIORITY, first.id)
    assert (PLAN, plan.id) in before


def _filled(store, tmp_path):
    sent = export(store, tmp_path)
    return edit(sent, tmp_path / "back.xlsx", {
        answer(C, "new_status", 2): "Complete", answer(C, "evidence", 3): "Opened a hub"})


def _opened(qtbot, store, path) -> ImportReturnDialog:
    dialog = ImportReturnDialog(store, path)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: not dialog.running and dialog.preview is not None)
    return dialog


def test_the_backup_an_import_needs_is_made_while_the_officer_reads_its_preview(qtbot, store, tmp_path):
    path = _filled(store, tmp_path)
    assert backup.list_backups(store.path) == []
    dialog = _opened(qtbot, store, path)
    assert dialog.backup is not None and dialog.backup.wait().exists()  # before Apply
    with qtbot.waitSignal(dialog.applied):
        dialog.apply_button.click()
    kept = backup.list_backups(store.path)
    assert [b.reason for b in kept] == ["import-return"]
    dialog.close()
    assert [b.path for b in backup.list_backups(store.path)] == [b.path for b in kept]


def test_a_preview_closed_without_applying_leaves_no_backup_behind(qtbot, store, tmp_path):
    dialog = _opened(qtbot, store, _filled(store, tmp_path))
    dialog.close()
    assert backup.list_backups(store.path) == []


def test_a_return_of_many_rows_shows_in_the_tree_after_applying(window, qtbot, store, tmp_path):
    sent = export(store, tmp_path)

    def every_row_complete(wb) -> None:
        ws = wb[C]
        col = [c.key for c in layout.COMMITMENT_COLUMNS].index("new_status") + 1
        for row in range(2, ws.max_row + 1):
            ws.cell(row, col).value = "Complete"

    path = edit(sent, tmp_path / "back.xlsx", change=every_row_complete)
    dialog = window.returns.import_return(path)
    qtbot.waitUntil(lambda: not dialog.running and dialog.preview is not None)
    changed = [c.payload.commitment_id for c in dialog.preview.changes]
    assert len(changed) > 5
    with qtbot.waitSignal(dialog.applied):
        dialog.apply_button.click()
    qtbot.waitUntil(lambda: not dialog.running)
    model = window.workspace.model
    for cid in changed:
        index = window.workspace.model.locate(("commitment", cid))
        assert index.isValid(), cid
        status = model.index(index.row(), 2, index.parent()).data(Qt.ItemDataRole.DisplayRole)
        assert "Complete" in status
    dialog.close()
