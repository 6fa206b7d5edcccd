"""Producing a report file: read the content, draw the figures, write the chosen format.

`write_report` is what the command line and the report dialog call. The file is written to a
temporary name beside the target and moved into place at the end, so a failed or cancelled
report never leaves half a file behind, and an earlier report of the same name survives.
"""

from __future__ import annotations

import os
import tempfile
from datetime import date
from pathlib import Path

from tracker.reports.content import (
    Cancelled,
    Progress,
    Report,
    ReportCancelled,
    ReportOptions,
    build_report,
)
from tracker.reports.errors import ReportFormatError
from tracker.reports.figures import ReportFigures
from tracker.store.database import Store

FORMATS = {".html": "HTML", ".htm": "HTML", ".docx": "Word", ".pdf": "PDF"}


def format_of(path: str | Path) -> str:
    """"html", "docx" or "pdf", from the file's extension."""
    suffix = Path(path).suffix.lower()
    if suffix not in FORMATS:
        shown = suffix or "no extension"
        raise ReportFormatError(
            f"Cannot tell the report format from '{Path(path).name}' ({shown}): "
            "end the file name with .pdf, .docx or .html.")
    return "html" if suffix in (".html", ".htm") else suffix.lstrip(".")


def write_report(store: Store, options: ReportOptions, path: str | Path, *,
                 progress: Progress | None = None, cancelled: Cancelled | None = None,
                 figures: ReportFigures | None = None, today: date | None = None) -> Report:
    """Write the report to `path` (format from its extension) and return its content.

    Raises ReportFormatError, ValidationError (bad options), ReportCancelled, OSError."""
    target = Path(path)
    fmt = format_of(target)
    if not target.parent.is_dir():
        raise OSError(f"The folder {target.parent} does not exist.")

    def step(done: int, total: int, what: str) -> None:
        if cancelled and cancelled():
            raise ReportCancelled()
        if progress:
            progress(done, total, what)

    def phase(low: int, high: int) -> Progress:
        """Progress within one phase, as a share of the whole (0 to 100)."""
        return lambda d, t, w: step(low + (high - low) * d // max(t, 1), 100, w)

    report = build_report(store, options, today=today, cancelled=cancelled,
                          progress=phase(0, 20))
    owned = figures is None
    figures = figures or ReportFigures()
    try:
        items = [i for s in report.priorities for i in s.indicators if i.has_values]
        drawing = phase(20, 55)
        for index, item in enumerate(items):
            drawing(index, len(items) + 1, f"Drawing the chart of {item.name}")
            figures.indicator(item)
        drawing(len(items), len(items) + 1, "Drawing the status chart")
        payload = _render(fmt, report, figures, phase(55, 98))
    finally:
        if owned:
            figures.close()
    step(98, 100, "Saving")
    _save(target, payload)
    if progress:
        progress(100, 100, f"Saved {target.name}")
    return report


def _render(fmt: str, report: Report, figures: ReportFigures, progress: Progress) -> bytes:
    if fmt == "html":
        from tracker.reports.html_writer import report_html_bytes

        return report_html_bytes(report, figures)
    if fmt == "docx":
        from tracker.reports.word_writer import report_docx

        return report_docx(report, figures, progress=progress)
    from tracker.reports.pdf_writer import report_pdf

    return report_pdf(report, figures, progress=progress)


def _save(target: Path, payload: bytes) -> None:
    handle, temp = tempfile.mkstemp(prefix=f".{target.stem}-", suffix=target.suffix,
                                    dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(payload)
        os.chmod(temp, 0o666 & ~_umask())  # mkstemp makes it private; a report is not
        os.replace(temp, target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
