"""Every row of the plan as plain tables keyed by uid, and loading such tables into an empty
database in one transaction (the whole-plan workbook's data layer).

Foreign keys travel as the uid of the row they point at, so the tables mean the same thing in
any database. Partner returns are not carried over: their workbooks belong to the database
that sent them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from tracker.domain.numbers import parse_number
from tracker.domain.periods import PeriodError, normalise_span, parse_period
from tracker.domain.text import first_unsafe, safe_link
from tracker.store.clock import row_id as id_of_uid
from tracker.store.database import Store
from tracker.store.errors import ValidationError


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[str, ...]  # "x_id" columns point at `references[x_id]` and travel as x_uid
    references: dict[str, str]
    deferred: tuple[str, ...] = ()  # references written after every row is in (self, cycles)

    def headings(self) -> list[str]:
        return [c[:-3] + "_uid" if c in self.references else c for c in self.columns]

    def heading(self, column: str) -> str:
        """The sheet heading of a column (the row id travels as its uid)."""
        if column == "id":
            return "uid"
        return column[:-3] + "_uid" if column in self.references else column


TABLES: tuple[Table, ...] = (
    Table("partner", ("uid", "key", "name", "created_at", "updated_at"), {}),
    Table("plan", ("uid", "key", "title", "period", "state", "source", "created_from_plan_id",
                   "created_at", "updated_at"),
          {"created_from_plan_id": "plan"}, deferred=("created_from_plan_id",)),
    Table("priority", ("uid", "plan_id", "number", "title", "objective", "partnership", "outcome",
                       "source", "created_at", "updated_at"),
          {"plan_id": "plan"}),
    Table("priority_link", ("from_priority_id", "to_priority_id", "note"),
          {"from_priority_id": "priority", "to_priority_id": "priority"}),
    Table("commitment", ("uid", "priority_id", "parent_id", "position", "code", "text", "status",
                         "lead", "due_date", "carried_forward_from_id", "source", "created_at",
                         "updated_at"),
          {"priority_id": "priority", "parent_id": "commitment",
           "carried_forward_from_id": "commitment"},
          deferred=("parent_id", "carried_forward_from_id")),
    Table("commitment_partner", ("commitment_id", "partner_id"),
          {"commitment_id": "commitment", "partner_id": "partner"}),
    Table("evidence", ("uid", "commitment_id", "position", "text", "evidence_date", "period",
                       "partner_id", "figure", "unit", "link", "visibility", "author",
                       "created_at", "updated_at"),
          {"commitment_id": "commitment", "partner_id": "partner"}),
    Table("status_change", ("uid", "commitment_id", "changed_at", "changed_by", "from_status",
                            "to_status", "reason", "period"),
          {"commitment_id": "commitment"}),
    Table("indicator", ("uid", "priority_id", "key", "number", "name", "unit", "polarity",
                        "frequency", "baseline_period", "target_value", "target_period", "source",
                        "created_at", "updated_at", "steady_band"),
          {"priority_id": "priority"}),
    Table("indicator_partner", ("indicator_id", "partner_id"),
          {"indicator_id": "indicator", "partner_id": "partner"}),
    Table("indicator_value", ("uid", "indicator_id", "period", "period_start", "series", "value",
                              "state", "note", "source", "quote", "created_at", "updated_at",
                              "qualifier"),
          {"indicator_id": "indicator"}),
    Table("stated_change", ("uid", "indicator_id", "position", "way", "percent", "qualifier",
                            "from_period", "to_period", "from_value", "to_value", "period_words",
                            "note", "source", "quote", "created_at", "updated_at"),
          {"indicator_id": "indicator"}),
    Table("narrative", ("uid", "plan_id", "section", "priority_id", "indicator_id", "period",
                        "period_start", "body", "author", "created_at", "updated_at"),
          {"plan_id": "plan", "priority_id": "priority", "indicator_id": "indicator"}),
)


def _number(value: Any) -> float | None:
    if isinstance(value, str | bool | date | time | timedelta):
        raise ValueError("is not a number")  # a number cell, not text, as export writes it
    try:
        return parse_number(value)
    except ValueError:
        raise ValueError("is not a number") from None


def _whole(value: Any) -> int | None:
    number = _number(value)
    if number is not None and not number.is_integer():
        raise ValueError("is not a whole number")
    return None if number is None else int(number)


def _span(value: Any) -> str | None:
    try:
        return normalise_span(str(value)) if value not in (None, "") else None
    except PeriodError:
        raise ValueError("is not a period") from None


def _status(value: Any) -> str | None:
    from tracker.domain.status import Status

    try:
        return Status(value).value if value not in (None, "") else None
    except ValueError:
        raise ValueError("is not a status") from None


def _period(value: Any) -> str | None:
    try:
        return parse_period(str(value)).label if value not in (None, "") else None
    except PeriodError:
        raise ValueError("is not a period") from None


def _day(value: Any) -> str | None:
    from datetime import date, datetime

    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    try:
        return date.fromisoformat(str(value).strip()).isoformat()
    except ValueError:
        raise ValueError("is not a date (YYYY-MM-DD)") from None


def _qualifier(value: Any) -> str | None:
    from tracker.domain.wording import QUALIFIERS, check_qualifier

    try:
        return check_qualifier(value)
    except ValueError:
        raise ValueError(f"is not one of {', '.join(QUALIFIERS)}") from None


def _narrative_body(value: Any) -> str:
    from tracker.domain.narrative import NarrativeFormatError, blocks_from_json, check_blocks

    try:
        check_blocks(blocks_from_json(str(value or "")))
    except NarrativeFormatError as exc:
        raise ValueError(f"is not narrative the tracker can read ({exc})") from None
    return str(value)


# Columns SQLite would store whatever they are given (a REAL column keeps "12,5" as text):
# checked and made canonical before they are written, as the store's own edits do.
_CHECKS: dict[tuple[str, str], Any] = {
    ("priority", "number"): _whole,
    ("commitment", "position"): _whole,
    ("evidence", "position"): _whole,
    ("evidence", "figure"): _number,
    ("evidence", "period"): _span,
    ("indicator", "number"): _whole,
    ("indicator", "target_value"): _number,
    ("indicator", "steady_band"): _number,
    ("indicator_value", "qualifier"): _qualifier,
    ("stated_change", "position"): _whole,
    ("stated_change", "percent"): _number,
    ("stated_change", "from_value"): _number,
    ("stated_change", "to_value"): _number,
    ("stated_change", "from_period"): _period,
    ("stated_change", "to_period"): _period,
    ("stated_change", "qualifier"): _qualifier,
    ("status_change", "period"): _period,
    ("narrative", "body"): _narrative_body,
    ("indicator_value", "value"): _number,
    ("status_change", "from_status"): _status,
    ("status_change", "to_status"): _status,
    ("indicator", "baseline_period"): _period,
    ("indicator", "target_period"): _period,
    ("commitment", "due_date"): _day,
    ("evidence", "evidence_date"): _day,
}


class _Says(ValueError):
    """A check's whole account of the row ("has ... under {column} ...")."""


