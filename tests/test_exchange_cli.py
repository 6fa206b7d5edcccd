"""The headless commands for partner returns and the whole-plan workbook."""

from __future__ import annotations

from test_exchange_support import answer, database_file_content, edit

from tracker.cli import main
from tracker.exchange import layout

C, IND = layout.COMMITMENTS, layout.INDICATORS


def _run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _export(capsys, db, out, partner="Essex Police"):
    code, text, _ = _run(capsys, "--db", str(db), "export-returns", "--round", "2020/21 q4",
                         "--partner", partner, "--out", str(out), "--due", "30/04/2021")
    assert code == 0, text
    return out / "Essex-Police_2020-21-Q4.xlsx"


def test_export_import_preview_apply_status_revert(sample_db, tmp_path, capsys):
    sent = _export(capsys, sample_db, tmp_path / "out")
    assert sent.exists()
    code, text, _ = _run(capsys, "returns-status", "--round", "2020/21 Q4", "--db", str(sample_db))
    assert code == 0
    assert "Essex Police" in text and "Overdue (due 30 Apr 2021)" in text

    filled = edit(sent, tmp_path / "back.xlsx", {answer(C, "new_status", 2): "on track",
                                                 answer(C, "evidence", 3): "Delivered",
                                                 answer(IND, "new_value", 4): "150,000"})
    before = database_file_content(sample_db)
    code, text, _ = _run(capsys, "--db", str(sample_db), "import-return", str(filled))
    assert code == 0
    assert "1 status change, 1 new evidence, 1 indicator value, 0 conflicts, 0 problems" in text
    assert "Not assessed -> On track" in text
    assert database_file_content(sample_db) == before  # the preview wrote nothing

    code, text, _ = _run(capsys, "--db", str(sample_db), "import-return", str(filled), "--apply")
    assert code == 0 and "Imported Essex Police's 2020/21 Q4 return:" in text
    return_id = int(text.split("(return ")[1].split(",")[0])  # the handle revert-return takes
    code, text, _ = _run(capsys, "--db", str(sample_db), "returns-status", "--round", "2020/21 Q4")
    assert f"(return {return_id})" in text

    after = database_file_content(sample_db)
    code, text, _ = _run(capsys, "--db", str(sample_db), "import-return", str(filled), "--apply")
    assert code == 0 and "importing it again changes nothing" in text
    assert database_file_content(sample_db) == after

    code, text, _ = _run(capsys, "--db", str(sample_db), "revert-return", str(return_id))
    assert code == 0
    assert "1 evidence removed, 1 status and 1 value put back" in text
    code, _, err = _run(capsys, "--db", str(sample_db), "revert-return", str(return_id))
    assert code == 1 and "already reverted" in err


def test_apply_with_problems_writes_nothing_unless_valid_rows_are_accepted(sample_db, tmp_path,
                                                                           capsys):
    sent = _export(capsys, sample_db, tmp_path / "out")
    filled = edit(sent, tmp_path / "back.xlsx", {answer(C, "new_status", 2): "sort of",
                                                 answer(C, "evidence", 3): "Delivered"})
    before = database_file_content(sample_db)
    code, text, _ = _run(capsys, "--db", str(sample_db), "import-return", str(filled))
    assert code == 2 and "Commitments!G2 [C001]: 'sort of' is not a status" in text
    code, text, _ = _run(capsys, "--db", str(sample_db), "import-return", str(filled), "--apply",
                         "--marked-copy", str(tmp_path / "marked.xlsx"))
    assert code == 2 and "Nothing was written: 1 problem." in text
    assert (tmp_path / "marked.xlsx").exists()
    assert database_file_content(sample_db) == before
    code, text, _ = _run(capsys, "--db", str(sample_db), "import-return", str(filled),
                         "--accept-valid")
    assert code == 0 and "1 new evidence, 0 status changes" in text and "1 not applied" in text


def test_refused_file_is_one_line(sample_db, tmp_path, capsys):
    bad = tmp_path / "x.xlsx"
    bad.write_text("hello")
    code, _, err = _run(capsys, "--db", str(sample_db), "import-return", str(bad), "--apply")
    assert code == 1 and err.strip() == (
        "tracker: x.xlsx is not an Excel workbook (.xlsx) but a text file; if it is a CSV export, "
        "open it in Excel or LibreOffice Calc and save it as an Excel Workbook (.xlsx).")


def test_plan_round_trip_commands(sample_db, tmp_path, capsys):
    plan = tmp_path / "plan.xlsx"
    code, text, _ = _run(capsys, "--db", str(sample_db), "export-plan", "--out", str(plan))
    assert code == 0 and "149 commitment" in text
    new_db = tmp_path / "copy.db"
    code, text, _ = _run(capsys, "--db", str(new_db), "import-plan", str(plan))
    assert code == 0 and "319 evidence" in text
    code, _, err = _run(capsys, "--db", str(new_db), "import-plan", str(plan))
    assert code == 1 and "only into an empty database" in err
