"""A team's log in a shared folder (a network share): one immutable file per entry.

An entry is written under a temporary name, flushed to disk, then given its final name with
an operation that fails if the name exists (a hard link on Linux and macOS, a rename on
Windows, which never replaces a file): that is the fast-forward check, and no reader ever sees
a half-written entry, since readers open final names only. A killed laptop leaves at most a
temporary file, which readers ignore and later pushes sweep away.

Folders kept in step by OneDrive, SharePoint, Dropbox, Google Drive or iCloud are refused:
they copy files between machines after the fact, so two laptops can both "create" entry 7
and the service keeps both under different names, splitting the team's history.
"""

from __future__ import annotations

import errno
import os
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

from tracker.sync.errors import LogRefusedError, LogUnreachableError, SyncError

LOG_DIR = "tracker-log"
_SUFFIX = ".entry"
_TEMP_PREFIX = "incoming-"
_STALE_SECONDS = 24 * 3600
_CLOUD_NAMES = (("onedrive", "OneDrive"), ("sharepoint", "SharePoint"), ("dropbox", "Dropbox"),
                ("google drive", "Google Drive"), ("googledrive", "Google Drive"),
                ("my drive", "Google Drive"), ("icloud", "iCloud Drive"),
                ("icloud drive", "iCloud Drive"), ("box sync", "Box"))
_CLOUD_MARKERS = ((".dropbox", "Dropbox"), (".dropbox.cache", "Dropbox"),
                  (".tmp.drivedownload", "Google Drive"), (".tmp.driveupload", "Google Drive"))


def cloud_sync_service(path: Path) -> str | None:
    """The name of the file-sync service that keeps `path` in step, when that can be told from
    its name, the service's own marker files, or the folders Windows names in OneDrive's
    environment variables; None otherwise."""
    path = Path(os.path.abspath(path))
    for name in ("OneDrive", "OneDriveCommercial", "OneDriveConsumer"):
        root = os.environ.get(name)
        if root:
            try:
                path.relative_to(Path(os.path.abspath(root)))
                return "OneDrive"
            except ValueError:
                pass
    for part in path.parts:
        lower = part.lower()
        for needle, service in _CLOUD_NAMES:
            if lower == needle or lower.startswith(needle + " -") or lower.startswith(needle + "-"):
                return service
        if lower.startswith("onedrive"):
            return "OneDrive"
    for folder in (path, *path.parents):
        for marker, service in _CLOUD_MARKERS:
            try:
                if (folder / marker).exists():
                    return service
            except OSError:
                continue
    return None


def _entry_name(seq: int) -> str:
    return f"{seq:012d}{_SUFFIX}"


