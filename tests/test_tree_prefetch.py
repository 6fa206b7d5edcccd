"""The tree's first rows, read on a thread while the window builds: the same rows the tree
reads itself, and the interpreter's switch interval is given back when the readers are done."""

import sys

from tracker.store import filters, queries
from tracker.ui.models.plan_tree import PriorityPrefetch


def test_prefetched_priorities_are_the_ones_the_tree_reads(store):
    plan = queries.default_plan(store)
    prefetch = PriorityPrefetch(store, plan.id)
    assert prefetch.take() == filters.priority_rows(store, plan.id)


def test_overlapping_reads_give_back_the_switch_interval(store):
    before = sys.getswitchinterval()
    plan = queries.default_plan(store)
    first = PriorityPrefetch(store, plan.id)
    second = PriorityPrefetch(store, plan.id)  # a second window opened meanwhile
    first.take()
    second.take()
    assert sys.getswitchinterval() == before
