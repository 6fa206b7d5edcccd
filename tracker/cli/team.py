"""Team sync from the command line.

  tracker team create LOCATION                 publish this database as the team's plan
  tracker --db NEW.db team join LOCATION --key KEY
  tracker team status                          where this database syncs, and how it stands
  tracker sync                                 push this laptop's changes, pull the others'
  tracker conflicts                            what waits for review (tab-separated)
  tracker resolve ID --keep mine|theirs        or --value TEXT

LOCATION is a folder (a network share) or a postgresql:// address. Exit status: 0 done;
1 refused (a one-line reason); 2 the team's log cannot be reached now (nothing was lost).

Sync opens the database through apsw, which carries its own copy of SQLite; so these commands
close their sqlite3 connection first and keep only the writer lock (two SQLite libraries must
not have one file open in one process at once).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Iterator
from pathlib import Path

from tracker.cli.paths import open_for_command
from tracker.errors import TrackerError
from tracker.store.database import default_officer, open_store
from tracker.store.location import resolve_db
from tracker.sync.errors import LogUnreachableError

UNREACHABLE_EXIT = 2


def _refuse(exc: Exception) -> int:
    print(f"tracker: {exc}", file=sys.stderr)
    return UNREACHABLE_EXIT if isinstance(exc, LogUnreachableError) else 1


@contextlib.contextmanager
def _apsw_turn(args: argparse.Namespace) -> Iterator[tuple[Path, str]]:
    """The database checked and upgraded as any command opens it, then its sqlite3
    connection closed and its writer lock held while sync works on the file."""
    window_pid = getattr(args, "window_pid", None)
    if window_pid:
        path = resolve_db(getattr(args, "db", None))
        _check_window_lock(path, window_pid)
        yield path, default_officer()
        return
    store = open_for_command(getattr(args, "db", None))
    path, officer = Path(store.path), store.officer
    lock = store.hand_over_lock()
    try:
        yield path, officer
    finally:
        if lock is not None:
            lock.release()


def _check_window_lock(path: Path, pid: int) -> None:
    """The window runs sync in a child process while it holds the file's writer lock: accept
    that only from the process that holds it."""
    from tracker.cli import UserError

    lock_file = Path(str(path) + ".lock")
    try:
        holder = int(lock_file.read_text().strip() or 0)
    except (OSError, ValueError):
        holder = 0
    if holder != pid or os.getppid() != pid:
        raise UserError(f"{path} is not held by the window that asked for this sync.")


class Team:
    NAME = "team"
    HELP = "make a team of laptops that share this plan, or join one"

    @staticmethod
    def add_arguments(parser: argparse.ArgumentParser) -> None:
        actions = parser.add_subparsers(dest="team_action", metavar="ACTION", required=True)
        create = actions.add_parser("create", help="publish this database as the team's plan",
                                    description="Publish this database as the team's plan in "
                                    "a shared folder or a PostgreSQL database, and print the "
                                    "key colleagues join with.")
        create.add_argument("location", help="a folder (network share) or a postgresql:// address")
        join = actions.add_parser("join", help="make a new database from the team's plan",
                                  description="Make a new database (named by --db) holding the "
                                  "team's plan, as a new member of the team.")
        join.add_argument("location", help="the team's folder or postgresql:// address")
        join.add_argument("--key", required=True, help="the key 'tracker team create' printed")
        status = actions.add_parser("status", help="where this database syncs, and how it stands")
        for sub in (create, join, status):
            sub.add_argument("--db", metavar="PATH", default=argparse.SUPPRESS,
                             help="database file")

    @staticmethod
    def run(args: argparse.Namespace) -> int:
        from tracker.sync import engine

        try:
            if args.team_action == "create":
                with _apsw_turn(args) as (path, officer):
                    key = engine.create_team(path, args.location, officer)
                print(f"Made a team at {args.location} from {path}.")
                print("Give this key to each colleague who joins; it signs the team's log:")
                print(f"key: {key}")
                print(f"They join with: tracker --db NEW.db team join {args.location} "
                      "--key KEY")
                return 0
            if args.team_action == "join":
                path = resolve_db(getattr(args, "db", None))
                result = engine.join_team(path, args.location, args.key, default_officer())
                open_store(path).close()  # checked as the window will open it
                print(f"Joined the team at {args.location}: {path} holds the team's plan "
                      f"(up to entry {result.seq} of its log).")
                return 0
            with _apsw_turn(args) as (path, _officer):
                status = engine.status(path)
            if status is None:
                print(f"{path} is not a member of a team.")
                return 0
            print(f"team log\t{status.location}")
            print(f"last synced\t{status.synced_at or 'never'} (entry {status.synced_seq})")
            print(f"changes waiting to go\t{status.waiting_changes}")
            print(f"conflicts waiting\t{status.conflicts}")
            if status.last_error:
                print(f"last problem\t{status.last_error}")
            return 0
        except TrackerError as exc:
            return _refuse(exc)


class Sync:
    NAME = "sync"
    HELP = "push this laptop's changes to the team and pull everyone else's"

    @staticmethod
    def add_arguments(parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--window-pid", type=int, help=argparse.SUPPRESS)

    @staticmethod
    def run(args: argparse.Namespace) -> int:
        from tracker.sync import engine

        try:
            with _apsw_turn(args) as (path, officer):
                result = engine.sync(path, officer)
        except TrackerError as exc:
            return _refuse(exc)
        print(result.summary())
        return 0


class Conflicts:
    NAME = "conflicts"
    HELP = "list the conflicts waiting for review, tab-separated"
    HEADER = ("id", "ref", "field", "base", "mine", "theirs", "theirs_by")

    @staticmethod
    def add_arguments(parser: argparse.ArgumentParser) -> None:
        pass

    @staticmethod
    def run(args: argparse.Namespace) -> int:
        from tracker.sync import conflicts

        store = open_for_command(getattr(args, "db", None), mode="read")
        try:
            waiting = conflicts.waiting(store.conn)
        finally:
            store.close()
        print("\t".join(Conflicts.HEADER))
        for c in waiting:
            print(_tsv(c.number, ref_of(c.uid) if c.uid else "", c.label, _cell(c.base),
                       _cell(c.mine), _cell(c.theirs), c.theirs_by))
        return 0


class Resolve:
    NAME = "resolve"
    HELP = "resolve a conflict: keep mine, keep theirs, or write a value"

    @staticmethod
    def add_arguments(parser: argparse.ArgumentParser) -> None:
        parser.add_argument("id", type=int, help="the conflict's id ('tracker conflicts')")
        how = parser.add_mutually_exclusive_group(required=True)
        how.add_argument("--keep", choices=("mine", "theirs"))
        how.add_argument("--value", metavar="TEXT", help="write this value instead")

    @staticmethod
    def run(args: argparse.Namespace) -> int:
        from tracker.sync.resolve import resolve

        store = open_for_command(getattr(args, "db", None))
        try:
            done = resolve(store, args.id, keep=args.keep, value=args.value)
        except TrackerError as exc:
            return _refuse(exc)
        finally:
            store.close()
        print(f"Conflict {args.id}: {done.message} It goes to the team with the next sync.")
        return 0


def ref_of(uid: str) -> str:
    return uid.replace("-", "")[:8]


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _tsv(*cells: object) -> str:
    return "\t".join(" ".join(str("" if c is None else c).split()) for c in cells)


COMMANDS = [Team, Sync, Conflicts, Resolve]
