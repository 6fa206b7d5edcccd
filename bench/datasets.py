"""The databases and workbooks the benchmarks run on, built once and cached in a temp folder.

- `sample`: the built-in sample plan (what `tracker init` makes): for start-up.
- `large`: an office's plan scaled up: 10,000 commitments (3,750 sub-points under them) in 20
  priorities, 1,000,000 evidence rows on periods from 2016/17 to 2024/25, 26 partners (each
  commitment assigned to one to three, Essex Police to 4,200), status history, 200 quarterly
  indicators with eight years of values. The filter word ("victims") is in 3,000 top-level
  commitments, spread over every priority. Texts are sentences of the sample plan (which comes
  from the source documents), so words and lengths are a real office's.
- `return_5000`: Essex Police's return for 2024/25 exported from `large` (4,200 commitment rows
  and 800 indicator rows) and filled in as a partner would: 2,100 status changes with a reason,
  4,000 evidence statements with dates, 800 values.
- `office`: the report and export size: 1,000 commitments (200 sub-points) in 10 priorities,
  three evidence bullets each, 100 indicators, 50 partners with 30 commitments and 10 indicators
  each.

Bulk loads go through one `executemany` per table in one transaction (MEASURED trap 4), with
row ids from the rows' UUIDs as the application makes them. The cache is keyed by the schema
(the migration files) and BUILD, so a new migration builds afresh.
"""

from __future__ import annotations

import hashlib
import os
import random
import re
import shutil
import sqlite3
import sys
import tempfile
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

BUILD = "3"  # change when the data below change
FILTER_WORD = "victims"
FILTER_MATCHES = 3000
LARGE_COMMITMENTS = 10_000
LARGE_EVIDENCE = 1_000_000
LARGE_PRIORITIES = 20
LARGE_INDICATORS = 200
RETURN_PARTNER = "Essex Police"
RETURN_COMMITMENTS = 4200
RETURN_ROUND = "2024/25"
OFFICE_COMMITMENTS = 1000
OFFICE_INDICATORS = 100
OFFICE_PARTNERS = 50
EXPORT_ROUND = "2021/22"
OFFICER_NAMES = ["A. Patel", "J. Okafor", "S. Mills", "R. Haddad", "K. Brennan", "L. Nowak"]
REASONS = [
    "Agreed at the quarterly delivery board.",
    "Partner reported slippage against the milestone.",
    "Funding confirmed for the next phase.",
    "Evaluation found the work complete.",
    "Recruitment delayed; recovery plan in place.",
]
MATCH = re.compile(r"\bvictim", re.IGNORECASE)


def cache_root() -> Path:
    return Path(tempfile.gettempdir()) / "tracker-bench"


