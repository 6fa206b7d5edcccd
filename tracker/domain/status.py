"""Commitment statuses: the word, the shape and the colour an officer sees."""

from __future__ import annotations

from enum import StrEnum


class Status(StrEnum):
    NOT_ASSESSED = "not_assessed"
    NOT_STARTED = "not_started"
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    OFF_TRACK = "off_track"
    COMPLETE = "complete"
    CARRIED_FORWARD = "carried_forward"
    DISCONTINUED = "discontinued"

    @property
    def label(self) -> str:
        return _LABELS[self]

    @property
    def shape(self) -> str:
        """A glyph that tells the statuses apart without colour."""
        return _SHAPES[self]

    @property
    def colour(self) -> str:
        return _COLOURS[self]

    @property
    def is_closed(self) -> bool:
        """No further updates are expected for a commitment in this status."""
        return self in (Status.COMPLETE, Status.CARRIED_FORWARD, Status.DISCONTINUED)

    @classmethod
    def parse(cls, text: str) -> Status:
        """Accept the stored value or the label, in any case and with stray spaces."""
        found = _BY_WORDS.get(" ".join(str(text).split()).lower())
        if found is None:
            words = ", ".join(s.label for s in cls)
            raise ValueError(f"'{text}' is not a status; use one of: {words}")
        return found


_LABELS = {
    Status.NOT_ASSESSED: "Not assessed",
    Status.NOT_STARTED: "Not started",
    Status.ON_TRACK: "On track",
    Status.AT_RISK: "At risk",
    Status.OFF_TRACK: "Off track",
    Status.COMPLETE: "Complete",
    Status.CARRIED_FORWARD: "Carried forward",
    Status.DISCONTINUED: "Discontinued",
}

_SHAPES = {
    Status.NOT_ASSESSED: "○",
    Status.NOT_STARTED: "◌",
    Status.ON_TRACK: "●",
    Status.AT_RISK: "▲",
    Status.OFF_TRACK: "■",
    Status.COMPLETE: "✔",
    Status.CARRIED_FORWARD: "➜",
    Status.DISCONTINUED: "✖",
}

# Okabe-Ito derived palette: distinguishable for the common colour-vision deficiencies,
# and never the only cue (the word and shape go with it).
_COLOURS = {
    Status.NOT_ASSESSED: "#8a8a8a",
    Status.NOT_STARTED: "#56b4e9",
    Status.ON_TRACK: "#009e73",
    Status.AT_RISK: "#e69f00",
    Status.OFF_TRACK: "#d55e00",
    Status.COMPLETE: "#0072b2",
    Status.CARRIED_FORWARD: "#cc79a7",
    Status.DISCONTINUED: "#4d4d4d",
}

STATUS_ORDER: tuple[Status, ...] = tuple(Status)

# What Status.parse accepts for each status: its stored value, its label, the value's words.
_BY_WORDS = {key: status for status in reversed(Status)
             for key in (status.value, _LABELS[status].lower(), status.value.replace("_", " "))}
