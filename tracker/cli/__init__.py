"""The command line: `tracker [--db PATH] [COMMAND ...]`. With no command, the window opens.

Each command is a class (tracker.cli.command.Command) with NAME, HELP, STORE,
`add_arguments(parser)` and `run(args, store) -> int`; COMMANDS lists them, and one wrapper
opens the database, runs the command and closes it. Errors reach the user as one line, not a
traceback.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from tracker import __version__
from tracker.cli.command import UserError, invoke
from tracker.errors import TrackerError

__all__ = ["COMMANDS", "UserError", "build_parser", "main"]


def _commands() -> list:
    # Imported only when a command (or --help) is asked for: opening the window needs none of
    # them, and together they bring in openpyxl, the report writers and the sync engine.
    from tracker.cli import backups, editing, init_db, summary
    from tracker.cli import plan_import as plan_import_cli
    from tracker.cli import report as report_cli
    from tracker.cli import returns as returns_cli
    from tracker.cli import rounds as rounds_cli
    from tracker.cli import team as team_cli

    return [summary.Summary, init_db.Init, *editing.COMMANDS, *returns_cli.COMMANDS,
            *rounds_cli.COMMANDS, *plan_import_cli.COMMANDS, report_cli.Report,
            *team_cli.COMMANDS, backups.Backups, backups.Restore]


def __getattr__(name: str):
    if name == "COMMANDS":
        return _commands()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


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
    # Opens the window, paints its first frame and exits: the packaging tests' and the bundle
    # smoke test's check that an installation starts. Not for officers, so not in --help.
    top.add_argument("--smoke-start", action="store_true", help=argparse.SUPPRESS)
    sub = top.add_subparsers(dest="command", metavar="COMMAND")
    for command in _commands():
        parser = sub.add_parser(command.NAME, help=command.HELP, description=command.HELP)
        parser.add_argument("--db", metavar="PATH", default=argparse.SUPPRESS,
                            help="database file")
        command.add_arguments(parser)
        parser.set_defaults(command_class=command)
    return top


def _output_that_cannot_fail() -> None:
    """Standard output and error that take any text. Windows gives a redirected command (a file,
    a pipe, a script) the ANSI code page, cp1252, where an officer's text with a tick or an arrow
    raised UnicodeEncodeError after the change was saved: redirected, they write UTF-8 (as Python
    will by default from 3.15); a console or an encoding asked for in PYTHONIOENCODING keeps its
    encoding and shows what it cannot write as a stand-in character."""
    for name in ("stdout", "stderr"):
        stream = getattr(sys, name)  # None in the bundle's window program (no console)
        if stream is None or not hasattr(stream, "reconfigure"):
            continue
        if (stream.encoding or "").lower().replace("-", "").replace("_", "") == "utf8":
            continue
        try:
            if stream.isatty() or os.environ.get("PYTHONIOENCODING"):
                stream.reconfigure(errors="replace")
            else:
                stream.reconfigure(encoding="utf-8")
        except (OSError, ValueError):
            pass  # a stream that cannot change keeps what it has


def main(argv: Sequence[str] | None = None) -> int:
    _output_that_cannot_fail()
    window = _window_only(list(sys.argv[1:] if argv is None else argv))
    args = window if window is not None else build_parser().parse_args(argv)
    try:
        command = getattr(args, "command_class", None)
        if command is None:
            return _start_window(args)
        return invoke(command, args)
    except BrokenPipeError:
        return _reader_gone()
    except (TrackerError, OSError) as exc:
        print(f"tracker: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("tracker: interrupted", file=sys.stderr)
        return 130


def _reader_gone() -> int:
    """What the command printed went to a reader that has stopped reading (`| head`): there is
    nobody to tell. Standard output is pointed at nothing, so the interpreter's last flush
    fails quietly too, and the status is the shell's for a closed pipe (128 + SIGPIPE)."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # no real file behind sys.stdout (a test's capture)
        pass
    return 141


def _window_only(words: list[str]) -> argparse.Namespace | None:
    """The arguments of a plain window start (`--db PATH`, `--smoke-start`), read without
    building the parser of every command; None for anything else (a command, --help, a
    mistake), which the full parser then reads and answers."""
    db, smoke, rest = None, False, list(words)
    while rest:
        word = rest.pop(0)
        if word == "--smoke-start":
            smoke = True
        elif word == "--db" and rest and not rest[0].startswith("-"):
            db = rest.pop(0)
        elif word.startswith("--db=") and len(word) > len("--db="):
            db = word[len("--db="):]
        else:
            return None
    return argparse.Namespace(db=db, smoke_start=smoke, command=None)


def _start_window(args: argparse.Namespace) -> int:
    try:
        from tracker.ui.app import run_gui  # Qt only when the window is wanted
    except ImportError as exc:
        if "shared object" not in str(exc) and "DLL" not in str(exc):
            raise
        raise UserError(f"The window cannot start: a library Qt needs is missing ({exc}); "
                        "install it (bash .ci/install lists the packages).") from exc
    return run_gui(args.db, smoke_start=args.smoke_start)
