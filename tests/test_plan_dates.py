"""Due dates as delivery plans write them, read as the last day of what they name."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from tracker.domain.plan_dates import PlanDateError, parse_plan_date


@pytest.mark.parametrize(
    ("text", "due", "span"),
    [
        ("Sep '19", date(2019, 9, 30), "month"),
        ("Sept 2019", date(2019, 9, 30), "month"),
        ("March 2021", date(2021, 3, 31), "month"),
        ("Mar 21", date(2021, 3, 31), "month"),
        ("Dec-21", date(2021, 12, 31), "month"),
        ("Feb 2024", date(2024, 2, 29), "month"),
        ("03/2021", date(2021, 3, 31), "month"),
        ("2021-03", date(2021, 3, 31), "month"),
        ("Q3 2020/21", date(2020, 12, 31), "quarter"),
        ("Q4 20/21", date(2021, 3, 31), "quarter"),
        ("2021/22 Q1", date(2021, 6, 30), "quarter"),
        ("Quarter 2 2021/22", date(2021, 9, 30), "quarter"),
        ("Q1 2021", date(2021, 3, 31), "quarter"),
        ("31/03/2021", date(2021, 3, 31), "day"),
        ("31/03/21", date(2021, 3, 31), "day"),
        ("31st March 2021", date(2021, 3, 31), "day"),
        ("2020/21", date(2021, 3, 31), "financial year"),
        ("FY 2021/22", date(2022, 3, 31), "financial year"),
        ("2020-2021", date(2021, 3, 31), "financial year"),
        ("2022", date(2022, 12, 31), "year"),
        ("by end of March 2021", date(2021, 3, 31), "month"),
        ("Completed by June 2020", date(2020, 6, 30), "month"),
    ],
)
def test_plan_dates_are_read_as_the_last_day_they_name(text, due, span):
    found = parse_plan_date(text)
    assert (found.due, found.span, found.text) == (due, span, text)


def test_a_date_cell_is_that_day():
    assert parse_plan_date(datetime(2021, 3, 31, 0, 0)).due == date(2021, 3, 31)
    assert parse_plan_date(date(2020, 12, 1)).iso == "2020-12-01"


@pytest.mark.parametrize("text", ["Ongoing", "TBC", "2021-2024", "Marchy 2021", "13/2021",
                                  "2021/23", "", "Q5 2020/21"])
def test_words_that_name_no_date_are_refused_with_what_to_write(text):
    with pytest.raises(PlanDateError) as caught:
        parse_plan_date(text)
    assert "a date is required" in str(caught.value) or "Q3 2020/21" in str(caught.value)


def test_a_number_is_not_taken_for_a_date():
    with pytest.raises(PlanDateError, match="is a number, not a date"):
        parse_plan_date(44286)
