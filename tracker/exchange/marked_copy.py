"""A copy of a partner's workbook with each problem marked at its cell, to send back."""

from __future__ import annotations

from pathlib import Path

from openpyxl.comments import Comment
from openpyxl.styles import PatternFill

from tracker.domain.text import xml_safe
from tracker.exchange.errors import ExchangeError
from tracker.exchange.reading import open_workbook
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
    wb = open_workbook(snapshot, read_only=False, data_only=False)
    marked = 0
    for problem in problems:
        if not problem.cell or problem.sheet not in wb.sheetnames:
            continue
        cell = wb[problem.sheet][problem.cell]
        text = problem.message
        if cell.comment is not None:
            text = cell.comment.text + "\n\n" + text
        comment = Comment(xml_safe(text), AUTHOR)
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
    except (ValueError, TypeError, KeyError) as exc:  # content openpyxl read but cannot write
        Path(out).unlink(missing_ok=True)
        raise ExchangeError(f"A marked copy of {source.name} cannot be written: the workbook "
                            f"holds something openpyxl cannot save ({type(exc).__name__}: "
                            f"{str(exc)[:100]}).") from exc
    return out
