"""Days as officers and partners type them, and as the tracker shows them.

One reader for every day typed anywhere (a field of the window, a workbook cell, a plan's due
column): the day comes before the month, as in the UK, so 15/11/2026 is 15 November 2026, and
the ISO form (2026-11-15) is read too. One way of showing a day: "15 Nov 2026" (`show_day`),
which the reader accepts back.
"""

from __future__ import annotations

import re
from datetime import date, datetime

# Day first (UK), then the ISO and written-out forms. No month-first numeric form: 03/04/2021
# is 3 April, never March 4.
DAY_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y", "%d-%m-%Y", "%d-%m-%y", "%d.%m.%Y",
               "%d.%m.%y", "%d %m %Y", "%d %B %Y", "%d %b %Y", "%d %B %y", "%d %b %y",
               "%d-%b-%Y", "%d-%b-%y", "%d-%B-%Y", "%d/%b/%Y", "%B %d %Y", "%b %d %Y",
               "%A %d %B %Y", "%a %d %b %Y")
_ORDINAL = re.compile(r"\b(\d{1,2})(st|nd|rd|th)\b", re.I)
# What a day starts with: its day number, an ISO date, or a month or weekday name and a day
# number. strptime is slow, and most cells a plan reader sees name a month or a quarter.
_DAY_LIKE = re.compile(r"^(?:\d{1,2}[\s/.\-]|\d{4}-\d{2}-\d{2}$|[a-z]{3,9}\.?\s+\d{1,2}\s)", re.I)
HOW_TO_TYPE = "type it as 15/11/2026, 2026-11-15 or 15 Nov 2026"


def tidy_day_text(text: str) -> str:
    """'Monday, 15th  November 2026' -> 'Monday 15 November 2026' (what the formats read)."""
    clean = " ".join(str(text).replace("\u00a0", " ").replace(",", " ").split())
    clean = _ORDINAL.sub(r"\1", clean)
    return clean.replace("Sept ", "Sep ").replace("sept ", "sep ")


def read_day(text: str) -> date | None:
    """The day `text` names, or None when it names none (no message: see parse_day)."""
    quick = _quick_day(text)  # 31/03/2025 as typed: tidying would leave it as it is
    if quick is not None:
        return quick
    clean = tidy_day_text(text)
    if not clean or not _DAY_LIKE.match(clean):
        return None
    return day_in(clean)


# The two commonest ways, read without strptime (a return has thousands of dates, and strptime
# takes ten times as long); each reads a text exactly as its strptime format does, and anything
# else, or a day that does not exist, goes on to strptime.
_QUICK = ((re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})"), "%Y-%m-%d", (1, 2, 3)),
          (re.compile(r"([0-9]{1,2})/([0-9]{1,2})/([0-9]{4})"), "%d/%m/%Y", (3, 2, 1)))


def _quick_day(text: object) -> date | None:
    """The day of a text in one of the two commonest ways exactly, else None."""
    if text.__class__ is not str or not 8 <= len(text) <= 10:
        return None
    for pattern, _fmt, (y, m, d) in _QUICK:
        found = pattern.fullmatch(text)
        if found is not None:
            try:
                return date(int(found[y]), int(found[m]), int(found[d]))
            except ValueError:
                return None
    return None


def day_in(text: str, formats: tuple[str, ...] = DAY_FORMATS) -> date | None:
    """The day tidied `text` is written as in one of `formats`, or None."""
    for pattern, fmt, (y, m, d) in _QUICK:
        found = pattern.fullmatch(text)
        if found is not None and fmt in formats:
            try:
                return date(int(found[y]), int(found[m]), int(found[d]))
            except ValueError:
                break
    for fmt in formats:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def parse_day(text: str) -> date:
    """The date in `text` (day before month, as in the UK); ValueError saying how to type it."""
    found = read_day(text)
    if found is None:
        raise ValueError(f"'{' '.join(str(text).split())}' is not a date; {HOW_TO_TYPE}.")
    return found


MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def show_day(day: date) -> str:
    """15 Nov 2026: the one way the tracker shows a day. The month's name is the tracker's own,
    not strftime's %b: that follows the machine's locale, and imports a module on every call
    (18 µs a day; the tree words thousands as a filter opens)."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"
