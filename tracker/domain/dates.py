"""Dates as officers and partners type them: 2021-09-30, 30/09/2021, 30 September 2021."""

from __future__ import annotations

import re
from datetime import date, datetime

_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y", "%d-%m-%Y", "%d.%m.%Y", "%d %B %Y", "%d %b %Y",
            "%d-%b-%y", "%d-%b-%Y", "%d %b %y", "%d %B %y", "%d-%B-%Y", "%B %d %Y", "%d/%b/%Y")
_ORDINAL = re.compile(r"(\d{1,2})(st|nd|rd|th)\b", re.I)


def parse_day(text: str) -> date:
    """The date in `text` (day before month, as in the UK); ValueError saying how to type it."""
    clean = _ORDINAL.sub(r"\1", " ".join(str(text).replace(",", " ").split()))
    for fmt in _FORMATS:
        try:
            return datetime.strptime(clean, fmt).date()
        except ValueError:
            continue
    raise ValueError(f"'{text}' is not a date; type it as 31/03/2022 or 2022-03-31.")
