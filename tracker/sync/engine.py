"""Creating and joining a team, and one sync: pull, merge, push, in the log's order.

One sync, step by step (each step leaves the database whole; a laptop killed anywhere loses
nothing and the next sync carries on):

1. bring the base copy to the database's last synced entry (after a kill between the two);
2. read the entries after it and check every one (seal, team, schema) before writing
   anything: one bad entry and nothing of this sync is applied;
3. apply them to the base, then merge them into the database in one transaction, with the
   conflicts found (merge.py) and the new synced entry;
4. the difference between the base and the database is what this laptop changed: seal it as
   the entry after the head and append it; if another laptop took that number first, go back
   to 2;
5. the database, then the base, record the new head.

Which laptop wrote an entry is told by its laptop id and a push id noted in the database
before pushing, so an entry this laptop pushed just before being killed is recognised, and an
entry pushed under this laptop's id by another copy of this database is refused.

Everything here opens the database by its path, through apsw, and nothing else in the
process may have the same file open through Python's sqlite3 meanwhile: apsw carries its own
copy of SQLite, and two copies of SQLite in one process do not see each other's locks (one
does not even see the other's commits in WAL mode; see sqlite.org/howtocorrupt.html, 2.2.1).
The command line closes its sqlite3 connection first (keeping the writer lock); the window
runs sync in a child process.
"""

from __future__ import annotations

import contextlib
import os
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import apsw

from tracker.domain.wording import count_of
from tracker.store import migrations
from tracker.store.clock import now
from tracker.sync import base as base_copy
from tracker.sync import conflicts as conflict_store
from tracker.sync import membership as members
from tracker.sync import pulled as pulled_log
from tracker.sync.capture import capture, count_changes, rebuild_search
from tracker.sync.entry import (
    KIND_CHANGES,
    KIND_PLAN,
    Entry,
    format_key,
    new_key,
    parse_key,
    seal,
    verify,
)
from tracker.sync.errors import (
    CopyDetectedError,
    EntryRefusedError,
    LogUnreachableError,
    NotAMemberError,
    SyncError,
)
from tracker.sync.logs import TeamLog, is_postgres, open_log
from tracker.sync.membership import Membership
from tracker.sync.merge import Merger
from tracker.sync.schema import Schema, read_schema

STEPS = ("fetched", "base-updated", "merged", "push-noted", "pushed", "confirmed",
         "base-confirmed")
MAX_ATTEMPTS = 25
Interrupt = Callable[[str], None]
_locks: dict[str, threading.Lock] = {}
_locks_guard = threading.Lock()


@dataclass(frozen=True)
class SyncResult:
    pushed: int
    pulled: int
    new_conflicts: int
    waiting_conflicts: int
    seq: int

    def summary(self) -> str:
        conflicts = self.waiting_conflicts
        wait = "waits" if conflicts == 1 else "wait"
        return (f"pushed {count_of(self.pushed, 'change')}, pulled {self.pulled}, "
                f"{count_of(conflicts, 'conflict')} {wait} for review")


# --- connections -----------------------------------------------------------------------------


def _lock_for(path: Path) -> threading.Lock:
    with _locks_guard:
        return _locks.setdefault(str(path.resolve()), threading.Lock())


def open_local(path: Path) -> apsw.Connection:
    conn = apsw.Connection(str(path), flags=apsw.SQLITE_OPEN_READWRITE)
    conn.setbusytimeout(10_000)
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA synchronous = FULL")
    return conn


def _member(conn) -> Membership:
    m = members.read(conn)
    if m is None:
        raise NotAMemberError("This database is not a member of a team: make one with 'tracker "
                              "team create LOCATION', or join one with 'tracker --db NEW.db team "
                              "join LOCATION --key KEY'.")
    return m


# --- checking entries -----------------------------------------------------------------------


def check_fits(entry: Entry, schema: Schema, version: int) -> None:
    """Refuse an entry this database cannot apply column by column."""
    if entry.schema > version:
        raise EntryRefusedError(
            f"Entry {entry.seq} of the team log was written by a newer version of Commitment "
            f"Tracker (schema {entry.schema}; this one knows up to {version}): update the "
            "tracker to sync. Nothing was applied.")
    for name, columns in entry.tables.items():
        if name not in schema or schema[name].columns != columns:
            raise EntryRefusedError(
                f"Entry {entry.seq} of the team log was written by an older version of "
                f"Commitment Tracker whose {name} table differs from this one's: it cannot be "
                "applied safely. Nothing was applied; sync from a laptop with that version "
                "first, or ask the team to update.")
    for change in apsw.Changeset.iter(entry.changeset):
        if change.name not in entry.tables or change.column_count != len(schema[change.name].columns):
            raise EntryRefusedError(f"Entry {entry.seq} of the team log does not match its own "
                                    "description; nothing was applied.")


