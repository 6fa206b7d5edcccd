"""Reading the activity log: the latest operations, and everything that happened to one
commitment."""

from __future__ import annotations

from dataclasses import dataclass

from tracker.domain.changes import Activity
from tracker.ops.wording import return_named
from tracker.store import activity, commitments
from tracker.store.activity import LogFilter
from tracker.store.database import Store

__all__ = ["HistoryLine", "LogFilter", "history_of", "log_entries"]


def log_entries(store: Store, limit: int | None = None,
                flt: LogFilter | None = None) -> list[Activity]:
    """Operations, newest first, optionally filtered by plan, person, kind, origin or date."""
    return activity.entries(store, limit, flt)


@dataclass(frozen=True)
class HistoryLine:
    op_id: str  # as `tracker log` prints it; "" for history older than the activity log
    at: str
    who: str
    origin: str
    what: str


def history_of(store: Store, commitment_id: int) -> list[HistoryLine]:
    """What happened to a commitment, newest first: every operation that changed it, its
    evidence, status or partners, and the status changes recorded before the activity log
    began (origin "history")."""
    c = commitments.get_commitment(store, commitment_id)
    entries = activity.touching_commitment(store, c.id, c.uid)
    logged = {ch.row.get("id") for e in entries for ch in e.changes if ch.table == "status_change"}
    lines = [HistoryLine(e.short_id, e.at, e.who, _origin(store, e.origin), e.summary)
             for e in entries]
    for change in commitments.status_history(store, c.id):
        if change.id not in logged:
            before = change.from_status.label if change.from_status else "none"
            lines.append(HistoryLine("", change.changed_at, change.changed_by,
                                     f"from {change.source}" if change.source else "history",
                                     f"Status from {before} to {change.to_status.label}: "
                                     f"{change.reason}"))
    return sorted(lines, key=lambda line: line.at, reverse=True)


def _origin(store: Store, origin: str) -> str:
    """"return 12" as "from Essex Police's 2021/22 Q2 return"; other origins as they are."""
    named = return_named(store, origin)
    return f"from {named}" if named else origin
