"""Due dates as delivery plans write them: "Sep '19", "March 2021", "Q3 2020/21", "31/03/2021".

A plan says when something is due by naming a day, a month, a quarter or a year; the tracker
keeps one due date, the last day of what was named ("March 2021" is due by 31 March 2021,
"Q3 2020/21" by 31 December 2020). Financial years and their quarters come from
`domain.periods`, so "2020/21" and "Q3 2020/21" mean what they mean everywhere else.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from tracker.domain.dates import read_day
from tracker.domain.periods import FIRST_YEAR, LAST_YEAR, PeriodError, parse_period


class PlanDateError(ValueError):
    """Text that names no date; the message says what was expected."""


@dataclass(frozen=True)
class PlanDate:
    """A due date and the span it was read from."""

    due: date  # the last day of the span
    span: str  # "day", "month", "quarter", "financial year" or "year"
    text: str  # what the plan said, tidied

    @property
    def iso(self) -> str:
        return self.due.isoformat()


_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_MONTH_NAMES = ("january", "february", "march", "april", "may", "june", "july", "august",
                "september", "october", "november", "december")
_ORDINAL = re.compile(r"\b(\d{1,2})(st|nd|rd|th)\b", re.I)
# "by", "end of", "due:" and the like carry no date of their own.
_LEAD = re.compile(r"^(?:(?:due|target|deadline|completed|complete|review)\s*(?:date)?\s*[:\-]?\s*)?"
                   r"(?:(?:by|before|for|in)\s+)?(?:the\s+)?(?:(?:end|close)\s+of\s+)?",
                   re.I)
_MONTH_YEAR = re.compile(r"^([a-z]{3,9})\.?[\s\-/]*(?:'|’)?\s*(\d{2}|\d{4})$", re.I)
_QUARTER_FIRST = re.compile(r"^q(?:uarter)?\s*([1-4])\s*(?:of\s+)?(?:fy\s*)?"
                            r"(\d{2}|\d{4})\s*[/\-–]\s*(\d{2}|\d{4})$", re.I)
_QUARTER_AFTER = re.compile(r"^(?:fy\s*)?(\d{2}|\d{4})\s*[/\-–]\s*(\d{2}|\d{4})\s*q(?:uarter)?\s*([1-4])$",
                            re.I)
_CALENDAR_QUARTER = re.compile(r"^q(?:uarter)?\s*([1-4])\s*(\d{4})$", re.I)
_NUMERIC_MONTH = re.compile(r"^(\d{1,2})\s*[/\-.]\s*(\d{4})$")
_FY = re.compile(r"^(?:fy\s*)?(\d{2}|\d{4})\s*[/\-–]\s*(\d{2}|\d{4})$", re.I)
_YEAR = re.compile(r"^(\d{4})$")


def _full_year(text: str) -> int:
    """'19' is 2019: plans of this century write two-digit years."""
    year = int(text)
    return 2000 + year if len(text) <= 2 else year


def _fy_label(first: str, second: str) -> str:
    start = _full_year(first)
    return f"{start}/{second[-2:]}"


def _last_day(end_exclusive: date) -> date:
    return end_exclusive - timedelta(days=1)


def _month(name: str) -> int | None:
    key = name.lower().rstrip(".")
    if len(key) < 3 or key[:3] not in _MONTHS:
        return None
    number = _MONTHS.index(key[:3]) + 1
    full = _MONTH_NAMES[number - 1]
    return number if full.startswith(key) or key == "sept" else None


def parse_plan_date(value: object) -> PlanDate:
    """The due date a plan's cell or line names; PlanDateError when it names none."""
    if isinstance(value, datetime):
        return _checked(PlanDate(value.date(), "day", value.date().strftime("%d/%m/%Y")))
    if isinstance(value, date):
        return _checked(PlanDate(value, "day", value.strftime("%d/%m/%Y")))
    if isinstance(value, bool) or value is None:
        raise PlanDateError("a date is required")
    if isinstance(value, (int, float)):
        raise PlanDateError(f"{value} is a number, not a date")
    raw = " ".join(str(value).replace("\u00a0", " ").split())
    if not raw:
        raise PlanDateError("a date is required")
    found = _parse_text(raw)
    if isinstance(found, str):
        raise PlanDateError(found)
    return found


@functools.lru_cache(maxsize=4096)
def _parse_text(raw: str) -> PlanDate | str:
    """The date, or why there is none. A plan names few distinct dates over many rows, so each
    is read once (strptime is slow)."""
    text = _LEAD.sub("", raw).strip(" .,;") or raw
    text = _ORDINAL.sub(r"\1", text.replace(",", " "))
    text = " ".join(text.split())
    found = _read(text)
    if found is None:
        return (f"'{raw}' is not a date: write a day (31/03/2021), a month (March 2021 or "
                "Sep '19), a quarter (Q3 2020/21) or a financial year (2020/21)")
    due, span = found
    try:
        return _checked(PlanDate(due, span, raw))
    except PlanDateError as exc:
        return str(exc)


def _checked(found: PlanDate) -> PlanDate:
    if not FIRST_YEAR <= found.due.year <= LAST_YEAR:
        raise PlanDateError(f"'{found.text}' is not a date a plan is due by: the year must be "
                            f"between {FIRST_YEAR} and {LAST_YEAR}")
    return found


def _read(text: str) -> tuple[date, str] | None:
    day = read_day(text)  # the one reader of days (tracker.domain.dates)
    if day is not None:
        return day, "day"
    for pattern, fy_at, quarter_at, span in ((_QUARTER_FIRST, (2, 3), 1, "quarter"),
                                             (_QUARTER_AFTER, (1, 2), 3, "quarter"),
                                             (_FY, (1, 2), None, "financial year")):
        m = pattern.match(text)
        if not m:
            continue
        first, second = m.group(fy_at[0]), m.group(fy_at[1])
        if quarter_at is None and len(first) == 2 and len(second) == 4:
            continue  # "03/2021" is a month
        label = _fy_label(first, second)
        if quarter_at is not None:
            label += f" Q{m.group(quarter_at)}"
        try:
            return _last_day(parse_period(label).end), span
        except PeriodError:
            continue  # "2021-03" is March 2021, read below
    m = _CALENDAR_QUARTER.match(text)
    if m:
        quarter, year = int(m.group(1)), int(m.group(2))
        end = date(year + 1, 1, 1) if quarter == 4 else date(year, 3 * quarter + 1, 1)
        return _last_day(end), "quarter"
    m = _MONTH_YEAR.match(text)
    if m:
        month = _month(m.group(1))
        if month is None:
            return None
        year = _full_year(m.group(2))
        end = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
        return _last_day(end), "month"
    m = _NUMERIC_MONTH.match(text)
    if m and 1 <= int(m.group(1)) <= 12:
        month, year = int(m.group(1)), int(m.group(2))
        end = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
        return _last_day(end), "month"
    m = _YEAR.match(text)
    if m:
        return date(int(m.group(1)), 12, 31), "year"
    try:  # what the rest of the tracker reads as a month ("2021-03")
        period = parse_period(text)
    except PeriodError:
        return None
    return _last_day(period.end), period.kind.value.replace("_", " ")
