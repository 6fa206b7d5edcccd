"""Why a report could not be written, worded for the officer."""

from tracker.errors import Cancelled, TrackerError

__all__ = ["Cancelled", "PdfError", "ReportError", "ReportFormatError"]


class ReportError(TrackerError):
    """A report cannot be written; the message says why. No file was written."""


class ReportFormatError(ReportError, ValueError):
    """The file name does not say a format the tracker writes."""


class PdfError(ReportError, RuntimeError):
    """The PDF could not be typeset."""
