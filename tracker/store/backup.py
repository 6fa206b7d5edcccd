"""Copies of the database made with SQLite's backup API, kept by age and total size.

Kept: the newest few (RECENT), the newest of each of the last DAYS days, and no more than
BUDGET bytes in all (the newest MINIMUM are kept whatever their size). A database of a few
megabytes keeps about ten backups; one of 750 MB keeps two or three, not ten (7.5 GB).

`BackupInBackground` takes the backup on its own thread and connection while the caller goes
on (an import reads and checks its workbook meanwhile). The copy is of the database as it was
when the backup began: under WAL a reader's snapshot does not move, so the import may even
write while the copy is made; it only has to wait for the copy to be complete before it
commits (`wait()`), so a failed backup still stops the import. Once the import has committed
(`release_flush()`) the copy is flushed to disk, and only then are older backups pruned
(`join()` waits for both; the store does before it closes): the flush was a quarter of a
second of the 758 MiB copy that the import's commit waited for, then its writes queued
ahead of the commit's own; and what it guards against, the machine failing in the seconds
before the system writes the copy out itself, leaves the import (which can be reverted) and
the older backups.

When the write-ahead log is empty as the backup begins (it checkpoints it first), its reader
reads the database file alone, and SQLite moves nothing into that file while such a reader is
open: the file is then copied whole, a fifth of the time and the processor the backup API
takes page by page (757 MiB: about 0.3 s of system time, not 1.7), and written around the page
cache where the system allows it (`_copy_direct`). Otherwise, or if the copy fails, the backup
API copies it.
"""

from __future__ import annotations

import errno
import mmap
import os
import shutil
import sqlite3
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from tracker.domain.dates import show_day
from tracker.domain.wording import count_of, file_size
from tracker.store.errors import StoreError

RECENT = 3
DAYS = 7
BUDGET = 2 * 2**30
MINIMUM = 2
KEEP = RECENT  # the old name of `keep`


@dataclass(frozen=True)
class Backup:
    path: Path
    reason: str
    taken_at: datetime
    size: int = field(default=-1, compare=False)

    @property
    def label(self) -> str:
        local = self.taken_at.astimezone()
        return f"{show_day(local.date())} {local:%H:%M:%S} — before {self.reason.replace('-', ' ')}"

    @property
    def bytes(self) -> int:
        if self.size >= 0:
            return self.size
        try:
            return self.path.stat().st_size
        except OSError:
            return 0


def backup_dir(db_path: Path) -> Path:
    return db_path.parent / f"{db_path.stem}-backups"


def _target(db_path: Path, reason: str) -> Path:
    folder = backup_dir(db_path)
    folder.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    return folder / f"{db_path.stem}-{stamp}-{reason}.db"


def _copy(source: sqlite3.Connection, target: Path) -> None:
    dest = sqlite3.connect(target)
    try:
        source.backup(dest)
    except BaseException:
        dest.close()
        target.unlink(missing_ok=True)
        raise
    dest.close()


def _uri(db_path: Path, mode: str) -> str:
    """The file's SQLite URI, opened only if it exists (as_uri escapes '#', '?' and '%')."""
    return f"{Path(db_path).absolute().as_uri()}?mode={mode}"


def _log_emptied(db_path: Path) -> bool:
    """Checkpoint the write-ahead log into the database file and empty it, without waiting:
    False when a reader or writer is using it (or anything else stops it)."""
    try:
        conn = sqlite3.connect(_uri(db_path, "rw"), uri=True, timeout=0, isolation_level=None)
        try:
            busy, _log, _done = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        finally:
            conn.close()
    except sqlite3.Error:
        return False
    return busy == 0


def _reads_file_alone(db_path: Path) -> bool:
    """Whether a read transaction begun on the database (before this is asked) reads the file
    alone: true when the write-ahead log is empty, since a log that held frames as the reader
    began cannot be emptied while it reads."""
    try:
        return os.stat(f"{db_path}-wal").st_size == 0
    except FileNotFoundError:
        return True
    except OSError:
        return False


def _copy_file(db_path: Path, target: Path) -> bool:
    """The database file copied whole (not yet flushed: `_flush`); False (nothing left) if it
    fails."""
    try:
        if not _copy_direct(db_path, target):
            shutil.copyfile(db_path, target)
    except OSError:
        target.unlink(missing_ok=True)
        return False
    return True


