"""One shape for every subcommand, and the one wrapper that runs it.

A command is a class with NAME, HELP, STORE and static methods `add_arguments(parser)`,
`check(args)` (optional: refusals before anything is opened) and `run(args, store) -> int`.
The wrapper opens the database named by --db the way STORE says ("read", "write", or None
when the command makes or opens its own), marks what the command does as coming from the
command line in the activity log, runs it and closes the database, whatever happens.
Refusals (any TrackerError) reach the user as one line on standard error and exit status 1
(tracker.cli.main).
"""

from __future__ import annotations

import argparse
from datetime import date
from typing import ClassVar

from tracker.cli.paths import open_for_command
from tracker.errors import TrackerError
from tracker.exchange.cells import CellValueError, parse_date
from tracker.ops.result import OpResult
from tracker.store.database import Store


class UserError(TrackerError):
    """A problem the user can fix, reported as one line."""


class Command:
    NAME: ClassVar[str]
    HELP: ClassVar[str]
    STORE: ClassVar[str | None] = "read"

    @classmethod
    def store_mode(cls, args: argparse.Namespace) -> str | None:
        return cls.STORE

    @staticmethod
    def add_arguments(parser: argparse.ArgumentParser) -> None:
        pass

    @staticmethod
    def check(args: argparse.Namespace) -> None:
        """Refuse bad arguments before the database is opened."""

    @staticmethod
    def run(args: argparse.Namespace, store: Store | None) -> int:
        raise NotImplementedError


def invoke(command: type[Command], args: argparse.Namespace) -> int:
    """Open, run, close: the same for every subcommand."""
    command.check(args)
    mode = command.store_mode(args)
    if mode is None:
        return command.run(args, None)
    store = open_for_command(getattr(args, "db", None), mode=mode)
    store.origin = "cli"
    try:
        return command.run(args, store)
    finally:
        store.close()


def date_option(text: str | None, flag: str) -> date | None:
    """The date an option or argument gives, read as a workbook's date cell is (31/08/2021,
    31 August 2021, 2021-08-31); None when it is not given; a refusal naming `flag`."""
    if not text:
        return None
    try:
        return parse_date(text)
    except CellValueError as exc:
        raise UserError(f"{flag}: {exc}") from exc


def print_done(result: OpResult) -> None:
    """What a finished operation did, with the id `tracker undo` and `tracker log` use."""
    print(f"{result.summary} (operation {result.short_id}).")


def tsv(*cells: object) -> str:
    """One line of tab-separated values: tabs and line breaks inside a cell become spaces."""
    return "\t".join(" ".join(str("" if c is None else c).split()) for c in cells)
