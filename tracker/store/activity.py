"""The activity log: one row per operation, written in the operation's own transaction.

Each entry says who, when, from where (the window, the command line, a script, a partner's
return, team sync), what kind of operation and in a sentence what it did, which plans it
touched, and every row it changed with its before and after (JSON). Rows are keyed by their
UUID like every other table, so the log can travel with team sync.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass

from tracker.domain.changes import SOFT_COLUMNS, Activity, Row, RowChange, uid_prefix
from tracker.store.clock import new_uid, now, row_id
from tracker.store.database import Store
from tracker.store.errors import NotFoundError, ValidationError

UNDO, REDO = "undo", "redo"


def append(store: Store, *, kind: str, summary: str, changes: Iterable[RowChange],
           origin: str, who: str | None = None, at: str | None = None,
           plans: Iterable[int] = (), target_uid: str | None = None,
           uid: str | None = None, changes_json: str | None = None) -> Activity:
    """Add one entry (inside the caller's transaction when there is one). `changes_json` is
    `changes` as a JSON array when the caller has it already (capture.collect_logged)."""
    uid = uid or new_uid()
    entry = Activity(row_id(uid), uid, at or now(), who or store.officer, origin, kind,
                     " ".join(summary.split()), tuple(sorted(set(plans))), target_uid,
                     tuple(changes))
    with store.transaction():
        store.execute(
            "INSERT INTO activity (id, uid, at, who, origin, kind, summary, plans, target_uid, "
            "changes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (entry.id, entry.uid, entry.at, entry.who, entry.origin, entry.kind, entry.summary,
             json.dumps(list(entry.plans)), entry.target_uid,
             _changes_json(entry.changes) if changes_json is None else changes_json))
    return entry


def _changes_json(changes: tuple[RowChange, ...]) -> str:
    """The changes as one JSON array, written a row at a time: the same text json.dumps makes
    of the whole list, but that one call holds Python's lock for as long as it writes (100 ms
    for the 18,000 rows of a return), and the window cannot repaint meanwhile."""
    return "[" + ", ".join(json.dumps(c.to_json(), ensure_ascii=False) for c in changes) + "]"


def _entry(r: tuple) -> Activity:
    return Activity(r[0], r[1], r[2], r[3], r[4], r[5], r[6], tuple(json.loads(r[7] or "[]")),
                    r[8], tuple(RowChange.from_json(c) for c in json.loads(r[9] or "[]")))


_COLUMNS = "a.id, a.uid, a.at, a.who, a.origin, a.kind, a.summary, a.plans, a.target_uid, a.changes"


def get(store: Store, uid: str) -> Activity:
    found = store.execute(f"SELECT {_COLUMNS} FROM activity a WHERE a.uid = ?", (uid,)).fetchone()
    if found is None:
        raise NotFoundError(f"There is no operation {uid} in the activity log.")
    return _entry(found)


def find(store: Store, ident: str) -> Activity:
    """The entry whose id (as `tracker log` prints it: the start of its UUID) is `ident`."""
    hex_only = uid_prefix(ident)
    if hex_only is None:
        raise ValidationError(f"'{ident}' is not an operation id: use the id `tracker log` "
                              "prints, such as 3f9a0c12.", "op_id")
    found = [r for r in store.execute(
        f"SELECT {_COLUMNS} FROM activity a WHERE replace(a.uid, '-', '') LIKE ? LIMIT 2",
        (hex_only + "%",))]
    if not found:
        raise NotFoundError(f"There is no operation {ident} in the activity log "
                            "(`tracker log` lists them).")
    if len(found) > 1:
        raise ValidationError(f"Operation id {ident} matches more than one operation; give "
                              "more of it.", "op_id")
    return _entry(found[0])


@dataclass(frozen=True)
class LogFilter:
    plan_id: int | None = None
    who: str | None = None
    kind: str | None = None
    since: str | None = None  # ISO date or stamp, inclusive
    until: str | None = None  # ISO date, inclusive
    origin: str | None = None


def entries(store: Store, limit: int | None = None, flt: LogFilter | None = None,
            newest_first: bool = True) -> list[Activity]:
    flt = flt or LogFilter()
    where, params = [], []
    if flt.plan_id is not None:
        where.append("EXISTS (SELECT 1 FROM json_each(a.plans) WHERE value = ?)")
        params.append(flt.plan_id)
    for column in ("who", "kind", "origin"):
        if getattr(flt, column):
            where.append(f"a.{column} = ?")
            params.append(getattr(flt, column))
    if flt.since:
        where.append("a.at >= ?")
        params.append(flt.since)
    if flt.until:
        where.append("a.at < ?")
        params.append(flt.until + "\uffff")  # the whole of that day
    sql = f"SELECT {_COLUMNS} FROM activity a"
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += f" ORDER BY a.at {'DESC' if newest_first else 'ASC'}, a.id"
    if limit is not None:
        sql += " LIMIT ?"
        params.append(limit)
    return [_entry(r) for r in store.execute(sql, tuple(params))]


def people(store: Store) -> list[str]:
    return _distinct(store, "who")


def kinds(store: Store) -> list[str]:
    return _distinct(store, "kind")


def _distinct(store: Store, column: str) -> list[str]:
    return [r[0] for r in store.execute(f"SELECT DISTINCT {column} FROM activity ORDER BY {column}")]


def is_undone(store: Store, uid: str) -> bool:
    """Whether the operation's latest undo has not been redone since."""
    found = store.execute("SELECT kind FROM activity WHERE target_uid = ? AND kind IN (?, ?) "
                          "ORDER BY at DESC LIMIT 1", (uid, UNDO, REDO)).fetchone()
    return found is not None and found[0] == UNDO


