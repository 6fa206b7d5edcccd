"""Rows written many at once hold exactly what one INSERT a row would have written, and the
full-text index finds them."""

from __future__ import annotations

import math

from test_ops import first_commitment

from tracker.store import bulk, evidence, search
from tracker.store.evidence import EvidenceInput


def test_evidence_added_many_at_once_is_searchable_and_in_order(store):
    c = first_commitment(store)
    texts = [f"Kiosque ouvert à Chelmsford n°{n} – “quoted” {n}" for n in range(1200)]
    written = evidence.add_evidence_many(
        store, [(c.id, EvidenceInput(t, "2024-06-30", "2024/25", None, 1.5 + n))
                for n, t in enumerate(texts)])
    rows = store.execute("SELECT id, uid, text, figure, position FROM evidence WHERE id IN "
                         "(SELECT value FROM json_each(?)) ORDER BY position",
                         (str([w.id for w in written]),)).fetchall()
    assert [(r[0], r[1]) for r in rows] == [(w.id, w.uid) for w in written]
    assert [r[2] for r in rows] == texts and [r[3] for r in rows] == [1.5 + n for n in range(1200)]
    assert [r[4] for r in rows] == sorted(r[4] for r in rows)
    hits = search.search(store, "Kiosque", limit=2000)
    assert len([h for h in hits if h.commitment_id == c.id]) >= 1


def test_values_json_cannot_hold_are_written_one_at_a_time(empty_store):
    store = empty_store
    store.execute("CREATE TABLE t (a INTEGER, b REAL, c TEXT)")
    rows = [(2**62 + 1, math.inf, "x"), (-(2**63), 0.1, None), (7, None, "1e3")]
    with store.transaction():
        bulk.insert_rows(store, "t", ("a", "b", "c"), rows)
        bulk.insert_rows(store, "t", ("a", "b", "c"), rows[1:])
    got = store.execute("SELECT a, b, c, typeof(c) FROM t ORDER BY rowid").fetchall()
    assert got == [(2**62 + 1, math.inf, "x", "text"), (-(2**63), 0.1, None, "null"),
                   (7, None, "1e3", "text"), (-(2**63), 0.1, None, "null"),
                   (7, None, "1e3", "text")]


def test_rows_changed_many_at_once_and_a_row_named_twice_ends_as_its_last_change(empty_store):
    store = empty_store
    store.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT, b REAL)")
    store.conn.executemany("INSERT INTO t VALUES (?, ?, ?)", [(n, "x", 0.0) for n in range(1, 5)])
    with store.transaction():
        bulk.update_rows(store, "t", ("a", "b"), "id", [("one", 1.5, 1), ("two", None, 2)])
        bulk.update_rows(store, "t", ("a",), "id", [("three", 3), ("again", 3), ("last", 3)])
    assert store.execute("SELECT id, a, b FROM t ORDER BY id").fetchall() == [
        (1, "one", 1.5), (2, "two", None), (3, "last", 0.0), (4, "x", 0.0)]


def test_rows_left_out_are_not_written_and_the_others_are_recorded_as_the_whole_would(
        empty_store):
    """A statement writes its rows in an order of its own: leaving rows out does not change
    the order the others are written (and recorded) in."""
    store = empty_store
    store.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT)")
    store.execute("CREATE TABLE seen (seq INTEGER PRIMARY KEY, id INTEGER)")
    store.execute("CREATE TRIGGER t_seen AFTER UPDATE ON t BEGIN "
                  "INSERT INTO seen (id) VALUES (NEW.id); END")
    store.conn.executemany("INSERT INTO t VALUES (?, 'x')", [(n,) for n in range(1, 2501)])
    keys = [(n * 7919) % 2500 + 1 for n in range(2500)]
    rows = [("y", k) for k in keys]

    def written(leave_out=()):
        store.execute("DELETE FROM seen")
        with store.transaction():
            bulk.update_rows(store, "t", ("a",), "id", rows, leave_out=leave_out)
        return [r[0] for r in store.execute("SELECT id FROM seen ORDER BY seq")]

    whole = written()
    left_out = set(keys[::3])
    assert len(whole) == 2500 and whole != keys  # not in the order given
    assert written(left_out) == [k for k in whole if k not in left_out]


def test_an_object_is_written_as_its_json_text(empty_store):
    import json

    store = empty_store
    store.execute("CREATE TABLE t (a TEXT, b TEXT)")
    with store.transaction():
        bulk.insert_rows(store, "t", ("a", "b"), [({"status": "on_track", "n": 1.5}, None),
                                                  ({"note": "café “x”"}, "plain")])
        bulk.insert_rows(store, "t", ("a", "b"), [({"v": 1}, math.inf)])  # one at a time
    got = store.execute("SELECT a, b FROM t ORDER BY rowid").fetchall()
    assert [json.loads(a) for a, _b in got] == [{"status": "on_track", "n": 1.5},
                                                {"note": "café “x”"}, {"v": 1}]
    assert [b for _a, b in got] == [None, "plain", "Inf"]  # as SQLite writes a REAL as text


def test_text_sqlites_json_would_cut_or_break_is_written_as_one_insert_a_row_writes_it(
        empty_store):
    """SQLite's JSON reader ends a string at an escaped NUL, and turns an escaped half of a
    surrogate pair into bytes that are not UTF-8 (a row no query can read back): such text is
    bound as it is, as one statement a row would bind it."""
    import pytest

    store = empty_store
    store.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT)")
    with store.transaction():
        bulk.insert_rows(store, "t", ("id", "a"), [(1, "before\x00after"), (2, "plain")])
        bulk.insert_rows(store, "t", ("id", "a"), [(3, "x")])
        bulk.update_rows(store, "t", ("a",), "id", [("changed\x00too", 3), ("b", 2)])
    assert store.execute("SELECT id, a FROM t ORDER BY id").fetchall() == [
        (1, "before\x00after"), (2, "b"), (3, "changed\x00too")]
    with pytest.raises(UnicodeEncodeError), store.transaction():
        bulk.insert_rows(store, "t", ("id", "a"), [(4, "ok"), (5, "half \ud800 a pair")])
    with pytest.raises(UnicodeEncodeError), store.transaction():
        bulk.update_rows(store, "t", ("a",), "id", [("ok", 1), ("half \udc00", 2)])
    assert store.execute("SELECT id, a FROM t ORDER BY id").fetchall() == [
        (1, "before\x00after"), (2, "b"), (3, "changed\x00too")]
