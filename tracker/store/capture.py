"""Recording every row an operation writes, with its before and after, inside the transaction.

Temporary triggers (on this connection only, never in the file) copy each inserted, updated or
deleted row of the plan's tables into `temp.op_capture` while a capture is running, cascades
included (a deleted commitment takes its evidence with it, and those rows are recorded too).
`collect` folds them into one `RowChange` per row. Undo and redo read and write rows through
the same column lists (`current_row`, `write_row`), so what is compared is what was recorded.

An added or removed row is recorded whole; a changed row only by the columns the operation
changed, with its identity (`Table.identity`: its key, id, the ids it refers to), before and
after (a `partial` RowChange): a return that touches the "last updated" stamp of 4,000
commitments wrote each commitment whole twice, 4 MiB of its log entry. That is for tables
with an updated_at, which every write moves, so that undo can tell newer work on the columns
it did not record; a changed row of any other table is recorded whole, as before.

Not recorded: the settings table (it holds the workbook signing key), the activity log itself,
the full-text indexes (kept in step by their own triggers), and the bytes of attached files
(attachment_content: up to 10 MB a row, which JSON cannot hold; they are kept under their
SHA-256 and never changed or removed, so undo and redo of an attachment row find them there).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass

from tracker.domain.changes import SOFT_COLUMNS, Row, RowChange
from tracker.store.database import Store

NOT_RECORDED = frozenset({"app_setting", "activity", "attachment_content"})
_STATE = "op_capture_state"
# Kept with a changed row's changed columns besides its key and ids: what names the row in
# words and finds it again (an indicator's value for a period, a narrative's place).
_NAMING = {"indicator_value": ("series", "period"), "narrative": ("section", "period")}


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[str, ...]
    key_columns: tuple[str, ...]  # ("uid",) or the primary key
    identity: tuple[str, ...] = ()  # kept with every changed row: key, id, the ids it refers to

    @property
    def partial_updates(self) -> bool:
        """Whether a changed row is recorded by its changed columns (see the module)."""
        return "updated_at" in self.columns

    def json_of(self, alias: str) -> str:
        return "json_object(" + ", ".join(f"'{c}', {alias}.\"{c}\"" for c in self.columns) + ")"

    def changed_json_of(self, alias: str) -> str:
        """In an UPDATE trigger: the row's identity and the columns the update changed, as the
        JSON object json_of would make of those columns alone."""
        pieces = [f"'{',' if i else ''}\"{c}\":' || json_quote({alias}.\"{c}\")"
                  for i, c in enumerate(self.identity)]
        pieces += [f"CASE WHEN OLD.\"{c}\" IS NOT NEW.\"{c}\" THEN ',\"{c}\":' || "
                   f"json_quote({alias}.\"{c}\") ELSE '' END"
                   for c in self.columns if c not in self.identity]
        return "('{' || " + " || ".join(pieces) + " || '}')"

    def key_of(self, alias: str) -> str:
        return " || '/' || ".join(f"CAST({alias}.\"{c}\" AS TEXT)" for c in self.key_columns)

    def where(self) -> str:
        return " AND ".join(f"\"{c}\" = ?" for c in self.key_columns)

    def key_params(self, key: str, row: Row | None) -> tuple:
        if row is not None and all(c in row for c in self.key_columns):
            return tuple(row[c] for c in self.key_columns)
        if self.key_columns == ("uid",):
            return (key,)
        return tuple(key.split("/"))


def tables(store: Store) -> dict[str, Table]:
    """The recorded tables and their columns, as the schema has them now."""
    found: dict[str, Table] = {}
    virtual = [r[0] for r in store.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL%'")]
    for (name,) in store.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").fetchall():
        if (name in NOT_RECORDED or name.startswith("sqlite_") or name in virtual
                or any(name.startswith(v + "_") for v in virtual)):
            continue
        info = store.execute(f"PRAGMA table_info(\"{name}\")").fetchall()
        columns = tuple(r[1] for r in info)
        primary = tuple(r[1] for r in sorted((r for r in info if r[5]), key=lambda r: r[5]))
        key = ("uid",) if "uid" in columns else primary
        if key:
            named = set(key) | set(primary) | set(_NAMING.get(name, ()))
            identity = tuple(c for c in columns
                             if c in named or c == "id" or c.endswith("_id"))
            found[name] = Table(name, columns, key, identity)
    return found


def _schema(store: Store) -> dict[str, Table]:
    cached = getattr(store, "_capture_tables", None)
    present = store.execute("SELECT 1 FROM sqlite_temp_master WHERE name = ?",
                            (_STATE,)).fetchone()
    if cached is not None and present:
        return cached
    known = tables(store)
    statements = [
        f"CREATE TEMP TABLE IF NOT EXISTS {_STATE} (active INTEGER NOT NULL)",
        f"INSERT INTO temp.{_STATE} (active) SELECT 0 WHERE NOT EXISTS "
        f"(SELECT 1 FROM temp.{_STATE})",
        "CREATE TEMP TABLE IF NOT EXISTS op_capture (seq INTEGER PRIMARY KEY, tbl TEXT NOT NULL, "
        "key TEXT NOT NULL, before TEXT, after TEXT)",
    ]
    when = f"WHEN (SELECT active FROM temp.{_STATE})"
    for t in known.values():
        for event, key_alias, before, after in (
                ("INSERT", "NEW", "NULL", t.json_of("NEW")),
                ("UPDATE", "NEW", *((t.changed_json_of("OLD"), t.changed_json_of("NEW"))
                                    if t.partial_updates else (t.json_of("OLD"), t.json_of("NEW")))),
                ("DELETE", "OLD", t.json_of("OLD"), "NULL")):
            statements.append(
                f"CREATE TEMP TRIGGER IF NOT EXISTS op_capture_{t.name}_{event.lower()} "
                f"AFTER {event} ON main.\"{t.name}\" {when} BEGIN "
                f"INSERT INTO op_capture (tbl, key, before, after) VALUES "
                f"('{t.name}', {t.key_of(key_alias)}, {before}, {after}); END")
    for statement in statements:
        store.conn.execute(statement)
    store._capture_tables = known  # type: ignore[attr-defined]
    return known


def prepare(store: Store) -> None:
    """Install the recording triggers on this connection (before the transaction, so that a
    rolled-back operation does not take them away)."""
    _schema(store)


def begin(store: Store) -> None:
    _schema(store)
    store.execute("DELETE FROM temp.op_capture")
    store.execute(f"UPDATE temp.{_STATE} SET active = 1")


def end(store: Store) -> None:
    """Stop recording. The recorded rows are removed, unless the connection is a worker's
    (Store.for_worker), closed once its work is done: closing drops its temporary tables, and
    deleting a return's 20,000 recorded rows first cost the apply 10 ms. The next capture on
    a connection begins by removing what an earlier one left."""
    if store.execute("SELECT 1 FROM sqlite_temp_master WHERE name = ?", (_STATE,)).fetchone():
        store.execute(f"UPDATE temp.{_STATE} SET active = 0")
        if not store.closes_after_work:
            store.execute("DELETE FROM temp.op_capture")


def recorded_keys(store: Store) -> set[tuple[str, str]]:
    """The rows written so far in the running capture."""
    return {(r[0], r[1]) for r in store.execute("SELECT DISTINCT tbl, key FROM temp.op_capture")}


def collect(store: Store) -> list[RowChange]:
    """One change per row written during the capture, in the order first written: the row as
    it was before the first write and after the last (rows added and removed again, and rows
    written back as they were, are left out)."""
    return collect_logged(store)[0]


# Rows parsed a batch at a time: one json.loads of a few hundred rows is a tenth of the calls,
# and none holds Python's lock for long (a return's changes are 10 MB of JSON).
_PARSE_BATCH = 500
# json.dumps(..., ensure_ascii=False) without a new encoder for each of a return's 4,000 merged
# records (the same text).
_ENCODE = json.JSONEncoder(ensure_ascii=False).encode


def collect_logged(store: Store) -> tuple[list[RowChange], str]:
    """`collect`, and the changes as the JSON array the activity log keeps, made from the
    captured JSON text as SQLite wrote it rather than written again from the parsed rows (a
    row written more than once is merged from its parsed records).

    The records are held in flat lists of their texts, and rows told apart by one string
    (table and key): no tuple or list a record, which the cycle collector would walk (a
    return's 18,000 records made 54,000, a tenth of its apply in collections)."""
    texts: list[str | None] = []  # each record's before and after, in the order written
    names: list[str] = []  # each record's table and key
    # table/key (a table's name holds no "/") -> its first record, or all of its records
    first: dict[str, int | list[int]] = {}
    get = first.get
    for n, (tbl, key, before, after) in enumerate(store.execute(
            "SELECT tbl, key, before, after FROM temp.op_capture ORDER BY seq")):
        texts += (before, after)
        names += (tbl, key)
        row = f"{tbl}/{key}"
        found = get(row)
        if found is None:
            first[row] = n
        elif type(found) is int:
            first[row] = [found, n]
        else:
            found.append(n)
    # The same text is the same row; other texts are compared as rows, once parsed.
    kept = [found for found in first.values()
            if type(found) is not int or texts[2 * found] != texts[2 * found + 1]]
    known = _schema(store)
    partial_of = {name: t.partial_updates for name, t in known.items()}
    heads: dict[str, str] = {}  # each table's opening of a change's JSON
    changes: list[RowChange] = []
    pieces: list[str] = []
    for start in range(0, len(kept), _PARSE_BATCH):
        batch = kept[start:start + _PARSE_BATCH]
        wanted: list[str] = []
        for found in batch:
            for record in ((found,) if type(found) is int else found):
                wanted += (texts[2 * record] or "null", texts[2 * record + 1] or "null")
        parsed = json.loads("[" + ",".join(wanted) + "]")
        at = 0
        for found in batch:
            if type(found) is int:
                old, new = parsed[at], parsed[at + 1]
                at += 2
                if old == new:
                    continue
                tbl, key = names[2 * found], names[2 * found + 1]
                partial = old is not None and new is not None and partial_of[tbl]
                before, after = texts[2 * found], texts[2 * found + 1]
            else:
                records = parsed[at:at + 2 * len(found)]
                at += 2 * len(found)
                tbl, key = names[2 * found[0]], names[2 * found[0] + 1]
                old, new, partial = _merged(records, known[tbl])
                if old == new:
                    continue
                before = _ENCODE(old) if old is not None else None
                after = _ENCODE(new) if new is not None else None
            changes.append(RowChange(tbl, key, old, new, partial))
            head = heads.get(tbl)
            if head is None:
                head = heads[tbl] = f'{{"table": {_quoted(tbl)}, "key": '
            pieces.append(f'{head}{_quoted(key)}, "before": {before or "null"}, '
                          f'"after": {after or "null"}'
                          + (', "partial": true}' if partial else "}"))
    if not pieces:
        return changes, "[]"
    # One string of the whole log text, made once: a return's is 8 MB, and each copy of it
    # (as '"[" + joined + "]"' made two more) is written into fresh memory while this thread
    # holds Python's lock, which froze the window 140-290 ms in the apply (bench stalls).
    pieces[0] = "[" + pieces[0]
    pieces[-1] += "]"
    return changes, ", ".join(pieces)


def _merged(records: list, table: Table) -> tuple[Row | None, Row | None, bool]:
    """One row's records (before, after, before, after, ...) in the order written, as its
    change over the whole operation: (before, after, partial). Updates of a table with
    partial updates record only the columns they changed; a row that was also added or
    removed is whole on that side."""
    pairs = list(zip(records[::2], records[1::2], strict=True))
    identity = table.identity
    if not table.partial_updates:  # every record whole
        return pairs[0][0], pairs[-1][1], False
    if all(b is not None and a is not None for b, a in pairs):
        before: Row = {}
        after: Row = {}
        for b, a in pairs:
            for column, value in b.items():
                before.setdefault(column, value)  # as it was before the first change
            after.update(a)
        changed = [c for c in after if before.get(c) != after[c]]  # ids moved too
        if not changed:
            return None, None, False  # written back as it was
        keep = set(identity) | set(changed)
        return ({c: v for c, v in before.items() if c in keep},
                {c: v for c, v in after.items() if c in keep}, True)
    old: Row | None = None if pairs[0][0] is None else {}
    row: Row | None = None
    for b, a in pairs:
        if old is not None and b is not None:
            for column, value in b.items():
                old.setdefault(column, value)  # a removal's record holds the whole row
        if b is None or a is None:
            row = dict(a) if a is not None else None
        elif row is not None:
            row.update(a)
    return old, row, False


def _quoted(text: str) -> str:
    """A JSON string (a table name or a row's key: letters, digits, dashes and slashes)."""
    if text.isascii() and '"' not in text and "\\" not in text and text.isprintable():
        return f'"{text}"'
    return json.dumps(text, ensure_ascii=False)


def current_row(store: Store, table: str, key: str, hint: Row | None = None) -> Row | None:
    """The row as it is now, in the same form the capture recorded it (None if it is gone)."""
    t = _schema(store)[table]
    found = store.execute(f"SELECT {t.json_of('r')} FROM main.\"{table}\" r WHERE {t.where()}",
                          t.key_params(key, hint)).fetchone()
    return json.loads(found[0]) if found else None


def write_row(store: Store, table: str, key: str, target: Row | None, current: Row | None,
              expected: Row | None) -> None:
    """Make the row `target` (None: remove it). `current` is the row now and `expected` what
    the change being undone or redone left; a bookkeeping column moved since by something
    else is left as it is now."""
    t = _schema(store)[table]
    if target is None:
        if current is not None:
            store.execute(f"DELETE FROM main.\"{table}\" WHERE {t.where()}",
                          t.key_params(key, current))
        return
    names = [c for c in t.columns if c in target]
    if current is None:
        marks = ", ".join("?" for _ in names)
        quoted = ", ".join(f'"{c}"' for c in names)
        store.execute(f"INSERT INTO main.\"{table}\" ({quoted}) VALUES ({marks})",
                      tuple(target[c] for c in names))
        return
    chosen = [c for c in names if c not in SOFT_COLUMNS or expected is None
              or current.get(c) == expected.get(c)]
    chosen = [c for c in chosen if current.get(c) != target[c]]
    if chosen:
        assignments = ", ".join(f'"{c}" = ?' for c in chosen)
        store.execute(f"UPDATE main.\"{table}\" SET {assignments} WHERE {t.where()}",
                      (*[target[c] for c in chosen], *t.key_params(key, current)))


def keys_of(changes: Iterable[RowChange]) -> set[tuple[str, str]]:
    return {(c.table, c.key) for c in changes}
