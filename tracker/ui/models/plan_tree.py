"""The plan tree as a Qt item model over the store: plan -> priority -> commitment -> sub-point.

Nothing is copied up front: each level is read from the store (tracker.store.filters) when
its parent is expanded (canFetchMore/fetchMore). A new filter resets the model; the query does
the narrowing. Each row is a Node (ids and the fields the row shows) beside its cells, which
Qt holds (tree_cells): Qt lays the rows out and paints them without asking Python.
"""

from __future__ import annotations

import functools
import sys
import threading
from dataclasses import dataclass

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, QTimer
from PySide6.QtGui import QStandardItemModel

from tracker.domain.model import PlanState
from tracker.domain.status import Status
from tracker.domain.wording import day, moment
from tracker.store import filters
from tracker.store.database import Store
from tracker.store.filters import CommitmentRow, PlanRow, PriorityRow, TreeFilter
from tracker.store.queries import get_priority
from tracker.ui.models.tree_cells import FLAGS_ROLE, Cell, Children, Style, cells, key_text
from tracker.ui.models.tree_cells import KeyRole as KeyRole  # (re-exported: the rows' key)
from tracker.ui.models.tree_cells import StatusRole as StatusRole
from tracker.ui.models.tree_cells import key_of as key_of

PLAN, PRIORITY, COMMITMENT = "plan", "priority", "commitment"
COLUMNS = ("Code", "Plan, priority or commitment", "Status", "Lead", "Last updated")
CODE, TEXT, STATUS, LEAD, UPDATED = range(5)
_COLUMN_COUNT = len(COLUMNS)

_NO_INDEX = QModelIndex()


@dataclass(eq=False)
class Node:
    kind: str
    id: int
    row: PlanRow | PriorityRow | CommitmentRow | None
    # The node above, by its key (the model's _by_key finds it): no reference back up, so a
    # tree the model lets go of is freed at once rather than left for the cycle collector,
    # whose full pass over a filter's 30,000 dropped nodes and rows froze the window 80 ms.
    parent: tuple[str, int] | None
    children: list[Node] | None = None  # None: not read yet
    total: int | None = None  # a plan's commitments, counted when its tooltip is first shown
    pos: int = 0  # its row under its parent

    @property
    def key(self) -> tuple[str, int]:
        return (self.kind, self.id)

    def may_have_children(self) -> bool:
        kind = self.kind
        if kind == COMMITMENT:
            return self.row.sub_points > 0
        if kind == PRIORITY:
            return self.row.counts.total > 0
        return True


@functools.lru_cache(maxsize=4096)  # an import or a round stamps many rows the same
def short_date(stamp: str) -> str:
    """The day of a stamp as the tracker shows every day ("1 Dec 2026", wording.day)."""
    try:
        return day(stamp)
    except ValueError:
        return str(stamp)[:10]


def status_text(status: Status) -> str:
    return f"{status.shape} {status.label}"


def counts_text(row: PriorityRow) -> str:
    parts = [f"{n} {s.shape}" for s, n in row.counts.counts.items() if n]
    return "  ".join(parts) if parts else "no commitments"


# While a filter's rows are made on a thread (prepare), the window's thread waits for the
# interpreter at each turn of its event loop, up to the switch interval each time (the window
# answered keys in steps of it). A shorter interval meanwhile hands it back at once (the first
# thread to start shortens it, the last to end restores it).
_SWITCH_INTERVAL = 0.0002
_switch_lock = threading.Lock()
_switch_readers = 0
_switch_saved = 0.0


def _quick_switches() -> None:
    global _switch_readers, _switch_saved
    with _switch_lock:
        if _switch_readers == 0:
            _switch_saved = sys.getswitchinterval()
            sys.setswitchinterval(min(_switch_saved, _SWITCH_INTERVAL))
        _switch_readers += 1


