"""Timestamps and identifiers for new rows.

Row ids are not SQLite's next integer: laptops of one team each add rows to their own copy of
the plan, and SQLite's changesets (team sync) key rows by primary key, so two laptops must
never hand out the same id. A row's id is the top 63 bits of its UUID: unique across laptops
for all practical purposes, positive, and the same wherever the row is copied.
"""

import secrets
import threading
import uuid
from datetime import UTC, datetime, timedelta

_last = datetime.min.replace(tzinfo=UTC)
_last_lock = threading.Lock()


def now() -> str:
    """UTC, to the microsecond, and strictly later than the previous call in this process.

    Rows are ordered in time by these stamps (two status changes in one second, say): row ids
    are random (below), so they cannot break the tie."""
    global _last
    with _last_lock:
        stamp = datetime.now(UTC)
        if stamp <= _last:
            stamp = _last + timedelta(microseconds=1)
        _last = stamp
    return stamp.isoformat(timespec="microseconds")


def new_uid() -> str:
    return str(uuid.uuid4())


# Names a row's uid may be derived from, for rows that every copy of the database must give the
# same identity (a reporting round is the same round on every laptop).
_NAME_SPACE = uuid.UUID("6f1c1c5e-3f0b-4f7e-9d0c-2a7c2a1b5e10")


def name_uid(kind: str, name: str) -> str:
    """A uid made from a kind of row and its name: the same on every laptop."""
    return str(uuid.uuid5(_NAME_SPACE, f"{kind}:{name}"))


def row_id(uid: str) -> int:
    """The integer primary key of the row whose UUID is `uid`."""
    return (uuid.UUID(uid).int >> 65) or 1


def new_row_id() -> int:
    """A primary key for a row that has no UUID of its own."""
    return secrets.randbits(63) or 1
