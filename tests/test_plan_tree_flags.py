"""Every row of the plan tree can be chosen, none can be edited in place, and nothing above the
plans can be chosen. A commitment without sub-points says it never has children, so the view
does not ask."""

from PySide6.QtCore import QModelIndex, Qt

from tracker.ui.models.plan_tree import COMMITMENT, PlanTreeModel, key_of


def test_every_shown_row_is_enabled_and_selectable_in_every_column(qtbot, store):
    model = PlanTreeModel(store)
    both = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
    plan = model.index(0, 0)
    model.fetchMore(plan)
    priority = model.index(0, 0, plan)
    model.fetchMore(priority)
    commitment = model.index(0, 0, priority)
    assert commitment.isValid()
    for parent, row in ((QModelIndex(), 0), (plan, 0), (priority, 0)):
        for column in range(model.columnCount()):
            index = model.index(row, column, parent)
            assert model.flags(index) & ~Qt.ItemFlag.ItemNeverHasChildren == both
            assert not model.flags(index) & Qt.ItemFlag.ItemIsEditable
    assert model.flags(QModelIndex()) == Qt.ItemFlag.NoItemFlags


def test_only_a_commitment_without_sub_points_never_has_children(qtbot, store):
    model = PlanTreeModel(store)
    never = Qt.ItemFlag.ItemNeverHasChildren
    seen = {True: 0, False: 0}
    for q in range(model.rowCount()):
        plan = model.index(q, 0)
        assert not model.flags(plan) & never
        model.fetchMore(plan)
        for p in range(model.rowCount(plan)):
            priority = model.index(p, 0, plan)
            assert not model.flags(priority) & never
            model.fetchMore(priority)
            for r in range(model.rowCount(priority)):
                first = model.index(r, 0, priority)
                node = model.node_of(first)
                assert key_of(first) == (COMMITMENT, node.id)
                leaf = node.row.sub_points == 0
                assert bool(model.flags(first) & never) == leaf
                assert model.hasChildren(first) == (not leaf)
                seen[leaf] += 1
    assert seen[True] and seen[False]  # the sample has both
