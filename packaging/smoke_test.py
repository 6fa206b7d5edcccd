"""Smoke-test a built bundle: `python packaging/smoke_test.py [BUNDLE_DIR]` (default dist/CommitmentTracker).

Runs the bundle's own programs the way an officer's laptop would, from an empty folder, with no
Python or virtual environment on PATH and the user's folders redirected to a scratch folder:
the window starts (offscreen), paints and exits; `init`, `summary`, `report` to PDF and Word,
a partner workbook exported with `export-returns`, answered, and taken in with `import-return`,
and a team made in a folder, joined by a second database and synced. Checks first that the
data files, the Qt plugins and the native libraries are inside the bundle. Exits non-zero at
the first failure, saying what failed.

This script itself runs on the build machine's Python (it uses openpyxl to answer the
workbook); the bundle never sees it.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WINDOWS = sys.platform == "win32"
# The offscreen platform plugin says this whenever a window sets size hints; not the app's.
OFFSCREEN_NOISE = {"This plugin does not support propagateSizeHints()"}


class SmokeFailure(Exception):
    pass


def program(bundle: Path, name: str) -> Path:
    return bundle / (f"{name}.exe" if WINDOWS else name)


def clean_environment(home: Path) -> dict[str, str]:
    """The user's environment minus every Python and virtual environment, folders redirected."""
    keep = ("SYSTEMROOT", "WINDIR", "COMSPEC", "PATHEXT", "TEMP", "TMP", "SYSTEMDRIVE")
    env = {k: v for k, v in os.environ.items() if k.upper() in keep}
    python_dirs = {str(Path(sys.executable).parent), str(Path(sys.base_exec_prefix)),
                   str(Path(sys.exec_prefix))}
    path = [p for p in os.environ.get("PATH", "").split(os.pathsep)
            if p and not any(p.startswith(d) for d in python_dirs) and "venv" not in p.lower()
            and "python" not in p.lower()]
    env.update(PATH=os.pathsep.join(path), HOME=str(home), USERPROFILE=str(home),
               XDG_DATA_HOME=str(home / "data"), XDG_CONFIG_HOME=str(home / "config"),
               APPDATA=str(home / "AppData" / "Roaming"), LOCALAPPDATA=str(home / "AppData" / "Local"),
               # platformdirs asks Windows itself for the AppData folders, not the variables
               # above: without these the first run would open (or make) the real database of
               # whoever runs the smoke test.
               WIN_PD_OVERRIDE_APPDATA=str(home / "AppData" / "Roaming"),
               WIN_PD_OVERRIDE_LOCAL_APPDATA=str(home / "AppData" / "Local"),
               QT_QPA_PLATFORM="offscreen", TRACKER_OFFICER="Smoke Test", LANG="C.UTF-8")
    return env


def run(args: list[str], cwd: Path, env: dict[str, str], expect: str | None = None) -> str:
    started = time.perf_counter()
    # Redirected, the programs write UTF-8 on every platform (tracker.cli), not Windows' cp1252.
    result = subprocess.run(args, cwd=cwd, env=env, capture_output=True, encoding="utf-8",
                            errors="replace", timeout=300)
    took = time.perf_counter() - started
    shown = " ".join(Path(args[0]).name if i == 0 else a for i, a in enumerate(args))
    noise = [line for line in result.stderr.splitlines() if line.strip() and line not in OFFSCREEN_NOISE]
    if result.returncode != 0:
        raise SmokeFailure(f"{shown} exited {result.returncode}:\n{result.stdout}{result.stderr}")
    if noise:
        raise SmokeFailure(f"{shown} printed on stderr:\n" + "\n".join(noise))
    if expect is not None and expect not in result.stdout:
        raise SmokeFailure(f"{shown} did not print {expect!r}:\n{result.stdout}")
    print(f"  ok  {took:5.2f} s  {shown}")
    return result.stdout


def check_contents(bundle: Path) -> None:
    internal = bundle / "_internal"
    wanted = {
        "the schema": "tracker/db/001_initial.sql",
        "the sample plan": "tracker/resources/sample/plan-2020-21.toml",
        "the report template": "tracker/reports/report.typ",
        "the report fonts": "tracker/reports/fonts/*.ttf",
        "Qt's offscreen platform plugin": "PySide6/**/platforms/*offscreen*",
        f"Qt's {'windows' if WINDOWS else 'xcb'} platform plugin":
            f"PySide6/**/platforms/*{'qwindows' if WINDOWS else 'qxcb'}*",
        "Typst's native library": "typst/_typst*",
        "apsw's native module": "apsw/__init__*",
        "psycopg's compiled library": "psycopg_binary/*",
        "python-docx's templates": "docx/templates/default.docx",
    }
    for what, pattern in wanted.items():
        if not any(internal.glob(pattern)):
            raise SmokeFailure(f"{what} is not in the bundle (no {pattern} under {internal})")
    for name in ("CommitmentTracker", "tracker"):
        if not program(bundle, name).is_file():
            raise SmokeFailure(f"the bundle has no {program(bundle, name).name}")
    print(f"  ok  data files, Qt plugins and native libraries are inside {bundle}")


