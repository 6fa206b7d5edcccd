"""calamine reads returned workbooks (tracker.exchange.fast_read) and gives exactly what the
openpyxl reader gives; it steps aside where it could not tell everything openpyxl would."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from openpyxl.styles import Alignment
from test_exchange_support import answer, edit, export, rezip

from tracker.exchange import fast_read, layout, return_read
from tracker.exchange.return_preview import preview_return
from tracker.exchange.safety import take_snapshot

C, IND = layout.COMMITMENTS, layout.INDICATORS


def _read_both(path, monkeypatch):
    snapshot = take_snapshot(path)
    fast = return_read._read_fast(snapshot, None, None)
    with monkeypatch.context() as m:
        m.setattr(fast_read, "usable", lambda _snapshot: False)
        slow = return_read.read_snapshot(snapshot)
    return fast, slow


def _content(raw):
    def sheet(s):
        return [(r.number, {k: (v, r.coordinate(k)) for k, v in r.values.items()})
                for r in s.rows]
    return raw.meta, raw.refs, sheet(raw.commitments), sheet(raw.indicators), raw.problems


def test_a_returned_workbook_reads_the_same_through_calamine_and_openpyxl(
        store, tmp_path, monkeypatch):
    sent = export(store, tmp_path / "out")

    def partner_edits(wb) -> None:
        ws = wb[C]
        ws.insert_rows(6)  # a blank row the partner added
        ws[answer(C, "evidence_date", 3)[1]] = date(2021, 3, 31)           # a date cell
        ws[answer(C, "evidence_date", 4)[1]] = datetime(2021, 2, 1, 9, 30)
        ws[answer(C, "figure", 3)[1]] = 1234                               # numbers
        ws[answer(C, "figure", 4)[1]] = 12.5
        ws[answer(C, "update", 4)[1]] = "Line one\nline two"
        ws[answer(C, "update", 4)[1]].alignment = Alignment(wrap_text=True)
        wb[IND][answer(IND, "new_value", 2)[1]] = 40
        wb[IND][answer(IND, "note", 2)[1]] = "  spaced note  "

    filled = edit(sent, tmp_path / "back.xlsx", {
        answer(C, "new_status", 2): "On track",
        answer(C, "evidence", 3): "Delivered two new patrols.",
        answer(C, "evidence", 4): "x" * (layout.MAX_TEXT + 50),  # cut as openpyxl's is
    }, partner_edits)
    fast, slow = _read_both(filled, monkeypatch)
    assert fast is not None, "calamine should read a plain returned workbook"
    assert _content(fast) == _content(slow)
    values = {r.coordinate(k): v for r in fast.commitments.rows for k, v in r.values.items()}
    assert values[answer(C, "evidence_date", 3)[1]] == datetime(2021, 3, 31)
    assert values[answer(C, "figure", 3)[1]] == 1234 and isinstance(
        values[answer(C, "figure", 3)[1]], int)


def test_the_preview_of_a_return_is_the_same_whichever_reader_read_it(store, tmp_path,
                                                                      monkeypatch):
    sent = export(store, tmp_path / "out")
    filled = edit(sent, tmp_path / "back.xlsx", {
        answer(C, "new_status", 2): "At risk",
        answer(C, "update", 2): "Recruitment delayed.",
        answer(C, "evidence", 3): "A statement",
        answer(C, "evidence_date", 3): "31/03/2021",
        answer(IND, "new_value", 2): 41,
    })
    fast = preview_return(store, filled)
    with monkeypatch.context() as m:
        m.setattr(fast_read, "usable", lambda _snapshot: False)
        slow = preview_return(store, filled)
    assert [(c.kind, c.ref, c.cell, c.before, c.after) for c in fast.changes] == [
        (c.kind, c.ref, c.cell, c.before, c.after) for c in slow.changes]
    assert fast.changes and fast.problems == slow.problems


@pytest.mark.parametrize("why", ["percent", "formula"])
def test_openpyxl_reads_what_calamine_cannot_tell(store, tmp_path, why):
    sent = export(store, tmp_path / "out")

    def change(wb) -> None:
        cell = wb[IND][answer(IND, "new_value", 2)[1]]
        if why == "percent":
            cell.value = 0.45
            cell.number_format = "0%"  # 45% typed into Excel
        else:
            cell.value = "=40+1"

    filled = edit(sent, tmp_path / "back.xlsx", change=change)
    snapshot = take_snapshot(filled)
    assert not fast_read.usable(snapshot)
    if why == "percent":
        assert fast_read.has_percent_formats(snapshot)


def test_without_calamine_openpyxl_reads_every_workbook(store, tmp_path, monkeypatch):
    sent = export(store, tmp_path / "out")
    filled = edit(sent, tmp_path / "back.xlsx", {answer(C, "evidence", 3): "A statement"})
    monkeypatch.setattr(fast_read, "CalamineWorkbook", None)
    snapshot = take_snapshot(filled)
    assert not fast_read.usable(snapshot)
    raw = return_read.read_snapshot(snapshot)
    assert any(v == "A statement" for r in raw.commitments.rows for v in r.values.values())


def test_calamine_never_reads_a_part_that_declares_entities(store, tmp_path, monkeypatch):

    from tracker.exchange import safety

    def declared(data: bytes) -> bytes:
        head, sep, rest = data.partition(b"?>")
        dtd = b'<!DOCTYPE s [<!ENTITY a "x">]>'
        return head + sep + dtd + rest if sep else dtd + data

    sent = export(store, tmp_path / "out")
    bomb = rezip(sent, tmp_path / "laughs.xlsx", replace={"xl/styles.xml": declared})
    # Should the gate ever let a DTD through, calamine (which would read on) is not used.
    monkeypatch.setattr(safety._PartReader, "refuse_dtd", lambda self, *args: None)
    snapshot = take_snapshot(bomb)
    assert snapshot.declares_entities
    assert not fast_read.usable(snapshot)


def test_a_declaration_across_two_unpacked_blocks_is_seen(store, tmp_path, monkeypatch):
    """The gate looks for the bytes as it unpacks a part 256 KiB at a time: a declaration
    that starts a few bytes before the end of one block is seen as well."""

    from tracker.exchange import safety

    def declared_at_a_block_end(data: bytes) -> bytes:
        head, sep, rest = data.partition(b"?>")
        head, rest = (head + sep, rest) if sep else (b"", data)
        pad = b"<!--" + b"x" * ((1 << 18) - 4 - len(head) - 7) + b"-->"
        data = head + pad + b"<!DOCTYPE s>" + rest
        assert data.index(b"<!DOCTYPE") == (1 << 18) - 4
        return data

    sent = export(store, tmp_path / "out")
    bomb = rezip(sent, tmp_path / "split.xlsx", replace={"xl/styles.xml": declared_at_a_block_end})
    monkeypatch.setattr(safety._PartReader, "refuse_dtd", lambda self, *args: None)
    snapshot = take_snapshot(bomb)
    assert snapshot.declares_entities is True
    assert not fast_read.usable(snapshot)


def test_reading_with_calamine_stops_when_cancelled(store, tmp_path):
    from tracker.exchange.errors import Cancelled

    sent = export(store, tmp_path / "out")
    filled = edit(sent, tmp_path / "back.xlsx", {answer(C, "evidence", 3): "A statement"})
    snapshot = take_snapshot(filled)
    assert fast_read.usable(snapshot)
    with pytest.raises(Cancelled):
        return_read.read_snapshot(snapshot, cancelled=lambda: True)
