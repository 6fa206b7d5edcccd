"""Errors the store raises, each with a message an officer can act on."""

from tracker.errors import TrackerError


class StoreError(TrackerError):
    """A problem with the database file, worded for the person using the application."""


class NotADatabaseError(StoreError):
    pass


class NewerSchemaError(StoreError):
    pass


class ReadOnlyError(StoreError):
    pass


class UpgradeNeeded(ReadOnlyError):
    """A database opened read-only is in an older version's format: reading it needs an
    upgrade first, which only a writable open makes."""


class DatabaseLockedError(StoreError):
    """Another copy of the application holds the file for writing."""


class DatabaseBusyError(StoreError):
    """A write could not get the file in time."""


class NotFoundError(StoreError):
    pass


class ValidationError(StoreError):
    """Input refused before anything was written; `field` names what is wrong."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field
