"""The schema and the sample are read from inside the installed package, and a broken
installation is refused in one sentence (the wheel test damages a real installation)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tracker.cli import main
from tracker.store import migrations, packaged
from tracker.store.sample import read_sample, sample_folder

ROOT = Path(__file__).resolve().parents[1]


def test_the_installed_schema_and_sample_are_the_repository_folders():
    in_repository = sorted(p.name for p in (ROOT / "db").glob("*.sql"))
    assert [m.path.name for m in migrations.available()] == in_repository
    assert sorted(p.name for p in sample_folder().iterdir() if p.name.endswith(".toml")) == \
        sorted(p.name for p in (ROOT / "resources" / "sample").glob("*.toml"))


def test_a_missing_package_folder_is_one_sentence():
    with pytest.raises(packaged.PackagedDataError, match=r"its folder tracker/nothing/here is missing; "
                                                         r"reinstall Commitment Tracker\.$"):
        packaged.folder("tracker.nothing", "here")


def test_a_gap_in_the_migrations_is_refused(tmp_path):
    for name in ("001_a.sql", "003_c.sql"):
        (tmp_path / name).write_text("SELECT 1;\n", encoding="utf-8")
    with pytest.raises(packaged.PackagedDataError, match=r"numbered \[1, 3\]"):
        migrations.available(tmp_path)


def test_an_unreadable_sample_file_is_named(tmp_path):
    (tmp_path / "plan.toml").write_bytes(b"title = '\xff'\n")
    with pytest.raises(packaged.PackagedDataError, match=r"plan\.toml cannot be read \(not UTF-8 text\)"):
        read_sample(tmp_path)
    (tmp_path / "plan.toml").write_text("title = = broken\n", encoding="utf-8")
    with pytest.raises(packaged.PackagedDataError, match=r"sample file plan\.toml is damaged"):
        read_sample(tmp_path)


def test_init_without_its_schema_says_so_in_one_line(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(packaged, "SCHEMA_PACKAGE", "tracker.no_schema")
    assert main(["init", "--db", str(tmp_path / "new.db")]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert err.startswith("tracker: The installation of Commitment Tracker is incomplete: its folder "
                          "tracker/no_schema is missing")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="XDG_DATA_HOME is Linux's")
def test_a_data_folder_that_cannot_be_made_is_one_sentence(tmp_path, monkeypatch, capsys):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the data folder should go", encoding="utf-8")
    monkeypatch.setenv("XDG_DATA_HOME", str(blocker / "share"))
    assert main(["summary"]) == 1  # the first run, with no --db
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert err.startswith(f"tracker: Cannot make the data folder {blocker / 'share' / 'CommitmentTracker'} (")
    assert err.rstrip().endswith("make it writable, or choose a database with --db PATH.")
