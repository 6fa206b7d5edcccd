"""Rounds as things: made when a round's workbooks are sent, with e-mail drafts to open in a
mail program, replies, reminders for the rest, a due date that can change, closing."""

from __future__ import annotations

import sqlite3
from datetime import date, timedelta
from email import message_from_bytes
from email.policy import default

import pytest
from test_exchange_support import answer, edit

from tracker.cli import main
from tracker.exchange import layout
from tracker.store import migrations, partners, rounds
from tracker.store.clock import row_id
from tracker.store.database import open_store

ROUND = "2021/22 Q2"
CONTACTS = {
    "Essex Police": [("Sam Taylor", "sam.taylor@essex.police.uk", "Performance lead"),
                     ("Jo Bloggs", "jo.bloggs@essex.police.uk", None)],
    "Community Safety Partnerships": [("Alex Moore", "alex.moore@example.org", "CSP manager")],
}


def _tracker(db, *args) -> int:
    return main([*args, "--db", str(db)])


def _parse(path):
    return message_from_bytes(path.read_bytes(), policy=default)


def test_a_round_is_sent_answered_in_part_and_the_rest_reminded(sample_db, tmp_path, capsys):
    for partner, people in CONTACTS.items():
        for name, email, role in people:
            extra = ["--role", role] if role else []
            assert _tracker(sample_db, "add-contact", partner, name, email, *extra) == 0
    due = date.today() + timedelta(days=14)
    out = tmp_path / "round"
    assert _tracker(sample_db, "send-round", ROUND, "--out", str(out),
                    "--due", due.strftime("%d/%m/%Y")) == 0
    printed = capsys.readouterr().out
    assert "Round 2021/22 Q2: 21 workbooks and 21 e-mail drafts" in printed
    assert "19 drafts without an addressee" in printed

    # Every draft is an e-mail with its partner's workbook attached, to its contacts.
    drafts = sorted(out.glob("*.eml"))
    assert len(drafts) == 21 and len(list(out.glob("*.xlsx"))) == 21
    for path in drafts:
        message = _parse(path)
        [attachment] = list(message.iter_attachments())
        workbook = out / attachment.get_filename()
        assert workbook.stem == path.stem and attachment.get_content() == workbook.read_bytes()
        assert message["X-Unsent"] == "1"
    police = _parse(out / "Essex-Police_2021-22-Q2.eml")
    assert [a.addr_spec for a in police["To"].addresses] == [
        "sam.taylor@essex.police.uk", "jo.bloggs@essex.police.uk"]
    assert police["Subject"] == (f"Essex Police: partner return for {ROUND}, due back by "
                                 f"{due.day} {due:%B %Y}")

    # Two partners reply; then the round falls due.
    for partner, stem in (("Essex Police", "Essex-Police"),
                          ("Community Safety Partnerships", "Community-Safety-Partnerships")):
        back = edit(out / f"{stem}_2021-22-Q2.xlsx", tmp_path / f"{stem}-back.xlsx",
                    {answer(layout.COMMITMENTS, "evidence", 2): f"Delivered, says {partner}"})
        assert _tracker(sample_db, "import-return", str(back), "--apply") == 0
    capsys.readouterr()
    past = date.today() - timedelta(days=3)
    assert _tracker(sample_db, "round-due", ROUND, past.strftime("%d/%m/%Y")) == 0
    assert capsys.readouterr().out == (f"Round {ROUND} is now due back by {past.day} "
                                       f"{past:%B %Y}.\n")

    # Remind drafts mail for the other nineteen, each with the workbook it was sent.
    reminders = tmp_path / "reminders"
    assert _tracker(sample_db, "remind", "latest", "--out", str(reminders)) == 0
    assert "19 reminders for round 2021/22 Q2" in capsys.readouterr().out
    names = sorted(p.name for p in reminders.glob("*.eml"))
    assert len(names) == 19 and "Essex-Police_2021-22-Q2_reminder.eml" not in names
    csh = _parse(reminders / "Community-Safety-Hubs_2021-22-Q2_reminder.eml")
    assert csh["Subject"].startswith("Reminder: Community Safety Hubs's return for 2021/22 Q2")
    [again] = list(csh.iter_attachments())
    assert again.get_content() == (out / "Community-Safety-Hubs_2021-22-Q2.xlsx").read_bytes()

    # The round's status shows it.
    assert _tracker(sample_db, "rounds") == 0
    assert capsys.readouterr().out.startswith(
        f"{ROUND}  due {past.day} {past:%b %Y}  21 sent: 2 back, 19 awaited (19 overdue, "
        "19 reminded); overdue  (latest open)")
    assert _tracker(sample_db, "rounds", ROUND) == 0
    lines = {line.split("  ")[1]: " ".join(line.split("  ")[2:]).strip()
             for line in capsys.readouterr().out.splitlines() if line.startswith("  ")}
    assert lines["Essex Police"].startswith("Back ")
    assert lines["Community Safety Hubs"] == (f"Overdue (due {past.day} {past:%b %Y}); reminder "
                                              f"drafted {date.today().day} {date.today():%b %Y}")


