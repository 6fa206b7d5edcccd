"""Statuses as they stood at the end of a reporting period, read from the status history.

A change counts towards a period when it was reported for a period that ends by then (its
`period`, as a return's round or a report names it), or, when it names no period, when it
was recorded before the period ended. Of the changes that count, the last one recorded
gives the status; a commitment with none is "not assessed" as at that period.
"""

from __future__ import annotations

from datetime import date

from tracker.domain.periods import PeriodError, parse_period
from tracker.domain.status import Status
from tracker.store.database import Store


def _ends(text: str | None) -> date | None:
    if not text:
        return None
    try:
        return parse_period(text).end
    except PeriodError:
        return None


def statuses_at(store: Store, plan_id: int, period: str) -> dict[int, Status]:
    """Every commitment of the plan (sub-points too) with its status as at the end of
    `period` (a label parse_period reads; PeriodError otherwise)."""
    end = parse_period(period).end
    found = {r[0]: Status.NOT_ASSESSED for r in store.execute(
        "SELECT c.id FROM commitment c JOIN priority p ON p.id = c.priority_id "
        "WHERE p.plan_id = ?", (plan_id,))}
    for commitment_id, changed_at, said, to_status in store.execute(
        "SELECT s.commitment_id, s.changed_at, s.period, s.to_status FROM status_change s "
        "JOIN commitment c ON c.id = s.commitment_id JOIN priority p ON p.id = c.priority_id "
        "WHERE p.plan_id = ? ORDER BY s.changed_at, s.id", (plan_id,)):
        reported_end = _ends(said)
        if reported_end is not None:
            counts = reported_end <= end
        else:
            counts = changed_at < end.isoformat()
        if counts:
            found[commitment_id] = Status(to_status)
    return found