def _text(value: Any) -> Any:
    """Text columns hold text (a number typed into one is kept as its digits, as SQLite would)."""
    if isinstance(value, bool | datetime | date | time | timedelta):
        kind = "a true/false value" if isinstance(value, bool) else "a date or time"
        raise _Says(f"has {kind} under {{column}}, where text is expected")
    if isinstance(value, str):
        found = first_unsafe(value)
        if found is not None:
            at, char = found
            raise _Says(f"has {char} at character {at:,} under {{column}}, which cannot be "
                        "shown or printed; delete it")
    return value


def _link(value: Any) -> Any:
    value = _text(value)
    if value in (None, "") or safe_link(str(value)) is not None:
        return value
    raise ValueError("is not a web or e-mail address (links must start with https://, http:// "
                     "or mailto:)")


def _checked(table: Table, index: int, row: list[Any]) -> list[Any]:
    values = list(row)
    for n, column in enumerate(table.columns):
        check = _CHECKS.get((table.name, column))
        if check is None and column not in table.references:
            check = _link if (table.name, column) == ("evidence", "link") else _text
        if check is None:
            continue
        try:
            values[n] = check(values[n])
        except _Says as exc:
            raise RowError(str(exc).format(column=table.heading(column)), table.name, index,
                           table.heading(column)) from exc
        except ValueError as exc:
            raise RowError(f"has {_shown(values[n])} under {table.heading(column)}, which {exc}",
                           table.name, index, table.heading(column)) from exc
    if table.name in ("indicator_value", "narrative"):
        at, start_at = table.columns.index("period"), table.columns.index("period_start")
        try:
            period = parse_period(str(values[at] or ""))
        except PeriodError as exc:
            raise RowError(f"has '{values[at]}' under period, which is not a period",
                           table.name, index, "period") from exc
        values[at], values[start_at] = period.label, period.start.isoformat()
    return values


def _shown(value: Any) -> str:
    text = " ".join(str(value).split())
    text = "".join(c if first_unsafe(c) is None else "?" for c in text)
    return f"'{text}'" if len(text) <= 60 else f"'{text[:59]}…'"


_CONSTRAINT = re.compile(r"^(NOT NULL|UNIQUE|CHECK|FOREIGN KEY) constraint failed(?:: (.*))?$", re.S)


