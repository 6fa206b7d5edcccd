"""Data a migration moves that SQL cannot compute, run in the migration's own transaction just
after its SQL (tracker.store.migrations.apply). Steps are keyed by the migration's name
without its number ("rounds" for 006_rounds.sql), so renumbering a migration keeps its step.
Each takes the raw sqlite3 connection and works on the schema as that migration leaves it."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from tracker.store.clock import name_uid, row_id

Step = Callable[[sqlite3.Connection], None]


def rounds_from_returns(conn: sqlite3.Connection) -> None:
    """The rounds migration: a round for each round label the partner returns already name, with the
    latest due date any of its workbooks gave, its first exporter, and each return linked.
    Uids come from the label (tracker.store.rounds.round_uid), as new rounds' do."""
    named = conn.execute(
        "SELECT round, max(due_date), min(coalesce(exported_at, created_at)), max(updated_at) "
        "FROM partner_return GROUP BY round").fetchall()
    for label, due, created, updated in named:
        uid = name_uid("round", label)
        first = conn.execute("SELECT exported_by FROM partner_return WHERE round = ? "
                             "ORDER BY created_at, id LIMIT 1", (label,)).fetchone()
        conn.execute("INSERT INTO round (id, uid, label, due_date, created_at, created_by, "
                     "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                     (row_id(uid), uid, label, due, created, first[0] if first else None, updated))
        conn.execute("UPDATE partner_return SET round_id = ? WHERE round = ?",
                     (row_id(uid), label))


_STEPS: dict[str, tuple[Step, ...]] = {"rounds": (rounds_from_returns,)}


def steps_after(name: str) -> tuple[Step, ...]:
    return _STEPS.get(name, ())
