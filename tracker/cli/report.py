"""`tracker report`: a plan's report as PDF, Word or HTML, the format taken from --out."""

from __future__ import annotations

import argparse
import sys

from tracker import ops
from tracker.cli.command import Command, UserError
from tracker.store import queries


class Report(Command):
    NAME = "report"
    HELP = "write a report (closure or progress) of one plan or several, as .pdf, .docx or .html"
    STORE = "read"

    @staticmethod
    def add_arguments(parser: argparse.ArgumentParser) -> None:
        add_arguments(parser)

    @staticmethod
    def check(args: argparse.Namespace) -> None:
        from tracker.reports.build import ReportFormatError, format_of

        try:
            format_of(args.out)  # a wrong name is the commonest mistake: say so first
        except ReportFormatError as exc:
            raise UserError(str(exc)) from exc
        if args.plan and args.plans:
            raise UserError("Give --plan for one plan or --plans for several, not both.")

    @staticmethod
    def run(args: argparse.Namespace, store) -> int:
        return run(args, store)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--plan", help="plan key, period, title or id (default: the active plan)")
    parser.add_argument("--plans", metavar="KEY,KEY",
                        help="several plans in one report, e.g. the plan and its extension: "
                             "pcp-2016-2020,pcp-2020-21 (in the order of their periods)")
    parser.add_argument("--out", required=True, metavar="FILE",
                        help="the file to write; its extension (.pdf, .docx, .html) picks the format")
    parser.add_argument("--from", dest="period_from", metavar="PERIOD",
                        help="first period of evidence and indicator values, e.g. 2019/20")
    parser.add_argument("--to", dest="period_to", metavar="PERIOD",
                        help="last period of evidence and indicator values, e.g. 2020/21")
    parser.add_argument("--priority", type=int, action="append", default=[], metavar="N",
                        help="only this priority number (repeat for more)")
    parser.add_argument("--partner", help="only the commitments and indicators of this partner "
                                          "(key or name)")
    parser.add_argument("--include-internal", action="store_true",
                        help="include evidence marked internal only (not for publication)")
    kind = parser.add_mutually_exclusive_group()
    kind.add_argument("--closure", action="store_const", const=True, dest="closure",
                      help="title it a closure report (default: when the plan is closed)")
    kind.add_argument("--progress", action="store_const", const=False, dest="closure",
                      help="title it a progress report (default: while the plan is open)")
    parser.add_argument("--quiet", action="store_true", help="print nothing but errors")


def run(args: argparse.Namespace, store) -> int:
    from tracker.reports.build import write_report
    from tracker.reports.content import ReportOptions

    chosen = []
    if args.plans:
        refs = [r.strip() for r in args.plans.split(",") if r.strip()]
        if not refs:
            raise UserError("--plans needs plan keys separated by commas, e.g. "
                            "pcp-2016-2020,pcp-2020-21.")
        chosen = [queries.find_plan(store, ref) for ref in refs]
        plan = chosen[0]
    elif args.plan:
        plan = queries.find_plan(store, args.plan)
    else:
        plan = queries.default_plan(store)
        if plan is None:
            raise UserError("This database has no plans yet.")
    partner_id = ops.partner_named(store, args.partner) if args.partner else None
    options = ReportOptions(plan.id, args.period_from, args.period_to,
                            tuple(args.priority), partner_id, args.include_internal,
                            args.closure, plan_ids=tuple(p.id for p in chosen))

    def progress(done: int, total: int, what: str) -> None:
        if not args.quiet and sys.stderr.isatty():
            print(f"\r{done * 100 // max(total, 1):3d}% {what[:60]:<60}", end="",
                  file=sys.stderr, flush=True)

    report = write_report(store, options, args.out, progress=progress)
    if not args.quiet and sys.stderr.isatty():
        print(file=sys.stderr)
    if not args.quiet:
        print(f"Wrote {args.out}: {report.title}. {report.summary_sentence}")
    return 0
