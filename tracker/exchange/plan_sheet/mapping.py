"""Which column holds what, and which status words or fill colours mean which status.

A mapping is written as the command line takes it: `priority=A,code=B,text=C` (a column
letter, or the column's heading as the header row writes it) and
`Green=On track,Amber=At risk` (a word in the status column, or the colour it is filled with).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from openpyxl.utils import column_index_from_string, get_column_letter

from tracker.domain.status import Status
from tracker.exchange.plan_sheet.colours import normal_colour

FIELDS = ("priority", "code", "text", "subpoint", "lead", "partners", "due", "status", "notes")
FIELD_LABELS = {
    "priority": "Priority", "code": "Code", "text": "Commitment text", "subpoint": "Sub-point",
    "lead": "Lead", "partners": "Partners", "due": "Due date", "status": "Status",
    "notes": "Notes",
}
_LETTERS = re.compile(r"^[A-Za-z]{1,3}$")

# What a RAG column usually means; an office's own --statuses comes first.
DEFAULT_COLOURS: dict[str, Status] = {
    "green": Status.ON_TRACK, "amber": Status.AT_RISK, "yellow": Status.AT_RISK,
    "red": Status.OFF_TRACK, "blue": Status.COMPLETE,
}
DEFAULT_WORDS: dict[str, Status] = {"completed": Status.COMPLETE, "done": Status.COMPLETE}
_LETTER_COLOURS = {"g": "green", "a": "amber", "r": "red", "b": "blue"}


class MappingError(ValueError):
    """A mapping that cannot be read; the message names the part."""


def _key(text: str) -> str:
    return " ".join(str(text).split()).lower()


def parse_pairs(spec: str, what: str) -> list[tuple[str, str]]:
    pairs = []
    for part in re.split(r"[,\n]", spec or ""):
        if not part.strip():
            continue
        if "=" not in part:
            raise MappingError(f"{what}: '{part.strip()}' has no '=' (write it as name=value).")
        name, value = part.split("=", 1)
        if not name.strip() or not value.strip():
            raise MappingError(f"{what}: '{part.strip()}' needs something on both sides of '='.")
        pairs.append((" ".join(name.split()), " ".join(value.split())))
    return pairs


def parse_column_spec(spec: str) -> dict[str, str]:
    """`priority=A,text=Actions` as {field: column reference}."""
    found: dict[str, str] = {}
    for name, value in parse_pairs(spec, "--map"):
        key = name.lower()
        if key not in FIELDS:
            raise MappingError(f"--map: '{name}' is not something a column can hold; use "
                               f"{', '.join(FIELDS)}.")
        if key in found:
            raise MappingError(f"--map: {key} is mapped twice ({found[key]} and {value}).")
        found[key] = value
    return found


def parse_status_spec(spec: str) -> dict[str, Status]:
    """`Green=On track,Amber=At risk` as {word or colour (lower case): status}."""
    found: dict[str, Status] = {}
    for word, status in parse_pairs(spec, "--statuses"):
        try:
            found[_key(word)] = Status.parse(status)
        except ValueError:
            words = ", ".join(s.label for s in Status)
            raise MappingError(f"--statuses: '{status}' (for {word}) is not a tracker status; "
                               f"use one of: {words}.") from None
    return found


@dataclass
class StatusMap:
    """What a status cell means: its word first, else the colour it is filled with."""

    own: dict[str, Status] = field(default_factory=dict)

    def lookup(self, word: str | None, fill_name: str | None) -> tuple[Status | None, str | None]:
        """(status, what it was read from); (None, word) when the word maps to nothing."""
        if word:
            key = _key(word).lstrip("○◌●▲■✔➜✖ ")
            if key in self.own:
                return self.own[key], word
            try:
                return Status.parse(key), word
            except ValueError:
                pass
            colour = normal_colour(key) or _LETTER_COLOURS.get(key)
            status = self._colour(colour) if colour else None
            if status is None:
                status = DEFAULT_WORDS.get(key)
            return status, word
        if fill_name and fill_name != "white":  # a white fill is no fill
            return self._colour(fill_name), f"{fill_name} fill"
        return None, None

    def _colour(self, colour: str) -> Status | None:
        for key, status in self.own.items():
            if normal_colour(key) == colour:
                return status
        return DEFAULT_COLOURS.get(colour)


def column_of(reference: str, headings: dict[int, str], max_column: int) -> int | None:
    """The column a reference names: a heading of the header row, else a column letter."""
    key = _key(reference)
    named = [n for n, text in headings.items() if _key(text) == key]
    if len(named) == 1:
        return named[0]
    if named:
        return None  # the same heading twice: only a letter can say which
    if _LETTERS.match(reference.strip()):
        number = column_index_from_string(reference.strip().upper())
        if number <= max(max_column, 1) + 5:
            return number
    return None


def letter(column: int) -> str:
    return get_column_letter(column)


_GUESSES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("status", ("r/a/g", "rag", "rag status", "rag rating", "status", "rating")),
    ("text", ("action", "actions", "commitment", "commitments", "we will", "activity",
              "activities", "deliverable", "deliverables", "description", "objective", "task")),
    ("due", ("timescale", "timescales", "due", "due date", "deadline", "target date", "by when",
             "completion date", "date", "timeframe", "when")),
    ("lead", ("lead officer", "lead", "owner", "responsible officer", "action owner",
              "responsible")),
    ("partners", ("partners", "partner", "sponsor", "lead partner", "partner agency",
                  "organisation", "agency", "delivered by")),
    ("notes", ("current status of action", "progress", "update", "progress update", "comments",
               "commentary", "notes", "current status", "position")),
    ("priority", ("priority", "theme", "priority area", "strategic priority")),
    ("code", ("ref", "reference", "no", "no.", "number", "code", "#", "id", "action no")),
    ("subpoint", ("sub-action", "sub action", "sub-point", "subpoint", "milestone",
                  "milestones")),
)


def guess_columns(headings: dict[int, str]) -> dict[str, str]:
    """A first mapping from the headings' words, for the officer to check: field -> letter."""
    guessed: dict[str, str] = {}
    taken: set[int] = set()
    for name, words in _GUESSES:
        for wanted in words:  # the more specific words first
            for column, text in sorted(headings.items()):
                if column in taken:
                    continue
                if _key(text) == wanted or _key(text).rstrip(":") == wanted:
                    guessed[name] = letter(column)
                    taken.add(column)
                    break
            if name in guessed:
                break
    return {f: guessed[f] for f in FIELDS if f in guessed}


def column_spec(columns: dict[str, str]) -> str:
    return ",".join(f"{k}={v}" for k, v in columns.items())
