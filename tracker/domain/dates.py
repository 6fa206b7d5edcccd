"""Dates as officers and partners type them: 2021-09-30, 30/09/2021, 30 September 2021."""

from __future__ import annotations

import re
from datetime import date, datetime

# The ways a day is written (no two read one text differently, so their order is free).
DAY_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y", "%d-%m-%Y", "%d.%m.%Y", "%d %B %Y", "%d %b %Y",
               "%d-%b-%y", "%d-%b-%Y", "%d %b %y", "%d %B %y", "%d-%B-%Y", "%B %d %Y",
               "%d/%b/%Y")
_ORDINAL = re.compile(r"(\d{1,2})(st|nd|rd|th)\b", re.I)


def parse_day(text: str) -> date:
    """The date in `text` (day before month, as in the UK); ValueError saying how to type it."""
    found = day_in(_ORDINAL.sub(r"\1", " ".join(str(text).replace(",", " ").split())))
    if found is not None:
        return found
    raise ValueError(f"'{text}' is not a date; type it as 31/03/2022 or 2022-03-31.")


# The two commonest ways, read without strptime (a return has thousands of dates, and strptime
# takes ten times as long); each reads a text exactly as its strptime format does, and anything
# else, or a day that does not exist, goes on to strptime.
_QUICK = ((re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})"), "%Y-%m-%d", (1, 2, 3)),
          (re.compile(r"([0-9]{1,2})/([0-9]{1,2})/([0-9]{4})"), "%d/%m/%Y", (3, 2, 1)))


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
