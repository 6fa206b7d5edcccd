"""The colours of the reports, chosen for contrast (WCAG 2.1: 4.5:1 for text, 3:1 for the
parts of a chart a reader needs), and the contrast ratio itself.

The window's status colours (tracker.domain.status) are bright fills; as text on white several
of them are too faint (the "Not assessed" grey is 3.4:1), so reports write each status in a
darker ink of the same hue, always next to its shape and word.
"""

from __future__ import annotations

from tracker.domain.status import Status

PAPER = "#ffffff"
INK = "#1f2937"  # body text
HEADING = "#1f4e79"  # headings and the title
MUTED = "#4b5563"  # notes, captions, footers, axis labels
RULE = "#cbd5e1"  # table borders and rules (decoration: not needed to read anything)
HEADER_FILL = "#e8eef5"  # table header rows
TOTAL_FILL = "#f3f4f6"  # the total row of a table
WARNING = "#b42318"  # "not for publication", "[Internal only]"

STATUS_INK: dict[Status, str] = {
    Status.NOT_ASSESSED: "#595959",
    Status.NOT_STARTED: "#1c6a96",
    Status.ON_TRACK: "#00704f",
    Status.AT_RISK: "#8a5a00",
    Status.OFF_TRACK: "#a63f00",
    Status.COMPLETE: "#005a8c",
    Status.CARRIED_FORWARD: "#9b3f78",
    Status.DISCONTINUED: "#4d4d4d",
}

# The bars of the status chart: the statuses' inks, except "Not assessed", the status of most
# commitments until they are assessed, which is a light grey with an outline so that it reads
# as "nothing said yet" rather than dominating the chart. Labels on a fill use ink_on(fill).
STATUS_FILL: dict[Status, str] = {**STATUS_INK, Status.NOT_ASSESSED: "#d9dde3"}
STATUS_OUTLINE = "#6b7280"

DIRECTION_INK = {
    "improved": "#176f30",
    "worsened": "#b42318",
    "unchanged": "#4b5563",
    "about the same": "#4b5563",  # within the indicator's band (IndicatorItem.steady)
}

# Chart series: distinct in hue and lightness, each also with its own marker and dash, so a
# greyscale print still tells them apart.
ACTUAL = "#1f4e79"
COMPARISON = "#a63f00"
TARGET = "#6b46c1"
BASELINE = "#4b5563"
GRID = "#e5e7eb"


def tones() -> dict[str, str]:
    """Every tone a document run may carry, with its colour (see tracker.reports.document)."""
    found = {"note": MUTED, "warning": WARNING, "internal": WARNING}
    found.update({f"status:{s.value}": colour for s, colour in STATUS_INK.items()})
    found.update({f"direction:{v}": colour for v, colour in DIRECTION_INK.items()})
    return found


def luminance(colour: str) -> float:
    """Relative luminance of an sRGB colour written #rrggbb (WCAG 2.1 definition)."""
    value = colour.lstrip("#")
    if len(value) == 3:
        value = "".join(c * 2 for c in value)
    channels = [int(value[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(foreground: str, background: str) -> float:
    """The WCAG contrast ratio of two colours, from 1 to 21."""
    a, b = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (a + 0.05) / (b + 0.05)


def ink_on(fill: str) -> str:
    """Dark or white text, whichever reads better on `fill`."""
    return INK if contrast(INK, fill) >= contrast(PAPER, fill) else PAPER