class FolderLog:
    def __init__(self, location: str | os.PathLike, *, creating: bool = False):
        self.location = str(location)
        self.root = Path(os.path.expanduser(str(location)))
        self.dir = self.root / LOG_DIR
        service = cloud_sync_service(self.root)
        if service:
            raise SyncError(
                f"{self.root} is kept in step by {service}, which copies files between "
                "computers after the fact and can split the team's log: use a network share "
                "(a mapped drive or \\\\server\\share) or a PostgreSQL server instead.")
        if not creating:
            self._check_reachable()

    # --- checks and errors ---------------------------------------------------------------

    def _check_reachable(self) -> None:
        try:
            if not self.root.is_dir():
                raise LogUnreachableError(
                    f"The team folder {self.root} cannot be reached: it does not exist, or the "
                    "network drive is not connected. Nothing was changed; your edits go with "
                    "the next sync.")
            if not self.dir.is_dir():
                raise SyncError(f"{self.root} holds no team log (no {LOG_DIR} folder in it): "
                                "is this the team's folder?")
        except OSError as exc:
            raise self._explain(exc) from exc

    def _explain(self, exc: OSError) -> SyncError:
        if exc.errno in (errno.ENOSPC, errno.EDQUOT):
            return LogRefusedError(f"The team folder {self.root} is full: nothing was added to "
                                   "the log; your edits are kept for the next sync.")
        if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
            return LogRefusedError(f"You may not write to the team folder {self.root} (it is "
                                   "read-only for you): nothing was added to the log; ask IT "
                                   "for write access.")
        return LogUnreachableError(f"The team folder {self.root} cannot be reached ({exc.strerror or exc}). "
                                   "Nothing was changed; your edits go with the next sync.")

    # --- the interface ----------------------------------------------------------------------

    def prepare(self) -> None:
        try:
            if not self.root.exists():
                if not self.root.parent.is_dir():
                    raise LogUnreachableError(
                        f"Cannot make the team folder {self.root}: {self.root.parent} does not "
                        "exist or cannot be reached.")
                self.root.mkdir()
            if (self.dir / _entry_name(1)).exists():
                raise SyncError(f"{self.root} already holds a team's log: join that team "
                                "(tracker team join) or choose another folder.")
            self.dir.mkdir(exist_ok=True)
            self._check_atomic_create()
        except OSError as exc:
            raise self._explain(exc) from exc

    def _check_atomic_create(self) -> None:
        """Refuse a folder whose file system cannot create a name only if it is free."""
        probe = self.dir / f"{_TEMP_PREFIX}{uuid.uuid4().hex}.probe"
        target = self.dir / f"{_TEMP_PREFIX}{uuid.uuid4().hex}.probe"
        probe.write_bytes(b"")
        try:
            try:
                _publish(probe, target)
            except OSError as exc:
                if exc.errno in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.ENOSYS):
                    raise SyncError(
                        f"{self.root} cannot hold a team log: its file system cannot add a file "
                        "only if the name is free, which keeps two laptops from writing the "
                        "same entry. Use another share or a PostgreSQL server.") from exc
                raise
        finally:
            for path in (probe, target):
                path.unlink(missing_ok=True)

    def read(self, seq: int) -> bytes | None:
        path = self.dir / _entry_name(seq)
        try:
            return path.read_bytes()
        except FileNotFoundError:
            if not self.root.is_dir():
                raise self._explain(FileNotFoundError(errno.ENOENT, "gone")) from None
            return None
        except OSError as exc:
            raise self._explain(exc) from exc

    def read_after(self, seq: int) -> Iterator[tuple[int, bytes]]:
        # Entries are numbered without gaps, so probing for the next number finds them all
        # without listing a folder of thousands of files on a slow share.
        n = seq + 1
        while True:
            blob = self.read(n)
            if blob is None:
                return
            yield n, blob
            n += 1

    def append(self, seq: int, blob: bytes) -> bool:
        final = self.dir / _entry_name(seq)
        temp = self.dir / f"{_TEMP_PREFIX}{uuid.uuid4().hex}.part"
        try:
            if seq > 1 and not (self.dir / _entry_name(seq - 1)).exists():
                return False
            if final.exists():
                return False
            _write_durably(temp, blob)
            try:
                _publish(temp, final)
            except FileExistsError:
                return False
            try:
                os.chmod(final, 0o444)
            except OSError:
                pass
            _sync_dir(self.dir)
            return True
        except OSError as exc:
            raise self._explain(exc) from exc
        finally:
            try:
                temp.unlink(missing_ok=True)
            except OSError:
                pass
            self._sweep()

    def _sweep(self) -> None:
        """Remove temporary files that killed laptops left behind long ago."""
        try:
            cutoff = time.time() - _STALE_SECONDS
            for path in self.dir.glob(f"{_TEMP_PREFIX}*"):
                try:
                    if path.stat().st_mtime < cutoff:
                        path.unlink()
                except OSError:
                    continue
        except OSError:
            pass

    def close(self) -> None:
        pass


def _write_durably(path: Path, blob: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o644)
    try:
        view = memoryview(blob)
        while view:
            written = os.write(fd, view)
            view = view[written:]
        os.fsync(fd)
    finally:
        os.close(fd)


def _publish(temp: Path, final: Path) -> None:
    """Give `temp` the name `final`, failing with FileExistsError if `final` exists."""
    if os.name == "nt":
        os.rename(temp, final)  # never replaces an existing file on Windows
    else:
        os.link(temp, final)


def _sync_dir(directory: Path) -> None:
    if os.name == "nt":
        return
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
