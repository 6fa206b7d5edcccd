"""Partner returns and the whole-plan workbook from the command line.

  tracker export-returns --round "2021/22 Q2" [--partner P] --out DIR [--due 31/07/2021]
  tracker import-return FILE                 print the preview, write nothing
  tracker import-return FILE --apply         apply, only when the preview has no problems
  tracker import-return FILE --accept-valid  apply the valid rows, report the rest
  tracker revert-return ID
  tracker returns-status --round R           sent, back or overdue, per partner
  tracker export-plan --out FILE
  tracker import-plan FILE                   into an empty (or new) database

Exit status: 0 done; 1 refused (a one-line reason); 2 the preview has problems and nothing
was written.
"""

from __future__ import annotations

import argparse
import textwrap
from pathlib import Path

from tracker.cli.paths import open_for_command
from tracker.domain.wording import count_of
from tracker.exchange.cells import CellValueError, parse_date
from tracker.exchange.errors import ExchangeError

PROBLEMS_EXIT = 2


def _user_error(exc: Exception):
    from tracker.cli import UserError

    return UserError(str(exc))


class ExportReturns:
    NAME = "export-returns"
    HELP = "write each partner's return workbook for a reporting round"

    @staticmethod
    def add_arguments(parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--round", required=True, help='reporting round, e.g. "2021/22 Q2"')
        parser.add_argument("--partner", help="only this partner (name or key)")
        parser.add_argument("--out", required=True, metavar="DIR", help="folder for the workbooks")
        parser.add_argument("--due", help="date the workbooks are due back (default: in 28 days)")

    @staticmethod
    def run(args: argparse.Namespace) -> int:
        from tracker.exchange.return_export import export_round

        due = None
        if args.due:
            try:
                due = parse_date(args.due)
            except CellValueError as exc:
                raise _user_error(f"--due: {exc}") from exc
        store = open_for_command(getattr(args, "db", None))
        try:
            written = export_round(store, args.round, args.out, partner=args.partner, due_date=due)
        except ExchangeError as exc:
            raise _user_error(exc) from exc
        finally:
            store.close()
        for w in written:
            print(f"{w.path}  {w.partner_name}: {count_of(w.commitments, 'commitment')}, "
                  f"{count_of(w.indicator_rows, 'indicator figure')}")
        print(f"{count_of(len(written), 'workbook')} written to {args.out}.")
        return 0


class ImportReturn:
    NAME = "import-return"
    HELP = "preview a returned workbook (writes nothing), or apply it with --apply"

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
    def run(args: argparse.Namespace) -> int:
        from tracker.exchange.marked_copy import save_marked_copy
        from tracker.exchange.return_apply import apply_preview
        from tracker.exchange.return_export import canonical_round
        from tracker.exchange.return_preview import preview_return
        from tracker.store import partners

        writing = args.apply or args.accept_valid
        store = open_for_command(getattr(args, "db", None), mode="write" if writing else "read")
        try:
            expected_partner = None
            if args.partner:
                found = partners.find_partner(store, args.partner)
                if found is None:
                    raise _user_error(f"No partner '{args.partner}'.")
                expected_partner = found.id
            try:
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
                    print(f"\nNothing was written: {len(preview.problems)} problem(s). Fix them, "
                          "or use --accept-valid to apply the other rows.")
                    return PROBLEMS_EXIT
                result = apply_preview(store, preview, accept_valid=args.accept_valid)
            except ExchangeError as exc:
                raise _user_error(exc) from exc
            print("\n" + result.message)
            return 0
        finally:
            store.close()


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
    return textwrap.fill(f"[{c.number}] {c.kind_label}, {c.sheet}!{c.cell} {c.ref} {c.item}: "
                         f"{arrow}{accepted}", 100, initial_indent="  ",
                         subsequent_indent="      ")


class RevertReturn:
    NAME = "revert-return"
    HELP = "take back every change an imported return made"

    @staticmethod
    def add_arguments(parser: argparse.ArgumentParser) -> None:
        parser.add_argument("id", type=int, help="the return's number (see returns-status)")

    @staticmethod
    def run(args: argparse.Namespace) -> int:
        from tracker.store import returns
        from tracker.store.backup import take_backup

        store = open_for_command(getattr(args, "db", None))
        try:
            returns.get_return(store, args.id)
            if store.path is not None:
                take_backup(store.conn, store.path, "revert-return")
            result = returns.revert_return(store, args.id)
        finally:
            store.close()
        r = result.record
        print(f"Reverted return {r.id} ({r.partner_name}, {r.round}, {r.file_name}): "
              f"{result.evidence_removed} evidence removed, {result.statuses_restored} statuses "
              f"and {result.values_restored} values put back.")
        return 0


class ReturnsStatus:
    NAME = "returns-status"
    HELP = "per partner, whether a round's workbook was sent, came back, or is overdue"

    @staticmethod
    def add_arguments(parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--round", required=True, help='reporting round, e.g. "2021/22 Q2"')

    @staticmethod
    def run(args: argparse.Namespace) -> int:
        from tracker.exchange.return_export import canonical_round
        from tracker.store import returns

        try:
            round_label = canonical_round(args.round)
        except ExchangeError as exc:
            raise _user_error(exc) from exc
        store = open_for_command(getattr(args, "db", None), mode="read")
        try:
            rows = returns.round_status(store, round_label)
        finally:
            store.close()
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


class ExportPlan:
    NAME = "export-plan"
    HELP = "write everything (plans, priorities, commitments, evidence, indicators, values, " \
           "partners) to one workbook"

    @staticmethod
    def add_arguments(parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--out", required=True, metavar="FILE", help="the .xlsx to write")

    @staticmethod
    def run(args: argparse.Namespace) -> int:
        from tracker.exchange.plan_workbook import export_plan_workbook

        store = open_for_command(getattr(args, "db", None), mode="read")
        try:
            counts = export_plan_workbook(store, args.out)
        except ExchangeError as exc:
            raise _user_error(exc) from exc
        finally:
            store.close()
        print(f"Wrote {args.out}: " + ", ".join(f"{n} {name}" for name, n in counts.items()))
        return 0


class ImportPlan:
    NAME = "import-plan"
    HELP = "load a whole-plan workbook into an empty database"

    @staticmethod
    def add_arguments(parser: argparse.ArgumentParser) -> None:
        parser.add_argument("file", help="a workbook written by export-plan")

    @staticmethod
    def run(args: argparse.Namespace) -> int:
        from tracker.exchange.plan_workbook import import_plan_workbook
        from tracker.store.database import open_store
        from tracker.store.location import resolve_db

        db = getattr(args, "db", None)
        if db is None:
            raise _user_error("Name the empty database to load into with --db PATH.")
        store = open_store(resolve_db(db), create=not Path(db).exists())
        try:
            counts = import_plan_workbook(store, args.file)
        except ExchangeError as exc:
            raise _user_error(exc) from exc
        finally:
            store.close()
        print(f"Loaded {args.file} into {db}: "
              + ", ".join(f"{n} {name}" for name, n in counts.items()))
        return 0


COMMANDS = [ExportReturns, ImportReturn, RevertReturn, ReturnsStatus, ExportPlan, ImportPlan]
