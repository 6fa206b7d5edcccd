"""A plan or priority at a glance: status counts per priority, the share of commitments with
evidence in a period, and the commitments overdue for an update."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from tracker.domain.model import StatusCounts
from tracker.domain.periods import (
    Period,
    PeriodError,
    PeriodKind,
    financial_year_of,
    parse_period,
    span_of,
)
from tracker.domain.plan_periods import (  # noqa: F401 (quarter_of, previous_quarter: callers)
    plan_now,
    plan_year_now,
    plan_years,
    previous_quarter,
    quarter_of,
)
from tracker.domain.status import Status
from tracker.domain.wording import day
from tracker.store.commitments import get_commitment, status_at
from tracker.store.database import Store
from tracker.store.plans import get_plan, plan_id_of_priority

STALE_DAYS = 90


@dataclass(frozen=True)
class PriorityCounts:
    priority_id: int
    number: int
    title: str
    counts: StatusCounts


@dataclass(frozen=True)
class OverdueRow:
    commitment_id: int
    code: str | None
    text: str
    status: Status
    lead: str | None
    updated_at: str
    due_date: str | None
    why: str


@dataclass
class Overview:
    plan_id: int
    period: str
    priorities: list[PriorityCounts] = field(default_factory=list)
    evidenced: int = 0
    total: int = 0
    overdue: list[OverdueRow] = field(default_factory=list)

    @property
    def share(self) -> float:
        return self.evidenced / self.total if self.total else 0.0


def overview(store: Store, plan_id: int, priority_id: int | None = None,
             period: Period | None = None, stale_days: int = STALE_DAYS,
             today: date | None = None) -> Overview:
    """Counts are of top-level commitments (sub-points are parts of a commitment)."""
    today = today or datetime.now(UTC).date()
    period = period or default_period(store, plan_id, today)
    params = {"plan": plan_id, "priority": priority_id}
    where = "pr.plan_id = :plan AND c.parent_id IS NULL" + (
        " AND pr.id = :priority" if priority_id is not None else "")
    result = Overview(plan_id, period.label)
    counts: dict[int, StatusCounts] = {}
    for r in store.db.query(
        f"SELECT c.priority_id, c.status, count(*) AS n FROM commitment c "
        f"JOIN priority pr ON pr.id = c.priority_id WHERE {where} GROUP BY c.priority_id, c.status",
        params,
    ):
        counts.setdefault(r["priority_id"], StatusCounts()).add(Status(r["status"]), r["n"])
    for r in store.db.query(
        "SELECT id, number, title FROM priority pr WHERE plan_id = :plan"
        + (" AND id = :priority" if priority_id is not None else "") + " ORDER BY number", params,
    ):
        c = counts.get(r["id"], StatusCounts())
        result.priorities.append(PriorityCounts(r["id"], r["number"], r["title"], c))
        result.total += c.total
    result.evidenced = _evidenced(store, where, params, period)
    if not get_plan(store, plan_id).is_closed:
        result.overdue = _overdue(store, where, params, stale_days, today)
    return result


def _overlapping_labels(labels: list[str], period: Period) -> list[str]:
    """Which stored period labels (single periods or spans "A-B") overlap `period`."""
    found = []
    for label in labels:
        try:
            first, last = span_of(label)
        except PeriodError:
            continue
        if first.start < period.end and last.end > period.start:
            found.append(label)
    return found


def _evidenced(store: Store, where: str, params: dict, period: Period) -> int:
    labels = [r["period"] for r in store.db.query(
        f"SELECT DISTINCT e.period FROM evidence e JOIN commitment c ON c.id = e.commitment_id "
        f"JOIN priority pr ON pr.id = c.priority_id WHERE {where} AND e.period IS NOT NULL",
        params)]
    hits = _overlapping_labels(labels, period)
    marks = ", ".join(f":l{i}" for i in range(len(hits))) or "NULL"
    query_params = {**params, "start": period.start.isoformat(), "end": period.end.isoformat(),
                    **{f"l{i}": label for i, label in enumerate(hits)}}
    # A commitment counts when it, or one of its sub-points, has evidence in the period.
    row = store.execute(
        f"SELECT count(*) FROM commitment c JOIN priority pr ON pr.id = c.priority_id "
        f"WHERE {where} AND EXISTS (SELECT 1 FROM evidence e WHERE "
        f"(e.commitment_id = c.id OR e.commitment_id IN "
        f" (SELECT k.id FROM commitment k WHERE k.parent_id = c.id)) "
        f"AND ((e.evidence_date >= :start AND e.evidence_date < :end) OR e.period IN ({marks})))",
        query_params).fetchone()
    return row[0]


def _overdue(store: Store, where: str, params: dict, stale_days: int,
             today: date) -> list[OverdueRow]:
    cutoff = (datetime.combine(today, datetime.min.time(), UTC)
              - timedelta(days=stale_days)).isoformat(timespec="seconds")
    closed = ", ".join(f"'{s.value}'" for s in Status if s.is_closed)
    found = []
    for r in store.db.query(
        f"SELECT c.id, c.code, c.text, c.status, c.lead, c.updated_at, c.due_date "
        f"FROM commitment c JOIN priority pr ON pr.id = c.priority_id WHERE {where} "
        f"AND c.status NOT IN ({closed}) AND (c.updated_at < :cutoff OR c.due_date < :today) "
        f"ORDER BY c.updated_at, pr.number, c.position, c.id LIMIT 500",
        {**params, "cutoff": cutoff, "today": today.isoformat()},
    ):
        if r["due_date"] and r["due_date"] < today.isoformat():
            why = f"due {day(r['due_date'])}"
        else:
            why = f"not updated since {day(r['updated_at'])}"
        found.append(OverdueRow(r["id"], r["code"], r["text"], Status(r["status"]), r["lead"],
                                r["updated_at"], r["due_date"], why))
    return found


def default_period(store: Store, plan_id: int, today: date) -> Period:
    """The financial year the plan is at today: today's, kept inside the plan's own years (its
    last year once it has ended). A plan whose period names no years: today's year, unless its
    evidence stops earlier (then its latest year with evidence)."""
    plan = get_plan(store, plan_id)
    if plan_years(plan.period) is not None:
        return plan_year_now(plan.period, today)
    current = financial_year_of(today)
    years = evidence_years(store, plan_id)
    if years and years[-1] < current:
        return years[-1]
    return current


def evidence_years(store: Store, plan_id: int) -> list[Period]:
    """Financial years that the plan's evidence falls in, oldest first."""
    years: set[Period] = set()
    for r in store.db.query(
        "SELECT DISTINCT e.period, substr(e.evidence_date, 1, 10) AS day FROM evidence e "
        "JOIN commitment c ON c.id = e.commitment_id JOIN priority pr ON pr.id = c.priority_id "
        "WHERE pr.plan_id = ?", [plan_id],
    ):
        if r["day"]:
            try:
                years.add(financial_year_of(date.fromisoformat(r["day"])))
            except ValueError:
                pass
        if r["period"]:
            try:
                first, last = span_of(r["period"])
            except PeriodError:
                continue
            year = financial_year_of(first.start)
            while year.start < last.end:
                years.add(year)
                year = Period(PeriodKind.FINANCIAL_YEAR, year.year + 1)
    return sorted(years)


