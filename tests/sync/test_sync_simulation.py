"""Proof by simulation: laptops of one team editing offline at random, with skewed and
backwards clocks, some offline each round, one killed in the middle of a sync now and then,
one coming back after hundreds of the others' changes; on both homes of the log.

After every sync the oracle (oracle.py, plain dicts) says what the laptop must hold and which
conflicts it must list: the three-way merge of the state it last synced, its own and the
team's. After a last round with everyone online and every conflict resolved: every laptop
holds the same content, no edit was lost, and integrity and foreign-key checks pass.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

import oracle
import pytest
from sync_helpers import Laptop, checks, create_team

from tracker import ops
from tracker.errors import TrackerError
from tracker.store import clock
from tracker.store import evidence as evidence_store
from tracker.store.evidence import EvidenceInput
from tracker.store.indicators import ValueInput
from tracker.sync import conflicts as conflict_store
from tracker.sync import engine, membership
from tracker.sync.errors import LogUnreachableError
from tracker.sync.logs import open_log
from tracker.sync.schema import read_schema

STATUSES = ["not_started", "on_track", "at_risk", "off_track", "complete"]
PERIODS = ["2021/22", "2022/23", "2023/24"]
EARLIEST = datetime.min.replace(tzinfo=clock.UTC)


class Killed(Exception):
    pass


class Offline:
    """The team's log as a laptop without a network sees it."""

    location = "offline"

    def __getattr__(self, _name):
        def unreachable(*_args, **_kwargs):
            raise LogUnreachableError("The team folder cannot be reached (offline).")
        return unreachable


@dataclass
class Clock:
    """A laptop's own clock: off by hours or days, and now and then set back."""

    offset: timedelta
    last: datetime = EARLIEST


class SkewedTime:
    def __init__(self, monkeypatch):
        self.monkeypatch = monkeypatch
        self.current: Clock | None = None
        real = datetime
        owner = self

        class Skewed(datetime):
            @classmethod
            def now(cls, tz=None):
                moment = real.now(tz)
                return moment + owner.current.offset if owner.current else moment

        monkeypatch.setattr(clock, "datetime", Skewed)

    def use(self, laptop_clock: Clock):
        if self.current is not None:
            self.current.last = clock._last
        self.current = laptop_clock
        clock._last = laptop_clock.last


