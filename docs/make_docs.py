"""Make everything in docs/ that comes from the code, from the built-in sample:

- the closure report across both sample plans (the 2016-2020 plan and its 2020/21
  extension), as `closure-report.pdf`, `.docx` and `.html`, as an officer gets it from
  `tracker report --plans pcp-2016-2020,pcp-2020-21 --closure`;
- pictures of its pages for the README (`closure-report-page1.png` ... : the cover, the
  executive summary, the first chapter, the appendix), by pdftoppm when it is installed, else
  by Typst from the same document;
- pictures of every screen of the window at 1280x720 and 1920x1080 and of each dialog
  (docs/screens/), and the README's pictures of Home, the Plan and the Indicators tabs
  (tracker.ui.screenshot).

    QT_QPA_PLATFORM=offscreen .venv/bin/python docs/make_docs.py

Needs the test extras (`bash .ci/install --test`: pypdf finds the pages the chapters start on).
Prints how long each report took.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

DOCS = Path(__file__).resolve().parent
PLANS = ("pcp-2016-2020", "pcp-2020-21")
PRODUCED_ON = date(2022, 7, 1)  # a fixed date, so the files change only when the code does
PAGE_PPI = 80


def main() -> int:
    if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    sys.path.insert(0, str(DOCS.parent))
    from tracker.reports.build import write_report
    from tracker.reports.content import ReportOptions
    from tracker.store import plans
    from tracker.store.location import create_database

    with tempfile.TemporaryDirectory() as folder:
        store = create_database(Path(folder) / "sample.db", officer="A. Officer")
        ids = tuple(plans.find_plan(store, key).id for key in PLANS)
        options = ReportOptions(ids[0], plan_ids=ids, closure=True)
        for fmt in ("pdf", "docx", "html"):
            target = DOCS / f"closure-report.{fmt}"
            started = time.perf_counter()
            report = write_report(store, options, target, today=PRODUCED_ON)
            print(f"{target.name}: {time.perf_counter() - started:.2f} s, "
                  f"{target.stat().st_size / 1e6:.2f} MB")
        store.close()
    pages = page_numbers(DOCS / "closure-report.pdf", report)
    for old in DOCS.glob("closure-report-page*.png"):
        old.unlink()
    for index, page in enumerate(pages, start=1):
        page_png(DOCS / "closure-report.pdf", page, DOCS / f"closure-report-page{index}.png")
    print(f"pages {', '.join(map(str, pages))} as closure-report-page1..{len(pages)}.png")
    from tracker.ui import screenshot

    return screenshot.main([str(DOCS)])


def page_numbers(pdf: Path, report) -> list[int]:
    """The cover, the executive summary, the first chapter and the appendix: their first
    pages, from the PDF's bookmarks."""
    from pypdf import PdfReader

    reader = PdfReader(str(pdf))
    starts = {}
    for entry in reader.outline:
        if not isinstance(entry, list):
            starts[entry.title] = reader.get_destination_page_number(entry) + 1
    wanted = [report.executive_summary, report.chapters[0] if report.chapters else None,
              report.appendix]
    found = [1]
    for part in wanted:
        if part is None:
            continue
        title = part.heading if hasattr(part, "heading") else part.title
        if title in starts:
            found.append(starts[title])
    return found


def page_png(pdf: Path, page: int, target: Path) -> None:
    """One page as PNG: by pdftoppm from the PDF file when it is installed, else by Typst
    from the same laid-out document."""
    if shutil.which("pdftoppm"):
        stem = target.with_suffix("")
        subprocess.run(["pdftoppm", "-png", "-r", str(PAGE_PPI), "-f", str(page), "-l", str(page),
                        "-singlefile", str(pdf), str(stem)], check=True)
        return
    target.write_bytes(_typst_page(page))


def _typst_page(page: int) -> bytes:
    """The page rendered by Typst from the same laid-out document as the PDF."""
    from tracker.reports import pdf_writer
    from tracker.reports.content import ReportOptions, build_report
    from tracker.reports.figures import ReportFigures
    from tracker.reports.layout import layout_report
    from tracker.store import plans
    from tracker.store.location import create_database

    with tempfile.TemporaryDirectory() as folder:
        store = create_database(Path(folder) / "sample.db")
        ids = tuple(plans.find_plan(store, key).id for key in PLANS)
        report = build_report(store, ReportOptions(ids[0], plan_ids=ids, closure=True),
                              today=PRODUCED_ON)
        store.close()
        document = layout_report(report, ReportFigures())
        pngs = pdf_writer.document_pngs(document, ppi=PAGE_PPI)
    return pngs[page - 1]


if __name__ == "__main__":
    raise SystemExit(main())
