"""The `tracker` command: summary, init, --db anywhere, errors as one line."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tracker.cli import main

ROOT = Path(__file__).resolve().parents[1]


def test_summary_prints_the_extension_with_counts_and_latest_values(sample_db, capsys):
    assert main(["summary", "--db", str(sample_db)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Police and Crime Plan Extension 2020/21")
    assert out.count("\nPriority ") == 7
    assert "Priority 3: Breaking the Cycle of Domestic Abuse" in out
    assert "3 carried forward" in out and "1 discontinued" in out
    flat = " ".join(out.split())
    assert ("Number of anti-social behaviour incidents: 30,674 in 2021/22 (from 52,732 in "
            "2015/16 to 30,674 in 2021/22, a reduction of 42 per cent)") in flat
    assert "Number of homicides: no value stated" in flat


def test_db_is_accepted_before_or_after_the_command(sample_db, capsys):
    assert main(["--db", str(sample_db), "summary", "--plan", "pcp-2016-2020"]) == 0
    before = capsys.readouterr().out
    assert main(["summary", "--plan", "pcp-2016-2020", "--db", str(sample_db)]) == 0
    assert capsys.readouterr().out == before
    assert before.startswith("Police and Crime Plan 2016-2020")


def test_init_makes_a_database_from_the_sample_and_refuses_to_overwrite(tmp_path, capsys):
    path = tmp_path / "fresh.db"
    assert main(["init", "--db", str(path)]) == 0
    assert "Created" in capsys.readouterr().out
    assert main(["summary", "--db", str(path), "--all"]) == 0
    assert capsys.readouterr().out.count("Police and Crime Plan") >= 3
    assert main(["init", "--db", str(path)]) == 1
    assert "already exists" in capsys.readouterr().err


def test_init_empty_has_no_plans(tmp_path, capsys):
    path = tmp_path / "empty.db"
    assert main(["init", "--empty", "--db", str(path)]) == 0
    assert main(["summary", "--db", str(path)]) == 1
    assert "no plans" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda tmp: tmp / "missing-folder" / "x.db", "does not exist"),
        (lambda tmp: (tmp / "words.db").write_text("hello" * 100) and tmp / "words.db",
         "not an SQLite file"),
        (lambda tmp: tmp / "absent.db", "There is no database"),
    ],
)
def test_bad_database_paths_give_one_clear_line(tmp_path, capsys, make, message):
    path = make(tmp_path)
    assert main(["summary", "--db", str(path)]) == 1
    err = capsys.readouterr().err
    assert message in err
    assert "Traceback" not in err and err.count("\n") == 1


def test_unknown_plan_lists_the_plans(sample_db, capsys):
    assert main(["summary", "--db", str(sample_db), "--plan", "2030"]) == 1
    assert "pcp-2020-21" in capsys.readouterr().err


def test_entry_point_runs_as_a_process_and_reports_its_version():
    result = subprocess.run([sys.executable, str(ROOT / "main.py"), "--version"],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0
    assert result.stdout.startswith("Commitment Tracker ")


def test_summary_as_a_process_without_a_traceback_on_error(tmp_path):
    result = subprocess.run([sys.executable, str(ROOT / "main.py"), "summary", "--db",
                             str(tmp_path / "nope" / "x.db")], capture_output=True, text=True,
                            check=False)
    assert result.returncode == 1
    assert result.stderr.startswith("tracker: ") and "Traceback" not in result.stderr


def test_output_cut_short_by_the_reader_is_not_an_error_message(sample_db):
    """`tracker log | head -1`: the reader has gone, so there is no one to tell; the command
    stops quietly with the shell's status for a closed pipe, never 'Broken pipe'."""
    import os

    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader has already gone: every write fails
    try:
        result = subprocess.run([sys.executable, str(ROOT / "main.py"), "commitments", "--db",
                                 str(sample_db)], stdout=write_end, stderr=subprocess.PIPE,
                                text=True, check=False, timeout=120)
    finally:
        os.close(write_end)
    assert result.stderr == ""
    assert result.returncode == 141


def test_a_reading_command_upgrades_a_database_from_an_older_version_first(tmp_path, capsys):
    import sqlite3

    from tracker.store import migrations
    from tracker.store.backup import list_backups

    path = tmp_path / "last-year.db"  # made by the version before this one's last migration
    conn = sqlite3.connect(path, isolation_level=None)
    for migration in migrations.available()[:-1]:
        migrations.apply(conn, migration)
    conn.close()
    assert main(["--db", str(path), "log"]) == 0
    assert capsys.readouterr().out == "id\twhen\twho\torigin\twhat\n"
    conn = sqlite3.connect(path)
    assert migrations.current_version(conn) == migrations.latest_version()
    conn.close()
    assert len(list_backups(path)) == 1  # taken before the upgrade, as the window takes one