class Simulation:
    def __init__(self, laptops: list[Laptop], location: str, rng: random.Random, time: SkewedTime):
        self.laptops = laptops
        self.location = location
        self.rng = rng
        self.time = time
        self.clocks = {lap.name: Clock(timedelta(hours=rng.randint(-72, 72))) for lap in laptops}
        self.schema = read_schema_of(laptops[0])
        self.journal = oracle.Journal()
        self.shared: dict[int, oracle.Snapshot] = {1: oracle.snapshot(laptops[0].path, self.schema)}
        self.pusher: dict[int, str] = {1: laptops[0].name}
        self.head = 1
        self.listed_numbers = {lap.name: 0 for lap in laptops}
        with laptops[0].store() as s:
            rows = s.execute(
                "SELECT c.id FROM commitment c JOIN priority p ON p.id = c.priority_id "
                "JOIN plan ON plan.id = p.plan_id WHERE plan.state != 'closed' AND "
                "c.parent_id IS NULL ORDER BY plan.period, p.number, c.position LIMIT 10"
            ).fetchall()
            self.hot = [r[0] for r in rows]
            self.indicators = [r[0] for r in s.execute(
                "SELECT id FROM indicator WHERE unit = 'count' ORDER BY number, name LIMIT 3")]
        self.pulled_by: dict[str, int] = {}
        self.kills = 0
        self.returned = None
        self.backwards = 0

    # --- identities the journal uses -----------------------------------------------------

    def idents(self, state: oracle.Snapshot) -> dict[tuple, dict]:
        found: dict[tuple, dict] = {}
        indicator_uid = {k[0]: r["uid"] for k, r in state["indicator"].items()}
        commitment_uid = {k[0]: r["uid"] for k, r in state["commitment"].items()}
        for row in state["commitment"].values():
            ident = ("commitment", row["uid"])
            found[ident] = row
            if row["parent_id"] in commitment_uid:
                self.journal.parent[ident] = ("commitment", commitment_uid[row["parent_id"]])
        for row in state["evidence"].values():
            ident = ("evidence", row["uid"])
            found[ident] = row
            if row["commitment_id"] in commitment_uid:
                self.journal.parent[ident] = ("commitment", commitment_uid[row["commitment_id"]])
        for row in state["indicator_value"].values():
            found[("value", indicator_uid.get(row["indicator_id"]), row["series"],
                   row["period"])] = row
        return found

    def row_ident(self, table: str, row: dict, state: oracle.Snapshot) -> tuple:
        if table == "indicator_value":
            ind = state["indicator"].get((row["indicator_id"],))
            return ("value", ind["uid"] if ind else None, row["series"], row["period"])
        return (table, row.get("uid"))

    def ident_of(self, table: str, key: tuple, *states: oracle.Snapshot) -> tuple:
        for state in states:
            row = state.get(table, {}).get(key)
            if row is not None:
                return self.row_ident(table, row, state)
        return (table, key)

    # --- random edits through the operations --------------------------------------------------

    def seen(self, laptop: Laptop) -> int:
        return laptop.one("SELECT synced_seq FROM sync_membership")

    def edit(self, laptop: Laptop, count: int) -> None:
        self.time.use(self.clocks[laptop.name])
        seen = self.seen(laptop)
        with laptop.store() as s:
            for _ in range(count):
                try:
                    self._one_edit(s, laptop, seen)
                except TrackerError:
                    continue  # refused (the item was deleted meanwhile): nothing was written

    def _one_edit(self, s, laptop: Laptop, seen: int) -> None:
        rng = self.rng
        live = [c for c in self.hot if s.execute("SELECT 1 FROM commitment WHERE id = ?",
                                                 (c,)).fetchone()]
        if not live:
            return
        c = rng.choice(live)
        uid = s.execute("SELECT uid FROM commitment WHERE id = ?", (c,)).fetchone()[0]
        roll = rng.random()
        journal = self.journal

        def note(what, ident, column=None, value=None):
            journal.add(oracle.Edit(laptop.name, 0, seen, what, ident, column, value))

        if roll < 0.22:
            status = rng.choice(STATUSES)
            if s.execute("SELECT status FROM commitment WHERE id = ?", (c,)).fetchone()[0] != status:
                ops.set_status(s, c, status, f"{laptop.name} reviewed it")
                note("field", ("commitment", uid), "status", status)
        elif roll < 0.40:
            column = rng.choice(["lead", "text", "code"])
            value = f"{column} by {laptop.name} #{rng.randint(1, 10**6)}"
            ops.edit_commitment(s, c, **{column: value})
            note("field", ("commitment", uid), column, value)
        elif roll < 0.58:
            text = f"Evidence from {laptop.name} #{rng.randint(1, 10**6)}"
            done = ops.add_evidence(s, c, EvidenceInput(text, figure=rng.randint(1, 500)))
            euid = s.execute("SELECT uid FROM evidence WHERE id = ?", (done.value,)).fetchone()[0]
            note("add", ("evidence", euid))
            note("field", ("evidence", euid), "text", text)
            journal.parent[("evidence", euid)] = ("commitment", uid)
        elif roll < 0.74:
            rows = s.execute("SELECT id, uid FROM evidence WHERE commitment_id = ? "
                             "ORDER BY position, text", (c,)).fetchall()
            if not rows:
                return
            eid, euid = rng.choice(rows)
            if rng.random() < 0.3:
                ops.delete_evidence(s, eid)
                note("delete", ("evidence", euid))
            else:
                item = evidence_store.get_evidence(s, eid)
                text = f"Edited by {laptop.name} #{rng.randint(1, 10**6)}"
                ops.edit_evidence(s, eid, EvidenceInput(
                    text, item.evidence_date, item.period, item.partner_id, item.figure,
                    item.unit, item.link, item.visibility))
                note("field", ("evidence", euid), "text", text)
        elif roll < 0.97:
            indicator = rng.choice(self.indicators)
            period = rng.choice(PERIODS)
            number = float(rng.randint(100, 999))
            ind_uid = s.execute("SELECT uid FROM indicator WHERE id = ?", (indicator,)).fetchone()[0]
            found = s.execute("SELECT id, uid FROM indicator_value WHERE indicator_id = ? AND "
                              "series = 'actual' AND period = ?", (indicator, period)).fetchone()
            ident = ("value", ind_uid, "actual", period)
            if found and rng.random() < 0.15:
                ops.delete_values(s, [found[0]])
                note("delete", ident)
                journal.edits[-1].row_uid = found[1]
            elif found:
                ops.edit_value(s, found[0], ValueInput(period, number))
                note("field", ident, "value", number)
            else:
                ops.add_values(s, indicator, ValueInput(period, number))
                note("add", ident)
                note("field", ident, "value", number)
        else:
            ops.delete_commitment(s, c)
            note("delete", ("commitment", uid))

    # --- one sync, checked against the oracle -------------------------------------------------

    def sync(self, laptop: Laptop, *, offline: bool = False, kill: str | None = None):
        self.time.use(self.clocks[laptop.name])
        base_seq = self.seen(laptop)
        before = oracle.snapshot(laptop.path, self.schema)
        order_before = self.journal.counter
        first_new = laptop.one("SELECT coalesce(max(number), 0) FROM sync_conflict")

        def interrupt(step):
            if step == kill:
                raise Killed(step)

        kwargs = {"interrupt": interrupt}
        if offline:
            kwargs["log"] = Offline()
        result = None
        try:
            result = laptop.sync(**kwargs)
        except (Killed, LogUnreachableError) as exc:
            if not (kill or offline):
                raise AssertionError(f"{laptop.name}'s sync failed: {exc}") from exc
        after = oracle.snapshot(laptop.path, self.schema)
        self.idents(before)
        self.idents(after)
        new_seq = self.seen(laptop)
        pushed = self._probe_head(laptop)
        assert checks(laptop.path) == ("ok", [])
        if result is not None:
            self.pulled_by[laptop.name] = self.pulled_by.get(laptop.name, 0) + result.pulled
        # What the oracle says this sync had to do.
        merged_upto = new_seq if pushed is None else pushed - 1
        if merged_upto > base_seq and self._merged(laptop, base_seq, merged_upto, after, before):
            merge_base = base_seq
            if self.pusher.get(base_seq + 1) == laptop.name:
                merge_base = base_seq + 1  # its own entry, pushed before a kill
            expected, expected_conflicts = oracle.merge3(
                self.schema, self.shared[merge_base], before, self.shared[merged_upto])
            assert after == expected, f"{laptop.name} does not hold what the merge should give"
            listed = self._new_conflicts(laptop, first_new, before, after)
            assert sorted(map(repr, listed)) == sorted(map(repr, expected_conflicts))
        else:
            assert after == before
            assert self._new_conflicts(laptop, first_new, before, after) == []
        if pushed is not None:
            self.shared[pushed] = after
            self.pusher[pushed] = laptop.name
            self.journal.pushed(laptop.name, order_before, pushed)
        return result

    def _merged(self, laptop, base_seq, upto, after, before) -> bool:
        """Whether the merge step committed (a kill before it leaves the database as it was)."""
        only_own = all(self.pusher.get(n) == laptop.name for n in range(base_seq + 1, upto + 1))
        return not only_own or after != before

    def _probe_head(self, laptop: Laptop) -> int | None:
        log = open_log(self.location)
        try:
            new = None
            while log.read(self.head + 1) is not None:
                self.head += 1
                new = self.head
            return new
        finally:
            log.close()

    def _new_conflicts(self, laptop, first_new, before, after) -> list[tuple]:
        with laptop.store() as s:
            rows = [c for c in conflict_store.all_conflicts(s.conn) if c.number > first_new]
        found = []
        for c in rows:
            ident = self.ident_of(c.table, c.key, after, before)
            covers = set()
            if c.kind == "field":
                found.append(("field", c.table, c.key, c.field, c.base, c.mine, c.theirs))
            else:
                found.append((c.kind, c.table, c.key))
                if c.mine_rows:
                    for name, rows_ in c.mine_rows.items():
                        table = self.schema[name]
                        for values in rows_:
                            covers.add(self.row_ident(name, dict(zip(table.columns, values)),
                                                      before))
                if c.kind == "deleted_by_me":
                    for name, key in oracle._subtree(self.schema, after, c.table, c.key):
                        covers.add(self.row_ident(name, after[name][key], after))
            self.journal.listed.append(oracle.Listed(
                laptop.name, c.kind, ident, c.field, (c.mine, c.theirs), covers))
        return found

    # --- the end ------------------------------------------------------------------------------

    def resolve_everything(self) -> None:
        for laptop in self.laptops:
            self.time.use(self.clocks[laptop.name])
            seen = self.seen(laptop)
            with laptop.store() as s:
                for c in conflict_store.waiting(s.conn):
                    ident = self.ident_of(c.table, c.key,
                                          oracle.snapshot(laptop.path, self.schema))
                    keep = self.rng.choice(["mine", "theirs"])
                    try:
                        ops.team.resolve_conflict(s, c.number, keep=keep)
                    except TrackerError:
                        keep = "theirs"
                        ops.team.resolve_conflict(s, c.number, keep=keep)
                    if keep != "mine" or c.kind == "deleted_by_them":
                        continue
                    if c.kind == "field":
                        self.journal.add(oracle.Edit(laptop.name, 0, seen, "field", ident,
                                                     c.field, c.mine))
                    else:  # deleted again, having seen what they changed
                        self.journal.add(oracle.Edit(laptop.name, 0, seen, "delete", ident))


