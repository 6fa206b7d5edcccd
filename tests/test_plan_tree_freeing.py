"""The rows a new filter replaces are freed by reference counting once the window has been
drawn: the tree's nodes hold no reference back up to their parents, so nothing is left for the
cycle collector, whose full pass over a broad filter's dropped rows stopped the window."""

import gc
import weakref

from PySide6.QtCore import QCoreApplication

from tracker.store.filters import TreeFilter
from tracker.ui.models.plan_tree import COMMITMENT, PRIORITY, PlanTreeModel


def _read_all(model: PlanTreeModel) -> None:
    plan = model.index(0, 0)
    model.fetchMore(plan)
    for p in range(model.rowCount(plan)):
        model.fetchMore(model.index(p, 0, plan))


def test_rows_a_filter_replaces_are_freed_without_the_cycle_collector(qtbot, store):
    model = PlanTreeModel(store)
    _read_all(model)
    old = [weakref.ref(n) for n in model.read_nodes()]
    old += [weakref.ref(model.node_of(model.index(0, 0, model.index(0, 0, model.index(0, 0)))))]
    assert all(r() is not None for r in old)
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        model.set_filter(TreeFilter(text="victims"))
        QCoreApplication.processEvents()  # what the reset let go of is freed once drawn
        assert [r for r in old if r() is not None] == []
    finally:
        if was_enabled:
            gc.enable()
    # and the filtered tree still finds its way up from a commitment to its plan
    found = [n for n in model.read_nodes() if n.kind == PRIORITY]
    assert found
    commitment = found[0].children[0]
    assert commitment.kind == COMMITMENT
    index = model.index_of(commitment.key)
    assert model.node_of(index) is commitment
    assert model.plan_of(commitment.key) == model.node_of(model.index(0, 0)).id
