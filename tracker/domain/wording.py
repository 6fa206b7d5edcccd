"""How a change in an indicator is put into words, the way the closure report writes it.

Three things the published report does that the words here follow:
- a change too small to matter reads "relatively constant", not as a gain or a loss: an
  indicator may set a band (`steady_band`, per cent of the first value, or percentage points
  for a percentage) within which a change is "about the same";
- a value the source qualifies ("more than 2,682") keeps its qualifier, and no percentage is
  worked out from it;
- a change the source states only as a percentage ("a 21 per cent reduction between 2015/16
  and 2019/20") is written as stated, never turned into values.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from itertools import pairwise
from typing import Protocol

from tracker.domain.dates import show_day
from tracker.domain.model import ChangeWay, Polarity, StatedChange, Unit

# Words the source puts before a number; kept with it wherever it is written.
QUALIFIERS = ("more than", "over", "at least", "almost", "nearly", "about", "around", "some",
              "less than", "up to")


class Direction(StrEnum):
    IMPROVED = "improved"
    WORSENED = "worsened"
    UNCHANGED = "unchanged"  # no change, or one within the indicator's band ("about the same")
    NEUTRAL = "neutral"  # the indicator has no better direction (a context measure)


@dataclass(frozen=True)
class Change:
    sentence: str
    direction: Direction
    steady: bool = False  # within the band: "relatively constant" rather than unchanged

    @property
    def verdict(self) -> str:
        """The direction in a word or two, capitalised: so colour is never the only sign."""
        if self.steady:
            return "About the same"
        return VERDICTS[self.direction]


VERDICTS = {
    Direction.IMPROVED: "Improved",
    Direction.WORSENED: "Worsened",
    Direction.UNCHANGED: "Unchanged",
    Direction.NEUTRAL: "No better direction",
}


def check_qualifier(qualifier: str | None) -> str | None:
    """The qualifier in its canonical form; ValueError naming the allowed ones."""
    if qualifier is None or not str(qualifier).strip():
        return None
    text = " ".join(str(qualifier).lower().split())
    if text not in QUALIFIERS:
        raise ValueError(f"'{qualifier}' is not a qualifier the tracker writes; use one of: "
                         f"{', '.join(QUALIFIERS)}")
    return text


def format_value(value: float, unit: Unit, qualifier: str | None = None) -> str:
    if unit is Unit.POUNDS:
        text = f"£{value:,.0f}" if float(value).is_integer() else f"£{value:,.2f}"
    else:
        text = _number(value)
        if unit is Unit.PERCENT:
            text = f"{text} per cent"
    return f"{qualifier} {text}" if qualifier else text


def _number(value: float) -> str:
    """52732 -> "52,732"; 8.32 -> "8.32"; 68.70 -> "68.7": as many decimals as the value has,
    up to two."""
    if float(value).is_integer():
        return f"{value:,.0f}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def _percent_change(delta: float, base: float) -> str:
    share = abs(delta) / abs(base) * 100
    if share < 0.5:
        return f"{share:.1f} per cent" if share >= 0.05 else "less than 0.1 per cent"
    return f"{share:.0f} per cent"


def within_band(first_value: float, last_value: float, unit: Unit,
                band: float | None) -> bool:
    """Whether the change is inside the indicator's band of "about the same"."""
    if band is None or band <= 0:
        return False
    delta = abs(last_value - first_value)
    if unit is Unit.PERCENT:
        return delta <= band
    if first_value == 0:
        return False
    return delta / abs(first_value) * 100 <= band


def judge(delta: float, polarity: Polarity) -> Direction:
    """Better or worse for this indicator: rising is good where higher is better."""
    if delta == 0:
        return Direction.UNCHANGED
    if polarity is Polarity.NEITHER:
        return Direction.NEUTRAL
    if (delta < 0) == (polarity is Polarity.LOWER_IS_BETTER):
        return Direction.IMPROVED
    return Direction.WORSENED


def describe_change(
    first_value: float,
    first_period: str,
    last_value: float,
    last_period: str,
    unit: Unit,
    polarity: Polarity,
    *,
    band: float | None = None,
    first_qualifier: str | None = None,
    last_qualifier: str | None = None,
) -> Change:
    """"from 52,732 in 2015/16 to 30,674 in 2021/22, a reduction of 42 per cent".

    Percentages change in points, not per cent of per cent; counts always come with both
    values so a percentage is never read alone. Within the band: "relatively constant at 850
    in 2015/16 and 846 in 2021/22". A qualified value ("more than 2,682") gets no percentage:
    its size is not known.
    """
    first = format_value(first_value, unit, first_qualifier)
    last = format_value(last_value, unit, last_qualifier)
    delta = last_value - first_value
    if delta == 0 and not (first_qualifier or last_qualifier):
        return Change(f"unchanged at {last} between {first_period} and {last_period}",
                      Direction.UNCHANGED)
    if within_band(first_value, last_value, unit, band):
        return Change(f"relatively constant at {first} in {first_period} and {last} in "
                      f"{last_period}", Direction.UNCHANGED, steady=True)
    word = "an increase" if delta > 0 else "a reduction"
    span = f"from {first} in {first_period} to {last} in {last_period}"
    if first_qualifier or last_qualifier:
        return Change(f"{span}, {word}", judge(delta, polarity))
    if unit is Unit.PERCENT:
        points = abs(delta)
        amount = _number(round(points, 2))
        size = f"{amount} percentage point{'s' if points != 1 else ''}"
    elif first_value == 0:
        size = f"{format_value(abs(delta), unit)}"
    else:
        size = _percent_change(delta, first_value)
    return Change(f"{span}, {word} of {size}", judge(delta, polarity))


