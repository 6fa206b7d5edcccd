"""Merging colleagues' changes into this laptop's database, field by field.

A log entry is a changeset from the team's state before it to the state after it. The entries
pulled in one sync, combined, take the team's state this laptop last saw to the state now;
applied to this laptop's database (that old state plus this laptop's own edits), the session
extension reports every row where the two meet. The rules (a three-way merge of the old
state, ours and the team's):

- A row only one side changed takes that side's change. Different fields of one row never
  conflict: a DATA conflict stops the whole row change, so every column the colleague
  changed is looked at on its own and the ones this laptop did not touch are written.
- One field both sides changed to different values is a conflict: the team's value (the
  log's) stands and this laptop's value waits in `sync_conflict` for review. Bookkeeping
  (`updated_at`: the later stamp) and quiet columns (`position`, `created_at`: the team's)
  are settled without asking.
- They deleted a row this laptop changed (or added to): the delete stands for the whole
  subtree the delete took (ON DELETE CASCADE) and one conflict holds what "keep mine" puts
  back: the team's last version of that subtree with this laptop's changes on it.
- This laptop deleted a row they changed (or added to): the row and its subtree come back as
  the team has them, and one conflict says so ("keep mine" deletes it again).
- Both added rows that clash on a unique key (a value for the same period): the team's row
  stands, references to ours move to it, and each field that differs is a conflict.

Changesets are applied with foreign-key actions off (SQLITE_CHANGESETAPPLY_FKNOACTION): the
changeset already holds every row a cascade removed on the laptop that made it, and a cascade
here would silently remove rows only this laptop has. Rows left without their parent are
found afterwards with PRAGMA foreign_key_check and settled by the rules above; the
transaction is not committed while any remains.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import apsw

from tracker.sync.entry import Entry
from tracker.sync.errors import SyncError
from tracker.sync.schema import Schema, Table

NO = apsw.no_change
APPLY_FLAGS = apsw.SQLITE_CHANGESETAPPLY_FKNOACTION | apsw.SQLITE_CHANGESETAPPLY_IGNORENOOP
RowKey = tuple[str, tuple]


@dataclass
class Conflict:
    kind: str  # field | deleted_by_them | deleted_by_me
    table: str
    key: tuple
    uid: str | None
    entry: Entry
    field: str | None = None
    base: Any = None
    mine: Any = None
    theirs: Any = None
    mine_rows: dict[str, list[list]] | None = None
    mine_at: str | None = None
    theirs_at: str | None = None


@dataclass
class _Deleted:
    row: tuple
    entry: Entry
    existed: bool


@dataclass
class MergeReport:
    conflicts: list[Conflict] = field(default_factory=list)
    touched: dict[tuple[str, tuple, int], tuple[Any, Entry]] = field(default_factory=dict)
    # What the merge changed here, row by row, credited to the entry that made each change:
    # (entry, table, key, row before, row after); rows are {column: value}.
    changed: list[tuple[Entry, str, tuple, dict | None, dict | None]] = field(
        default_factory=list)


def q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


class Merger:
    """Merges colleagues' entries into `conn`'s main database, inside a transaction the caller
    holds. The team's state after the last entry is attached as schema `base`.

    The entries are combined into one changeset first (SQLite's changegroup): its net effect,
    from the team's state this laptop last saw to the state now, so a field a colleague
    changed and changed back is not a conflict. Each row and field is credited to the last
    entry that changed it (who, when)."""

    def __init__(self, conn: apsw.Connection, schema: Schema):
        self.conn = conn
        self.schema = schema
        self.report = MergeReport()
        self.deleted: dict[RowKey, _Deleted] = {}
        self.mine_versions: dict[RowKey, tuple] = {}
        self.lost: dict[RowKey, Entry] = {}  # theirs deleted what we had changed
        self.orphan_rows: dict[RowKey, list[tuple[str, tuple]]] = {}  # ours, under their delete
        self.restore: dict[RowKey, Entry] = {}  # we deleted what they changed
        self.by_row: dict[RowKey, Entry] = {}
        self.last_entry: Entry | None = None
        self.before: dict[RowKey, dict | None] = {}
        self.before_delete: dict[RowKey, tuple] = {}  # the team's last version of a deleted row

    def _as_dict(self, name: str, row) -> dict | None:
        return None if row is None else dict(zip(self.schema[name].columns, row))

    def _note(self, name: str, key: tuple) -> None:
        """Remember the row as it is now, before this merge first writes it."""
        if (name, key) not in self.before:
            self.before[(name, key)] = self._as_dict(name, self._row("main", name, key))

    def _credit(self, entries: list[Entry]) -> None:
        for entry in entries:
            for change in apsw.Changeset.iter(entry.changeset):
                table = self.schema[change.name]
                if change.op == "INSERT":
                    key = table.key_of(change.new)
                    values = change.new
                else:
                    key = table.key_of(change.old)
                    values = change.new if change.op == "UPDATE" else ()
                self.by_row[(change.name, key)] = entry
                if change.op == "DELETE":
                    self.before_delete[(change.name, key)] = tuple(change.old)
                for i, value in enumerate(values):
                    if value is not NO:
                        self.report.touched[(change.name, key, i)] = (value, entry)

    def _entry_for(self, name: str, key: tuple, column: int | None = None) -> Entry:
        if column is not None and (name, key, column) in self.report.touched:
            return self.report.touched[(name, key, column)][1]
        found = self.by_row.get((name, key)) or self.last_entry
        assert found is not None
        return found

    # --- the entries, combined ---------------------------------------------------------------

    def merge(self, entries: list[Entry]) -> None:
        if not entries:
            return
        self.last_entry = entries[-1]
        self._credit(entries)
        builder = apsw.ChangesetBuilder()
        for entry in entries:
            builder.add(entry.changeset)
        changeset = builder.output()
        builder.close()
        for change in apsw.Changeset.iter(changeset):
            table = self.schema[change.name]
            key = table.key_of(change.new if change.op == "INSERT" else change.old)
            self._note(change.name, key)
            if change.op == "DELETE":
                row = tuple(change.old)
                self.deleted[(change.name, key)] = _Deleted(
                    row, self._entry_for(change.name, key),
                    self.before[(change.name, key)] is not None)

        updates, delete_edits, missing, clashes, constraints = [], [], [], [], []

        def handler(reason: int, change: apsw.TableChange) -> int:
            if reason == apsw.SQLITE_CHANGESET_FOREIGN_KEY:
                return apsw.SQLITE_CHANGESET_OMIT  # settled in finish()
            name, op = change.name, change.op
            if reason == apsw.SQLITE_CHANGESET_DATA:
                if op == "UPDATE":
                    updates.append((name, tuple(change.old), tuple(change.new),
                                    tuple(change.conflict)))
                    return apsw.SQLITE_CHANGESET_OMIT
                delete_edits.append((name, tuple(change.old), tuple(change.conflict)))
                return apsw.SQLITE_CHANGESET_REPLACE  # their delete stands
            if reason == apsw.SQLITE_CHANGESET_NOTFOUND:
                if op == "UPDATE":
                    missing.append((name, tuple(change.old), tuple(change.new)))
                return apsw.SQLITE_CHANGESET_OMIT
            if reason == apsw.SQLITE_CHANGESET_CONFLICT:
                clashes.append((name, tuple(change.new), tuple(change.conflict)))
                return apsw.SQLITE_CHANGESET_REPLACE  # their row stands
            constraints.append((name, op, tuple(change.old) if change.old else None,
                                tuple(change.new)))
            return apsw.SQLITE_CHANGESET_OMIT

        apsw.Changeset.apply(changeset, self.conn, conflict=handler, flags=APPLY_FLAGS)

        for name, old, new, cur in updates:
            self._merge_update(self.schema[name], old, new, cur)
        for name, old, cur in delete_edits:
            self._their_delete_of_our_edit(self.schema[name], old, cur)
        for name, old, new in missing:
            table = self.schema[name]
            if any(v is not NO and table.kind(i) == "value" for i, v in enumerate(new)):
                key = table.key_of(old)
                self.restore.setdefault((name, key), self._entry_for(name, key))
        for name, new, cur in clashes:
            self._same_row_added(self.schema[name], new, cur)
        for name, op, old, new in constraints:
            self._unique_clash(self.schema[name], op, old, new)

    def _exists(self, schema: str, name: str, key: tuple) -> bool:
        table = self.schema[name]
        return self.conn.execute(f"SELECT 1 FROM {schema}.{q(name)} WHERE {table.where_key()}",
                                 key).fetchone() is not None

    def _row(self, schema: str, name: str, key: tuple) -> tuple | None:
        table = self.schema[name]
        return self.conn.execute(f"SELECT * FROM {schema}.{q(name)} WHERE {table.where_key()}",
                                 key).fetchone()

    def _stamp(self, table: Table, row: Iterable) -> str | None:
        values = list(row)
        if "updated_at" in table.columns:
            value = values[table.index("updated_at")]
            return None if value is NO else value
        return None

    def _conflict_on(self, table: Table, key: tuple, row: tuple, i: int,
                     base: Any, mine: Any, theirs: Any, theirs_row: Iterable) -> None:
        entry = self._entry_for(table.name, key, i)
        uid = row[table.uid_index] if table.uid_index is not None else None
        self.report.conflicts.append(Conflict(
            "field", table.name, key, uid, entry, table.columns[i], base, mine, theirs,
            mine_at=self._stamp(table, row),
            theirs_at=self._stamp(table, theirs_row) or entry.made_at))

    def _merge_update(self, table: Table, old: tuple, new: tuple, cur: tuple) -> None:
        key = table.key_of(old)
        sets: dict[int, Any] = {}
        for i, theirs in enumerate(new):
            if theirs is NO:
                continue
            base, mine = old[i], cur[i]
            if mine == base:
                sets[i] = theirs
            elif mine == theirs:
                continue
            elif table.kind(i) == "bookkeeping":
                if _later(theirs, mine):
                    sets[i] = theirs
            elif table.kind(i) in ("quiet", "key"):
                sets[i] = theirs
            else:
                sets[i] = theirs
                self._conflict_on(table, key, cur, i, base, mine, theirs, new)
        if sets:
            self._write(table, key, cur, sets)

    def _write(self, table: Table, key: tuple, cur: tuple, sets: dict[int, Any]) -> None:
        self._note(table.name, key)
        assignments = ", ".join(f"{q(table.columns[i])} = ?" for i in sets)
        sql = f"UPDATE main.{q(table.name)} SET {assignments} WHERE {table.where_key()}"
        try:
            self.conn.execute(sql, (*sets.values(), *key))
        except apsw.ConstraintError:
            target = list(cur)
            for i, value in sets.items():
                target[i] = value
            if not self._absorb_clash(table, tuple(target), key):
                raise
            self.conn.execute(sql, (*sets.values(), *key))

    def _their_delete_of_our_edit(self, table: Table, old: tuple, cur: tuple) -> None:
        key = table.key_of(old)
        self.mine_versions[(table.name, key)] = cur
        if any(table.kind(i) == "value" and old[i] != cur[i] for i in range(len(old))):
            self.lost.setdefault((table.name, key), self._entry_for(table.name, key))

    def _same_row_added(self, table: Table, new: tuple, cur: tuple) -> None:
        """Both sides added the row with one primary key (the same uid): theirs replaced
        ours; every value that differed is a conflict."""
        key = table.key_of(new)
        keep_stamp = {}
        for i in range(len(new)):
            if new[i] == cur[i]:
                continue
            kind = table.kind(i)
            if kind == "value":
                self._conflict_on(table, key, cur, i, None, cur[i], new[i], new)
            elif kind == "bookkeeping" and _later(cur[i], new[i]):
                keep_stamp[i] = cur[i]
        if keep_stamp:
            self._write(table, key, new, keep_stamp)

    def _unique_clash(self, table: Table, op: str, old: tuple | None, new: tuple) -> None:
        if op == "INSERT":
            if not self._absorb_clash(table, new, table.key_of(new)):
                entry = self._entry_for(table.name, table.key_of(new))
                raise SyncError(f"A change to {table.name} from entry {entry.seq} could not be "
                                "applied here (a rule of the database refused it).")
            self._insert(table, new)
            return
        assert old is not None
        key = table.key_of(old)
        cur = self._row("main", table.name, key)
        if cur is None:
            return
        self._merge_update(table, old, new, tuple(cur))

    def _absorb_clash(self, table: Table, target: tuple, target_key: tuple) -> bool:
        """Our row that holds the unique key `target` needs is merged into theirs: our
        references move to their row, our row goes, and each value that differed becomes a
        conflict. False when no row of ours clashes."""
        for unique in table.unique:
            if any(target[table.index(c)] is NO for c in unique.columns):
                continue
            # The clashing row holds the same value of every term of the index, as SQLite
            # computes them (the terms may be expressions such as coalesce(priority_id, 0)).
            names = ", ".join(f"? AS {q(c)}" for c in table.columns)
            terms = ", ".join(unique.terms)
            wanted = self.conn.execute(f"SELECT {terms} FROM (SELECT {names})",
                                       [None if v is NO else v for v in target]).fetchone()
            if any(v is None for v in wanted):
                continue  # NULLs never clash
            where = " AND ".join(f"({t}) IS ?" for t in unique.terms)
            ours = self.conn.execute(f"SELECT * FROM main.{q(table.name)} WHERE {where}",
                                     wanted).fetchone()
            columns = unique.columns
            if ours is None or table.key_of(ours) == target_key:
                continue
            ours = tuple(ours)
            our_key = table.key_of(ours)
            self._note(table.name, our_key)
            self._note(table.name, target_key)
            self._move_references(table, our_key, target_key)
            self.conn.execute(f"DELETE FROM main.{q(table.name)} WHERE {table.where_key()}",
                              our_key)
            for i in range(len(target)):
                if (table.kind(i) == "value" and target[i] is not NO and ours[i] != target[i]
                        and table.columns[i] not in columns and i != table.uid_index):
                    self._conflict_on(table, target_key, ours, i, None, ours[i],
                                      target[i], target)
            return True
        return False

    def _move_references(self, table: Table, old_key: tuple, new_key: tuple) -> None:
        for child, fk in self.schema.children_of(table.name):
            parent_index = {c: n for n, c in enumerate(table.pk_columns)}
            try:
                olds = [old_key[parent_index[c]] for c in fk.parent_columns]
                news = [new_key[parent_index[c]] for c in fk.parent_columns]
            except KeyError:
                continue
            sets = ", ".join(f"{q(c)} = ?" for c in fk.columns)
            where = " AND ".join(f"{q(c)} = ?" for c in fk.columns)
            for row in self.conn.execute(f"SELECT * FROM main.{q(child.name)} WHERE {where}",
                                         olds).fetchall():
                self._note(child.name, child.key_of(row))
            self.conn.execute(f"UPDATE OR IGNORE main.{q(child.name)} SET {sets} WHERE {where}",
                              (*news, *olds))

    def _insert(self, table: Table, row: Iterable) -> None:
        values = list(row)
        self._note(table.name, table.key_of(values))
        marks = ", ".join("?" for _ in values)
        self.conn.execute(f"INSERT INTO main.{q(table.name)} VALUES ({marks})", values)

    # --- after the last entry --------------------------------------------------------------

    def finish(self) -> MergeReport:
        for _round in range(100):
            self._settle_orphans()
            if not self.restore:
                break
            self._restore_what_we_deleted()
        left = self.conn.execute("PRAGMA main.foreign_key_check").fetchall()
        if left:
            table, _rowid, parent, _fk = left[0]
            raise SyncError(f"Sync could not settle a row of {table} whose {parent} is missing; "
                            "nothing was changed.")
        self._conflicts_for_their_deletes()
        for (name, key), before in self.before.items():
            after = self._as_dict(name, self._row("main", name, key))
            if before != after:
                self.report.changed.append((self._entry_for(name, key), name, key, before, after))
        return self.report

    def _fk(self, table: str, fk_id: int) -> tuple[list[str], str, list[str], str]:
        rows = [r for r in self.conn.execute(f"PRAGMA main.foreign_key_list({q(table)})")
                if r[0] == fk_id]
        return [r[3] for r in rows], rows[0][2], [r[4] for r in rows], rows[0][6]

    def _settle_orphans(self) -> None:
        orphans = self.conn.execute("PRAGMA main.foreign_key_check").fetchall()
        for name, rowid, parent, fk_id in orphans:
            columns, _parent, _pcols, on_delete = self._fk(name, fk_id)
            if name not in self.schema or parent not in self.schema:
                self._apply_action(name, rowid, columns, on_delete)  # a table of our own
                continue
            table = self.schema[name]
            row = self.conn.execute(f"SELECT * FROM main.{q(name)} WHERE rowid = ?",
                                    (rowid,)).fetchone()
            if row is None:
                continue  # removed while settling an earlier orphan
            row = tuple(row)
            fk = next(f for f in table.foreign_keys if f.id == fk_id)
            parent_key = self.schema.parent_key(fk, row, table)
            if parent_key is not None and self._exists("base", parent, parent_key):
                self.restore.setdefault((parent, parent_key),
                                        self._entry_for(name, table.key_of(row)))
                continue
            if not fk.cascades:
                self._apply_action(name, rowid, columns, on_delete)
                continue
            # Ours, under a row they deleted: it goes with their delete, kept in the conflict.
            rows = self._subtree("main", table, row)
            for sub_name, values in rows:
                self._note(sub_name, self.schema[sub_name].key_of(values))
            anchor = (parent, parent_key) if parent_key is not None else (name, table.key_of(row))
            self.orphan_rows.setdefault(anchor, []).extend(rows)
            self.conn.execute(f"DELETE FROM main.{q(name)} WHERE rowid = ?", (rowid,))

    def _apply_action(self, name: str, rowid: int, columns: list[str], on_delete: str) -> None:
        if name in self.schema:
            row = self.conn.execute(f"SELECT * FROM main.{q(name)} WHERE rowid = ?",
                                    (rowid,)).fetchone()
            if row is not None:
                self._note(name, self.schema[name].key_of(row))
        if on_delete.upper() in ("SET NULL", "SET DEFAULT"):
            sets = ", ".join(f"{q(c)} = NULL" for c in columns)
            self.conn.execute(f"UPDATE main.{q(name)} SET {sets} WHERE rowid = ?", (rowid,))
        else:
            self.conn.execute(f"DELETE FROM main.{q(name)} WHERE rowid = ?", (rowid,))

    def _subtree(self, schema: str, table: Table, row: tuple) -> list[tuple[str, tuple]]:
        """`row` and every row under it through cascading foreign keys, parents first."""
        found: list[tuple[str, tuple]] = []
        seen: set[RowKey] = set()
        todo = [(table, row)]
        while todo:
            current, values = todo.pop(0)
            mark = (current.name, current.key_of(values))
            if mark in seen:
                continue
            seen.add(mark)
            found.append((current.name, values))
            for child, fk in self.schema.children_of(current.name):
                if not fk.cascades:
                    continue
                parent_values = [values[current.index(c)] for c in fk.parent_columns]
                where = " AND ".join(f"{q(c)} = ?" for c in fk.columns)
                for r in self.conn.execute(f"SELECT * FROM {schema}.{q(child.name)} WHERE {where}",
                                           parent_values).fetchall():
                    todo.append((child, tuple(r)))
        return found

    def _restore_what_we_deleted(self) -> None:
        """Rows we deleted that they changed come back as the team has them, with everything
        under them that we deleted with them."""
        todo, self.restore = self.restore, {}
        roots: dict[RowKey, Entry] = {}
        for (name, key), entry in todo.items():
            if self._exists("main", name, key):
                continue
            if not self._exists("base", name, key):
                continue  # they deleted it since
            root = self._climb_missing(name, key)
            roots.setdefault(root, entry)
        for (name, key), entry in roots.items():
            if self._exists("main", name, key):
                continue
            table = self.schema[name]
            row = self._row("base", name, key)
            for child_name, values in self._subtree("base", table, tuple(row)):
                child = self.schema[child_name]
                if not self._exists("main", child_name, child.key_of(values)):
                    self._insert_absorbing(child, values)
            uid = row[table.uid_index] if table.uid_index is not None else None
            self.report.conflicts.append(Conflict(
                "deleted_by_me", name, key, uid, entry, mine="deleted", theirs="changed",
                theirs_at=self._stamp(table, row) or entry.made_at))

    def _insert_absorbing(self, table: Table, row: tuple) -> None:
        try:
            self._insert(table, row)
        except apsw.ConstraintError:
            if not self._absorb_clash(table, row, table.key_of(row)):
                raise
            self._insert(table, row)

    def _climb_missing(self, name: str, key: tuple) -> RowKey:
        """The topmost row above (name, key) that we deleted and the team still has."""
        while True:
            table = self.schema[name]
            row = self._row("base", name, key)
            step = None
            for fk in table.foreign_keys:
                if not fk.cascades or row is None:
                    continue
                parent_key = self.schema.parent_key(fk, row, table)
                if (parent_key is not None and not self._exists("main", fk.parent, parent_key)
                        and self._exists("base", fk.parent, parent_key)):
                    step = (fk.parent, parent_key)
                    break
            if step is None:
                return name, key
            name, key = step

    def _root_of_delete(self, mark: RowKey, memo: dict[RowKey, RowKey]) -> RowKey:
        trail = []
        while mark not in memo:
            trail.append(mark)
            name, _key = mark
            table = self.schema[name]
            row = self.deleted[mark].row
            up = None
            for fk in table.foreign_keys:
                if fk.cascades:
                    parent_key = self.schema.parent_key(fk, row, table)
                    if parent_key is not None and (fk.parent, parent_key) in self.deleted:
                        up = (fk.parent, parent_key)
                        break
            if up is None or up in trail:
                memo[mark] = mark
                break
            mark = up
        root = memo[mark]
        for m in trail:
            memo[m] = root
        return root

    def _ours_on_theirs(self, mark: RowKey, info: _Deleted) -> list:
        """What "keep mine" puts back: the team's last version of the row before the delete,
        with the fields this laptop changed in its place (so colleagues' edits made before
        the delete are not undone by it)."""
        team = self.before_delete.get(mark, info.row)
        mine = self.mine_versions.get(mark)
        if mine is None:
            return list(team)
        return [m if m != b else t for m, b, t in zip(mine, info.row, team)]

    def _conflicts_for_their_deletes(self) -> None:
        """One conflict per row they deleted under which we had changed or added something,
        holding our version of everything their delete took."""
        if not self.lost and not self.orphan_rows:
            return
        memo: dict[RowKey, RowKey] = {}
        groups: dict[RowKey, list[RowKey]] = {}
        for mark in self.deleted:
            groups.setdefault(self._root_of_delete(mark, memo), []).append(mark)
        wanted: dict[RowKey, Entry] = {}
        for mark, entry in self.lost.items():
            wanted.setdefault(self._root_of_delete(mark, memo), entry)
        for anchor in self.orphan_rows:
            root = self._root_of_delete(anchor, memo) if anchor in self.deleted else anchor
            wanted.setdefault(root, self.deleted[anchor].entry if anchor in self.deleted
                              else self.last_entry)
        for root, entry in wanted.items():
            rows: dict[str, list[list]] = {}
            for mark in groups.get(root, []):
                info = self.deleted[mark]
                if info.existed:
                    rows.setdefault(mark[0], []).append(self._ours_on_theirs(mark, info))
            extra = list(self.orphan_rows.get(root, []))
            for mark in groups.get(root, []):
                if mark != root:
                    extra.extend(self.orphan_rows.get(mark, []))
            for name, values in extra:
                rows.setdefault(name, []).append(list(values))
            name, key = root
            table = self.schema[name]
            source = self.mine_versions.get(root) or (self.deleted[root].row if root in self.deleted
                                                     else None)
            uid = source[table.uid_index] if source is not None and table.uid_index is not None \
                else None
            self.report.conflicts.append(Conflict(
                "deleted_by_them", name, key, uid, entry, mine="changed", theirs="deleted",
                mine_rows=rows, mine_at=self._stamp(table, source) if source else None,
                theirs_at=entry.made_at))


def _later(a: Any, b: Any) -> bool:
    """Is stamp `a` later than stamp `b` (ISO 8601 text; None is earliest)?"""
    if a is None or a is NO:
        return False
    if b is None or b is NO:
        return True
    return str(a) > str(b)
