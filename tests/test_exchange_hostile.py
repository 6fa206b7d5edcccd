"""Hostile workbooks (the security probe of issue 10): each refused in one sentence naming the
sheet and cell where there is one, never a traceback, and the database unchanged.

The files are built here from a real exported return (or whole-plan workbook) by editing the
parts of its zip, as an attacker or a broken tool would.
"""

from __future__ import annotations

import re
import zipfile

import pytest
from openpyxl import load_workbook
from test_exchange_support import (
    answer,
    database_content,
    database_file_content,
    edit,
    export,
    rezip,
)

from tracker.cli import main
from tracker.exchange import fast_read, layout, reading, safety
from tracker.exchange.errors import Cancelled, ExchangeError, WorkbookRefused
from tracker.exchange.marked_copy import save_marked_copy
from tracker.exchange.plan_workbook import export_plan_workbook, import_plan_workbook
from tracker.exchange.return_preview import preview_return
from tracker.exchange.return_read import read_return_file
from tracker.store import evidence, partners, returns, transfer
from tracker.store.database import open_memory_store, open_store
from tracker.store.evidence import EvidenceInput

C, IND = layout.COMMITMENTS, layout.INDICATORS
COMMITMENTS_PART = "xl/worksheets/sheet2.xml"  # the order export writes the sheets in
SAVE_AGAIN = "ask the partner to open it in Excel, save it again and resend it."
SST_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
SST_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"


def one_sentence(text: str) -> str:
    assert "\n" not in text and "Traceback" not in text, text
    assert text.endswith("."), text
    assert not re.search(r"[.;:!?] [A-Z][a-z]", text.replace(" Excel", " excel")), text
    return text


def cli_refuses(db, path, capsys, *extra) -> str:
    """`tracker import-return FILE` exits 1 with one line, the database as it was."""
    before = database_file_content(db)
    code = main(["--db", str(db), "import-return", str(path), *extra])
    out, err = capsys.readouterr()
    assert code == 1, out + err
    assert err.startswith("tracker: ") and err.count("\n") == 1, err
    assert database_file_content(db) == before
    return one_sentence(err.strip().removeprefix("tracker: "))


def sent_workbook(sample_db, tmp_path):
    store = open_store(sample_db)
    try:
        return export(store, tmp_path / "sent")
    finally:
        store.close()


# --- 1. broken XML in a worksheet, found where the rows are read --------------------------


def test_a_mismatched_tag_in_a_sheet_is_one_sentence_naming_sheet_and_cell(sample_db, tmp_path,
                                                                           capsys):
    sent = sent_workbook(sample_db, tmp_path)
    broken = rezip(sent, tmp_path / "broken.xlsx", replace={
        COMMITMENTS_PART: lambda d: d.replace(b"</row>", b"</rowx>", 1)})
    message = cli_refuses(sample_db, broken, capsys, "--apply")
    assert message == ("broken.xlsx is damaged: the Commitments sheet near cell K1 has a "
                       f"mismatched tag, so it cannot be read; {SAVE_AGAIN}")


def test_a_raw_control_byte_in_a_sheet_is_refused_at_its_cell(sample_db, tmp_path, capsys):
    sent = sent_workbook(sample_db, tmp_path)
    broken = rezip(sent, tmp_path / "bell.xlsx", replace={
        COMMITMENTS_PART: lambda d: d.replace(b"<t>Ref</t>", b"<t>R\x07ef</t>", 1)})
    message = cli_refuses(sample_db, broken, capsys)
    assert message.startswith("bell.xlsx is damaged: the Commitments sheet near cell A1 holds a "
                              "character XML does not allow")
    # The window reads with the same code (read_return_file on its worker thread).
    with pytest.raises(WorkbookRefused) as err:
        read_return_file(broken)
    assert str(err.value) == message