class Point(Protocol):
    """One stated value of a series, for describe_path: an indicator value is one (a report
    passes its values as they are, rather than a copy of each)."""

    @property
    def period(self) -> str: ...

    @property
    def value(self) -> float: ...

    @property
    def qualifier(self) -> str | None: ...


def describe_path(points: Sequence[Point], unit: Unit, band: float | None = None
                  ) -> str | None:
    """The turns between the first and the last value, as the report tells them: "It rose to
    15,262 in 2019/20, fell to 13,204 in 2020/21 and rose again to 15,706 in 2021/22."

    None when the series only goes one way (the change from first to last says it all) or has
    fewer than three values. A step within the band counts as no step."""
    if len(points) < 3:
        return None
    runs: list[tuple[int, Point]] = []  # (sign, the point the run ends at)
    for before, after in pairwise(points):
        delta = after.value - before.value
        sign = 0 if delta == 0 or within_band(before.value, after.value, unit, band) else (
            1 if delta > 0 else -1)
        if sign == 0:
            if runs:
                runs[-1] = (runs[-1][0], after)
            continue
        if runs and runs[-1][0] == sign:
            runs[-1] = (sign, after)
        else:
            runs.append((sign, after))
    if len(runs) < 2:
        return None
    seen: set[int] = set()
    steps = []
    for sign, point in runs:
        verb = "rose" if sign > 0 else "fell"
        if sign in seen:
            verb += " again"
        seen.add(sign)
        steps.append(f"{verb} to {format_value(point.value, unit, point.qualifier)} in "
                     f"{point.period}")
    return f"It {listed(steps)}."


def describe_stated(change: StatedChange, unit: Unit, polarity: Polarity) -> Change:
    """A change the source states in words or as a percentage, written as stated:
    "A reduction of 21 per cent between 2015/16 and 2019/20.", "An increase of almost 50 per
    cent in 2020/21.", "An increase from 4.6 to 8.2 over the same period."."""
    way = change.way
    if way is ChangeWay.STEADY:
        text = "Relatively constant"
    else:
        text = "An increase" if way is ChangeWay.INCREASE else "A reduction"
        if change.percent is not None:
            amount = _number(change.percent)
            qualifier = f"{change.qualifier} " if change.qualifier else ""
            text += f" of {qualifier}{amount} per cent"
    if change.from_value is not None or change.to_value is not None:
        text += _end("from", change.from_value, change.from_period, unit)
        text += _end("to", change.to_value, change.to_period, unit)
    elif change.from_period and change.to_period:
        text += f" between {change.from_period} and {change.to_period}"
    elif change.to_period:
        text += f" in {change.to_period}"
    elif change.from_period:
        text += f" against {change.from_period}"
    if change.period_words:
        text += f" {change.period_words}"
    if way is ChangeWay.STEADY:
        return Change(text + ".", Direction.UNCHANGED, steady=True)
    return Change(text + ".", judge(1 if way is ChangeWay.INCREASE else -1, polarity))


def _end(word: str, value: float | None, period: str | None, unit: Unit) -> str:
    """One end of a stated change: " from 4.6 in 2015/16", " from 4.6", " from 2015/16"."""
    if value is None:
        return f" {word} {period}" if period else ""
    return f" {word} {format_value(value, unit)}" + (f" in {period}" if period else "")


def file_size(n: int) -> str:
    """A file's size as an officer reads it: 757.3 MB, 12.0 KB, 512 bytes (decimal units, as
    Windows Explorer's properties and most disk figures are quoted)."""
    for unit, scale in (("GB", 1e9), ("MB", 1e6), ("KB", 1e3)):
        if n >= scale:
            return f"{n / scale:.1f} {unit}"
    return f"{n} bytes"


def count_of(n: int, singular: str, plural: str | None = None) -> str:
    """"1 conflict", "2 conflicts", "1,200 rows"."""
    return f"{n:,} {singular if n == 1 else plural or singular + 's'}"


def day(stamp: str | None, empty: str = "") -> str:
    """"2021-09-30" or an ISO timestamp -> "30 Sep 2021" (`empty` when there is none)."""
    if not stamp:
        return empty
    text = str(stamp)
    found = date.fromisoformat(text[:10])
    if len(text) > 10:  # a timestamp: its day where the officer is, not in UTC
        when = datetime.fromisoformat(text)
        if when.tzinfo is not None:
            found = when.astimezone().date()
    return show_day(found)


def long_date(when: date) -> str:
    """A date with its month in full, "30 September 2021": how letters and covers write it."""
    return f"{when.day} {when:%B %Y}"


def listed(words: Sequence[str]) -> str:
    """"a", "a and b", "a, b and c"."""
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]


def moment(stamp: str | None) -> str:
    """An ISO timestamp (UTC) -> "30 Sep 2021 at 14:05", in the computer's own time zone."""
    if not stamp:
        return ""
    when = datetime.fromisoformat(str(stamp))
    if when.tzinfo is not None:
        when = when.astimezone()
    return f"{when.day} {when:%b %Y} at {when:%H:%M}"


def quoted(text: str | None, limit: int = 60) -> str:
    """“text”, shortened with an ellipsis past `limit` characters."""
    clean = " ".join(str(text or "").split())
    if len(clean) > limit:
        clean = clean[: limit - 1].rstrip() + "…"
    return f"“{clean}”"
