"""The shape of a partner's return workbook: sheets, columns and their meaning.

Import finds columns by their heading, so the partner may move them; a missing heading means a
deleted column and the workbook is refused.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from tracker.domain.status import Status

FORMAT_VERSION = 1

INSTRUCTIONS = "Instructions"
COMMITMENTS = "Commitments"
INDICATORS = "Indicators"
HIDDEN = "_tracker"

MAX_ROWS = 20_000  # per sheet; far more than any partner is sent
MAX_COLUMNS = 40
MAX_TEXT = 10_000


@dataclass(frozen=True)
class Column:
    key: str
    heading: str
    width: float
    answer: bool = False  # the partner fills it in (unlocked)
    hint: str = ""


COMMITMENT_COLUMNS = (
    Column("ref", "Ref", 7),
    Column("priority", "Priority", 24),
    Column("code", "Code", 6),
    Column("text", "Commitment", 46),
    Column("latest", "Latest shared evidence", 34),
    Column("status", "Current status", 13),
    Column("new_status", "New status", 14, True, "Choose from the list"),
    Column("update", "Progress update", 34, True, "Why the status changed, or progress since "
           "the last return"),
    Column("evidence", "Evidence", 38, True, "A dated statement of what was delivered"),
    Column("evidence_date", "Evidence date", 12, True, "For example 31/03/2022"),
    Column("figure", "Figure", 10, True, "A number, if the evidence has one"),
)

INDICATOR_COLUMNS = (
    Column("ref", "Ref", 7),
    Column("priority", "Priority", 9),
    Column("indicator", "Indicator", 48),
    Column("unit", "Unit", 10),
    Column("period", "Period", 11),
    Column("last_value", "Last value", 12),
    Column("last_period", "Last value period", 11),
    Column("new_value", "New value", 12, True, "Numbers only"),
    Column("note", "Note", 40, True, "Anything the reader should know about the figure"),
)

UNIT_LABELS = {"count": "Count", "percent": "Per cent", "rate": "Rate", "score": "Score",
               "pounds": "Pounds (£)"}

STATUS_MEANINGS = {
    Status.NOT_ASSESSED: "No assessment has been made yet.",
    Status.NOT_STARTED: "Work has not begun.",
    Status.ON_TRACK: "Work is progressing as planned.",
    Status.AT_RISK: "Delivery may slip without action.",
    Status.OFF_TRACK: "Delivery will not be met as planned.",
    Status.COMPLETE: "The commitment has been delivered.",
    Status.CARRIED_FORWARD: "Continued in the next plan.",
    Status.DISCONTINUED: "No longer being pursued, by agreement.",
}


def heading_key(text: object) -> str:
    """Headings compared without case or stray spaces."""
    return " ".join(str(text or "").split()).lower()


def seal_payload(meta: dict[str, str], refs: list[list[str]]) -> str:
    """What the hidden sheet's seal is made over: its identifiers but the seal itself."""
    body = {k: v for k, v in meta.items() if k != "seal"}
    return json.dumps([body, refs], sort_keys=True, ensure_ascii=True)


def column_letter(number: int) -> str:
    """A column's letters as a spreadsheet names it, from 1 (A, ..., Z, AA, ...)."""
    letters = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def column_number(letters: str) -> int:
    """A column's number from its letters (A is 1, AA 27), upper or lower case."""
    number = 0
    for char in letters.upper():
        number = number * 26 + ord(char) - 64
    return number
