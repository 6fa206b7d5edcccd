"""The plan tree's cells are written by Qt from role values (tracker.ui.models.tree_cells): in
bulk from the stream a drop carries, or a few rows at a time. Both must give the cells Qt itself
would make, and the tree must show the same rows whichever way they were read."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, QModelIndex, QPoint, Qt
from PySide6.QtGui import QHelpEvent, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QApplication, QStyleOptionViewItem, QToolTip
from ui_helpers import close_window, make_window

from tracker.domain.status import Status
from tracker.store import queries
from tracker.store.filters import TreeFilter
from tracker.ui.models.plan_tree import COMMITMENT, PRIORITY, STATUS, PlanTreeModel, key_of
from tracker.ui.models.tree_cells import MIME_TYPE, Cells, StatusRole


@pytest.fixture
def window(qtbot, store, tmp_path):
    w = make_window(qtbot, store, tmp_path)
    yield w
    close_window(w)


def test_an_encoded_cell_is_byte_for_byte_what_qt_streams(qtbot):
    cells = Cells()
    child_a = cells.encode_cell("a", cells.leaf, "commitment:7", status="on_track")
    child_b = cells.encode_cell("b — ✓ ○", cells.plain)
    parent = cells.encode_cell("P1", cells.bold, "priority:3",
                               children=cells.children([[child_a, child_b]]))
    ours = b"".join((parent[0], parent[1]) if isinstance(parent, tuple) else (parent,))

    # The same cell made by Qt, its roles set in the same order, and streamed by Qt.
    model = QStandardItemModel()
    made = []
    for text, style, key, status in (("P1", cells.bold, "priority:3", None),
                                     ("a", cells.leaf, "commitment:7", "on_track"),
                                     ("b — ✓ ○", cells.plain, None, None)):
        item = QStandardItem(text)
        item.setFlags(Qt.ItemFlag(style.flags))
        for role, value in style.roles.items():
            item.setData(value, role)
        if key:
            item.setData(key, Qt.ItemDataRole.UserRole + 1)
        if status:
            item.setData(status, StatusRole)
        made.append(item)
    made[0].appendRow([made[1], made[2]])
    model.appendRow(made[0])
    theirs = bytes(model.mimeData([model.index(0, 0)]).data(MIME_TYPE))
    assert theirs == b"\0\0\0\0\0\0\0\0" + ours  # after the row and column Qt puts first


def _cells_of(model: PlanTreeModel, index: QModelIndex) -> list:
    return [(model.itemData(index.siblingAtColumn(c)), model.flags(index.siblingAtColumn(c)))
            for c in range(model.columnCount())]


def test_rows_read_under_a_filter_are_the_rows_read_by_opening(qtbot, store):
    opened = PlanTreeModel(store)
    filtered = PlanTreeModel(store)
    plan = queries.default_plan(store)
    filtered.set_filter(TreeFilter(text="victims"))
    compared = 0
    for key in [n.key for n in filtered.read_nodes() if n.kind == PRIORITY]:
        priority = filtered.index_of(key)
        for row in range(filtered.rowCount(priority)):
            mine = filtered.index(row, 0, priority)
            theirs = opened.locate(key_of(mine))
            assert theirs.isValid()
            # The counts of a filtered priority are of what matched; its commitments' rows
            # are the same cells, whichever way they were read.
            assert _cells_of(filtered, mine) == _cells_of(opened, theirs)
            compared += 1
    assert compared >= 5, plan.title
    # The plans and priorities are bold, the commitments are not, and nothing is editable.
    first = filtered.index(0, 0)
    assert filtered.itemData(first)[Qt.ItemDataRole.FontRole].bold()
    assert not filtered.flags(first) & Qt.ItemFlag.ItemIsEditable


def test_the_status_word_is_drawn_bold_in_its_colour(window, store):
    ws = window.workspace
    c = next(c for c in queries.list_commitments(
        store, queries.list_priorities(store, queries.default_plan(store).id)[0].id))
    index = ws.model.locate((COMMITMENT, c.id)).siblingAtColumn(STATUS)
    assert index.data() == f"{c.status.shape} {c.status.label}"
    assert index.data(StatusRole) == c.status.value
    option = QStyleOptionViewItem()
    ws.tree.itemDelegateForColumn(STATUS).initStyleOption(option, index)
    assert option.font.bold()
    assert option.palette.color(option.palette.ColorRole.Text).name() == Status(
        c.status).colour.lower()
    # The priority's counts in the same column are not a status: drawn as any cell.
    counts = index.parent().siblingAtColumn(STATUS)
    plain = QStyleOptionViewItem()
    ws.tree.itemDelegateForColumn(STATUS).initStyleOption(plain, counts)
    assert not plain.font.bold()


def test_hovering_a_row_shows_its_tooltip(window, store, qtbot):
    ws = window.workspace
    plan = queries.default_plan(store)
    priority = queries.list_priorities(store, plan.id)[0]
    index = ws.model.locate((PRIORITY, priority.id))
    ws.tree.scrollTo(index)
    rect = ws.tree.visualRect(index.siblingAtColumn(STATUS))
    viewport = ws.tree.viewport()
    at = rect.center()
    event = QHelpEvent(QEvent.Type.ToolTip, at, viewport.mapToGlobal(at))
    QApplication.sendEvent(viewport, event)  # as Qt sends it when the mouse rests there
    qtbot.waitUntil(QToolTip.isVisible)
    assert QToolTip.text() == ws.model.tooltip(index.siblingAtColumn(STATUS))
    assert QToolTip.text().startswith(f"Priority {priority.number}: {priority.title}")
    # Below the last row there is nothing to say: the tip goes.
    below = QPoint(5, viewport.height() - 2)
    if not ws.tree.indexAt(below).isValid():
        empty = QHelpEvent(QEvent.Type.ToolTip, below, viewport.mapToGlobal(below))
        QApplication.sendEvent(viewport, empty)
        qtbot.waitUntil(lambda: not QToolTip.isVisible())


def test_an_edited_row_shows_what_it_holds_now_and_nothing_it_held_before(qtbot, store):
    from tracker import ops

    model = PlanTreeModel(store)
    c = next(c for p in queries.list_priorities(store, queries.default_plan(store).id)
             for c in queries.list_commitments(store, p.id) if c.code)
    index = model.locate((COMMITMENT, c.id))
    assert index.data() == c.code
    changed = []
    model.dataChanged.connect(lambda first, last, roles=(): changed.append(key_of(first)))
    ops.edit_fields(store, "commitment", c.id, code="", lead="")
    ops.set_status(store, c.id, Status.COMPLETE, reason="Delivered")
    model.refresh_commitment(c.id)
    index = model.locate((COMMITMENT, c.id))
    assert index.data() is None  # the code is gone, not left behind
    assert index.siblingAtColumn(3).data() == "—"  # no lead
    status = index.siblingAtColumn(STATUS)
    assert status.data() == f"{Status.COMPLETE.shape} {Status.COMPLETE.label}"
    assert status.data(StatusRole) == Status.COMPLETE.value
    assert model.flags(index) & Qt.ItemFlag.ItemIsSelectable  # its flags came back with it
    assert (COMMITMENT, c.id) in changed
    # Unchanged, a refresh writes nothing.
    changed.clear()
    model.refresh_commitment(c.id)
    assert changed == []
