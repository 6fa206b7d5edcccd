"""Partner returns and the whole-plan workbook from the command line.

  tracker export-returns [--round "2021/22 Q2"] [--partner P] --out DIR [--due 31/07/2021]
  tracker import-return FILE                 print the preview, write nothing
  tracker import-return FILE --apply         apply, only when the preview has no problems
  tracker import-return FILE --accept-valid  apply the valid rows, report the rest
  tracker revert-return ID
  tracker returns-status [--round R]         sent, back or overdue, per partner
                                             (the round: by default the latest still open)
  tracker export-plan --out FILE
  tracker import-plan FILE                   into an empty (or new) database

Exit status: 0 done; 1 refused (a one-line reason); 2 the preview has problems and nothing
was written.
"""

from __future__ import annotations

import argparse
import textwrap
from pathlib import Path

from tracker import ops
from tracker.cli.command import Command, UserError, date_option, print_done
from tracker.domain.wording import count_of
from tracker.exchange.errors import ExchangeError

PROBLEMS_EXIT = 2


class ExportReturns(Command):
    NAME = "export-returns"
    HELP = "write each partner's return workbook for a reporting round"
    STORE = "write"

    @staticmethod
    def add_arguments(parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--round", help='reporting round, e.g. "2021/22 Q2" (default: the '
                                            "latest round still open; see tracker rounds)")
        parser.add_argument("--partner", help="only this partner (name or key)")
        parser.add_argument("--out", required=True, metavar="DIR", help="folder for the workbooks")
        parser.add_argument("--due", help="date the workbooks are due back (default: in 28 days)")

    @staticmethod
    def check(args: argparse.Namespace) -> None:
        args.due_date = date_option(args.due, "--due")

    @staticmethod
    def run(args: argparse.Namespace, store) -> int:
        from tracker.store import queries

        sent = ops.send_returns(store, args.round or queries.default_round_label(store), args.out,
                                partner=args.partner,
                                due_date=args.due_date)
        for w in sent.value:
            print(f"{w.path}  {w.partner_name}: {count_of(w.commitments, 'commitment')}, "
                  f"{count_of(w.indicator_rows, 'indicator figure')}")
        print(f"{count_of(len(sent.value), 'workbook')} written to {args.out}.")
        return 0


class ImportReturn(Command):
    NAME = "import-return"
    HELP = "preview a returned workbook (writes nothing), or apply it with --apply"

    @classmethod
    def store_mode(cls, args: argparse.Namespace) -> str:
        return "write" if args.apply or args.accept_valid else "read"

    @staticmethod
    def add_arguments(parser: argparse.ArgumentParser) -> None:
        parser.add_argument("file", help="the partner's returned .xlsx")
        parser.add_argument("--apply", action="store_true",
                            help="apply the changes, only if the preview has no problems")
        parser.add_argument("--accept-valid", action="store_true",
                            help="apply the rows without problems and report the rest")
        parser.add_argument("--accept-conflicts", action="store_true",
                            help="also apply changes to items edited in the tracker since export")
        parser.add_argument("--partner", help="refuse the file unless it is this partner's")
        parser.add_argument("--round", help="refuse the file unless it is for this round")
        parser.add_argument("--marked-copy", metavar="FILE",
                            help="save a copy of the workbook with each problem marked")

    @staticmethod
    def run(args: argparse.Namespace, store) -> int:
        from tracker.exchange.marked_copy import save_marked_copy
        from tracker.exchange.return_preview import preview_return
        from tracker.ops.returns import canonical_round

        writing = args.apply or args.accept_valid
        expected_partner = ops.partner_named(store, args.partner) if args.partner else None
        preview = preview_return(
            store, args.file, expected_partner_id=expected_partner,
            expected_round=canonical_round(args.round) if args.round else None)
        if args.accept_conflicts:
            for change in preview.conflicts:
                change.accepted = True
        print(render_preview(preview))
        if args.marked_copy and preview.problems:
            out = save_marked_copy(args.file, preview.problems, args.marked_copy)
            print(f"\nMarked copy saved: {out}")
        if preview.duplicate_of is not None:
            return 0
        if preview.blocked:
            raise ExchangeError(preview.blocked)
        if not writing:
            return PROBLEMS_EXIT if preview.problems else 0
        if preview.problems and not args.accept_valid:
            print(f"\nNothing was written: {count_of(len(preview.problems), 'problem')}. Fix "
                  "them, or use --accept-valid to apply the other rows.")
            return PROBLEMS_EXIT
        result = ops.apply_return(store, preview, accept_valid=args.accept_valid)
        # The return's id is the handle revert-return takes; the summary names it in words.
        print("\n" + result.summary + f" (return {result.value.record.id}, "
              f"operation {result.short_id})")
        return 0


