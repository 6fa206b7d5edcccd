"""Laptops for team-sync tests: each a database file of its own, edited through the store and
synced through the engine, never both at once (two copies of SQLite must not have one file
open in one process: the store uses Python's sqlite3, sync uses apsw)."""

from __future__ import annotations

import contextlib
import shutil
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from tracker.ops.team import sync_now
from tracker.store.database import Store, open_store
from tracker.sync import engine
from tracker.sync.schema import read_schema, shared_where

SAMPLE_TEMPLATE: dict[str, Path] = {}


@dataclass
class Laptop:
    name: str
    path: Path

    @contextlib.contextmanager
    def store(self) -> Iterator[Store]:
        s = open_store(self.path, officer=self.name)
        try:
            yield s
        finally:
            s.close()

    def sync(self, **kwargs) -> engine.SyncResult:
        """As `tracker sync` does it: through the operation, which logs what came in."""
        with self.store() as s:
            return sync_now(s, **kwargs)

    def query(self, sql: str, params: tuple = ()) -> list[tuple]:
        conn = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True)
        try:
            return conn.execute(sql, params).fetchall()
        finally:
            conn.close()

    def one(self, sql: str, params: tuple = ()):
        rows = self.query(sql, params)
        return rows[0][0] if rows else None


def sample_copy(template: Path, target: Path) -> Path:
    shutil.copyfile(template, target)
    return target


def create_team(template: Path, folder: Path, location: str, names: list[str]) -> list[Laptop]:
    """The first laptop's database (a copy of the sample) made the team's plan; the others
    joined from the log."""
    first = Laptop(names[0], sample_copy(template, folder / f"{names[0].lower()}.db"))
    key = engine.create_team(first.path, location, first.name)
    laptops = [first]
    for name in names[1:]:
        path = folder / f"{name.lower()}.db"
        engine.join_team(path, location, key, name)
        laptops.append(Laptop(name, path))
    laptops[0].key = key  # type: ignore[attr-defined]
    return laptops


def content(path: Path) -> dict[str, list[tuple]]:
    """Every shared table's rows, in key order: what must be the same on every laptop."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        schema = read_schema(conn)
        found = {}
        for name in schema.names:
            table = schema[name]
            order = ", ".join(f'"{c}"' for c in table.pk_columns)
            found[name] = conn.execute(f'SELECT * FROM "{name}" WHERE {shared_where(table)} '
                                       f'ORDER BY {order}').fetchall()
        return found
    finally:
        conn.close()


def checks(path: Path) -> tuple[str, list]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return (conn.execute("PRAGMA integrity_check").fetchone()[0],
                conn.execute("PRAGMA foreign_key_check").fetchall())
    finally:
        conn.close()


def open_plan_commitments(laptop: Laptop) -> list[int]:
    return [r[0] for r in laptop.query(
        "SELECT c.id FROM commitment c JOIN priority p ON p.id = c.priority_id "
        "JOIN plan ON plan.id = p.plan_id WHERE plan.state != 'closed' ORDER BY c.id")]