def _broken_rule(table: Table, exc: Exception, row: list[Any]) -> tuple[str, str | None]:
    """What SQLite's refusal of a row means, in words, and the heading of the column at fault."""
    found = _CONSTRAINT.match(str(exc).strip())
    if found is None:
        return f"cannot be loaded: the database refused it ({exc})", None
    kind, detail = found.group(1), found.group(2) or ""
    columns = [c.strip().rpartition(".")[2] for c in detail.split(",") if c.strip()]
    if kind == "NOT NULL" and columns:
        heading = table.heading(columns[0])
        return f"has no {heading}, which every row of this sheet needs", heading
    if kind == "UNIQUE" and columns:
        names = " and ".join(table.heading(c) for c in columns)
        return f"has the same {names} as an earlier row of the sheet", table.heading(columns[0])
    if kind == "CHECK":
        column = next((c for c in table.columns if re.search(rf"\b{re.escape(c)}\b", detail)),
                      None)
        if column is None:
            return f"has a value the database does not allow ({detail or 'a CHECK rule'})", None
        heading = table.heading(column)
        value = row[table.columns.index(column)]
        choices = re.search(r"\bIN\s*\(([^)]*)\)", detail)
        if choices:
            allowed = ", ".join(v.strip().strip("'") for v in choices.group(1).split(","))
            return f"has {_shown(value)} under {heading}, which must be one of: {allowed}", heading
        if value is None or not str(value).strip():
            return f"has a blank {heading}, which every row of this sheet needs", heading
        return f"has {_shown(value)} under {heading}, which the database does not allow", heading
    return "points at a row that is not in the workbook", None


def dump_tables(store: Store) -> dict[str, list[list[Any]]]:
    """Every table as rows of values in `Table.headings()` order, references as uids."""
    result = {}
    for table in TABLES:
        select = []
        for column in table.columns:
            target = table.references.get(column)
            if target:
                select.append(f"(SELECT x.uid FROM {target} x WHERE x.id = t.{column})")
            else:
                select.append(f"t.{column}")
        # Row order is insertion order (rowid): a loaded copy inserts in this order, so its own
        # dump comes out in the same order and the round trip gives the same workbook.
        sql = f"SELECT {', '.join(select)} FROM {table.name} t ORDER BY t.rowid"
        result[table.name] = [list(r) for r in store.execute(sql).fetchall()]
    return result


def is_empty(store: Store) -> bool:
    return all(store.execute(f"SELECT count(*) FROM {t}").fetchone()[0] == 0
               for t in ("partner", "plan", "priority", "commitment", "indicator"))


class RowError(ValidationError):
    """A row that cannot be loaded; `table` and `index` (0-based data row) say which."""

    def __init__(self, message: str, table: str, index: int, column: str | None = None):
        super().__init__(message, column)
        self.table, self.index, self.column = table, index, column


def load_tables(store: Store, data: dict[str, list[list[Any]]]) -> dict[str, int]:
    """Load dumped tables into an empty database: all of it, or nothing (RowError says where)."""
    import sqlite3

    if not is_empty(store):
        raise ValidationError("This database already holds a plan; a whole-plan workbook is "
                              "loaded only into an empty database.")
    counts = {}
    with store.transaction():
        ids: dict[str, dict[str, int]] = {t.name: {} for t in TABLES}
        later: list[tuple[Table, int, str, str, int]] = []
        for table in TABLES:
            rows = data.get(table.name, [])
            heads = table.headings()
            keyed = "uid" in table.columns  # its id comes from its uid (see store.clock)
            names = ("id", *table.columns) if keyed else table.columns
            insert = (f"INSERT INTO {table.name} ({', '.join(names)}) "
                      f"VALUES ({', '.join('?' for _ in names)})")
            for index, row in enumerate(rows):
                if len(row) != len(heads):
                    raise RowError(f"has {len(row)} values where {len(heads)} are expected",
                                   table.name, index)
                row = _checked(table, index, row)
                values = []
                for column, value in zip(table.columns, row):
                    target = table.references.get(column)
                    if target and value not in (None, ""):
                        if column in table.deferred:
                            values.append(None)
                            continue
                        found = ids[target].get(str(value))
                        if found is None:
                            raise RowError(f"points at a {target} ({value}) that is not in the "
                                           "workbook", table.name, index, column[:-3] + "_uid")
                        values.append(found)
                    else:
                        values.append(None if value == "" else value)
                try:
                    if keyed:
                        if row[0] in (None, ""):
                            raise RowError("has no uid, which every row of this sheet needs",
                                           table.name, index, "uid")
                        try:
                            values.insert(0, id_of_uid(str(row[0])))
                        except ValueError as exc:
                            raise RowError(f"has {_shown(row[0])} where a uid is expected",
                                           table.name, index, "uid") from exc
                    new_id = store.execute(insert, tuple(values)).lastrowid
                except sqlite3.IntegrityError as exc:
                    message, heading = _broken_rule(table, exc, row)
                    raise RowError(message, table.name, index, heading) from exc
                except (sqlite3.InterfaceError, sqlite3.ProgrammingError) as exc:
                    raise RowError(f"holds a value the database cannot store ({exc})",
                                   table.name, index) from exc
                if "uid" in table.columns:
                    ids[table.name][str(row[0])] = new_id
                for column in table.deferred:
                    value = row[table.columns.index(column)]
                    if value not in (None, ""):
                        later.append((table, index, column, str(value), new_id))
            counts[table.name] = len(rows)
        for table, index, column, uid, row_id in later:
            target = ids[table.references[column]].get(uid)
            if target is None:
                raise RowError(f"points at a {table.references[column]} ({uid}) that is not in "
                               "the workbook", table.name, index, column[:-3] + "_uid")
            store.execute(f"UPDATE {table.name} SET {column} = ? WHERE id = ?", (target, row_id))
    return counts