def test_a_moved_workbook_is_written_anew_for_the_reminder(store, tmp_path):
    from tracker import ops

    sent = ops.send_round(store, ROUND, tmp_path / "sent", partner="Essex Police",
                          due_date=date.today() - timedelta(days=1)).value
    sent.workbooks[0].path.rename(tmp_path / "moved.xlsx")
    result = ops.remind(store, ROUND, tmp_path / "reminders").value
    assert result.sent_again == ["Essex Police"]
    [draft] = result.drafts
    [attachment] = list(_parse(draft.path).iter_attachments())
    fresh = tmp_path / "reminders" / attachment.get_filename()
    assert attachment.get_content() == fresh.read_bytes()
    police = partners.find_partner(store, "Essex Police")
    assert store.execute("SELECT count(*) FROM partner_return WHERE partner_id = ? AND round = ?",
                         (police.id, ROUND)).fetchone()[0] == 2


def test_a_round_defaults_to_the_latest_open_one_and_a_closed_round_refuses_sending(store, tmp_path):
    from tracker import ops
    from tracker.store.errors import ValidationError

    assert rounds.default_round_label(store, date(2021, 8, 10)) == "2021/22 Q1"  # no rounds yet
    ops.send_round(store, "2021/22 Q1", tmp_path / "q1", partner="Essex Police")
    ops.send_round(store, "2021/22 Q2", tmp_path / "q2", partner="Essex Police")
    assert [r.label for r in rounds.list_rounds(store)] == ["2021/22 Q2", "2021/22 Q1"]
    assert rounds.default_round_label(store) == "2021/22 Q2"
    ops.close_round(store, "2021/22 Q2")
    assert rounds.default_round_label(store) == "2021/22 Q1"
    with pytest.raises(ValidationError, match="Round 2021/22 Q2 is closed; reopen it"):
        ops.send_round(store, "2021/22 Q2", tmp_path / "again", partner="Essex Police")
    with pytest.raises(ValidationError, match="is closed; reopen it"):
        ops.remind(store, "2021/22 Q2", tmp_path / "again")
    ops.reopen_round(store, "2021/22 Q2")
    assert rounds.default_round_label(store) == "2021/22 Q2"
    assert [e.kind for e in ops.log_entries(store, limit=2)] == ["reopen_round", "close_round"]


def test_a_second_export_into_a_round_takes_its_due_date(store, tmp_path):
    from tracker import ops

    due = date.today() + timedelta(days=10)
    ops.send_round(store, ROUND, tmp_path, partner="Essex Police", due_date=due)
    later = ops.send_returns(store, ROUND, tmp_path / "b", partner="Victim Support").value[0]
    assert later.record.due_date == due.isoformat()
    assert rounds.get_round(store, ROUND).due_date == due.isoformat()


def test_the_migration_makes_a_round_of_each_round_returns_name(tmp_path):
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path, isolation_level=None)
    version = next(m.version for m in migrations.available() if m.name == "rounds")
    for migration in migrations.available()[:version - 1]:  # the schema before rounds
        migrations.apply(conn, migration)
    conn.execute("INSERT INTO partner (id, uid, name, created_at, updated_at) VALUES "
                 "(1, 'p', 'Essex Police', 'x', 'x')")
    for n, (label, due) in enumerate((("2021/22 Q2", "2021-07-31"), ("2021/22 Q2", "2021-08-15"),
                                      ("Sep 2021", None)), start=1):
        conn.execute("INSERT INTO partner_return (id, uid, partner_id, round, exported_at, "
                     "exported_by, due_date, created_at, updated_at) VALUES (?, ?, 1, ?, ?, "
                     "'Sam', ?, ?, ?)", (n, f"r{n}", label, f"2021-07-0{n}", due,
                                         f"2021-07-0{n}", f"2021-07-0{n}"))
    conn.close()
    store = open_store(path)
    try:
        found = {r.label: r for r in rounds.list_rounds(store)}
        assert set(found) == {"2021/22 Q2", "Sep 2021"}
        q2 = found["2021/22 Q2"]
        assert (q2.due_date, q2.created_by, q2.uid) == ("2021-08-15", "Sam", rounds.round_uid("2021/22 Q2"))
        assert q2.id == row_id(q2.uid)  # the same id Python gives the same round
        assert store.execute("SELECT round_id FROM partner_return WHERE id = 1").fetchone()[0] == q2.id
    finally:
        store.close()
