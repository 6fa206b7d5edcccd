"""Reporting periods: UK financial years, quarters, months and calendar years.

A financial year runs from 1 April: "2015/16" starts on 1 April 2015. Quarters are quarters of
the financial year ("2021/22 Q1" is April to June 2021). Periods order by their start date,
and a shorter period sorts after the longer one that starts on the same day.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class PeriodKind(StrEnum):
    FINANCIAL_YEAR = "financial_year"
    QUARTER = "quarter"
    MONTH = "month"
    CALENDAR_YEAR = "calendar_year"


_MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
_MONTH_NAMES = [
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
]

_FY = re.compile(r"^(?:fy\s*)?(\d{4})\s*[/\-–]\s*(\d{2}|\d{4})$", re.I)
_QUARTER = re.compile(r"^(?:fy\s*)?(\d{4})\s*[/\-–]\s*(\d{2}|\d{4})\s*q([1-4])$", re.I)
_ISO_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_NAMED_MONTH = re.compile(r"^([a-z]{3,9})\.?\s+(\d{4})$", re.I)
_YEAR = re.compile(r"^(\d{4})$")

_SPAN = {PeriodKind.CALENDAR_YEAR: 0, PeriodKind.FINANCIAL_YEAR: 0, PeriodKind.QUARTER: 1,
         PeriodKind.MONTH: 2}


@dataclass(frozen=True, order=False)
class Period:
    kind: PeriodKind
    year: int  # calendar year, or the first year of a financial year
    index: int = 0  # quarter 1-4 or month 1-12

    # Periods are values: what they compute is kept (charts sort and label thousands).
    @functools.cached_property
    def start(self) -> date:
        if self.kind is PeriodKind.CALENDAR_YEAR:
            return date(self.year, 1, 1)
        if self.kind is PeriodKind.FINANCIAL_YEAR:
            return date(self.year, 4, 1)
        if self.kind is PeriodKind.QUARTER:
            month = 4 + 3 * (self.index - 1)
            return date(self.year + (month > 12), (month - 1) % 12 + 1, 1)
        return date(self.year, self.index, 1)

    @property
    def end(self) -> date:
        """The first day after the period."""
        if self.kind is PeriodKind.CALENDAR_YEAR:
            return date(self.year + 1, 1, 1)
        if self.kind is PeriodKind.FINANCIAL_YEAR:
            return date(self.year + 1, 4, 1)
        start = self.start
        months = 3 if self.kind is PeriodKind.QUARTER else 1
        month = start.month + months
        return date(start.year + (month > 12), (month - 1) % 12 + 1, 1)

    @functools.cached_property
    def label(self) -> str:
        if self.kind is PeriodKind.CALENDAR_YEAR:
            return str(self.year)
        fy = f"{self.year}/{(self.year + 1) % 100:02d}"
        if self.kind is PeriodKind.FINANCIAL_YEAR:
            return fy
        if self.kind is PeriodKind.QUARTER:
            return f"{fy} Q{self.index}"
        return f"{_MONTH_NAMES[self.index - 1][:3]} {self.year}"

    @functools.cached_property
    def sort_key(self) -> tuple[date, int]:
        return (self.start, _SPAN[self.kind])

    def __lt__(self, other: Period) -> bool:
        return self.sort_key < other.sort_key

    def __le__(self, other: Period) -> bool:
        return self.sort_key <= other.sort_key

    def __gt__(self, other: Period) -> bool:
        return self.sort_key > other.sort_key

    def __ge__(self, other: Period) -> bool:
        return self.sort_key >= other.sort_key

    def __str__(self) -> str:
        return self.label

    def contains(self, day: date) -> bool:
        return self.start <= day < self.end


class PeriodError(ValueError):
    pass


# Years a plan's period can fall in. Outside them a label is a typing slip ("0221/22"), and
# years 0 or 9999 would make the period's dates impossible to compute.
FIRST_YEAR, LAST_YEAR = 1900, 2199


@functools.lru_cache(maxsize=8192)
def parse_period(text: str) -> Period:
    """Parse "2015/16", "2015-16", "2021/22 Q3", "2021-05", "May 2021" or "2019"."""
    period = _parse_period(text)
    if not FIRST_YEAR <= period.year <= LAST_YEAR:
        raise PeriodError(f"'{' '.join(str(text).split())}' is not a period: the year must be "
                          f"between {FIRST_YEAR} and {LAST_YEAR}")
    return period


def _parse_period(text: str) -> Period:
    raw = " ".join(str(text).split())
    if not raw:
        raise PeriodError("a period is required")
    m = _QUARTER.match(raw)
    if m:
        return Period(PeriodKind.QUARTER, _fy_start(m.group(1), m.group(2), raw), int(m.group(3)))
    m = _ISO_MONTH.match(raw)
    if m and not _follows(m.group(1), m.group(2)):
        month = int(m.group(2))
        if not 1 <= month <= 12:
            raise PeriodError(f"'{raw}' has no month {month}")
        return Period(PeriodKind.MONTH, int(m.group(1)), month)
    m = _FY.match(raw)
    if m:
        return Period(PeriodKind.FINANCIAL_YEAR, _fy_start(m.group(1), m.group(2), raw))
    m = _ISO_MONTH.match(raw)
    if m:
        month = int(m.group(2))
        if not 1 <= month <= 12:
            raise PeriodError(f"'{raw}' has no month {month}")
        return Period(PeriodKind.MONTH, int(m.group(1)), month)
    m = _NAMED_MONTH.match(raw)
    if m and m.group(1)[:3].lower() in _MONTHS:
        name = m.group(1).lower()
        month = _MONTHS.index(name[:3]) + 1
        if len(name) > 3 and not _MONTH_NAMES[month - 1].lower().startswith(name):
            raise PeriodError(f"'{raw}' is not a period")
        return Period(PeriodKind.MONTH, int(m.group(2)), month)
    m = _YEAR.match(raw)
    if m:
        return Period(PeriodKind.CALENDAR_YEAR, int(m.group(1)))
    raise PeriodError(
        f"'{raw}' is not a period: use a financial year (2021/22), a quarter (2021/22 Q3), "
        "a month (May 2021) or a calendar year (2021)"
    )


def _follows(first: str, second: str) -> bool:
    """"2011-12" is the financial year 2011/12, not December 2011."""
    return len(second) == 2 and int(second) == (int(first) + 1) % 100


def _fy_start(first: str, second: str, raw: str) -> int:
    year = int(first)
    following = int(second)
    expected = (year + 1) % 100 if len(second) == 2 else year + 1
    if following != expected:
        raise PeriodError(f"'{raw}' is not a financial year: the years must follow each other")
    return year


def financial_year_of(day: date) -> Period:
    return Period(PeriodKind.FINANCIAL_YEAR, day.year if day.month >= 4 else day.year - 1)


def sorted_periods(labels: list[str]) -> list[str]:
    return sorted(labels, key=lambda label: parse_period(label).sort_key)


def normalise_span(text: str) -> str:
    """A period or a range of periods ("2016/17-2019/20"), in canonical labels."""
    raw = " ".join(str(text).split())
    try:
        return parse_period(raw).label
    except PeriodError:
        pass
    for sep in (" to ", "–", " - ", "-"):
        if sep in raw:
            parts = [p.strip() for p in raw.split(sep)]
            if len(parts) == 2:
                try:
                    first, last = parse_period(parts[0]), parse_period(parts[1])
                except PeriodError:
                    continue
                if last < first:
                    raise PeriodError(f"'{raw}' ends before it starts")
                return f"{first.label}-{last.label}"
    return parse_period(raw).label  # raises with the standard message


def span_of(text: str) -> tuple[Period, Period]:
    """The first and last period of a label, or of a range as normalise_span writes it
    ("2016/17-2019/20"); the same period twice for a single one. PeriodError otherwise."""
    raw = " ".join(str(text).split())
    try:
        single = parse_period(raw)
        return single, single
    except PeriodError:
        pass
    parts = raw.split("-")
    for cut in range(1, len(parts)):  # a label may hold a hyphen itself ("2021-05")
        try:
            return parse_period("-".join(parts[:cut])), parse_period("-".join(parts[cut:]))
        except PeriodError:
            continue
    raise PeriodError(f"'{raw}' is not a period or a range of periods")


@functools.lru_cache(maxsize=8192)
def next_period(period: Period) -> Period:
    """The period of the same kind that follows this one."""
    if period.kind in (PeriodKind.CALENDAR_YEAR, PeriodKind.FINANCIAL_YEAR):
        return Period(period.kind, period.year + 1)
    last = 4 if period.kind is PeriodKind.QUARTER else 12
    if period.index == last:
        return Period(period.kind, period.year + 1, 1)
    return Period(period.kind, period.year, period.index + 1)


def period_range(first: Period, last: Period, limit: int = 400) -> list[Period] | None:
    """Every period of one kind from first to last inclusive; None when the kinds differ, the
    range runs backwards or holds more than `limit` periods."""
    if first.kind is not last.kind or last < first:
        return None
    steps = _ordinal(last) - _ordinal(first)  # counted, not found by comparing each period
    if steps >= limit:
        return None
    found = [first]
    for _ in range(steps):
        found.append(next_period(found[-1]))
    return found


def _ordinal(period: Period) -> int:
    """The period's place among all periods of its kind: one more for each next_period."""
    if period.kind is PeriodKind.QUARTER:
        return period.year * 4 + period.index - 1
    if period.kind is PeriodKind.MONTH:
        return period.year * 12 + period.index - 1
    return period.year