def _usual_switches() -> None:
    global _switch_readers
    with _switch_lock:
        _switch_readers -= 1
        if _switch_readers == 0:
            sys.setswitchinterval(_switch_saved)


def _cell_parts(node: Node) -> list[tuple[str, Style, str | None, str | None]]:
    """A node's row, cell by cell: its text, its style, the row's key (first cell) and a
    commitment's status (status cell): what tree_cells writes, one way or the other."""
    c = cells()
    if node.kind == COMMITMENT:
        styles = (c.leaf if node.row.sub_points == 0 else c.plain,) + (c.plain,) * 4
    elif node.kind == PRIORITY:
        styles = (c.bold, c.bold) + (c.plain,) * 3
    else:
        styles = ((c.closed if node.row.state is PlanState.CLOSED else c.bold),) + (c.plain,) * 4
    parts = [(text, style, None, None) for text, style in zip(_texts(node), styles, strict=True)]
    parts[0] = (*parts[0][:2], key_text(*node.key), None)
    if node.kind == COMMITMENT:
        parts[STATUS] = (*parts[STATUS][:2], None, node.row.status.value)
    return parts


def _encoded(node: Node, children: Children | None = None) -> list[Cell]:
    """A node's row as the stream a drop carries (with its children under its first cell)."""
    encode = cells().encode_cell
    return [encode(text, style, key, children if column == 0 else None, status)
            for column, (text, style, key, status) in enumerate(_cell_parts(node))]


def _roles(node: Node) -> list[dict]:
    """A node's row as role values, for setItemData."""
    roles = cells().roles
    return [roles(*part) for part in _cell_parts(node)]


def _texts(node: Node) -> tuple[str, ...]:
    row = node.row
    if node.kind == PLAN:
        # Plan rows span the columns (the view sets it): everything goes in the first.
        state = ("closed, read-only" if row.state is PlanState.CLOSED
                 else row.state.label.lower())
        return (f"{row.title}   ({row.period} · {state})", "", "", "", "")
    if node.kind == PRIORITY:
        return (f"P{row.number}", row.title, counts_text(row), "", "")
    return (row.code or "", row.text, status_text(row.status), row.lead or "—",
            short_date(row.updated_at))


@dataclass
class FilteredRows:
    """A filter's priorities and commitments (filters.filtered_plan per plan id, then
    `PlanTreeModel.prepare`): their nodes, and their rows encoded for Qt. Handed to
    `set_filter`, which puts them in the tree."""
    flt: TreeFilter
    plans: dict[int, tuple[list[Node], Children | None]]  # plan id -> priorities, their rows


