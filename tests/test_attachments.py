"""Files attached to evidence: kept inside the database whole, with their size and SHA-256,
under the limit, internal by default, each change one operation undone as one step, and a
killed process leaves no half attachment."""

from __future__ import annotations

import hashlib
import subprocess
import sys
import textwrap
import zipfile

import pytest

from tracker import ops
from tracker.domain.attachments import MAX_BYTES, clean_file_name, size_words
from tracker.domain.model import Visibility
from tracker.store import attachments, evidence, plans
from tracker.store.database import open_store
from tracker.store.errors import ValidationError

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def open_evidence(store, plan="2020/21"):
    plan_id = plans.find_plan(store, plan).id
    for priority in plans.list_priorities(store, plan_id):
        for c in store.execute("SELECT id FROM commitment WHERE priority_id = ? ORDER BY "
                               "position", (priority.id,)).fetchall():
            found = evidence.list_evidence(store, c[0])
            if found:
                return found[0]
    raise AssertionError("the sample has evidence")


def test_a_file_is_kept_whole_with_its_size_and_sha256_and_is_internal_by_default(store, tmp_path):
    item = open_evidence(store)
    path = tmp_path / "Scrutiny report.pdf"
    path.write_bytes(PDF)
    done = ops.attach_file(store, item.id, path)
    [kept] = attachments.list_attachments(store, item.id)
    assert kept.id == done.value
    assert (kept.file_name, kept.size, kept.media_type, kept.visibility) == (
        "Scrutiny report.pdf", len(PDF), "application/pdf", Visibility.INTERNAL)
    assert kept.sha256 == hashlib.sha256(PDF).hexdigest()
    assert attachments.content_of(store, kept.id) == PDF
    assert done.summary.startswith(f"Attached Scrutiny report.pdf ({size_words(len(PDF))}) to "
                                   "the evidence")
    # The log records the attachment row, never the bytes.
    assert {c.table for c in done.changes} >= {"attachment", "evidence", "commitment"}
    assert "attachment_content" not in {c.table for c in done.changes}


def test_a_file_over_the_limit_is_refused_before_anything_is_read_or_written(store, tmp_path):
    item = open_evidence(store)
    path = tmp_path / "video.mp4"
    with path.open("wb") as handle:  # sparse: 10 MB and one byte, written in no time
        handle.truncate(MAX_BYTES + 1)
    with pytest.raises(ValidationError, match=r"video.mp4 is 10 MB; a file attached to evidence "
                                              r"may be at most 10 MB") as caught:
        ops.attach_file(store, item.id, path)
    assert caught.value.field == "file"
    assert store.execute("SELECT count(*) FROM attachment").fetchone()[0] == 0
    assert store.execute("SELECT count(*) FROM attachment_content").fetchone()[0] == 0
    exactly = tmp_path / "limit.bin"
    with exactly.open("wb") as handle:
        handle.truncate(MAX_BYTES)
    assert ops.attach_file(store, item.id, exactly).value


def test_attach_remove_share_each_undo_as_one_step(store):
    item = open_evidence(store)
    added = ops.attach_bytes(store, item.id, "minutes.pdf", PDF)
    shared = ops.set_attachment_visibility(store, added.value, Visibility.SHAREABLE)
    assert "shareable with partners" in shared.summary
    removed = ops.remove_attachment(store, added.value)
    assert attachments.list_attachments(store, item.id) == []
    ops.undo(store, removed.op_id)
    [back] = attachments.list_attachments(store, item.id)
    assert (back.id, back.visibility) == (added.value, Visibility.SHAREABLE)
    assert attachments.content_of(store, back.id) == PDF
    ops.undo(store, shared.op_id)
    ops.undo(store, added.op_id)
    assert attachments.list_attachments(store, item.id) == []
    ops.redo(store, added.op_id)
    assert attachments.content_of(store, added.value) == PDF


def test_deleting_evidence_takes_its_files_and_undo_brings_them_back(store):
    item = open_evidence(store)
    added = ops.attach_bytes(store, item.id, "minutes.pdf", PDF)
    deleted = ops.delete_evidence(store, item.id)
    assert store.execute("SELECT count(*) FROM attachment").fetchone()[0] == 0
    ops.undo(store, deleted.op_id)
    assert attachments.content_of(store, added.value) == PDF


