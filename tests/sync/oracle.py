"""The simulation's oracle: what every sync should do, worked out on plain Python dicts.

It knows nothing of changesets, apsw or the log's files. It takes snapshots of the shared
tables (the team's state after each entry, each laptop's state before and after each sync)
and says, by a three-way merge of the state a laptop last synced, its own and the team's,
what the laptop must hold after the sync and which conflicts it must list. It also keeps a
journal of every edit the simulation makes and checks at the end that none was lost.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tracker.sync.schema import Schema, Table, shared_where

Rows = dict[tuple, dict[str, Any]]
Snapshot = dict[str, Rows]


def snapshot(path: Path, schema: Schema) -> Snapshot:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        found: Snapshot = {}
        for name, table in schema.tables.items():
            rows: Rows = {}
            for values in conn.execute(f'SELECT * FROM "{name}" WHERE {shared_where(table)}'):
                row = dict(zip(table.columns, values))
                rows[table.key_of(values)] = row
            found[name] = rows
        return found
    finally:
        conn.close()


def _value_differs(table: Table, a: dict, b: dict) -> bool:
    return any(table.kind(i) == "value" and a[c] != b[c] for i, c in enumerate(table.columns))


def _later(a: Any, b: Any) -> bool:
    if a is None:
        return False
    if b is None:
        return True
    return str(a) > str(b)


def _parent(schema: Schema, table: Table, row: dict, fk) -> tuple | None:
    values = [row[c] for c in fk.columns]
    if any(v is None for v in values):
        return None
    parent = schema[fk.parent]
    by_name = dict(zip(fk.parent_columns, values))
    if set(by_name) != set(parent.pk_columns):
        return None
    return tuple(by_name[c] for c in parent.pk_columns)


def _subtree(schema: Schema, state: Snapshot, name: str, key: tuple) -> list[tuple[str, tuple]]:
    found, todo, seen = [], [(name, key)], set()
    while todo:
        mark = todo.pop()
        if mark in seen or mark[1] not in state.get(mark[0], {}):
            continue
        seen.add(mark)
        found.append(mark)
        for child, fk in schema.children_of(mark[0]):
            if not fk.cascades:
                continue
            for ckey, crow in state[child.name].items():
                if _parent(schema, child, crow, fk) == mark[1]:
                    todo.append((child.name, ckey))
    return found


def merge3(schema: Schema, base: Snapshot, mine: Snapshot, theirs: Snapshot
           ) -> tuple[Snapshot, list[tuple]]:
    """What a laptop holding `mine` (made from `base`) must hold after merging `theirs`, and
    the conflicts it must list: ("field", table, key, column, base, mine, theirs) and
    ("deleted_by_them" | "deleted_by_me", table, key)."""
    result: Snapshot = {name: dict(rows) for name, rows in mine.items()}
    conflicts: list[tuple] = []
    lost: set[tuple[str, tuple]] = set()
    restore: set[tuple[str, tuple]] = set()
    their_deletes: set[tuple[str, tuple]] = set()
    for name, table in schema.tables.items():
        b_rows, m_rows, t_rows = base.get(name, {}), mine.get(name, {}), theirs.get(name, {})
        for key in set(b_rows) | set(m_rows) | set(t_rows):
            b, m, t = b_rows.get(key), m_rows.get(key), t_rows.get(key)
            if b is not None and t is None:
                their_deletes.add((name, key))
            if t == b:
                continue
            if m == b:
                if t is None:
                    result[name].pop(key, None)
                else:
                    result[name][key] = dict(t)
                continue
            if b is not None and m is not None and t is not None:
                row = dict(m)
                for i, c in enumerate(table.columns):
                    bv, mv, tv = b[c], m[c], t[c]
                    if tv == bv or mv == tv:
                        continue
                    if mv == bv:
                        row[c] = tv
                    elif table.kind(i) == "bookkeeping":
                        if _later(tv, mv):
                            row[c] = tv
                    elif table.kind(i) in ("quiet", "key"):
                        row[c] = tv
                    else:
                        row[c] = tv
                        conflicts.append(("field", name, key, c, bv, mv, tv))
                result[name][key] = row
            elif b is not None and t is None:
                if m is None:
                    continue
                result[name].pop(key, None)
                if _value_differs(table, b, m):
                    lost.add((name, key))
            elif b is not None and m is None:
                if _value_differs(table, b, t):
                    restore.add((name, key))
            elif b is None and m is not None and t is not None:
                row = dict(t)
                for i, c in enumerate(table.columns):
                    if m[c] == t[c]:
                        continue
                    if table.kind(i) == "value":
                        conflicts.append(("field", name, key, c, None, m[c], t[c]))
                    elif table.kind(i) == "bookkeeping" and _later(m[c], t[c]):
                        row[c] = m[c]
                result[name][key] = row
            elif b is None and t is not None:
                result[name][key] = dict(t)
    _unique_clashes(schema, result, mine, theirs, conflicts)
    orphans_of_their_deletes: dict[tuple[str, tuple], None] = {}
    for _round in range(100):
        again = False
        for name, table in schema.tables.items():
            for key, row in list(result[name].items()):
                if key not in result[name]:
                    continue
                for fk in table.foreign_keys:
                    pkey = _parent(schema, table, row, fk)
                    if pkey is None or pkey in result[fk.parent]:
                        continue
                    again = True
                    if pkey in theirs.get(fk.parent, {}):
                        restore.add((fk.parent, pkey))
                    elif fk.cascades:
                        for sub in _subtree(schema, result, name, key):
                            result[sub[0]].pop(sub[1], None)
                        orphans_of_their_deletes[(fk.parent, pkey)] = None
                        break
                    else:
                        row = dict(row)
                        for c in fk.columns:
                            row[c] = None
                        result[name][key] = row
        todo, restore = restore, set()
        roots = set()
        for name, key in todo:
            if key in result[name] or key not in theirs[name]:
                continue
            while True:
                table = schema[name]
                row = theirs[name][key]
                up = None
                for fk in table.foreign_keys:
                    pkey = _parent(schema, table, row, fk)
                    if (fk.cascades and pkey is not None and pkey not in result[fk.parent]
                            and pkey in theirs[fk.parent]):
                        up = (fk.parent, pkey)
                        break
                if up is None:
                    break
                name, key = up
            roots.add((name, key))
        for name, key in roots:
            if key in result[name]:
                continue
            for sub_name, sub_key in _subtree(schema, theirs, name, key):
                if sub_key not in result[sub_name]:
                    result[sub_name][sub_key] = dict(theirs[sub_name][sub_key])
            conflicts.append(("deleted_by_me", name, key))
            again = True
        if not again:
            break

    def root_of(mark):
        seen = set()
        while mark not in seen:
            seen.add(mark)
            name, key = mark
            row = base[name].get(key)
            if row is None:
                return mark
            up = None
            for fk in schema[name].foreign_keys:
                pkey = _parent(schema, schema[name], row, fk)
                if fk.cascades and pkey is not None and (fk.parent, pkey) in their_deletes:
                    up = (fk.parent, pkey)
                    break
            if up is None:
                return mark
            mark = up
        return mark

    roots = {root_of(m) for m in lost}
    roots |= {root_of(a) if a in their_deletes else a for a in orphans_of_their_deletes}
    conflicts.extend(("deleted_by_them", name, key) for name, key in roots)
    return result, conflicts


def _unique_clashes(schema: Schema, result: Snapshot, mine: Snapshot, theirs: Snapshot,
                    conflicts: list[tuple]) -> None:
    """Two rows holding one unique key (both laptops added a value for one period): theirs
    stands, ours goes, references to ours move to theirs, differing values conflict."""
    for name, table in schema.tables.items():
        for unique in table.unique:
            if not unique.plain:
                continue  # an index on expressions: nothing the simulation edits
            columns = unique.columns
            groups: dict[tuple, list[tuple]] = {}
            for key, row in result[name].items():
                values = tuple(row[c] for c in columns)
                if any(v is None for v in values):
                    continue
                groups.setdefault(values, []).append(key)
            for keys in groups.values():
                if len(keys) < 2:
                    continue
                ours = [k for k in keys if k not in theirs.get(name, {})]
                kept = [k for k in keys if k in theirs.get(name, {})]
                if len(kept) != 1:
                    continue
                target = result[name][kept[0]]
                for key in ours:
                    row = result[name].pop(key)
                    for i, c in enumerate(table.columns):
                        if (table.kind(i) == "value" and c not in columns and c != "uid"
                                and row[c] != target[c]):
                            conflicts.append(("field", name, kept[0], c, None, row[c], target[c]))
                    for child, fk in schema.children_of(name):
                        for ckey, crow in list(result[child.name].items()):
                            if _parent(schema, child, crow, fk) == key:
                                moved = dict(crow)
                                for c, pc in zip(fk.columns, fk.parent_columns):
                                    moved[c] = target[pc]
                                result[child.name][ckey] = moved


# --- the journal ---------------------------------------------------------------------------------


@dataclass
class Edit:
    laptop: str
    order: int
    seen_seq: int  # the laptop's last synced entry when it made the edit
    what: str  # "field" | "add" | "delete"
    ident: tuple  # ("commitment", uid) / ("evidence", uid) / ("value", ind_uid, series, period)
    column: str | None = None
    value: Any = None
    pushed_at: int | None = None
    row_uid: str | None = None  # a value's own row (its identity above is its period)


@dataclass
class Listed:
    """A conflict as a laptop listed it, with the identities it accounts for."""

    laptop: str
    kind: str
    ident: tuple
    column: str | None
    values: tuple
    covers: set = field(default_factory=set)  # identities of the rows a delete took


@dataclass
class Journal:
    edits: list[Edit] = field(default_factory=list)
    listed: list[Listed] = field(default_factory=list)
    parent: dict[tuple, tuple] = field(default_factory=dict)  # row identity -> its parent's
    counter: int = 0

    def add(self, edit: Edit) -> None:
        self.counter += 1
        edit.order = self.counter
        self.edits.append(edit)

    def pushed(self, laptop: str, before_order: int, seq: int) -> None:
        for e in self.edits:
            if e.laptop == laptop and e.order <= before_order and e.pushed_at is None:
                e.pushed_at = seq

    @staticmethod
    def saw(later: Edit, earlier: Edit) -> bool:
        if later.order <= earlier.order:
            return False
        if later.laptop == earlier.laptop:
            return True
        return earlier.pushed_at is not None and later.seen_seq >= earlier.pushed_at

    def ancestors(self, ident: tuple) -> list[tuple]:
        found, current = [], ident
        while current in self.parent and current not in found:
            current = self.parent[current]
            found.append(current)
        return found

    def lost(self, final: dict[tuple, dict]) -> list[Edit]:
        """Edits that neither stand, nor were superseded by a later edit that saw them, nor
        are a side of a listed conflict."""
        self._uids = {row.get("uid") for row in final.values()}
        missing = []
        for e in self.edits:
            if self._accounted(e, final):
                continue
            missing.append(e)
        return missing

    def _accounted(self, e: Edit, final: dict[tuple, dict]) -> bool:
        row = final.get(e.ident)
        family = [e.ident, *self.ancestors(e.ident)]
        if e.what == "field":
            if row is not None and row.get(e.column) == e.value:
                return True
            if any(o.what == "field" and o.ident == e.ident and o.column == e.column
                   and self.saw(o, e) for o in self.edits):
                return True
            if any(c.kind == "field" and c.ident == e.ident and c.column == e.column
                   and e.value in c.values for c in self.listed):
                return True
        # On a row a colleague deleted: the unchosen side of a listed conflict (even if another
        # officer put their own version back since).
        if e.what in ("field", "add") and any(
                c.kind == "deleted_by_them" and c.laptop == e.laptop
                and (e.ident in c.covers or c.ident in family) for c in self.listed):
            return True
        if e.what in ("field", "add") and any(  # superseded by a delete that saw it
                o.what == "delete" and o.ident in family and self.saw(o, e) for o in self.edits):
            return True
        if e.what == "add" and row is not None:
            return True
        if e.what == "delete":
            if row is None or (e.row_uid is not None and e.row_uid not in self._uids):
                return True
            if any(o.ident == e.ident and o.what in ("add", "field") and self.saw(o, e)
                   for o in self.edits):
                return True  # made again later by someone who had seen the delete
            if any(c.kind == "deleted_by_me" and (c.ident in family or e.ident in c.covers)
                   for c in self.listed):
                return True
            if any(c.kind == "deleted_by_them" and e.ident in c.covers for c in self.listed):
                return True
        return False
