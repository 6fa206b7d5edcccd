"""Exporting a partner's return workbook: what it holds, and what it must never hold."""

from __future__ import annotations

import hashlib
import zipfile

import pytest
from openpyxl import load_workbook
from test_exchange_support import PARTNER, ROUND, column, export

from tracker.domain.model import Visibility
from tracker.domain.status import Status
from tracker.exchange import layout
from tracker.exchange.errors import ExchangeError
from tracker.exchange.return_export import export_partner as export_partner_of
from tracker.exchange.return_export import export_round
from tracker.store import commitments, evidence, partners, plans, returns
from tracker.store.evidence import EvidenceInput


def _assigned(store, partner_name):
    p = partners.find_partner(store, partner_name)
    return {c.uid for c in returns.partner_commitments(store, p.id)}, p


def test_workbook_holds_only_the_partners_items(store, tmp_path):
    path = export(store, tmp_path)
    uids, partner = _assigned(store, PARTNER)
    wb = load_workbook(path)
    assert wb.sheetnames == [layout.INSTRUCTIONS, layout.COMMITMENTS, layout.INDICATORS,
                             layout.HIDDEN]
    ws = wb[layout.COMMITMENTS]
    texts = [ws[f"{column(layout.COMMITMENTS, 'text')}{r}"].value for r in range(2, ws.max_row + 1)]
    expected = [commitments.find_commitment_by_uid(store, u).text for u in uids]
    assert sorted(texts) == sorted(expected)
    other = partners.find_partner(store, "Safer Essex Roads Partnership")
    theirs_only = ({c.text for c in returns.partner_commitments(store, other.id)}
                   - set(expected))
    assert theirs_only and not theirs_only & set(texts)
    hidden = wb[layout.HIDDEN]
    assert hidden.sheet_state == "veryHidden"
    cells = {r[0]: r[1] for r in hidden.iter_rows(max_row=12, values_only=True) if r[0]}
    assert cells["partner_uid"] == partner.uid
    assert cells["round"] == ROUND
    assert cells["database_uid"] == returns.database_uid(store)
    assert cells["format_version"] == str(layout.FORMAT_VERSION)
    assert cells["exported_at"] and cells["seal"]
    kinds = [r[1] for r in hidden.iter_rows(values_only=True)]
    assert kinds.count("commitment") == len(uids)
    # indicators: Essex Police reports 27 annual indicators in the open 2020/21 plan
    iw = wb[layout.INDICATORS]
    assert iw.max_row - 1 == kinds.count("indicator") == 27
    assert {iw[f"{column(layout.INDICATORS, 'period')}{r}"].value for r in range(2, 29)} == {"2020/21"}


def test_context_is_locked_answers_unlocked_headers_frozen(store, tmp_path):
    wb = load_workbook(export(store, tmp_path))
    for name, columns in ((layout.COMMITMENTS, layout.COMMITMENT_COLUMNS),
                          (layout.INDICATORS, layout.INDICATOR_COLUMNS)):
        ws = wb[name]
        assert ws.protection.sheet is True
        assert ws.freeze_panes == "B2"
        for n, col in enumerate(columns, start=1):
            cell = ws.cell(2, n)
            assert cell.protection.locked is (not col.answer), (name, col.heading)
            assert ws.cell(1, n).value == col.heading
            assert ws.column_dimensions[cell.column_letter].width == col.width
        assert ws.cell(2, 4).alignment.wrap_text
    assert wb[layout.INSTRUCTIONS].protection.sheet is True


def test_status_is_a_drop_down_and_values_accept_only_numbers(store, tmp_path):
    wb = load_workbook(export(store, tmp_path))
    dv = wb[layout.COMMITMENTS].data_validations.dataValidation
    status = next(d for d in dv if d.type == "list")
    assert status.formula1 == '"' + ",".join(s.label for s in Status) + '"'
    assert str(status.sqref).startswith(column(layout.COMMITMENTS, "new_status") + "2")
    numbers = next(d for d in wb[layout.INDICATORS].data_validations.dataValidation)
    assert numbers.type == "decimal" and numbers.showErrorMessage
    assert str(numbers.sqref).startswith(column(layout.INDICATORS, "new_value") + "2")


