"""Headless editing: commitments, set-status, add-evidence, history, log, undo."""

from __future__ import annotations

import shutil

from test_exchange_support import answer, edit

from tracker.cli import main
from tracker.domain.status import Status
from tracker.exchange import layout
from tracker.store import commitments, evidence, plans
from tracker.store.database import open_store

C = layout.COMMITMENTS


def _run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _table(text):
    lines = text.rstrip("\n").split("\n")
    return lines[0], [line.split("\t") for line in lines[1:]]


def _refs(capsys, db, plan="pcp-2020-21"):
    code, out, err = _run(capsys, "commitments", "--plan", plan, "--db", str(db))
    assert code == 0, err
    return _table(out)


def test_commitments_lists_every_item_with_a_ref_stable_across_runs_and_copies(
        sample_db, tmp_path, capsys):
    header, rows = _refs(capsys, sample_db)
    assert header == "ref\tplan\tpriority\tcode\tstatus\tevidence\tupdated\ttext"
    assert all(len(r) == 8 for r in rows)
    with open_store(sample_db, mode="read") as store:
        total = store.execute(
            "SELECT count(*) FROM commitment c JOIN priority p ON p.id = c.priority_id "
            "JOIN plan pl ON pl.id = p.plan_id WHERE pl.key = 'pcp-2020-21'").fetchone()[0]
        first = commitments.with_uid_prefix(store, rows[0][0])[0]
        n_evidence = len(evidence.list_evidence(store, first.id))
    assert len(rows) == total == 93  # 61 lettered commitments and 32 sub-points
    assert rows[0][1:6] == ["pcp-2020-21", "1", "A", "Not assessed", str(n_evidence)]
    assert rows[0][7] == first.text
    assert [r[3] for r in rows[9:12]] == ["J", "J.1", "J.2"]  # sub-points under their parent
    copy = tmp_path / "copy.db"
    shutil.copyfile(sample_db, copy)
    assert _refs(capsys, copy)[1] == rows == _refs(capsys, sample_db)[1]


def test_set_status_takes_the_word_in_any_case_and_keeps_the_reason(sample_db, capsys):
    ref = _refs(capsys, sample_db)[1][0][0]
    code, out, _ = _run(capsys, "set-status", ref, "on TRACK", "--reason", "Recruits started",
                        "--db", str(sample_db))
    assert code == 0 and "to On track: Recruits started" in out
    with open_store(sample_db, mode="read") as store:
        c = commitments.with_uid_prefix(store, ref)[0]
        assert c.status is Status.ON_TRACK
        assert commitments.status_history(store, c.id)[0].reason == "Recruits started"
    assert _refs(capsys, sample_db)[1][0][4] == "On track"


def test_refusals_are_one_line(sample_db, capsys):
    ref = _refs(capsys, sample_db)[1][0][0]
    for argv, said in [
        (("set-status", ref, "nearly done", "--reason", "x"), "'nearly done' is not a status"),
        (("set-status", "zz", "complete", "--reason", "x"), "is not a commitment REF"),
        (("set-status", "ffff0000", "complete", "--reason", "x"), "No commitment has the REF"),
        (("set-status", ref, "not assessed", "--reason", "x"), "already Not assessed"),
        (("add-evidence", ref, "Text", "--date", "31/02/2021"), "is not a date"),
        (("add-evidence", ref, "Text", "--partner", "Nobody"), "No partner 'Nobody'"),
        (("add-evidence", ref, "Text", "--link", "javascript:alert(1)"), "link"),
        (("undo", "zzzz"), "is not an operation id"),
    ]:
        code, out, err = _run(capsys, *argv, "--db", str(sample_db))
        assert code == 1 and said in err and err.count("\n") == 1, (argv, err)
        assert out == ""


def test_add_evidence_with_either_date_form_and_its_options(sample_db, capsys):
    ref = _refs(capsys, sample_db)[1][1][0]
    for typed in ("2021-09-30", "30/09/2021"):
        code, _out, err = _run(capsys, "add-evidence", ref, f"Counters opened ({typed})", "--date",
                              typed, "--period", "2021/22 Q2", "--partner", "Essex Police",
                              "--figure", "1,250", "--link", "https://example.org/a",
                              "--db", str(sample_db))
        assert code == 0, err
    code, _, err = _run(capsys, "add-evidence", ref, "Not for partners", "--internal",
                        "--db", str(sample_db))
    assert code == 0, err
    with open_store(sample_db, mode="read") as store:
        items = evidence.list_evidence(store, commitments.with_uid_prefix(store, ref)[0].id)
    added = items[-3:]
    assert [e.evidence_date for e in added[:2]] == ["2021-09-30", "2021-09-30"]
    assert added[0].partner_name == "Essex Police" and added[0].figure == 1250
    assert added[0].period == "2021/22 Q2" and added[0].link == "https://example.org/a"
    assert [e.visibility.value for e in added] == ["shareable", "shareable", "internal"]


