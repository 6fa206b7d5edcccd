"""Writing (and changing) many rows in one statement rather than one statement a row.

A full-text index (FTS5) writes out what it has gathered at the start of every statement that
adds to it inside a transaction: 4,000 evidence rows added by `executemany` were 4,000 flushes
of the evidence index (12,000 writes of its pages, 0.13 s of a return's apply). Added by one
INSERT ... SELECT over the rows as JSON, the index gathers them all and writes them once; the
triggers (the index's, and the operation's recording) see each row as before.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Sequence

from tracker.store.database import Store

_BATCH = 1000  # rows a statement: a few MiB of JSON at most


def _as_json(batch: Sequence[Sequence[object]]) -> str | None:
    """The rows as JSON text from which SQLite reads back every value as it is, or None when
    it cannot (a value JSON cannot hold; text with a NUL, at whose escape SQLite's JSON reader
    ends the string). Text goes in unescaped, so a half of a surrogate pair is refused as it is
    bound, as one statement a row refuses it (escaped, SQLite would store bytes that are not
    UTF-8, and no query could read the row back)."""
    try:
        text = json.dumps(batch, allow_nan=False, ensure_ascii=False)
    except (TypeError, ValueError):
        return None
    return None if "\\u0000" in text else text


def insert_rows(store: Store, table: str, columns: Sequence[str],
                rows: Sequence[Sequence[object]]) -> None:
    """INSERT the rows (each its values in `columns` order: text, numbers or None; a dict or
    list is written as its JSON text) in one statement per batch."""
    names = ", ".join(f'"{c}"' for c in columns)
    picks = ", ".join(f"json_extract(j.value, '$[{n}]')" for n in range(len(columns)))
    sql = f'INSERT INTO "{table}" ({names}) SELECT {picks} FROM json_each(?) j ORDER BY j.key'
    for start in range(0, len(rows), _BATCH):
        batch = rows[start:start + _BATCH]
        text = _as_json(batch)
        if text is None:  # one at a time
            marks = ", ".join("?" for _ in columns)
            store.conn.executemany(f'INSERT INTO "{table}" ({names}) VALUES ({marks})',
                                   [[json.dumps(v) if isinstance(v, (dict, list)) else v
                                     for v in row] for row in batch])
        else:
            store.execute(sql, (text,))


def update_rows(store: Store, table: str, columns: Sequence[str], key: str,
                rows: Sequence[Sequence[object]], leave_out: Collection[object] = ()) -> None:
    """UPDATE `columns` of the rows whose `key` is each row's last value (keys unique: a row
    named twice is updated one statement a row, in order, as executemany would).

    Rows whose key is in `leave_out` are not written, and the others in the order the whole
    of `rows` would have written them (the order the capture records them in): a statement
    writes its rows in an order of its own (by rowid), so the batches are still cut from the
    whole of `rows`."""
    sets = ", ".join(f'"{c}" = ?' for c in columns)
    if len({r[-1] for r in rows}) < len(rows):
        store.conn.executemany(f'UPDATE "{table}" SET {sets} WHERE "{key}" = ?',
                               [r for r in rows if r[-1] not in leave_out])
        return
    picks = ", ".join(f"\"{c}\" = json_extract(j.value, '$[{n}]')"
                      for n, c in enumerate(columns))
    sql = (f'UPDATE "{table}" SET {picks} FROM json_each(?) j '
           f"WHERE \"{table}\".\"{key}\" = json_extract(j.value, '$[{len(columns)}]')")
    for start in range(0, len(rows), _BATCH):
        batch = rows[start:start + _BATCH]
        if leave_out:
            batch = [r for r in batch if r[-1] not in leave_out]
            if not batch:
                continue
        text = _as_json(batch)
        if text is None:
            store.conn.executemany(f'UPDATE "{table}" SET {sets} WHERE "{key}" = ?', batch)
        else:
            store.execute(sql, (text,))