def test_a_sheet_broken_past_the_gate_is_refused_where_its_rows_are_read(store, tmp_path,
                                                                         monkeypatch):
    # openpyxl parses a read-only sheet lazily; should a reader meet damage the gate let
    # through, the error raised inside the row loop is still one sentence with the row.
    # (calamine reads only what the gate has parsed whole: this is openpyxl's own defence.)
    monkeypatch.setattr(fast_read, "usable", lambda _snapshot: False)
    sent = export(store, tmp_path)
    broken = rezip(sent, tmp_path / "lazy.xlsx", replace={
        COMMITMENTS_PART: lambda d: d.replace(b"</row>", b"</rowx>", 3)})
    original = safety._Gate.parse
    monkeypatch.setattr(safety._Gate, "parse", lambda gate, member: None if
                        member.filename == COMMITMENTS_PART else original(gate, member))
    before = database_content(store)
    with pytest.raises(WorkbookRefused) as err:
        preview_return(store, broken)
    message = one_sentence(str(err.value))
    assert message.startswith("lazy.xlsx could not be read: the Commitments sheet at row 1 is "
                              "damaged or not as a spreadsheet writes it (")
    assert "mismatched tag" in message
    assert message.endswith(SAVE_AGAIN)
    assert database_content(store) == before


def test_the_whole_plan_workbook_import_refuses_a_broken_sheet(store, tmp_path, capsys):
    path = tmp_path / "plan.xlsx"
    export_plan_workbook(store, path)
    names = {n: p for p, n in safety.take_snapshot(path, safety.PLAN_LIMITS).sheet_parts.items()}
    broken = rezip(path, tmp_path / "plan-broken.xlsx", replace={
        names["Evidence"]: lambda d: d.replace(b"</row>", b"</rowx>", 2)})
    new_db = tmp_path / "copy.db"
    code = main(["--db", str(new_db), "import-plan", str(broken)])
    _out, err = capsys.readouterr()
    assert code == 1
    assert one_sentence(err.strip()) == (
        "tracker: plan-broken.xlsx is damaged: the Evidence sheet near cell N1 has a mismatched "
        f"tag, so it cannot be read; {SAVE_AGAIN}")
    copy = open_memory_store()
    try:
        with pytest.raises(WorkbookRefused):
            import_plan_workbook(copy, broken)
        assert transfer.is_empty(copy)
    finally:
        copy.close()


# --- 2. shared strings counted before parsing; the read can be cancelled -------------------


def with_shared_strings(source, target, size: int):
    """`source` with a shared-strings part of about `size` bytes of short, varied strings."""
    entries, total, n = [], 0, 0
    while total < size:
        entry = f"<si><t>item {n * 7919 % 100003} of {n % 977}</t></si>".encode()
        entries.append(entry)
        total += len(entry)
        n += 1
    sst = (b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/'
           b'spreadsheetml/2006/main">' + b"".join(entries) + b"</sst>")
    return rezip(source, target, replace={
        "[Content_Types].xml": lambda d: d.replace(
            b"</Types>", f'<Override PartName="/xl/sharedStrings.xml" ContentType="{SST_TYPE}"/>'
            "</Types>".encode()),
        "xl/_rels/workbook.xml.rels": lambda d: d.replace(
            b"</Relationships>", f'<Relationship Id="rIdS" Type="{SST_REL}" '
            'Target="sharedStrings.xml"/></Relationships>'.encode()),
    }, add={"xl/sharedStrings.xml": sst})


def test_shared_strings_beyond_the_limit_are_refused_before_any_parsing(sample_db, tmp_path,
                                                                         capsys, monkeypatch):
    sent = sent_workbook(sample_db, tmp_path)
    big = with_shared_strings(sent, tmp_path / "strings.xlsx", 9 * 1024 * 1024)
    info = zipfile.ZipFile(big).getinfo("xl/sharedStrings.xml")
    assert info.file_size > 9 * 1024 * 1024 and big.stat().st_size < 2 * 1024 * 1024
    assert info.file_size < 100 * 1024 * 1024  # within the one limit there used to be

    def never(*args, **kwargs):
        raise AssertionError("parsed before the limits were checked")

    monkeypatch.setattr(reading, "load_workbook", never)
    monkeypatch.setattr(safety._Gate, "parse", never)
    message = cli_refuses(sample_db, big, capsys)
    assert message == ("strings.xlsx holds 9.0 MB of text (shared strings) "
                       "(xl/sharedStrings.xml), more than the 8.0 MB a return may hold; it was "
                       "not opened.")


