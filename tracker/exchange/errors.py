"""Why a workbook was refused, worded for the officer."""

from tracker.errors import TrackerError


class ExchangeError(TrackerError):
    """A workbook cannot be written or read; the message says why. Nothing was written."""


class WorkbookRefused(ExchangeError):
    """A returned workbook is unsafe, damaged, or not one of ours. Nothing was written."""


class Cancelled(ExchangeError):
    """The officer stopped the work; nothing was written."""

    def __init__(self, message: str = "Stopped: nothing was written."):
        super().__init__(message)
