"""What an operation changed, row by row, and the activity log entry that records it.

A `RowChange` names one row by its table and key (the row's UUID, or its primary key for the
few tables without one) and holds the row's columns before and after the operation: `before`
is None for a row the operation added, `after` is None for a row it removed. These are what
undo compares and writes back, what the activity log keeps, and what team sync sends.

A changed row (neither added nor removed) is `partial` when it holds only the columns the
operation changed, with the row's identity (its key, id and the ids it refers to): a partner's
return touches the "last updated" stamp of thousands of commitments, and whole rows for each
were half of its log entry. Entries written before that (and team sync's) hold whole rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

Row = dict[str, Any]

# Bookkeeping columns: they move whenever anything near them moves (a commitment's updated_at
# when evidence is added to it, evidence positions when another item is deleted), so undo does
# not refuse because of them; it puts them back only where nothing else has moved them since.
SOFT_COLUMNS = frozenset({"updated_at", "position"})


# Slots: a return's entry holds 18,000 of them, each then one object for the cycle collector
# to walk, not two.
@dataclass(frozen=True, slots=True)
class RowChange:
    table: str
    key: str
    before: Row | None
    after: Row | None
    partial: bool = False  # only the changed columns (and the row's identity) are held

    @property
    def action(self) -> str:
        """"added", "removed" or "changed"."""
        if self.before is None:
            return "added"
        if self.after is None:
            return "removed"
        return "changed"

    @property
    def row(self) -> Row:
        """The row as it is after the change, or as it was if the change removed it."""
        return self.after if self.after is not None else self.before  # type: ignore[return-value]

    def changed_columns(self, *, soft: bool = False) -> list[str]:
        """The columns whose value differs (all of them for an added or removed row); the
        bookkeeping columns only with `soft`."""
        if self.before is None or self.after is None:
            names = list(self.row)
        else:
            names = [k for k in self.after if self.before.get(k) != self.after.get(k)]
        return [n for n in names if soft or n not in SOFT_COLUMNS]

    @property
    def is_bookkeeping(self) -> bool:
        """Only bookkeeping columns changed (a commitment touched by its evidence)."""
        return self.action == "changed" and not self.changed_columns()

    def inverted(self) -> RowChange:
        return RowChange(self.table, self.key, self.after, self.before, self.partial)

    def to_json(self) -> dict[str, Any]:
        found = {"table": self.table, "key": self.key, "before": self.before,
                 "after": self.after}
        if self.partial:
            found["partial"] = True
        return found

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> RowChange:
        return cls(data["table"], data["key"], data.get("before"), data.get("after"),
                   bool(data.get("partial")))


def same_content(a: Row | None, b: Row | None) -> bool:
    """Two states of one row hold the same values, bookkeeping columns aside."""
    if a is None or b is None:
        return a is None and b is None
    names = (set(a) | set(b)) - SOFT_COLUMNS
    return all(a.get(n) == b.get(n) for n in names)


@dataclass(frozen=True)
class Activity:
    """One entry of the activity log: an operation, who made it, when, from where."""

    id: int
    uid: str
    at: str
    who: str
    origin: str  # "window", "cli", "script", "return <id>", "sync"
    kind: str
    summary: str
    plans: tuple[int, ...]
    target_uid: str | None  # the operation an undo or redo acted on
    changes: tuple[RowChange, ...]

    @property
    def short_id(self) -> str:
        return short_id(self.uid)


def short_id(uid: str) -> str:
    """The first eight hex digits of a UUID: what the command line prints and accepts."""
    return uid.replace("-", "")[:8]


def uid_prefix(typed: str) -> str | None:
    """The hex digits a typed short id (or longer part of a UUID) starts a UUID with, lower
    case and without dashes; None when it is not at least four hex digits."""
    digits = str(typed).strip().lower().replace("-", "")
    if len(digits) < 4 or any(ch not in "0123456789abcdef" for ch in digits):
        return None
    return digits