def test_reading_shared_strings_stops_inside_the_reader_when_cancelled(store, tmp_path,
                                                                       monkeypatch):
    from openpyxl.reader import excel

    monkeypatch.setattr(fast_read, "usable", lambda _snapshot: False)  # openpyxl's own reading
    sent = export(store, tmp_path)
    strings = with_shared_strings(sent, tmp_path / "strings.xlsx", 2 * 1024 * 1024)
    stop = {"now": False, "finished": False}
    original = excel.read_string_table

    def read_strings(source):
        stop["now"] = True  # the officer presses Cancel while openpyxl parses the strings
        table = original(source)
        stop["finished"] = True
        return table

    monkeypatch.setattr(excel, "read_string_table", read_strings)
    before = database_content(store)
    with pytest.raises(Cancelled, match="nothing was written"):
        preview_return(store, strings, cancelled=lambda: stop["now"])
    assert stop["now"] and not stop["finished"]
    assert database_content(store) == before


def test_the_gate_itself_can_be_cancelled(store, tmp_path):
    sent = export(store, tmp_path)
    calls = []

    def cancelled():
        calls.append(1)
        return len(calls) > 3

    with pytest.raises(Cancelled):
        safety.take_snapshot(sent, cancelled=cancelled)


def test_every_part_counts_against_a_stated_limit(store, tmp_path):
    sent = export(store, tmp_path)
    sheet = rezip(sent, tmp_path / "sheet.xlsx", replace={
        COMMITMENTS_PART: lambda d: d.replace(
            b"</sheetData>", b"<row r='900'><c r='A900' t='inlineStr'><is><t>" +
            b"padding " * (5 * 1024 * 1024) + b"</t></is></c></row></sheetData>")})
    with pytest.raises(WorkbookRefused) as err:
        safety.take_snapshot(sheet, safety.Limits(sheet_bytes=32 * 1024 * 1024,
                                                  total_bytes=64 * 1024 * 1024))
    assert "holds 40 MB of sheet data (xl/worksheets/sheet2.xml), more than the 32 MB a return " \
           "may hold" in one_sentence(str(err.value))
    image = rezip(sent, tmp_path / "image.xlsx", add={"xl/media/image1.png": b"\x89PNG" * 1000})
    with pytest.raises(WorkbookRefused, match=r"holds 3\.9 KB|holds 0\.0 MB of data"):
        safety.take_snapshot(image, safety.Limits(part_bytes=1024))


# --- 3. entity declarations wherever they are --------------------------------------------


@pytest.mark.parametrize("part", [COMMITMENTS_PART, "xl/workbook.xml", "xl/styles.xml",
                                  "xl/sharedStrings.xml"])
def test_an_entity_bomb_after_a_long_comment_is_one_clear_sentence(sample_db, tmp_path, capsys,
                                                                   part):
    sent = sent_workbook(sample_db, tmp_path)
    if part == "xl/sharedStrings.xml":
        sent = with_shared_strings(sent, tmp_path / "with-strings.xlsx", 1000)
    bomb = (b'<?xml version="1.0"?><!--' + b"padding " * 700 + b'--><!DOCTYPE lolz [<!ENTITY lol '
            b'"lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>')
    attack = rezip(sent, tmp_path / "laughs.xlsx", replace={
        part: lambda d: bomb + (d.split(b"?>", 1)[1] if d.startswith(b"<?xml") else d)})
    message = cli_refuses(sample_db, attack, capsys)
    assert message == (f"laughs.xlsx declares XML entities ({part}), which an Excel workbook "
                       "never does: it may be an entity-expansion attack, and it was not opened.")


# --- 4. the whole-plan import in words, not SQLite's -------------------------------------


def _plan_refusal(store, tmp_path, change) -> str:
    path = tmp_path / "plan.xlsx"
    export_plan_workbook(store, path)
    wb = load_workbook(path)
    change(wb)
    wb.save(path)
    copy = open_memory_store()
    try:
        with pytest.raises(ExchangeError) as err:
            import_plan_workbook(copy, path)
        assert transfer.is_empty(copy)
        assert copy.execute("SELECT count(*) FROM partner").fetchone()[0] == 0
    finally:
        copy.close()
    message = one_sentence(str(err.value))
    assert "constraint" not in message and "sqlite" not in message.lower()
    return message


