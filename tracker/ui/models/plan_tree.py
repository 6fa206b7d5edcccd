"""The plan tree as a Qt item model over the store: plan -> priority -> commitment -> sub-point.

Nothing is copied up front: each level is read from the store (tracker.store.filters) when
its parent is expanded (canFetchMore/fetchMore). A new filter resets the model; the query does
the narrowing. The model holds ids and the few fields a row shows.
"""

from __future__ import annotations

import sys
import threading
from dataclasses import dataclass, field

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from tracker.domain.model import PlanState
from tracker.domain.status import Status
from tracker.domain.wording import day, moment
from tracker.store import filters
from tracker.store.database import Store
from tracker.store.errors import StoreError
from tracker.store.filters import CommitmentRow, PlanRow, PriorityRow, TreeFilter
from tracker.store.queries import get_priority

PLAN, PRIORITY, COMMITMENT = "plan", "priority", "commitment"
COLUMNS = ("Code", "Plan, priority or commitment", "Status", "Lead", "Last updated")
CODE, TEXT, STATUS, LEAD, UPDATED = range(5)
_COLUMN_COUNT = len(COLUMNS)

KeyRole = Qt.ItemDataRole.UserRole + 1  # (kind, id)
_NO_INDEX = QModelIndex()
_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
# The roles a row answers besides its text; Qt asks each cell for seven roles as it paints
# (decoration, alignment, background, check state, ...), and every other one is None.
_ANSWERED = frozenset({int(Qt.ItemDataRole.FontRole), int(Qt.ItemDataRole.ForegroundRole),
                       int(Qt.ItemDataRole.ToolTipRole), int(KeyRole)})


@dataclass(eq=False)
class Node:
    kind: str
    id: int
    row: PlanRow | PriorityRow | CommitmentRow | None
    parent: Node | None
    children: list[Node] | None = None  # None: not read yet
    extra: dict = field(default_factory=dict)
    pos: int = 0  # its row under its parent (kept, so finding it is not a search)
    shown: tuple[str, ...] | None = None  # the texts of its columns, made when first painted

    def set_row(self, row: PlanRow | PriorityRow | CommitmentRow) -> None:
        self.row = row
        self.shown = None

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


# While the GUI thread builds the window it holds the interpreter; a reader on a thread needs it
# back after each SQLite call (a dozen: connecting, pragmas, the query), and by default waits up
# to 5 ms for it each time: 20-30 ms for 6 ms of SQL. A shorter switch interval while a prefetch
# reads hands it over at once (the first reader to start shortens it, the last to end restores it).
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


class PriorityPrefetch:
    """The priorities of the plan the window opens on, with their status counts, read on a
    thread and connection of their own while the window builds its widgets: on 10,000
    commitments the counts are most of what opening waits for. Only for a store on a file
    (an in-memory store has one connection)."""

    def __init__(self, store: Store, plan_id: int):
        self.store, self.plan_id = store, plan_id
        # Everything but the query is done on this thread: the connection is opened here and
        # closed by take(), which also makes the rows. The reading thread so takes the
        # interpreter back once, when its query is done, and each time it took it the
        # window's thread stopped until it had (on a busy machine, for as long as the reader
        # waited for a processor).
        self._read: filters.PriorityRead | None = None
        try:
            self._reader: Store | None = store.open_reader()
            self._read = filters.PriorityRead(self._reader, plan_id)
        except StoreError:  # the tree then reads them itself (and says what is wrong)
            self._reader = None
        self._fetched = False
        self._rows: list[PriorityRow] | None = None
        _quick_switches()
        self._thread = threading.Thread(target=self._fetch, name="tracker-tree-prefetch",
                                        daemon=True)
        self._thread.start()

    def _fetch(self) -> None:
        try:
            if self._read is not None:
                self._read.fetch()
                self._fetched = True
        except Exception:  # the tree then reads them itself, and says what is wrong
            pass
        finally:
            _usual_switches()

    def take(self) -> list[PriorityRow] | None:
        self._thread.join()
        if self._reader is not None:
            self._reader.close()
            self._reader = None
            if self._fetched:
                try:
                    self._rows = self._read.rows()
                except Exception:  # as above
                    self._rows = None
        return self._rows


