"""The quick readings of the two commonest ways a day is written give what strptime gives."""

from datetime import date, datetime
from itertools import product

import pytest

from tracker.domain.dates import DAY_FORMATS, day_in, parse_day


def _by_strptime(text: str, formats=DAY_FORMATS):
    for fmt in formats:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def test_every_day_month_year_combination_reads_as_strptime_reads_it():
    parts = ["0", "1", "01", "9", "09", "10", "12", "13", "29", "30", "31", "32", "00"]
    texts = []
    for a, b, c in product(parts, repeat=3):
        texts += [f"{a}/{b}/20{c[-2:].zfill(2)}", f"20{a[-2:].zfill(2)}-{b}-{c}"]
    texts += ["2024-02-29", "2023-02-29", "0001-01-01", "9999-12-31", "١٢/١٠/٢٠٢١",
              "٢٠٢١-01-01", "2021-09-30x", "30/09/21", "12/10/2021"]
    assert [day_in(t) for t in texts] == [_by_strptime(t) for t in texts]


def test_only_the_formats_asked_for_are_read():
    assert day_in("30/09/2021", ("%Y-%m-%d",)) is None
    assert day_in("2021-09-30", ("%d/%m/%Y",)) is None
    assert day_in("2021-09-30", ("%Y-%m-%d",)) == date(2021, 9, 30)


def test_a_day_that_does_not_exist_is_refused():
    with pytest.raises(ValueError, match="is not a date"):
        parse_day("31/02/2021")
    assert parse_day("3/9/2021") == date(2021, 9, 3)
