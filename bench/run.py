"""Commitment Tracker next to the bare libraries: one table of every timed operation.

    .venv/bin/python bench/run.py [--runs 5] [--only start,tree,import,export,grid,reports,stalls,sync]

Each row times the tracker ("ours") and the floor (the same work with the bare libraries, no
less and no more) in turn, ours and floor alternated (ABBA) after one unmeasured run of each,
and prints medians. Start-up runs as separate processes (bytecode compiled first, for both);
every other group runs in a process of its own, on copies of databases built once and cached
in a temp folder (see bench/datasets.py). Then the GUI-thread heartbeat plays scripted
scenarios on the real window and prints the longest stall of each (a gap over 100 ms between
two ticks of a 10 ms timer).

The machine is shared and its load varies: the ratios measured in one run are what count;
absolute times move between runs.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))

GROUPS = ("start", "tree", "import", "export", "grid", "reports", "sync", "stalls")
MARK = "RESULT "


def _env(work: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # users have cached bytecode (MEASURED trap 12)
    env["QT_QPA_PLATFORM"] = env.get("QT_QPA_PLATFORM", "offscreen")
    env["PYQTGRAPH_QT_LIB"] = "PySide6"
    env["XDG_CONFIG_HOME"] = str(work / "config")  # the window's settings, not the user's
    env["XDG_DATA_HOME"] = str(work / "data")
    env["TRACKER_OFFICER"] = "Bench"
    return env


# --- start-up: separate processes ---------------------------------------------------------------

def group_start(runs: int) -> list[dict]:
    import datasets

    work = datasets.work_folder() / "start"
    work.mkdir(parents=True, exist_ok=True)
    db = datasets.copy_db(datasets.sample(), work / "sample.db")
    env = _env(work)
    python = sys.executable
    site = [p for p in sys.path if p.endswith("site-packages")]
    subprocess.run([python, "-m", "compileall", "-q", str(ROOT / "tracker"), str(HERE), *site],
                   env=env, check=False, stdout=subprocess.DEVNULL)

    def once(args: list[str]) -> float:
        started = time.perf_counter()
        done = subprocess.run([python, str(HERE / "start_probe.py"), *args], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        took = time.perf_counter() - started
        if done.returncode != 0:
            raise RuntimeError(f"start_probe {args[0]} failed ({done.returncode}): "
                               f"{done.stderr.strip()[-800:]}")
        return took

    from harness import alternate

    ours, floor = alternate(lambda: once(["ours", str(db)]), lambda: once(["floor"]), runs)
    return [{"operation": "start: process start to first painted window", "size": "sample plan",
             "ours": ours, "floor": floor, "goal": 1.3,
             "floor_label": "bare PySide6 + pyqtgraph import, empty painted QMainWindow"}]


# --- a group in its own process -----------------------------------------------------------------

def run_group(name: str, runs: int) -> dict:
    """In the child: run one group and print its result as one JSON line."""
    if name == "start":
        result = {"rows": group_start(runs)}
    elif name == "stalls":
        import stalls

        result = {"stalls": stalls.group_stalls(runs)}
    elif name == "sync":
        import bench_sync

        rows, notes = bench_sync.bench_rows(runs)
        result = {"rows": rows, "notes": notes}
    else:
        import pairs

        out = pairs.GROUPS[name](runs)
        rows, notes = out if isinstance(out, tuple) else (out, [])
        result = {"rows": rows, "notes": notes}
    print(MARK + json.dumps(result), flush=True)
    return result


def spawn(name: str, runs: int, work: Path) -> dict:
    started = time.perf_counter()
    print(f"… {name}", file=sys.stderr, flush=True)
    done = subprocess.run([sys.executable, str(HERE / "run.py"), "--group", name, "--runs",
                           str(runs)], env=_env(work), stdout=subprocess.PIPE, text=True)
    lines = [ln for ln in done.stdout.splitlines() if ln.startswith(MARK)]
    if not lines:
        return {"error": f"{name} failed (exit {done.returncode}); output: "
                         f"{done.stdout.strip()[-600:]}"}
    result = json.loads(lines[-1][len(MARK):])
    if done.returncode not in (0,):
        result.setdefault("notes", []).append(f"{name}: process ended with {done.returncode}")
    print(f"  {name} took {time.perf_counter() - started:.0f} s", file=sys.stderr, flush=True)
    return result


# --- the table ----------------------------------------------------------------------------------

def _time(seconds: float) -> str:
    if seconds < 1:
        return f"{seconds * 1000:.0f} ms" if seconds >= 0.01 else f"{seconds * 1000:.1f} ms"
    return f"{seconds:.2f} s"


def table(rows: list[dict], runs: int) -> str:
    head = ("operation", "size", "ours", "floor", "ratio", "goal", "result", "runs")
    body = []
    for r in rows:
        ours, floor = statistics.median(r["ours"]), statistics.median(r["floor"])
        ratio = ours / floor if floor else float("inf")
        goal = r["goal"]
        if goal is None:
            goal_text, met = "no goal", "—"
        else:
            goal_text, met = f"{goal:g}", "met" if ratio <= goal else "NOT met"
        n = min(len(r["ours"]), len(r["floor"]))
        body.append((r["operation"], r["size"], _time(ours), _time(floor), f"{ratio:.2f}",
                     goal_text, met, f"{n} alternated"))
    widths = [max(len(str(x[i])) for x in [head, *body]) for i in range(len(head))]
    left = (0, 1, 6, 7)
    lines = [" | ".join(str(c).ljust(w) if i in left else str(c).rjust(w)
                        for i, (c, w) in enumerate(zip(line, widths))).rstrip()
             for line in [head, *body]]
    lines.insert(1, "-+-".join("-" * w for w in widths))
    floors = [f"  {r.get('short') or r['operation'].split(':')[0]}: {r['floor_label']}"
              for r in rows if r.get("floor_label")]
    return "\n".join(lines) + (
        f"\n\nours and floor: medians of the measured runs of each (the runs column, at least "
        f"{runs}), run in turn (ABBA: ours, "
        "floor, floor, ours, ...) after one unmeasured run of each, in one process per group; "
        "ratio = ours / floor; met when the ratio is at or under the goal. Floors (the same "
        "work with the bare libraries):\n" + "\n".join(dict.fromkeys(floors)))


def stall_table(stalls: list[dict]) -> str:
    from harness import STALL_MS

    head = ("scenario", "longest stall: median of runs", "longest stall: worst run",
            f"worst over {STALL_MS} ms", "first run (warm-up)")
    body = []
    for s in stalls:
        gaps = s["gaps"]
        worst = max(gaps)
        first = s.get("first")
        body.append((s["scenario"], _time(statistics.median(gaps)), _time(worst),
                     "yes" if worst * 1000 > STALL_MS else "no",
                     _time(first) if first is not None else "-"))
    widths = [max(len(str(x[i])) for x in [head, *body]) for i in range(len(head))]
    lines = [" | ".join(str(c).ljust(w) if i == 0 else str(c).rjust(w)
                        for i, (c, w) in enumerate(zip(line, widths))) for line in [head, *body]]
    lines.insert(1, "-+-".join("-" * w for w in widths))
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="measured runs of each (default 5)")
    parser.add_argument("--only", default=",".join(GROUPS),
                        help="comma-separated groups: " + ", ".join(GROUPS))
    parser.add_argument("--group", help=argparse.SUPPRESS)  # internal: run one group here
    args = parser.parse_args()
    if args.group:
        run_group(args.group, args.runs)
        return 0
    import datasets

    wanted = [g.strip() for g in args.only.split(",") if g.strip()]
    for build in (datasets.sample, datasets.large, datasets.office):
        build()
    work = datasets.work_folder()
    work.mkdir(parents=True, exist_ok=True)
    rows: list[dict] = []
    notes: list[str] = []
    stalls: list[dict] = []
    started = time.perf_counter()
    for name in wanted:
        result = spawn(name, args.runs, work)
        if "error" in result:
            notes.append(result["error"])
            continue
        rows.extend(result.get("rows", []))
        notes.extend(result.get("notes", []))
        stalls.extend(result.get("stalls", []))
    load = os.getloadavg()
    print(f"\nCommitment Tracker against the bare libraries — {time.strftime('%Y-%m-%d %H:%M')}, "
          f"{os.cpu_count()} cores, load {load[0]:.1f}/{load[1]:.1f}/{load[2]:.1f}, "
          f"{(time.perf_counter() - started) / 60:.0f} min\n")
    if rows:
        print(table(rows, args.runs))
    for note in notes:
        print("  " + note)
    if stalls:
        from harness import STALL_MS, TICK_MS

        print(f"\nGUI-thread heartbeat ({TICK_MS} ms timer; a stall is a gap over {STALL_MS} ms "
              f"between two ticks), {args.runs} runs of each scenario after one unmeasured run; "
              "the longest gap of each run, its median over the runs and the worst run, and "
              "the unmeasured first run's (it pays a process's one-off imports):\n")
        print(stall_table(stalls))
    print("\nThe machine is shared with other work and its load varies: compare the ratios of one "
          "run, not times across runs.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
