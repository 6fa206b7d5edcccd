"""Team sync: a round of 50 laptops, pulling 10,000 changes, and a sync with nothing to do,
each next to the floor: the same changesets applied with apsw alone (no merge, no log).

    .venv/bin/python bench/bench_sync.py [--runs 3] [--laptops 50] [--changes 10000]

A round: each of the laptops (made from the sample plan and joined to one team in a shared
folder) sets a status and adds evidence, then all sync in turn, each pulling what the ones
before it pushed. Its floor applies, for each laptop, the entries it pulled to a copy of its
database with apsw.Changeset.apply. Pulling: one laptop adds 10,000 evidence rows in ten
syncs while another is away; the one coming back syncs, against applying the ten entries'
changesets with apsw alone. Prints medians of the runs and the ratios. Not run by the tests.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import apsw

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tracker import ops
from tracker.ops.team import sync_now
from tracker.store.clock import new_uid, now, row_id
from tracker.store.database import open_store
from tracker.store.location import create_database
from tracker.sync import engine
from tracker.sync.entry import verify
from tracker.sync.folder_log import FolderLog
from tracker.sync.membership import read as read_membership


def _open_commitments(path: Path) -> list[int]:
    with open_store(path, mode="read") as s:
        return [r[0] for r in s.execute(
            "SELECT c.id FROM commitment c JOIN priority p ON p.id = c.priority_id JOIN plan "
            "ON plan.id = p.plan_id WHERE plan.state != 'closed' ORDER BY c.position, c.id")]


def make_team(folder: Path, laptops: int) -> tuple[list[Path], str]:
    first = folder / "laptop00.db"
    create_database(first, officer="Officer 00").close()
    share = str(folder / "share")
    key = engine.create_team(first, share, "Officer 00")
    paths = [first]
    for n in range(1, laptops):
        path = folder / f"laptop{n:02d}.db"
        engine.join_team(path, share, key, f"Officer {n:02d}")
        paths.append(path)
    return paths, share


def _entries(share: str, path: Path, after: int, upto: int) -> list[bytes]:
    conn = apsw.Connection(str(path))
    try:
        m = read_membership(conn)
    finally:
        conn.close()
    log = FolderLog(share)
    return [verify(blob, m.key, seq=seq, where=share, team=m.team_id).changeset
            for seq, blob in log.read_after(after) if seq <= upto]


def _apply_alone(path: Path, changesets: list[bytes]) -> float:
    """The floor: the changesets applied to `path` with apsw and nothing else, in one
    transaction, conflicts skipped."""
    conn = apsw.Connection(str(path))
    conn.execute("PRAGMA foreign_keys = ON")
    started = time.perf_counter()
    with conn:
        for changeset in changesets:
            apsw.Changeset.apply(changeset, conn, conflict=lambda *_: apsw.SQLITE_CHANGESET_OMIT,
                                 flags=apsw.SQLITE_CHANGESETAPPLY_FKNOACTION)
    elapsed = time.perf_counter() - started
    conn.close()
    return elapsed


def _copy(path: Path, target: Path) -> Path:
    for suffix in ("", "-wal", "-shm"):
        source = Path(str(path) + suffix)
        if source.exists():
            shutil.copyfile(source, Path(str(target) + suffix))
    return target


def round_of_laptops(folder: Path, laptops: int) -> tuple[float, float, int]:
    paths, share = make_team(folder, laptops)
    ids = _open_commitments(paths[0])
    for n, path in enumerate(paths):
        with open_store(path, officer=f"Officer {n:02d}") as s:
            ops.set_status(s, ids[n % len(ids)], "on track", f"Reviewed by officer {n}")
            ops.add_evidence(s, ids[(7 * n) % len(ids)],
                             ops.EvidenceInput(f"Evidence from officer {n}"))
    copies, seen = [], []
    for n, path in enumerate(paths):
        copies.append(_copy(path, folder / f"floor{n:02d}.db"))
        with open_store(path, mode="read") as s:
            seen.append(s.execute("SELECT synced_seq FROM sync_membership").fetchone()[0])
    pulled = 0
    started = time.perf_counter()
    heads = []
    for n, path in enumerate(paths):
        with open_store(path, officer=f"Officer {n:02d}") as s:
            result = sync_now(s)
        pulled += result.pulled
        heads.append(result.seq)
    round_time = time.perf_counter() - started
    floor = 0.0
    for n, copy in enumerate(copies):
        head_before_push = heads[n] - 1
        floor += _apply_alone(copy, _entries(share, paths[n], seen[n], head_before_push))
    return round_time, floor, pulled


def pull_many(folder: Path, changes: int, batches: int = 10) -> tuple[float, float, int, float]:
    paths, share = make_team(folder, 2)
    busy, away = paths
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
    copy = _copy(away, folder / "away-floor.db")
    with open_store(away, officer="Away officer") as s:
        started = time.perf_counter()
        result = sync_now(s)
        pull_time = time.perf_counter() - started
    floor = _apply_alone(copy, _entries(share, away, 1, result.seq))
    noop = []
    for _ in range(5):
        with open_store(away, officer="Away officer") as s:
            started = time.perf_counter()
            sync_now(s)
            noop.append(time.perf_counter() - started)
    return pull_time, floor, result.pulled, statistics.median(noop)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--laptops", type=int, default=50)
    parser.add_argument("--changes", type=int, default=10_000)
    args = parser.parse_args()
    rounds, round_floors, pulls, pull_floors, noops = [], [], [], [], []
    pulled_round = pulled_many = 0
    for _ in range(args.runs):
        with tempfile.TemporaryDirectory() as tmp:
            r, f, pulled_round = round_of_laptops(Path(tmp), args.laptops)
            rounds.append(r)
            round_floors.append(f)
        with tempfile.TemporaryDirectory() as tmp:
            p, f, pulled_many, noop = pull_many(Path(tmp), args.changes)
            pulls.append(p)
            pull_floors.append(f)
            noops.append(noop)
    med = statistics.median
    print(f"median of {args.runs} runs")
    print(f"sync round, {args.laptops} laptops ({pulled_round:,} changes pulled in all): "
          f"{med(rounds):.2f} s; apsw alone applying the same changesets {med(round_floors):.3f} s;"
          f" ratio {med(rounds) / med(round_floors):.0f}x")
    print(f"pull {pulled_many:,} changes: {med(pulls):.2f} s; apsw alone {med(pull_floors):.3f} s;"
          f" ratio {med(pulls) / med(pull_floors):.1f}x")
    print(f"sync with nothing to do: {med(noops) * 1000:.0f} ms")


if __name__ == "__main__":
    main()