def last_touch(store: Store, table: str, key: str, after: str,
               skip: str | None = None) -> Activity | None:
    """The latest entry after the stamp `after` that changed what this row holds (`skip`: an
    entry to leave out). An entry that only moved its bookkeeping columns (a commitment's
    "last updated" when evidence was added to it) is passed over: it is not what changed."""
    for found in store.execute(
        f"SELECT {_COLUMNS} FROM activity a WHERE a.at > ? AND a.uid IS NOT ? AND EXISTS ("
        "SELECT 1 FROM json_each(a.changes) c WHERE json_extract(c.value, '$.table') = ? "
        "AND json_extract(c.value, '$.key') = ?) ORDER BY a.at DESC",
        (after, skip, table, key)):
        entry = _entry(found)
        if any(c.table == table and c.key == key and not c.is_bookkeeping
               for c in entry.changes):
            return entry
    return None


def rows_changed_since(store: Store, after: str, uid: str) -> tuple[set[tuple[str, str]],
                                                                    dict[tuple[str, str], Row]]:
    """The rows (table, key) the entries after the stamp `after` changed beyond their
    bookkeeping columns (the entry `uid` and its undos and redos left out), and for every row
    any of them wrote, its bookkeeping columns (updated_at, position) as the last entry to
    write each left it: a row whose stamp is not what the log last wrote was moved by
    something the log does not know."""
    changed: set[tuple[str, str]] = set()
    stamps: dict[tuple[str, str], Row] = {}
    for kind, target, text in store.execute(
            "SELECT kind, target_uid, changes FROM activity WHERE at > ? AND uid != ? "
            "ORDER BY at, id", (after, uid)):
        own = kind in (UNDO, REDO) and target == uid
        for data in json.loads(text or "[]"):
            change = RowChange.from_json(data)
            row = (change.table, change.key)
            if change.after is not None:
                left = stamps.setdefault(row, {})
                left.update((c, change.after[c]) for c in SOFT_COLUMNS if c in change.after)
            if not own and not change.is_bookkeeping:
                changed.add(row)
    return changed, stamps


def touching_commitment(store: Store, commitment_id: int, commitment_uid: str) -> list[Activity]:
    """Entries that changed the commitment or its evidence, statuses or partners, oldest
    first."""
    return [_entry(r) for r in store.execute(
        f"SELECT {_COLUMNS} FROM activity a WHERE EXISTS (SELECT 1 FROM json_each(a.changes) c "
        "WHERE (json_extract(c.value, '$.table') = 'commitment' "
        "       AND json_extract(c.value, '$.key') = ?) "
        "   OR (json_extract(c.value, '$.table') IN "
        "           ('evidence', 'status_change', 'commitment_partner') "
        "       AND coalesce(json_extract(c.value, '$.after.commitment_id'), "
        "                    json_extract(c.value, '$.before.commitment_id')) = ?)) "
        "ORDER BY a.at, a.id", (commitment_uid, commitment_id))]


# --- which plans a change belongs to -------------------------------------------------------

