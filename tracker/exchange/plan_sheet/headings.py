"""Reading a priority as plans head it: "Priority 1 - More Local, Visible and Accessible
Policing", "1. Crack down on anti-social behaviour", "P3", or a title with no number."""

from __future__ import annotations

import re

_PRIORITY = re.compile(
    r"^(?:(?:strategic\s+)?(?:priority|theme|section|objective)\s*|p)?"
    r"(\d{1,2})(?![\d/.]\d)\s*(?:[.:)\-–—]\s*|\s+|$)(.*)$", re.I | re.S)
_WORDED = re.compile(r"^(?:(?:strategic\s+)?priority|theme)\s*[:\-–—]\s*(.+)$", re.I | re.S)


def split_heading(text: str) -> tuple[int | None, str]:
    """(number, title) of a priority heading; number is None when the heading has none."""
    clean = " ".join(str(text).split()).strip(" *")
    m = _PRIORITY.match(clean)
    if m and (m.group(2).strip() or not clean[:1].isalpha() or clean[:1].lower() == "p"):
        number = int(m.group(1))
        if number > 0:
            return number, m.group(2).strip(" .:-–—")
    m = _WORDED.match(clean)
    if m:
        return None, m.group(1).strip()
    return None, clean
