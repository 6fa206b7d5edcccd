"""How this database stands with its team, read on any connection (the window's own): where
it syncs, when it last did, what waits to go and what waits for review."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tracker.sync import membership


@dataclass(frozen=True)
class LocalStatus:
    location: str
    team_key: str
    laptop_id: str
    synced_seq: int
    synced_at: str | None
    waiting: int  # operations made here since the last sync (they go with the next one)
    conflicts: int
    last_error: str | None
    last_error_at: str | None

    @property
    def offline(self) -> bool:
        """The last attempt failed after the last success."""
        return bool(self.last_error and (not self.synced_at
                                         or (self.last_error_at or "") > self.synced_at))


def local_status(conn: Any) -> LocalStatus | None:
    """None for a database that is not in a team."""
    m = membership.read(conn)
    if m is None:
        return None
    since = m.synced_at or m.joined_at
    try:
        waiting = conn.execute("SELECT count(*) FROM activity WHERE origin != 'sync' AND at > ?",
                               (since,)).fetchone()[0]
    except Exception as exc:  # a database older than the activity log
        if "no such table" not in str(exc):
            raise
        waiting = 0
    conflicts = conn.execute("SELECT count(*) FROM sync_conflict WHERE resolved_at IS NULL"
                             ).fetchone()[0]
    return LocalStatus(m.location, m.team_key, m.laptop_id, m.synced_seq, m.synced_at, waiting,
                       conflicts, m.last_error, m.last_error_at)


def synced_status_changes(conn: Any, commitment_id: int) -> set[int]:
    """The ids of a commitment's status changes that came in through team sync (a colleague's,
    as the activity log recorded them), for its history to mark as theirs."""
    try:
        rows = conn.execute(
            "SELECT s.id FROM status_change s WHERE s.commitment_id = ? AND s.uid IN ("
            "SELECT json_extract(c.value, '$.key') FROM activity a, json_each(a.changes) c "
            "WHERE a.origin = 'sync' AND json_extract(c.value, '$.table') = 'status_change')",
            (commitment_id,)).fetchall()
    except Exception as exc:
        if "no such table" not in str(exc):
            raise
        return set()
    return {r[0] for r in rows}