def read_schema_of(laptop: Laptop):
    import sqlite3

    conn = sqlite3.connect(laptop.path)
    try:
        return read_schema(conn)
    finally:
        conn.close()


def run_simulation(template, tmp_path, location, seed, monkeypatch, *, laptops=4, rounds=14,
                   away=None):
    rng = random.Random(seed)
    import uuid

    # The same seed makes the same run: new rows' UUIDs (and so their ids) come from it too.
    monkeypatch.setattr(uuid, "uuid4", lambda: uuid.UUID(int=rng.getrandbits(128), version=4))
    names = ["Alice", "Bob", "Carol", "Dev", "Erin", "Femi"][:laptops]
    team = create_team(template, tmp_path, location, names)
    sim = Simulation(team, location, rng, SkewedTime(monkeypatch))
    away = away or team[-1].name
    for round_ in range(rounds):
        for laptop in team:
            if laptop.name == away and round_ < rounds - 2:
                continue  # away for most of the run: neither edits nor syncs
            if rng.random() < 0.25:  # clocks are set back now and then
                sim.clocks[laptop.name].offset -= timedelta(hours=rng.randint(1, 96))
                sim.clocks[laptop.name].last = EARLIEST
                sim.backwards += 1
            sim.edit(laptop, rng.randint(2, 10))
        for laptop in rng.sample(team, len(team)):
            if laptop.name == away and round_ < rounds - 2:
                continue
            if laptop.name == away and round_ == rounds - 2:
                sim.returned = sim.sync(laptop)  # back after hundreds of changes
                continue
            roll = rng.random()
            if roll < 0.2:
                sim.sync(laptop, offline=True)
            elif roll < 0.35:
                sim.kills += 1
                sim.sync(laptop, kill=rng.choice(engine.STEPS))
            else:
                sim.sync(laptop)
    for _ in range(2):  # everyone online
        for laptop in team:
            sim.sync(laptop)
    for _ in range(6):  # officers resolving one field two ways is a conflict again
        sim.resolve_everything()
        for _ in range(2):
            for laptop in team:
                sim.sync(laptop)
        if not any(laptop.one("SELECT count(*) FROM sync_conflict WHERE resolved_at IS NULL")
                   for laptop in team):
            break
    return sim


