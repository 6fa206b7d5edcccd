"""`tracker backups` and `tracker restore`: the automatic backups of a database, listed with the
disk they take, and one put back, from the command line (IT staff and scripts, or an officer
whose window will not open on a damaged file)."""

from __future__ import annotations

import argparse
from pathlib import Path

from tracker import ops
from tracker.cli.command import Command, UserError, print_done, tsv
from tracker.domain.wording import file_size
from tracker.store.location import resolve_db
from tracker.store.queries import describe_backups, list_backups


def _database(args: argparse.Namespace) -> Path:
    path = resolve_db(getattr(args, "db", None))
    if not path.exists():
        raise UserError(f"There is no database at {path}.")
    return path


class Backups(Command):
    NAME = "backups"
    HELP = "list the automatic backups of a database, newest first, with the disk they take"
    STORE = None  # only the files beside the database are read: it may be open in a window

    @staticmethod
    def add_arguments(parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--tsv", action="store_true",
                            help="one tab-separated line per backup (number, taken at, reason, "
                            "bytes, path) for scripts")

    @staticmethod
    def run(args: argparse.Namespace, store) -> int:
        backups = list_backups(_database(args))
        if args.tsv:
            print(tsv("number", "taken_at", "reason", "bytes", "path"))
            for number, b in enumerate(backups, 1):
                print(tsv(number, b.taken_at.isoformat(), b.reason, b.bytes, b.path))
            return 0
        if not backups:
            print(describe_backups(backups))
            return 0
        for number, b in enumerate(backups, 1):
            print(f"{number:>3}  {b.label}  ({file_size(b.bytes)})\n     {b.path}")
        print(f"\n{describe_backups(backups)}\nTo put one back: tracker restore NUMBER")
        return 0


class Restore(Command):
    NAME = "restore"
    HELP = ("put one of the automatic backups back over the database (what it holds now is "
            "backed up first, so the restore can be taken back the same way)")
    STORE = None  # the file is replaced: the command must not hold it open

    @staticmethod
    def add_arguments(parser: argparse.ArgumentParser) -> None:
        parser.add_argument("backup", metavar="BACKUP",
                            help="the backup's number in `tracker backups` (1 is the newest) "
                            "or its file")

    @staticmethod
    def run(args: argparse.Namespace, store) -> int:
        db_path = _database(args)
        chosen = _chosen(db_path, args.backup)
        result = ops.restore_backup(db_path, chosen, origin="cli")
        print_done(result)
        return 0


def _chosen(db_path: Path, wanted: str) -> Path:
    backups = list_backups(db_path)
    if wanted.isdigit():
        number = int(wanted)
        if not 1 <= number <= len(backups):
            listed = (f"`tracker backups` lists {len(backups)} (1 to {len(backups)})"
                      if backups else "this database has no backups yet")
            raise UserError(f"There is no backup {number}: {listed}.")
        return backups[number - 1].path
    path = Path(wanted).expanduser()
    if not path.is_file():
        raise UserError(f"There is no backup file {path}.")
    return path.resolve()