def _fetch(log: TeamLog, m: Membership, after: int, schema: Schema, *, upto: int | None = None,
           check_copy: bool = True) -> list[Entry]:
    key = m.key
    version = migrations.latest_version()
    found = []
    for seq, blob in log.read_after(after):
        if upto is not None and seq > upto:
            break
        entry = verify(blob, key, seq=seq, where=log.location, team=m.team_id)
        check_fits(entry, schema, version)
        if check_copy and entry.laptop == m.laptop_id and entry.push != m.pending_push:
            raise CopyDetectedError(
                f"Entry {seq} of the team log came from this laptop's database, but not from "
                "this file: another copy of this database (or a newer one, if this is a backup "
                "put back) is syncing with the team. Keep syncing only the newest copy, or join "
                "the team afresh from this one (tracker --db NEW.db team join LOCATION --key "
                "KEY). Nothing was applied.")
        found.append(entry)
    if upto is not None and (not found or found[-1].seq != upto) and upto > after:
        raise SyncError(f"The team log at {log.location} no longer holds entry {upto}, which "
                        "this database has already synced: is this the right team folder or "
                        "server? Nothing was changed.")
    return found


# --- the base copy -----------------------------------------------------------------------------


def _rebuild_base(path: Path, m: Membership, log: TeamLog, schema: Schema) -> apsw.Connection:
    bpath = base_copy.base_path(path)
    base_copy.create_empty(bpath, m.team_id)
    conn = base_copy.open_base(bpath)
    if m.synced_seq:
        entries = _fetch(log, m, 0, schema, upto=m.synced_seq, check_copy=False)
        with base_copy.writing(conn):
            for entry in entries:
                base_copy.apply(conn, entry.changeset, entry.seq)
    return conn


def _base_in_step(path: Path, m: Membership, log: TeamLog, schema: Schema) -> apsw.Connection:
    """The base copy at the database's synced entry, repaired from the log if a laptop was
    killed between writing the two, or rebuilt if it is missing or does not fit."""
    bpath = base_copy.base_path(path)
    try:
        if not bpath.exists():
            raise base_copy.BaseOutOfStep("missing")
        base_copy.upgrade(bpath)
        conn = base_copy.open_base(bpath)
        try:
            team, seq = base_copy.state(conn)
            if team != m.team_id:
                raise base_copy.BaseOutOfStep("another team")
            if seq < m.synced_seq:
                entries = _fetch(log, m, seq, schema, upto=m.synced_seq, check_copy=False)
                with base_copy.writing(conn):
                    for entry in entries:
                        base_copy.apply(conn, entry.changeset, entry.seq)
            elif seq > m.synced_seq:
                entries = _fetch(log, m, m.synced_seq, schema, upto=seq, check_copy=False)
                with base_copy.writing(conn):
                    for entry in reversed(entries):
                        base_copy.apply(conn, entry.changeset, entry.seq - 1, invert=True)
        except BaseException:
            conn.close()
            raise
        return conn
    except (base_copy.BaseOutOfStep, apsw.Error):
        return _rebuild_base(path, m, log, schema)


# --- one sync ---------------------------------------------------------------------------------


def sync(path: Path, officer: str, *, log: TeamLog | None = None,
         interrupt: Interrupt | None = None) -> SyncResult:
    """Push this laptop's changes and pull everyone else's. Raises LogUnreachableError when
    the log cannot be reached (nothing is lost), another SyncError when sync is refused."""
    path = Path(path)
    step = interrupt or (lambda _name: None)
    with _lock_for(path):
        conn = open_local(path)
        own_log = log is None
        try:
            m = _member(conn)
            try:
                log = log or open_log(m.location)
                return _sync(path, conn, m, log, officer, step)
            except SyncError as exc:
                _note_error(conn, exc)
                raise
        finally:
            if own_log and log is not None:
                log.close()
            conn.close()


def _note_error(conn: apsw.Connection, exc: Exception) -> None:
    try:
        with base_copy.writing(conn):
            members.update(conn, last_error=str(exc), last_error_at=now())
    except apsw.Error:
        pass


