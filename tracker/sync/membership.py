"""This database's membership of a team (the sync_membership row)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tracker.sync.entry import parse_key


@dataclass(frozen=True)
class Membership:
    team_id: str
    location: str
    team_key: str  # as printed: ct1-...
    laptop_id: str
    joined_at: str
    synced_seq: int
    synced_at: str | None
    pending_push: str | None
    last_error: str | None
    last_error_at: str | None

    @property
    def key(self) -> bytes:
        return parse_key(self.team_key)


_COLUMNS = ("team_id, location, team_key, laptop_id, joined_at, synced_seq, synced_at, "
            "pending_push, last_error, last_error_at")


def read(conn: Any) -> Membership | None:
    """The membership, from an sqlite3 or apsw connection; None for a database that is not in
    a team (or predates team sync)."""
    try:
        row = conn.execute(f"SELECT {_COLUMNS} FROM sync_membership WHERE slot = 1").fetchone()
    except Exception as exc:  # sqlite3 and apsw raise different classes for a missing table
        if "no such table" in str(exc):
            return None
        raise
    return Membership(*row) if row else None


def write(conn: Any, m: Membership) -> None:
    conn.execute(
        f"INSERT OR REPLACE INTO sync_membership (slot, {_COLUMNS}) "
        "VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (m.team_id, m.location, m.team_key, m.laptop_id, m.joined_at, m.synced_seq,
         m.synced_at, m.pending_push, m.last_error, m.last_error_at))


def update(conn: Any, **fields: Any) -> None:
    assignments = ", ".join(f"{name} = ?" for name in fields)
    conn.execute(f"UPDATE sync_membership SET {assignments} WHERE slot = 1",
                 tuple(fields.values()))
