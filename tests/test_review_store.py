"""Review findings in the store and domain: rows that must be refused, not stored."""

from __future__ import annotations

import pytest

from tracker.domain.numbers import parse_number
from tracker.domain.periods import PeriodError, parse_period
from tracker.store import transfer
from tracker.store.database import open_memory_store


def _tables(store):
    return transfer.dump_tables(store)


def _column(table_name: str, heading: str) -> int:
    table = next(t for t in transfer.TABLES if t.name == table_name)
    return table.headings().index(heading)


@pytest.mark.parametrize("table, heading, bad", [
    ("indicator_value", "value", "12,5"),
    ("indicator_value", "value", "abc"),
    ("indicator_value", "period", "nonsense"),
    ("evidence", "figure", "a lot"),
    ("evidence", "period", "sometime"),
    ("commitment", "position", "first"),
    ("indicator", "target_value", "high"),
])
def test_whole_plan_load_refuses_a_bad_number_or_period(store, table, heading, bad):
    data = _tables(store)
    index = next((n for n, r in enumerate(data[table]) if r[_column(table, heading)] is not None),
                 0)
    data[table][index][_column(table, heading)] = bad
    copy = open_memory_store()
    try:
        with pytest.raises(transfer.RowError) as caught:
            transfer.load_tables(copy, data)
        assert caught.value.table == table and caught.value.index == index
        assert caught.value.column == heading
        assert transfer.is_empty(copy)
    finally:
        copy.close()


def test_whole_plan_load_stores_canonical_periods_and_their_start(store):
    data = _tables(store)
    rows = data["indicator_value"]
    period_at, start_at = _column("indicator_value", "period"), _column("indicator_value", "period_start")
    n = next(n for n, r in enumerate(rows) if r[period_at] == "2015/16")
    rows[n][period_at], rows[n][start_at] = "2015-16", "1900-01-01"
    copy = open_memory_store()
    try:
        transfer.load_tables(copy, data)
        uid = rows[n][0]
        assert copy.execute("SELECT period, period_start, typeof(value) FROM indicator_value "
                            "WHERE uid = ?", (uid,)).fetchone() == ("2015/16", "2015-04-01", "real")
    finally:
        copy.close()


@pytest.mark.parametrize("text", ["0000", "0001", "9999/00 Q4", "9999/00", "Dec 9999", "0999/00"])
def test_a_period_outside_any_plausible_year_is_refused(text):
    with pytest.raises(PeriodError):
        p = parse_period(text)
        p.start, p.end  # noqa: B018 - a date out of range would raise ValueError here


@pytest.mark.parametrize("typed", ["1,5", "12,34", "1,2345", ",5", "1,,000"])
def test_a_comma_that_is_not_a_thousands_separator_is_refused(typed):
    with pytest.raises(ValueError):
        parse_number(typed)


@pytest.mark.parametrize("typed, number", [("1,234", 1234.0), ("52,732", 52732.0),
                                           ("1,234,567.5", 1234567.5), (" 42 ", 42.0),
                                           ("-3.5", -3.5), ("1200", 1200.0)])
def test_numbers_people_type_still_parse(typed, number):
    assert parse_number(typed) == number


def test_a_calendar_year_round_asks_a_quarterly_indicator_for_quarters_not_months():
    from tracker.store.returns import periods_for_round

    assert periods_for_round("2021", "quarterly") == [
        "2020/21 Q4", "2021/22 Q1", "2021/22 Q2", "2021/22 Q3"]
    assert periods_for_round("2021/22", "quarterly") == [
        "2021/22 Q1", "2021/22 Q2", "2021/22 Q3", "2021/22 Q4"]
    assert periods_for_round("May 2021", "quarterly") == ["2021/22 Q1"]
    assert periods_for_round("2021/22 Q2", "monthly") == ["Jul 2021", "Aug 2021", "Sep 2021"]


@pytest.mark.parametrize("period", ["", "   "])
def test_a_plan_period_cannot_be_edited_to_nothing(store, period):
    from tracker.store import plans
    from tracker.store.errors import ValidationError

    plan = plans.default_plan(store)
    with pytest.raises(ValidationError, match="period") as caught:
        plans.update_plan(store, plan.id, period=period)
    assert caught.value.field == "period"
    assert plans.get_plan(store, plan.id).period == plan.period


def test_a_plan_period_is_stored_without_stray_spaces(store):
    from tracker.store import plans

    plan = plans.default_plan(store)
    plans.update_plan(store, plan.id, period="  2021-2024 ")
    assert plans.get_plan(store, plan.id).period == "2021-2024"


def test_a_returns_evidence_deleted_and_put_back_still_belongs_to_the_return(store, monkeypatch):
    from tracker.store import commitments, evidence, plans, returns
    from tracker.store.evidence import EvidenceInput

    plan = plans.default_plan(store)
    commitment = commitments.list_commitments(store, plans.list_priorities(store, plan.id)[0].id)[0]
    partner_id = store.execute("SELECT id FROM partner ORDER BY id LIMIT 1").fetchone()[0]
    sent = returns.record_export(store, partner_id, "2021/22 Q2", None)
    record = returns.apply_return(store, sent.uid, "back.xlsx", "0" * 64, returns.ReturnChanges(
        evidence=[returns.NewEvidence(commitment.id, EvidenceInput("Forty officers trained"))]))
    added = next(e for e in evidence.list_evidence(store, commitment.id)
                 if e.text == "Forty officers trained")

    monkeypatch.setattr(evidence, "now", lambda: "2026-12-01T09:00:00+00:00")  # a later edit
    removed = evidence.delete_evidence(store, added.id)  # the officer deletes it, then undoes
    evidence.restore_evidence(store, removed)
    back = evidence.get_evidence(store, store.execute(
        "SELECT id FROM evidence WHERE uid = ?", (added.uid,)).fetchone()[0])
    assert (back.created_at, back.updated_at) == (added.created_at, added.updated_at)
    assert store.execute("SELECT return_id FROM evidence WHERE uid = ?",
                         (added.uid,)).fetchone()[0] == record.id

    result = returns.revert_return(store, record.id)  # refused as "edited since" before the fix
    assert result.evidence_removed == 1
    assert store.execute("SELECT count(*) FROM evidence WHERE uid = ?", (added.uid,)).fetchone()[0] == 0


@pytest.mark.parametrize("table, heading, bad", [
    ("status_change", "to_status", "banana"),
    ("status_change", "from_status", "nearly"),
    ("indicator", "baseline_period", "long ago"),
    ("commitment", "due_date", "soon"),
])
def test_whole_plan_load_refuses_words_the_tracker_cannot_read_back(store, table, heading, bad):
    data = _tables(store)
    data[table][0][_column(table, heading)] = bad
    copy = open_memory_store()
    try:
        with pytest.raises(transfer.RowError) as caught:
            transfer.load_tables(copy, data)
        assert (caught.value.table, caught.value.index, caught.value.column) == (table, 0, heading)
        assert transfer.is_empty(copy)
    finally:
        copy.close()
