"""How long the workspace takes on a big database, next to bare SQL reading the same rows.

Builds (once, in a temporary folder) a database of 10,000 commitments in 20 priorities with
1,000,000 evidence rows, bulk-inserted with executemany in one transaction. Then, for several
runs, times:

  open    MainWindow(store) until the tree's first paint (the plan opened to its priorities,
          with status counts), against the bare queries for the same plan and priority rows;
  filter  typing a word in the filter bar until the narrowed tree is painted (the matching
          commitments of every priority read and shown), against the bare FTS query returning
          the same commitment rows;
  search  the Ctrl+F search (50 hits over commitments and evidence), against a bare FTS MATCH;
  expand  opening a priority of 500 commitments until painted, against the bare row query;
  select  selecting a commitment until its 100 evidence rows and history are in the detail
          pane, against the bare queries for the commitment, its evidence and its history.

Run: QT_QPA_PLATFORM=offscreen .venv/bin/python bench/bench_workspace.py [--runs 5] [--keep DIR]
"""

from __future__ import annotations

import argparse
import os
import random
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("PYQTGRAPH_QT_LIB", "PySide6")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PySide6.QtCore import QEvent, QObject, QSettings
from PySide6.QtWidgets import QApplication

from tracker.store import open_store
from tracker.store import search as store_search

COMMITMENTS = 10_000
EVIDENCE_PER = 100
PRIORITIES = 20
WORDS = [
    "policing", "partnership", "victims", "safer", "roads", "violence", "prevention", "community",
    "confidence", "officers", "funding", "training", "support", "youth", "offenders", "drugs",
    "knife", "crime", "rural", "business", "domestic", "abuse", "hate", "scheme", "review",
    "strategy", "delivery",
]
FILTER_WORD = "patrol"  # in one commitment in ten
SEARCH_WORD = "lighthouse"  # in one evidence row in a thousand