def _copy_direct(db_path: Path, target: Path) -> bool:
    """The file copied with the copy's writes going around the page cache (O_DIRECT), False
    (nothing left) where the system or the file system does not offer that.

    Written through the cache, a copy of the 757 MiB database takes the system 757 MiB of
    fresh pages to fill, then to write out: 1 to 2 s of processor in the kernel on the test
    machines, on one of the two cores the import's own work needs. Written directly it is
    about 0.1 s of processor and half a second of disk, and already on the disk."""
    flag = getattr(os, "O_DIRECT", 0)
    if not flag:
        return False
    try:
        out = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | flag, 0o644)
    except OSError:
        return False  # a file system without direct writes (tmpfs) refuses at the open
    offset = 0
    try:
        # The buffer page-aligned, as direct writes need.
        with open(db_path, "rb", buffering=0) as source, \
                mmap.mmap(-1, _DIRECT_CHUNK) as buffer, memoryview(buffer) as view:
            size = os.fstat(source.fileno()).st_size
            while offset < size:
                read = _read_full(source.fileno(), view, offset)
                if read == 0:
                    break  # the file is shorter than it was: copied as far as it goes
                # The last piece rounded up to whole blocks, the padding cut off after.
                length = -(-read // _DIRECT_BLOCK) * _DIRECT_BLOCK
                view[read:length] = bytes(length - read)
                if os.pwrite(out, view[:length], offset) != length:
                    raise OSError("a direct write was cut short")
                offset += read
        os.ftruncate(out, offset)
    except OSError as exc:
        os.close(out)
        target.unlink(missing_ok=True)
        if offset == 0 and exc.errno == errno.EINVAL:
            return False  # direct writes refused at the first: copied through the cache
        raise
    os.close(out)
    return True


_DIRECT_CHUNK = 8 * 2**20
_DIRECT_BLOCK = 4096  # a multiple of every disk's logical block


def _read_full(fd: int, view: memoryview, offset: int) -> int:
    """Fill `view` from `offset` (less only at the end of the file)."""
    filled = 0
    while filled < len(view):
        read = os.preadv(fd, [view[filled:]], offset + filled)
        if read == 0:
            break
        filled += read
    return filled


def _flush(target: Path) -> None:
    with open(target, "rb+") as handle:
        os.fsync(handle.fileno())


def take_backup(conn: sqlite3.Connection, db_path: Path, reason: str, keep: int = RECENT,
                budget: int = BUDGET) -> Path:
    """Copy the live database (consistent even mid-WAL), then drop the backups the rules no
    longer keep (`keep` newest, one a day for a week, `budget` bytes in all)."""
    target = _target(db_path, reason)
    _copy(conn, target)
    prune(db_path, recent=keep, budget=budget)
    return target


class BackupInBackground:
    """A backup of the database file at `db_path` taken on a thread of its own.

    `started` is set once the copy's snapshot is fixed (writes after it are not in the copy);
    `wait()` returns the backup's path once the copy is complete, or raises StoreError when it
    could not be taken; after `release_flush()` it goes to disk and older backups are pruned,
    which `join()` waits for;
    `discard()` waits and deletes it (the work it was taken for did not happen)."""

    def __init__(self, db_path: Path, reason: str, keep: int = RECENT, budget: int = BUDGET,
                 after: Iterable[CheckpointInBackground] = ()):
        self.db_path = Path(db_path)
        self.reason = reason
        # Checkpoints still writing the log into the file, waited for on this thread first:
        # with the log not yet emptied the file cannot be copied whole, and the backup API's
        # page-by-page copy beside a checkpoint took 4.4 s (a revert just after an import).
        self.after = tuple(after)
        self.keep, self.budget = keep, budget
        self.started = threading.Event()
        self.copied = threading.Event()  # set once the copy is complete (or has failed)
        self._may_flush = threading.Event()  # (release_flush)
        self.path: Path | None = None
        self.error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="tracker-backup", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            target = self._copy()
        except BaseException as exc:  # reported to whoever waits
            self.error = exc
            return
        finally:
            self.started.set()
            self.copied.set()
        self._may_flush.wait()
        try:
            _flush(target)
            prune(self.db_path, recent=self.keep, budget=self.budget, keep_also={target})
        except OSError:
            pass  # the copy stays as the system writes it out; older backups stay as they were

    def _copy(self) -> Path:
        for running in self.after:
            running.wait()
        emptied = _log_emptied(self.db_path)
        source = sqlite3.connect(_uri(self.db_path, "ro"), uri=True,
                                 isolation_level=None, check_same_thread=False)
        try:
            source.execute("BEGIN")
            source.execute("SELECT count(*) FROM sqlite_master").fetchone()  # the snapshot
            # Asked before the writer is let go: its first frames would make the log
            # non-empty and the whole-file copy (still correct) needlessly refused.
            whole = emptied and _reads_file_alone(self.db_path)
            self.started.set()
            target = _target(self.db_path, self.reason)
            if not (whole and _copy_file(self.db_path, target)):
                _copy(source, target)
        finally:
            source.close()
        self.path = target
        return target

    @property
    def done(self) -> bool:
        return not self._thread.is_alive()

    def wait(self) -> Path:
        self.copied.wait()
        if self.error is not None or self.path is None:
            raise StoreError(f"The database could not be backed up before the change "
                             f"({self.error}); nothing was written.") from self.error
        return self.path

    def release_flush(self) -> None:
        """Let the copy go to disk now: once the work it was taken for has committed, whose own
        flush would otherwise queue behind the copy's 758 MiB."""
        self._may_flush.set()

    def join(self) -> None:
        self._may_flush.set()
        self._thread.join()

    def discard(self) -> None:
        self._may_flush.set()
        self._thread.join()
        if self.path is not None:
            self.path.unlink(missing_ok=True)
            self.path = None


class CheckpointInBackground:
    """The write-ahead log written into the database file on a thread and connection of its
    own (SQLite's PASSIVE checkpoint: it waits for no one and stops no one).

    A commit that leaves more than a thousand pages in the log checkpoints them itself before
    it returns: for a return on a large database, thousands of pages written across the file
    and flushed, half a second or more. The import commits without (ops.apply_return's
    `defer_checkpoint`) and this does it while the officer reads the result; `wait()` before
    the database is closed or another copy of SQLite opens the file."""

    def __init__(self, db_path: Path):
        self.db_path = Path(db_path)
        self._thread = threading.Thread(target=self._run, name="tracker-checkpoint",
                                        daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            conn = sqlite3.connect(_uri(self.db_path, "rw"), uri=True, timeout=0,
                                   isolation_level=None)
            try:
                conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
            finally:
                conn.close()
        except sqlite3.Error:
            pass  # left to SQLite: the next commit past a thousand pages checkpoints itself

    def wait(self) -> None:
        self._thread.join()

    join = wait


def list_backups(db_path: Path) -> list[Backup]:
    """Newest first."""
    folder = backup_dir(db_path)
    if not folder.is_dir():
        return []
    found = []
    for path in folder.glob(f"{db_path.stem}-*.db"):
        parts = path.stem[len(db_path.stem) + 1:].split("-", 1)
        try:
            taken = datetime.strptime(parts[0], "%Y%m%dT%H%M%S%fZ").replace(tzinfo=UTC)
            size = path.stat().st_size
        except (ValueError, OSError):
            continue
        found.append(Backup(path, parts[1] if len(parts) > 1 else "backup", taken, size))
    return sorted(found, key=lambda b: b.taken_at, reverse=True)


def kept(backups: list[Backup], now: datetime | None = None, *, recent: int = RECENT,
         days: int = DAYS, budget: int = BUDGET, minimum: int = MINIMUM) -> list[Backup]:
    """Which of these backups (newest first) the rules keep."""
    now = now or datetime.now(UTC)
    chosen: list[Backup] = list(backups[:recent])
    seen_days = set()
    for b in backups:
        day = b.taken_at.astimezone().date()
        if now - b.taken_at <= timedelta(days=days) and day not in seen_days:
            seen_days.add(day)
            if b not in chosen:
                chosen.append(b)
    chosen.sort(key=lambda b: b.taken_at, reverse=True)
    total = 0
    within: list[Backup] = []
    for index, b in enumerate(chosen):
        if index < minimum or total + b.bytes <= budget:
            within.append(b)
            total += b.bytes
    return within


def prune(db_path: Path, *, recent: int = RECENT, budget: int = BUDGET,
          keep_also: set[Path] | None = None) -> list[Path]:
    """Delete the backups the rules no longer keep; returns their paths."""
    backups = list_backups(db_path)
    keep = {b.path for b in kept(backups, recent=recent, budget=budget)} | (keep_also or set())
    removed = []
    for b in backups:
        if b.path not in keep:
            b.path.unlink(missing_ok=True)
            removed.append(b.path)
    return removed


def disk_use(db_path: Path) -> tuple[int, int]:
    """(number of backups, bytes they take together)."""
    backups = list_backups(db_path)
    return len(backups), sum(b.bytes for b in backups)


def describe_disk_use(db_path: Path) -> str:
    """'3 backups take 2.1 GB ...' — for the window and the command line."""
    return describe_backups(list_backups(db_path))


def describe_backups(backups: list[Backup]) -> str:
    count, size = len(backups), sum(b.bytes for b in backups)
    if not count:
        return "No backups yet."
    takes = "takes" if count == 1 else "take"
    return (f"{count_of(count, 'backup')} {takes} {file_size(size)} (kept: the {RECENT} newest and "
            f"one a day for {DAYS} days, at most {file_size(BUDGET)} in all).")