def test_internal_evidence_never_leaves(store, tmp_path):
    partner = partners.find_partner(store, PARTNER)
    item = returns.partner_commitments(store, partner.id)[0]
    evidence.add_evidence(store, item.id, EvidenceInput("SECRET internal note about staffing",
                                                        evidence_date="2099-01-01",
                                                        visibility=Visibility.INTERNAL))
    evidence.add_evidence(store, item.id, EvidenceInput("Shared progress statement",
                                                        evidence_date="2098-01-01",
                                                        visibility=Visibility.SHAREABLE))
    path = export(store, tmp_path)
    with zipfile.ZipFile(path) as archive:
        everything = b"".join(archive.read(n) for n in archive.namelist())
    assert b"SECRET" not in everything
    assert b"Shared progress statement" in everything


@pytest.mark.parametrize("text", ["=HYPERLINK(\"http://x\",\"click\")", "+1+1", "-2+3",
                                  "@SUM(A1)", "\tcmd", "\r=1", "#REF!"])
def test_text_that_looks_like_a_formula_is_written_as_text(store, tmp_path, text):
    partner = partners.find_partner(store, PARTNER)
    item = returns.partner_commitments(store, partner.id)[0]
    commitments.update_commitment(store, item.id, code="Z")
    store.execute("UPDATE commitment SET text = ? WHERE id = ?", (text, item.id))
    path = export(store, tmp_path)
    wb = load_workbook(path)
    ws = wb[layout.COMMITMENTS]
    cell = ws[f"{column(layout.COMMITMENTS, 'text')}2"]
    assert cell.data_type == "s"
    assert cell.value == text
    assert cell.quotePrefix is True
    with zipfile.ZipFile(path) as archive:
        sheet = archive.read("xl/worksheets/sheet2.xml")
    assert b"<f>" not in sheet and b"<f " not in sheet


def test_export_records_the_round_as_sent_and_reuses_the_database_id(store, tmp_path):
    first = returns.database_uid(store)
    written = export_round(store, ROUND, tmp_path)
    assert returns.database_uid(store) == first
    assert len(written) >= 10
    assert all(w.path.exists() for w in written)
    states = {s.partner_name: s.state for s in returns.round_status(store, ROUND)}
    assert states[PARTNER] == "sent"
    assert "not sent" not in states.values()


def test_export_refuses_an_unknown_partner_and_a_round_that_is_not_a_period(store, tmp_path):
    out = tmp_path / "out"
    with pytest.raises(ExchangeError, match="No partner 'Nobody'"):
        export_round(store, ROUND, out, partner="Nobody")
    with pytest.raises(ExchangeError, match="not a reporting round"):
        export_round(store, "next spring", out)
    assert list(out.iterdir()) == []
    assert returns.list_returns(store) == []


def test_what_a_partner_is_sent_is_read_in_a_fixed_number_of_queries(store):
    """No query per indicator or per partner (N+1): the count stays the same when the partner
    has many more indicators."""
    from tracker.store import indicators as indicator_store
    from tracker.store import partners as partner_store
    from tracker.store import returns

    partner = partner_store.find_partner(store, "Essex Police")
    statements: list[str] = []

    def counted() -> int:
        statements.clear()
        store.conn.set_trace_callback(statements.append)
        try:
            rows = returns.partner_indicator_rows(store, partner.id, "2021/22")
            returns.round_status(store, "2021/22")
            returns.partner_commitments(store, partner.id)
        finally:
            store.conn.set_trace_callback(None)
        assert rows
        return len(statements)

    before = counted()
    plan = plans.find_plan(store, "pcp-2020-21")
    priority = plans.list_priorities(store, plan.id)[0]
    for n in range(20):
        new = indicator_store.add_indicator(store, priority.id, f"Extra measure {n}")
        indicator_store.set_indicator_partners(store, new, [partner.id])
        indicator_store.set_value(store, new, indicator_store.ValueInput("2020/21", n))
    assert counted() == before


