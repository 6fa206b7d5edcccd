"""The built wheel is a working application on its own, outside the source tree.

The wheel is built from a copy of the source, installed into a fresh virtual environment with
no network: the dependencies come from this test environment's site-packages (through a .pth
file), the project itself only from the wheel. The commands then run from a folder outside the
source tree, as an officer's would. Damaging the installed data files afterwards must give one
sentence and a non-zero exit, not a traceback.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SKIP_DIRS = {".git", ".venv", "build", "dist", "__pycache__", ".pytest_cache", ".ruff_cache",
             ".hypothesis", "out", "tests", "docs", "bench"}


def _ignore(folder: str, names: list[str]) -> set[str]:
    return {n for n in names if n in SKIP_DIRS or n.endswith((".egg-info", ".pyc"))}


def run(args: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True)


def checked(args: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    result = run(args, cwd, env)
    assert result.returncode == 0, f"{args} exited {result.returncode}:\n{result.stdout}\n{result.stderr}"
    return result


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> dict:
    """A fresh venv holding only the wheel; its python, its tracker script, a clean env."""
    base = tmp_path_factory.mktemp("wheel")
    source = base / "source"
    shutil.copytree(ROOT, source, ignore=_ignore)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}
    env.update(PYTHONNOUSERSITE="1", HOME=str(base / "home"), XDG_DATA_HOME=str(base / "data"),
               XDG_CONFIG_HOME=str(base / "config"), QT_QPA_PLATFORM="offscreen",
               PIP_NO_INDEX="1", PIP_DISABLE_PIP_VERSION_CHECK="1")
    checked([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
             "--no-index", "-w", str(base / "dist"), str(source)], base, env)
    (wheel,) = (base / "dist").glob("commitment_tracker-*.whl")
    venv = base / "venv"
    checked([sys.executable, "-m", "venv", "--without-pip", str(venv)], base, env)
    python = venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    checked([sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet", "--no-deps",
             "--no-index", str(wheel)], base, env)
    purelib = Path(checked([str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                           base, env).stdout.strip())
    # The dependencies (PySide6, openpyxl ...) from this environment, after the venv's own
    # site-packages, so that `tracker` can only come from the wheel.
    deps = {sysconfig.get_path("purelib"), sysconfig.get_path("platlib")}
    (purelib / "_test_dependencies.pth").write_text("\n".join(sorted(deps)) + "\n", encoding="utf-8")
    work = base / "work"
    work.mkdir()
    tracker = venv / ("Scripts/tracker.exe" if os.name == "nt" else "bin/tracker")
    return {"python": python, "tracker": str(tracker), "purelib": purelib, "work": work, "env": env,
            "base": base}


def test_the_application_comes_from_the_wheel(installed):
    result = checked([str(installed["python"]), "-c", "import tracker; print(tracker.__file__)"],
                     installed["work"], installed["env"])
    assert Path(result.stdout.strip()).is_relative_to(installed["purelib"])
    assert not Path(result.stdout.strip()).is_relative_to(ROOT)


def test_init_summary_reports_and_window_from_the_wheel(installed):
    tracker, work, env = installed["tracker"], installed["work"], installed["env"]
    result = checked([tracker, "init", "--db", "plan.db"], work, env)
    assert "with the sample plan" in result.stdout
    summary = checked([tracker, "summary", "--db", "plan.db", "--all"], work, env).stdout
    assert "Police and Crime Plan Extension 2020/21" in summary
    assert "61 commitments" in summary
    for suffix in (".docx", ".html", ".pdf"):
        checked([tracker, "report", "--db", "plan.db", "--plan", "pcp-2020-21", "--out",
                 f"extension{suffix}", "--quiet"], work, env)
        assert (work / f"extension{suffix}").stat().st_size > 10_000
    start = checked([tracker, "--smoke-start", "--db", "plan.db"], work, env)
    assert "painted its first frame" in start.stdout


def test_first_run_makes_the_database_in_the_data_folder(installed):
    result = checked([installed["tracker"], "summary"], installed["work"], installed["env"])
    assert "Police and Crime Plan Extension 2020/21" in result.stdout
    assert (installed["base"] / "data" / "CommitmentTracker" / "tracker.db").is_file()


def _one_sentence_refusal(installed, args: list[str]) -> str:
    result = run([installed["tracker"], *args], installed["work"], installed["env"])
    assert result.returncode == 1, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
    return lines[0]


def test_damaged_installation_is_one_sentence(installed):
    package = installed["purelib"] / "tracker"
    migration = package / "db" / "002_return_changes.sql"
    original = migration.read_bytes()
    migration.write_bytes(b"\xff\xfe not text")
    try:
        line = _one_sentence_refusal(installed, ["init", "--db", "damaged.db"])
        assert "002_return_changes.sql cannot be read (not UTF-8 text)" in line
        assert "reinstall Commitment Tracker" in line
    finally:
        migration.write_bytes(original)

    sample = package / "resources" / "sample"
    hidden = package / "resources" / "sample-hidden"
    sample.rename(hidden)
    try:
        line = _one_sentence_refusal(installed, ["init", "--db", "nosample.db"])
        assert "its folder tracker/resources/sample is missing" in line
    finally:
        hidden.rename(sample)

    schema = package / "db"
    schema.rename(package / "db-hidden")
    try:
        line = _one_sentence_refusal(installed, ["init", "--db", "noschema.db"])
        assert "its folder tracker/db is missing" in line
    finally:
        (package / "db-hidden").rename(schema)
    checked([installed["tracker"], "init", "--db", "repaired.db"], installed["work"], installed["env"])
