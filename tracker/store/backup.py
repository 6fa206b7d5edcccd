"""Copies of the database made with SQLite's backup API, kept in rotation."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

KEEP = 10


@dataclass(frozen=True)
class Backup:
    path: Path
    reason: str
    taken_at: datetime

    @property
    def label(self) -> str:
        local = self.taken_at.astimezone()
        return f"{local:%d %b %Y %H:%M:%S} — before {self.reason.replace('-', ' ')}"


def backup_dir(db_path: Path) -> Path:
    return db_path.parent / f"{db_path.stem}-backups"


def take_backup(conn: sqlite3.Connection, db_path: Path, reason: str, keep: int = KEEP) -> Path:
    """Copy the live database (consistent even mid-WAL) and drop the oldest beyond `keep`."""
    folder = backup_dir(db_path)
    folder.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    target = folder / f"{db_path.stem}-{stamp}-{reason}.db"
    dest = sqlite3.connect(target)
    try:
        conn.backup(dest)
    finally:
        dest.close()
    for old in list_backups(db_path)[keep:]:
        old.path.unlink(missing_ok=True)
    return target


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
        except ValueError:
            continue
        found.append(Backup(path, parts[1] if len(parts) > 1 else "backup", taken))
    return sorted(found, key=lambda b: b.taken_at, reverse=True)
