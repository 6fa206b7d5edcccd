"""A copy of a partner's workbook with each problem marked at its cell, to send back."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import PatternFill

from tracker.exchange.errors import ExchangeError
from tracker.exchange.return_read import Problem
from tracker.exchange.safety import take_snapshot

PROBLEM_FILL = PatternFill("solid", fgColor="FFC7CE")
AUTHOR = "Commitment Tracker"


def save_marked_copy(source: str | Path, problems: list[Problem], out: str | Path) -> Path:
    """Mark each problem (comment and highlight) in a copy of `source`; the source is untouched."""
    source, out = Path(source), Path(out)
    if source.resolve() == out.resolve():
        raise ExchangeError("Save the marked copy under a new name; the partner's file is kept "
                            "as it came.")
    snapshot = take_snapshot(source)  # the same checks as an import, before openpyxl opens it
    wb = load_workbook(snapshot.stream(), keep_vba=False, keep_links=False)
    marked = 0
    for problem in problems:
        if not problem.cell or problem.sheet not in wb.sheetnames:
            continue
        cell = wb[problem.sheet][problem.cell]
        text = problem.message
        if cell.comment is not None:
            text = cell.comment.text + "\n\n" + text
        comment = Comment(text, AUTHOR)
        comment.width, comment.height = 320, 140
        cell.comment = comment
        cell.fill = PROBLEM_FILL
        marked += 1
    if marked == 0:
        raise ExchangeError("There is no problem at a cell to mark.")
    try:
        wb.save(out)
    except OSError as exc:
        raise ExchangeError(f"Cannot write {out}: {exc.strerror or exc}.") from exc
    return out