def answer_first_commitment(workbook: Path) -> None:
    """Fill in one piece of evidence, as a partner would, in the first commitment row."""
    import openpyxl

    book = openpyxl.load_workbook(workbook)
    sheet = book["Commitments"]
    for row in sheet.iter_rows():
        headings = {str(c.value).strip(): c.column for c in row if c.value}
        if "Evidence" in headings and "Evidence date" in headings:
            target = row[0].row + 1
            sheet.cell(target, headings["Evidence"], "Smoke test: a dated statement of delivery.")
            sheet.cell(target, headings["Evidence date"], "30/09/2021")
            book.save(workbook)
            return
    raise SmokeFailure(f"{workbook.name} has no Evidence column on its Commitments sheet")


def smoke(bundle: Path) -> None:
    check_contents(bundle)
    cli, window = str(program(bundle, "tracker")), str(program(bundle, "CommitmentTracker"))
    # Windows cannot delete a file another process still holds; that is no failure of the bundle.
    with tempfile.TemporaryDirectory(prefix="tracker-smoke-", ignore_cleanup_errors=True) as scratch:
        work, home = Path(scratch) / "work", Path(scratch) / "home"
        work.mkdir()
        home.mkdir()
        env = clean_environment(home)
        run([cli, "--version"], work, env, expect="Commitment Tracker")
        # First run: the window makes the database in the data folder from the sample.
        run([cli, "--smoke-start"], work, env, expect="painted its first frame")
        data = home / "AppData" / "Local" if WINDOWS else home / "data"
        if not (data / "CommitmentTracker" / "tracker.db").is_file():
            raise SmokeFailure(f"the first run made no database in {data / 'CommitmentTracker'}")
        run([cli, "init", "--db", "plan.db"], work, env, expect="with the sample plan")
        run([cli, "summary", "--db", "plan.db"], work, env, expect="Police and Crime Plan Extension 2020/21")
        # The window's program has no console on Windows, so there it is judged by its exit code.
        run([window, "--smoke-start", "--db", "plan.db"], work, env,
            expect=None if WINDOWS else "painted its first frame")
        for suffix in (".pdf", ".docx"):
            run([cli, "report", "--db", "plan.db", "--plan", "pcp-2020-21", "--out", f"report{suffix}"],
                work, env, expect="Wrote report")
        if not (work / "report.pdf").read_bytes().startswith(b"%PDF-"):
            raise SmokeFailure("report.pdf is not a PDF")
        with zipfile.ZipFile(work / "report.docx") as docx:
            if "Police and Crime Plan" not in docx.read("word/document.xml").decode("utf-8"):
                raise SmokeFailure("report.docx does not hold the plan's title")
        run([cli, "export-returns", "--db", "plan.db", "--round", "2021/22 Q2", "--partner", "essex-police",
             "--out", "returns"], work, env, expect="1 workbook written")
        (workbook,) = (work / "returns").glob("*.xlsx")
        answer_first_commitment(workbook)
        run([cli, "import-return", str(workbook), "--db", "plan.db"], work, env, expect="1 new evidence")
        run([cli, "import-return", str(workbook), "--db", "plan.db", "--apply"], work, env,
            expect="1 new evidence")
        run([cli, "returns-status", "--db", "plan.db", "--round", "2021/22 Q2"], work, env,
            expect="Essex Police")
        # Team sync (apsw's SQLite with the session extension): a team in a folder, a second
        # laptop joining it from the key, and a sync.
        made = run([cli, "team", "create", "share", "--db", "plan.db"], work, env, expect="key: ct1-")
        key = next(line.split(":", 1)[1].strip() for line in made.splitlines() if line.startswith("key:"))
        run([cli, "--db", "laptop2.db", "team", "join", "share", "--key", key], work, env)
        run([cli, "sync", "--db", "laptop2.db"], work, env, expect="pushed 0 changes")
        run([cli, "summary", "--db", "laptop2.db"], work, env, expect="Plan Extension 2020/21")


def main(argv: list[str] | None = None) -> int:
    args = argv if argv is not None else sys.argv[1:]
    bundle = Path(args[0] if args else ROOT / "dist" / "CommitmentTracker").resolve()
    print(f"Smoke test of {bundle}")
    try:
        smoke(bundle)
    except (SmokeFailure, subprocess.TimeoutExpired) as exc:
        print(f"smoke test FAILED: {exc}", file=sys.stderr)
        return 1
    print("Smoke test passed.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