def build(path: Path) -> None:
    store = open_store(path, create=True, officer="bench")
    store.close()
    conn = sqlite3.connect(path, isolation_level=None)
    rng = random.Random(7)
    stamp = "2024-01-01T00:00:00+00:00"
    started = time.perf_counter()
    conn.execute("BEGIN")
    conn.execute("INSERT INTO plan (id, uid, title, period, state, created_at, updated_at) "
                 "VALUES (1, ?, 'Bench plan', '2024-2028', 'active', ?, ?)",
                 (str(uuid.uuid4()), stamp, stamp))
    conn.executemany(
        "INSERT INTO priority (id, uid, plan_id, number, title, created_at, updated_at) "
        "VALUES (?, ?, 1, ?, ?, ?, ?)",
        [(i, str(uuid.uuid4()), i, f"Priority {i} " + " ".join(rng.sample(WORDS, 3)), stamp, stamp)
         for i in range(1, PRIORITIES + 1)])
    statuses = ["not_assessed", "not_started", "on_track", "at_risk", "off_track", "complete"]
    rows = []
    for i in range(1, COMMITMENTS + 1):
        words = rng.sample(WORDS, 8) + ([FILTER_WORD] if i % 10 == 0 else [])
        rows.append((i, str(uuid.uuid4()), (i - 1) % PRIORITIES + 1, (i - 1) // PRIORITIES + 1,
                     f"C{i}", "We will " + " ".join(words), rng.choice(statuses),
                     f"Lead {i % 37}", stamp, stamp))
    conn.executemany(
        "INSERT INTO commitment (id, uid, priority_id, position, code, text, status, lead, "
        "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)

    def evidence_rows():
        n = 0
        for c in range(1, COMMITMENTS + 1):
            for pos in range(1, EVIDENCE_PER + 1):
                n += 1
                extra = f" {SEARCH_WORD}" if n % 1000 == 0 else ""
                yield (n, str(uuid.uuid4()), c, pos,
                       " ".join(rng.choices(WORDS, k=10)) + extra, "2024/25", "internal", stamp, stamp)

    conn.executemany(
        "INSERT INTO evidence (id, uid, commitment_id, position, text, period, visibility, "
        "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", evidence_rows())
    conn.execute("COMMIT")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    print(f"built {COMMITMENTS:,} commitments, {COMMITMENTS * EVIDENCE_PER:,} evidence rows "
          f"in {time.perf_counter() - started:.1f} s ({path.stat().st_size / 2**20:.0f} MiB)")


class FirstPaint(QObject):
    def __init__(self):
        super().__init__()
        self.at: float | None = None

    def eventFilter(self, _obj, event) -> bool:
        if event.type() == QEvent.Type.Paint and self.at is None:
            self.at = time.perf_counter()
        return False


def wait_paint(app: QApplication, spy: FirstPaint) -> float:
    while spy.at is None:
        app.processEvents()
    return spy.at


def time_window(app: QApplication, path: Path, settings_path: Path) -> tuple[float, float, float, int]:
    from tracker.ui.main_window import MainWindow

    store = open_store(path, officer="bench")
    settings = QSettings(str(settings_path), QSettings.Format.IniFormat)
    settings.clear()
    spy = FirstPaint()
    started = time.perf_counter()
    window = MainWindow(store, settings)
    window.workspace.tree.viewport().installEventFilter(spy)
    window.resize(1400, 900)
    window.show()
    opened = wait_paint(app, spy) - started

    spy.at = None
    bar = window.workspace.filter_bar
    started = time.perf_counter()
    bar.text.setText(FILTER_WORD)
    bar.flush()
    filtered = wait_paint(app, spy) - started
    shown = window.workspace.model.matching_count()

    bar.reset()
    app.processEvents()
    spy.at = None
    ws = window.workspace
    started = time.perf_counter()
    ws.expand_key(("priority", 1))
    wait_paint(app, spy)
    expanded = time.perf_counter() - started

    started = time.perf_counter()
    ws.select_key(("commitment", 1))
    page = ws.detail.commitment_page
    assert page.table.rowCount() == EVIDENCE_PER
    selected = time.perf_counter() - started

    started = time.perf_counter()
    hits = store_search.search(store, SEARCH_WORD, limit=50)
    searched = time.perf_counter() - started
    assert hits
    window.save_settings()
    window.shutdown()
    window.close()
    window.deleteLater()
    app.processEvents()
    return opened, filtered, searched, expanded, selected, shown


def time_bare(path: Path) -> tuple[float, float, float, int]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    started = time.perf_counter()
    conn.execute("SELECT p.id, p.title, p.period, p.state, (SELECT count(*) FROM commitment c "
                 "JOIN priority pr ON pr.id = c.priority_id WHERE pr.plan_id = p.id "
                 "AND c.parent_id IS NULL) FROM plan p").fetchall()
    conn.execute("SELECT id, number, title FROM priority WHERE plan_id = 1 ORDER BY number").fetchall()
    conn.execute("SELECT c.priority_id, c.status, count(*) FROM commitment c JOIN priority pr "
                 "ON pr.id = c.priority_id WHERE pr.plan_id = 1 AND c.parent_id IS NULL "
                 "GROUP BY c.priority_id, c.status").fetchall()
    opened = time.perf_counter() - started
    started = time.perf_counter()
    rows = conn.execute(
        "SELECT c.id, c.priority_id, c.code, c.text, c.status, c.lead, c.updated_at FROM commitment c "
        "WHERE c.id IN (SELECT rowid FROM commitment_fts WHERE commitment_fts MATCH ?) "
        "ORDER BY c.priority_id, c.position", (f'"{FILTER_WORD}"*',)).fetchall()
    filtered = time.perf_counter() - started
    started = time.perf_counter()
    conn.execute("SELECT rowid FROM evidence_fts WHERE evidence_fts MATCH ? LIMIT 50",
                 (f'"{SEARCH_WORD}"*',)).fetchall()
    searched = time.perf_counter() - started
    started = time.perf_counter()
    conn.execute("SELECT c.id, c.code, c.text, c.status, c.lead, c.updated_at FROM commitment c "
                 "WHERE c.priority_id = 1 AND c.parent_id IS NULL ORDER BY c.position").fetchall()
    expanded = time.perf_counter() - started
    started = time.perf_counter()
    conn.execute("SELECT * FROM commitment WHERE id = 1").fetchall()
    conn.execute("SELECT e.*, p.name FROM evidence e LEFT JOIN partner p ON p.id = e.partner_id "
                 "WHERE e.commitment_id = 1 ORDER BY e.position").fetchall()
    conn.execute("SELECT * FROM status_change WHERE commitment_id = 1").fetchall()
    selected = time.perf_counter() - started
    conn.close()
    return opened, filtered, searched, expanded, selected, len(rows)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--keep", help="folder to keep (and reuse) the built database in")
    args = parser.parse_args()
    folder = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="bench-workspace-"))
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "bench.db"
    if not path.exists():
        build(path)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    window_runs, bare_runs = [], []
    for _ in range(args.runs):
        bare_runs.append(time_bare(path))
        window_runs.append(time_window(app, path, folder / "settings.ini"))
    print(f"\nmedians of {args.runs} runs (seconds); the floor is bare sqlite3 reading the same rows")
    print(f"{'':8} {'workspace':>10} {'bare SQL':>10} {'ratio':>7}")
    for i, name in enumerate(("open", "filter", "search", "expand", "select")):
        ours = statistics.median(r[i] for r in window_runs)
        floor = statistics.median(r[i] for r in bare_runs)
        print(f"{name:8} {ours:10.4f} {floor:10.4f} {ours / floor:7.1f}")
    print(f"filter '{FILTER_WORD}': tree shows {window_runs[0][-1]:,} commitments, "
          f"bare query returns {bare_runs[0][-1]:,}")
    if not args.keep:
        for p in folder.iterdir():
            p.unlink()
        folder.rmdir()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
