"""Refusals of the operations layer (the store's and the workbooks' own errors pass through)."""

from tracker.errors import TrackerError


class OpsError(TrackerError):
    """An operation was refused; nothing was written."""


class UndoRefused(OpsError):
    """Undo or redo would overwrite newer work, or cannot be done; nothing was written."""


class NothingToUndo(UndoRefused):
    pass