@pytest.mark.parametrize(("cell", "value", "expected"), [
    ("Partner!C2", None, "Partner!C2: this row has no name, which every row of this sheet needs"),
    ("Partner!C2", "   ", "Partner!C2: this row has a blank name, which every row of this "
                          "sheet needs"),
    ("Plan!E2", "banana", "Plan!E2: this row has 'banana' under state, which must be one of: "
                          "draft, active, closed"),
    ("Evidence!K2", None, "Evidence!K2: this row has no visibility, which every row of this "
                          "sheet needs"),
    ("Partner!A2", None, "Partner!A2: this row has no uid, which every row of this sheet needs"),
    ("Partner!D2", "=time", "Partner!D2: this row has a date or time under created_at, where "
                            "text is expected"),
])
def test_the_plan_import_says_which_cell_breaks_which_rule(store, tmp_path, cell, value, expected):
    import datetime

    sheet, coordinate = cell.split("!")
    if value == "=time":
        value = datetime.time(10, 30)  # a time cell: SQLite cannot even store it

    def change(wb):
        wb[sheet][coordinate] = value

    assert _plan_refusal(store, tmp_path, change) == expected + "; nothing was loaded."


def test_the_plan_import_names_a_duplicate(store, tmp_path):
    def change(wb):
        wb["Partner"]["C3"] = wb["Partner"]["C2"].value

    assert _plan_refusal(store, tmp_path, change) == (
        "Partner!C3: this row has the same name as an earlier row of the sheet; nothing was "
        "loaded.")


# --- 5. other formats: refused with the fix ----------------------------------------------


@pytest.mark.parametrize(("name", "content", "expected"), [
    ("return.ods", b"PK\x03\x04mimetype", "return.ods is an OpenDocument spreadsheet (.ods)"),
    ("return.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600,
     "return.xls is in the old Excel 97-2003 format (.xls)"),
    ("return.csv", b"Ref,Evidence\nC001,done\n", "return.csv is a CSV text file, not a workbook"),
    ("return.xlsm", b"PK\x03\x04", "return.xlsm is a macro-enabled workbook (.xlsm), and macros "
                                   "are never opened"),
    ("return.xlsb", b"PK\x03\x04", "return.xlsb is an Excel Binary Workbook (.xlsb)"),
    ("return.numbers", b"PK\x03\x04", "return.numbers is an Apple Numbers file"),
])
def test_other_formats_are_refused_with_the_fix(sample_db, tmp_path, capsys, name, content,
                                                expected):
    path = tmp_path / name
    path.write_bytes(content)
    message = cli_refuses(sample_db, path, capsys)
    assert message.startswith(expected + ";")
    assert message.endswith("open it in Excel or LibreOffice Calc and save it as an Excel "
                            "Workbook (.xlsx), then import that file.")


def test_an_ods_named_xlsx_is_told_apart(sample_db, tmp_path, capsys):
    path = tmp_path / "return.xlsx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", "<office:document-content/>")
    message = cli_refuses(sample_db, path, capsys)
    assert message.startswith("return.xlsx is an OpenDocument spreadsheet (.ods) named as .xlsx; "
                              "open it in Excel or LibreOffice Calc and save it as an Excel "
                              "Workbook (.xlsx)")


def test_an_encrypted_workbook_is_told_from_an_old_one(sample_db, tmp_path, capsys):
    path = tmp_path / "locked.xlsx"
    path.write_bytes(safety.OLE_HEADER + b"\0" * 500 + "EncryptionInfo".encode("utf-16-le"))
    message = cli_refuses(sample_db, path, capsys)
    assert message.startswith("locked.xlsx is password-protected (encrypted); ask the partner to "
                              "remove the password")


# --- 6 and 7. text and links in the workbook imports ------------------------------------


