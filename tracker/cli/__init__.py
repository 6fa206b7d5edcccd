"""The command line: `tracker [--db PATH] [COMMAND ...]`. With no command, the window opens.

Each command lives in its own module with `NAME`, `HELP`, `add_arguments(parser)` and
`run(args) -> int`; COMMANDS lists them. Errors reach the user as one line, not a traceback.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from tracker import __version__
from tracker.cli import init_db, summary
from tracker.cli import plan_import as plan_import_cli
from tracker.cli import report as report_cli
from tracker.cli import returns as returns_cli
from tracker.store.errors import StoreError

COMMANDS = [summary, init_db, *returns_cli.COMMANDS, *plan_import_cli.COMMANDS, report_cli]


class UserError(Exception):
    """A problem the user can fix, reported as one line."""


def build_parser() -> argparse.ArgumentParser:
    # --db may come before or after the command's name: every parser knows it, and the
    # sub-parsers leave it untouched (SUPPRESS) unless it is given there.
    top = argparse.ArgumentParser(
        prog="tracker",
        description="Commitment Tracker: the Police and Crime Plan, its evidence, indicators "
                    "and partner returns.",
    )
    top.add_argument("--version", action="version", version=f"Commitment Tracker {__version__}")
    top.add_argument("--db", metavar="PATH", help="database file (default: the one in your "
                     "data folder, made from the built-in sample on first run)")
    sub = top.add_subparsers(dest="command", metavar="COMMAND")
    for module in COMMANDS:
        parser = sub.add_parser(module.NAME, help=module.HELP, description=module.HELP)
        parser.add_argument("--db", metavar="PATH", default=argparse.SUPPRESS,
                            help="database file")
        module.add_arguments(parser)
        parser.set_defaults(run=module.run)
    return top


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        if getattr(args, "run", None) is None:
            from tracker.ui.app import run_gui  # Qt only when the window is wanted

            return run_gui(args.db)
        return args.run(args)
    except (StoreError, UserError, OSError) as exc:
        print(f"tracker: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("tracker: interrupted", file=sys.stderr)
        return 130