@dataclass(frozen=True)
class PeriodStatus:
    this_period: str
    this_status: Status
    last_period: str
    last_status: Status


def status_this_and_last_period(store: Store, commitment_id: int,
                                today: date | None = None) -> PeriodStatus:
    """The status now beside the status at the end of last period, the periods being the
    plan's (tracker.domain.plan_periods.plan_now): this quarter while the plan runs, its last
    quarter once it has ended (a status recorded after a plan ended, as a closure report's,
    speaks for its last period)."""
    today = today or datetime.now(UTC).date()
    commitment = get_commitment(store, commitment_id)
    plan = get_plan(store, plan_id_of_priority(store, commitment.priority_id))
    now_ = plan_now(plan.period, today)
    start = datetime.combine(now_.this.start, datetime.min.time(), UTC)
    last = status_at(store, commitment_id, start.isoformat(timespec="seconds"))
    return PeriodStatus(now_.this.label, commitment.status, now_.last.label, last)


def overview_report(store: Store, plan_id: int, priority_id: int | None = None,
                    period_label: str | None = None) -> tuple[list[str], Overview]:
    """What the overview panel shows: the financial years one can choose, and the overview
    for `period_label` (default: `default_period`). Seconds on a million evidence rows, so the
    window runs it on a worker with its own connection."""
    period = parse_period(period_label) if period_label else None
    data = overview(store, plan_id, priority_id, period)
    labels = sorted({y.label for y in evidence_years(store, plan_id)} | {data.period},
                    key=lambda label: parse_period(label).sort_key)
    return labels, data