@pytest.mark.parametrize("char", ["\x85", "\x9b", "\x7f"])
def test_a_control_character_in_a_partners_answer_is_a_problem_at_its_cell(store, tmp_path, char):
    # C1 controls and DEL are legal XML, so they reach the cells (C0 ones cannot: see above).
    sent = export(store, tmp_path)
    evidence_cell = answer(C, "evidence", 2)
    note_cell = answer(IND, "note", 2)
    filled = edit(sent, tmp_path / "back.xlsx", {
        evidence_cell: f"Patrols{char} doubled", note_cell: f"Re{char}vised",
        answer(IND, "new_value", 2): 42, answer(C, "evidence", 3): "Clean statement"})
    preview = preview_return(store, filled)
    problems = {(p.sheet, p.cell): p.message for p in preview.problems}
    code = f"U+{ord(char):04X}"
    assert problems == {
        evidence_cell: f"This cell holds a control character ({'delete, ' if char == chr(127) else ''}"
                       f"{code}) at character 8, which cannot be shown or printed; delete it.",
        note_cell: f"This cell holds a control character ({'delete, ' if char == chr(127) else ''}"
                   f"{code}) at character 3, which cannot be shown or printed; delete it.",
    }
    assert [c.after for c in preview.changes] == ["Clean statement"]  # other rows still apply


def test_plan_import_refuses_control_characters_and_unsafe_links(store, tmp_path):
    def name(wb):
        wb["Partner"]["C2"] = "Essex\x85Police"

    assert _plan_refusal(store, tmp_path, name) == (
        "Partner!C2: this row has a control character (U+0085) at character 6 under name, which "
        "cannot be shown or printed; delete it; nothing was loaded.")

    def link(wb):
        wb["Evidence"]["J2"] = "javascript:alert(document.cookie)"

    assert _plan_refusal(store, tmp_path, link) == (
        "Evidence!J2: this row has 'javascript:alert(document.cookie)' under link, which is not a "
        "web or e-mail address (links must start with https://, http:// or mailto:); nothing "
        "was loaded.")


def test_workbooks_written_from_old_rows_with_control_characters_are_safe(store, tmp_path):
    # Rows stored before the check existed: the writers drop what a workbook cannot hold, and
    # the return still comes home (its hidden identifiers are sealed as written).
    partner = partners.find_partner(store, "Essex Police")
    item = returns.partner_commitments(store, partner.id)[0]
    store.execute("UPDATE commitment SET text = ? WHERE id = ?", ("Patrols\x00\x07 doubled\ufffe",
                                                                  item.id))
    store.execute("UPDATE partner SET name = ? WHERE id = ?", ("Essex\x1b Police", partner.id))
    sent = export(store, tmp_path, partner="Essex\x1b Police")
    wb = load_workbook(sent)
    texts = [c.value for row in wb[C].iter_rows() for c in row if isinstance(c.value, str)]
    assert "Patrols doubled" in texts
    filled = edit(sent, tmp_path / "back.xlsx", {answer(C, "evidence", 2): "Done"})
    preview = preview_return(store, filled)
    assert not preview.problems and len(preview.changes) == 1
    plan = tmp_path / "plan.xlsx"
    export_plan_workbook(store, plan)
    copy = open_memory_store()
    try:
        import_plan_workbook(copy, plan)
        assert copy.execute("SELECT name FROM partner WHERE uid = ?",
                            (partner.uid,)).fetchone()[0] == "Essex Police"
    finally:
        copy.close()


def test_a_marked_copy_of_a_workbook_holding_control_characters(store, tmp_path):
    sent = export(store, tmp_path)
    filled = edit(sent, tmp_path / "back.xlsx", {answer(C, "new_status", 2): "Done\x85"})
    preview = preview_return(store, filled)
    assert preview.problems
    out = save_marked_copy(filled, preview.problems, tmp_path / "marked.xlsx")
    comment = load_workbook(out)[C][answer(C, "new_status", 2)[1]].comment.text
    assert comment.startswith("'Done' is not a status")  # the control character left out
    assert all("\x85" not in p.message for p in preview.problems)


def test_an_evidence_link_that_is_not_web_or_mail_is_refused_at_input(store):
    partner = partners.find_partner(store, "Essex Police")
    item = returns.partner_commitments(store, partner.id)[0]
    before = database_content(store)
    for link in ("javascript:alert(1)", "file:///C:/secret.docx", "data:text/html;base64,PHNjcmlwdD4="):
        with pytest.raises(evidence.ValidationError) as err:
            evidence.add_evidence(store, item.id, EvidenceInput("Statement", link=link))
        assert err.value.field == "link"
        one_sentence(str(err.value))
    assert database_content(store) == before


