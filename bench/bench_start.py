"""Start-up of the standalone bundle next to the virtual environment, and the bundle's size.

Times separate processes, each from its start until it exits (medians of several runs):

  window    `--smoke-start`: the window opens on the sample database, paints its first frame
            and exits (what an officer waits for, plus the exit);
  command   `summary`: the command line's start, one query, the answer printed;

for the bundle (dist/CommitmentTracker, built by packaging/build_bundle.py) and for the venv's
`tracker` script, next to the floor: the venv's Python painting a bare QMainWindow and exiting.
The venv's bytecode is compiled first and PYTHONDONTWRITEBYTECODE is unset, as on an officer's
machine (without bytecode every start recompiles the project).

Run: .venv/bin/python bench/bench_start.py [--runs 7] [--bundle dist/CommitmentTracker]
"""

from __future__ import annotations

import argparse
import compileall
import os
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WINDOWS = sys.platform == "win32"
FLOOR = """
import sys
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
class First(QObject):
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint:
            QTimer.singleShot(0, app.quit)
        return False
app = QApplication(sys.argv[:1])
watcher = First()
app.installEventFilter(watcher)
window = QMainWindow()
window.resize(1400, 900)
window.show()
app.exec()
"""


def timed(args: list[str], env: dict[str, str], cwd: Path) -> float:
    started = time.perf_counter()
    subprocess.run(args, env=env, cwd=cwd, check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def median(args: list[str], env: dict[str, str], cwd: Path, runs: int) -> float:
    timed(args, env, cwd)  # warm-up: file cache, bytecode written
    return statistics.median(timed(args, env, cwd) for _ in range(runs))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--bundle", type=Path, default=ROOT / "dist" / "CommitmentTracker")
    args = parser.parse_args(argv)
    bundle = args.bundle.resolve()
    exe = ".exe" if WINDOWS else ""
    if not (bundle / f"tracker{exe}").is_file():
        print(f"No bundle at {bundle}: build it with python packaging/build_bundle.py", file=sys.stderr)
        return 1
    venv_tracker = Path(sys.executable).with_name(f"tracker{exe}")

    # quiet=2: a few template files in PySide6 are not Python and cannot compile.
    compileall.compile_dir(ROOT / "tracker", quiet=2)
    for lib in {sysconfig.get_path("purelib"), sysconfig.get_path("platlib")}:
        compileall.compile_dir(lib, quiet=2, workers=0)
    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch)
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env.update(QT_QPA_PLATFORM="offscreen", TRACKER_OFFICER="bench", HOME=str(work),
                   XDG_CONFIG_HOME=str(work / "config"), XDG_DATA_HOME=str(work / "data"))
        subprocess.run([str(bundle / f"tracker{exe}"), "init", "--db", "plan.db"], env=env, cwd=work,
                       check=True, stdout=subprocess.DEVNULL)
        rows = {
            "window": {
                "bundle": [str(bundle / f"CommitmentTracker{exe}"), "--smoke-start", "--db", "plan.db"],
                "venv": [str(venv_tracker), "--smoke-start", "--db", "plan.db"],
                "floor": [sys.executable, "-c", FLOOR],
            },
            "command": {
                "bundle": [str(bundle / f"tracker{exe}"), "summary", "--db", "plan.db"],
                "venv": [str(venv_tracker), "summary", "--db", "plan.db"],
                "floor": [sys.executable, "-c", "import sqlite3; sqlite3.connect('plan.db')"
                          ".execute('SELECT count(*) FROM commitment').fetchone()"],
            },
        }
        print(f"start-up, median of {args.runs} runs (s)   bundle    venv   floor")
        for name, commands in rows.items():
            times = {k: median(v, env, work, args.runs) for k, v in commands.items()}
            print(f"  {name:<38}{times['bundle']:7.2f} {times['venv']:7.2f} {times['floor']:7.2f}")
    files = [f for f in bundle.rglob("*") if f.is_file() and not f.is_symlink()]
    size = sum(f.stat().st_size for f in files)
    print(f"bundle size: {size / 1e6:.0f} MB in {len(files)} files ({bundle})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