def assert_converged(sim: Simulation) -> None:
    first = oracle.snapshot(sim.laptops[0].path, sim.schema)
    for laptop in sim.laptops[1:]:
        assert oracle.snapshot(laptop.path, sim.schema) == first, f"{laptop.name} differs"
    for laptop in sim.laptops:
        assert checks(laptop.path) == ("ok", [])
        with laptop.store() as s:
            assert conflict_store.waiting(s.conn) == []
            assert membership.read(s.conn).synced_seq == sim.head
    lost = sim.journal.lost(sim.idents(first))
    assert lost == [], f"{len(lost)} edits lost, first: {lost[:3]}"
    for c in sim.journal.listed:
        if c.kind == "field":
            mine, theirs = c.values
            assert mine != theirs


@pytest.mark.parametrize("seed", [11, 2024])
def test_laptops_editing_offline_converge_with_every_conflict_listed(
        _sample_template, tmp_path, monkeypatch, seed):
    sim = run_simulation(_sample_template, tmp_path, str(tmp_path / "share"), seed, monkeypatch)
    assert_converged(sim)
    conflicts = [c for c in sim.journal.listed]
    assert conflicts, "the simulation should have made some conflicts"
    assert sim.kills and sim.backwards
    assert sim.returned.pulled >= 200, sim.returned  # back after hundreds of changes


def test_the_same_on_a_postgres_log(postgres, _sample_template, tmp_path, monkeypatch):
    location = postgres.url(postgres.new_database())
    sim = run_simulation(_sample_template, tmp_path, location, 7, monkeypatch, rounds=10)
    assert_converged(sim)
    assert sim.journal.listed and sim.kills
