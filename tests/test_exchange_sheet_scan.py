"""The gate's quick pass over worksheets decides exactly as its exact pass: for a sheet as
spreadsheets write it the same facts, and for anything else it steps aside, so every refusal and
its words are the exact pass's.

Each case edits the Commitments sheet of a real exported return and takes the file through the
gate twice, with the quick pass and without it."""

from __future__ import annotations

import re

import pytest
from test_exchange_support import export, rezip

from tracker.exchange import safety, sheet_scan
from tracker.exchange.errors import WorkbookRefused

COMMITMENTS_PART = "xl/worksheets/sheet2.xml"
NS = b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
PREFIXED = NS + b' xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'


def nested(levels: int) -> bytes:
    """Elements nested inside sheetData (the sheet's second level), an empty one innermost."""
    return b"<sheetData>" + b"<x>" * levels + b"<y/>" + b"</x>" * levels


def at_end(extra: bytes):
    return lambda d: d.replace(b"</sheetData>", extra + b"</sheetData>", 1)


# (case, edit of the sheet's bytes, whether the quick pass reads it)
CASES = [
    ("as exported", lambda d: d, True),
    ("one tag to a line", lambda d: d.replace(b"><", b">\n<"), True),
    ("an XML declaration", lambda d: b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
     + d, True),
    ("a formula", at_end(b'<row r="30"><c r="L30"><f>1+1</f><v>2</v></c></row>'), True),
    ("a row with no cells far down", at_end(b'<row r="900000"/>'), True),
    ("two dimensions", lambda d: d.replace(b"<sheetViews>", b'<dimension ref="B2:C3"/><sheetViews>',
                                           1), True),
    ("nesting as deep as allowed", lambda d: d.replace(b"<sheetData>", nested(61), 1), True),
    ("nesting one level deeper", lambda d: d.replace(b"<sheetData>", nested(62), 1), False),
    ("two spaces before r", lambda d: d.replace(b'<c r="B2"', b'<c  r="B2"', 1), False),
    ("r in single quotes", lambda d: d.replace(b'<c r="B2"', b"<c r='B2'", 1), False),
    ("r after another attribute", lambda d: re.sub(rb'<c r="B2" (s="[0-9]+")', rb'<c \1 r="B2"',
                                                   d, count=1), False),
    ("a line break before r", lambda d: d.replace(b'<c r="B2"', b'<c\nr="B2"', 1), False),
    ("a lower-case reference", lambda d: d.replace(b'<c r="B2"', b'<c r="b2"', 1), False),
    ("an absolute reference", lambda d: d.replace(b'<c r="B2"', b'<c r="$B$2"', 1), False),
    ("a reference written with a character reference",
     lambda d: d.replace(b'<c r="B2"', b'<c r="&#66;2"', 1), False),
    ("a reference in other digits", lambda d: d.replace(b'<c r="B2"', '<c r="B٢"'.encode(), 1),
     False),
    ("a cell with no reference", at_end(b'<row r="31"><c t="n"><v>1</v></c></row>'), False),
    ("a row with no number", lambda d: d.replace(b'<row r="3"', b'<row', 1), False),
    ("a row number with a leading zero", lambda d: d.replace(b'<row r="3"', b'<row r="03"', 1),
     False),
    ("a prefixed cell", lambda d: d.replace(NS, PREFIXED, 1).replace(
        b"</sheetData>", b'<row r="40"><x:c r="Z40"/></row></sheetData>', 1), False),
    ("a comment", lambda d: d.replace(b"<sheetData>", b"<sheetData><!-- a note -->", 1), False),
    ("CDATA", lambda d: d.replace(b"<t>Ref</t>", b"<t><![CDATA[Ref]]></t>", 1), False),
    ("a processing instruction", at_end(b"<?tool keep?>"), False),
    ("a raw > in text", lambda d: d.replace(b"<t>Ref</t>", b"<t>Ref > 2</t>", 1), False),
    ("a raw /> in text", lambda d: d.replace(b"<t>Ref</t>", b"<t>a/>b</t>", 1), False),
    ("another encoding", lambda d: b'<?xml version="1.0" encoding="ISO-8859-1"?>' + d, False),
    ("a byte-order mark", lambda d: b"\xef\xbb\xbf" + d, False),
    # Expat reads a part starting "<" then a zero byte as UTF-16: the quick pass, which reads
    # bytes as UTF-8, must leave it to the exact pass.
    ("UTF-16 without a byte-order mark", lambda d: d.decode("utf-8").encode("utf-16-le"), False),
    ("a dimension with a character reference",
     lambda d: d.replace(b'<dimension ref="A1:', b'<dimension ref="A1&#58;', 1), False),
    ("a dimension without its range", lambda d: d.replace(b'<dimension ref="A1:K14"/>',
                                                          b"<dimension/>", 1), False),
    ("text that looks like a prefixed cell", lambda d: d.replace(b"<t>Ref</t>", b"<t>Ref:c 1</t>",
                                                                 1), False),
    ("a cell beyond the last column", lambda d: d.replace(b'r="B2"', b'r="ZZZ2"', 1), False),
    ("a cell beyond the last row", at_end(b'<row r="1048577"/>'), False),
    ("a cell naming no cell", lambda d: d.replace(b'r="C2"', b'r="2C"', 1), False),
    ("a mismatched tag", lambda d: d.replace(b"</t></is></c>", b"</t></c></c>", 1), False),
    ("an undeclared prefix", at_end(b'<row r="41"><q:c r="A41"/></row>'), False),
    ("a control character", lambda d: d.replace(b"<t>Ref</t>", b"<t>R\x01f</t>", 1), False),
]


def gate(path):
    """What the gate says of a workbook: its facts, or its refusal in words."""
    try:
        snapshot = safety.take_snapshot(path)
    except WorkbookRefused as exc:
        return ("refused", str(exc))
    return (snapshot.extents, snapshot.has_formulas, snapshot.declares_entities,
            snapshot.sheet_parts)


@pytest.mark.parametrize(("case", "change", "quick"), CASES, ids=[c[0] for c in CASES])
def test_the_quick_pass_decides_as_the_exact_pass(store, tmp_path, monkeypatch, case, change,
                                                  quick):
    sent = export(store, tmp_path)

    def edit(data: bytes) -> bytes:
        edited = change(data)
        assert (edited != data) is (case != "as exported")  # the case edits what it says
        return edited

    edited = rezip(sent, tmp_path / "edited.xlsx", replace={COMMITMENTS_PART: edit})
    read_quickly: list[str] = []

    def spy(data: bytes):
        facts = sheet_scan.quick_facts(data)
        if facts is not None and b"Latest shared evidence" in data:
            read_quickly.append(case)
        return facts

    monkeypatch.setattr(safety, "quick_facts", spy)
    with_quick_pass = gate(edited)
    monkeypatch.setattr(safety, "quick_facts", lambda data: None)
    exact = gate(edited)
    assert with_quick_pass == exact
    assert bool(read_quickly) is quick


def test_the_quick_pass_reads_the_facts_the_exact_pass_does(store, tmp_path):
    sent = export(store, tmp_path)
    changed = rezip(sent, tmp_path / "changed.xlsx", replace={COMMITMENTS_PART: at_end(
        b'<row r="77"><c r="AB70"><f>1+1</f><v>2</v></c></row>')})
    facts = gate(changed)[0]["Commitments"]
    assert (facts.rows, facts.columns, facts.declared) == (77, 28, "A1:K14")
    assert gate(changed)[1] is True
