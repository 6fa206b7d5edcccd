"""Timestamps and identifiers for new rows.

Row ids are not SQLite's next integer: laptops of one team each add rows to their own copy of
the plan, and SQLite's changesets (team sync) key rows by primary key, so two laptops must
never hand out the same id. A row's id is the top 63 bits of its UUID: unique across laptops
for all practical purposes, positive, and the same wherever the row is copied.

Rows written together (a partner's return adds thousands) take ids that follow one another from
one random start (`new_ids`, `new_row_ids`) rather than each its own random id: a table's
B-tree, its uid index and its full-text sizes then take the new rows on a few pages next to each
other, where random ids dirtied a page of every index for nearly every row (4,000 evidence rows
touched 14,000 pages of a 1,000,000-row table). A run is as unlikely to meet another laptop's
ids as the same number of random ones (the chance that two runs overlap grows with their
lengths added, not multiplied). Ids are not a clock: the runs start anywhere, and time order is
still the stamps' (`now`).
"""

import os
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


# A row id is a UUID's top 63 bits (UUID bits 65-127). Four of them are the UUID's version
# (UUID bits 76-79, row id bits 11-14): a run counts in the other 59 and leaves those as uuid4's.
_LOW_BITS = 11
_VERSION_MASK = 0xF << _LOW_BITS
_FREE = 59
_TAIL = (1 << 65) - 1
_VARIANT_MASK, _VARIANT = 0b11 << 62, 0b10 << 62  # RFC 4122's variant


def _spread(free: int, version: int) -> int:
    """The row id whose bits outside the version field are `free` (59 bits)."""
    low = free & ((1 << _LOW_BITS) - 1)
    return ((free >> _LOW_BITS) << (_LOW_BITS + 4)) | version | low


def new_ids(count: int) -> list[tuple[int, str]]:
    """`count` new UUIDs (version 4 in form, random but for their order) whose row ids follow
    one another, for rows written together: each (its row id, the UUID), the id `row_id` of
    it without reading the UUID back."""
    if count <= 0:
        return []
    start = uuid.uuid4().int
    top = start >> 65
    version = top & _VERSION_MASK
    free = ((top >> (_LOW_BITS + 4)) << _LOW_BITS) | (top & ((1 << _LOW_BITS) - 1))
    free %= (1 << _FREE) - count  # the run stays within the 59 bits
    free = free or 1
    # Each UUID's last 65 bits are random, as uuid4's are, but for its variant (bits 62-63,
    # 0b10), so no two share them. Written as str(UUID) writes them, without making a UUID
    # for each (a third of the time of a return's 7,000).
    tails = os.urandom(9 * count)
    found = []
    for n in range(count):
        tail = int.from_bytes(tails[9 * n:9 * n + 9], "big") & _TAIL & ~_VARIANT_MASK
        ident = _spread(free + n, version)
        h = f"{(ident << 65) | tail | _VARIANT:032x}"
        found.append((ident or 1, f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"))
    return found


def row_id(uid: str) -> int:
    """The integer primary key of the row whose UUID is `uid`."""
    return (uuid.UUID(uid).int >> 65) or 1


def new_row_ids(count: int) -> list[int]:
    """`count` primary keys that follow one another, for rows without a UUID written together."""
    if count <= 0:
        return []
    start = secrets.randbelow((1 << 63) - count - 1) + 1
    return list(range(start, start + count))
