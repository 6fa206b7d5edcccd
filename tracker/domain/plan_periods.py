"""A plan's own reporting periods, and "this period" and "last period" as the plan sees them.

A plan names the years it covers ("2016-2020", "2020/21", "2021-2024", or a span of financial
years "2016/17-2019/20"). "2016-2020" is the plan of April 2016 to March 2020: the financial
years 2016/17 to 2019/20. The periods an officer reports on are those years and their
quarters, so a period is offered from them, and "this period" is the quarter of today when the
plan is running, its first quarter before it starts, and its last quarter once it has ended
(a 2020/21 plan looked at in 2026 is at 2020/21 Q4, not at 2026/27 Q3).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from tracker.domain.periods import (
    Period,
    PeriodError,
    PeriodKind,
    financial_year_of,
    span_of,
)

_YEARS = re.compile(r"^(\d{4})\s*(?:-|–|to)\s*(\d{4})$", re.I)


@dataclass(frozen=True)
class PlanYears:
    """The financial years a plan covers, first to last."""

    first: Period
    last: Period

    @property
    def years(self) -> list[Period]:
        return [Period(PeriodKind.FINANCIAL_YEAR, y)
                for y in range(self.first.year, self.last.year + 1)]

    @property
    def quarters(self) -> list[Period]:
        return [Period(PeriodKind.QUARTER, y.year, q) for y in self.years for q in range(1, 5)]

    @property
    def span_label(self) -> str:
        """The whole plan as a period span: "2016/17-2019/20", or "2020/21" for one year."""
        if self.first == self.last:
            return self.first.label
        return f"{self.first.label}-{self.last.label}"

    def clamp(self, period: Period) -> Period:
        """The financial year `period` falls in, kept inside the plan."""
        year = financial_year_of(period.start)
        if year < self.first:
            return self.first
        if year > self.last:
            return self.last
        return year


def plan_years(plan_period: str) -> PlanYears | None:
    """The financial years of a plan's period; None when it names none."""
    raw = " ".join(str(plan_period or "").split())
    m = _YEARS.match(raw)
    if m:
        start, end = int(m.group(1)), int(m.group(2))
        if end < start:
            return None
        last = max(start, end - 1)  # "2016-2020": April 2016 to March 2020
        return PlanYears(Period(PeriodKind.FINANCIAL_YEAR, start),
                         Period(PeriodKind.FINANCIAL_YEAR, last))
    try:
        first, last = span_of(raw)
    except PeriodError:
        return None
    return PlanYears(financial_year_of(first.start),
                     financial_year_of(last.end - timedelta(days=1)))


def reporting_periods(plan_period: str) -> list[str]:
    """What an officer chooses a period from: the whole plan, each financial year and each
    quarter, in that order (empty when the plan's period names no years)."""
    found = plan_years(plan_period)
    if found is None:
        return []
    labels = [found.span_label] if found.first != found.last else []
    labels += [y.label for y in found.years]
    labels += [q.label for q in found.quarters]
    return labels


def quarter_of(day: date) -> Period:
    fy = financial_year_of(day)
    return Period(PeriodKind.QUARTER, fy.year, ((day.month - 4) % 12) // 3 + 1)


def previous_quarter(q: Period) -> Period:
    if q.index == 1:
        return Period(PeriodKind.QUARTER, q.year - 1, 4)
    return Period(PeriodKind.QUARTER, q.year, q.index - 1)


@dataclass(frozen=True)
class PlanNow:
    """This period and last period of a plan on a given day."""

    this: Period
    last: Period
    running: bool  # today falls in this period (else the plan has ended or not begun)


def plan_now(plan_period: str, today: date) -> PlanNow:
    """The quarter the plan is at on `today` and the one before it (see the module's note)."""
    current = quarter_of(today)
    found = plan_years(plan_period)
    if found is not None:
        first = Period(PeriodKind.QUARTER, found.first.year, 1)
        last = Period(PeriodKind.QUARTER, found.last.year, 4)
        if current > last:
            return PlanNow(last, previous_quarter(last), False)
        if current < first:
            return PlanNow(first, previous_quarter(first), False)
    return PlanNow(current, previous_quarter(current), True)


def plan_year_now(plan_period: str, today: date) -> Period:
    """The financial year the plan is at on `today`: today's, kept inside the plan."""
    found = plan_years(plan_period)
    current = financial_year_of(today)
    return found.clamp(current) if found is not None else current
