"""What team sync refuses, each worded for the officer."""

from tracker.errors import TrackerError


class SyncError(TrackerError):
    """Sync could not go ahead; nothing was half done."""


class LogUnreachableError(SyncError):
    """The team's log cannot be reached now (offline, share not connected, server down):
    try again later. The command line exits with 2."""


class LogRefusedError(SyncError):
    """The team's log refused us: a login refused, a folder we may not write, a full disk."""


class EntryRefusedError(SyncError):
    """An entry of the log is unsigned, altered, from another team or from a newer schema:
    nothing from this sync was applied."""


class NotAMemberError(SyncError):
    """This database is not a member of a team (or of this team)."""


class CopyDetectedError(SyncError):
    """Another copy of this laptop's database has synced with the team."""


class ConflictError(SyncError):
    """A conflict cannot be resolved as asked."""