def schema_key() -> str:
    digest = hashlib.sha256(BUILD.encode())
    # The migrations alone: a stray .sql elsewhere in the checkout must not build other data.
    for path in sorted((ROOT / "db").glob("*.sql")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def folder() -> Path:
    path = cache_root() / schema_key()
    path.mkdir(parents=True, exist_ok=True)
    return path


def work_folder() -> Path:
    """Scratch space for one checkout's runs: the built databases are shared, but two checkouts
    benchmarking at once must not copy over each other's working files."""
    tag = hashlib.sha256(str(ROOT).encode()).hexdigest()[:8]
    return folder() / "work" / tag


def _say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def _uid() -> tuple[int, str]:
    from tracker.store.clock import row_id

    uid = str(uuid.uuid4())
    return row_id(uid), uid


def _stamp(day: date, seconds: int = 0) -> str:
    moment = datetime(day.year, day.month, day.day, 9, tzinfo=UTC) + timedelta(seconds=seconds)
    return moment.isoformat(timespec="microseconds")


def _fresh_schema(path: Path) -> None:
    from tracker.store import open_store

    for suffix in ("", "-wal", "-shm", ".lock"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    store = open_store(path, create=True, officer="Bench")
    store.close()


def _finish(conn: sqlite3.Connection) -> None:
    conn.execute("ANALYZE")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()


# --- the text pool ------------------------------------------------------------------------------

class Texts:
    """Sentences of the sample plan: commitment texts with and without the filter word, and
    evidence sentences."""

    def __init__(self) -> None:
        path = folder() / "sample.db"
        sample(path)
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        commitments = [r[0] for r in conn.execute("SELECT text FROM commitment")]
        evidence = [r[0] for r in conn.execute("SELECT text FROM evidence")]
        self.partners = [r[0] for r in conn.execute("SELECT name FROM partner ORDER BY name")]
        self.priorities = [r[0] for r in conn.execute("SELECT title FROM priority ORDER BY id")]
        conn.close()
        self.matching = [t for t in commitments if MATCH.search(t)]
        self.plain = [t for t in commitments if not MATCH.search(t)]
        sentences = []
        for text in evidence:
            sentences.extend(s.strip() for s in re.split(r"(?<=[.!?])\s+", text) if len(s) > 30)
        self.evidence = sentences
        if not self.matching:  # the sample always has some; keep the word there regardless
            self.matching = [f"Support {FILTER_WORD} of crime."]


# --- sample -------------------------------------------------------------------------------------

def sample(path: Path | None = None) -> Path:
    from tracker.store.location import create_database

    path = path or folder() / "sample.db"
    if not path.exists():
        tmp = path.with_suffix(".tmp.db")
        for suffix in ("", "-wal", "-shm", ".lock"):
            Path(str(tmp) + suffix).unlink(missing_ok=True)
        store = create_database(tmp, officer="Bench")
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        store.close()
        tmp.rename(path)
    return path


# --- large --------------------------------------------------------------------------------------

def _quarters(first_year: int, last_year: int) -> list[tuple[str, str]]:
    from tracker.domain.periods import Period, PeriodKind

    found = []
    for year in range(first_year, last_year + 1):
        for q in range(1, 5):
            p = Period(PeriodKind.QUARTER, year, q)
            found.append((p.label, p.start.isoformat()))
    return found


def large() -> Path:
    path = folder() / "large.db"
    if path.exists():
        return path
    started = time.perf_counter()
    _say("building the large database (once; cached in " + str(path.parent) + ") ...")
    texts = Texts()
    tmp = path.with_suffix(".tmp.db")
    _fresh_schema(tmp)
    rng = random.Random(12)
    conn = sqlite3.connect(tmp, isolation_level=None)
    conn.execute("PRAGMA foreign_keys = OFF")
    conn.execute("BEGIN")
    created = date(2024, 4, 1)
    stamp = _stamp(created)
    partner_ids = {}
    for name in texts.partners:
        pid, uid = _uid()
        partner_ids[name] = pid
        conn.execute("INSERT INTO partner (id, uid, name, created_at, updated_at) VALUES (?,?,?,?,?)",
                     (pid, uid, name, stamp, stamp))
    police = partner_ids[RETURN_PARTNER]
    others = [p for n, p in partner_ids.items() if n != RETURN_PARTNER]
    plan_id, plan_uid = _uid()
    conn.execute("INSERT INTO plan (id, uid, title, period, state, created_at, updated_at) "
                 "VALUES (?, ?, 'Police and Crime Plan (scaled up)', '2024-2028', 'active', ?, ?)",
                 (plan_id, plan_uid, stamp, stamp))
    priorities = []
    for n in range(1, LARGE_PRIORITIES + 1):
        pid, uid = _uid()
        title = texts.priorities[(n - 1) % len(texts.priorities)]
        conn.execute("INSERT INTO priority (id, uid, plan_id, number, title, objective, outcome, "
                     "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                     (pid, uid, plan_id, n, title, "Our objective is to " + title.lower(),
                      "So that people are safer", stamp, stamp))
        priorities.append(pid)

    # Priorities of different sizes (250 to 750 commitments), 10,000 in all.
    weights = [rng.uniform(0.5, 1.5) for _ in priorities]
    sizes = [int(LARGE_COMMITMENTS * w / sum(weights)) for w in weights]
    sizes[-1] += LARGE_COMMITMENTS - sum(sizes)
    tops = []  # (id, priority index)
    for index, size in enumerate(sizes):
        tops.extend((None, index) for _ in range(size))
    # The filter word in 3,000 top-level commitments, in every priority.
    matching = set(rng.sample(range(LARGE_COMMITMENTS), FILTER_MATCHES))
    statuses = ["not_started", "on_track", "on_track", "on_track", "at_risk", "off_track",
                "complete"]
    commitment_rows, partner_rows, history_rows, top_ids, all_ids = [], [], [], [], []
    police_ids = set(rng.sample(range(LARGE_COMMITMENTS), RETURN_COMMITMENTS))
    positions = [0] * len(priorities)
    for n, (_none, pindex) in enumerate(tops):
        cid, uid = _uid()
        positions[pindex] += 1
        text = rng.choice(texts.matching if n in matching else texts.plain)
        status = "not_assessed"
        changes = rng.randint(0, 4)
        day = created
        for k in range(changes):
            day = day + timedelta(days=rng.randint(20, 120))
            new = rng.choice([s for s in statuses if s != status])
            hid, huid = _uid()
            history_rows.append((hid, huid, cid, _stamp(day, k), rng.choice(OFFICER_NAMES), status,
                                 new, rng.choice(REASONS)))
            status = new
        updated = _stamp(day, 59)
        code = chr(65 + (positions[pindex] - 1) % 26) + (
            str((positions[pindex] - 1) // 26) if positions[pindex] > 26 else "")
        commitment_rows.append((cid, uid, priorities[pindex], None, positions[pindex], code, text,
                                status, rng.choice(OFFICER_NAMES), stamp, updated))
        chosen = {police} if n in police_ids else set()
        chosen.update(rng.sample(others, rng.randint(1, 2)))
        partner_rows.extend((cid, p) for p in chosen)
        top_ids.append(cid)
        all_ids.append(cid)
        if n % 8 == 0:  # three sub-points under every eighth commitment
            for s in range(3):
                sid, suid = _uid()
                commitment_rows.append((sid, suid, priorities[pindex], cid, s + 1,
                                        f"{code}.{s + 1}", rng.choice(texts.plain),
                                        rng.choice(statuses), rng.choice(OFFICER_NAMES), stamp,
                                        updated))
                all_ids.append(sid)
    conn.executemany(
        "INSERT INTO commitment (id, uid, priority_id, parent_id, position, code, text, status, "
        "lead, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", commitment_rows)
    conn.executemany("INSERT INTO commitment_partner (commitment_id, partner_id) VALUES (?, ?)",
                     partner_rows)
    conn.executemany(
        "INSERT INTO status_change (id, uid, commitment_id, changed_at, changed_by, from_status, "
        "to_status, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", history_rows)
    _say(f"  {len(commitment_rows):,} commitments, {len(history_rows):,} status changes "
         f"({time.perf_counter() - started:.0f} s)")

    quarters = _quarters(2016, 2024)
    years = sorted({label.split()[0] for label, _start in quarters})
    partner_list = list(partner_ids.values())

    def evidence_rows():
        # Skewed counts: most commitments have tens of entries, a few have many hundreds.
        weights = [rng.paretovariate(1.5) for _ in all_ids]
        scale = LARGE_EVIDENCE / sum(weights)
        counts = [max(1, int(w * scale)) for w in weights]
        counts[0] += LARGE_EVIDENCE - sum(counts)
        for cid, count in zip(all_ids, counts):
            for pos in range(1, count + 1):
                eid, euid = _uid()
                label, start = rng.choice(quarters) if rng.random() < 0.7 else (
                    rng.choice(years), None)
                day = (date.fromisoformat(start) if start else date(int(label[:4]), 4, 1)) + \
                    timedelta(days=rng.randint(0, 80))
                figure = rng.randint(1, 5000) if rng.random() < 0.15 else None
                yield (eid, euid, cid, pos, rng.choice(texts.evidence), day.isoformat(), label,
                       rng.choice(partner_list) if rng.random() < 0.6 else None, figure,
                       "shareable" if rng.random() < 0.8 else "internal",
                       rng.choice(OFFICER_NAMES), _stamp(day), _stamp(day))

    conn.executemany(
        "INSERT INTO evidence (id, uid, commitment_id, position, text, evidence_date, period, "
        "partner_id, figure, visibility, author, created_at, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", evidence_rows())
    _say(f"  {LARGE_EVIDENCE:,} evidence rows ({time.perf_counter() - started:.0f} s)")

    indicator_rows, value_rows, link_rows = [], [], []
    for n in range(LARGE_INDICATORS):
        iid, uid = _uid()
        unit = ["count", "percent", "rate"][n % 3]
        indicator_rows.append((iid, uid, priorities[n % len(priorities)], n // len(priorities) + 1,
                               f"{rng.choice(texts.plain)[:60].rstrip(' ,.;')} ({unit})", unit,
                               ["lower_is_better", "higher_is_better"][n % 2], "quarterly",
                               quarters[0][0], 50.0 if n % 4 == 0 else None, stamp, stamp))
        link_rows.append((iid, police))
        level = rng.uniform(30, 70)
        for q, (label, start) in enumerate(quarters[:32]):
            if q == 13:
                continue  # a gap: a quarter with no value
            level += rng.uniform(-3, 3)
            for series, offset in (("actual", 0.0), ("comparison", 4.0)):
                if series == "comparison" and n % 3:
                    continue
                vid, vuid = _uid()
                value_rows.append((vid, vuid, iid, label, start, series, round(level + offset, 1),
                                   "final", stamp, stamp))
    conn.executemany(
        "INSERT INTO indicator (id, uid, priority_id, number, name, unit, polarity, frequency, "
        "baseline_period, target_value, created_at, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", indicator_rows)
    conn.executemany("INSERT INTO indicator_partner (indicator_id, partner_id) VALUES (?, ?)",
                     link_rows)
    conn.executemany(
        "INSERT INTO indicator_value (id, uid, indicator_id, period, period_start, series, value, "
        "state, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", value_rows)
    conn.execute("COMMIT")
    _finish(conn)
    _make_return(tmp)
    tmp.rename(path)
    size = path.stat().st_size / 2**20
    _say(f"  built in {time.perf_counter() - started:.0f} s ({size:.0f} MiB)")
    return path


def _make_return(db: Path) -> None:
    """Export Essex Police's workbook from the database and answer it as the partner would."""
    from openpyxl import load_workbook

    from tracker.exchange import layout
    from tracker.exchange.return_export import export_partner
    from tracker.store import open_store

    store = open_store(db, officer="Bench")
    police = store.execute("SELECT id FROM partner WHERE name = ?", (RETURN_PARTNER,)).fetchone()[0]
    out = db.parent / "return-sent"
    shutil.rmtree(out, ignore_errors=True)
    sent = export_partner(store, police, RETURN_ROUND, out).path
    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()
    wb = load_workbook(sent)
    keys = [c.key for c in layout.COMMITMENT_COLUMNS]
    ws = wb[layout.COMMITMENTS]
    rng = random.Random(5)
    choices = ["On track", "At risk", "Off track", "Complete"]
    for r in range(2, ws.max_row + 1):
        current = str(ws.cell(r, keys.index("status") + 1).value or "")
        if r % 2 == 0:
            new = rng.choice([c for c in choices if c != current])
            ws.cell(r, keys.index("new_status") + 1).value = new
            ws.cell(r, keys.index("update") + 1).value = rng.choice(REASONS)
        if r % 21:  # 4,000 of 4,200 rows with a new evidence statement
            ws.cell(r, keys.index("evidence") + 1).value = (
                f"Delivered in the quarter (item {r}): the partnership reported progress.")
            ws.cell(r, keys.index("evidence_date") + 1).value = f"{1 + r % 28:02d}/03/2025"
    ws = wb[layout.INDICATORS]
    keys = [c.key for c in layout.INDICATOR_COLUMNS]
    for r in range(2, ws.max_row + 1):
        ws.cell(r, keys.index("new_value") + 1).value = round(20 + (r * 37) % 600 / 10, 1)
    wb.save(db.parent / "return-5000.xlsx")
    shutil.rmtree(out, ignore_errors=True)


def return_5000() -> Path:
    large()
    return folder() / "return-5000.xlsx"


# --- office (reports and export) ----------------------------------------------------------------

def office() -> Path:
    path = folder() / "office.db"
    if path.exists():
        return path
    started = time.perf_counter()
    _say("building the office database (once) ...")
    texts = Texts()
    tmp = path.with_suffix(".tmp.db")
    _fresh_schema(tmp)
    rng = random.Random(3)
    conn = sqlite3.connect(tmp, isolation_level=None)
    conn.execute("BEGIN")
    created = date(2021, 4, 1)
    stamp = _stamp(created)
    partners = []
    names = list(texts.partners)
    districts = ["Basildon", "Braintree", "Brentwood", "Castle Point", "Chelmsford", "Colchester",
                 "Epping Forest", "Harlow", "Maldon", "Rochford", "Tendring", "Uttlesford"]
    kinds = ["Community Safety Partnership", "Youth Offending Service", "Victim Services Hub"]
    for d in districts:
        for k in kinds:
            names.append(f"{d} {k}")
    for name in names[:OFFICE_PARTNERS]:
        pid, uid = _uid()
        partners.append(pid)
        conn.execute("INSERT INTO partner (id, uid, name, created_at, updated_at) VALUES (?,?,?,?,?)",
                     (pid, uid, name, stamp, stamp))
    plan_id, plan_uid = _uid()
    conn.execute("INSERT INTO plan (id, uid, title, period, state, created_at, updated_at) "
                 "VALUES (?, ?, 'Police and Crime Plan 2021-2024', '2021-2024', 'active', ?, ?)",
                 (plan_id, plan_uid, stamp, stamp))
    priorities = []
    for n in range(1, 11):
        pid, uid = _uid()
        title = texts.priorities[(n - 1) % len(texts.priorities)]
        conn.execute("INSERT INTO priority (id, uid, plan_id, number, title, objective, outcome, "
                     "partnership, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?)",
                     (pid, uid, plan_id, n, title, "Our objective is to " + title.lower(),
                      "So that people are safer and feel safer",
                      "Working with and through the Community Safety Partnerships", stamp, stamp))
        priorities.append(pid)
    statuses = ["not_started", "on_track", "on_track", "at_risk", "off_track", "complete"]
    rows, links, history, evidence = [], [], [], []
    tops = OFFICE_COMMITMENTS * 5 // 6  # 833 top level, 167 sub-points: 1,000 in all
    made = 0
    n = 0
    while made < OFFICE_COMMITMENTS:
        pindex = n % 10
        cid, uid = _uid()
        code = chr(65 + (n // 10) % 26)
        status = rng.choice(statuses)
        rows.append((cid, uid, priorities[pindex], None, n + 1, code,
                     rng.choice(texts.plain + texts.matching), status,
                     rng.choice(OFFICER_NAMES), stamp, stamp))
        made += 1
        subs = 1 if n < tops and n % 5 == 0 and made < OFFICE_COMMITMENTS else 0
        for s in range(subs):
            sid, suid = _uid()
            rows.append((sid, suid, priorities[pindex], cid, s + 1, f"{code}.{s + 1}",
                         rng.choice(texts.plain), rng.choice(statuses), None, stamp, stamp))
            made += 1
        hid, huid = _uid()
        history.append((hid, huid, cid, _stamp(created, n), rng.choice(OFFICER_NAMES),
                        "not_assessed", status, rng.choice(REASONS)))
        for pos in range(1, 4):
            eid, euid = _uid()
            day = date(2021 + rng.randint(0, 2), rng.randint(1, 12), rng.randint(1, 28))
            evidence.append((eid, euid, cid, pos, rng.choice(texts.evidence), day.isoformat(),
                             "2021/22", rng.choice(partners), None,
                             "internal" if (n + pos) % 10 == 0 else "shareable",
                             rng.choice(OFFICER_NAMES), _stamp(day), _stamp(day)))
        n += 1
    conn.executemany(
        "INSERT INTO commitment (id, uid, priority_id, parent_id, position, code, text, status, "
        "lead, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
    conn.executemany(
        "INSERT INTO status_change (id, uid, commitment_id, changed_at, changed_by, from_status, "
        "to_status, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", history)
    conn.executemany(
        "INSERT INTO evidence (id, uid, commitment_id, position, text, evidence_date, period, "
        "partner_id, figure, visibility, author, created_at, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", evidence)
    top_ids = [r[0] for r in rows if r[3] is None]
    # 50 partners x 30 commitments, some shared.
    for pid in partners:
        for cid in rng.sample(top_ids, 30):
            links.append((cid, pid))
    conn.executemany("INSERT OR IGNORE INTO commitment_partner (commitment_id, partner_id) "
                     "VALUES (?, ?)", links)
    years = [f"{y}/{(y + 1) % 100:02d}" for y in range(2014, 2022)]
    from tracker.domain.periods import parse_period

    indicator_rows, value_rows, ilinks = [], [], []
    indicator_ids = []
    for n in range(OFFICE_INDICATORS):
        iid, uid = _uid()
        indicator_ids.append(iid)
        unit = ["count", "percent", "rate"][n % 3]
        frequency = "quarterly" if n % 2 else "annual"
        indicator_rows.append((iid, uid, priorities[n % 10], n // 10 + 1,
                               f"{rng.choice(texts.plain)[:60].rstrip(' ,.;')}", unit,
                               ["lower_is_better", "higher_is_better"][n % 2], frequency,
                               years[0], 45.0 if n % 4 == 0 else None, stamp, stamp))
        level = rng.uniform(30, 70)
        for i, year in enumerate(years):
            if i == 3:
                continue
            level += rng.uniform(-4, 4)
            for series, offset in (("actual", 0.0), ("comparison", 3.0)):
                if series == "comparison" and n % 3:
                    continue
                vid, vuid = _uid()
                value_rows.append((vid, vuid, iid, year, parse_period(year).start.isoformat(),
                                   series, round(level + offset, 1), "final", stamp, stamp))
    conn.executemany(
        "INSERT INTO indicator (id, uid, priority_id, number, name, unit, polarity, frequency, "
        "baseline_period, target_value, created_at, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", indicator_rows)
    conn.executemany(
        "INSERT INTO indicator_value (id, uid, indicator_id, period, period_start, series, value, "
        "state, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", value_rows)
    for pid in partners:
        for iid in rng.sample(indicator_ids, 10):
            ilinks.append((iid, pid))
    conn.executemany("INSERT INTO indicator_partner (indicator_id, partner_id) VALUES (?, ?)", ilinks)
    conn.execute("COMMIT")
    _finish(conn)
    tmp.rename(path)
    _say(f"  built in {time.perf_counter() - started:.0f} s")
    return path


def copy_db(source: Path, target: Path) -> Path:
    """A fresh copy of a cached database (the cache itself is never written to)."""
    for suffix in ("", "-wal", "-shm", ".lock"):
        Path(str(target) + suffix).unlink(missing_ok=True)
    shutil.rmtree(target.parent / f"{target.stem}-backups", ignore_errors=True)
    shutil.copyfile(source, target)
    with open(target, "rb+") as handle:
        # On disk before the run starts: left in the page cache, the copy's write-back
        # would compete with the timed work's own flushes (the floor does none).
        os.fsync(handle.fileno())
    return target


if __name__ == "__main__":
    for build in (sample, large, office):
        print(build())