def periods_in_round(rnd: Period, frequency: str) -> list[str]:
    """The periods an indicator of this frequency ("annual", "quarterly", "monthly") reports
    in a reporting round: its financial year, its financial quarters, or its months."""
    if frequency == "annual":
        if rnd.kind is PeriodKind.CALENDAR_YEAR:
            return [rnd.label]
        return [financial_year_of(rnd.start).label]
    if frequency == "quarterly":
        if rnd.kind is PeriodKind.FINANCIAL_YEAR:
            return [Period(PeriodKind.QUARTER, rnd.year, q).label for q in range(1, 5)]
        if rnd.kind is PeriodKind.MONTH:
            fy = financial_year_of(rnd.start)
            q = (rnd.start.month - 4) % 12 // 3 + 1
            return [Period(PeriodKind.QUARTER, fy.year, q).label]
        if rnd.kind is PeriodKind.QUARTER:
            return [rnd.label]
        if rnd.kind is PeriodKind.CALENDAR_YEAR:  # the financial quarters of January-December
            return [Period(PeriodKind.QUARTER, rnd.year - 1, 4).label] + [
                Period(PeriodKind.QUARTER, rnd.year, q).label for q in range(1, 4)]
    months = []
    day = rnd.start
    while day < rnd.end:
        months.append(Period(PeriodKind.MONTH, day.year, day.month).label)
        day = date(day.year + (day.month == 12), day.month % 12 + 1, 1)
    return months
