"""The one root of the errors the tracker raises on purpose.

Every refusal an officer can act on (a bad value, a locked file, a tampered workbook, a
report that could not be written) is a TrackerError with a message worded for them; anything
else that escapes is a bug and is reported as one.
"""


class TrackerError(Exception):
    """A problem worded for the person using the application."""


class Cancelled(TrackerError):
    """The officer stopped a long job; nothing was written (or the message says what was)."""

    def __init__(self, message: str = "Stopped: nothing was written."):
        super().__init__(message)