# --- 8. the gate does not depend on the reader -------------------------------------------


def test_the_gate_reports_what_each_sheet_holds(store, tmp_path):
    sent = export(store, tmp_path)
    huge = rezip(sent, tmp_path / "huge.xlsx", replace={
        COMMITMENTS_PART: lambda d: re.sub(rb'<dimension ref="[^"]*"/>',
                                           b'<dimension ref="A1:XFD1048576"/>', d)})
    snapshot = safety.take_snapshot(huge)
    assert snapshot.sheet_parts[COMMITMENTS_PART] == C
    extent = snapshot.extents[C]
    assert extent.declared == "A1:XFD1048576"
    assert (extent.rows, extent.columns) == (14, 11)  # what is there, not what it declares


@pytest.mark.parametrize(("old", "new", "expected"), [
    (b'<row r="2"', b'<row r="1048577"', "near row 1,048,577 reaches beyond the last row or "
                                         "column a spreadsheet can hold"),
    (b'r="B2"', b'r="ZZZ2"', "near cell ZZZ2 reaches beyond the last row or column"),
    (b'r="C2"', b'r="2C"', "names a cell '2C', which no spreadsheet writes"),
    (b'<row r="3"', b'<row r="-3"', "numbers a row '-3', which no spreadsheet writes"),
])
def test_cells_a_spreadsheet_cannot_hold_are_refused_by_the_gate(store, tmp_path, old, new,
                                                                 expected):
    sent = export(store, tmp_path)
    odd = rezip(sent, tmp_path / "odd.xlsx", replace={COMMITMENTS_PART: lambda d: d.replace(old, new, 1)})
    with pytest.raises(WorkbookRefused) as err:
        preview_return(store, odd)
    message = one_sentence(str(err.value))
    assert message.startswith("odd.xlsx is damaged: the Commitments sheet ")
    assert expected in message


@pytest.mark.parametrize(("old", "new", "expected"), [
    (b'<row r="3"', '<row r="²"'.encode(), "numbers a row '²', which no spreadsheet writes"),
    (b'<row r="3"', '<row r="3٢"'.encode(), "numbers a row '3٢', which no spreadsheet writes"),
    (b'r="C2"', 'r="C٢"'.encode(), "names a cell 'C٢', which no spreadsheet writes"),
])
def test_numbers_in_other_digits_are_refused_as_spreadsheets_never_write_them(
        store, tmp_path, old, new, expected):
    sent = export(store, tmp_path)
    odd = rezip(sent, tmp_path / "odd.xlsx", replace={COMMITMENTS_PART: lambda d: d.replace(old, new, 1)})
    with pytest.raises(WorkbookRefused) as err:
        preview_return(store, odd)
    assert expected in one_sentence(str(err.value))


@pytest.mark.parametrize("encoding", ["x", "utf-7"])
@pytest.mark.parametrize("part", ["xl/workbook.xml", "xl/styles.xml", COMMITMENTS_PART])
def test_an_encoding_no_workbook_uses_is_refused_in_words(store, tmp_path, part, encoding):
    sent = export(store, tmp_path)
    odd = rezip(sent, tmp_path / "odd.xlsx", replace={
        part: lambda d: f'<?xml version="1.0" encoding="{encoding}"?>'.encode() + d})
    with pytest.raises(WorkbookRefused) as err:
        safety.take_snapshot(odd)
    assert "is in a character encoding a workbook does not use" in one_sentence(str(err.value))