class PlanTreeModel(QAbstractItemModel):
    def __init__(self, store: Store, parent=None, prefetch: PriorityPrefetch | None = None):
        super().__init__(parent)
        self.store = store
        self.filter = TreeFilter()
        self._root = Node("root", 0, None, None, [])
        self._by_key: dict[tuple[str, int], Node] = {}
        self._bold = QFont()
        self._bold.setBold(True)
        self._prefetch = prefetch if prefetch is not None and prefetch.store is store else None
        self._load_plans()

    # --- loading ------------------------------------------------------------------------

    def _load_plans(self) -> None:
        self._by_key.clear()
        self._root.children = []
        for pos, row in enumerate(filters.plan_rows(self.store, counts=False)):  # tooltip counts
            node = Node(PLAN, row.id, row, self._root, pos=pos)
            self._root.children.append(node)
            self._by_key[node.key] = node

    def _drop_prefetch(self) -> None:
        if self._prefetch is not None:
            self._prefetch.take()  # its thread and connection end before the model moves on
            self._prefetch = None

    def set_store(self, store: Store) -> None:
        self._drop_prefetch()
        self.beginResetModel()
        self.store = store
        self.filter = TreeFilter()
        self._load_plans()
        self.endResetModel()

    def detach(self) -> None:
        """Show nothing and read nothing (while the database file is being replaced)."""
        self._drop_prefetch()
        self.beginResetModel()
        self.store = None
        self._by_key.clear()
        self._root.children = []
        self.endResetModel()

    def set_filter(self, flt: TreeFilter, found: dict | None = None) -> None:
        """Show what the filter lets through. Under a filter every plan's matching priorities
        and commitments are read at once (one query a plan, or given in `found`: plan id ->
        filters.filtered_plan) and are there when the view lays itself out after the reset,
        so opening them all is one relayout."""
        self._drop_prefetch()
        self.beginResetModel()
        self.filter = flt
        self._load_plans()
        if not flt.is_empty and self.store is not None:
            for plan in self._root.children:
                plan.children = []
                read = found.get(plan.id) if found is not None else None
                if read is None:  # (`found`: read already, on a thread)
                    read = filters.filtered_plan(self.store, plan.id, flt)
                for priority_row, rows in read:
                    priority = self._adopt(plan, PRIORITY, priority_row)
                    priority.children = []
                    for row in rows:
                        self._adopt(priority, COMMITMENT, row)
        self.endResetModel()

    def _adopt(self, parent: Node, kind: str, row) -> Node:
        node = Node(kind, row.id, row, parent, pos=len(parent.children))
        parent.children.append(node)
        self._by_key[node.key] = node
        return node

    def reload(self) -> None:
        """Read everything again (after an import or a structural edit)."""
        self.set_filter(self.filter)

    def _read_children(self, node: Node) -> list[Node]:
        if self.store is None:
            return []
        if node.kind == PLAN:
            rows = None
            prefetch, self._prefetch = self._prefetch, None
            if prefetch is not None and prefetch.plan_id == node.id and prefetch.store is \
                    self.store and self.filter.is_empty:
                rows = prefetch.take()
            elif prefetch is not None:
                self._prefetch = prefetch  # for another plan: kept for when that one opens
            if rows is None:
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
            child = Node(kind, row.id, row, node, pos=pos)
            self._by_key[child.key] = child
            made.append(child)
        return made

    def canFetchMore(self, parent: QModelIndex | QPersistentModelIndex) -> bool:
        node = self._node(parent)
        return node.children is None and node.may_have_children()

    def fetchMore(self, parent: QModelIndex | QPersistentModelIndex) -> None:
        node = self._node(parent)
        if node.children is not None:
            return
        made = self._read_children(node)
        if made:
            self.beginInsertRows(parent, 0, len(made) - 1)
            node.children = made
            self.endInsertRows()
        else:
            node.children = []

    # --- the Qt model ---------------------------------------------------------------------

    def _node(self, index: QModelIndex | QPersistentModelIndex) -> Node:
        if not index.isValid():
            return self._root
        return index.internalPointer()

    # index, parent and hasChildren are called for every row the view lays out (thousands when
    # a filter opens every priority): kept to a few attribute reads each.
    def index(self, row: int, column: int, parent: QModelIndex | QPersistentModelIndex = _NO_INDEX
              ) -> QModelIndex:
        children = (parent.internalPointer() if parent.isValid() else self._root).children
        if children is None or not 0 <= row < len(children) or not 0 <= column < _COLUMN_COUNT:
            return QModelIndex()
        return self.createIndex(row, column, children[row])

    def parent(self, index: QModelIndex | QPersistentModelIndex = _NO_INDEX) -> QModelIndex:  # type: ignore[override]
        if not index.isValid():
            return QModelIndex()
        node: Node = index.internalPointer()
        up = node.parent
        if up is None or up is self._root:
            return QModelIndex()
        return self.createIndex(up.pos, 0, up)

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = _NO_INDEX) -> int:
        if parent.isValid() and parent.column() != 0:
            return 0
        node = self._node(parent)
        return len(node.children) if node.children is not None else 0

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = _NO_INDEX) -> int:
        return _COLUMN_COUNT

    def hasChildren(self, parent: QModelIndex | QPersistentModelIndex = _NO_INDEX) -> bool:
        if not parent.isValid():
            return bool(self._root.children)
        if parent.column() != 0:
            return False
        node = parent.internalPointer()
        if node.children is not None:
            return bool(node.children)
        return node.may_have_children()

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    # flags() is not overridden: Qt's own gives a valid index ItemIsEnabled | ItemIsSelectable
    # and an invalid one none, which is what the tree's rows are. A Python flags() was called
    # twice per row as a filter opened 5,000 rows (a third of the calls the expand made).

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = _DISPLAY):
        # Called for every role of every cell painted: the texts are made once per row.
        if role == _DISPLAY:
            if not index.isValid():
                return None
            node: Node = index.internalPointer()
            shown = node.shown
            if shown is None:
                shown = node.shown = self._texts(node)
            return shown[index.column()]
        if role not in _ANSWERED or not index.isValid():
            return None
        node = index.internalPointer()
        col = index.column()
        if role == KeyRole:
            return node.key
        if node.kind == PLAN:
            return self._plan_data(node.row, col, role)
        if node.kind == PRIORITY:
            return self._priority_data(node.row, col, role)
        return self._commitment_data(node.row, col, role)

    @staticmethod
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

    def _plan_data(self, row: PlanRow, col: int, role: int):
        closed = row.state is PlanState.CLOSED
        if role == Qt.ItemDataRole.FontRole:
            return self._bold
        if role == Qt.ItemDataRole.ForegroundRole and closed:
            return QBrush(QColor("#666666"))
        if role == Qt.ItemDataRole.ToolTipRole:
            return (f"{row.title} ({row.period}): {row.state.label.lower()}, "
                    f"{self._plan_total(row)} commitments"
                    + ("; closed plans cannot be edited" if closed else ""))
        return None

    def _plan_total(self, row: PlanRow) -> int:
        if row.commitments >= 0:
            return row.commitments
        node = self._by_key.get((PLAN, row.id))
        if node is None or self.store is None:
            return 0
        if "total" not in node.extra:  # counted when first shown (a tooltip), not at opening
            node.extra["total"] = filters.plan_commitment_count(self.store, row.id)
        return node.extra["total"]

    def _priority_data(self, row: PriorityRow, col: int, role: int):
        if role == Qt.ItemDataRole.FontRole and col in (CODE, TEXT):
            return self._bold
        if role == Qt.ItemDataRole.ToolTipRole:
            # The counts column shows shapes only ("9 ○  2 ➜"): the tooltip says each one.
            lines = [f"{s.shape} {s.label}: {n}" for s, n in row.counts.counts.items() if n]
            return (f"Priority {row.number}: {row.title}\n{row.counts.total} commitments"
                    + (":\n" + "\n".join(lines) if lines else ""))
        return None

    def _commitment_data(self, row: CommitmentRow, col: int, role: int):
        if role == Qt.ItemDataRole.ForegroundRole and col == STATUS:
            return QBrush(QColor(row.status.colour))
        if role == Qt.ItemDataRole.FontRole and col == STATUS:
            return self._bold
        if role == Qt.ItemDataRole.ToolTipRole:
            if col == STATUS:
                return f"Status: {row.status.shape} {row.status.label}"
            if col == UPDATED:
                return f"Last updated {moment(row.updated_at)}"
            label = f"{row.code}. " if row.code else ""
            subs = f"\n{row.sub_points} sub-points" if row.sub_points else ""
            return f"{label}{row.text}{subs}"
        return None

    def plan_nodes(self) -> list[Node]:
        return list(self._root.children or [])

    def matching_count(self) -> int:
        """Top-level commitments counted in the priorities read so far."""
        return sum(p.row.counts.total for plan in self.plan_nodes() for p in plan.children or [])

    def read_nodes(self) -> list[Node]:
        """Every node whose children have been read."""
        return [n for n in self._by_key.values() if n.children is not None]

    # --- finding and refreshing rows --------------------------------------------------------

    def index_of(self, key: tuple[str, int], column: int = 0) -> QModelIndex:
        node = self._by_key.get(key)
        if node is None or node.parent is None or node.parent.children is None:
            return QModelIndex()
        siblings = node.parent.children
        if node.pos >= len(siblings) or siblings[node.pos] is not node:
            return QModelIndex()
        return self.createIndex(node.pos, column, node)

    def node_of(self, index: QModelIndex) -> Node | None:
        return index.internalPointer() if index.isValid() else None

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
            if node is None:
                continue
            node.set_row(fresh)
            first = self.index_of(node.key, 0)
            if first.isValid():
                self.dataChanged.emit(first, self.index_of(node.key, len(COLUMNS) - 1))
        self.refresh_counts()

    def refresh_counts(self) -> None:
        for plan in self._root.children or []:
            if not plan.children:
                continue
            fresh = {r.id: r for r in filters.priority_rows(self.store, plan.id, self.filter)}
            for child in plan.children:
                if child.id in fresh:
                    child.set_row(fresh[child.id])
            first = self.index_of(plan.children[0].key, STATUS)
            last = self.index_of(plan.children[-1].key, STATUS)
            self.dataChanged.emit(first, last)

    def refresh_plan(self, plan_id: int) -> None:
        node = self._by_key.get((PLAN, plan_id))
        if node is None:
            return
        for row in filters.plan_rows(self.store):
            if row.id == plan_id:
                node.set_row(row)
        self.dataChanged.emit(self.index_of(node.key, 0), self.index_of(node.key, len(COLUMNS) - 1))

    def plan_of(self, key: tuple[str, int]) -> int | None:
        node = self._by_key.get(key)
        while node is not None and node.kind != PLAN:
            node = node.parent
        return node.id if node is not None else None