def _sync(path: Path, conn: apsw.Connection, m: Membership, log: TeamLog, officer: str,
          step: Interrupt) -> SyncResult:
    schema = read_schema(conn)
    version = migrations.latest_version()
    bconn = _base_in_step(path, m, log, schema)
    try:
        conn.execute("ATTACH ? AS base", (str(base_copy.base_path(path)),))
        pulled = new_conflicts = 0
        for _attempt in range(MAX_ATTEMPTS):
            entries = _fetch(log, m, m.synced_seq, schema)
            step("fetched")
            head = m.synced_seq
            if entries:
                with base_copy.writing(bconn):
                    for entry in entries:
                        base_copy.apply(bconn, entry.changeset, entry.seq)
                step("base-updated")
                theirs = [e for e in entries if e.laptop != m.laptop_id]
                found = _merge(conn, schema, m, theirs, entries[-1].seq)
                pulled += sum(e.changes for e in theirs)
                new_conflicts += found
                head = entries[-1].seq
                m = _member(conn)
                step("merged")
            outgoing = capture(conn, schema)
            if not outgoing and head > 0:
                with base_copy.writing(conn):
                    members.update(conn, synced_at=now(), pending_push=None, last_error=None,
                                   last_error_at=None)
                return _result(conn, 0, pulled, new_conflicts, head)
            push_id = str(uuid.uuid4())
            tables = sorted({c.name for c in apsw.Changeset.iter(outgoing)}) if outgoing else []
            entry = Entry(
                seq=head + 1, kind=KIND_PLAN if head == 0 else KIND_CHANGES, team=m.team_id,
                schema=version, tables=schema.shapes(tables), author=officer,
                laptop=m.laptop_id, push=push_id, made_at=now(),
                changes=count_changes(outgoing, schema), changeset=outgoing,
                settings=_team_settings(conn) if head == 0 else {})
            blob = seal(entry, m.key)
            with base_copy.writing(conn):
                members.update(conn, pending_push=push_id)
            m = _member(conn)
            step("push-noted")
            if not log.append(entry.seq, blob):
                continue  # another laptop pushed first: pull it, merge, try again
            step("pushed")
            with base_copy.writing(conn):
                members.update(conn, synced_seq=entry.seq, synced_at=now(), pending_push=None,
                               last_error=None, last_error_at=None)
            m = _member(conn)
            step("confirmed")
            with base_copy.writing(bconn):
                base_copy.apply(bconn, outgoing, entry.seq)
            step("base-confirmed")
            return _result(conn, entry.changes, pulled, new_conflicts, entry.seq)
        raise LogUnreachableError(
            f"The team log at {log.location} is busy (other laptops kept pushing first): what "
            "was pulled is merged; try again in a moment to push your changes.")
    finally:
        bconn.close()
        with contextlib.suppress(apsw.Error):
            conn.execute("DETACH base")


def _result(conn, pushed: int, pulled: int, new_conflicts: int, seq: int) -> SyncResult:
    return SyncResult(pushed, pulled, new_conflicts, conflict_store.count_waiting(conn), seq)


def _merge(conn: apsw.Connection, schema: Schema, m: Membership, theirs: list[Entry],
           last: int) -> int:
    """Merge colleagues' entries into the database, and record that it is now at `last`, in
    one transaction."""
    with base_copy.writing(conn):
        conn.execute("PRAGMA defer_foreign_keys = ON")
        found = 0
        if theirs:
            merger = Merger(conn, schema)
            merger.merge(theirs)
            report = merger.finish()
            found = conflict_store.record(conn, report.conflicts)
            conflict_store.refresh(conn, schema, report.touched)
            pulled_log.record(conn, schema, report.changed)
        members.update(conn, synced_seq=last, synced_at=now())
    return found


def _team_settings(conn) -> dict[str, str]:
    """Settings every member of a team shares (so that a partner workbook sent from one
    laptop can be read back on another)."""
    from tracker.store.returns import DATABASE_UID_SETTING, EXCHANGE_SECRET_SETTING

    found = {}
    for name in (DATABASE_UID_SETTING, EXCHANGE_SECRET_SETTING):
        row = conn.execute("SELECT value FROM app_setting WHERE name = ?", (name,)).fetchone()
        if row and row[0]:
            found[name] = row[0]
    return found


# --- team create and join ----------------------------------------------------------------------


def normalise_location(location: str) -> str:
    """A folder as an absolute path (the membership row outlives the working folder); a
    postgresql:// address as given."""
    text = str(location).strip()
    if is_postgres(text):
        return text
    return os.path.abspath(os.path.expanduser(text))


def create_team(path: Path, location: str, officer: str, *, log: TeamLog | None = None,
                interrupt: Interrupt | None = None) -> str:
    """Publish the database at `path` as the team's plan at `location`; returns the join key."""
    path = Path(path)
    location = normalise_location(location)
    own_log = log is None
    log = log or open_log(location, creating=True)
    try:
        with _lock_for(path):
            conn = open_local(path)
            try:
                existing = members.read(conn)
                if existing is not None and existing.synced_seq > 0:
                    raise SyncError(f"This database is already a member of the team at "
                                    f"{existing.location}; a database belongs to one team.")
                log.prepare()
                team_id = str(uuid.uuid4())
                key = format_key(new_key())
                base_copy.create_empty(base_copy.base_path(path), team_id)
                with base_copy.writing(conn):
                    _share_exchange_settings(conn)
                    members.write(conn, Membership(team_id, location, key, str(uuid.uuid4()),
                                                   now(), 0, None, None, None, None))
            finally:
                conn.close()
        try:
            sync(path, officer, log=log, interrupt=interrupt)
        except BaseException:
            conn = open_local(path)
            try:
                with base_copy.writing(conn):
                    conn.execute("DELETE FROM sync_membership")
            finally:
                conn.close()
            base_copy.remove(path)
            raise
        return key
    finally:
        if own_log:
            log.close()


