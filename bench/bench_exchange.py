"""Partner returns: export for 50 partners, and import of a 5,000-row return, each next to
openpyxl alone writing or reading the same cells.

    .venv/bin/python bench/bench_exchange.py [--runs 3]

Prints medians of several runs and the ratio to the floor. Not run by the tests.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from openpyxl import Workbook, load_workbook

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tracker.exchange import layout
from tracker.exchange.return_apply import apply_preview
from tracker.exchange.return_export import export_partner, export_round
from tracker.exchange.return_preview import preview_return
from tracker.exchange.return_read import read_return_file
from tracker.store import plans
from tracker.store.clock import new_uid, now
from tracker.store.database import Store, open_store

ROUND = "2021/22"
PARTNERS = 50
PER_PARTNER_COMMITMENTS = 30
PER_PARTNER_INDICATORS = 10  # quarterly: four periods each in a financial-year round
BIG_COMMITMENTS = 4000
BIG_INDICATORS = 250  # x 4 quarters = 1,000 rows; 5,000 rows in all


def build(path: Path, partners: int, commitments: int, indicators: int) -> Store:
    """A plan whose commitments and indicators are spread over `partners` partners."""
    store = open_store(path, create=True, officer="Bench")
    stamp = now()
    with store.transaction():
        plan_id = plans.add_plan(store, "Bench plan", "2021-2024", state="active")
        priority_id = plans.add_priority(store, plan_id, 1, "Everything")
        partner_ids = [store.execute(
            "INSERT INTO partner (uid, name, created_at, updated_at) VALUES (?, ?, ?, ?)",
            (new_uid(), f"Partner {n:02d}", stamp, stamp)).lastrowid for n in range(partners)]
        rows = [(new_uid(), priority_id, n + 1, f"C{n}", f"We will deliver outcome number {n}, "
                 "working with partners across the county to reduce harm.", stamp, stamp)
                for n in range(commitments * partners)]
        store.conn.executemany(
            "INSERT INTO commitment (uid, priority_id, position, code, text, created_at, "
            "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
        ids = [r[0] for r in store.execute("SELECT id FROM commitment ORDER BY id")]
        store.conn.executemany(
            "INSERT INTO commitment_partner (commitment_id, partner_id) VALUES (?, ?)",
            [(cid, partner_ids[n // commitments]) for n, cid in enumerate(ids)])
        store.conn.executemany(
            "INSERT INTO indicator (uid, priority_id, number, name, unit, polarity, frequency, "
            "created_at, updated_at) VALUES (?, ?, ?, ?, 'count', 'lower_is_better', "
            "'quarterly', ?, ?)",
            [(new_uid(), priority_id, n + 1, f"Indicator {n}", stamp, stamp)
             for n in range(indicators * partners)])
        iids = [r[0] for r in store.execute("SELECT id FROM indicator ORDER BY id")]
        store.conn.executemany(
            "INSERT INTO indicator_partner (indicator_id, partner_id) VALUES (?, ?)",
            [(iid, partner_ids[n // indicators]) for n, iid in enumerate(iids)])
    return store


def cells_of(workbooks: list[Path]) -> list[dict[str, list[list]]]:
    found = []
    for source in workbooks:
        wb_in = load_workbook(source, read_only=True)
        found.append({name: [list(r) for r in wb_in[name].iter_rows(values_only=True)]
                      for name in wb_in.sheetnames})
        wb_in.close()
    return found


def floor_write(folder: Path, contents: list[dict[str, list[list]]]) -> None:
    """openpyxl alone writing the same cells (values only) to as many workbooks."""
    for n, sheets in enumerate(contents):
        wb = Workbook()
        wb.remove(wb.active)
        for name, rows in sheets.items():
            ws = wb.create_sheet(name)
            for row in rows:
                ws.append(row)
        wb.save(folder / f"floor-{n}.xlsx")


def read_cells(path: Path) -> list:
    """The floor for reading: openpyxl read-only, every row of every sheet."""
    wb = load_workbook(path, read_only=True, data_only=True)
    rows = []
    for ws in wb.worksheets:
        rows.extend(ws.iter_rows(max_col=layout.MAX_COLUMNS, values_only=True))
    wb.close()
    return rows


def median_time(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-exchange-"))
    try:
        # --- export for 50 partners -------------------------------------------------------
        store = build(work / "fifty.db", PARTNERS, PER_PARTNER_COMMITMENTS, PER_PARTNER_INDICATORS)
        counter = iter(range(1000))
        written: list[Path] = []

        def export_all() -> None:
            out = work / f"export-{next(counter)}"
            result = export_round(store, ROUND, out)
            assert len(result) == PARTNERS
            written[:] = [r.path for r in result]

        export_t = median_time(export_all, args.runs)
        floor_dirs = iter(range(1000))
        contents = cells_of(written)

        def floor_all() -> None:
            out = work / f"floor-{next(floor_dirs)}"
            out.mkdir()
            floor_write(out, contents)

        floor_t = median_time(floor_all, args.runs)
        rows = PARTNERS * (PER_PARTNER_COMMITMENTS + 4 * PER_PARTNER_INDICATORS)
        print(f"Export for {PARTNERS} partners ({rows:,} rows, {len(layout.COMMITMENT_COLUMNS)}"
              f" and {len(layout.INDICATOR_COLUMNS)} columns), median of {args.runs}:")
        print(f"  tracker export_round       {export_t:7.2f} s")
        print(f"  openpyxl writing the cells {floor_t:7.2f} s   ratio {export_t / floor_t:.2f}")
        store.close()

        # --- import of a 5,000-row return ---------------------------------------------------
        store = build(work / "big.db", 1, BIG_COMMITMENTS, BIG_INDICATORS)
        sent = export_partner(store, 1, ROUND, work / "big").path
        wb = load_workbook(sent)
        ws = wb[layout.COMMITMENTS]
        status_col = [c.key for c in layout.COMMITMENT_COLUMNS].index("new_status") + 1
        evidence_col = [c.key for c in layout.COMMITMENT_COLUMNS].index("evidence") + 1
        date_col = [c.key for c in layout.COMMITMENT_COLUMNS].index("evidence_date") + 1
        for r in range(2, BIG_COMMITMENTS + 2):
            ws.cell(r, status_col).value = "On track"
            ws.cell(r, evidence_col).value = f"Delivered item {r} on time, with partners."
            ws.cell(r, date_col).value = "31/03/2022"
        wi = wb[layout.INDICATORS]
        value_col = [c.key for c in layout.INDICATOR_COLUMNS].index("new_value") + 1
        for r in range(2, BIG_INDICATORS * 4 + 2):
            wi.cell(r, value_col).value = f"{r * 10:,}"
        filled = work / "big-back.xlsx"
        wb.save(filled)
        total_rows = BIG_COMMITMENTS + BIG_INDICATORS * 4

        read_t = median_time(lambda: read_return_file(filled), args.runs)
        preview_t = median_time(lambda: preview_return(store, filled), args.runs)
        floor_t = median_time(lambda: read_cells(filled), args.runs)
        preview = preview_return(store, filled)
        assert not preview.problems and len(preview.changes) == 2 * BIG_COMMITMENTS + \
            4 * BIG_INDICATORS, (preview.problems[:3], len(preview.changes))
        apply_times = []
        for n in range(args.runs):
            copy = work / f"apply-{n}.db"
            store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            shutil.copy(work / "big.db", copy)
            target = open_store(copy, officer="Bench")
            fresh = preview_return(target, filled)
            start = time.perf_counter()
            apply_preview(target, fresh, backup=False)
            apply_times.append(time.perf_counter() - start)
            target.close()
        apply_t = statistics.median(apply_times)
        print(f"\nImport of a {total_rows:,}-row return ({len(preview.changes):,} changes), "
              f"median of {args.runs}:")
        print(f"  read and check the file    {read_t:7.2f} s")
        print(f"  preview (read + validate)  {preview_t:7.2f} s")
        print(f"  openpyxl reading the cells {floor_t:7.2f} s   ratio {preview_t / floor_t:.2f}")
        print(f"  apply, one transaction     {apply_t:7.2f} s")
        store.close()
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