def test_two_sheets_of_one_name_are_refused(store, tmp_path):
    sent = export(store, tmp_path)
    sheet = (b'<sheet xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
             b'relationships" name="commitments" sheetId="9" state="visible" r:id="rId9"/>')
    twice = rezip(sent, tmp_path / "twice.xlsx", replace={
        "xl/workbook.xml": lambda d: d.replace(b"</sheets>", sheet + b"</sheets>", 1),
        "xl/_rels/workbook.xml.rels": lambda d: d.replace(b"</Relationships>", (
            b'<Relationship Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            b'relationships/worksheet" Target="/xl/worksheets/sheet2.xml" Id="rId9"/>'
            b"</Relationships>"), 1)})
    with pytest.raises(WorkbookRefused) as err:
        safety.take_snapshot(twice)
    assert one_sentence(str(err.value)) == (
        "twice.xlsx is damaged: it has two sheets named 'Commitments', which a spreadsheet does "
        "not allow; ask the partner to open it in Excel, save it again and resend it.")


def test_a_sheet_the_gate_did_not_measure_is_not_read_by_calamine(store, tmp_path):
    """A sheet part kept outside xl/worksheets/ is only checked as XML by the gate, which does
    not count its rows: openpyxl, reading within a return's bounds, reads it instead."""
    sent = export(store, tmp_path)
    moved = tmp_path / "moved.xlsx"
    with zipfile.ZipFile(sent) as src, zipfile.ZipFile(moved, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            name = item.filename
            if name == COMMITMENTS_PART:
                name = "xl/sheet2.xml"
            elif name in ("xl/_rels/workbook.xml.rels", "[Content_Types].xml"):
                data = data.replace(b"/xl/worksheets/sheet2.xml", b"/xl/sheet2.xml")
            dst.writestr(name, data)
    snapshot = safety.take_snapshot(moved)
    assert C not in snapshot.extents
    assert not fast_read.usable(snapshot)
    assert fast_read.usable(safety.take_snapshot(sent))
    preview = preview_return(store, moved)
    assert preview.rows_read == preview_return(store, sent).rows_read


def test_deep_nesting_is_refused_before_a_reader_recurses(store, tmp_path):
    sent = export(store, tmp_path)
    deep = rezip(sent, tmp_path / "deep.xlsx", replace={
        "xl/styles.xml": lambda d: d.replace(b"</fonts>", b"<x>" * 100_000 + b"</x>" * 100_000 +
                                             b"</fonts>", 1)})
    with pytest.raises(WorkbookRefused) as err:
        preview_return(store, deep)
    assert one_sentence(str(err.value)) == (
        "deep.xlsx is damaged: its part xl/styles.xml is nested too deeply, so it cannot be "
        "read; ask the partner to open it in Excel, save it again and resend it.")


def test_a_number_pointing_at_a_style_the_workbook_lacks_is_still_read(store, tmp_path):
    sent = export(store, tmp_path)
    filled = edit(sent, tmp_path / "back.xlsx", {answer(IND, "new_value", 2): 42})
    indicators_part = "xl/worksheets/sheet3.xml"
    value_cell = answer(IND, "new_value", 2)[1]
    odd = rezip(filled, tmp_path / "odd-style.xlsx", replace={
        indicators_part: lambda d: re.sub(rf'<c r="{value_cell}" s="\d+"'.encode(),
                                          f'<c r="{value_cell}" s="9999"'.encode(), d)})
    assert b's="9999"' in zipfile.ZipFile(odd).read(indicators_part)
    preview = preview_return(store, odd)
    assert not preview.problems
    assert [c.after for c in preview.changes] == ["42"]


def test_a_word_outline_with_an_entity_bomb_after_a_long_comment(tmp_path):
    import docx

    from tracker.exchange.plan_sheet.outline_docx import read_outline_docx

    plain = tmp_path / "outline.docx"
    document = docx.Document()
    document.add_paragraph("Priority 1 - More Local, Visible and Accessible Policing")
    document.save(plain)
    bomb = (b'<?xml version="1.0"?><!--' + b"padding " * 700 + b'--><!DOCTYPE d [<!ENTITY e '
            b'"e">]>')
    attack = rezip(plain, tmp_path / "laughs.docx", replace={
        "word/document.xml": lambda d: bomb + d.split(b"?>", 1)[1]})
    with pytest.raises(WorkbookRefused) as err:
        read_outline_docx(attack)
    assert one_sentence(str(err.value)) == (
        "laughs.docx declares XML entities (word/document.xml), which a Word document never "
        "does: it may be an entity-expansion attack, and it was not opened.")
