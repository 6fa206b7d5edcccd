"""Which tables the team shares, and what sync needs to know about each one.

Every table of the schema is shared except this laptop's own: its settings, its sync
bookkeeping, its activity log, and the full-text indexes, which are derived from the shared
tables and kept by triggers on every laptop. A shared table must have a PRIMARY KEY (the
session extension ignores a table without one) and must not have triggers that write to
shared tables (each laptop would apply a colleague's change and then change it again).

Columns are of three kinds for merging: `updated_at` is bookkeeping (two laptops touching one
row keep the later stamp, never a conflict); `position` (the order of siblings, renumbered
whenever a sibling is added or removed anywhere), `created_at`, `created_by` and `updated_by`
are quiet (the team's value stands, never a conflict: two laptops making the same round, say);
every other column is a value (two laptops changing it differently is a conflict).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

LOCAL_TABLES = frozenset({"activity"})
# Tables shared only in part: (column, the values whose rows are shared). The settings the whole
# team needs are shared (the office's name, and the identity and seal key partner workbooks
# carry, so a workbook sent from one laptop can be read back on another); any other setting
# stays on its laptop.
SHARED_ROWS = {"app_setting": ("name", frozenset({"database.uid", "exchange.secret",
                                                  "report.office"}))}
LOCAL_PREFIXES = ("sync_", "sqlite_")
BOOKKEEPING_COLUMNS = frozenset({"updated_at"})
QUIET_COLUMNS = frozenset({"position", "created_at", "created_by", "updated_by"})


@dataclass(frozen=True)
class ForeignKey:
    id: int  # as PRAGMA foreign_key_list and foreign_key_check number it
    parent: str
    columns: tuple[str, ...]  # in the child
    parent_columns: tuple[str, ...]
    on_delete: str  # CASCADE, SET NULL, NO ACTION ...

    @property
    def cascades(self) -> bool:
        return self.on_delete.upper() == "CASCADE"


@dataclass(frozen=True)
class UniqueKey:
    """A unique index other than the primary key: its terms as SQL (a quoted column, or an
    expression such as coalesce(priority_id, 0)) and the columns they read."""

    terms: tuple[str, ...]
    columns: tuple[str, ...]

    @property
    def plain(self) -> bool:
        """Every term is a column of its own (no expression)."""
        return len(self.terms) == len(self.columns) and all(
            t == quote(c) for t, c in zip(self.terms, self.columns))


def quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


@dataclass
class Table:
    name: str
    columns: list[str]
    pk: list[int]  # column positions of the primary key, in key order
    foreign_keys: list[ForeignKey] = field(default_factory=list)
    unique: list[UniqueKey] = field(default_factory=list)  # unique indexes but the key

    def index(self, column: str) -> int:
        return self.columns.index(column)

    @property
    def pk_columns(self) -> list[str]:
        return [self.columns[i] for i in self.pk]

    @property
    def uid_index(self) -> int | None:
        return self.columns.index("uid") if "uid" in self.columns else None

    def kind(self, position: int) -> str:
        name = self.columns[position]
        if position in self.pk:
            return "key"
        if name in BOOKKEEPING_COLUMNS:
            return "bookkeeping"
        if name in QUIET_COLUMNS:
            return "quiet"
        return "value"

    def key_of(self, row: tuple | list) -> tuple:
        return tuple(row[i] for i in self.pk)

    def where_key(self) -> str:
        return " AND ".join(f'"{self.columns[i]}" = ?' for i in self.pk)


@dataclass
class Schema:
    tables: dict[str, Table]  # shared tables, parents before children

    def __getitem__(self, name: str) -> Table:
        return self.tables[name]

    def __contains__(self, name: str) -> bool:
        return name in self.tables

    @property
    def names(self) -> list[str]:
        return list(self.tables)

    def shapes(self, names: list[str] | None = None) -> dict[str, list[str]]:
        return {n: list(self.tables[n].columns) for n in (names or self.names)}

    def children_of(self, parent: str) -> list[tuple[Table, ForeignKey]]:
        return [(t, fk) for t in self.tables.values() for fk in t.foreign_keys
                if fk.parent == parent]

    def parent_key(self, fk: ForeignKey, row: tuple | list, child: Table) -> tuple | None:
        """The primary key of the row `row` (of `child`) refers to through `fk`, in the
        parent's key order; None when the reference is empty."""
        values = {pc: row[child.index(c)] for c, pc in zip(fk.columns, fk.parent_columns)}
        if any(v is None for v in values.values()):
            return None
        parent = self.tables[fk.parent]
        if set(values) != set(parent.pk_columns):
            return None  # refers to a unique key other than the primary key
        return tuple(values[c] for c in parent.pk_columns)


