"""Every row of the plan tree can be chosen, and nothing above the plans can (Qt's own flags()
says so: the model leaves it to Qt)."""

from PySide6.QtCore import QModelIndex, Qt

from tracker.ui.models.plan_tree import PlanTreeModel


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
            assert model.flags(index) == both
            assert not model.flags(index) & Qt.ItemFlag.ItemIsEditable
    assert model.flags(QModelIndex()) == Qt.ItemFlag.NoItemFlags