def test_a_closed_plan_takes_no_files(store):
    item = open_evidence(store, "2016-2020")
    with pytest.raises(ValidationError, match="is closed"):
        ops.attach_bytes(store, item.id, "late.pdf", PDF)


def test_file_names_are_kept_as_a_name_not_a_path():
    assert clean_file_name("C:\\Users\\officer\\Report: Q3?.pdf") == "Report_ Q3_.pdf"
    assert clean_file_name("../../etc/passwd") == "passwd"
    with pytest.raises(ValueError, match="needs a name"):
        clean_file_name("...")
    long = clean_file_name("x" * 300 + ".pdf")
    assert len(long) == 200 and long.endswith(".pdf")


def test_a_process_killed_while_attaching_leaves_no_half_attachment(sample_db, tmp_path):
    """The child writes the bytes, then dies inside the transaction before the row is done."""
    with open_store(sample_db, officer="Test") as store:
        item = open_evidence(store)
    big = tmp_path / "big.bin"
    big.write_bytes(b"x" * (5 * 1024 * 1024))
    script = textwrap.dedent(f"""
        import os
        from tracker import ops
        from tracker.store import attachments, evidence
        from tracker.store.database import open_store

        def die(*_args, **_kwargs):
            os._exit(9)  # killed: no rollback, no close

        evidence.touch_evidence = die
        attachments.touch_evidence = die
        store = open_store({str(sample_db)!r}, officer="Test")
        ops.attach_file(store, {item.id}, {str(big)!r})
    """)
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert run.returncode == 9, run.stderr
    with open_store(sample_db, officer="Test") as store:
        assert store.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert store.execute("SELECT count(*) FROM attachment").fetchone()[0] == 0
        assert store.execute("SELECT count(*) FROM attachment_content").fetchone()[0] == 0
        assert store.execute("SELECT count(*) FROM activity").fetchone()[0] == 0


def _partner_with_shared_evidence(store):
    row = store.execute(
        "SELECT cp.partner_id, e.id FROM commitment_partner cp "
        "JOIN commitment c ON c.id = cp.commitment_id JOIN priority p ON p.id = c.priority_id "
        "JOIN plan pl ON pl.id = p.plan_id JOIN evidence e ON e.commitment_id = c.id "
        "WHERE pl.state != 'closed' AND e.visibility = 'shareable' "
        "ORDER BY coalesce(e.evidence_date, e.created_at) DESC, e.id DESC LIMIT 1").fetchone()
    assert row, "the sample has shareable evidence of a partner's commitment"
    return row[0], row[1]


def test_a_partner_workbook_names_only_shareable_files_and_carries_none(store, tmp_path):
    from openpyxl import load_workbook

    from tracker.exchange.return_export import export_partner

    partner_id, evidence_id = _partner_with_shared_evidence(store)
    secret = ops.attach_bytes(store, evidence_id, "Victim statement.pdf", PDF).value
    shared = ops.attach_bytes(store, evidence_id, "Published minutes.pdf", PDF + b"%x\n").value
    ops.set_attachment_visibility(store, shared, Visibility.SHAREABLE)
    assert attachments.get_attachment(store, secret).visibility is Visibility.INTERNAL
    path = export_partner(store, partner_id, "2021/22 Q1", tmp_path).path
    cells = [str(c) for ws in load_workbook(path).worksheets
             for row in ws.iter_rows(values_only=True) for c in row if c is not None]
    assert any("[Files: Published minutes.pdf]" in c for c in cells)
    assert not any("Victim statement" in c for c in cells)
    with zipfile.ZipFile(path) as book:  # named, never carried: no part of the .xlsx holds it
        assert not any(b"%PDF-1.4" in book.read(n) for n in book.namelist())


def test_the_whole_plan_workbook_says_plainly_it_does_not_carry_files(store, tmp_path):
    from openpyxl import load_workbook

    from tracker.exchange.plan_workbook import export_plan_workbook

    item = open_evidence(store)
    ops.attach_bytes(store, item.id, "Scrutiny report.pdf", PDF)
    out = tmp_path / "plan.xlsx"
    export_plan_workbook(store, out)
    about = {r[0]: r[1] for r in load_workbook(out)["About"].iter_rows(values_only=True)}
    assert about["attached_files"] == (
        "Files attached to evidence are not in this workbook: 1 file is kept in the database "
        "only (save a copy of the database to carry them).")
