"""What an operation returns: its id in the activity log, what it was, and every row it changed
(the shape of anki's OpChanges)."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from tracker.domain.changes import RowChange, short_id


@dataclass(frozen=True)
class OpResult:
    """The result of one operation.

    op_id: the activity log entry's uid (None when the operation changed nothing and so was
        not recorded); `short_id` is what `tracker log` prints and `tracker undo` accepts.
    kind: "set_status", "add_evidence", ... (see tracker.ops).
    summary: one sentence saying what was done.
    changes: every row written, as (table, key, before, after).
    value: what the operation made or found, when there is one (the new evidence's id, the
        import's ApplyResult, the operation an undo took back).
    """

    op_id: str | None
    kind: str
    summary: str
    changes: tuple[RowChange, ...] = ()
    value: Any = None
    who: str = ""
    at: str = ""
    origin: str = ""
    plans: tuple[int, ...] = field(default=())

    @property
    def changed(self) -> bool:
        return bool(self.changes)

    @property
    def short_id(self) -> str:
        return short_id(self.op_id) if self.op_id else ""

    @cached_property
    def _by_table(self) -> dict[str, list[RowChange]]:
        """The changes by table, sorted out once: a return's 18,000 were walked again by each
        view that asked (the tree, the indicators, the history) for each table."""
        found: dict[str, list[RowChange]] = {}
        for change in self.changes:
            found.setdefault(change.table, []).append(change)
        return found

    def rows(self, table: str) -> list[RowChange]:
        return list(self._by_table.get(table, ()))

    def ids(self, table: str, column: str = "id") -> set[Any]:
        """The values of `column` in the changed rows of `table`, before and after (the ids of
        changed commitments; with column="commitment_id" on "evidence", the commitments whose
        evidence changed)."""
        found = set()
        for change in self.rows(table):
            for row in (change.before, change.after):
                if row is not None and row.get(column) is not None:
                    found.add(row[column])
        return found

    def touches(self, *tables: str) -> bool:
        return any(table in self._by_table for table in tables)

    def commitment_ids(self) -> set[int]:
        """The commitments whose own row, evidence, status history or partners changed."""
        return set(self._touched[0])

    def indicator_ids(self) -> set[int]:
        """The indicators whose definition, values, partners or stated changes changed."""
        return set(self._touched[1])

    @cached_property
    def _touched(self) -> tuple[frozenset[int], frozenset[int]]:
        """(commitment ids, indicator ids), worked out once; a long job asks for them on its
        thread (`warm`), so the window's views do not walk a return's changes again."""
        commitments = (self.ids("commitment") | self.ids("evidence", "commitment_id")
                       | self.ids("status_change", "commitment_id")
                       | self.ids("commitment_partner", "commitment_id"))
        indicators = self.ids("indicator")
        for table in ("indicator_value", "indicator_partner", "stated_change", "narrative"):
            indicators |= self.ids(table, "indicator_id")
        return frozenset(commitments), frozenset(indicators)

    def warm(self) -> OpResult:
        """Sort out now (on a worker thread) what the window's views will ask of it."""
        self._touched  # noqa: B018  (a cached property: computed here, once)
        return self
