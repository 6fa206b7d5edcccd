"""Colleagues' changes a sync merged, waiting to go into the activity log.

The merge writes them (sync_pulled) in its own transaction, so none is lost if the laptop is
killed; tracker.ops.team moves each into the activity log under its author's name, with
origin "sync", on the store's own connection, deleting it in the same transaction.

Tables the activity log never records (tracker.store.capture.NOT_RECORDED: the bytes of
attached files, up to 10 MB a row) are merged like any other but not written here.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from tracker.store.capture import NOT_RECORDED
from tracker.sync.entry import Entry
from tracker.sync.schema import Schema


@dataclass(frozen=True)
class Pulled:
    number: int
    seq: int
    author: str
    laptop: str
    made_at: str
    changes: list[dict[str, Any]]  # {"table", "key", "before", "after"}


def row_key(schema: Schema, table: str, key: tuple, row: dict | None) -> str:
    """A row's key as the activity log writes it: its uid, or its primary key joined by '/'."""
    if row is not None and "uid" in row and row["uid"]:
        return str(row["uid"])
    return "/".join(str(v) for v in key)


def record(conn: Any, schema: Schema,
           changed: list[tuple[Entry, str, tuple, dict | None, dict | None]]) -> int:
    by_entry: dict[int, tuple[Entry, list[dict]]] = {}
    for entry, table, key, before, after in changed:
        if table in NOT_RECORDED:
            continue
        item = {"table": table, "key": row_key(schema, table, key, after or before),
                "before": before, "after": after}
        by_entry.setdefault(entry.seq, (entry, []))[1].append(item)
    for seq in sorted(by_entry):
        entry, items = by_entry[seq]
        conn.execute("INSERT INTO sync_pulled (seq, author, laptop, made_at, changes) "
                     "VALUES (?, ?, ?, ?, ?)",
                     (seq, entry.author, entry.laptop, entry.made_at,
                      json.dumps(items, ensure_ascii=False)))
    return len(by_entry)


def waiting(conn: Any) -> list[Pulled]:
    try:
        rows = conn.execute("SELECT number, seq, author, laptop, made_at, changes FROM sync_pulled "
                            "ORDER BY number").fetchall()
    except Exception as exc:
        if "no such table" in str(exc):
            return []
        raise
    return [Pulled(n, seq, a, lap, at, json.loads(ch)) for n, seq, a, lap, at, ch in rows]


def done(conn: Any, number: int) -> None:
    conn.execute("DELETE FROM sync_pulled WHERE number = ?", (number,))