def is_shared(name: str) -> bool:
    return name not in LOCAL_TABLES and not name.startswith(LOCAL_PREFIXES)


def row_is_shared(table: Table, row: tuple | list) -> bool:
    """Whether a row of `table` goes to the team (every row does, but in SHARED_ROWS)."""
    if table.name not in SHARED_ROWS:
        return True
    column, values = SHARED_ROWS[table.name]
    return row[table.index(column)] in values


def shared_where(table: Table) -> str:
    """An SQL condition selecting the rows of `table` the team shares ('1' for all)."""
    if table.name not in SHARED_ROWS:
        return "1"
    column, values = SHARED_ROWS[table.name]
    return f"{quote(column)} IN ({', '.join(quote_value(v) for v in sorted(values))})"


def quote_value(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def read_schema(conn: Any, schema: str = "main") -> Schema:
    """The shared tables of the database on `conn` (an apsw or sqlite3 connection)."""
    found: dict[str, Table] = {}
    for row in conn.execute(f"PRAGMA {schema}.table_list").fetchall():
        name, kind = row[1], row[2]
        if kind != "table" or not is_shared(name):
            continue
        columns, pk = [], []
        info = conn.execute(f'PRAGMA {schema}.table_info("{name}")').fetchall()
        for cid, column, _type, _notnull, _default, pk_order in info:
            columns.append(column)
            if pk_order:
                pk.append((pk_order, cid))
        table = Table(name, columns, [cid for _, cid in sorted(pk)])
        fks: dict[int, list] = {}
        for fk in conn.execute(f'PRAGMA {schema}.foreign_key_list("{name}")').fetchall():
            fk_id, _seq, parent, child_col, parent_col, _on_update, on_delete = fk[:7]
            fks.setdefault(fk_id, [parent, [], [], on_delete])
            fks[fk_id][1].append(child_col)
            fks[fk_id][2].append(parent_col)
        table.foreign_keys = [ForeignKey(i, p, tuple(c), tuple(pc), d)
                              for i, (p, c, pc, d) in sorted(fks.items())]
        for index in conn.execute(f'PRAGMA {schema}.index_list("{name}")').fetchall():
            _seq, index_name, unique, origin = index[:4]
            if unique and origin != "pk":
                table.unique.append(_unique_key(conn, schema, index_name, columns))
        found[name] = table
    for table in found.values():  # REFERENCES parent (no column) means its primary key
        table.foreign_keys = [
            fk if all(fk.parent_columns) or fk.parent not in found else ForeignKey(
                fk.id, fk.parent, fk.columns, tuple(found[fk.parent].pk_columns), fk.on_delete)
            for fk in table.foreign_keys]
    return Schema(_parents_first(found))


def _parents_first(tables: dict[str, Table]) -> dict[str, Table]:
    ordered: dict[str, Table] = {}

    def visit(name: str, trail: tuple[str, ...]) -> None:
        if name in ordered or name not in tables or name in trail:
            return
        for fk in tables[name].foreign_keys:
            visit(fk.parent, (*trail, name))
        ordered[name] = tables[name]

    for name in sorted(tables):
        visit(name, ())
    return ordered


def _unique_key(conn: Any, schema: str, index_name: str, columns: list[str]) -> UniqueKey:
    names = [r[2] for r in conn.execute(f'PRAGMA {schema}.index_info("{index_name}")').fetchall()]
    if all(names):
        return UniqueKey(tuple(quote(n) for n in names), tuple(names))
    # An index on expressions: its terms are read from its CREATE INDEX statement.
    row = conn.execute(f"SELECT sql FROM {schema}.sqlite_master WHERE type = 'index' AND name = ?",
                       (index_name,)).fetchone()
    sql = row[0] if row else ""
    body = sql[sql.index("(") + 1:sql.rindex(")")] if "(" in sql else ""
    terms, depth, current = [], 0, ""
    for ch in body:
        if ch == "," and depth == 0:
            terms.append(current.strip())
            current = ""
            continue
        depth += ch == "("
        depth -= ch == ")"
        current += ch
    if current.strip():
        terms.append(current.strip())
    used = tuple(c for c in columns if re.search(rf"\b{re.escape(c)}\b", body))
    return UniqueKey(tuple(terms), used)