class PlanTreeModel(QStandardItemModel):
    """The rows are QStandardItems: Qt lays out, paints and finds them without calling into
    Python (on 3,000 filtered rows a Python model answered 9,000 calls for one layout, and
    seven per cell painted). Python is asked only whether an unread row has children, and to
    read them (canFetchMore/fetchMore)."""

    def __init__(self, store: Store, parent=None):
        super().__init__(0, _COLUMN_COUNT, parent)
        self.setHorizontalHeaderLabels(COLUMNS)
        self.invisibleRootItem().setFlags(Qt.ItemFlag.NoItemFlags)  # nothing above the plans
        self.store = store
        self.filter = TreeFilter()
        self._plans: list[Node] = []
        self._by_key: dict[tuple[str, int], Node] = {}
        self._reset(None)

    # --- loading ------------------------------------------------------------------------

    def _reset(self, prepared: FilteredRows | None, plans: bool = True) -> None:
        """Replace every row in one reset: the plans (and under a filter, what matched) are
        written by Qt from one stream (tree_cells), with the model's own signals held back
        (a view told of rows moving mid-reset would lay itself out twice)."""
        self.beginResetModel()
        held = self.blockSignals(True)
        try:
            # The rows that go are freed once the window has been drawn, not inside the reset:
            # Qt freeing a filter's 15,000 cells took a fifth of it.
            gone: list = [self.takeRow(0) for _ in range(self.rowCount())]
            if gone:
                gone += (self._by_key, self._plans)  # their nodes and rows too
                QTimer.singleShot(0, self, gone.clear)
            self._by_key = {}
            self._plans = []
            if plans and self.store is not None:
                rows = []
                for pos, row in enumerate(filters.plan_rows(self.store, counts=False)):
                    node = Node(PLAN, row.id, row, None, pos=pos)
                    self._plans.append(node)
                    self._by_key[node.key] = node
                    rows.append(_encoded(node, self._matched(node, prepared)))
                if rows:
                    cells().drop_rows(self, rows)
        finally:
            self.blockSignals(held)
            self.endResetModel()

    def _matched(self, plan: Node, prepared: FilteredRows | None) -> Children | None:
        """Under a filter, a plan's matching priorities (adopted into the tree) as encoded
        rows, their commitments under them."""
        if prepared is None:
            return None
        if plan.id not in prepared.plans:  # a plan made since the rows were read
            prepared.plans.update(self._prepare(prepared.flt, {plan.id: filters.filtered_plan(
                self.store, plan.id, prepared.flt)}).plans)
        priorities, rows = prepared.plans[plan.id]
        plan.children = priorities
        for priority in priorities:
            priority.parent = plan.key
            self._adopt(priority)
        return rows

    def set_store(self, store: Store) -> None:
        self.store = store
        self.filter = TreeFilter()
        self._reset(None)

    def detach(self) -> None:
        """Show nothing and read nothing (while the database file is being replaced)."""
        self.store = None
        self._reset(None, plans=False)

    def prepare(self, flt: TreeFilter, read: dict[int, list]) -> FilteredRows:
        """A filter's matches (`read`: plan id -> filters.filtered_plan) as nodes and encoded
        rows, off the model: safe on the thread that read them."""
        if threading.current_thread() is not threading.main_thread():
            _quick_switches()  # the window's thread gets the interpreter back at once
            try:
                return self._prepare(flt, read)
            finally:
                _usual_switches()
        return self._prepare(flt, read)

    def _prepare(self, flt: TreeFilter, read: dict[int, list]) -> FilteredRows:
        plans: dict[int, tuple[list[Node], Children | None]] = {}
        children_of = cells().children
        for plan_id, found in read.items():
            priorities: list[Node] = []
            rows: list[list[Cell]] = []
            for pos, (priority_row, commitment_rows) in enumerate(found):
                priority = Node(PRIORITY, priority_row.id, priority_row, None, [], pos=pos)
                children = priority.children
                for index, row in enumerate(commitment_rows):
                    children.append(Node(COMMITMENT, row.id, row, priority.key, pos=index))
                rows.append(_encoded(priority, children_of([_encoded(node) for node in children])))
                priorities.append(priority)
            plans[plan_id] = (priorities, children_of(rows))
        return FilteredRows(flt, plans)

    def set_filter(self, flt: TreeFilter, prepared: FilteredRows | None = None) -> None:
        """Show what the filter lets through. Under a filter every plan's matching priorities
        and commitments are there at once (read here, or made on a thread by `prepare`), so
        the view lays them all out in one pass as it opens them."""
        self.filter = flt
        if flt.is_empty or self.store is None:
            prepared = None
        elif prepared is None:
            prepared = self._prepare(flt, {row.id: filters.filtered_plan(self.store, row.id, flt)
                                           for row in filters.plan_rows(self.store, counts=False)})
        self._reset(prepared)

    def _adopt(self, node: Node) -> None:
        self._by_key[node.key] = node
        for child in node.children or ():
            self._adopt(child)

    def reload(self) -> None:
        """Read everything again (after an import or a structural edit)."""
        self.set_filter(self.filter)

    def _read_children(self, node: Node) -> list[Node]:
        if self.store is None:
            return []
        if node.kind == PLAN:
            rows = filters.priority_rows(self.store, node.id, self.filter)
            kind = PRIORITY
        elif node.kind == PRIORITY:
            rows = filters.commitment_rows(self.store, node.id, self.filter)
            kind = COMMITMENT
        else:
            rows = filters.sub_point_rows(self.store, node.id, self.filter)
            kind = COMMITMENT
        made = []
        for pos, row in enumerate(rows):
            child = Node(kind, row.id, row, node.key, pos=pos)
            self._by_key[child.key] = child
            made.append(child)
        return made

    # --- the Qt model ---------------------------------------------------------------------

    def canFetchMore(self, parent: QModelIndex | QPersistentModelIndex) -> bool:
        node = self.node_of(parent)
        return node is not None and node.children is None and node.may_have_children()

    def fetchMore(self, parent: QModelIndex | QPersistentModelIndex) -> None:
        node = self.node_of(parent)
        if node is None or node.children is not None:
            return
        made = self._read_children(node)
        node.children = made
        if not made:
            return
        # One insertion of empty rows, then their cells written with the model's signals held:
        # Qt tells the views the whole layout changed as it makes each cell.
        parent = self.index_of(node.key)
        if self.columnCount(parent) < _COLUMN_COUNT:
            self.insertColumns(0, _COLUMN_COUNT, parent)
        self.insertRows(0, len(made), parent)
        held = self.blockSignals(True)
        try:
            for row, child in enumerate(made):
                for column, values in enumerate(_roles(child)):
                    self.setItemData(self.index(row, column, parent), values)
        finally:
            self.blockSignals(held)
        self.dataChanged.emit(self.index(0, 0, parent),
                              self.index(len(made) - 1, _COLUMN_COUNT - 1, parent))

    def hasChildren(self, parent: QModelIndex | QPersistentModelIndex = _NO_INDEX) -> bool:
        # Asked only of rows without ItemNeverHasChildren (plans, priorities and commitments
        # with sub-points), as the view lays them out.
        if not parent.isValid():
            return bool(self._plans)
        if parent.column() != 0:
            return False
        node = self.node_of(parent)
        if node is None:
            return False
        if node.children is not None:
            return bool(node.children)
        return node.may_have_children()

    def tooltip(self, index: QModelIndex) -> str | None:
        """What a cell's tooltip says (worded when it is hovered: see the workspace)."""
        node = self.node_of(index)
        if node is None:
            return None
        row, col = node.row, index.column()
        if node.kind == PLAN:
            closed = row.state is PlanState.CLOSED
            return (f"{row.title} ({row.period}): {row.state.label.lower()}, "
                    f"{self._plan_total(node)} commitments"
                    + ("; closed plans cannot be edited" if closed else ""))
        if node.kind == PRIORITY:
            # The counts column shows shapes only ("9 ○  2 ➜"): the tooltip says each one.
            lines = [f"{s.shape} {s.label}: {n}" for s, n in row.counts.counts.items() if n]
            return (f"Priority {row.number}: {row.title}\n{row.counts.total} commitments"
                    + (":\n" + "\n".join(lines) if lines else ""))
        if col == STATUS:
            return f"Status: {row.status.shape} {row.status.label}"
        if col == UPDATED:
            return f"Last updated {moment(row.updated_at)}"
        label = f"{row.code}. " if row.code else ""
        subs = f"\n{row.sub_points} sub-points" if row.sub_points else ""
        return f"{label}{row.text}{subs}"

    def _plan_total(self, node: Node) -> int:
        row = node.row
        if row.commitments >= 0:
            return row.commitments
        if self.store is None:
            return 0
        if node.total is None:  # counted when first shown (a tooltip), not at opening
            node.total = filters.plan_commitment_count(self.store, row.id)
        return node.total

    def plan_nodes(self) -> list[Node]:
        return list(self._plans)

    def matching_count(self) -> int:
        """Top-level commitments counted in the priorities read so far."""
        return sum(p.row.counts.total for plan in self._plans for p in plan.children or [])

    def read_nodes(self) -> list[Node]:
        """Every node whose children have been read."""
        return [n for n in self._by_key.values() if n.children is not None]

    # --- finding and refreshing rows --------------------------------------------------------

    def index_of(self, key: tuple[str, int], column: int = 0) -> QModelIndex:
        node = self._by_key.get(key)
        if node is None:
            return QModelIndex()
        path = []
        while node is not None:
            path.append(node.pos)
            node = self._above(node)
        index = QModelIndex()
        for pos in reversed(path[1:]):
            index = self.index(pos, 0, index)
        return self.index(path[0], column, index)

    def node_of(self, index: QModelIndex | QPersistentModelIndex) -> Node | None:
        key = key_of(index)
        return self._by_key.get(key) if key is not None else None

    def locate(self, key: tuple[str, int]) -> QModelIndex:
        """The index of a plan, priority or commitment, reading the levels above it as needed.
        Invalid when the current filter hides it."""
        kind, item_id = key
        if kind == PLAN:
            return self.index_of(key)
        if kind == PRIORITY:
            plan_index = self.index_of((PLAN, get_priority(self.store, item_id).plan_id))
            if plan_index.isValid():
                self.fetchMore(plan_index)
            return self.index_of(key)
        path = filters.commitment_path(self.store, item_id)
        if path is None:
            return QModelIndex()
        plan_id, priority_id, chain = path
        above = [(PLAN, plan_id), (PRIORITY, priority_id)] + [(COMMITMENT, c) for c in chain[:-1]]
        for step in above:
            index = self.index_of(step)
            if not index.isValid():
                return QModelIndex()
            self.fetchMore(index)
        return self.index_of(key)

    def refresh_commitment(self, commitment_id: int) -> None:
        """Re-read one commitment row (after an edit) and its priority's counts."""
        self.refresh_commitments([commitment_id])

    def refresh_commitments(self, commitment_ids) -> None:
        """Re-read the rows of these commitments that the tree has read (in one query, however
        many a return touched), then the priorities' counts once."""
        shown = [cid for cid in commitment_ids if (COMMITMENT, cid) in self._by_key]
        for fresh in filters.commitment_rows_for(self.store, shown) if shown else ():
            node = self._by_key.get((COMMITMENT, fresh.id))
            if node is not None:
                node.row = fresh
                self._show(node)
        self.refresh_counts()

    def refresh_counts(self) -> None:
        for plan in self._plans:
            if not plan.children:
                continue
            fresh = {r.id: r for r in filters.priority_rows(self.store, plan.id, self.filter)}
            for child in plan.children:
                if child.id in fresh:
                    child.row = fresh[child.id]
                    self._show(child)

    def refresh_plan(self, plan_id: int) -> None:
        node = self._by_key.get((PLAN, plan_id))
        if node is None:
            return
        for row in filters.plan_rows(self.store):
            if row.id == plan_id:
                node.row = row
                self._show(node)

    def _show(self, node: Node) -> None:
        """Write a node's row again (its `row` has changed): only the cells that differ."""
        first = self.index_of(node.key)
        for column, values in enumerate(_roles(node)):
            index = first.siblingAtColumn(column)
            shown = {role: value for role, value in values.items() if role != FLAGS_ROLE}
            if self.itemData(index) != shown:
                # setItemData keeps roles it is not given: a text now empty would stay.
                self.clearItemData(index)
                self.setItemData(index, values)

    def plan_of(self, key: tuple[str, int]) -> int | None:
        node = self._by_key.get(key)
        while node is not None and node.kind != PLAN:
            node = self._above(node)
        return node.id if node is not None else None

    def _above(self, node: Node) -> Node | None:
        return self._by_key.get(node.parent) if node.parent is not None else None

