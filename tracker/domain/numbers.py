"""Numbers typed by people: "1,200", " 42 ", 3.5."""

from __future__ import annotations

import math


def parse_number(raw: object) -> float | None:
    """The number in `raw`, None when it is blank; ValueError naming it when it is no number."""
    if raw is None:
        return None
    if isinstance(raw, bool):
        raise ValueError(f"'{raw}' is not a number.")
    if isinstance(raw, int | float):
        number = float(raw)
    else:
        text = str(raw).strip()
        if not text:
            return None
        try:
            number = float(text.replace(",", ""))
        except ValueError:
            raise ValueError(f"'{text}' is not a number.") from None
    if not math.isfinite(number):
        raise ValueError(f"'{raw}' is not a number.")
    return number
