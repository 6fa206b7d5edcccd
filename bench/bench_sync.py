"""Team sync next to bare apsw doing the same exchange: table rows for bench/run.py.

    .venv/bin/python bench/run.py --only sync [--runs 5]

Three pairs, ours and the floor alternated (harness.alternate), each run from the same saved
state (restored, untimed, before every run):

- a round of 50 laptops (made from the sample plan and joined to one team in a shared
  folder; each has set a status and added evidence): all sync in turn, each pulling what the
  ones before it pushed and pushing its own;
- pulling 10,000 changes: a laptop that was away syncs after a colleague added 10,000
  evidence rows in ten syncs;
- a sync with nothing to do.

Ours is `tracker team sync` as the command line runs it (open the store, `ops.sync_now`).
The floor is the session extension's work for the same exchange with apsw alone, no less and
no more: per laptop, read the changesets stored after the last one it saw, apply them to its
last-synced copy and to its database (conflicting changes skipped), capture what it changed
as `Session.diff` against that copy (the capture route ours takes; of the settings, only
the rows the team shares, as ours), store it as a file in the shared folder (written once
under its number and fsynced, as ours), and apply it to the copy; both databases commit with
SQLite's default synchronous = FULL, as ours sets it. Ours does more on top, by design and
not counted in the floor: sealing and checking every entry (HMAC, schema), merging field by
field with conflicts kept for review, and logging what came in. There is no goal for sync in
issue 12: the rows say "no goal".
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable
from pathlib import Path

import apsw

from tracker import ops
from tracker.ops.team import sync_now
from tracker.store.clock import new_uid, now, row_id
from tracker.store.database import open_store
from tracker.store.location import create_database
from tracker.sync import engine
from tracker.sync.base import base_path
from tracker.sync.entry import verify
from tracker.sync.folder_log import FolderLog
from tracker.sync.membership import read as read_membership
from tracker.sync.schema import SHARED_ROWS, read_schema

LAPTOPS = 50
CHANGES = 10_000
BATCHES = 10
FLOOR_LABEL = ("apsw alone: stored changesets read, applied to the last-synced copy and the "
               "database, Session.diff captured, stored (fsynced), applied to the copy")


# --- the floor ----------------------------------------------------------------------------------

def _skip(*_args) -> int:
    return apsw.SQLITE_CHANGESET_OMIT


class BareLaptop:
    """One laptop syncing with apsw alone: its database, its last-synced copy (with the number
    of the last changeset in it) and a folder of changesets, one file per number."""

    def __init__(self, db: Path, copy: Path, share: Path, tables: list[str],
                 partly: dict[str, tuple[int, frozenset]]) -> None:
        self.db, self.copy, self.share, self.tables = db, copy, share, tables
        self.partly = partly  # table: (column, the values of the rows shared)

    def _diff(self, conn: apsw.Connection, tables: list[str]) -> bytes:
        session = apsw.Session(conn, "main")
        try:
            for name in tables:
                session.attach(name)
                session.diff("base", name)
            return b"" if session.is_empty else session.changeset()
        finally:
            session.close()

    def _capture(self, conn: apsw.Connection) -> bytes:
        """What this laptop changed in the shared tables; of a table shared only in part (the
        settings), the changes of the shared rows alone."""
        whole = self._diff(conn, [t for t in self.tables if t not in self.partly])
        if not self.partly:
            return whole
        kept = [c for c in apsw.Changeset.iter(self._diff(conn, list(self.partly)))
                if (c.new if c.op == "INSERT" else c.old)[self.partly[c.name][0]]
                in self.partly[c.name][1]]
        if not kept:
            return whole
        builder = apsw.ChangesetBuilder()
        try:
            if whole:
                builder.add(whole)
            for change in kept:
                builder.add_change(change)
            return builder.output()
        finally:
            builder.close()

    def sync(self) -> None:
        conn = apsw.Connection(str(self.db))
        conn.execute("PRAGMA foreign_keys = ON")
        base = apsw.Connection(str(self.copy))
        base.config(apsw.SQLITE_DBCONFIG_ENABLE_TRIGGER, 0)
        base.execute("PRAGMA foreign_keys = OFF")
        try:
            seq = base.execute("SELECT seq FROM bare_state").fetchone()[0]
            pulled = []
            while True:
                try:
                    pulled.append((self.share / f"{seq + len(pulled) + 1:012d}").read_bytes())
                except FileNotFoundError:
                    break
            if pulled:
                seq += len(pulled)
                with base:
                    for changeset in pulled:
                        apsw.Changeset.apply(changeset, base, conflict=_skip,
                                             flags=apsw.SQLITE_CHANGESETAPPLY_FKNOACTION)
                    base.execute("UPDATE bare_state SET seq = ?", (seq,))
                with conn:
                    for changeset in pulled:
                        apsw.Changeset.apply(changeset, conn, conflict=_skip,
                                             flags=apsw.SQLITE_CHANGESETAPPLY_FKNOACTION)
            conn.execute("ATTACH ? AS base", (str(self.copy),))
            outgoing = self._capture(conn)
            conn.execute("DETACH base")
            if outgoing:
                seq += 1
                fd = os.open(self.share / f"{seq:012d}", os.O_WRONLY | os.O_CREAT | os.O_EXCL)
                try:
                    os.write(fd, outgoing)
                    os.fsync(fd)
                finally:
                    os.close(fd)
                with base:
                    apsw.Changeset.apply(outgoing, base, conflict=_skip,
                                         flags=apsw.SQLITE_CHANGESETAPPLY_FKNOACTION)
                    base.execute("UPDATE bare_state SET seq = ?", (seq,))
        finally:
            base.close()
            conn.close()


# --- the team, built once and restored before every run -------------------------------------------

def _shared_tables(path: Path) -> tuple[list[str], dict[str, tuple[int, frozenset]]]:
    """The tables the team shares, and of those shared only in part the column and values
    that pick the shared rows (what a bare implementation would write down once)."""
    conn = apsw.Connection(str(path))
    try:
        schema = read_schema(conn)
    finally:
        conn.close()
    partly = {name: (schema[name].index(column), values)
              for name, (column, values) in SHARED_ROWS.items() if name in schema}
    return list(schema.names), partly


def _synced_seq(path: Path) -> int:
    conn = apsw.Connection(str(path))
    try:
        return read_membership(conn).synced_seq
    finally:
        conn.close()


def _make_team(folder: Path, laptops: int) -> tuple[list[Path], Path]:
    folder.mkdir(parents=True)
    first = folder / "laptop00.db"
    create_database(first, officer="Officer 00").close()
    share = folder / "share"
    key = engine.create_team(first, str(share), "Officer 00")
    paths = [first]
    for n in range(1, laptops):
        path = folder / f"laptop{n:02d}.db"
        engine.join_team(path, str(share), key, f"Officer {n:02d}")
        paths.append(path)
    return paths, share


def _open_commitments(path: Path) -> list[int]:
    with open_store(path, mode="read") as s:
        return [r[0] for r in s.execute(
            "SELECT c.id FROM commitment c JOIN priority p ON p.id = c.priority_id JOIN plan "
            "ON plan.id = p.plan_id WHERE plan.state != 'closed' ORDER BY c.position, c.id")]


def _changesets(share: Path, db: Path, after: int) -> list[tuple[int, bytes]]:
    """The changesets of ours' log entries after `after`, opened with the team's key."""
    conn = apsw.Connection(str(db))
    try:
        m = read_membership(conn)
    finally:
        conn.close()
    return [(seq, verify(blob, m.key, seq=seq, where=str(share), team=m.team_id).changeset)
            for seq, blob in FolderLog(share).read_after(after)]


def _copy(path: Path, target: Path) -> Path:
    for suffix in ("", "-wal", "-shm"):
        source = Path(str(path) + suffix)
        if source.exists():
            shutil.copyfile(source, Path(str(target) + suffix))
    return target


def _changes(changesets: list[bytes]) -> int:
    return sum(1 for cs in changesets for _change in apsw.Changeset.iter(cs))


class Team:
    """Laptops of one team in `work/ours` (ours syncs them) and the same files in `work/floor`
    (the floor syncs them), saved once in `work/saved` and restored side by side before each
    run: ours' membership names its shared folder by absolute path, so the files go back to
    the same place."""

    def __init__(self, work: Path) -> None:
        self.work = work
        shutil.rmtree(work, ignore_errors=True)
        self.ours, self.floor, self.saved = work / "ours", work / "floor", work / "saved"

    def floor_copy(self, paths: list[Path], floor_share: list[tuple[int, bytes]] = ()) -> None:
        """The floor's side: each laptop's database and last-synced copy as ours has them (the
        copy noting the number it was synced to), and a folder holding `floor_share`."""
        self.floor.mkdir()
        (self.floor / "share").mkdir()
        for seq, changeset in floor_share:
            (self.floor / "share" / f"{seq:012d}").write_bytes(changeset)
        for path in paths:
            _copy(path, self.floor / path.name)
            copy = _copy(base_path(path), self.floor / f"{path.stem}.synced")
            conn = apsw.Connection(str(copy))
            with conn:
                conn.execute("CREATE TABLE bare_state (seq INTEGER NOT NULL)")
                conn.execute("INSERT INTO bare_state VALUES (?)", (_synced_seq(path),))
            conn.close()

    def save(self) -> None:
        self.saved.mkdir()
        for side in (self.ours, self.floor):
            shutil.copytree(side, self.saved / side.name)

    def restore(self, side: Path) -> None:
        shutil.rmtree(side)
        shutil.copytree(self.saved / side.name, side)

    def bare(self, name: str, tables: tuple[list[str], dict]) -> BareLaptop:
        return BareLaptop(self.floor / name, self.floor / f"{Path(name).stem}.synced",
                          self.floor / "share", *tables)

    def stored(self, after: int) -> tuple[int, int]:
        """Changes stored by ours and by the floor after entry `after` (the same when both did
        the same exchange)."""
        path = sorted(self.ours.glob("*.db"))[0]
        ours = [cs for _seq, cs in _changesets(self.ours / "share", path, after)]
        floor = [p.read_bytes() for p in sorted((self.floor / "share").iterdir())]
        return _changes(ours), _changes(floor)


def _timed(work: Callable[[], object]) -> float:
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


def _ours_sync(path: Path, officer: str) -> int:
    with open_store(path, officer=officer) as s:
        return sync_now(s).pulled


def round_of_laptops(work: Path, runs: int, laptops: int = LAPTOPS) -> tuple[dict, str]:
    from harness import alternate

    team = Team(work)
    paths, _share = _make_team(team.ours, laptops)
    head = _synced_seq(paths[-1])
    ids = _open_commitments(paths[0])
    for n, path in enumerate(paths):
        with open_store(path, officer=f"Officer {n:02d}") as s:
            ops.set_status(s, ids[n % len(ids)], "on track", f"Reviewed by officer {n}")
            ops.add_evidence(s, ids[(7 * n) % len(ids)],
                             ops.EvidenceInput(f"Evidence from officer {n}"))
    team.floor_copy(paths)
    team.save()
    tables = _shared_tables(paths[0])
    pulled: list[int] = []

    def ours() -> float:
        team.restore(team.ours)
        took = 0.0
        total = 0
        for n, path in enumerate(paths):
            started = time.perf_counter()
            total += _ours_sync(path, f"Officer {n:02d}")
            took += time.perf_counter() - started
        pulled.append(total)
        return took

    def floor() -> float:
        team.restore(team.floor)
        laptops_ = [team.bare(p.name, tables) for p in paths]
        return sum(_timed(laptop.sync) for laptop in laptops_)

    times = alternate(ours, floor, runs)
    stored_ours, stored_floor = team.stored(head)
    shutil.rmtree(work, ignore_errors=True)
    note = (f"sync round: each of {laptops} laptops pulls what the ones before it pushed "
            f"({pulled[-1]:,} changes pulled in all by ours); changes stored: ours "
            f"{stored_ours:,}, floor {stored_floor:,}")
    return row(f"sync: a round of {laptops} laptops, each syncing in turn",
               f"{laptops} laptops, sample plan", *times), note


def pull_and_idle(work: Path, runs: int, changes: int = CHANGES,
                  batches: int = BATCHES) -> tuple[list[dict], str]:
    from harness import alternate

    team = Team(work)
    (busy, away), _share = _make_team(team.ours, 2)
    seen = _synced_seq(away)
    away_floor = team.floor / away.name
    ids = _open_commitments(busy)
    per_batch = changes // batches
    for batch in range(batches):
        with open_store(busy, officer="Busy officer") as s:
            stamp = now()
            rows = []
            for n in range(per_batch):
                uid = new_uid()
                rows.append((row_id(uid), uid, ids[n % len(ids)], 1000 + batch * per_batch + n,
                             f"Bulk evidence {batch}-{n}: visits, referrals and outcomes "
                             "recorded by the partnership.", "Busy officer", stamp, stamp))
            with s.transaction():
                s.conn.executemany(
                    "INSERT INTO evidence (id, uid, commitment_id, position, text, author, "
                    "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)
            sync_now(s)
    # The floor's folder holds the same changesets the colleague's ten syncs stored.
    team.floor_copy([away], _changesets(team.ours / "share", away, seen))
    team.save()
    tables = _shared_tables(away)
    pulled: list[int] = []

    def ours_pull() -> float:
        team.restore(team.ours)
        started = time.perf_counter()
        pulled.append(_ours_sync(away, "Away officer"))
        return time.perf_counter() - started

    def floor_pull() -> float:
        team.restore(team.floor)
        return _timed(team.bare(away_floor.name, tables).sync)

    pulls = alternate(ours_pull, floor_pull, runs)
    # Both sides are now synced: a sync with nothing to do changes nothing, so it repeats.
    idle = alternate(lambda: _timed(lambda: _ours_sync(away, "Away officer")),
                     lambda: _timed(team.bare(away_floor.name, tables).sync), runs)
    shutil.rmtree(work, ignore_errors=True)
    note = f"sync pull: {pulled[-1]:,} changes pulled by ours, stored in {batches} entries"
    return [row(f"sync: pull {changes:,} changes after being away", "2 laptops, sample plan",
                *pulls),
            row("sync: a sync with nothing to do", "2 laptops, sample plan", *idle)], note


def row(operation: str, size: str, ours: list[float], floor: list[float]) -> dict:
    return {"operation": operation, "size": size, "ours": ours, "floor": floor, "goal": None,
            "floor_label": FLOOR_LABEL}


def bench_rows(runs: int) -> tuple[list[dict], list[str]]:
    import datasets

    work = datasets.work_folder() / "sync"
    first, round_note = round_of_laptops(work / "round", runs)
    others, pull_note = pull_and_idle(work / "pull", runs)
    shutil.rmtree(work, ignore_errors=True)
    return [first, *others], [round_note, pull_note]