def test_log_history_and_undo_walk_back_newest_first(sample_db, capsys):
    db = str(sample_db)
    ref = _refs(capsys, sample_db)[1][0][0]
    _run(capsys, "set-status", ref, "at risk", "--reason", "Delays", "--db", db)
    _run(capsys, "add-evidence", ref, "A new plan agreed", "--db", db)
    code, out, _ = _run(capsys, "log", "--db", db)
    header, rows = _table(out)
    assert code == 0 and header == "id\twhen\twho\torigin\twhat"
    assert [r[4][:20] for r in rows] == ["Added evidence to co", "Set commitment A of "]
    assert all(r[2] == "Test Officer" and r[3] == "cli" for r in rows)
    assert rows[0][1] >= rows[1][1] and rows[0][1].endswith("Z")
    assert len(_table(_run(capsys, "log", "--limit", "1", "--db", db)[1])[1]) == 1
    code, out, _ = _run(capsys, "history", ref, "--db", db)
    assert code == 0 and [r[0] for r in _table(out)[1][:2]] == [r[0] for r in rows]
    code, out, _ = _run(capsys, "undo", "--db", db)
    assert code == 0 and out.startswith("Undid: Added evidence")
    code, out, _ = _run(capsys, "undo", "--db", db)
    assert code == 0 and out.startswith("Undid: Set commitment A")
    with open_store(sample_db, mode="read") as store:
        assert commitments.with_uid_prefix(store, ref)[0].status is Status.NOT_ASSESSED
    code, _, err = _run(capsys, "undo", rows[1][0], "--db", db)
    assert code == 1 and "already been undone" in err
    code, out, _ = _run(capsys, "redo", "--db", db)
    assert code == 0 and out.startswith("Redid: Set commitment A")


def test_undo_refuses_when_a_return_changed_the_item_since(sample_db, tmp_path, capsys):
    db = str(sample_db)
    code, _, err = _run(capsys, "export-returns", "--round", "2020/21 Q4", "--partner",
                        "Essex Police", "--out", str(tmp_path), "--db", db)
    assert code == 0, err
    sent = tmp_path / "Essex-Police_2020-21-Q4.xlsx"
    with open_store(sample_db, mode="read") as store:
        uid = next(r[2] for r in _hidden_refs(sent) if r[0] == "C001")
        ref = commitments.find_commitment_by_uid(store, uid).uid.replace("-", "")[:8]
    code, out, _ = _run(capsys, "set-status", ref, "on track", "--reason", "Going well",
                        "--db", db)
    op_id = out.rsplit("operation ", 1)[1].rstrip(").\n")
    filled = edit(sent, tmp_path / "back.xlsx", {answer(C, "new_status", 2): "Off track"})
    code, out, err = _run(capsys, "import-return", str(filled), "--apply", "--accept-conflicts",
                          "--db", db)
    assert code == 0, err
    assert "Imported Essex Police's 2020/21 Q4 return:" in out and "(return " in out
    code, out, err = _run(capsys, "undo", op_id, "--db", db)
    assert code == 1 and out == ""
    assert "by Essex Police's 2020/21 Q4 return" in err
    assert "the status of commitment" in err and "Nothing was changed" in err
    with open_store(sample_db, mode="read") as store:
        assert commitments.find_commitment_by_uid(store, uid).status is Status.OFF_TRACK


def _hidden_refs(path):
    from openpyxl import load_workbook

    return list(load_workbook(path)[layout.HIDDEN].iter_rows(values_only=True))


def test_a_plan_is_named_without_ambiguity_when_two_share_a_period(sample_db, tmp_path, capsys):
    """A plan brought in from the office's own outline has no key; it shares its period with
    the sample's 2021-2024 plan. Neither is ever taken for the other."""
    outline = tmp_path / "outline.txt"
    outline.write_text("1. Keeping people safe\nA. We will open two front counters\n",
                       encoding="utf-8")
    code, out, err = _run(capsys, "import-plan-outline", str(outline), "--plan-title",
                          "Southshire plan", "--period", "2021-2024", "--db", str(sample_db))
    assert code == 0, err
    with open_store(sample_db, mode="read") as store:
        [new] = [p for p in plans.list_plans(store) if p.title == "Southshire plan"]
    ref = new.uid.replace("-", "")[:8]
    assert f"tracker commitments --plan {ref}" in out

    code, out, err = _run(capsys, "commitments", "--plan", "2021-2024", "--db", str(sample_db))
    assert code != 0 and out == ""
    assert err.count("\n") == 1 and "2021-2024" in err
    assert ref in err and "pcp-2021-2024" in err

    _header, rows = _refs(capsys, sample_db, plan=ref)
    assert [r[1] for r in rows] == [ref] and rows[0][7] == "We will open two front counters"
    code, out, err = _run(capsys, "summary", "--plan", "pcp-2021-2024", "--db", str(sample_db))
    assert code == 0 and out.startswith("Police and Crime Plan 2021-2024 (2021-2024")
    assert _refs(capsys, sample_db, plan="southshire PLAN")[1] == rows
