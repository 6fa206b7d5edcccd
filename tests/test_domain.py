from datetime import date

import pytest

from tracker.domain.model import Polarity, Unit
from tracker.domain.periods import PeriodError, PeriodKind, normalise_span, parse_period, sorted_periods
from tracker.domain.status import Status
from tracker.domain.wording import Direction, describe_change


@pytest.mark.parametrize(
    ("label", "kind", "start", "canonical"),
    [
        ("2015/16", PeriodKind.FINANCIAL_YEAR, date(2015, 4, 1), "2015/16"),
        ("2015-16", PeriodKind.FINANCIAL_YEAR, date(2015, 4, 1), "2015/16"),
        ("1999/00", PeriodKind.FINANCIAL_YEAR, date(1999, 4, 1), "1999/00"),
        ("2021/22 Q3", PeriodKind.QUARTER, date(2021, 10, 1), "2021/22 Q3"),
        ("2021/22 q4", PeriodKind.QUARTER, date(2022, 1, 1), "2021/22 Q4"),
        ("May 2021", PeriodKind.MONTH, date(2021, 5, 1), "May 2021"),
        ("2021-05", PeriodKind.MONTH, date(2021, 5, 1), "May 2021"),
        ("september 2020", PeriodKind.MONTH, date(2020, 9, 1), "Sep 2020"),
        ("2019", PeriodKind.CALENDAR_YEAR, date(2019, 1, 1), "2019"),
    ],
)
def test_periods_parse_to_their_start_and_label(label, kind, start, canonical):
    period = parse_period(label)
    assert period.kind is kind
    assert period.start == start
    assert period.label == canonical


@pytest.mark.parametrize("label", ["", "2015/17", "2015/16 Q5", "13/2020", "2021-13", "Smarch 2020",
                                   "last year", "2015/16/17"])
def test_invalid_period_labels_are_refused_with_a_message(label):
    with pytest.raises(PeriodError) as err:
        parse_period(label)
    assert str(err.value)


def test_financial_years_sort_by_date_not_by_text():
    labels = ["2021/22", "2019/20", "2021/22 Q1", "2020", "2015/16", "Mar 2022", "1999/00"]
    assert sorted_periods(labels) == [
        "1999/00", "2015/16", "2019/20", "2020", "2021/22", "2021/22 Q1", "Mar 2022"]


def test_ranges_normalise_and_refuse_backwards_spans():
    assert normalise_span("2016/17 - 2019/20") == "2016/17-2019/20"
    with pytest.raises(PeriodError):
        normalise_span("2019/20-2016/17")


def test_change_in_words_matches_the_closure_report():
    asb = describe_change(52732, "2015/16", 30674, "2021/22", Unit.COUNT, Polarity.LOWER_IS_BETTER)
    assert asb.sentence == "from 52,732 in 2015/16 to 30,674 in 2021/22, a reduction of 42 per cent"
    assert asb.direction is Direction.IMPROVED
    da = describe_change(30719, "2015/16", 42802, "2021/22", Unit.COUNT, Polarity.LOWER_IS_BETTER)
    assert da.sentence == "from 30,719 in 2015/16 to 42,802 in 2021/22, an increase of 39 per cent"
    assert da.direction is Direction.WORSENED


def test_percentages_change_in_points_and_polarity_decides_the_direction():
    change = describe_change(68.7, "2017/18", 79, "2021/22", Unit.PERCENT, Polarity.HIGHER_IS_BETTER)
    assert change.sentence.endswith("an increase of 10.3 percentage points")
    assert change.direction is Direction.IMPROVED
    neutral = describe_change(10, "2019", 12, "2020", Unit.COUNT, Polarity.NEITHER)
    assert neutral.direction is Direction.NEUTRAL


def test_small_changes_are_not_rounded_to_nothing():
    ksi = describe_change(850, "2015/16", 846, "2021/22", Unit.COUNT, Polarity.LOWER_IS_BETTER)
    assert ksi.sentence.endswith("a reduction of 0.5 per cent")


def test_status_words_parse_in_any_case_and_with_stray_spaces():
    assert Status.parse("  on   TRACK ") is Status.ON_TRACK
    assert Status.parse("carried_forward") is Status.CARRIED_FORWARD
    with pytest.raises(ValueError, match="not a status"):
        Status.parse("green")
    assert len({s.shape for s in Status}) == len(Status)


def test_a_span_is_read_once_for_every_use():
    from tracker.domain.periods import PeriodError, normalise_span, parse_period, span_of

    first, last = span_of(normalise_span("2016/17 to 2019/20"))
    assert (first.label, last.label) == ("2016/17", "2019/20")
    month = parse_period("May 2021")
    assert span_of(month.label) == (month, month)
    assert span_of(f"{month.label}-June 2021")[1].label == parse_period("June 2021").label
    with pytest.raises(PeriodError):
        span_of("soon-later")
