"""Numbers typed by people: "1,200", " 42 ", 3.5."""

from __future__ import annotations

import math
import re

# Commas only as thousands separators: "1,5" (a decimal comma) must not become 15.
_GROUPED = re.compile(r"^[-+]?\d{1,3}(,\d{3})+(\.\d*)?$")


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
        if "," in text and not _GROUPED.match(text):
            raise ValueError(f"'{text}' is not a number: a comma may only separate thousands "
                             "(1,234); use a point for decimals (1.5).")
        try:
            number = float(text.replace(",", ""))
        except ValueError:
            raise ValueError(f"'{text}' is not a number.") from None
    if not math.isfinite(number):
        raise ValueError(f"'{raw}' is not a number.")
    return number
