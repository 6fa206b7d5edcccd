"""Bringing an office's own plan in from the command line.

  tracker import-plan-sheet FILE --plan-title TITLE --period P --map "priority=A,code=B,text=C,..."
                            [--statuses "Green=On track,Amber=At risk,..."] [--sheet NAME]
                            [--header-row N] [--preview]
  tracker import-plan-outline FILE (.docx or .txt) --plan-title TITLE --period P [--preview]

Both print the preview first. --preview writes nothing; without it the plan is created in one
transaction, and only when the preview has no problems. Exit status: 0 done (or previewed
without problems); 1 refused (a one-line reason); 2 the preview has problems and nothing was
created.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from tracker.cli.command import Command, UserError
from tracker.domain.wording import count_of

PROBLEMS_EXIT = 2


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--plan-title", required=True, metavar="TITLE", help="the new plan's title")
    parser.add_argument("--period", required=True, metavar="P",
                        help='the plan\'s period, e.g. "2021-2024" or "2020/21"')
    parser.add_argument("--preview", action="store_true",
                        help="print what would be created and write nothing")


def _finish(args: argparse.Namespace, draft, store) -> int:
    """Print the preview, then create the plan unless previewing or the preview has problems."""
    from tracker import ops
    from tracker.exchange.plan_sheet.create import check_plan_fields
    from tracker.exchange.plan_sheet.render import render_draft
    from tracker.store import queries

    check_plan_fields(args.plan_title, args.period)
    print(render_draft(draft))
    if draft.problems:
        print(f"\nNothing was created: {count_of(len(draft.problems), 'problem')} to fix first.")
        return PROBLEMS_EXIT
    if not draft.commitments():
        print("\nNothing was created: no commitments were found.")
        return PROBLEMS_EXIT
    if args.preview:
        print("\nPreview only: nothing was created.")
        return 0
    created = ops.import_plan(store, draft, args.plan_title, args.period).value
    plan = queries.get_plan(store, created.plan_id)
    print(f"\nCreated the plan '{plan.title}': {created.message} Its commitments: "
          f"tracker commitments --plan {plan.ref}")
    return 0


def _known_partners(store) -> set[str]:
    from tracker.store import queries

    return {p.name for p in queries.list_partners(store)} | {
        p.key for p in queries.list_partners(store) if p.key}


class _PlanImport(Command):
    @classmethod
    def store_mode(cls, args: argparse.Namespace) -> str:
        return "read" if args.preview else "write"


class ImportPlanSheet(_PlanImport):
    NAME = "import-plan-sheet"
    HELP = "start a plan from a spreadsheet of the office's own layout (preview first)"

    @staticmethod
    def add_arguments(parser: argparse.ArgumentParser) -> None:
        parser.add_argument("file", help="the plan's .xlsx")
        _common(parser)
        parser.add_argument("--map", metavar="FIELD=COLUMN,...",
                            help="which column holds what, by letter or heading: priority, code, "
                                 "text, subpoint, lead, partners, due, status, notes (text is "
                                 "required); without it the headings and a suggested map are "
                                 "printed")
        parser.add_argument("--statuses", metavar="WORD=STATUS,...",
                            help='status words or fill colours, e.g. "Green=On track,Amber=At risk"')
        parser.add_argument("--sheet", metavar="NAME", help="the sheet holding the plan")
        parser.add_argument("--header-row", type=int, metavar="N",
                            help="the row of column headings (found by itself otherwise)")

    @staticmethod
    def run(args: argparse.Namespace, store) -> int:
        from tracker.exchange.plan_sheet import build, mapping
        from tracker.exchange.plan_sheet.grid import read_plan_workbook

        if args.header_row is not None and args.header_row < 1:
            raise UserError("--header-row: rows are numbered from 1.")
        try:
            columns = mapping.parse_column_spec(args.map or "")
            statuses = mapping.parse_status_spec(args.statuses or "")
        except mapping.MappingError as exc:
            raise UserError(str(exc)) from exc
        grid = read_plan_workbook(args.file)
        if not args.map:
            return _show_headings(grid, args)
        draft = build.build_draft(grid, build.SheetMapping(columns, statuses, args.sheet,
                                                           args.header_row),
                                  _known_partners(store))
        return _finish(args, draft, store)


def _show_headings(grid, args: argparse.Namespace) -> int:
    from tracker.exchange.plan_sheet import build, mapping

    scratch = build.PlanDraft(grid.file_name)
    sheet = build.choose_sheet(grid, scratch, args.sheet)
    for problem in scratch.problems:
        print(problem)
    if sheet is None:
        return PROBLEMS_EXIT
    header = args.header_row or build.find_header_row(sheet)
    if header is None:
        print(f"'{sheet.name}': no header row was found; name it with --header-row N.")
        return PROBLEMS_EXIT
    headings, _start = build.headings_of(sheet, header)
    print(f"'{sheet.name}', headings in row {header}:")
    for column, text in sorted(headings.items()):
        print(f"  {mapping.letter(column)}  {text}")
    guess = mapping.guess_columns(headings)
    if guess:
        print(f'\nSuggested: --map "{mapping.column_spec(guess)}"')
    print("\nNothing was created: say which column holds what with --map.")
    return PROBLEMS_EXIT


class ImportPlanOutline(_PlanImport):
    NAME = "import-plan-outline"
    HELP = "start a plan from a Word outline (.docx) or outline text (.txt) (preview first)"

    @staticmethod
    def add_arguments(parser: argparse.ArgumentParser) -> None:
        parser.add_argument("file", help="the outline: a .docx, or a text file")
        _common(parser)

    @staticmethod
    def run(args: argparse.Namespace, store) -> int:
        from tracker.exchange.plan_sheet.outline import read_outline_text
        from tracker.exchange.plan_sheet.outline_docx import read_outline_docx

        path = Path(args.file)
        known = _known_partners(store)
        if path.suffix.lower() in (".docx", ".docm", ".doc", ".dotm"):
            draft = read_outline_docx(path, known)
        else:
            draft = read_outline_text(_read_text(path), path.name, known)
        return _finish(args, draft, store)


MAX_TEXT_BYTES = 2 * 1024 * 1024


def _read_text(path: Path) -> str:
    if not path.is_file():
        raise UserError(f"{path.name}: there is no such file.")
    if path.stat().st_size > MAX_TEXT_BYTES:
        raise UserError(f"{path.name} is larger than any plan outline "
                          f"({MAX_TEXT_BYTES // 1048576} MB at most).")
    data = path.read_bytes()
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UserError(f"{path.name} is not a text file.")


COMMANDS = [ImportPlanSheet, ImportPlanOutline]
