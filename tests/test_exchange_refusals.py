"""Bad and hostile workbooks: each refused with a message naming the problem, nothing written."""

from __future__ import annotations

import dataclasses
import shutil
import zipfile

import openpyxl
import pytest
from test_exchange_support import answer, database_content, edit, export, rezip

from tracker.exchange import layout, safety
from tracker.exchange.errors import WorkbookRefused
from tracker.exchange.return_apply import apply_preview
from tracker.exchange.return_preview import preview_return
from tracker.exchange.return_read import read_return_file
from tracker.store import partners, returns
from tracker.store.database import open_store

C = layout.COMMITMENTS


def refused(store, path, match, **kwargs):
    before = database_content(store)
    with pytest.raises(WorkbookRefused, match=match):
        preview_return(store, path, **kwargs)
    assert database_content(store) == before


def test_not_an_xlsx(store, tmp_path):
    path = tmp_path / "notes.xlsx"
    path.write_text("Dear officer, figures attached.\n")
    refused(store, path, "notes.xlsx is not an Excel workbook")
    zipped = tmp_path / "archive.xlsx"
    with zipfile.ZipFile(zipped, "w") as z:
        z.writestr("readme.txt", "hello")
    refused(store, zipped, "no workbook part")


def test_password_protected_file(store, tmp_path):
    path = tmp_path / "locked.xlsx"
    path.write_bytes(safety.OLE_HEADER + b"\0" * 4096)
    refused(store, path, "password-protected")


def test_empty_file(store, tmp_path):
    path = tmp_path / "empty.xlsx"
    path.write_bytes(b"")
    refused(store, path, "empty")


def test_macro_enabled(store, tmp_path):
    sent = export(store, tmp_path)
    xlsm = tmp_path / "return.xlsm"
    shutil.copy(sent, xlsm)
    refused(store, xlsm, "macro-enabled")
    with_macros = rezip(sent, tmp_path / "hidden-macros.xlsx",
                        add={"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0 macro"})
    refused(store, with_macros, "contains macros")


def test_workbook_from_another_database(store, sample_db, tmp_path):
    other_path = tmp_path / "laptop2.db"
    shutil.copy(sample_db, other_path)  # same sample, but a different database
    other = open_store(other_path, officer="Other")
    try:
        theirs = export(other, tmp_path / "other")
    finally:
        other.close()
    export(store, tmp_path)  # this database has exported too, so it has its own id
    refused(store, theirs, "another Commitment Tracker database")


def test_workbook_for_another_partner(store, tmp_path):
    sent = export(store, tmp_path)
    roads = partners.find_partner(store, "Safer Essex Roads Partnership")
    refused(store, sent, "Essex Police's workbook, not the partner you chose",
            expected_partner_id=roads.id)
    refused(store, sent, "for the 2020/21 Q4 round, not 2021/22", expected_round="2021/22")


def _edit_hidden(path, target, change):
    def fiddle(wb):
        change(wb[layout.HIDDEN])
    return edit(path, target, change=fiddle)


def test_hidden_identifiers_edited(store, tmp_path):
    sent = export(store, tmp_path)

    def retarget(ws):
        roads = partners.find_partner(store, "Safer Essex Roads Partnership")
        theirs = returns.partner_commitments(store, roads.id)[0].uid
        for row in ws.iter_rows():
            if row[1].value == "commitment":
                row[2].value = theirs  # point our row at another partner's commitment
                return

    refused(store, _edit_hidden(sent, tmp_path / "a.xlsx", retarget), "hidden identifiers have been edited")

    def other_partner(ws):
        roads = partners.find_partner(store, "Safer Essex Roads Partnership")
        for row in ws.iter_rows():
            if row[0].value == "partner_uid":
                row[1].value = roads.uid

    refused(store, _edit_hidden(sent, tmp_path / "b.xlsx", other_partner), "edited")

    def wipe(ws):
        for row in ws.iter_rows():
            for cell in row:
                cell.value = None

    refused(store, _edit_hidden(sent, tmp_path / "c.xlsx", wipe), "identifiers sheet is damaged")

    def remove(wb):
        del wb[layout.HIDDEN]

    refused(store, edit(sent, tmp_path / "d.xlsx", change=remove), "no identifiers sheet")


def test_a_ref_typed_over_is_an_error_at_its_cell(store, tmp_path):
    sent = export(store, tmp_path)
    filled = edit(sent, tmp_path / "back.xlsx", {(C, "A2"): "I001",
                                                 answer(C, "evidence", 2): "x"})
    (problem,) = preview_return(store, filled).problems
    assert (problem.cell, problem.ref) == ("A2", "I001")
    assert "not one this workbook was sent with" in problem.message


@pytest.mark.parametrize("heading", ["Current status", "Ref", "New status"])
def test_deleted_column(store, tmp_path, heading):
    sent = export(store, tmp_path)

    def delete(wb):
        ws = wb[C]
        n = next(c.column for c in ws[1] if c.value == heading)
        ws.delete_cols(n)

    refused(store, edit(sent, tmp_path / "cut.xlsx", change=delete),
            f"the Commitments sheet has no '{heading}' column")


def test_deleted_sheet(store, tmp_path):
    sent = export(store, tmp_path)

    def delete(wb):
        del wb[layout.INDICATORS]

    refused(store, edit(sent, tmp_path / "cut.xlsx", change=delete), "no 'Indicators' sheet")


BILLION_LAUGHS = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
                  b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
                  b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>')


def _body(xml: bytes) -> bytes:
    return xml.split(b"?>", 1)[1] if xml.startswith(b"<?xml") else xml


