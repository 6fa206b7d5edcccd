"""Writing cells that can never run as formulas, and reading what people type into them."""

from __future__ import annotations

import math
import re
from datetime import date, datetime
from typing import TYPE_CHECKING

from tracker.domain.dates import parse_day
from tracker.domain.status import Status
from tracker.domain.text import xml_safe

if TYPE_CHECKING:  # (the command line reads dates through here: it starts without openpyxl)
    from openpyxl.cell.cell import Cell

# A spreadsheet treats text starting with these as a formula (or DDE command).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_ERROR_CODES = {"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A",
                "#GETTING_DATA"}
MAX_CELL_TEXT = 32_767  # what a cell holds (openpyxl cuts longer text there too)


def put_text(cell: Cell, text: str | None) -> None:
    """Store text as text: never a formula, an error code or a number, and only characters
    a workbook can hold (control characters stored before they were refused are dropped)."""
    clean = xml_safe(str(text)) if text is not None else ""
    if clean == "":
        cell.value = None
        return
    # Bound as text directly: openpyxl's value setter would look for the characters xml_safe
    # has just removed, then take "=..." for a live formula and "#REF!" for an error code.
    cell._value = clean[:MAX_CELL_TEXT]
    cell.data_type = "s"
    if clean.startswith(FORMULA_STARTS) or clean.strip().upper() in _ERROR_CODES:
        cell.quotePrefix = True


def is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def clean_text(value: object) -> str:
    """Cell content as one tidy string (line breaks kept, stray spaces dropped)."""
    if value is None:
        return ""
    if value.__class__ is str and "\n" not in value:  # one line: its words, single-spaced
        return " ".join(value.split())
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime):
        value = value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
    lines = [" ".join(line.split()) for line in str(value).replace("\r\n", "\n").split("\n")]
    return "\n".join(line for line in lines if line).strip()


class CellValueError(ValueError):
    """What is wrong with one cell, in words for the partner."""


def parse_status(value: object) -> Status | None:
    if is_blank(value):
        return None
    text = str(value).strip()
    # Allow the shape a report might carry in front of the word ("● On track").
    text = text.lstrip("○◌●▲■✔➜✖ ")
    try:
        return Status.parse(text)
    except ValueError:
        words = ", ".join(s.label for s in Status)
        raise CellValueError(f"'{value}' is not a status; choose one of: {words}.") from None


EARLIEST = date(1990, 1, 1)


def parse_date(value: object, today: date | None = None) -> date | None:
    """A date from a date cell or UK text (31/03/2022, 31 March 2022, 31-Mar-22, 2022-03-31)."""
    if is_blank(value):
        return None
    if isinstance(value, datetime):
        day = value.date()
    elif isinstance(value, date):
        day = value
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        raise CellValueError(f"{value} is a number, not a date; type the date as 31/03/2022.")
    else:
        try:
            day = parse_day(str(value))
        except ValueError:
            raise CellValueError(f"'{value}' is not a date; type it as 31/03/2022 or 31 March "
                                 "2022.") from None
    limit = today or date.today()
    if day < EARLIEST:
        raise CellValueError(f"{day:%d/%m/%Y} is too early for evidence of this plan.")
    if day > date(limit.year + 1, limit.month, min(limit.day, 28)):
        raise CellValueError(f"{day:%d/%m/%Y} is more than a year in the future.")
    return day


_NUMBER = re.compile(r"^[-+]?(\d+|\d{1,3}(,\d{3})+)(\.\d+)?$")


def parse_number(value: object, number_format: str | None = None, percent: bool = False) -> float | None:
    """A number from a number cell or text with thousands separators, a £ or a trailing %.

    A percentage typed into Excel is stored as a fraction with a % format (45% is 0.45); for a
    per cent indicator it is read back as 45.
    """
    if is_blank(value):
        return None
    if isinstance(value, bool):
        raise CellValueError(f"{value} is not a number.")
    if isinstance(value, (int, float)):
        number = float(value)
        if percent and number_format and "%" in number_format:
            number *= 100
    elif isinstance(value, (date, datetime)):
        raise CellValueError("This cell holds a date; type the number instead.")
    else:
        text = str(value).strip().replace("\u00a0", " ").replace("\u2009", "")
        text = text.replace(" ", "").lstrip("£")
        if text.endswith("%"):
            text = text[:-1]
        if text.startswith("£"):
            text = text[1:]
        if not _NUMBER.match(text):
            raise CellValueError(f"'{value}' is not a number; type digits only, such as 1,234 "
                                 "or 45.6. Leave the cell empty if there is no figure.")
        number = float(text.replace(",", ""))
    if not math.isfinite(number) or abs(number) >= 1e15:
        raise CellValueError(f"'{value}' is not a usable number.")
    return round(number, 10)
