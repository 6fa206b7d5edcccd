"""Why a workbook was refused, worded for the officer."""


class ExchangeError(Exception):
    """A workbook cannot be written or read; the message says why. Nothing was written."""


class WorkbookRefused(ExchangeError):
    """A returned workbook is unsafe, damaged, or not one of ours. Nothing was written."""


class Cancelled(ExchangeError):
    """The officer stopped the work; nothing was written."""

    def __init__(self, message: str = "Stopped: nothing was written."):
        super().__init__(message)