def test_xml_entity_expansion(store, tmp_path):
    sent = export(store, tmp_path)

    def attack(data):
        body = _body(data)
        return BILLION_LAUGHS + body.replace(b"Essex Police", b"&lol3;", 1)

    bomb = rezip(sent, tmp_path / "laughs.xlsx", replace={"xl/sharedStrings.xml": attack,
                                                          "xl/worksheets/sheet2.xml": attack})
    refused(store, bomb, "declares XML entities")


def test_entity_attack_is_refused_by_the_xml_parser_too(tmp_path, store, monkeypatch):
    # Behind the gate, openpyxl reads worksheets with defusedxml, which refuses entities; its
    # refusal, raised lazily while the rows are read, is worded the same way.
    assert openpyxl.DEFUSEDXML is True
    sent = export(store, tmp_path)
    bomb = rezip(sent, tmp_path / "laughs.xlsx", replace={
        "xl/worksheets/sheet2.xml": lambda d: BILLION_LAUGHS + _body(d)})
    monkeypatch.setattr(safety._PartReader, "refuse_dtd", lambda self, *args: None)
    with pytest.raises(WorkbookRefused, match=r"^laughs.xlsx declares XML entities, which an "
                       r"Excel workbook never does: it may be an entity-expansion attack, and "
                       r"it was not opened\.$"):
        read_return_file(bomb)


def test_zip_bomb(store, tmp_path):
    sent = export(store, tmp_path)
    bomb = rezip(sent, tmp_path / "bomb.xlsx", add={"xl/media/padding.bin": b"\0" * (4 << 20)})
    refused(store, bomb, "zip bomb")


def limit(monkeypatch, **changes):
    monkeypatch.setattr(safety, "RETURN_LIMITS", dataclasses.replace(safety.RETURN_LIMITS, **changes))


def test_too_many_parts_and_too_big_unpacked(store, tmp_path, monkeypatch):
    sent = export(store, tmp_path)
    limit(monkeypatch, members=5)
    refused(store, sent, "has 12 parts, more than the 5 a return may have")
    limit(monkeypatch, members=500, total_bytes=10_000)
    refused(store, sent, "unpacks to more than")


def test_file_too_large(store, tmp_path, monkeypatch):
    sent = export(store, tmp_path)
    limit(monkeypatch, file_bytes=1000)
    refused(store, sent, "a return may be at most")


def test_sheet_longer_than_the_limit(store, tmp_path, monkeypatch):
    sent = export(store, tmp_path)

    def lengthen(wb):
        ws = wb[C]
        for r in range(20, 70):
            ws.cell(r, 1).value = f"extra {r}"

    long = edit(sent, tmp_path / "long.xlsx", change=lengthen)
    monkeypatch.setattr(layout, "MAX_ROWS", 50)
    refused(store, long, "more than 50 rows")


def test_a_declared_sheet_of_a_million_rows_is_read_only_as_far_as_it_goes(store, tmp_path):
    sent = export(store, tmp_path)
    huge = rezip(sent, tmp_path / "huge.xlsx", replace={
        "xl/worksheets/sheet2.xml": lambda d: __import__("re").sub(
            rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1:XFD1048576"/>', d)})
    assert b"XFD1048576" in zipfile.ZipFile(huge).read("xl/worksheets/sheet2.xml")
    preview = preview_return(store, huge)
    assert preview.rows_read == 13 + 27 and not preview.problems


def test_file_changed_while_it_is_read(store, tmp_path):
    sent = export(store, tmp_path)
    filled = edit(sent, tmp_path / "back.xlsx", {answer(C, "evidence", 2): "x"})

    def meddle(done, total):
        with open(filled, "ab") as handle:
            handle.write(b"more")

    before = database_content(store)
    with pytest.raises(WorkbookRefused, match="changed while it was being read"):
        preview_return(store, filled, progress=meddle)
    assert database_content(store) == before


def test_file_changed_between_preview_and_apply(store, tmp_path):
    sent = export(store, tmp_path)
    filled = edit(sent, tmp_path / "back.xlsx", {answer(C, "evidence", 2): "x"})
    preview = preview_return(store, filled)
    edit(filled, filled, {answer(C, "evidence", 2): "y"})
    before = database_content(store)
    with pytest.raises(WorkbookRefused, match="changed since it was previewed"):
        apply_preview(store, preview)
    assert database_content(store) == before


def test_export_record_deleted(store, tmp_path):
    sent = export(store, tmp_path)
    with store.transaction():
        store.execute("DELETE FROM partner_return")
    refused(store, sent, "no record of sending it")


def test_workbook_is_read_from_memory_not_from_a_second_open(store, tmp_path):
    """The bytes hashed are the bytes parsed: a file saved again after it was read in is not
    what the import sees, and the import is then refused as changed."""
    from tracker.exchange.return_read import read_snapshot

    sent = export(store, tmp_path)
    back = edit(sent, tmp_path / "back.xlsx", {answer(C, "evidence", 3): "Written in the first save"})
    snapshot = safety.take_snapshot(back)
    edit(sent, back, {answer(C, "evidence", 3): "Written in a later save"})  # saved again on disk
    raw = read_snapshot(snapshot)
    said = [row.value("evidence") for row in raw.commitments.rows]
    assert "Written in the first save" in said and "Written in a later save" not in said
    assert raw.snapshot.sha256 == __import__("hashlib").sha256(snapshot.data).hexdigest()
    with pytest.raises(WorkbookRefused, match="changed while it was being read"):
        safety.check_unchanged(snapshot)
