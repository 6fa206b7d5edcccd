"""Team sync from the command line.

  tracker team create LOCATION                 publish this database as the team's plan
  tracker --db NEW.db team join LOCATION --key KEY
  tracker team status                          where this database syncs, and how it stands
  tracker sync                                 push this laptop's changes, pull the others'
  tracker conflicts                            what waits for review (tab-separated)
  tracker resolve ID --keep mine|theirs        or --value TEXT

LOCATION is a folder (a network share) or a postgresql:// address. Exit status: 0 done;
1 refused (a one-line reason); 2 the team's log cannot be reached now (nothing was lost).

Sync opens the database through apsw, which carries its own copy of SQLite: these commands
close the store's sqlite3 connection while it works (`Store.connection_closed`, which keeps
the writer lock), since two SQLite libraries must not have one file open in one process.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from tracker import ops
from tracker.cli.command import Command, UserError, tsv
from tracker.errors import TrackerError
from tracker.store.database import Store, default_officer, open_store
from tracker.store.location import resolve_db
from tracker.sync.errors import LogUnreachableError

UNREACHABLE_EXIT = 2
CONFLICTS_HEADER = ("id", "ref", "field", "base", "mine", "theirs", "theirs_by")


def _refuse(exc: Exception) -> int:
    print(f"tracker: {exc}", file=sys.stderr)
    return UNREACHABLE_EXIT if isinstance(exc, LogUnreachableError) else 1


class Team(Command):
    NAME = "team"
    HELP = "make a team of laptops that share this plan, or join one"
    STORE = None  # each action opens the database its own way

    @staticmethod
    def add_arguments(parser: argparse.ArgumentParser) -> None:
        actions = parser.add_subparsers(dest="team_action", metavar="ACTION", required=True)
        create = actions.add_parser(
            "create", help="publish this database as the team's plan",
            description="Publish this database as the team's plan in a shared folder or a "
                        "PostgreSQL database, and print the key colleagues join with.")
        create.add_argument("location", help="a folder (network share) or a postgresql:// "
                            "address")
        create.add_argument("--window-pid", type=int, help=argparse.SUPPRESS)
        join = actions.add_parser(
            "join", help="make a new database from the team's plan",
            description="Make a new database (named by --db) holding the team's plan, as a "
                        "new member of the team.")
        join.add_argument("location", help="the team's folder or postgresql:// address")
        join.add_argument("--key", required=True, help="the key 'tracker team create' printed")
        status = actions.add_parser("status", help="where this database syncs, and how it stands")
        for sub in (create, join, status):
            sub.add_argument("--db", metavar="PATH", default=argparse.SUPPRESS,
                             help="database file")

    @staticmethod
    def run(args: argparse.Namespace, _store) -> int:
        try:
            if args.team_action == "create":
                return Team._create(args)
            if args.team_action == "join":
                return Team._join(args)
            return Team._status(args)
        except TrackerError as exc:
            return _refuse(exc)

    @staticmethod
    def _create(args: argparse.Namespace) -> int:
        from tracker.cli.paths import open_for_command
        from tracker.sync import engine

        if getattr(args, "window_pid", None):  # the window asked, holding the file
            path = resolve_db(getattr(args, "db", None))
            _check_window_lock(path, args.window_pid)
            engine.create_team(path, args.location, default_officer())
            print(f"Made a team at {args.location} from {path}.")
            return 0
        store = open_for_command(getattr(args, "db", None))
        try:
            with store.connection_closed():
                key = engine.create_team(Path(store.path), args.location, store.officer)
            print(f"Made a team at {args.location} from {store.path}.")
        finally:
            store.close()
        print("Give this key to each colleague who joins; it seals the team's log:")
        print(f"key: {key}")
        print(f"They join with: tracker --db NEW.db team join {args.location} --key KEY")
        return 0

    @staticmethod
    def _join(args: argparse.Namespace) -> int:
        from tracker.sync import engine

        path = resolve_db(getattr(args, "db", None))
        result = engine.join_team(path, args.location, args.key, default_officer())
        open_store(path).close()  # upgraded and checked as the window will open it
        print(f"Joined the team at {args.location}: {path} holds the team's plan (up to "
              f"entry {result.seq} of its log).")
        return 0

    @staticmethod
    def _status(args: argparse.Namespace) -> int:
        from tracker.cli.paths import open_for_command
        from tracker.ops import team as team_ops  # apsw: loaded for team commands only

        store = open_for_command(getattr(args, "db", None), mode="read")
        try:
            status = team_ops.team_status(store)
        finally:
            store.close()
        if status is None:
            print(f"{store.path} is not a member of a team.")
            return 0
        print(tsv("team log", status.location))
        print(tsv("last synced", f"{status.synced_at or 'never'} (entry {status.synced_seq})"))
        print(tsv("changes waiting to go", status.waiting))
        print(tsv("conflicts waiting", status.conflicts))
        if status.last_error:
            print(tsv("last problem", status.last_error))
        return 0


class Sync(Command):
    NAME = "sync"
    HELP = "push this laptop's changes to the team and pull everyone else's"
    STORE = "write"

    @classmethod
    def store_mode(cls, args: argparse.Namespace) -> str | None:
        return None if getattr(args, "window_pid", None) else "write"

    @staticmethod
    def add_arguments(parser: argparse.ArgumentParser) -> None:
        # The window runs sync in a child process while it holds the writer lock.
        parser.add_argument("--window-pid", type=int, help=argparse.SUPPRESS)

    @staticmethod
    def run(args: argparse.Namespace, store: Store | None) -> int:
        from tracker.ops import team as team_ops  # apsw: loaded for team commands only
        from tracker.sync import engine

        try:
            if store is None:
                path = resolve_db(getattr(args, "db", None))
                _check_window_lock(path, args.window_pid)
                result = engine.sync(path, default_officer())
            else:
                result = team_ops.sync_now(store)
        except TrackerError as exc:
            return _refuse(exc)
        print(result.summary())
        return 0


def _check_window_lock(path: Path, pid: int) -> None:
    """Accept "the window holds the lock" only from the window that holds it."""
    try:
        holder = int(Path(str(path) + ".lock").read_text().strip() or 0)
    except (OSError, ValueError):
        holder = 0
    if holder != pid or os.getppid() != pid:
        raise UserError(f"{path} is not held by the window that asked for this sync.")


class Conflicts(Command):
    NAME = "conflicts"
    HELP = "list the conflicts waiting for review, tab-separated"
    STORE = "read"

    @staticmethod
    def run(args: argparse.Namespace, store: Store) -> int:
        from tracker.ops import team as team_ops  # apsw: loaded for team commands only

        print(tsv(*CONFLICTS_HEADER))
        for c in team_ops.waiting_conflicts(store):
            shown = [team_ops.plain_value(c.table, c.field, v) for v in (c.base, c.mine, c.theirs)]
            print(tsv(c.number, ops.ref_of(c.uid) if c.uid else "", c.label, *shown, c.theirs_by))
        return 0


class Resolve(Command):
    NAME = "resolve"
    HELP = "resolve a conflict: keep mine, keep theirs, or write a value"
    STORE = "write"

    @staticmethod
    def add_arguments(parser: argparse.ArgumentParser) -> None:
        parser.add_argument("id", type=int, help="the conflict's id ('tracker conflicts')")
        how = parser.add_mutually_exclusive_group(required=True)
        how.add_argument("--keep", choices=("mine", "theirs"))
        how.add_argument("--value", metavar="TEXT", help="write this value instead")

    @staticmethod
    def run(args: argparse.Namespace, store: Store) -> int:
        from tracker.ops import team as team_ops  # apsw: loaded for team commands only

        done = team_ops.resolve_conflict(store, args.id, keep=args.keep, value=args.value)
        message = done.value.message
        print(f"Conflict {args.id}: {message[0].upper()}{message[1:]}. It goes to the team "
              "with the next sync.")
        return 0



COMMANDS = [Team, Sync, Conflicts, Resolve]
