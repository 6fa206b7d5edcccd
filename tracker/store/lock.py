"""One writer per database file, across processes.

SQLite itself keeps the file consistent, but two copies of the application editing the same
plan would overwrite each other's work unseen. The first copy takes an exclusive lock on a
sidecar file; a second copy gets the file read-only and is told why.
"""

from __future__ import annotations

import os
from pathlib import Path

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None
    import msvcrt


class WriterLock:
    """An exclusive lock on `<database>.lock`, held while this process may write the database.

    The file holds the holder's process id (`tracker sync --window-pid` reads it).

    POSIX: flock on the whole file. Windows: msvcrt locks one byte, from the file position, so
    the position is set first; the byte is far past the end of the file (as SQLite's own lock
    bytes are), because Windows locks are mandatory and a lock on the process id's bytes would
    stop other processes reading it. The same byte is unlocked before the file is closed:
    Windows frees a lock left at close only "when resources allow", so a database closed and
    opened again at once would otherwise find itself locked and open read-only.
    """

    def __init__(self, db_path: Path):
        self.path = Path(str(db_path) + ".lock")
        self._fd: int | None = None

    def acquire(self) -> bool:
        """Take the lock; False when another process holds it."""
        if self._fd is not None:
            return True
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT | getattr(os, "O_BINARY", 0), 0o644)
        try:
            _lock(fd)
        except OSError:
            os.close(fd)
            return False
        # The process id over the old one, then the file cut to its length. Not cut to nothing
        # first: ext4 flushes a file truncated to zero and rewritten when it is closed, which
        # took 4-8 ms of every open.
        pid = str(os.getpid()).encode()
        os.lseek(fd, 0, os.SEEK_SET)
        os.write(fd, pid)
        if os.fstat(fd).st_size > len(pid):
            os.ftruncate(fd, len(pid))
        self._fd = fd
        return True

    def release(self) -> None:
        if self._fd is None:
            return
        try:
            _unlock(self._fd)
        finally:
            os.close(self._fd)
            self._fd = None


WINDOWS_LOCK_BYTE = 1 << 30  # the offset of the byte msvcrt locks; the file stays a few bytes


def _lock(fd: int) -> None:
    if fcntl is not None:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    else:
        os.lseek(fd, WINDOWS_LOCK_BYTE, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)


def _unlock(fd: int) -> None:
    if fcntl is not None:
        fcntl.flock(fd, fcntl.LOCK_UN)
    else:
        os.lseek(fd, WINDOWS_LOCK_BYTE, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
