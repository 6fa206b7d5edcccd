"""Why a workbook was refused, worded for the officer."""

from tracker.errors import Cancelled, TrackerError

__all__ = ["Cancelled", "ExchangeError", "WorkbookRefused"]


class ExchangeError(TrackerError):
    """A workbook cannot be written or read; the message says why. Nothing was written."""


class WorkbookRefused(ExchangeError):
    """A returned workbook is unsafe, damaged, or not one of ours. Nothing was written."""
