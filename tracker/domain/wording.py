"""How a change in an indicator is put into words, the way the closure report writes it."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from tracker.domain.model import Polarity, Unit


class Direction(StrEnum):
    IMPROVED = "improved"
    WORSENED = "worsened"
    UNCHANGED = "unchanged"
    NEUTRAL = "neutral"  # the indicator has no better direction


@dataclass(frozen=True)
class Change:
    sentence: str
    direction: Direction


def format_value(value: float, unit: Unit) -> str:
    if unit is Unit.POUNDS:
        return f"£{value:,.0f}" if float(value).is_integer() else f"£{value:,.2f}"
    text = _number(value)
    if unit is Unit.PERCENT:
        return f"{text} per cent"
    return text


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


def describe_change(
    first_value: float,
    first_period: str,
    last_value: float,
    last_period: str,
    unit: Unit,
    polarity: Polarity,
) -> Change:
    """"from 52,732 in 2015/16 to 30,674 in 2021/22, a reduction of 42 per cent".

    Percentages change in points, not per cent of per cent; counts always come with both
    values so a percentage is never read alone.
    """
    start = f"from {format_value(first_value, unit)} in {first_period}"
    end = f"to {format_value(last_value, unit)} in {last_period}"
    delta = last_value - first_value
    if delta == 0:
        return Change(f"unchanged at {format_value(last_value, unit)} "
                      f"between {first_period} and {last_period}", Direction.UNCHANGED)
    word = "an increase" if delta > 0 else "a reduction"
    if unit is Unit.PERCENT:
        points = abs(delta)
        amount = _number(round(points, 2))
        size = f"{amount} percentage point{'s' if points != 1 else ''}"
    elif first_value == 0:
        size = f"{format_value(abs(delta), unit)}"
    else:
        size = _percent_change(delta, first_value)
    if polarity is Polarity.NEITHER:
        direction = Direction.NEUTRAL
    elif (delta < 0) == (polarity is Polarity.LOWER_IS_BETTER):
        direction = Direction.IMPROVED
    else:
        direction = Direction.WORSENED
    return Change(f"{start} {end}, {word} of {size}", direction)


def count_of(n: int, singular: str, plural: str | None = None) -> str:
    """"1 conflict", "2 conflicts", "1,200 rows"."""
    return f"{n:,} {singular if n == 1 else plural or singular + 's'}"


def day(stamp: str | None, empty: str = "") -> str:
    """"2021-09-30" or an ISO timestamp -> "30 Sep 2021" (`empty` when there is none)."""
    if not stamp:
        return empty
    from datetime import date

    found = date.fromisoformat(str(stamp)[:10])
    return f"{found.day} {found:%b %Y}"


def moment(stamp: str | None) -> str:
    """An ISO timestamp (UTC) -> "30 Sep 2021 at 14:05", in the computer's own time zone."""
    if not stamp:
        return ""
    from datetime import datetime

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