_PARENT = {  # table -> (column, the table it points into)
    "priority": ("plan_id", "plan"),
    "commitment": ("priority_id", "priority"),
    "evidence": ("commitment_id", "commitment"),
    "status_change": ("commitment_id", "commitment"),
    "commitment_partner": ("commitment_id", "commitment"),
    "indicator": ("priority_id", "priority"),
    "indicator_value": ("indicator_id", "indicator"),
    "indicator_partner": ("indicator_id", "indicator"),
    "priority_link": ("to_priority_id", "priority"),
    "narrative": ("plan_id", "plan"),
    "stated_change": ("indicator_id", "indicator"),
    "attachment": ("evidence_id", "evidence"),
}


class PlanFinder:
    """The plan each changed row belongs to, remembering what it has looked up."""

    def __init__(self, store: Store):
        self.store = store
        self.known: dict[tuple[str, int], int | None] = {}
        # What rows point into, read many at a time ahead of plan_of_id (`_look_up`).
        self._held: dict[tuple[str, int], object] = {}

    def plan_of_row(self, table: str, row: dict) -> int | None:
        if table == "plan":
            return row.get("id")
        link = _PARENT.get(table)
        if link is None or row.get(link[0]) is None:
            return None
        return self.plan_of_id(link[1], row[link[0]])

    def plan_of_id(self, table: str, ident: int) -> int | None:
        if table == "plan":
            return ident
        if (table, ident) in self.known:
            return self.known[(table, ident)]
        column, parent = _PARENT[table]
        if (table, ident) in self._held:
            target = self._held.pop((table, ident))
        else:
            found = self.store.execute(f"SELECT {column} FROM {table} WHERE id = ?",
                                       (ident,)).fetchone()
            target = found[0] if found else None
        plan = self.plan_of_id(parent, target) if target is not None else None
        self.known[(table, ident)] = plan
        return plan

    def plans_of(self, changes: Iterable[RowChange]) -> set[int]:
        """The plans of the rows' plan_of_row, each row they point into looked at once and a
        table of them at a time: a return's 18,000 changes point into some 4,000 rows, and
        two calls for each of their 22,000 rows then a statement for each row pointed into
        were 25 ms of its apply (15 now)."""
        found: set[int] = set()
        pointed: set[tuple[str, object]] = set()  # (parent table, id) of every row
        for change in changes:
            table = change.table
            link = _PARENT.get(table)
            if link is None:
                if table == "plan":
                    found.update(row["id"] for row in (change.before, change.after)
                                 if row is not None and row.get("id") is not None)
                continue
            column, parent = link
            before, after = change.before, change.after
            if before is not None:
                pointed.add((parent, before.get(column)))
            if after is not None:
                pointed.add((parent, after.get(column)))
        wanted: dict[str, set[int]] = {}
        for parent, ident in pointed:
            if type(ident) is int and parent != "plan":  # others one at a time, as before
                wanted.setdefault(parent, set()).add(ident)
        self._look_up(wanted)
        for parent, ident in pointed:
            if ident is not None:
                plan = self.plan_of_id(parent, ident)
                if plan is not None:
                    found.add(plan)
        return found

    def _look_up(self, wanted: dict[str, set[int]]) -> None:
        """Read what these rows (by table) point into, a statement a table and level, for
        plan_of_id to take rather than read each itself."""
        held = self._held
        while wanted:
            table, idents = wanted.popitem()
            fresh = [i for i in idents if (table, i) not in self.known
                     and (table, i) not in held]
            if not fresh:
                continue
            column, parent = _PARENT[table]
            targets = dict(self.store.execute(
                f"SELECT id, {column} FROM {table} WHERE id IN (SELECT value FROM json_each(?))",
                (json.dumps(fresh),)).fetchall())
            for ident in fresh:
                target = held[(table, ident)] = targets.get(ident)
                if type(target) is int and parent != "plan":
                    wanted.setdefault(parent, set()).add(target)


def closed_plans(store: Store, plan_ids: Iterable[int]) -> list[tuple[int, str]]:
    ids = sorted(set(plan_ids))
    if not ids:
        return []
    marks = ", ".join("?" for _ in ids)
    return [(r[0], r[1]) for r in store.execute(
        f"SELECT id, title FROM plan WHERE state = 'closed' AND id IN ({marks}) ORDER BY title",
        tuple(ids))]
