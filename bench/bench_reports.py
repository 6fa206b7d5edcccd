"""Reports: a plan of 1,000 commitments and 100 indicators, in each format, against the floor.

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/bench_reports.py [--runs 3]
        [--commitments 1000] [--indicators 100]

Builds a temporary database: 10 priorities, N commitments (every tenth with two sub-points),
three evidence bullets of about 200 characters each per commitment (one in ten internal only),
M indicators with 8 financial years each and a gap. Then, as medians of several runs in one
process (compare ratios, not times across runs):

- read: build_report (the content model) alone;
- charts: drawing every indicator chart and the status chart at print resolution;
- ours, html / docx / pdf: write_report to a file, everything included (read, charts, write);
- floor, html: the same headings, paragraphs and bullets joined into an HTML string and written;
- floor, docx: python-docx writing the same headings, paragraphs and bullets (List Bullet) and
  the same chart PNGs, without our model;
- floor, pdf: a bare Typst document of the same headings, paragraphs, bullets and chart SVGs
  (passed as JSON, as ours), compiled to PDF/UA-1 with the same fonts, without our layout.
"ours, all" is what an officer waits for; "ours, charts drawn" is the same with the charts
already drawn (the floor reuses them too), and the ratio compares that with the floor.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import tempfile
import time
from html import escape
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("PYQTGRAPH_QT_LIB", "PySide6")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import json

import typst

from tracker.domain.model import Polarity, Unit, Visibility
from tracker.reports import raster
from tracker.reports.build import write_report
from tracker.reports.content import ReportOptions, build_report
from tracker.reports.figures import ReportFigures
from tracker.reports.fonts import font_folder
from tracker.store import commitments, evidence, indicators, plans
from tracker.store.database import open_store
from tracker.store.evidence import EvidenceInput
from tracker.store.indicators import ValueInput

YEARS = [f"{y}/{(y + 1) % 100:02d}" for y in range(2014, 2022)]
WORDS = ("The partnership delivered a programme of work with local teams, and the number of "
         "referrals rose against the year before while the service kept its waiting times down; "
         "a review in the spring found the approach worked and it was extended to two districts.")


def build_database(path: Path, count: int, indicator_count: int) -> int:
    store = open_store(path, create=True, officer="Bench")
    with store.transaction():
        plan_id = plans.add_plan(store, "Bench plan", "2021-2024")
        priorities = [plans.add_priority(store, plan_id, n, f"Priority number {n} of the bench plan",
                                         objective="to show what a long report costs",
                                         outcome="the office knows how long it waits")
                      for n in range(1, 11)]
        for n in range(count):
            pid = priorities[n % 10]
            cid = commitments.add_commitment(store, pid, f"Commitment {n:04d}: we will {WORDS[:90]}",
                                             code=chr(65 + (n // 10) % 26))
            for k in range(3):
                evidence.add_evidence(store, cid, EvidenceInput(
                    f"Evidence {k} of {n}: {WORDS}", period="2020/21",
                    visibility=Visibility.INTERNAL if (n + k) % 10 == 0 else Visibility.SHAREABLE))
            if n % 10 == 0:
                for s in range(2):
                    commitments.add_commitment(store, pid, f"Sub-point {s} of {n}", parent_id=cid,
                                               code=f"{chr(65 + (n // 10) % 26)}.{s + 1}")
        for n in range(indicator_count):
            iid = indicators.add_indicator(
                store, priorities[n % 10], f"Synthetic indicator {n:03d}",
                unit=[Unit.COUNT, Unit.PERCENT][n % 2],
                polarity=[Polarity.LOWER_IS_BETTER, Polarity.HIGHER_IS_BETTER][n % 2],
                baseline_period=YEARS[0])
            for i, year in enumerate(YEARS):
                if i == 3:
                    continue  # a gap
                indicators.set_value(store, iid, ValueInput(year, 40 + (n + i * 3) % 50))
    store.close()
    return plan_id


def median_of(runs: int, work) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def floor_html(report, svgs: dict[int, str]) -> str:
    """The same text as plain HTML, the charts inline as SVG like ours."""
    parts = [f"<html><body><h1>{escape(report.title)}</h1>"]
    for section in report.priorities:
        parts.append(f"<h1>{escape(section.heading)}</h1>")
        for item in section.indicators:
            parts.append(f"<h3>{escape(item.name)}</h3><p>{svgs.get(item.indicator.id, '')}</p>"
                         f"<p>{escape(item.change)}</p>")
        for c in section.commitments:
            parts.append(f"<h4>{escape(c.label)}</h4><ul>")
            parts.extend(f"<li>{escape(e.text)}</li>" for e in c.evidence)
            parts.append("</ul>")
            for sub in c.subpoints:
                parts.append(f"<p>{escape(sub.label)}</p>")
    parts.append("</body></html>")
    return "\n".join(parts)


def floor_docx(report, pngs: dict[int, bytes], target: Path) -> None:
    import docx
    from docx.shared import Cm

    document = docx.Document()
    document.add_heading(report.title, level=0)
    for section in report.priorities:
        document.add_heading(section.heading, level=1)
        for item in section.indicators:
            document.add_heading(item.name, level=3)
            if item.indicator.id in pngs:
                document.add_picture(io.BytesIO(pngs[item.indicator.id]), width=Cm(17))
            document.add_paragraph(item.change)
        for c in section.commitments:
            document.add_paragraph(c.label).runs[0].bold = True
            for e in c.evidence:
                document.add_paragraph(e.text, style="List Bullet")
            for sub in c.subpoints:
                document.add_paragraph(sub.label)
    document.save(str(target))


FLOOR_TYPST = b"""
#let d = json(bytes(sys.inputs.at("d")))
#set document(title: d.title)
#set text(lang: "en", region: "GB", font: ("Liberation Sans", "DejaVu Sans"))
#title()
#for b in d.blocks {
  if b.at(0) == "h" { heading(level: b.at(1), b.at(2)) }
  else if b.at(0) == "p" { par(b.at(1)) }
  else if b.at(0) == "li" { list(..b.at(1)) }
  else if b.at(0) == "img" { image(b.at(1), alt: b.at(2)) }
}
"""


def floor_pdf(report, svgs: dict[int, str], folder: Path, target: Path) -> None:
    blocks = []
    for section in report.priorities:
        blocks.append(["h", 1, section.heading])
        for item in section.indicators:
            blocks.append(["h", 2, item.name])
            if item.indicator.id in svgs:
                name = f"ind-{item.indicator.id}.svg"
                (folder / name).write_text(svgs[item.indicator.id], encoding="utf-8")
                blocks.append(["img", name, item.change])
            blocks.append(["p", item.change])
        for c in section.commitments:
            blocks.append(["h", 2, c.label])
            blocks.append(["li", [e.text for e in c.evidence]])
            for sub in c.subpoints:
                blocks.append(["p", sub.label])
    fonts = typst.Fonts(include_system_fonts=False, include_embedded_fonts=False,
                        font_paths=[str(font_folder())])
    compiler = typst.Compiler(root=str(folder), font_paths=fonts)
    target.write_bytes(compiler.compile(
        FLOOR_TYPST, format="pdf", pdf_standards=["ua-1"],
        sys_inputs={"d": json.dumps({"title": report.title, "blocks": blocks})}))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--commitments", type=int, default=1000)
    parser.add_argument("--indicators", type=int, default=100)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        started = time.perf_counter()
        plan_id = build_database(folder / "bench.db", args.commitments, args.indicators)
        print(f"database: {args.commitments} commitments, {args.indicators} indicators, built in "
              f"{time.perf_counter() - started:.1f} s")
        store = open_store(folder / "bench.db", mode="read")
        options = ReportOptions(plan_id)
        report = build_report(store, options)
        print(f"report: {report.commitment_count} commitments, {report.evidence_count} evidence "
              f"bullets, {report.indicator_count} indicators\n")

        read = median_of(args.runs, lambda: build_report(store, options))

        def draw_all():
            with ReportFigures() as figures:
                for section in report.priorities:
                    for item in section.indicators:
                        figures.indicator(item)
                figures.status_rows([(s.heading, s.counts) for s in report.priorities])

        drawing = median_of(args.runs, draw_all)
        with ReportFigures() as figures:
            svgs = {i.indicator.id: figures.indicator(i).svg
                    for s in report.priorities for i in s.indicators if i.has_values}
        # Word wants pixels: the floor rasterises the same SVGs (as ours does) inside its time.
        floors = {
            "html": lambda: (folder / "floor.html").write_text(floor_html(report, svgs),
                                                               encoding="utf-8"),
            "docx": lambda: floor_docx(report, dict(zip(svgs, raster.svgs_to_pngs(
                [(svg, 640, 300) for svg in svgs.values()]))), folder / "floor.docx"),
            "pdf": lambda: floor_pdf(report, svgs, folder, folder / "floor.pdf"),
        }
        print(f"{'work':<8} {'ours, all (s)':>14} {'ours, charts drawn (s)':>23} {'floor (s)':>10} "
              f"{'ratio':>6} {'size':>8}")
        print(f"{'read':<8} {read:>14.2f}")
        print(f"{'charts':<8} {drawing:>14.2f}")
        drawn = ReportFigures()
        for section in report.priorities:
            for item in section.indicators:
                drawn.indicator(item)
        drawn.status_rows([(s.heading, s.counts) for s in report.priorities])
        for fmt in ("html", "docx", "pdf"):
            target = folder / f"ours.{fmt}"
            whole = median_of(args.runs, lambda t=target: write_report(store, options, t))
            ready = median_of(args.runs, lambda t=target: write_report(store, options, t,
                                                                        figures=drawn))
            floor = median_of(args.runs, floors[fmt])
            size = target.stat().st_size / 1e6
            print(f"{fmt:<8} {whole:>14.2f} {ready:>23.2f} {floor:>10.2f} {ready / floor:>6.1f} "
                  f"{size:>6.1f}MB")
        drawn.close()
        store.close()


if __name__ == "__main__":
    main()
