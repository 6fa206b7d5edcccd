"""`tracker init --db PATH`: a new database from the built-in sample (or empty)."""

from __future__ import annotations

import argparse

from tracker.cli.command import Command, UserError
from tracker.store.location import create_database, resolve_db


class Init(Command):
    NAME = "init"
    HELP = "create a new database from the built-in sample plan (or empty with --empty)"
    STORE = None  # it makes the file

    @staticmethod
    def add_arguments(parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--empty", action="store_true", help="no sample data, only the schema")

    @staticmethod
    def run(args: argparse.Namespace, _store) -> int:
        path = resolve_db(getattr(args, "db", None))
        if path.exists():
            raise UserError(f"{path} already exists; choose a new file name (nothing was changed).")
        if not path.parent.is_dir():
            raise UserError(f"The folder {path.parent} does not exist.")
        create_database(path, empty=args.empty).close()
        what = "an empty database" if args.empty else "the sample plan"
        print(f"Created {path} with {what}.")
        return 0
