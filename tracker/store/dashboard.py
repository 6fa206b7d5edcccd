"""The home screen's figures for one plan: commitments by status per priority, the evidenced
share, the indicators' headline changes, what is overdue, and the current reporting round.

All reads; one call gathers everything (the window runs it on a worker with its own connection,
as the overview does, since the counts take seconds on a very large database).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from tracker.domain.model import Plan
from tracker.domain.series import Headline, chart_data
from tracker.store import indicators as store_indicators
from tracker.store import rounds as store_rounds
from tracker.store.database import Store
from tracker.store.overview import Overview, overview
from tracker.store.plans import get_plan, list_priorities


@dataclass(frozen=True)
class IndicatorLine:
    indicator_id: int
    name: str
    priority_number: int | None
    headline: Headline
    has_values: bool

    @property
    def verdict(self) -> str:
        return self.headline.verdict if self.has_values else ""


@dataclass(frozen=True)
class RoundAtGlance:
    """Where the partners stand in the current reporting round."""

    label: str
    due_date: str | None
    closed: bool
    sent: int  # workbooks out in this round, back or not
    back: int
    awaited: int  # sent and not back, overdue included
    overdue: int
    not_sent: int
    line: str  # "3 sent: 1 back, 2 awaited (1 overdue)"
    overdue_partners: tuple[str, ...] = ()


@dataclass
class Dashboard:
    plan: Plan
    overview: Overview
    indicators: list[IndicatorLine] = field(default_factory=list)
    round: RoundAtGlance | None = None
    priority_of: dict[int, int] = field(default_factory=dict)  # overdue commitment -> priority

    @property
    def verdicts(self) -> Counter:
        """How many indicators improved, worsened ... (those with values only)."""
        return Counter(line.verdict for line in self.indicators if line.has_values)


def dashboard(store: Store, plan_id: int, today: date | None = None) -> Dashboard:
    plan = get_plan(store, plan_id)
    numbers = {p.id: p.number for p in list_priorities(store, plan_id)}
    found = store_indicators.list_indicators(store, plan_id=plan_id)
    values = store_indicators.values_for_indicators(store, [i.id for i in found],
                                                    include_withheld=False)
    lines = []
    for indicator in found:
        data = chart_data(indicator, values.get(indicator.id, []))
        lines.append(IndicatorLine(indicator.id, indicator.name,
                                   numbers.get(indicator.priority_id), data.headline,
                                   data.has_values))
    ov = overview(store, plan_id, today=today)
    ids = [r.commitment_id for r in ov.overdue]
    priority_of = {r["id"]: r["priority_id"] for r in store.db.query(
        f"SELECT id, priority_id FROM commitment WHERE id IN ({', '.join('?' * len(ids))})",
        ids)} if ids else {}
    return Dashboard(plan, ov, lines, current_round(store, today), priority_of)


def current_round(store: Store, today: date | None = None) -> RoundAtGlance | None:
    """The latest round still open, else the latest round; None before any workbook is sent."""
    chosen = store_rounds.latest_open_round(store)
    if chosen is None:
        every = store_rounds.list_rounds(store)
        if not every:
            return None
        chosen = every[0]
    summary = store_rounds.summary(store, chosen.label, today)
    return RoundAtGlance(
        chosen.label, chosen.due_date, chosen.is_closed,
        sent=summary.count("sent", "overdue", "back"), back=summary.count("back"),
        awaited=summary.count("sent", "overdue"), overdue=summary.count("overdue"),
        not_sent=summary.count("not sent"), line=summary.line,
        overdue_partners=tuple(p.partner_name for p in summary.in_state("overdue")))