def _share_exchange_settings(conn: apsw.Connection) -> None:
    """The identity and seal key partner workbooks carry, made now if this database has never
    sent one: entry 1 gives them to every laptop that joins."""
    import secrets

    from tracker.store.clock import new_uid
    from tracker.store.returns import DATABASE_UID_SETTING, EXCHANGE_SECRET_SETTING

    for name, make in ((DATABASE_UID_SETTING, new_uid),
                       (EXCHANGE_SECRET_SETTING, lambda: secrets.token_hex(32))):
        row = conn.execute("SELECT value FROM app_setting WHERE name = ?", (name,)).fetchone()
        if not row or not row[0]:
            conn.execute("INSERT OR REPLACE INTO app_setting (name, value) VALUES (?, ?)",
                         (name, make()))


def join_team(db_path: Path, location: str, key_text: str, officer: str, *,
              log: TeamLog | None = None) -> SyncResult:
    """Make a new database at `db_path` holding the team's plan as the log has it now."""
    db_path = Path(db_path)
    location = normalise_location(location)
    key = parse_key(key_text)
    if db_path.exists():
        raise SyncError(f"{db_path} already exists: joining makes a new database, so name a "
                        "file that does not exist yet.")
    if not db_path.parent.is_dir():
        raise SyncError(f"The folder {db_path.parent} does not exist.")
    own_log = log is None
    log = log or open_log(location)
    partial = db_path.with_name(db_path.name + ".joining")
    bpartial = Path(str(base_copy.base_path(db_path)) + ".joining")
    try:
        first = log.read(1)
        if first is None:
            raise SyncError(f"{location} holds no team's plan yet.")
        genesis = verify(first, key, seq=1, where=log.location, team=None)
        team_id = genesis.team
        laptop = str(uuid.uuid4())
        provisional = Membership(team_id, location, format_key(key), laptop, now(), 0, None,
                                 None, None, None)
        for leftover in (partial, bpartial):
            base_copy.remove(leftover)
            leftover.unlink(missing_ok=True)
        base_copy.create_empty(bpartial, team_id)
        bconn = base_copy.open_base(bpartial)
        try:
            schema = read_schema(bconn)
            entries = [genesis, *_fetch(log, provisional, 1, schema, check_copy=False)]
            check_fits(genesis, schema, migrations.latest_version())
            with base_copy.writing(bconn):
                for entry in entries:
                    base_copy.apply(bconn, entry.changeset, entry.seq)
            last = entries[-1].seq
            target = apsw.Connection(str(partial))
            try:
                with target.backup("main", bconn, "main") as copy:
                    copy.step()
            finally:
                target.close()
        finally:
            bconn.close()
        conn = open_local(partial)
        try:
            with base_copy.writing(conn):
                conn.execute("DROP TABLE sync_base_state")
                rebuild_search(conn)
                for name, value in genesis.settings.items():
                    conn.execute("INSERT OR REPLACE INTO app_setting (name, value) VALUES (?, ?)",
                                 (name, value))
                members.write(conn, Membership(team_id, location, format_key(key), laptop, now(),
                                               last, now(), None, None, None))
            conn.execute("PRAGMA journal_mode = WAL")
        finally:
            conn.close()
        Path(str(partial) + "-wal").unlink(missing_ok=True)
        bpartial.replace(base_copy.base_path(db_path))
        partial.replace(db_path)
        return SyncResult(0, sum(e.changes for e in entries), 0, 0, last)
    except BaseException:
        for leftover in (partial, bpartial):
            base_copy.remove(leftover)
            leftover.unlink(missing_ok=True)
        raise
    finally:
        if own_log:
            log.close()


def check_moved_log(m: Membership, location: str, *, log: TeamLog | None = None) -> str:
    """The new place of this team's log (IT moved the share), checked to hold the same team's
    entries up to the one this database synced; returns the location as it is to be kept."""
    location = normalise_location(location)
    own_log = log is None
    log = log or open_log(location)
    try:
        first = log.read(1)
        if first is None:
            raise SyncError(f"{location} holds no team's log.")
        verify(first, m.key, seq=1, where=log.location, team=m.team_id)
        if m.synced_seq > 1 and log.read(m.synced_seq) is None:
            raise SyncError(f"{location} holds this team's log, but not all of it (entry "
                            f"{m.synced_seq} is missing): is it a copy made earlier?")
        return location
    finally:
        if own_log:
            log.close()
