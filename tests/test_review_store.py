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
