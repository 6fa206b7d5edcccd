"""How a change in an indicator is put into words, the way the closure report writes it."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from tracker.domain.model import Polarity, Unit


class Direction(str, Enum):
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
    text = f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"
    if unit is Unit.PERCENT:
        return f"{text} per cent"
    return text


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
        amount = f"{points:.0f}" if float(points).is_integer() else f"{points:.1f}"
        size = f"{amount} percentage point{'s' if points != 1 else ''}"
    elif first_value == 0:
        size = f"{format_value(abs(delta), unit)}"
    else:
        size = f"{abs(delta) / abs(first_value) * 100:.0f} per cent"
    if polarity is Polarity.NEITHER:
        direction = Direction.NEUTRAL
    elif (delta < 0) == (polarity is Polarity.LOWER_IS_BETTER):
        direction = Direction.IMPROVED
    else:
        direction = Direction.WORSENED
    return Change(f"{start} {end}, {word} of {size}", direction)
