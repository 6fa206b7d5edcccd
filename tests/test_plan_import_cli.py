"""`tracker import-plan-sheet` and `import-plan-outline`: the preview first, then one transaction."""

from __future__ import annotations

from plan_sheet_fixtures import delivery_plan

from tracker import ops
from tracker.cli import main
from tracker.store import plans
from tracker.store.database import open_store

MAP = "text=A,due=B,partners=C,lead=D,notes=E,status=F"


def _plan_titles(db) -> list[str]:
    store = open_store(db, mode="read")
    try:
        return [p.title for p in plans.list_plans(store)]
    finally:
        store.close()


def test_preview_writes_nothing_then_the_plan_is_created(sample_db, tmp_path, capsys):
    path = tmp_path / "Delivery plan.xlsx"
    delivery_plan(path)
    before = _plan_titles(sample_db)
    args = ["import-plan-sheet", str(path), "--plan-title", "Delivery Plan", "--period", "2020/21",
            "--map", MAP, "--statuses", "Green=On track,Amber=At risk,Red=Off track,Blue=Complete",
            "--db", str(sample_db)]
    assert main([*args, "--preview"]) == 0
    out = capsys.readouterr().out
    assert "Delivery plan.xlsx, sheet 'Delivery Plan', headings in row 4" in out
    assert "2 priorities, 5 commitments, 0 sub-points, 0 problems, 2 warnings" in out
    assert "1. More Local, Visible and Accessible Policing  [Delivery Plan!A5]" in out
    assert "On track (from green fill); lead Chief Inspector, Local Policing; due 30/09/2019" in out
    assert out.rstrip().endswith("Preview only: nothing was created.")
    assert _plan_titles(sample_db) == before
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "Created the plan 'Delivery Plan'" in out
    assert "2 priorities, 5 commitments and 0 sub-points. Its commitments: tracker commitments --plan " in out
    assert sorted(_plan_titles(sample_db)) == sorted([*before, "Delivery Plan"])
    store = open_store(sample_db, mode="read")
    try:
        latest = ops.log_entries(store, limit=1)[0]
    finally:
        store.close()
    assert (latest.kind, latest.summary) == (
        "import_plan", "Started Delivery Plan from Delivery plan.xlsx: 2 priorities, "
                       "5 commitments and 0 sub-points")


def test_without_a_map_the_headings_and_a_suggestion_are_printed(sample_db, tmp_path, capsys):
    path = tmp_path / "plan.xlsx"
    delivery_plan(path)
    assert main(["import-plan-sheet", str(path), "--plan-title", "P", "--period", "2020/21",
                 "--db", str(sample_db)]) == 2
    out = capsys.readouterr().out
    assert "  F  R/A/G" in out
    assert 'Suggested: --map "text=A,lead=D,partners=C,due=B,status=F,notes=E"' in out


def test_problems_stop_the_plan_and_are_named_by_cell(sample_db, tmp_path, capsys):
    path = tmp_path / "plan.xlsx"
    delivery_plan(path)
    before = _plan_titles(sample_db)
    assert main(["import-plan-sheet", str(path), "--plan-title", "P", "--period", "2020/21",
                 "--map", "due=B,status=F", "--db", str(sample_db)]) == 2
    out = capsys.readouterr().out
    assert "Delivery Plan!4:4: the commitment text is not mapped" in out
    assert out.rstrip().endswith("Nothing was created: 1 problem to fix first.")
    assert _plan_titles(sample_db) == before


def test_bad_arguments_are_one_line(sample_db, tmp_path, capsys):
    path = tmp_path / "plan.xlsx"
    delivery_plan(path)
    assert main(["import-plan-sheet", str(path), "--plan-title", "P", "--period", "next year",
                 "--map", MAP, "--db", str(sample_db)]) == 1
    assert capsys.readouterr().err.startswith("tracker: The plan's period: 'next year' is not a period")
    assert main(["import-plan-sheet", str(path), "--plan-title", "P", "--period", "2020/21",
                 "--map", "txt=A", "--db", str(sample_db)]) == 1
    assert "'txt' is not something a column can hold" in capsys.readouterr().err


def test_an_outline_file_becomes_a_plan(sample_db, tmp_path, capsys):
    path = tmp_path / "outline.txt"
    path.write_text("Priority 1 - Local policing\nA. Patrol hotspots\nB. Shared spaces\n",
                    encoding="utf-8")
    args = ["import-plan-outline", str(path), "--plan-title", "Outline", "--period", "2021-2024",
            "--db", str(sample_db)]
    assert main([*args, "--preview"]) == 0
    assert "1 priority, 2 commitments" in capsys.readouterr().out
    assert main(args) == 0
    assert "Outline" in _plan_titles(sample_db)
