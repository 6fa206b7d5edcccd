"""Where a team's log lives: one interface, two places (a shared folder, or PostgreSQL).

A log is a sequence of immutable entries numbered 1, 2, 3 ... with no gaps. Appending entry n
succeeds only if n is the next number (its parent n-1 is the head): two laptops racing for
the same number, one wins and the other is told so, pulls and tries again. The order of the
log is the only order sync trusts; laptop clocks never decide anything.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Protocol


class TeamLog(Protocol):
    """A team's log. Methods raise LogUnreachableError when the log cannot be reached now and
    LogRefusedError when it refuses us (login, permissions, disk full)."""

    location: str  # as the officer wrote it, for messages and for the membership row

    def prepare(self) -> None:
        """Make the place ready for a new team's log (entry 1 is then appended like any
        other); refuses a place that already holds a team."""

    def read(self, seq: int) -> bytes | None:
        """Entry `seq`, or None when the log has no such entry."""

    def read_after(self, seq: int) -> Iterator[tuple[int, bytes]]:
        """The entries after `seq`, in order, up to the head."""

    def append(self, seq: int, blob: bytes) -> bool:
        """Add entry `seq` if `seq - 1` is the head (or the log is empty, for entry 1); False
        when another laptop took `seq` first."""

    def close(self) -> None: ...


def is_postgres(location: str) -> bool:
    return str(location).strip().lower().startswith(("postgresql://", "postgres://"))


def open_log(location: str, *, creating: bool = False) -> TeamLog:
    """The log at a folder path or a postgresql:// address."""
    if is_postgres(location):
        from tracker.sync.postgres_log import PostgresLog

        return PostgresLog(location.strip())
    from tracker.sync.folder_log import FolderLog

    return FolderLog(location, creating=creating)