def _look(cell) -> tuple:
    """What a partner sees of a cell's style (and whether they may type in it)."""
    font, fill, side, align = cell.font, cell.fill, cell.border.left, cell.alignment
    return (font.name, bool(font.b), font.sz, font.color.rgb if font.color else None,
            fill.fill_type, fill.fgColor.rgb if fill.fill_type else None,
            side.style, side.color.rgb if side.color else None,
            bool(align.wrap_text), align.vertical, align.horizontal, align.indent,
            cell.number_format, cell.protection.locked)


def _expected_looks(columns) -> tuple[list[tuple], list[tuple]]:
    head, body = [], []
    numbers = {"evidence_date": "dd/mm/yyyy", "figure": "#,##0.##", "last_value": "#,##0.##",
               "new_value": "#,##0.##"}
    beside = {"last_value": "right", "last_period": "left"}
    for col in columns:
        head.append(("Calibri", True, None, "00FFFFFF", "solid",
                     "002E75B6" if col.answer else "001F3864", "thin", "00B4BCC8", True,
                     "center", None, 0.0, "General", True))
        body.append(("Calibri", False, 10.0, None, "solid",
                     "00FFFFFF" if col.answer else "00EEF1F6", "thin", "00B4BCC8",
                     col.key not in beside, "top", beside.get(col.key),
                     1.0 if col.key in beside else 0.0, numbers.get(col.key, "General"),
                     not col.answer))
    return head, body


def _assert_styled_as_columns(ws, columns) -> None:
    head, body = _expected_looks(columns)
    assert [_look(ws.cell(1, n)) for n in range(1, len(columns) + 1)] == head
    for row in range(2, ws.max_row + 1):
        assert [_look(ws.cell(row, n)) for n in range(1, len(columns) + 1)] == body, row


def test_every_row_is_styled_as_its_columns_and_the_sent_file_is_fingerprinted(store, tmp_path):
    partner = partners.find_partner(store, PARTNER)
    item = returns.partner_commitments(store, partner.id)[1]
    store.execute("UPDATE commitment SET text = ? WHERE id = ?", ("=1+1", item.id))
    written = export_partner_of(store, partner.id, ROUND, tmp_path)
    wb = load_workbook(written.path)
    _assert_styled_as_columns(wb[layout.COMMITMENTS], layout.COMMITMENT_COLUMNS)
    _assert_styled_as_columns(wb[layout.INDICATORS], layout.INDICATOR_COLUMNS)
    # the quoted formula-like text marks its own cell only
    text = column(layout.COMMITMENTS, "text")
    assert [wb[layout.COMMITMENTS][f"{text}{r}"].quotePrefix for r in (2, 3, 4)] == \
        [False, True, False]
    title = wb[layout.INSTRUCTIONS]["A1"]
    assert (title.font.b, title.font.sz, title.font.color.rgb) == (True, 16.0, "001F3864")
    (sha,) = store.execute("SELECT sent_sha256 FROM partner_return WHERE uid = ?",
                           (written.record.uid,)).fetchone()
    assert sha == hashlib.sha256(written.path.read_bytes()).hexdigest()


def test_a_partner_with_only_indicators_gets_them_styled_and_an_empty_commitments_sheet(
        store, tmp_path):
    from tracker.store import indicators as indicator_store

    plan = plans.find_plan(store, "pcp-2020-21")
    indicator = indicator_store.list_indicators(store, plan.id)[0]
    new = partners.add_partner(store, "Indicators Only Trust")
    indicator_store.set_indicator_partners(
        store, indicator.id, [*partners.indicator_partner_ids(store, indicator.id), new])
    wb = load_workbook(export_partner_of(store, new, ROUND, tmp_path).path)
    commitments_sheet = wb[layout.COMMITMENTS]
    assert commitments_sheet.max_row == 1
    _assert_styled_as_columns(commitments_sheet, layout.COMMITMENT_COLUMNS)
    assert wb[layout.INDICATORS].max_row > 1
    _assert_styled_as_columns(wb[layout.INDICATORS], layout.INDICATOR_COLUMNS)
    assert wb.active.title == layout.INDICATORS