def render_preview(preview) -> str:
    counts = preview.counts()
    lines = [
        f"{preview.partner_name}, {preview.round} return: {preview.file_name} "
        f"(SHA-256 {preview.sha256[:12]}…), sent {preview.exported_at[:10]}",
    ]
    if preview.duplicate_of is not None:
        d = preview.duplicate_of
        lines.append(f"This file was already imported on {d.imported_at[:10]} by {d.imported_by} "
                     f"(return {d.id}); importing it again changes nothing.")
        return "\n".join(lines)
    if preview.blocked:
        lines.append(preview.blocked)
    lines.append(f"{count_of(preview.rows_read, 'row')} read: "
                 f"{count_of(counts['statuses'], 'status change')}, "
                 f"{counts['evidence']} new evidence, "
                 f"{count_of(counts['values'], 'indicator value')}, "
                 f"{count_of(counts['conflicts'], 'conflict')}, "
                 f"{count_of(counts['problems'], 'problem')}")
    plain = [c for c in preview.changes if not c.conflict]
    if plain:
        lines.append("\nChanges:")
        lines.extend(_change_line(c) for c in plain)
    if preview.conflicts:
        lines.append("\nConflicts (changed in the tracker since the export; applied only when "
                     "accepted):")
        for c in preview.conflicts:
            lines.append(_change_line(c))
            lines.append(textwrap.indent(textwrap.fill(c.conflict, 96), " " * 8))
            for since in c.since:
                lines.append(textwrap.indent(textwrap.fill(f"since the export: {since}", 96),
                                             " " * 8))
    if preview.problems:
        lines.append("\nProblems (rows with a problem are not applied):")
        for p in preview.problems:
            ref = f" [{p.ref}]" if p.ref else ""
            lines.append(textwrap.fill(f"{p.sheet}!{p.cell}{ref}: {p.message}", 100,
                                       initial_indent="  ", subsequent_indent="      "))
    if not preview.changes and not preview.problems:
        lines.append("Nothing to change: the workbook came back without new answers.")
    return "\n".join(lines)


def _change_line(c) -> str:
    arrow = f"{c.before or '(none)'} -> {c.after}" if c.kind != "evidence" else c.after
    accepted = "" if c.accepted else " (not accepted)"
    lines = [textwrap.fill(f"[{c.number}] {c.kind_label}, {c.sheet}!{c.cell} {c.ref} {c.item}: "
                           f"{arrow}{accepted}", 100, initial_indent="  ",
                           subsequent_indent="      ")]
    # What else the officer approves: the partner's reason, the whole statement, its date and
    # figure, the note (the conflict and what changed since are printed with the conflicts).
    for label, text in c.details():
        if label in ("Item", "Cell", "Status", "Value", "Conflict", "Since the export"):
            continue
        if label == "Evidence" and not c.cut_short:
            continue  # printed whole above
        lines.append(textwrap.fill(f"{label.lower()}: {text}", 100, initial_indent="      ",
                                   subsequent_indent="        "))
    return "\n".join(lines)


class RevertReturn(Command):
    NAME = "revert-return"
    HELP = "take back every change an imported return made"
    STORE = "write"

    @staticmethod
    def add_arguments(parser: argparse.ArgumentParser) -> None:
        parser.add_argument("id", type=int, help="the return's number (see returns-status)")

    @staticmethod
    def run(args: argparse.Namespace, store) -> int:
        result = ops.revert_return(store, args.id)
        print_done(result)
        return 0


class ReturnsStatus(Command):
    NAME = "returns-status"
    HELP = "per partner, whether a round's workbook was sent, came back, or is overdue"
    STORE = "read"

    @staticmethod
    def add_arguments(parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--round", help='reporting round, e.g. "2021/22 Q2" (default: the '
                                            "latest round still open)")

    @staticmethod
    def check(args: argparse.Namespace) -> None:
        from tracker.ops.returns import canonical_round

        if args.round:
            args.round = canonical_round(args.round)

    @staticmethod
    def run(args: argparse.Namespace, store) -> int:
        from tracker.store import queries

        round_label = args.round or queries.default_round_label(store)
        rows = queries.round_status(store, round_label)
        width = max((len(r.partner_name) for r in rows), default=10)
        print(f"Round {round_label}")
        for r in rows:
            ref = f"  (return {r.return_id})" if r.state == "back" else ""
            print(f"  {r.partner_name:<{width}}  {r.label}{ref}")
        chase = [r for r in rows if r.state == "overdue"]
        print(f"{sum(r.state == 'back' for r in rows)} back, "
              f"{sum(r.state in ('sent', 'overdue') for r in rows)} awaited "
              f"({len(chase)} overdue), {sum(r.state == 'not sent' for r in rows)} not sent.")
        return 0


class ExportPlan(Command):
    NAME = "export-plan"
    HELP = "write everything (plans, priorities, commitments, evidence, indicators, values, " \
           "partners) to one workbook"
    STORE = "read"

    @staticmethod
    def add_arguments(parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--out", required=True, metavar="FILE", help="the .xlsx to write")

    @staticmethod
    def run(args: argparse.Namespace, store) -> int:
        from tracker.ops import export_plan_workbook
        from tracker.store.queries import count_attachments

        counts = export_plan_workbook(store, args.out)
        print(f"Wrote {args.out}: " + ", ".join(f"{n} {name}" for name, n in counts.items()))
        files = count_attachments(store)
        if files:
            print(f"Files attached to evidence are not in the workbook: {files} "
                  f"{'file is' if files == 1 else 'files are'} kept in the database only.")
        return 0


class ImportPlan(Command):
    NAME = "import-plan"
    HELP = "load a whole-plan workbook into an empty database"
    STORE = None  # it may make the database

    @staticmethod
    def add_arguments(parser: argparse.ArgumentParser) -> None:
        parser.add_argument("file", help="a workbook written by export-plan")

    @staticmethod
    def run(args: argparse.Namespace, _store) -> int:
        from tracker.store.database import open_store
        from tracker.store.location import resolve_db

        db = getattr(args, "db", None)
        if db is None:
            raise UserError("Name the empty database to load into with --db PATH.")
        store = open_store(resolve_db(db), create=not Path(db).exists())
        store.origin = "cli"
        try:
            result = ops.load_plan_workbook(store, args.file)
        finally:
            store.close()
        print(f"Loaded {args.file} into {db}: "
              + ", ".join(f"{n} {name}" for name, n in result.value.items()))
        return 0


COMMANDS = [ExportReturns, ImportReturn, RevertReturn, ReturnsStatus, ExportPlan, ImportPlan]
